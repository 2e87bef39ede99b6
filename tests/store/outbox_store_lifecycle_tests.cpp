// After sealing: delivery queue order, retry scheduling, delivered and held-back transitions,
// status queries, and the retention purge of delivered payloads.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "store_test_support.h"

using namespace kiosk::store;
using namespace kiosk::store::test;

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;

// Seals `count` submissions a minute apart; returns their row ids in sealing order.
std::vector<std::int64_t> sealSeveral(OutboxStore& store, int count) {
    std::vector<std::int64_t> rowIds;
    for (int i = 0; i < count; ++i) {
        REQUIRE(store.sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis + i * kMinute).ok());
    }
    for (const auto& item : store.dueForDelivery(kSealTimeMillis + count * kMinute, count)) {
        rowIds.push_back(item.rowId);
    }
    REQUIRE(rowIds.size() == static_cast<size_t>(count));
    return rowIds;
}

std::vector<std::int64_t> dueRowIds(OutboxStore& store, std::int64_t now, int limit = 100) {
    std::vector<std::int64_t> rowIds;
    for (const auto& item : store.dueForDelivery(now, limit)) rowIds.push_back(item.rowId);
    return rowIds;
}

}  // namespace

TEST_CASE("due items come oldest first and honour the limit and their seal time", "[store][queue]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    auto rows = sealSeveral(*store, 4);
    CHECK(rows[0] < rows[1]);
    CHECK(dueRowIds(*store, kSealTimeMillis + 10 * kMinute, 2) ==
          std::vector<std::int64_t>{rows[0], rows[1]});
    // At the second seal's time only the first two exist as due.
    CHECK(dueRowIds(*store, kSealTimeMillis + kMinute) == std::vector<std::int64_t>{rows[0], rows[1]});
    CHECK(dueRowIds(*store, kSealTimeMillis - 1).empty());
    CHECK(store->dueForDelivery(kSealTimeMillis, 0).empty());
}

TEST_CASE("a retry counts the attempt and hides the item until its next attempt time", "[store][queue]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    auto rows = sealSeveral(*store, 3);
    const std::int64_t now = kSealTimeMillis + 5 * kMinute;
    const std::int64_t retryAt = now + 2 * kMinute;

    REQUIRE(store->recordRetry(rows[0], retryAt, "HTTP 503", now).ok());
    CHECK(dueRowIds(*store, now) == std::vector<std::int64_t>{rows[1], rows[2]});
    CHECK(store->nextAttemptAtMillis() == kSealTimeMillis + kMinute);  // rows[1] is the earliest waiting
    CHECK(dueRowIds(*store, retryAt) == std::vector<std::int64_t>{rows[0], rows[1], rows[2]});
    CHECK(store->lastError() == "HTTP 503");

    REQUIRE(store->recordRetry(rows[0], retryAt + kMinute, "timeout", now + kMinute).ok());
    auto due = store->dueForDelivery(retryAt + kMinute, 1);
    REQUIRE(due.size() == 1);
    CHECK(due.front().rowId == rows[0]);
    CHECK(due.front().attempts == 2);
    CHECK(store->lastError() == "timeout");
    CHECK(store->counts().waiting == 3);

    REQUIRE(store->recordDelivered(rows[1], "CASE-1", now).ok());
    REQUIRE(store->recordDelivered(rows[2], "CASE-2", now).ok());
    CHECK(store->nextAttemptAtMillis() == retryAt + kMinute);
    REQUIRE(store->recordDelivered(rows[0], "CASE-0", now).ok());
    CHECK_FALSE(store->nextAttemptAtMillis().has_value());
}

TEST_CASE("sync now makes every waiting item due without touching delivered ones", "[store][queue]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    auto rows = sealSeveral(*store, 3);
    const std::int64_t now = kSealTimeMillis + 5 * kMinute;
    REQUIRE(store->recordRetry(rows[0], now + 10 * kMinute, "HTTP 503", now).ok());
    REQUIRE(store->recordRetry(rows[1], now + 20 * kMinute, "HTTP 503", now).ok());
    REQUIRE(store->recordDelivered(rows[2], "SDC-1", now).ok());
    CHECK(dueRowIds(*store, now).empty());

    auto rescheduled = store->makeWaitingDueNow(now);
    REQUIRE(rescheduled.ok());
    CHECK(*rescheduled == 2);
    CHECK(dueRowIds(*store, now) == std::vector<std::int64_t>{rows[0], rows[1]});
    CHECK(store->counts().delivered == 1);
}

TEST_CASE("delivery stores the council reference and is final", "[store][lifecycle]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    auto rows = sealSeveral(*store, 1);
    const std::int64_t now = kSealTimeMillis + kMinute;
    REQUIRE(store->recordDelivered(rows[0], "BIN-2026-0042", now).ok());

    auto records = store->submissions(10);
    REQUIRE(records.size() == 1);
    CHECK(records[0].state == SubmissionState::Delivered);
    CHECK(records[0].councilReference == "BIN-2026-0042");
    CHECK(records[0].deliveredAtMillis == now);
    CHECK(records[0].attempts == 1);
    CHECK_FALSE(records[0].payloadPurged);
    CHECK(store->dueForDelivery(now + kDay, 10).empty());
    CHECK(store->counts().waiting == 0);
    CHECK(store->counts().delivered == 1);
    CHECK(store->counts().oldestWaitingCreatedAtMillis == 0);

    SECTION("recording the same delivery again changes nothing") {
        REQUIRE(store->recordDelivered(rows[0], "BIN-2026-0042", now + kMinute).ok());
        CHECK(store->submissions(1)[0].deliveredAtMillis == now);
        CHECK(store->submissions(1)[0].attempts == 1);
    }
    SECTION("a late retry or hold-back cannot reopen it") {
        auto retry = store->recordRetry(rows[0], now + kMinute, "HTTP 500", now);
        REQUIRE_FALSE(retry.ok());
        CHECK(retry.error().code == kiosk::ErrorCode::NotWaiting);
        auto heldBack = store->recordHeldBack(rows[0], "rejected", now);
        REQUIRE_FALSE(heldBack.ok());
        CHECK(heldBack.error().code == kiosk::ErrorCode::NotWaiting);
        CHECK(store->submissions(1)[0].state == SubmissionState::Delivered);
    }
    SECTION("the database itself refuses to move it back to sealed") {
        CHECK(executeSql(store->handle(), "UPDATE submissions SET state = 'sealed'") == SQLITE_CONSTRAINT);
        CHECK(queryText(store->handle(), "SELECT state FROM submissions") == "delivered");
    }
    SECTION("an unknown row is reported") {
        auto missing = store->recordDelivered(rows[0] + 100, "X", now);
        REQUIRE_FALSE(missing.ok());
        CHECK(missing.error().code == kiosk::ErrorCode::NotFound);
    }
}

TEST_CASE("a held-back submission keeps the council's message and does not block the queue",
          "[store][lifecycle]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    auto rows = sealSeveral(*store, 3);
    const std::int64_t now = kSealTimeMillis + 10 * kMinute;
    REQUIRE(store->recordHeldBack(rows[0], "Postcode is outside our area", now).ok());

    CHECK(dueRowIds(*store, now) == std::vector<std::int64_t>{rows[1], rows[2]});
    auto counts = store->counts();
    CHECK(counts.waiting == 2);
    CHECK(counts.heldBack == 1);
    CHECK(counts.oldestWaitingCreatedAtMillis == kSealTimeMillis + kMinute);

    auto record = store->submissions(10).back();  // newest first: the oldest is last
    CHECK(record.state == SubmissionState::HeldBack);
    CHECK(record.councilMessage == "Postcode is outside our area");
    // The council's words may quote the resident; the error shown in status views does not.
    CHECK(store->lastError() == "Held back: the council will not accept this submission.");

    REQUIRE(store->recordHeldBack(rows[0], "Postcode is outside our area", now).ok());  // repeat is harmless
    auto delivered = store->recordDelivered(rows[0], "X", now);
    REQUIRE_FALSE(delivered.ok());
    CHECK(delivered.error().code == kiosk::ErrorCode::NotWaiting);
}

TEST_CASE("submissions are listed newest first and found by reference as typed back", "[store][lifecycle]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    std::vector<std::string> references;
    for (int i = 0; i < 3; ++i) {
        auto sealed = store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis + i);
        REQUIRE(sealed.ok());
        references.push_back(sealed->reference);
    }
    auto records = store->submissions(2);
    REQUIRE(records.size() == 2);
    CHECK(records[0].reference == references[2]);
    CHECK(records[1].reference == references[1]);
    CHECK(records[0].serviceId == "missed-bin");
    CHECK(records[0].formVersion == 3);
    CHECK(records[0].destination == "kiosk-api");

    auto found = store->findByReference(references[1]);
    REQUIRE(found.has_value());
    CHECK(found->createdAtMillis == kSealTimeMillis + 1);

    // What an officer might type: lower case, spaces instead of hyphens.
    std::string typed;
    for (char c : references[1]) typed += c == '-' ? ' ' : static_cast<char>(std::tolower(c));
    auto typedFound = store->findByReference(typed);
    REQUIRE(typedFound.has_value());
    CHECK(typedFound->reference == references[1]);

    CHECK_FALSE(store->findByReference("MK1-ZZZZ-ZZZ").has_value());
}

TEST_CASE("the purge removes delivered payloads after retention and leaves the rest",
          "[store][purge][privacy]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    auto rows = sealSeveral(*store, 4);
    const std::int64_t deliveredAt = kSealTimeMillis + kDay;
    REQUIRE(store->recordDelivered(rows[0], "OLD", deliveredAt).ok());
    REQUIRE(store->recordDelivered(rows[1], "RECENT", deliveredAt + 20 * kDay).ok());
    REQUIRE(store->recordHeldBack(rows[2], "Refused", deliveredAt).ok());
    // rows[3] stays sealed.

    // The distinctive bytes of the payload that must go: its raw sealed box and its base64.
    std::string oldCiphertext;
    std::string oldBody;
    {
        sqlite3_stmt* stmt = nullptr;
        REQUIRE(sqlite3_prepare_v2(store->handle(),
                                   "SELECT sealed_payload, request_body FROM submissions WHERE id = ?", -1,
                                   &stmt, nullptr) == SQLITE_OK);
        sqlite3_bind_int64(stmt, 1, rows[0]);
        REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
        oldCiphertext.assign(static_cast<const char*>(sqlite3_column_blob(stmt, 0)),
                             sqlite3_column_bytes(stmt, 0));
        oldBody.assign(static_cast<const char*>(sqlite3_column_blob(stmt, 1)), sqlite3_column_bytes(stmt, 1));
        sqlite3_finalize(stmt);
    }
    const std::string oldBase64 =
        nlohmann::json::parse(oldBody).at("payload").at("ciphertext").get<std::string>();
    REQUIRE(sqlite3_wal_checkpoint_v2(store->handle(), nullptr, SQLITE_CHECKPOINT_FULL, nullptr, nullptr) ==
            SQLITE_OK);
    REQUIRE(databaseFilesContain(fixture.options.databaseFile, oldBase64));
    REQUIRE(databaseFilesContain(fixture.options.databaseFile, oldCiphertext));

    auto purged = store->purgeDeliveredPayloads(deliveredAt + 30 * kDay, 30);
    REQUIRE(purged.ok());
    CHECK(*purged == 1);

    sqlite3* db = store->handle();
    CHECK(queryInt(db, "SELECT count(*) FROM submissions WHERE sealed_payload IS NULL") == 1);
    CHECK(queryInt(db, "SELECT count(*) FROM submissions WHERE request_body IS NULL") == 1);
    CHECK(queryText(db, "SELECT council_reference FROM submissions WHERE purged_at_ms IS NOT NULL") == "OLD");
    CHECK(store->submissions(10).back().payloadPurged);
    CHECK(store->findByReference(store->submissions(10).back().reference).has_value());
    // Held-back and waiting rows keep their payloads; the waiting one is still deliverable.
    CHECK(queryInt(
              db,
              "SELECT count(*) FROM submissions WHERE state <> 'delivered' AND sealed_payload IS NOT NULL") ==
          2);
    CHECK(dueRowIds(*store, deliveredAt + 30 * kDay) == std::vector<std::int64_t>{rows[3]});

    // secure_delete zeroed the freed bytes, and the purge truncated the WAL: no copy remains.
    CHECK_FALSE(databaseFilesContain(fixture.options.databaseFile, oldBase64));
    CHECK_FALSE(databaseFilesContain(fixture.options.databaseFile, oldCiphertext));
    CHECK(integrityCheck(db) == "ok");

    SECTION("purging again finds nothing new; the recent delivery goes when its time comes") {
        CHECK(*store->purgeDeliveredPayloads(deliveredAt + 30 * kDay, 30) == 0);
        CHECK(*store->purgeDeliveredPayloads(deliveredAt + 50 * kDay, 30) == 1);
        CHECK(queryInt(db, "SELECT count(*) FROM submissions WHERE purged_at_ms IS NOT NULL") == 2);
    }
    SECTION("the database refuses to purge a held-back payload") {
        CHECK(executeSql(db,
                         "UPDATE submissions SET sealed_payload = NULL, request_body = NULL "
                         "WHERE state = 'held_back'") == SQLITE_CONSTRAINT);
    }
}
