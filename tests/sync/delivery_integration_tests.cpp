// End-to-end delivery over loopback: a real OutboxStore, CurlTransport and the fake-council
// process with its fault switches. /admin/received proves that each submission arrived exactly
// once and decrypts to the answers that were sealed.
#include <catch2/catch.hpp>
#include <map>

#include "fake_council_process.h"
#include "sync/backoff.h"
#include "sync/destination.h"
#include "sync/sync_worker.h"
#include "sync/transport.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::testing;
using nlohmann::json;

namespace {

struct LoopbackFixture {
    TemporaryDirectory directory;
    CouncilKeys keys = makeCouncilKeys();
    std::unique_ptr<FakeCouncilProcess> council;
    KioskConfig config;
    std::unique_ptr<store::OutboxStore> outbox;
    // Starts at real time: the fake council checks webhook timestamps against its own clock.
    VirtualClock clock{SystemClock().nowMillis()};
    Backoff backoff{1, 4, 11};
    std::map<std::string, json> sealedAnswers;  // submissionId -> answers

    explicit LoopbackFixture(std::vector<std::string> faults = {}, bool keepState = false) {
        startCouncil(std::move(faults), keepState);
        config = makeConfig(directory.path(), keys, council->baseUrl());
        config.network.retryBaseSeconds = 1;
        config.network.retryCapSeconds = 4;
        outbox = openStore(config);
    }

    void startCouncil(std::vector<std::string> faults, bool keepState) {
        FakeCouncilOptions options;
        options.executable = FAKE_COUNCIL_PATH;
        options.workDirectory = directory.path();
        options.secretKeyBase64 = keys.secretKeyBase64;
        options.deviceToken = "device-token-for-tests";
        options.webhookSecret = keys.webhookSecret;
        options.faults = std::move(faults);
        options.keepState = keepState;
        auto started = FakeCouncilProcess::start(options);
        if (!started) FAIL(started.error().message);
        council = std::move(started.value());
        config.council.apiBaseUrl = council->baseUrl();
    }

    store::SealedReceipt sealOne(const std::string& serviceId, int number) {
        const json answers = {{"postcode", "ME15 6JQ"},
                              {"houseNumber", std::to_string(number)},
                              {"note", "Zażółć gęślą jaźń \"quoted\""}};
        auto receipt = seal(*outbox, config, serviceId, answers.dump(), clock.nowMillis());
        sealedAnswers[receipt.submissionId] = answers;
        clock.advanceMillis(1);
        return receipt;
    }

    DeliveryReport deliver() {
        CurlTransport transport(config.network);
        return deliverDueSubmissions(*outbox, transport, config, clock, backoff);
    }

    // Moves the virtual clock past every retry scheduled so far (a few seconds with these
    // settings, well inside the council's 5-minute timestamp window).
    void advancePastRetries() {
        clock.advanceMillis(std::int64_t{config.network.retryCapSeconds} * 1000 + 1000);
        const auto next = outbox->nextAttemptAtMillis();
        REQUIRE((!next || *next <= clock.nowMillis()));
    }

    json received() {
        auto list = council->getJson("/admin/received");
        REQUIRE(list.ok());
        return list.value();
    }

    // Every sealed submission is at the council exactly once, with the answers that were sealed
    // and the same council reference the kiosk recorded.
    void checkAllArrivedOnce(const std::map<std::string, int>& expectedReceivedCounts = {}) {
        const json list = received();
        REQUIRE(list.size() == sealedAnswers.size());
        for (const auto& item : list) {
            const std::string id = item["submissionId"];
            INFO("submission " << id);
            REQUIRE(sealedAnswers.count(id) == 1);
            CHECK(item["answers"] == sealedAnswers[id]);
            const auto expected = expectedReceivedCounts.find(id);
            CHECK(item["receivedCount"] == (expected == expectedReceivedCounts.end() ? 1 : expected->second));
            const auto stored = outbox->findByReference(item["reference"].get<std::string>());
            REQUIRE(stored.has_value());
            CHECK(stored->state == store::SubmissionState::Delivered);
            CHECK(stored->councilReference == item["councilReference"]);
        }
        CHECK(outbox->counts().waiting == 0);
    }
};

}  // namespace

TEST_CASE("Loopback: every sealed submission arrives once and decrypts to its answers", "[sync][loopback]") {
    LoopbackFixture fixture;
    for (int i = 0; i < 5; ++i) fixture.sealOne("missed-bin", i);

    const auto report = fixture.deliver();
    CHECK(report.delivered == 5);
    CHECK(report.councilAnswered);
    fixture.checkAllArrivedOnce();

    CHECK(fixture.deliver().requests == 0);  // nothing left to send
    const auto stats = fixture.council->getJson("/admin/stats");
    REQUIRE(stats.ok());
    CHECK(stats.value()["requests"] == 5);
    CHECK(stats.value()["unique"] == 5);
}

TEST_CASE("Loopback: a lost acknowledgement after commit is resent and deduplicated", "[sync][loopback]") {
    LoopbackFixture fixture({"--reset-after-commit", "1"});
    const auto first = fixture.sealOne("missed-bin", 1);
    fixture.sealOne("missed-bin", 2);

    const auto lost = fixture.deliver();
    CHECK(lost.delivered == 0);
    CHECK(lost.retried == 1);
    CHECK(lost.stoppedEarly);  // the connection broke: the rest wait for the next round
    CHECK_FALSE(lost.councilAnswered);
    CHECK_THAT(lost.lastError, Catch::Contains("No answer from the council"));  // curl saw a broken transfer
    CHECK(fixture.outbox->findByReference(first.reference)->state == store::SubmissionState::Sealed);
    REQUIRE(fixture.received().size() == 1);  // the council did commit it

    fixture.advancePastRetries();
    const auto resent = fixture.deliver();
    CHECK(resent.delivered == 2);
    fixture.checkAllArrivedOnce({{first.submissionId, 2}});
}

TEST_CASE("Loopback: a captive portal's 200 page is not taken for delivery", "[sync][loopback]") {
    LoopbackFixture fixture({"--captive-portal", "1"});
    const auto receipt = fixture.sealOne("missed-bin", 1);

    const auto portal = fixture.deliver();
    CHECK(portal.delivered == 0);
    CHECK_FALSE(portal.councilAnswered);
    CHECK_THAT(portal.lastError, Catch::Contains("captive portal"));
    CHECK(fixture.received().empty());
    CHECK(fixture.outbox->findByReference(receipt.reference)->state == store::SubmissionState::Sealed);

    fixture.advancePastRetries();
    CHECK(fixture.deliver().delivered == 1);
    fixture.checkAllArrivedOnce();
}

TEST_CASE("Loopback: a truncated acknowledgement is retried and deduplicated", "[sync][loopback]") {
    LoopbackFixture fixture({"--truncate", "1"});
    const auto receipt = fixture.sealOne("missed-bin", 1);

    CHECK(fixture.deliver().delivered == 0);
    fixture.advancePastRetries();
    CHECK(fixture.deliver().delivered == 1);
    fixture.checkAllArrivedOnce({{receipt.submissionId, 2}});
}

TEST_CASE("Loopback: 503 with Retry-After is honoured until the council recovers", "[sync][loopback]") {
    LoopbackFixture fixture({"--fail-first", "2"});
    for (int i = 0; i < 3; ++i) fixture.sealOne("missed-bin", i);

    for (int round = 0; round < 2; ++round) {
        const std::int64_t now = fixture.clock.nowMillis();
        const auto busy = fixture.deliver();
        CHECK(busy.requests == 1);  // "busy" concerns the whole queue
        CHECK(busy.councilAnswered);
        CHECK(busy.lastError == "HTTP 503");
        CHECK(busy.resumeAtMillis >= now + 1'000);
        fixture.advancePastRetries();
    }
    CHECK(fixture.deliver().delivered == 3);
    fixture.checkAllArrivedOnce();
    CHECK(fixture.council->getJson("/admin/stats").value()["requests"] == 5);
}

TEST_CASE("Loopback: a refused service is held back and the rest still go", "[sync][loopback]") {
    LoopbackFixture fixture({"--reject-service", "street-trading-licence"});
    fixture.sealOne("missed-bin", 1);
    const auto refused = fixture.sealOne("street-trading-licence", 2);
    fixture.sealOne("missed-bin", 3);

    const auto report = fixture.deliver();
    CHECK(report.delivered == 2);
    CHECK(report.heldBack == 1);
    const auto held = fixture.outbox->findByReference(refused.reference);
    REQUIRE(held.has_value());
    CHECK(held->state == store::SubmissionState::HeldBack);
    CHECK(held->councilMessage == "This service no longer accepts kiosk submissions");

    fixture.sealedAnswers.erase(refused.submissionId);
    const json list = fixture.received();
    CHECK(list.size() == 2);
    for (const auto& item : list) CHECK(item["serviceId"] == "missed-bin");
}

TEST_CASE("Loopback: a wrong device token is retried with advice for the admin", "[sync][loopback]") {
    LoopbackFixture fixture;
    fixture.config.council.deviceToken = "not-the-token";
    const auto receipt = fixture.sealOne("missed-bin", 1);

    const auto report = fixture.deliver();
    CHECK(report.retried == 1);
    CHECK_THAT(report.lastError, Catch::Contains("deviceToken"));
    CHECK(fixture.outbox->findByReference(receipt.reference)->state == store::SubmissionState::Sealed);
    CHECK(fixture.received().empty());
}

TEST_CASE("Loopback: a restarted council keeps its dedup state", "[sync][loopback]") {
    LoopbackFixture fixture({"--reset-after-commit", "1"}, /*keepState=*/true);
    const auto receipt = fixture.sealOne("missed-bin", 1);
    CHECK(fixture.deliver().delivered == 0);  // committed, answer lost

    fixture.council->stop();
    fixture.startCouncil({}, /*keepState=*/true);
    fixture.advancePastRetries();
    CHECK(fixture.deliver().delivered == 1);
    fixture.checkAllArrivedOnce({{receipt.submissionId, 2}});
}

TEST_CASE("Loopback: with nothing listening the submission stays sealed", "[sync][loopback]") {
    LoopbackFixture fixture;
    fixture.council->stop();
    fixture.config.council.apiBaseUrl = "http://127.0.0.1:" + std::to_string(unusedLoopbackPort());
    const auto receipt = fixture.sealOne("missed-bin", 1);

    const std::int64_t before = fixture.clock.nowMillis();
    const auto report = fixture.deliver();
    CHECK(report.delivered == 0);
    CHECK(report.retried == 1);
    CHECK(report.stoppedEarly);
    CHECK_FALSE(report.councilAnswered);
    CHECK_THAT(report.lastError, Catch::Contains("No answer from the council"));
    const auto stored = fixture.outbox->findByReference(receipt.reference);
    REQUIRE(stored.has_value());
    CHECK(stored->state == store::SubmissionState::Sealed);
    CHECK(stored->nextAttemptAtMillis >= before + 1000);
}

TEST_CASE("Loopback: random 500s delay submissions but lose or duplicate none", "[sync][loopback]") {
    LoopbackFixture fixture({"--fail-fraction", "0.4", "--seed", "2026"});
    for (int i = 0; i < 12; ++i) fixture.sealOne(i % 2 == 0 ? "missed-bin" : "report-fly-tipping", i);

    int rounds = 0;
    int failures = 0;
    while (fixture.outbox->counts().waiting > 0 && rounds < 40) {
        failures += fixture.deliver().retried;
        fixture.advancePastRetries();
        ++rounds;
    }
    CHECK(failures > 0);  // the fault switch did fire
    CHECK(rounds < 40);
    fixture.checkAllArrivedOnce();
}

TEST_CASE("Loopback: a delivered form's council status is asked for by its key and read",
          "[sync][loopback][status]") {
    LoopbackFixture fixture;
    const auto receipt = fixture.sealOne("missed-bin", 1);
    REQUIRE(fixture.deliver().delivered == 1);
    const auto record = fixture.outbox->findByReference(receipt.reference);
    REQUIRE(record.has_value());

    const auto registry = destinationsFromConfig(fixture.config);
    REQUIRE(registry.ok());
    const Destination* destination = registry->find(record->destination);
    REQUIRE(destination != nullptr);
    const StatusQuery query{record->submissionId, record->councilReference, "{}"};
    CurlTransport transport(fixture.config.network);

    const auto ask = [&]() {
        const auto request = destination->statusRequest(query);
        REQUIRE(request.has_value());
        return destination->readStatus(transport.send(*request), query);
    };
    const auto received = ask();
    REQUIRE(received.has_value());
    CHECK(received->progress == CouncilProgress::Received);
    CHECK(received->updatedAtMillis == 0);

    HttpRequest close;
    close.method = "POST";
    close.url = fixture.council->baseUrl() + "/admin/status/" + record->submissionId +
                "?status=closed&updatedAt=2026-12-01T09:30:00Z";
    REQUIRE(transport.send(close).status == 200);
    const auto closed = ask();
    REQUIRE(closed.has_value());
    CHECK(closed->progress == CouncilProgress::Closed);
    CHECK(closed->updatedAtMillis == 1'796'117'400'000);

    // Another kiosk's key (or a made-up one) is not found, and nothing is shown for it.
    const StatusQuery unknown{"00000000-0000-4000-8000-000000000000", "X", "{}"};
    const auto request = destination->statusRequest(unknown);
    REQUIRE(request.has_value());
    CHECK_FALSE(destination->readStatus(transport.send(*request), unknown).has_value());
}
