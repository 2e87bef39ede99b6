// HelpLog: recording help sessions, validation, the delivery lifecycle with its idempotent
// outcomes, the exact bytes kept, counts by topic, and the migration from a version 2 database.
#include <catch2/catch.hpp>
#include <functional>
#include <nlohmann/json.hpp>

#include "schema.h"
#include "store/help_log.h"
#include "store_test_support.h"

using namespace kiosk::store;
using namespace kiosk::store::test;

namespace {

HelpSessionToRecord sampleHelpSession(const std::string& topic = "universal-credit") {
    HelpSessionToRecord session;
    session.volunteerId = "stf-3f9a1c2b7d0e";
    session.topic = topic;
    session.minutes = 25;
    session.outcome = "partly_done";
    session.language = "pl";
    return session;
}

std::unique_ptr<HelpLog> openHelpLog(const StoreFixture& fixture) {
    auto opened = HelpLog::open(fixture.options);
    INFO((opened ? std::string() : opened.error().message));
    REQUIRE(opened.ok());
    return std::move(opened.value());
}

}  // namespace

TEST_CASE("a recorded help session waits with the exact body every attempt will send", "[store][help]") {
    StoreFixture fixture;
    auto helpLog = openHelpLog(fixture);
    auto recorded = helpLog->record(sampleHelpSession(), kSealTimeMillis);
    REQUIRE(recorded.ok());
    const std::string id = recorded.value();
    CHECK(id.size() == 36);
    CHECK(id[14] == '4');  // UUID version 4

    const auto due = helpLog->due(kSealTimeMillis, 10);
    REQUIRE(due.size() == 1);
    CHECK(due.front().helpSessionId == id);
    CHECK(due.front().attempts == 0);
    CHECK(
        due.front().requestBody ==
        R"({"helpSessionId":")" + id +
            R"(","kioskId":"test-kiosk-01","language":"pl","minutes":25,"outcome":"partly_done",)"
            R"("recordedAt":"2026-11-25T10:15:00Z","topic":"universal-credit","volunteerId":"stf-3f9a1c2b7d0e"})");

    // A retry resends the same bytes: nothing rewrites them.
    REQUIRE(helpLog->recordRetry(due.front().rowId, kSealTimeMillis + 5000, "HTTP 503", kSealTimeMillis));
    const auto again = helpLog->due(kSealTimeMillis + 5000, 10);
    REQUIRE(again.size() == 1);
    CHECK(again.front().requestBody == due.front().requestBody);
    CHECK(again.front().attempts == 1);
    CHECK(helpLog->due(kSealTimeMillis + 4999, 10).empty());
    // And the database refuses to change them, even from outside the class.
    CHECK(executeSql(helpLog->handle(), "UPDATE help_sessions SET request_body = X'7B7D'") ==
          SQLITE_CONSTRAINT);
    CHECK(executeSql(helpLog->handle(), "UPDATE help_sessions SET minutes = 5") == SQLITE_CONSTRAINT);
}

TEST_CASE("a help session without a language sends null", "[store][help]") {
    StoreFixture fixture;
    auto helpLog = openHelpLog(fixture);
    auto session = sampleHelpSession();
    session.language = "";
    REQUIRE(helpLog->record(session, kSealTimeMillis));
    const auto body = nlohmann::json::parse(helpLog->due(kSealTimeMillis, 1).front().requestBody);
    CHECK(body.at("language").is_null());
    CHECK(helpLog->recent(1).front().language.empty());
}

TEST_CASE("an invalid help session is refused with a plain message and nothing is written", "[store][help]") {
    StoreFixture fixture;
    auto helpLog = openHelpLog(fixture);
    struct Case {
        const char* what;
        std::function<void(HelpSessionToRecord&)> change;
        const char* messagePart;
    };
    const std::vector<Case> cases = {
        {"a name as staff id", [](auto& s) { s.volunteerId = "Sarah Jones"; }, "staff id"},
        {"no staff id", [](auto& s) { s.volunteerId = ""; }, "staff id"},
        {"an upper-case topic", [](auto& s) { s.topic = "NHS-App"; }, "topic"},
        {"no topic", [](auto& s) { s.topic = ""; }, "topic"},
        {"free text as topic", [](auto& s) { s.topic = "helped with rent, 12 Oak St"; }, "topic"},
        {"an unknown outcome", [](auto& s) { s.outcome = "sorted"; }, "outcome"},
        {"an upper-case outcome", [](auto& s) { s.outcome = "DONE"; }, "outcome"},
        {"zero minutes", [](auto& s) { s.minutes = 0; }, "1 to 480 minutes"},
        {"negative minutes", [](auto& s) { s.minutes = -5; }, "1 to 480 minutes"},
        {"more than a day's work", [](auto& s) { s.minutes = 481; }, "1 to 480 minutes"},
        {"a sentence as language", [](auto& s) { s.language = "Polish, mostly"; }, "language"},
    };
    for (const auto& testCase : cases) {
        INFO(testCase.what);
        auto session = sampleHelpSession();
        testCase.change(session);
        auto refused = helpLog->record(session, kSealTimeMillis);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().code == kiosk::ErrorCode::InvalidArgument);
        CHECK_THAT(refused.error().message, Catch::Contains(testCase.messagePart));
        // The value itself is never quoted back (it may be a name).
        CHECK_THAT(refused.error().message, !Catch::Contains("Sarah") && !Catch::Contains("Oak St"));
    }
    CHECK(helpLog->counts().waiting == 0);
    CHECK(queryInt(helpLog->handle(), "SELECT count(*) FROM help_sessions") == 0);

    // The edges are accepted.
    auto shortest = sampleHelpSession();
    shortest.minutes = 1;
    auto longest = sampleHelpSession();
    longest.minutes = 480;
    longest.outcome = "referred";
    longest.language = "pt-BR";
    CHECK(helpLog->record(shortest, kSealTimeMillis).ok());
    CHECK(helpLog->record(longest, kSealTimeMillis).ok());
}

TEST_CASE("help session outcomes are recorded once and repeating them changes nothing", "[store][help]") {
    StoreFixture fixture;
    auto helpLog = openHelpLog(fixture);
    REQUIRE(helpLog->record(sampleHelpSession("email-account"), kSealTimeMillis));
    REQUIRE(helpLog->record(sampleHelpSession("nhs-app"), kSealTimeMillis + 1));
    REQUIRE(helpLog->record(sampleHelpSession("online-banking"), kSealTimeMillis + 2));
    const auto due = helpLog->due(kSealTimeMillis + 2, 10);
    REQUIRE(due.size() == 3);
    const auto delivered = due[0].rowId;
    const auto heldBack = due[1].rowId;

    REQUIRE(helpLog->recordDelivered(delivered, "HS-000123", kSealTimeMillis + 10));
    CHECK(helpLog->recordDelivered(delivered, "HS-000123", kSealTimeMillis + 20).ok());  // repeat: fine
    REQUIRE(helpLog->recordHeldBack(heldBack, "Unknown topic", kSealTimeMillis + 10));
    CHECK(helpLog->recordHeldBack(heldBack, "Unknown topic", kSealTimeMillis + 20).ok());

    auto retryDelivered = helpLog->recordRetry(delivered, kSealTimeMillis + 99, "HTTP 503", kSealTimeMillis);
    REQUIRE_FALSE(retryDelivered.ok());
    CHECK(retryDelivered.error().code == kiosk::ErrorCode::NotWaiting);
    auto deliverHeld = helpLog->recordDelivered(heldBack, "HS-9", kSealTimeMillis);
    REQUIRE_FALSE(deliverHeld.ok());
    CHECK(deliverHeld.error().code == kiosk::ErrorCode::NotWaiting);
    auto missing = helpLog->recordDelivered(987654, "HS-9", kSealTimeMillis);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == kiosk::ErrorCode::NotFound);

    const QueueCounts counts = helpLog->counts();
    CHECK(counts.waiting == 1);
    CHECK(counts.delivered == 1);
    CHECK(counts.heldBack == 1);
    CHECK(counts.oldestWaitingCreatedAtMillis == kSealTimeMillis + 2);

    const auto record = helpLog->find(due[0].helpSessionId);
    REQUIRE(record.has_value());
    CHECK(record->state == SubmissionState::Delivered);
    CHECK(record->councilReference == "HS-000123");
    CHECK(record->attempts == 1);  // the repeat did not count again
    CHECK(record->topic == "email-account");
    const auto held = helpLog->find(due[1].helpSessionId);
    REQUIRE(held.has_value());
    CHECK(held->state == SubmissionState::HeldBack);
    CHECK(held->councilMessage == "Unknown topic");
    // A final state never returns to waiting, even through SQL.
    CHECK(
        executeSql(helpLog->handle(), "UPDATE help_sessions SET state = 'sealed' WHERE state <> 'sealed'") ==
        SQLITE_CONSTRAINT);
    CHECK(helpLog->due(kSealTimeMillis + 100, 10).size() == 1);
}

TEST_CASE("an admin's sync now makes waiting help sessions due", "[store][help]") {
    StoreFixture fixture;
    auto helpLog = openHelpLog(fixture);
    REQUIRE(helpLog->record(sampleHelpSession(), kSealTimeMillis));
    const auto item = helpLog->due(kSealTimeMillis, 1).front();
    REQUIRE(helpLog->recordRetry(item.rowId, kSealTimeMillis + 600'000, "HTTP 503", kSealTimeMillis));
    CHECK(helpLog->nextAttemptAtMillis() == kSealTimeMillis + 600'000);
    CHECK(helpLog->due(kSealTimeMillis + 1000, 10).empty());
    auto rescheduled = helpLog->makeWaitingDueNow(kSealTimeMillis + 1000);
    REQUIRE(rescheduled.ok());
    CHECK(rescheduled.value() == 1);
    CHECK(helpLog->due(kSealTimeMillis + 1000, 10).size() == 1);
}

TEST_CASE("help sessions are counted by topic since a given time", "[store][help]") {
    StoreFixture fixture;
    auto helpLog = openHelpLog(fixture);
    const std::int64_t day = 24LL * 60 * 60 * 1000;
    REQUIRE(helpLog->record(sampleHelpSession("nhs-app"), kSealTimeMillis - 40 * day));  // too old
    for (int i = 0; i < 3; ++i) REQUIRE(helpLog->record(sampleHelpSession("nhs-app"), kSealTimeMillis + i));
    for (int i = 0; i < 3; ++i)
        REQUIRE(helpLog->record(sampleHelpSession("email-account"), kSealTimeMillis + i));
    REQUIRE(helpLog->record(sampleHelpSession("universal-credit"), kSealTimeMillis));
    REQUIRE(helpLog->record(sampleHelpSession("universal-credit"), kSealTimeMillis));
    REQUIRE(helpLog->record(sampleHelpSession("other"), kSealTimeMillis));

    const std::vector<std::pair<std::string, int>> expected = {
        {"email-account", 3}, {"nhs-app", 3}, {"universal-credit", 2}, {"other", 1}};
    CHECK(helpLog->countsByTopic(kSealTimeMillis - 30 * day) == expected);
    CHECK(helpLog->countsByTopic(kSealTimeMillis - 50 * day).front() ==
          std::make_pair(std::string("nhs-app"), 4));
    CHECK(helpLog->countsByTopic(kSealTimeMillis + 1000).empty());
}

TEST_CASE("a help session record survives reopening and is shared with the outbox's file", "[store][help]") {
    StoreFixture fixture;
    std::string id;
    {
        auto helpLog = openHelpLog(fixture);
        auto recorded = helpLog->record(sampleHelpSession(), kSealTimeMillis);
        REQUIRE(recorded.ok());
        id = recorded.value();
    }
    auto outbox = fixture.openStore();
    CHECK(queryText(outbox->handle(), "SELECT help_session_id FROM help_sessions") == id);
    CHECK(outbox->counts().waiting == 0);  // help sessions are not submissions
    auto helpLog = openHelpLog(fixture);
    CHECK(helpLog->find(id).has_value());
}

TEST_CASE("a version 2 database migrates and keeps its submissions", "[store][open][migration]") {
    StoreFixture fixture;
    std::filesystem::create_directories(fixture.options.databaseFile.parent_path());
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(fixture.options.databaseFile.c_str(), &db) == SQLITE_OK);
        REQUIRE(applyMigrations(db, 2).ok());
        REQUIRE(queryInt(db, "PRAGMA user_version") == 2);
        REQUIRE(
            executeSql(db,
                       "INSERT INTO submissions (submission_id, reference, reference_sequence, service_id, "
                       "form_id, form_version, language, destination, assisted, created_at_ms, "
                       "sealed_payload, request_body, next_attempt_at_ms, payload_protection) VALUES "
                       "('6f1c2b1e-0d8a-4c52-9b7e-3f0a1d2c4e5f', 'MK1-0000-0011', 1, 'missed-bin', "
                       "'missed-bin', 1, 'en', 'kiosk-api', 0, 1000, X'0102', X'7B7D', 1000, 'none'); "
                       "UPDATE reference_sequence SET next_value = 2") == SQLITE_OK);
        REQUIRE(queryInt(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'help_sessions'") == 0);
        sqlite3_close(db);
    }

    auto helpLog = openHelpLog(fixture);
    sqlite3* db = helpLog->handle();
    CHECK(queryInt(db, "PRAGMA user_version") == OutboxStore::latestSchemaVersion());
    CHECK(queryInt(db, "SELECT count(*) FROM sqlite_schema WHERE name IN ('help_sessions', 'usage_daily')") ==
          2);
    CHECK(integrityCheck(db) == "ok");
    auto outbox = fixture.openStore();
    const auto due = outbox->dueForDelivery(1000, 10);
    REQUIRE(due.size() == 1);
    CHECK(due.front().submissionId == "6f1c2b1e-0d8a-4c52-9b7e-3f0a1d2c4e5f");
    CHECK(due.front().requestBody == "{}");
    CHECK(due.front().protection == PayloadProtection::None);
    REQUIRE(helpLog->record(sampleHelpSession(), kSealTimeMillis));
    CHECK(helpLog->counts().waiting == 1);
    CHECK(outbox->counts().waiting == 1);
}
