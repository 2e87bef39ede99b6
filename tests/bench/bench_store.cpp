// kiosk-bench: seal-and-commit latency. OutboxStore::sealSubmission on a real file beside a raw
// SQLite insert of the same number of bytes with the same PRAGMAs and one transaction per row,
// alternating so both see the same disk and the same neighbours on a shared machine.
#include <sqlite3.h>

#include <stdexcept>

#include "bench.h"
#include "bench_support.h"
#include "store/outbox_store.h"
#include "sync/kiosk_api_destination.h"

namespace kiosk::bench {
namespace {

// What a housing-advice form holds when sent: a long answer, an address, contact details.
store::SubmissionToSeal realisticSubmission(int index) {
    store::SubmissionToSeal submission;
    submission.serviceId = "housing-advice";
    submission.formId = "housing-advice";
    submission.formVersion = 1;
    submission.language = "en";
    submission.destination = "kiosk-api";
    submission.answersJson =
        R"({"need":"homeless","safe-tonight":"yes","situation":"My landlord has asked me to leave by the end )"
        R"(of the month. I live with my two children and my mother. We have nowhere else to go.",)"
        R"("children":"yes","name":"Sam Example )" +
        std::to_string(index) +
        R"(","has-address":"yes","address":{"uprn":"900000100001","lines":["1 Acorn Way","Oakhurst"],)"
        R"("town":"Maidstone","postcode":"ME14 1AA","latitude":51.28453,"longitude":0.54211},)"
        R"("phone":"07700 900982","email":"sam@example.com"})";
    return submission;
}

void exec(sqlite3* db, const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
        const std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        throw std::runtime_error(std::string("raw SQLite: ") + sql + ": " + text);
    }
}

// The PRAGMAs OutboxStore::open sets (kiosk/store/outbox_store.cpp).
sqlite3* openRawDatabase(const std::filesystem::path& file) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK)
        throw std::runtime_error("cannot open " + file.string());
    exec(db, "PRAGMA busy_timeout = 5000");
    exec(db, "PRAGMA journal_mode = WAL");
    exec(db, "PRAGMA synchronous = FULL");
    exec(db, "PRAGMA foreign_keys = ON");
    exec(db, "PRAGMA secure_delete = ON");
    exec(db, "PRAGMA journal_size_limit = 4194304");
    exec(db, "CREATE TABLE rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
    return db;
}

std::int64_t sealedRowBytes(sqlite3* db) {
    sqlite3_stmt* query = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT length(sealed_payload) + length(request_body) + length(submission_id) + "
                       "length(reference) + length(service_id) + length(form_id) + length(language) + "
                       "length(destination) FROM submissions LIMIT 1",
                       -1, &query, nullptr);
    std::int64_t bytes = 0;
    if (query && sqlite3_step(query) == SQLITE_ROW) bytes = sqlite3_column_int64(query, 0);
    sqlite3_finalize(query);
    if (bytes <= 0) throw std::runtime_error("cannot read the size of a sealed row");
    return bytes;
}

}  // namespace

void benchSeal(const BenchOptions& options, std::vector<Figure>& figures) {
    const auto home = options.workDirectory / "seal";
    std::filesystem::remove_all(home);
    std::filesystem::create_directories(home);
    const CouncilKeys keys = makeCouncilKeys();
    store::StoreOptions storeOptions;
    storeOptions.databaseFile = home / "kiosk.db";
    storeOptions.kioskId = "bench-kiosk-1";
    storeOptions.referencePrefix = "BEN";
    auto opened = store::OutboxStore::open(storeOptions);
    if (!opened) throw std::runtime_error("cannot open the outbox: " + opened.error().message);
    auto& outbox = *opened.value();
    // The kiosk API destination, which the kiosk seals with: a sealed box and the JSON body.
    sync::DestinationRegistry destinations;
    sync::KioskApiSettings settings;
    settings.publicKeyBase64 = keys.publicKeyBase64;
    destinations.add("kiosk-api", std::make_shared<sync::KioskApiDestination>(settings));

    sqlite3* raw = openRawDatabase(home / "raw.db");
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(raw, "INSERT INTO rows (body) VALUES (?)", -1, &insert, nullptr);

    const std::int64_t nowMillis = 1'767'225'600'000;
    std::string rawBody;
    const auto sealOne = [&](int index) {
        const auto start = Clock::now();
        auto sealed = sync::sealForDestination(outbox, destinations, realisticSubmission(index), nowMillis);
        const double millis = millisSince(start);
        if (!sealed) throw std::runtime_error("sealing failed: " + sealed.error().message);
        return millis;
    };
    const auto insertOne = [&] {
        const auto start = Clock::now();
        exec(raw, "BEGIN IMMEDIATE");
        sqlite3_bind_blob(insert, 1, rawBody.data(), static_cast<int>(rawBody.size()), SQLITE_STATIC);
        if (sqlite3_step(insert) != SQLITE_DONE) throw std::runtime_error("raw insert failed");
        sqlite3_reset(insert);
        exec(raw, "COMMIT");
        return millisSince(start);
    };

    sealOne(0);
    rawBody.assign(static_cast<std::size_t>(sealedRowBytes(outbox.handle())), 'x');
    for (int i = 1; i < 20; ++i) {  // warm caches and grow both files past their first pages
        sealOne(i);
        insertOne();
    }
    const int count = options.quick ? 100 : 3000;
    std::vector<double> sealMillis, rawMillis;
    for (int i = 0; i < count; ++i) {
        sealMillis.push_back(sealOne(100 + i));
        rawMillis.push_back(insertOne());
    }
    sqlite3_finalize(insert);
    sqlite3_close_v2(raw);

    const Summary seal = summarise(sealMillis);
    const Summary plain = summarise(rawMillis);
    const std::string note = std::to_string(count) + " seals, " + std::to_string(rawBody.size()) +
                             " bytes a row, WAL + synchronous=FULL";
    Figure p50;
    p50.key = "seal.p50_ms";
    p50.label = "seal-and-commit p50";
    p50.value = seal.p50;
    p50.unit = "ms";
    p50.reference = plain.p50;
    p50.referenceLabel = "raw insert";
    figures.push_back(p50);
    Figure p99 = p50;
    p99.key = "seal.p99_ms";
    p99.label = "seal-and-commit p99";
    p99.value = seal.p99;
    p99.reference = plain.p99;
    p99.target = 3;
    p99.note = note;
    figures.push_back(p99);
}

}  // namespace kiosk::bench
