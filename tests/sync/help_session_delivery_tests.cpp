// Help-session delivery with a scripted transport on a real SQLite help log: the signed request
// of the stored bytes, delivered only on an acknowledgement naming our key, and the
// submissions' retry and hold-back rules.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "scripted_transport.h"
#include "store/help_log.h"
#include "sync/backoff.h"
#include "sync/help_session_delivery.h"
#include "sync/webhook_signature.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::testing;

namespace {

struct HelpFixture {
    TemporaryDirectory directory;
    CouncilKeys keys = makeCouncilKeys();
    KioskConfig config = makeConfig(directory.path(), keys, "https://council.example/kiosk/");
    VirtualClock clock;
    Backoff backoff{2, 60, 7};
    ScriptedTransport transport;
    std::unique_ptr<store::HelpLog> helpLog;

    HelpFixture() {
        store::StoreOptions options;
        options.databaseFile = config.dataDirectory / "kiosk.db";
        options.kioskId = config.kioskId;
        options.referencePrefix = config.referencePrefix;
        auto opened = store::HelpLog::open(options);
        if (!opened) FAIL(opened.error().message);
        helpLog = std::move(opened.value());
    }

    std::string recordOne(const std::string& topic = "nhs-app") {
        auto recorded = helpLog->record(
            store::HelpSessionToRecord{"stf-3f9a1c2b7d0e", topic, 15, "done", "en"}, clock.nowMillis());
        REQUIRE(recorded.ok());
        clock.advanceMillis(1);
        return recorded.value();
    }

    DeliveryReport deliver() { return deliverDueHelpSessions(*helpLog, transport, config, clock, backoff); }

    store::HelpSessionRecord stored(const std::string& id) {
        auto record = helpLog->find(id);
        REQUIRE(record.has_value());
        return *record;
    }
};

HttpResponse withHeader(HttpResponse response, const std::string& name, const std::string& value) {
    response.headers[name] = value;
    return response;
}

}  // namespace

TEST_CASE("A help session is POSTed signed to /v1/help-sessions with its stored bytes", "[sync][help]") {
    HelpFixture fixture;
    const std::string id = fixture.recordOne();
    const std::string storedBody = fixture.helpLog->due(fixture.clock.nowMillis(), 1).front().requestBody;

    const auto report = fixture.deliver();
    CHECK(report.delivered == 1);
    CHECK(report.requests == 1);
    CHECK(report.councilAnswered);
    CHECK(report.lastError.empty());
    REQUIRE(fixture.transport.requests.size() == 1);
    const HttpRequest& request = fixture.transport.requests.front();
    CHECK(request.method == "POST");
    CHECK(request.url == "https://council.example/kiosk/v1/help-sessions");
    CHECK(request.body == storedBody);
    CHECK(headerOf(request, "Content-Type") == "application/json");
    CHECK(headerOf(request, "Idempotency-Key") == id);
    CHECK(headerOf(request, "webhook-id") == id);
    CHECK(headerOf(request, "Authorization") == "Bearer device-token-for-tests");
    const std::string timestamp = headerOf(request, "webhook-timestamp");
    CHECK(timestamp == std::to_string(fixture.clock.nowSeconds()));
    const auto key = decodeWebhookSecret(fixture.keys.webhookSecret);
    REQUIRE(key.has_value());
    CHECK(
        verifyWebhook(*key, id, std::stoll(timestamp), request.body, headerOf(request, "webhook-signature")));
    CHECK_FALSE(verifyWebhook(*key, id, std::stoll(timestamp), request.body + " ",
                              headerOf(request, "webhook-signature")));

    const auto body = nlohmann::json::parse(request.body);
    CHECK(body.at("helpSessionId") == id);
    CHECK(body.at("topic") == "nhs-app");
    CHECK(body.at("minutes") == 15);
    const auto record = fixture.stored(id);
    CHECK(record.state == store::SubmissionState::Delivered);
    CHECK(record.councilReference == "SDC-000001");
    CHECK(fixture.deliver().requests == 0);  // nothing left to send
}

TEST_CASE("Only an acknowledgement naming the help session's key delivers it", "[sync][help]") {
    HelpFixture fixture;
    const std::string id = fixture.recordOne();
    fixture.transport.push(jsonResponse(201, ackFor("someone-elses-key", "HS-1")));
    HttpResponse portal;
    portal.transportOk = true;
    portal.status = 200;
    portal.headers["content-type"] = "text/html";
    portal.body = "<html>Library Wi-Fi</html>";
    fixture.transport.push(portal);

    const auto wrongKey = fixture.deliver();
    CHECK(wrongKey.delivered == 0);
    CHECK(wrongKey.retried == 1);
    CHECK(fixture.stored(id).state == store::SubmissionState::Sealed);

    fixture.clock.advanceMillis(120'000);
    const auto captive = fixture.deliver();
    CHECK(captive.retried == 1);
    CHECK(captive.stoppedEarly);
    CHECK_THAT(captive.lastError, Catch::Contains("captive portal"));

    fixture.clock.advanceMillis(120'000);
    CHECK(fixture.deliver().delivered == 1);
    REQUIRE(fixture.transport.requests.size() == 3);
    // Every attempt sent the same bytes under the same key.
    for (const auto& request : fixture.transport.requests) {
        CHECK(request.body == fixture.transport.requests.front().body);
        CHECK(headerOf(request, "Idempotency-Key") == id);
    }
    CHECK(fixture.stored(id).attempts == 3);
}

TEST_CASE("Help sessions are retried on trouble and held back when the council refuses them",
          "[sync][help]") {
    HelpFixture fixture;
    const std::string refused = fixture.recordOne("other");
    const std::string busy = fixture.recordOne("email-account");
    const std::string unlucky = fixture.recordOne("online-banking");
    fixture.transport.push(jsonResponse(422, R"({"error":"Unknown help topic"})"));
    fixture.transport.push(withHeader(jsonResponse(503, R"({"error":"busy"})"), "retry-after", "30"));

    const std::int64_t start = fixture.clock.nowMillis();
    const auto report = fixture.deliver();
    CHECK(report.heldBack == 1);
    CHECK(report.retried == 1);
    CHECK(report.stoppedEarly);  // 503 concerns the whole queue: the third is not tried
    CHECK(report.requests == 2);
    CHECK(report.resumeAtMillis >= start + 30'000);

    const auto held = fixture.stored(refused);
    CHECK(held.state == store::SubmissionState::HeldBack);
    CHECK(held.councilMessage == "Unknown help topic");
    const auto waiting = fixture.stored(busy);
    CHECK(waiting.state == store::SubmissionState::Sealed);
    CHECK(waiting.nextAttemptAtMillis >= start + 30'000);
    CHECK(waiting.lastError == "HTTP 503");
    CHECK(fixture.stored(unlucky).attempts == 0);

    // A wrong token is retried, never held back: the admin fixes the configuration.
    fixture.clock.advanceMillis(60'000);
    fixture.transport.push(jsonResponse(401, R"({"error":"Unknown device token"})"));
    const auto unauthorised = fixture.deliver();
    CHECK(unauthorised.retried == 1);
    CHECK(unauthorised.stoppedEarly);
    CHECK_THAT(unauthorised.lastError, Catch::Contains("deviceToken"));

    fixture.clock.advanceMillis(600'000);
    fixture.transport.push(transportFailure());
    const auto offline = fixture.deliver();
    CHECK(offline.retried == 1);
    CHECK_FALSE(offline.councilAnswered);
    CHECK_THAT(offline.lastError, Catch::Contains("No answer from the council"));

    fixture.clock.advanceMillis(600'000);
    const auto recovered = fixture.deliver();
    CHECK(recovered.delivered == 2);
    const auto counts = fixture.helpLog->counts();
    CHECK(counts.waiting == 0);
    CHECK(counts.delivered == 2);
    CHECK(counts.heldBack == 1);
}

TEST_CASE("Without a council address help sessions wait and say which setting to fix", "[sync][help]") {
    HelpFixture fixture;
    fixture.config.council.apiBaseUrl = "";
    const auto nothingWaiting = fixture.deliver();
    CHECK(nothingWaiting.lastError.empty());  // a kiosk that records none sees no error
    CHECK_FALSE(nothingWaiting.stoppedEarly);

    const std::string id = fixture.recordOne();
    const auto report = fixture.deliver();
    CHECK(report.requests == 0);
    CHECK(report.stoppedEarly);
    CHECK_THAT(report.lastError, Catch::Contains("council.apiBaseUrl"));
    CHECK(fixture.transport.requests.empty());
    CHECK(fixture.stored(id).attempts == 0);
}

TEST_CASE("Two rounds add up as one", "[sync][help]") {
    DeliveryReport submissions;
    submissions.delivered = 2;
    submissions.requests = 3;
    submissions.heldBack = 1;
    submissions.lastError = "Held back MK1-0000-0001: no";
    submissions.councilAnswered = true;
    DeliveryReport helpSessions;
    helpSessions.delivered = 1;
    helpSessions.retried = 1;
    helpSessions.requests = 2;
    helpSessions.lastError = "HTTP 503";
    helpSessions.councilAnswered = true;
    helpSessions.stoppedEarly = true;
    helpSessions.resumeAtMillis = 5000;

    DeliveryReport total = submissions;
    addRound(total, helpSessions);
    CHECK(total.delivered == 3);
    CHECK(total.retried == 1);
    CHECK(total.heldBack == 1);
    CHECK(total.requests == 5);
    CHECK(total.lastError == "HTTP 503");
    CHECK(total.stoppedEarly);
    CHECK(total.resumeAtMillis == 5000);

    DeliveryReport quiet = submissions;
    addRound(quiet, DeliveryReport{});
    CHECK(quiet.lastError == "Held back MK1-0000-0001: no");  // a round without requests changes nothing
    CHECK(quiet.requests == 3);
    CHECK_FALSE(quiet.stoppedEarly);
}
