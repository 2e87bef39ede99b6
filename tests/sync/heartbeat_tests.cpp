// The fleet heartbeat with a scripted transport on a real SQLite store: the documented fields
// and nothing else, a signature the council can verify, no personal data even when the queue
// holds forms and the council wrote a message, short error codes, and the job's timing on a
// virtual clock (interval honoured, 0 switches it off, a failure waits for the next interval).
#include <catch2/catch.hpp>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <regex>

#include "scripted_transport.h"
#include "store/help_log.h"
#include "sync/delivery_policy.h"
#include "sync/heartbeat.h"
#include "sync/help_session_delivery.h"
#include "sync/job_scheduler.h"
#include "sync/webhook_signature.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::testing;
using nlohmann::json;

namespace {

constexpr std::int64_t kStart = 1'795'602'900'000;
constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

// Answers a resident might give; none may ever appear in a heartbeat.
const std::vector<std::string> kResidentAnswers = {"Agnieszka Kowalska", "ME15 6JQ", "07700 900123",
                                                   "agnieszka@example.org"};

std::string residentAnswersJson() {
    return json{{"name", kResidentAnswers[0]},
                {"postcode", kResidentAnswers[1]},
                {"phone", kResidentAnswers[2]},
                {"email", kResidentAnswers[3]}}
        .dump();
}

HttpResponse heartbeatReceived() {
    return jsonResponse(200, R"({"received":true})");
}

struct HeartbeatFixture {
    TemporaryDirectory directory;
    CouncilKeys keys = makeCouncilKeys();
    KioskConfig config;
    VirtualClock clock{kStart};
    ScriptedTransport transport;
    std::unique_ptr<store::OutboxStore> outbox;
    std::unique_ptr<store::HelpLog> helpLog;

    explicit HeartbeatFixture(int intervalSeconds = 300) {
        config = makeConfig(directory.path(), keys, "https://council.example/kiosk/");
        config.network.heartbeatIntervalSeconds = intervalSeconds;
        config.packDirectory = directory.path() / "pack";
        std::filesystem::create_directories(config.packDirectory);
        std::ofstream(config.packDirectory / "manifest.json")
            << R"({"packId": "maidstone-hubs", "version": 7, "languages": []})";
        outbox = openStore(config);
        store::StoreOptions options;
        options.databaseFile = config.dataDirectory / "kiosk.db";
        options.kioskId = config.kioskId;
        options.referencePrefix = config.referencePrefix;
        auto opened = store::HelpLog::open(options);
        if (!opened) FAIL(opened.error().message);
        helpLog = std::move(opened.value());
        transport.setFallback([](const HttpRequest&) { return heartbeatReceived(); });
    }

    std::string recordHelpSession() {
        auto recorded = helpLog->record(
            store::HelpSessionToRecord{"stf-3f9a1c2b7d0e", "nhs-app", 15, "done", "en"}, clock.nowMillis());
        REQUIRE(recorded.ok());
        return recorded.value();
    }

    // Whatever outbox row has this reference.
    std::int64_t rowIdOf(const std::string& submissionId) {
        for (const auto& item : outbox->dueForDelivery(kNever, 100)) {
            if (item.submissionId == submissionId) return item.rowId;
        }
        FAIL("no waiting row for " << submissionId);
        return 0;
    }
};

}  // namespace

TEST_CASE("A heartbeat holds the queue by state, versions and codes under the documented names",
          "[sync][heartbeat]") {
    HeartbeatFixture fixture;
    auto& outbox = *fixture.outbox;
    const auto waiting =
        seal(outbox, fixture.config, "missed-bin", residentAnswersJson(), fixture.clock.nowMillis());
    fixture.clock.advanceMillis(1'000);
    const auto delivered =
        seal(outbox, fixture.config, "fly-tipping", residentAnswersJson(), fixture.clock.nowMillis());
    const auto heldBack =
        seal(outbox, fixture.config, "pest-control", residentAnswersJson(), fixture.clock.nowMillis());
    REQUIRE(outbox.recordDelivered(fixture.rowIdOf(delivered.submissionId), "SDC-000123",
                                   fixture.clock.nowMillis()));
    REQUIRE(outbox.recordHeldBack(fixture.rowIdOf(heldBack.submissionId), "Unknown service",
                                  fixture.clock.nowMillis()));
    fixture.recordHelpSession();
    fixture.clock.advanceMillis(89'000);  // the oldest waiting form is 90 s old

    const Heartbeat heartbeat = gatherHeartbeat(outbox, *fixture.helpLog, fixture.config, "HTTP 503",
                                                kStart - 3'600'000, fixture.clock.nowMillis());
    CHECK(heartbeat.sealed == 1);
    CHECK(heartbeat.delivered == 1);
    CHECK(heartbeat.heldBack == 1);
    CHECK(heartbeat.helpSessionsWaiting == 1);
    CHECK(heartbeat.oldestWaitingAgeSeconds == 90);
    CHECK(heartbeat.uptimeSeconds == 3'690);
    CHECK(heartbeat.lastErrorCode == "http_503");
    REQUIRE(heartbeat.freeDiskBytes.has_value());
    CHECK(*heartbeat.freeDiskBytes > 0);

    const std::string body = encodeHeartbeat(heartbeat);
    const json parsed = json::parse(body);
    CHECK(parsed.dump() == body);  // compact, keys sorted
    std::vector<std::string> keys;
    for (const auto& item : parsed.items()) keys.push_back(item.key());
    CHECK(keys == std::vector<std::string>{"freeDiskBytes", "helpSessionsWaiting", "kioskId", "lastErrorCode",
                                           "oldestWaitingAgeSeconds", "packId", "packVersion", "queue",
                                           "sentAt", "softwareVersion", "uptimeSeconds"});
    CHECK(parsed["kioskId"] == "test-kiosk-1");
    CHECK(parsed["packId"] == "maidstone-hubs");
    CHECK(parsed["packVersion"] == "7");
    CHECK(parsed["softwareVersion"] == kioskSoftwareVersion());
    CHECK(std::regex_match(parsed["softwareVersion"].get<std::string>(), std::regex(R"(\d+\.\d+\.\d+)")));
    CHECK(parsed["queue"] ==
          json{{"sealed", 1}, {"delivered", 1}, {"held_back", 1}, {"delivered_out_of_band", 0}});
    CHECK(parsed["helpSessionsWaiting"] == 1);
    CHECK(parsed["oldestWaitingAgeSeconds"] == 90);
    CHECK(parsed["freeDiskBytes"].is_number_unsigned());
    CHECK(parsed["lastErrorCode"] == "http_503");
    CHECK(parsed["uptimeSeconds"] == 3'690);
    CHECK(parsed["sentAt"] == formatUtcTimestamp(fixture.clock.nowMillis()));
    CHECK_FALSE(waiting.reference.empty());
}

TEST_CASE("An error that no waiting or held-back form suffers from is reported as none",
          "[sync][heartbeat]") {
    HeartbeatFixture fixture;
    const auto sealed = seal(*fixture.outbox, fixture.config, "missed-bin", "{}", kStart);
    REQUIRE(fixture.outbox->recordDelivered(fixture.rowIdOf(sealed.submissionId), "SDC-1", kStart));
    const Heartbeat heartbeat =
        gatherHeartbeat(*fixture.outbox, *fixture.helpLog, fixture.config, "HTTP 503", kStart, kStart);
    CHECK(heartbeat.lastErrorCode == "none");
    CHECK(heartbeat.oldestWaitingAgeSeconds == 0);
    CHECK(heartbeat.delivered == 1);
}

TEST_CASE("The pack's id and version come from its manifest, unknown when it cannot be read",
          "[sync][heartbeat]") {
    TemporaryDirectory directory;
    const PackIdentity missing = readPackIdentity(directory.path() / "no-such-pack");
    CHECK(missing.packId == "unknown");
    CHECK(missing.version == "unknown");
    CHECK(readPackIdentity("").packId == "unknown");

    std::ofstream(directory.path() / "manifest.json") << "{ this is not json";
    CHECK(readPackIdentity(directory.path()).packId == "unknown");

    std::ofstream(directory.path() / "manifest.json", std::ios::trunc)
        << R"({"packId": "hubs", "version": "2026.3"})";
    const PackIdentity textVersion = readPackIdentity(directory.path());
    CHECK(textVersion.packId == "hubs");
    CHECK(textVersion.version == "2026.3");

    std::ofstream(directory.path() / "manifest.json", std::ios::trunc) << R"({"packId": 5, "version": [1]})";
    const PackIdentity odd = readPackIdentity(directory.path());
    CHECK(odd.packId == "unknown");
    CHECK(odd.version == "unknown");
}

TEST_CASE("Every delivery error becomes a short fixed code, never the server's words", "[sync][heartbeat]") {
    const auto codeFor = [](const HttpResponse& response) {
        return lastErrorCode(DeliveryPolicy::classify(response, "key-1", kStart / 1000).message);
    };
    CHECK(lastErrorCode("") == "none");
    CHECK(codeFor(transportFailure()) == "network");
    CHECK(codeFor(transportFailure("Operation timed out after 5001 milliseconds with 0 bytes received")) ==
          "timeout");
    CHECK(codeFor(transportFailure("Timeout was reached")) == "timeout");
    CHECK(codeFor(jsonResponse(503, R"({"error":"busy"})")) == "http_503");
    CHECK(codeFor(jsonResponse(500, R"({"error":"HTTP 418 in our logs"})")) == "http_500");
    CHECK(codeFor(jsonResponse(401, R"({"error":"Unknown device token"})")) == "http_401");
    CHECK(codeFor(jsonResponse(409, R"({"error":"processing"})")) == "http_409");
    CHECK(codeFor(jsonResponse(429, R"({"error":"slow down"})")) == "http_429");
    HttpResponse portal = jsonResponse(200, "<html>Library Wi-Fi</html>");
    portal.headers["content-type"] = "text/html";
    CHECK(codeFor(portal) == "unexpected_answer");
    CHECK(codeFor(jsonResponse(302, "")) == "redirect");

    // A held-back form's message ends with the council's own words: only the kind is reported.
    const DeliveryDecision held = DeliveryPolicy::classify(
        jsonResponse(422, R"({"error":"HTTP 404: Agnieszka Kowalska is not known"})"), "key-1",
        kStart / 1000);
    REQUIRE(held.kind == DeliveryDecision::Kind::HoldBack);
    CHECK(lastErrorCode("Held back TST-7KQ2-M9XD-4: " + held.message) == "held_back");
    CHECK(lastErrorCode("Held back: the council will not accept this submission.") == "held_back");
    CHECK(lastErrorCode("Held back help session 1b4e: " + held.message) == "held_back");

    KioskApiSettings unconfigured;
    const auto notReady = KioskApiDestination(unconfigured).readyToSend();
    REQUIRE_FALSE(notReady.ok());
    CHECK(lastErrorCode(notReady.error().message) == "not_configured");
    CHECK(lastErrorCode("Help sessions cannot be sent: " + notReady.error().message) == "not_configured");
    CHECK(lastErrorCode(
              "No destination named \"open311\" is configured on this kiosk; add it to destinations in "
              "the kiosk configuration") == "not_configured");
    CHECK(lastErrorCode("Could not open the kiosk database: disk I/O error") == "database");
    CHECK(lastErrorCode("Could not record a delivery result: HTTP 500 database is locked") == "database");
    CHECK(lastErrorCode("Something nobody expected") == "other");
}

TEST_CASE("The heartbeat request is signed like a submission, keyed afresh, and holds no personal data",
          "[sync][heartbeat]") {
    HeartbeatFixture fixture;
    const auto sealed =
        seal(*fixture.outbox, fixture.config, "missed-bin", residentAnswersJson(), fixture.clock.nowMillis());
    const auto refused = seal(*fixture.outbox, fixture.config, "pest-control", residentAnswersJson(),
                              fixture.clock.nowMillis());
    const std::string councilMessage = "We have no record of Agnieszka Kowalska at ME15 6JQ";
    REQUIRE(fixture.outbox->recordHeldBack(fixture.rowIdOf(refused.submissionId), councilMessage,
                                           fixture.clock.nowMillis()));
    const std::string helpSessionId = fixture.recordHelpSession();

    const KioskApiDestination council(councilApiSettings(fixture.config));
    HeartbeatJob job(fixture.config, fixture.clock, fixture.transport, council, kStart);
    const DeliveryState online{true, "Held back " + refused.reference + ": " + councilMessage};
    job.run(fixture.clock.nowMillis(), *fixture.outbox, *fixture.helpLog, online);
    fixture.clock.advanceMillis(300'000);
    job.run(fixture.clock.nowMillis(), *fixture.outbox, *fixture.helpLog, online);
    REQUIRE(fixture.transport.requests.size() == 2);
    CHECK(job.lastOutcome() == HeartbeatJob::Outcome::Acknowledged);
    CHECK(job.lastAcknowledgedMillis() == fixture.clock.nowMillis());

    const HttpRequest& request = fixture.transport.requests[0];
    CHECK(request.method == "POST");
    CHECK(request.url == "https://council.example/kiosk/v1/heartbeat");
    CHECK(headerOf(request, "Authorization") == "Bearer device-token-for-tests");
    CHECK(headerOf(request, "Content-Type") == "application/json");
    const std::string key = headerOf(request, "Idempotency-Key");
    CHECK(std::regex_match(
        key, std::regex("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")));
    CHECK(headerOf(request, "webhook-id") == key);
    CHECK(headerOf(request, "webhook-timestamp") == std::to_string(kStart / 1000));
    const auto webhookKey = decodeWebhookSecret(fixture.keys.webhookSecret);
    REQUIRE(webhookKey.has_value());
    CHECK(
        verifyWebhook(*webhookKey, key, kStart / 1000, request.body, headerOf(request, "webhook-signature")));
    CHECK_FALSE(verifyWebhook(*webhookKey, key, kStart / 1000, request.body + " ",
                              headerOf(request, "webhook-signature")));
    // A heartbeat is never resent, so each has its own key.
    CHECK(headerOf(fixture.transport.requests[1], "Idempotency-Key") != key);

    const json body = json::parse(request.body);
    CHECK(body["queue"]["sealed"] == 1);
    CHECK(body["queue"]["held_back"] == 1);
    CHECK(body["lastErrorCode"] == "held_back");
    for (const auto& sent : fixture.transport.requests) {
        for (const std::string& secret :
             {sealed.reference, sealed.submissionId, refused.reference, refused.submissionId, helpSessionId,
              councilMessage, std::string("Kowalska"), std::string("stf-3f9a1c2b7d0e"),
              std::string("nhs-app"), std::string("missed-bin"), fixture.keys.webhookSecret,
              fixture.config.council.deviceToken}) {
            INFO(secret);
            CHECK(sent.body.find(secret) == std::string::npos);
        }
        for (const std::string& answer : kResidentAnswers) {
            INFO(answer);
            CHECK(sent.body.find(answer) == std::string::npos);
        }
    }
}

TEST_CASE("Only the council's own receipt counts as a taken heartbeat", "[sync][heartbeat]") {
    CHECK(heartbeatAcknowledged(heartbeatReceived()));
    CHECK_FALSE(heartbeatAcknowledged(jsonResponse(200, R"({"received":false})")));
    CHECK_FALSE(heartbeatAcknowledged(jsonResponse(201, R"({"received":true})")));
    CHECK_FALSE(heartbeatAcknowledged(jsonResponse(200, "<html>Library Wi-Fi</html>")));
    CHECK_FALSE(heartbeatAcknowledged(jsonResponse(503, R"({"error":"busy"})")));
    CHECK_FALSE(heartbeatAcknowledged(transportFailure()));
}

TEST_CASE("Heartbeats come every interval on the scheduler and not a millisecond sooner",
          "[sync][heartbeat][scheduler]") {
    HeartbeatFixture fixture(300);
    const KioskApiDestination council(councilApiSettings(fixture.config));
    HeartbeatJob job(fixture.config, fixture.clock, fixture.transport, council, kStart);
    JobScheduler scheduler(fixture.clock);
    const DeliveryState idle{false, ""};  // nothing waits: an idle kiosk still says it is alive
    scheduler.addJob("heartbeat", job.firstDueAtMillis(kStart),
                     [&](std::int64_t now) { return job.run(now, *fixture.outbox, *fixture.helpLog, idle); });

    CHECK(scheduler.dueAtMillis("heartbeat") == kStart + 300'000);
    CHECK(scheduler.runDueJobs().empty());
    fixture.clock.advanceMillis(299'999);
    CHECK(scheduler.runDueJobs().empty());
    CHECK(fixture.transport.requests.empty());
    fixture.clock.advanceMillis(1);
    CHECK(scheduler.runDueJobs() == std::vector<std::string>{"heartbeat"});
    CHECK(fixture.transport.requests.size() == 1);
    CHECK(scheduler.dueAtMillis("heartbeat") == kStart + 600'000);

    fixture.clock.advanceMillis(299'999);
    CHECK(scheduler.runDueJobs().empty());
    fixture.clock.advanceMillis(1);
    CHECK(scheduler.runDueJobs() == std::vector<std::string>{"heartbeat"});
    CHECK(fixture.transport.requests.size() == 2);
    CHECK(job.lastAcknowledgedMillis() == kStart + 600'000);
}

TEST_CASE("An interval of 0 switches heartbeats off", "[sync][heartbeat][scheduler]") {
    HeartbeatFixture fixture(0);
    const KioskApiDestination council(councilApiSettings(fixture.config));
    HeartbeatJob job(fixture.config, fixture.clock, fixture.transport, council, kStart);
    CHECK_FALSE(job.enabled());
    JobScheduler scheduler(fixture.clock);
    scheduler.addJob("heartbeat", job.firstDueAtMillis(kStart), [&](std::int64_t now) {
        return job.run(now, *fixture.outbox, *fixture.helpLog, DeliveryState{true, ""});
    });
    CHECK(scheduler.dueAtMillis("heartbeat") == kNever);
    fixture.clock.advanceMillis(7LL * 24 * 3'600'000);
    CHECK(scheduler.runDueJobs().empty());
    // Even when run directly it sends nothing and asks never to run again.
    CHECK(job.run(fixture.clock.nowMillis(), *fixture.outbox, *fixture.helpLog, DeliveryState{true, ""}) ==
          kNever);
    CHECK(job.lastOutcome() == HeartbeatJob::Outcome::Disabled);
    CHECK(fixture.transport.requests.empty());
}

TEST_CASE("A failed heartbeat waits for the next interval instead of looping",
          "[sync][heartbeat][scheduler]") {
    HeartbeatFixture fixture(60);
    fixture.transport.setFallback(
        [](const HttpRequest&) { return jsonResponse(503, R"({"error":"busy"})"); });
    const KioskApiDestination council(councilApiSettings(fixture.config));
    HeartbeatJob job(fixture.config, fixture.clock, fixture.transport, council, kStart);
    JobScheduler scheduler(fixture.clock);
    scheduler.addJob("heartbeat", kStart, [&](std::int64_t now) {
        return job.run(now, *fixture.outbox, *fixture.helpLog, DeliveryState{true, ""});
    });

    CHECK(scheduler.runDueJobs() == std::vector<std::string>{"heartbeat"});
    CHECK(job.lastOutcome() == HeartbeatJob::Outcome::Failed);
    CHECK(job.lastAcknowledgedMillis() == 0);
    for (int pass = 0; pass < 5; ++pass) CHECK(scheduler.runDueJobs().empty());
    CHECK(fixture.transport.requests.size() == 1);
    fixture.clock.advanceMillis(59'999);
    CHECK(scheduler.runDueJobs().empty());
    fixture.clock.advanceMillis(1);
    CHECK(scheduler.runDueJobs() == std::vector<std::string>{"heartbeat"});
    CHECK(fixture.transport.requests.size() == 2);

    // A heartbeat that hangs for longer than the interval before failing (a slow timeout) is
    // followed by a whole interval of rest, counted from when it gave up.
    fixture.transport.setFallback([&](const HttpRequest&) {
        fixture.clock.advanceMillis(90'000);
        return transportFailure("Operation timed out after 90000 milliseconds with 0 bytes received");
    });
    fixture.clock.advanceMillis(60'000);
    const std::int64_t startedAt = fixture.clock.nowMillis();
    CHECK(scheduler.runDueJobs() == std::vector<std::string>{"heartbeat"});
    CHECK(scheduler.dueAtMillis("heartbeat") == startedAt + 90'000 + 60'000);
    CHECK(scheduler.runDueJobs().empty());
    CHECK(fixture.transport.requests.size() == 3);
}

TEST_CASE("A kiosk that cannot reach the council sends no heartbeat while forms wait", "[sync][heartbeat]") {
    HeartbeatFixture fixture;
    const KioskApiDestination council(councilApiSettings(fixture.config));
    HeartbeatJob job(fixture.config, fixture.clock, fixture.transport, council, kStart);

    // Idle and never answered yet: the heartbeat is how the council learns the kiosk is alive.
    job.run(kStart, *fixture.outbox, *fixture.helpLog, DeliveryState{false, ""});
    CHECK(fixture.transport.requests.size() == 1);

    seal(*fixture.outbox, fixture.config, "missed-bin", "{}", kStart);
    const std::int64_t next = job.run(kStart + 1, *fixture.outbox, *fixture.helpLog,
                                      DeliveryState{false, "No answer from the council: Connection refused"});
    CHECK(job.lastOutcome() == HeartbeatJob::Outcome::SkippedOffline);
    CHECK(next == kStart + 1 + 300'000);
    CHECK(fixture.transport.requests.size() == 1);

    // Once a delivery attempt reaches the council again, heartbeats go with forms still waiting.
    job.run(kStart + 2, *fixture.outbox, *fixture.helpLog, DeliveryState{true, "HTTP 503"});
    REQUIRE(fixture.transport.requests.size() == 2);
    const json body = json::parse(fixture.transport.requests[1].body);
    CHECK(body["queue"]["sealed"] == 1);
    CHECK(body["lastErrorCode"] == "http_503");
}

TEST_CASE("Without a usable council address or secret no heartbeat is sent", "[sync][heartbeat]") {
    HeartbeatFixture fixture;
    fixture.config.council.webhookSecret = "";
    const KioskApiDestination council(councilApiSettings(fixture.config));
    HeartbeatJob job(fixture.config, fixture.clock, fixture.transport, council, kStart);
    CHECK(job.run(kStart, *fixture.outbox, *fixture.helpLog, DeliveryState{true, ""}) == kStart + 300'000);
    CHECK(job.lastOutcome() == HeartbeatJob::Outcome::SkippedNotConfigured);
    CHECK(fixture.transport.requests.empty());
}
