// Opening the store: connection settings read back from SQLite, schema version, reopening.
#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <string>
#include <vector>

#include "schema.h"
#include "store_test_support.h"

using namespace kiosk::store;
using namespace kiosk::store::test;

TEST_CASE("open creates the data directory and sets every connection PRAGMA", "[store][open]") {
    StoreFixture fixture;
    REQUIRE_FALSE(std::filesystem::exists(fixture.options.databaseFile.parent_path()));
    auto store = fixture.openStore();
    CHECK(std::filesystem::exists(fixture.options.databaseFile));

    sqlite3* db = store->handle();
    CHECK(queryText(db, "PRAGMA journal_mode") == "wal");
    CHECK(queryInt(db, "PRAGMA synchronous") == 2);
    CHECK(queryInt(db, "PRAGMA foreign_keys") == 1);
    CHECK(queryInt(db, "PRAGMA secure_delete") == 1);
    CHECK(queryInt(db, "PRAGMA busy_timeout") == 5000);
    CHECK(queryInt(db, "PRAGMA journal_size_limit") == 4 * 1024 * 1024);
}

TEST_CASE("an outcomes connection commits with NORMAL but seals with FULL", "[store][open]") {
    StoreFixture fixture;
    fixture.options.durability = Durability::Outcomes;
    auto store = fixture.openStore();
    sqlite3* db = store->handle();
    CHECK(queryText(db, "PRAGMA journal_mode") == "wal");
    CHECK(queryInt(db, "PRAGMA synchronous") == 1);

    // Sealing switches to FULL for its transaction; a trace of the statements shows it.
    std::vector<std::string> statements;
    sqlite3_trace_v2(
        db, SQLITE_TRACE_STMT,
        [](unsigned, void* context, void* statement, void*) {
            auto* seen = static_cast<std::vector<std::string>*>(context);
            char* sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt*>(statement));
            if (sql) seen->push_back(sql);
            sqlite3_free(sql);
            return 0;
        },
        &statements);
    REQUIRE(store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis));
    sqlite3_trace_v2(db, 0, nullptr, nullptr);
    const auto position = [&](const std::string& sql) {
        return std::find(statements.begin(), statements.end(), sql) - statements.begin();
    };
    const auto full = position("PRAGMA synchronous = FULL");
    const auto commit = position("COMMIT");
    CHECK(full < commit);
    CHECK(commit < static_cast<long>(statements.size()));
    CHECK(queryInt(db, "PRAGMA synchronous") == 1);  // back to NORMAL afterwards
}

TEST_CASE("a new database is migrated to the latest schema version", "[store][open]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    // The outbox, the payload protection, help sessions and usage counts, the admin queue
    // operations, then staff accounts, the audit log and hub settings.
    CHECK(OutboxStore::latestSchemaVersion() == 6);
    CHECK(queryInt(store->handle(), "PRAGMA user_version") == OutboxStore::latestSchemaVersion());
    CHECK(
        queryInt(store->handle(),
                 "SELECT count(*) FROM pragma_table_info('submissions') WHERE name = 'payload_protection'") ==
        1);
    CHECK(queryInt(store->handle(),
                   "SELECT count(*) FROM sqlite_schema WHERE name IN "
                   "('submissions', 'reference_sequence', 'kiosk_meta', 'submissions_due')") == 4);
    CHECK(queryInt(store->handle(), "SELECT next_value FROM reference_sequence") == 1);
    CHECK(integrityCheck(store->handle()) == "ok");
}

TEST_CASE("reopening a migrated database keeps its data and version", "[store][open]") {
    StoreFixture fixture;
    std::string reference;
    {
        auto store = fixture.openStore();
        auto sealed = store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis);
        REQUIRE(sealed.ok());
        reference = sealed->reference;
    }
    auto store = fixture.openStore();
    CHECK(queryInt(store->handle(), "PRAGMA user_version") == OutboxStore::latestSchemaVersion());
    CHECK(store->counts().waiting == 1);
    REQUIRE(store->findByReference(reference).has_value());
}

TEST_CASE("a database from a newer build is refused without being changed", "[store][open]") {
    StoreFixture fixture;
    {
        auto store = fixture.openStore();
        std::string sql = "PRAGMA user_version = " + std::to_string(OutboxStore::latestSchemaVersion() + 1);
        REQUIRE(sqlite3_exec(store->handle(), sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    }
    auto reopened = OutboxStore::open(fixture.options);
    REQUIRE_FALSE(reopened.ok());
    CHECK(reopened.error().code == kiosk::ErrorCode::SchemaTooNew);
}

TEST_CASE("a data directory that cannot be created is an error value", "[store][open]") {
    StoreFixture fixture;
    // A regular file where the directory should be: fails even for root, unlike permissions.
    auto blocker = fixture.directory.path() / "blocked";
    { std::ofstream(blocker) << "not a directory"; }
    StoreOptions options = fixture.options;
    options.databaseFile = blocker / "kiosk.db";
    auto opened = OutboxStore::open(options);
    REQUIRE_FALSE(opened.ok());
    CHECK(opened.error().code == kiosk::ErrorCode::IoError);
}

TEST_CASE("a version 1 database migrates: its waiting forms keep their bytes and are sealed to the council",
          "[store][open][migration]") {
    StoreFixture fixture;
    std::filesystem::create_directories(fixture.options.databaseFile.parent_path());
    // The file as a kiosk before destinations left it, with one form waiting.
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(fixture.options.databaseFile.c_str(), &db) == SQLITE_OK);
        REQUIRE(applyMigrations(db, 1).ok());
        REQUIRE(queryInt(db, "PRAGMA user_version") == 1);
        REQUIRE(
            executeSql(db,
                       "INSERT INTO submissions (submission_id, reference, reference_sequence, service_id, "
                       "form_id, form_version, language, destination, assisted, created_at_ms, "
                       "sealed_payload, request_body, next_attempt_at_ms) VALUES ('6f1c2b1e-0d8a-4c52-9b7e-"
                       "3f0a1d2c4e5f', 'MK1-0000-0011', 1, 'missed-bin', 'missed-bin', 1, 'en', 'kiosk-api', "
                       "0, 1000, X'0102', X'7B7D', 1000); "
                       "UPDATE reference_sequence SET next_value = 2") == SQLITE_OK);
        sqlite3_close(db);
    }

    auto store = fixture.openStore();
    sqlite3* db = store->handle();
    CHECK(queryInt(db, "PRAGMA user_version") == OutboxStore::latestSchemaVersion());
    CHECK(queryText(db, "SELECT payload_protection FROM submissions") == "sealed_to_council");
    const auto due = store->dueForDelivery(1000, 10);
    REQUIRE(due.size() == 1);
    CHECK(due.front().requestBody == "{}");
    CHECK(due.front().destination == "kiosk-api");
    CHECK(due.front().protection == PayloadProtection::SealedToCouncil);
    // The protection is sealed content too: it cannot be changed afterwards.
    CHECK(executeSql(db, "UPDATE submissions SET payload_protection = 'none'") == SQLITE_CONSTRAINT);
    CHECK(integrityCheck(db) == "ok");

    // New seals continue from the old counter.
    auto sealed = store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis);
    REQUIRE(sealed.ok());
    CHECK(queryInt(db, "SELECT max(reference_sequence) FROM submissions") == 2);
}
