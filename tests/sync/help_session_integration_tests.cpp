// Help sessions over loopback to the fake-council process: delivered exactly once even when
// the first acknowledgement is lost, deduplicated by key, refused bodies held back, and sent by
// the sync thread together with submissions.
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <thread>

#include "fake_council_process.h"
#include "store/help_log.h"
#include "sync/backoff.h"
#include "sync/help_session_delivery.h"
#include "sync/sync_worker.h"
#include "sync/transport.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::testing;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

struct HelpLoopbackFixture {
    TemporaryDirectory directory;
    CouncilKeys keys = makeCouncilKeys();
    std::unique_ptr<FakeCouncilProcess> council;
    KioskConfig config;
    std::unique_ptr<store::HelpLog> helpLog;
    // Starts at real time: the fake council checks webhook timestamps against its own clock.
    VirtualClock clock{SystemClock().nowMillis()};
    Backoff backoff{1, 4, 11};

    explicit HelpLoopbackFixture(std::vector<std::string> faults = {}) {
        FakeCouncilOptions options;
        options.executable = FAKE_COUNCIL_PATH;
        options.workDirectory = directory.path();
        options.secretKeyBase64 = keys.secretKeyBase64;
        options.deviceToken = "device-token-for-tests";
        options.webhookSecret = keys.webhookSecret;
        options.faults = std::move(faults);
        auto started = FakeCouncilProcess::start(options);
        if (!started) FAIL(started.error().message);
        council = std::move(started.value());
        config = makeConfig(directory.path(), keys, council->baseUrl());
        config.network.retryBaseSeconds = 1;
        config.network.retryCapSeconds = 4;
        store::StoreOptions storeOptions;
        storeOptions.databaseFile = databasePath(config);
        storeOptions.kioskId = config.kioskId;
        storeOptions.referencePrefix = config.referencePrefix;
        auto opened = store::HelpLog::open(storeOptions);
        if (!opened) FAIL(opened.error().message);
        helpLog = std::move(opened.value());
    }

    std::string recordOne(const std::string& topic = "universal-credit") {
        auto recorded = helpLog->record(
            store::HelpSessionToRecord{"stf-3f9a1c2b7d0e", topic, 40, "referred", "ro"}, clock.nowMillis());
        REQUIRE(recorded.ok());
        return recorded.value();
    }

    DeliveryReport deliver() {
        CurlTransport transport(config.network);
        return deliverDueHelpSessions(*helpLog, transport, config, clock, backoff);
    }

    json received() {
        auto list = council->getJson("/admin/help-sessions");
        REQUIRE(list.ok());
        return list.value();
    }
};

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(20ms);
    }
    return condition();
}

}  // namespace

TEST_CASE("Loopback: a help session whose acknowledgement was lost is delivered exactly once",
          "[sync][loopback][help]") {
    HelpLoopbackFixture fixture({"--reset-after-commit", "1"});
    const std::string id = fixture.recordOne();

    const auto lost = fixture.deliver();
    CHECK(lost.delivered == 0);
    CHECK(lost.retried == 1);
    CHECK_THAT(lost.lastError, Catch::Contains("No answer from the council"));
    CHECK(fixture.helpLog->find(id)->state == store::SubmissionState::Sealed);
    REQUIRE(fixture.received().size() == 1);  // the council did commit it

    fixture.clock.advanceMillis(10'000);
    const auto resent = fixture.deliver();
    CHECK(resent.delivered == 1);

    const json list = fixture.received();
    REQUIRE(list.size() == 1);
    const json& item = list.front();
    CHECK(item["helpSessionId"] == id);
    CHECK(item["receivedCount"] == 2);  // sent twice, stored once
    CHECK(item["topic"] == "universal-credit");
    CHECK(item["minutes"] == 40);
    CHECK(item["outcome"] == "referred");
    CHECK(item["language"] == "ro");
    CHECK(item["volunteerId"] == "stf-3f9a1c2b7d0e");
    CHECK(item["kioskId"] == "test-kiosk-1");
    const auto stored = fixture.helpLog->find(id);
    REQUIRE(stored.has_value());
    CHECK(stored->state == store::SubmissionState::Delivered);
    CHECK(stored->councilReference == item["councilReference"]);
    CHECK(stored->councilReference == "HS-000001");
    const auto stats = fixture.council->getJson("/admin/stats");
    REQUIRE(stats.ok());
    CHECK(stats.value()["uniqueHelpSessions"] == 1);
    CHECK(stats.value()["unique"] == 0);  // not mistaken for a submission
}

TEST_CASE("Loopback: the council answers a reused help-session key with a different body with 422",
          "[sync][loopback][help]") {
    HelpLoopbackFixture fixture;
    const std::string id = fixture.recordOne();
    REQUIRE(fixture.deliver().delivered == 1);

    const KioskApiDestination council(councilApiSettings(fixture.config));
    CurlTransport transport(fixture.config.network);

    // The same key with other bytes (another topic and minutes): refused, and the council keeps
    // the original record.
    store::HelpSessionItem replay;
    replay.helpSessionId = id;
    replay.requestBody = R"({"helpSessionId":")" + id +
                         R"(","kioskId":"test-kiosk-1","language":null,"minutes":5,"outcome":"done",)"
                         R"("recordedAt":"2026-11-25T10:15:00Z","topic":"nhs-app","volunteerId":"stf-1"})";
    const HttpResponse conflict =
        transport.send(council.buildHelpSessionRequest(replay, SystemClock().nowMillis()));
    REQUIRE(conflict.transportOk);
    CHECK(conflict.status == 422);
    const auto decision = council.classifyHelpSession(conflict, replay, SystemClock().nowMillis());
    CHECK(decision.kind == DeliveryDecision::Kind::HoldBack);
    CHECK(fixture.received().size() == 1);
    CHECK(fixture.received().front()["topic"] == "universal-credit");
}

TEST_CASE("Loopback: a repeat with the same bytes gets the original acknowledgement",
          "[sync][loopback][help]") {
    HelpLoopbackFixture fixture;
    const std::string id = fixture.recordOne();
    const auto item = fixture.helpLog->due(fixture.clock.nowMillis(), 1).front();
    REQUIRE(fixture.deliver().delivered == 1);

    const KioskApiDestination council(councilApiSettings(fixture.config));
    CurlTransport transport(fixture.config.network);
    const HttpResponse again =
        transport.send(council.buildHelpSessionRequest(item, SystemClock().nowMillis()));
    CHECK(again.status == 200);
    const auto decision = council.classifyHelpSession(again, item, SystemClock().nowMillis());
    CHECK(decision.kind == DeliveryDecision::Kind::Delivered);
    CHECK(decision.councilReference == fixture.helpLog->find(id)->councilReference);
    CHECK(fixture.received().size() == 1);
    CHECK(fixture.received().front()["receivedCount"] == 2);
}

TEST_CASE("Loopback: a help topic the council refuses is held back and the rest still go",
          "[sync][loopback][help]") {
    HelpLoopbackFixture fixture({"--reject-topic", "other"});
    const std::string first = fixture.recordOne("nhs-app");
    const std::string refused = fixture.recordOne("other");
    const std::string last = fixture.recordOne("email-account");

    const auto report = fixture.deliver();
    CHECK(report.delivered == 2);
    CHECK(report.heldBack == 1);
    const auto held = fixture.helpLog->find(refused);
    REQUIRE(held.has_value());
    CHECK(held->state == store::SubmissionState::HeldBack);
    CHECK(held->councilMessage == "This help topic is not recorded by the council");
    CHECK(fixture.received().size() == 2);
    CHECK(fixture.helpLog->find(first)->state == store::SubmissionState::Delivered);
    CHECK(fixture.helpLog->find(last)->state == store::SubmissionState::Delivered);
}

TEST_CASE("The worker delivers help sessions and submissions in the same round",
          "[sync][worker][loopback][help]") {
    HelpLoopbackFixture fixture;
    auto outbox = openStore(fixture.config);
    SystemClock clock;
    SyncWorker worker(fixture.config, clock);
    worker.start();
    seal(*outbox, fixture.config, "missed-bin", R"({"postcode":"ME15 6JQ"})", clock.nowMillis());
    REQUIRE(fixture.helpLog->record(store::HelpSessionToRecord{"stf-3f9a1c2b7d0e", "nhs-app", 10, "done", ""},
                                    clock.nowMillis()));
    REQUIRE(fixture.helpLog->record(store::HelpSessionToRecord{"stf-3f9a1c2b7d0e", "other", 10, "done", ""},
                                    clock.nowMillis()));
    worker.wake();

    CHECK(eventually([&] {
        const SyncStatus status = worker.status();
        return status.delivered == 1 && status.helpSessionsDelivered == 2;
    }));
    const SyncStatus status = worker.status();
    CHECK(status.online);
    CHECK(status.waiting == 0);
    CHECK(status.helpSessionsWaiting == 0);
    CHECK(status.helpSessionsHeldBack == 0);
    CHECK(status.lastError.empty());
    worker.stop();
    CHECK(fixture.received().size() == 2);
    CHECK(fixture.council->getJson("/admin/received").value().size() == 1);
}
