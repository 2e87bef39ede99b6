// Sealing: one row per seal, the request body the council receives, encryption to the
// council key, no plaintext on disk, and references that never repeat.
#include <catch2/catch.hpp>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <thread>

#include "store_test_support.h"

using namespace kiosk::store;
using namespace kiosk::store::test;

namespace {

std::string storedRequestBody(OutboxStore& store) {
    auto due = store.dueForDelivery(kSealTimeMillis, 10);
    REQUIRE(due.size() == 1);
    return due.front().requestBody;
}

}  // namespace

TEST_CASE("sealing writes exactly one sealed row", "[store][seal]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    auto sealed = store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis);
    REQUIRE(sealed.ok());

    sqlite3* db = store->handle();
    CHECK(queryInt(db, "SELECT count(*) FROM submissions") == 1);
    CHECK(queryText(db, "SELECT state FROM submissions") == "sealed");
    CHECK(queryText(db, "SELECT reference FROM submissions") == sealed->reference);
    CHECK(queryText(db, "SELECT submission_id FROM submissions") == sealed->submissionId);
    CHECK(queryInt(db, "SELECT next_attempt_at_ms FROM submissions") == kSealTimeMillis);
    CHECK(queryInt(db, "SELECT attempts FROM submissions") == 0);
    CHECK(queryInt(db, "SELECT next_value FROM reference_sequence") == 2);

    auto counts = store->counts();
    CHECK(counts.waiting == 1);
    CHECK(counts.delivered == 0);
    CHECK(counts.oldestWaitingCreatedAtMillis == kSealTimeMillis);
}

TEST_CASE("the submission id is a random RFC 4122 version 4 UUID", "[store][seal]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    const std::regex uuidV4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    std::set<std::string> ids;
    for (int i = 0; i < 50; ++i) {
        auto sealed = store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis + i);
        REQUIRE(sealed.ok());
        CHECK(std::regex_match(sealed->submissionId, uuidV4));
        ids.insert(sealed->submissionId);
    }
    CHECK(ids.size() == 50);
}

TEST_CASE("the encoder gets the allocated id, reference and metadata and its bytes are kept as they are",
          "[store][seal]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    auto submission = sampleSubmission();
    std::optional<SealContext> seen;
    EncodedPayload produced;
    const PayloadEncoder recording = [&](const SealContext& context) -> kiosk::Result<EncodedPayload> {
        seen.emplace(context);
        CHECK(&context.submission == &submission);  // the caller's answers, read in place
        auto encoded = testEncoder()(context);
        produced = encoded.value();
        return encoded;
    };
    auto sealed = store->sealSubmission(submission, recording, kSealTimeMillis);
    REQUIRE(sealed.ok());
    REQUIRE(seen.has_value());
    CHECK(seen->submissionId == sealed->submissionId);
    CHECK(seen->reference == sealed->reference);
    CHECK(seen->kioskId == "test-kiosk-01");
    CHECK(seen->createdAtMillis == kSealTimeMillis);

    CHECK(storedRequestBody(*store) == produced.requestBody);
    auto body = nlohmann::json::parse(storedRequestBody(*store));
    CHECK(body.at("submissionId") == sealed->submissionId);
    CHECK(body.at("serviceId") == "missed-bin");
    CHECK(body.at("formId") == "missed-bin-report");
    CHECK(body.at("formVersion") == 3);
    CHECK(body.at("language") == "en");

    auto ciphertext = base64Decode(body.at("payload").at("ciphertext").get<std::string>());
    CHECK(openSealedBox(ciphertext, fixture.council) == submission.answersJson);
    // The blob column holds the encoder's sealed payload byte for byte.
    CHECK(queryInt(store->handle(), "SELECT length(sealed_payload) FROM submissions") ==
          static_cast<std::int64_t>(produced.sealedPayload.size()));
    CHECK(databaseFilesContain(fixture.options.databaseFile, produced.sealedPayload));
    CHECK(queryText(store->handle(), "SELECT payload_protection FROM submissions") == "sealed_to_council");
    CHECK(queryText(store->handle(), "SELECT destination FROM submissions") == "kiosk-api");
    const auto due = store->dueForDelivery(kSealTimeMillis, 1);
    REQUIRE(due.size() == 1);
    CHECK(due.front().destination == "kiosk-api");
    CHECK(due.front().protection == PayloadProtection::SealedToCouncil);

    // Another key pair cannot open it: it really is sealed to the configured council key.
    CHECK(openSealedBox(ciphertext, makeCouncilKeyPair()).empty());
}

TEST_CASE("the store records the protection the encoder names", "[store][seal]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    for (auto protection : {PayloadProtection::None, PayloadProtection::DeviceKey}) {
        const PayloadEncoder plain = [&](const SealContext& context) -> kiosk::Result<EncodedPayload> {
            return EncodedPayload{"body-" + context.reference, "kept-" + context.reference, protection};
        };
        auto sealed = store->sealSubmission(sampleSubmission(), plain, kSealTimeMillis);
        REQUIRE(sealed.ok());
        const auto due = store->dueForDelivery(kSealTimeMillis, 10);
        REQUIRE_FALSE(due.empty());
        CHECK(due.back().protection == protection);
        CHECK(due.back().requestBody == "body-" + sealed->reference);
    }
    CHECK(queryText(store->handle(), "SELECT group_concat(payload_protection, ',') FROM submissions") ==
          "none,device_key");
}

TEST_CASE("an assisted submission names its volunteer", "[store][seal]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    auto submission = sampleSubmission();
    submission.assisted = true;
    submission.volunteerId = "vol-17";
    REQUIRE(store->sealSubmission(submission, testEncoder(), kSealTimeMillis).ok());
    auto body = nlohmann::json::parse(storedRequestBody(*store));
    CHECK(body.at("assisted") == true);
    CHECK(body.at("volunteerId") == "vol-17");
    auto records = store->submissions(1);
    REQUIRE(records.size() == 1);
    CHECK(records.front().assisted);
}

TEST_CASE("the request body is the same bytes on every read", "[store][seal]") {
    StoreFixture fixture;
    std::string first;
    {
        auto store = fixture.openStore();
        REQUIRE(store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis).ok());
        first = storedRequestBody(*store);
    }
    auto store = fixture.openStore();
    CHECK(storedRequestBody(*store) == first);
}

TEST_CASE("the answers in plain text never reach the database files", "[store][seal][privacy]") {
    StoreFixture fixture;
    const std::string marker = "Zebedee-Quartermaine-9Q7";
    auto store = fixture.openStore();
    REQUIRE(store->sealSubmission(sampleSubmission(marker), testEncoder(), kSealTimeMillis).ok());

    // Before a checkpoint the row is only in the WAL; after one it is in the main file too.
    CHECK_FALSE(databaseFilesContain(fixture.options.databaseFile, marker));
    REQUIRE(sqlite3_wal_checkpoint_v2(store->handle(), nullptr, SQLITE_CHECKPOINT_FULL, nullptr, nullptr) ==
            SQLITE_OK);
    CHECK_FALSE(databaseFilesContain(fixture.options.databaseFile, marker));
    // The check can fail: the reference, which is stored in clear, is found by the same scan.
    auto reference = store->submissions(1).front().reference;
    CHECK(databaseFilesContain(fixture.options.databaseFile, reference));
}

TEST_CASE("references are unique across 1000 seals and across reopening", "[store][seal][reference]") {
    StoreFixture fixture;
    std::set<std::string> references;
    for (int round = 0; round < 2; ++round) {
        auto store = fixture.openStore();
        for (int i = 0; i < 500; ++i) {
            auto sealed = store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis + i);
            REQUIRE(sealed.ok());
            CHECK(sealed->reference.rfind("MK1", 0) == 0);
            references.insert(sealed->reference);
        }
    }
    CHECK(references.size() == 1000);
    auto store = fixture.openStore();
    CHECK(queryInt(store->handle(), "SELECT count(DISTINCT reference) FROM submissions") == 1000);
}

TEST_CASE("two connections on one file sealing alternately never share a reference",
          "[store][seal][reference]") {
    StoreFixture fixture;
    auto first = fixture.openStore();
    auto second = fixture.openStore();
    std::set<std::string> references;
    for (int i = 0; i < 100; ++i) {
        auto& store = (i % 2 == 0) ? first : second;
        auto sealed = store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis + i);
        REQUIRE(sealed.ok());
        references.insert(sealed->reference);
    }
    CHECK(references.size() == 100);
    CHECK(first->counts().waiting == 100);
    CHECK(second->counts().waiting == 100);
}

TEST_CASE("two threads with their own stores seal concurrently without losing a row",
          "[store][seal][reference]") {
    StoreFixture fixture;
    fixture.openStore();  // migrate once up front; both threads then only seal
    constexpr int kPerThread = 150;
    std::vector<std::string> referencesA, referencesB;
    std::vector<std::string> errors;
    std::mutex errorsMutex;
    auto worker = [&](std::vector<std::string>& out) {
        auto opened = OutboxStore::open(fixture.options);
        if (!opened) {
            std::lock_guard lock(errorsMutex);
            errors.push_back(errorCodeName(opened.error().code));
            return;
        }
        for (int i = 0; i < kPerThread; ++i) {
            auto sealed = (*opened)->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis + i);
            if (!sealed) {
                std::lock_guard lock(errorsMutex);
                errors.push_back(errorCodeName(sealed.error().code));
                continue;
            }
            out.push_back(sealed->reference);
        }
    };
    std::thread a(worker, std::ref(referencesA));
    std::thread b(worker, std::ref(referencesB));
    a.join();
    b.join();

    CHECK(errors.empty());
    std::set<std::string> all(referencesA.begin(), referencesA.end());
    all.insert(referencesB.begin(), referencesB.end());
    CHECK(all.size() == 2 * kPerThread);
    auto store = fixture.openStore();
    CHECK(store->counts().waiting == 2 * kPerThread);
}
