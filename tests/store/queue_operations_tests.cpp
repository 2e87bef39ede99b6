// Admin queue operations: "Try again" on a held-back form, marking forms delivered out of band
// after an export, the purge of those, the migration that brought them, and the lifecycle rules
// the schema still enforces on its own.
#include <catch2/catch.hpp>

#include "schema.h"
#include "store_test_support.h"

using namespace kiosk::store;
using namespace kiosk::store::test;

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;

struct Sealed {
    std::int64_t rowId = 0;
    std::string submissionId;
    std::string reference;
};

// Seals `count` forms a minute apart, oldest first.
std::vector<Sealed> sealForms(OutboxStore& store, int count) {
    std::vector<Sealed> forms;
    for (int i = 0; i < count; ++i) {
        auto receipt = store.sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis + i * kMinute);
        REQUIRE(receipt.ok());
        forms.push_back({0, receipt->submissionId, receipt->reference});
    }
    const auto due = store.dueForDelivery(kSealTimeMillis + count * kMinute, count);
    REQUIRE(due.size() == forms.size());
    for (std::size_t i = 0; i < due.size(); ++i) forms[i].rowId = due[i].rowId;
    return forms;
}

SubmissionRecord recordOf(OutboxStore& store, const Sealed& form) {
    auto record = store.findByReference(form.reference);
    REQUIRE(record.has_value());
    return *record;
}

}  // namespace

TEST_CASE("try again turns a held-back form into a waiting one that is due now", "[store][queue-admin]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    auto forms = sealForms(*store, 2);
    const std::int64_t heldAt = kSealTimeMillis + 10 * kMinute;
    REQUIRE(store->recordHeldBack(forms[0].rowId, "Unknown address", heldAt).ok());
    REQUIRE(store->heldBack(10).size() == 1);
    CHECK(store->heldBack(10).front().councilMessage == "Unknown address");

    const std::int64_t retryAt = heldAt + 3 * kDay;
    REQUIRE(store->retryHeldBack(forms[0].submissionId, retryAt).ok());
    const SubmissionRecord retried = recordOf(*store, forms[0]);
    CHECK(retried.state == SubmissionState::Sealed);
    CHECK(retried.nextAttemptAtMillis == retryAt);
    CHECK(retried.councilMessage.empty());
    CHECK(retried.lastError.empty());
    CHECK(retried.attempts == 1);  // the held-back attempt still counts
    CHECK(store->heldBack(10).empty());
    CHECK(store->counts().waiting == 2);
    CHECK(store->counts().heldBack == 0);
    // The stored bytes are the same ones: the council will see the same body and key again.
    const auto due = store->dueForDelivery(retryAt, 10);
    REQUIRE(due.size() == 2);
    CHECK(due[0].submissionId == forms[0].submissionId);
    CHECK(due[0].requestBody ==
          queryText(store->handle(),
                    "SELECT request_body FROM submissions WHERE id = " + std::to_string(forms[0].rowId)));
}

TEST_CASE("try again only applies to held-back forms", "[store][queue-admin]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    auto forms = sealForms(*store, 3);
    REQUIRE(store->recordDelivered(forms[1].rowId, "COUNCIL-1", kSealTimeMillis + kMinute).ok());
    REQUIRE(store->markDeliveredOutOfBand({forms[2].submissionId}, kSealTimeMillis + kMinute).ok());

    auto waiting = store->retryHeldBack(forms[0].submissionId, kSealTimeMillis);
    REQUIRE_FALSE(waiting.ok());
    CHECK(waiting.error().code == kiosk::ErrorCode::NotWaiting);
    CHECK(waiting.error().message.find(forms[0].reference) != std::string::npos);
    auto delivered = store->retryHeldBack(forms[1].submissionId, kSealTimeMillis);
    REQUIRE_FALSE(delivered.ok());
    CHECK(delivered.error().code == kiosk::ErrorCode::NotWaiting);
    auto outOfBand = store->retryHeldBack(forms[2].submissionId, kSealTimeMillis);
    REQUIRE_FALSE(outOfBand.ok());
    CHECK(outOfBand.error().code == kiosk::ErrorCode::NotWaiting);
    auto unknown = store->retryHeldBack("00000000-0000-4000-8000-000000000000", kSealTimeMillis);
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == kiosk::ErrorCode::NotFound);

    CHECK(recordOf(*store, forms[1]).state == SubmissionState::Delivered);
    CHECK(recordOf(*store, forms[2]).state == SubmissionState::DeliveredOutOfBand);
}

TEST_CASE("forms delivered out of band are final, never sent again and counted apart",
          "[store][queue-admin]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    auto forms = sealForms(*store, 4);
    const std::int64_t now = kSealTimeMillis + 10 * kMinute;
    REQUIRE(store->recordHeldBack(forms[0].rowId, "Refused", now).ok());
    REQUIRE(store->recordDelivered(forms[1].rowId, "COUNCIL-1", now).ok());

    // Held back, delivered meanwhile, and waiting: only the first and third change.
    auto marked = store->markDeliveredOutOfBand(
        {forms[0].submissionId, forms[1].submissionId, forms[2].submissionId}, now);
    REQUIRE(marked.ok());
    CHECK(*marked == 2);
    CHECK(recordOf(*store, forms[0]).state == SubmissionState::DeliveredOutOfBand);
    CHECK(recordOf(*store, forms[0]).deliveredAtMillis == now);
    CHECK(recordOf(*store, forms[1]).state == SubmissionState::Delivered);
    CHECK(recordOf(*store, forms[1]).councilReference == "COUNCIL-1");
    CHECK(recordOf(*store, forms[2]).state == SubmissionState::DeliveredOutOfBand);
    CHECK(std::string(submissionStateName(SubmissionState::DeliveredOutOfBand)) == "delivered_out_of_band");

    const QueueCounts counts = store->counts();
    CHECK(counts.waiting == 1);
    CHECK(counts.delivered == 1);
    CHECK(counts.heldBack == 0);
    CHECK(counts.deliveredOutOfBand == 2);
    const auto due = store->dueForDelivery(now + kDay, 10);
    REQUIRE(due.size() == 1);
    CHECK(due.front().submissionId == forms[3].submissionId);
    CHECK(store->makeWaitingDueNow(now).ok());
    CHECK(store->dueForDelivery(now, 10).size() == 1);

    // Marking the same bundle again is harmless.
    auto again = store->markDeliveredOutOfBand({forms[0].submissionId, forms[2].submissionId}, now + kMinute);
    REQUIRE(again.ok());
    CHECK(*again == 0);
    CHECK(recordOf(*store, forms[0]).deliveredAtMillis == now);

    // The delivery loop cannot record anything on them.
    CHECK(store->recordDelivered(forms[2].rowId, "LATE", now).error().code == kiosk::ErrorCode::NotWaiting);
    CHECK(store->recordHeldBack(forms[2].rowId, "LATE", now).error().code == kiosk::ErrorCode::NotWaiting);
    // And the schema refuses to bring them back, whatever the code says.
    sqlite3* db = store->handle();
    CHECK(executeSql(db, "UPDATE submissions SET state = 'sealed' WHERE state = 'delivered_out_of_band'") ==
          SQLITE_CONSTRAINT);
    CHECK(
        executeSql(db, "UPDATE submissions SET state = 'delivered' WHERE state = 'delivered_out_of_band'") ==
        SQLITE_CONSTRAINT);
    CHECK(
        executeSql(db, "UPDATE submissions SET state = 'delivered_out_of_band' WHERE state = 'delivered'") ==
        SQLITE_CONSTRAINT);
}

TEST_CASE("an unknown id marks nothing at all", "[store][queue-admin]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    auto forms = sealForms(*store, 1);
    auto marked = store->markDeliveredOutOfBand(
        {forms[0].submissionId, "11111111-2222-4333-8444-555555555555"}, kSealTimeMillis);
    REQUIRE_FALSE(marked.ok());
    CHECK(marked.error().code == kiosk::ErrorCode::NotFound);
    CHECK(marked.error().message.find("11111111-2222-4333-8444-555555555555") != std::string::npos);
    CHECK(recordOf(*store, forms[0]).state == SubmissionState::Sealed);
    CHECK(store->counts().deliveredOutOfBand == 0);
}

TEST_CASE("payloads of forms delivered out of band are purged after retention, held-back ones kept",
          "[store][queue-admin]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    auto forms = sealForms(*store, 3);
    const std::int64_t now = kSealTimeMillis + kMinute;
    REQUIRE(store->markDeliveredOutOfBand({forms[0].submissionId}, now).ok());
    REQUIRE(store->recordHeldBack(forms[1].rowId, "Refused", now).ok());

    auto early = store->purgeDeliveredPayloads(now + 29 * kDay, 30);
    REQUIRE(early.ok());
    CHECK(*early == 0);
    auto purged = store->purgeDeliveredPayloads(now + 30 * kDay, 30);
    REQUIRE(purged.ok());
    CHECK(*purged == 1);
    CHECK(recordOf(*store, forms[0]).payloadPurged);
    CHECK_FALSE(recordOf(*store, forms[1]).payloadPurged);
    CHECK_FALSE(recordOf(*store, forms[2]).payloadPurged);
    sqlite3* db = store->handle();
    CHECK(queryInt(db, "SELECT count(*) FROM submissions WHERE sealed_payload IS NULL") == 1);
    CHECK(queryInt(db,
                   "SELECT count(*) FROM submissions WHERE state = 'delivered_out_of_band' AND "
                   "request_body IS NULL") == 1);
}

TEST_CASE("the rebuilt table keeps every lifecycle rule", "[store][queue-admin]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    auto forms = sealForms(*store, 3);
    REQUIRE(store->recordDelivered(forms[0].rowId, "COUNCIL-1", kSealTimeMillis).ok());
    REQUIRE(store->recordHeldBack(forms[1].rowId, "Refused", kSealTimeMillis).ok());
    sqlite3* db = store->handle();
    const std::string delivered = "WHERE id = " + std::to_string(forms[0].rowId);
    const std::string held = "WHERE id = " + std::to_string(forms[1].rowId);
    const std::string waiting = "WHERE id = " + std::to_string(forms[2].rowId);

    CHECK(executeSql(db, "UPDATE submissions SET state = 'sealed' " + delivered) == SQLITE_CONSTRAINT);
    CHECK(executeSql(db, "UPDATE submissions SET state = 'held_back' " + delivered) == SQLITE_CONSTRAINT);
    CHECK(executeSql(db, "UPDATE submissions SET state = 'delivered' " + held) == SQLITE_CONSTRAINT);
    CHECK(executeSql(db, "UPDATE submissions SET state = 'lost' " + waiting) == SQLITE_CONSTRAINT);
    CHECK(executeSql(db, "UPDATE submissions SET request_body = X'00' " + waiting) == SQLITE_CONSTRAINT);
    CHECK(executeSql(db, "UPDATE submissions SET sealed_payload = X'00' " + held) == SQLITE_CONSTRAINT);
    CHECK(executeSql(db, "UPDATE submissions SET reference = 'MK1-9999-9999' " + waiting) ==
          SQLITE_CONSTRAINT);
    CHECK(executeSql(db, "UPDATE submissions SET payload_protection = 'none' " + waiting) ==
          SQLITE_CONSTRAINT);
    // Only delivered rows lose their payload or are marked purged.
    CHECK(executeSql(db, "UPDATE submissions SET sealed_payload = NULL " + waiting) == SQLITE_CONSTRAINT);
    CHECK(executeSql(db, "UPDATE submissions SET request_body = NULL " + held) == SQLITE_CONSTRAINT);
    CHECK(executeSql(db, "UPDATE submissions SET purged_at_ms = 1 " + held) == SQLITE_CONSTRAINT);
    CHECK(executeSql(db,
                     "UPDATE submissions SET sealed_payload = NULL, request_body = NULL, purged_at_ms = 1 " +
                         delivered) == SQLITE_OK);
    CHECK(queryInt(
              db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'submissions'") ==
          3);
    CHECK(queryInt(db,
                   "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'submissions' AND "
                   "name LIKE 'submissions_%'") == 3);
    CHECK(integrityCheck(db) == "ok");
}

TEST_CASE("a version 2 database migrates keeping every row, byte and state", "[store][open][migration]") {
    StoreFixture fixture;
    std::filesystem::create_directories(fixture.options.databaseFile.parent_path());
    {
        // The file as the previous release left it: one waiting, one delivered and purged,
        // one held back with its payload.
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(fixture.options.databaseFile.c_str(), &db) == SQLITE_OK);
        REQUIRE(applyMigrations(db, 2).ok());
        REQUIRE(
            executeSql(
                db,
                "INSERT INTO submissions (submission_id, reference, reference_sequence, service_id, form_id, "
                "form_version, language, destination, assisted, volunteer_id, created_at_ms, state, "
                "sealed_payload, request_body, attempts, next_attempt_at_ms, last_error, last_error_at_ms, "
                "payload_protection) VALUES "
                "('a0000000-0000-4000-8000-000000000001', 'MK1-0000-0011', 1, 'missed-bin', 'missed-bin', 1, "
                "'en', 'kiosk-api', 0, NULL, 1000, 'sealed', X'0102', X'7B7D', 2, 5000, 'HTTP 503', 4000, "
                "'sealed_to_council'), "
                "('a0000000-0000-4000-8000-000000000002', 'MK1-0000-0022', 2, 'fly-tipping', 'fly-tipping', "
                "2, "
                "'cy', 'kiosk-api', 1, 'vol-7', 2000, 'held_back', X'0304', X'7B2278223A317D', 1, 2000, "
                "'Held back', 3000, 'none')") == SQLITE_OK);
        REQUIRE(executeSql(
                    db,
                    "INSERT INTO submissions (submission_id, reference, reference_sequence, service_id, "
                    "form_id, form_version, language, destination, assisted, created_at_ms, state, "
                    "sealed_payload, request_body, next_attempt_at_ms) VALUES "
                    "('a0000000-0000-4000-8000-000000000003', 'MK1-0000-0033', 3, 'bulky-waste', "
                    "'bulky-waste', 1, 'en', 'kiosk-api', 0, 3000, 'sealed', X'05', X'06', 3000); "
                    "UPDATE submissions SET state = 'delivered', council_reference = 'C-9', "
                    "delivered_at_ms = 4000 WHERE reference_sequence = 3; "
                    "UPDATE submissions SET sealed_payload = NULL, request_body = NULL, purged_at_ms = 9000 "
                    "WHERE reference_sequence = 3; "
                    "UPDATE submissions SET council_message = 'No such street' WHERE reference_sequence = 2; "
                    "UPDATE reference_sequence SET next_value = 4") == SQLITE_OK);
        sqlite3_close(db);
    }
    std::string before;
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(fixture.options.databaseFile.c_str(), &db) == SQLITE_OK);
        before = queryText(
            db,
            "SELECT group_concat(quote(id) || quote(submission_id) || quote(reference) || "
            "quote(reference_sequence) || quote(service_id) || quote(form_id) || quote(form_version) || "
            "quote(language) || quote(destination) || quote(assisted) || quote(volunteer_id) || "
            "quote(created_at_ms) || quote(state) || quote(sealed_payload) || quote(request_body) || "
            "quote(attempts) || quote(next_attempt_at_ms) || quote(last_error) || "
            "quote(last_error_at_ms) || quote(council_reference) || quote(council_message) || "
            "quote(delivered_at_ms) || quote(held_back_at_ms) || quote(purged_at_ms) || "
            "quote(payload_protection), '|') FROM (SELECT * FROM submissions ORDER BY id)");
        sqlite3_close(db);
    }
    REQUIRE_FALSE(before.empty());

    auto store = fixture.openStore();
    sqlite3* db = store->handle();
    CHECK(queryInt(db, "PRAGMA user_version") == OutboxStore::latestSchemaVersion());
    const std::string after = queryText(
        db,
        "SELECT group_concat(quote(id) || quote(submission_id) || quote(reference) || "
        "quote(reference_sequence) || quote(service_id) || quote(form_id) || quote(form_version) || "
        "quote(language) || quote(destination) || quote(assisted) || quote(volunteer_id) || "
        "quote(created_at_ms) || quote(state) || quote(sealed_payload) || quote(request_body) || "
        "quote(attempts) || quote(next_attempt_at_ms) || quote(last_error) || "
        "quote(last_error_at_ms) || quote(council_reference) || quote(council_message) || "
        "quote(delivered_at_ms) || quote(held_back_at_ms) || quote(purged_at_ms) || "
        "quote(payload_protection), '|') FROM (SELECT * FROM submissions ORDER BY id)");
    CHECK(after == before);
    CHECK(integrityCheck(db) == "ok");
    CHECK(queryInt(db, "PRAGMA foreign_keys") == 1);  // turned back on after the rebuild

    // The old rules hold on the migrated rows, and the new operations work on them.
    CHECK(executeSql(db, "UPDATE submissions SET state = 'sealed' WHERE reference_sequence = 3") ==
          SQLITE_CONSTRAINT);
    CHECK(executeSql(db, "UPDATE submissions SET request_body = X'00' WHERE reference_sequence = 1") ==
          SQLITE_CONSTRAINT);
    REQUIRE(store->retryHeldBack("a0000000-0000-4000-8000-000000000002", 10'000).ok());
    CHECK(store->dueForDelivery(10'000, 10).size() == 2);
    auto marked = store->markDeliveredOutOfBand({"a0000000-0000-4000-8000-000000000001"}, 11'000);
    REQUIRE(marked.ok());
    CHECK(*marked == 1);
    CHECK(store->counts().deliveredOutOfBand == 1);
    auto sealed = store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis);
    REQUIRE(sealed.ok());
    CHECK(queryInt(db, "SELECT max(reference_sequence) FROM submissions") == 4);
}
