// deliverDueSubmissions against a real OutboxStore on a temporary SQLite file, with a scripted
// transport: what goes on the wire, and what the store records for each kind of answer.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "scripted_transport.h"
#include "sync/backoff.h"
#include "sync/outbox_delivery.h"
#include "sync/webhook_signature.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::testing;

namespace {

struct DeliveryFixture {
    TemporaryDirectory directory;
    CouncilKeys keys = makeCouncilKeys();
    KioskConfig config = makeConfig(directory.path(), keys, "https://council.example/kiosk/");
    std::unique_ptr<store::OutboxStore> outbox = openStore(config);
    VirtualClock clock{1'795'602'900'000};
    ScriptedTransport transport;
    Backoff backoff{config.network.retryBaseSeconds, config.network.retryCapSeconds, 2026};

    store::SealedReceipt sealOne(const std::string& serviceId = "missed-bin") {
        auto receipt = seal(*outbox, config, serviceId, R"({"postcode":"ME15 6JQ","bins":["green"]})",
                            clock.nowMillis());
        clock.advanceMillis(1);  // keep "oldest first" unambiguous
        return receipt;
    }
    DeliveryReport deliver() { return deliverDueSubmissions(*outbox, transport, config, clock, backoff); }
    store::SubmissionRecord record(const store::SealedReceipt& receipt) {
        auto found = outbox->findByReference(receipt.reference);
        REQUIRE(found.has_value());
        return *found;
    }
};

}  // namespace

TEST_CASE("Each request carries the key, token and a verifiable Standard Webhooks signature",
          "[sync][delivery]") {
    DeliveryFixture fixture;
    const auto receipt = fixture.sealOne();

    const auto report = fixture.deliver();
    CHECK(report.delivered == 1);
    CHECK(report.requests == 1);
    CHECK(report.councilAnswered);
    CHECK(report.lastError.empty());
    REQUIRE(fixture.transport.requests.size() == 1);

    const HttpRequest& request = fixture.transport.requests.front();
    CHECK(request.method == "POST");
    CHECK(request.url == "https://council.example/kiosk/v1/submissions");
    CHECK(headerOf(request, "Content-Type") == "application/json");
    CHECK(headerOf(request, "Idempotency-Key") == receipt.submissionId);
    CHECK(headerOf(request, "Authorization") == "Bearer device-token-for-tests");
    CHECK(headerOf(request, "webhook-id") == receipt.submissionId);
    CHECK(headerOf(request, "webhook-timestamp") == std::to_string(fixture.clock.nowSeconds()));

    const auto key = decodeWebhookSecret(fixture.keys.webhookSecret);
    REQUIRE(key.has_value());
    CHECK(verifyWebhook(*key, receipt.submissionId, fixture.clock.nowSeconds(), request.body,
                        headerOf(request, "webhook-signature")));
    CHECK_FALSE(verifyWebhook(*key, receipt.submissionId, fixture.clock.nowSeconds(), request.body + " ",
                              headerOf(request, "webhook-signature")));

    const auto body = nlohmann::json::parse(request.body);
    CHECK(body["submissionId"] == receipt.submissionId);
    CHECK(body["reference"] == receipt.reference);
    CHECK(body["payload"]["encoding"] == "x25519-sealed-box");

    const auto stored = fixture.record(receipt);
    CHECK(stored.state == store::SubmissionState::Delivered);
    CHECK(stored.councilReference == "SDC-000001");
    CHECK(fixture.outbox->counts().delivered == 1);
    CHECK(fixture.outbox->counts().waiting == 0);
}

TEST_CASE("A retry resends the exact sealed bytes with the same key", "[sync][delivery]") {
    DeliveryFixture fixture;
    const auto receipt = fixture.sealOne();
    fixture.transport.push(jsonResponse(503, R"({"error":"busy"})"));

    const std::int64_t firstAttemptAt = fixture.clock.nowMillis();
    const auto first = fixture.deliver();
    CHECK(first.retried == 1);
    CHECK(first.delivered == 0);
    CHECK(first.stoppedEarly);
    CHECK(first.lastError == "HTTP 503");

    const auto next = fixture.outbox->nextAttemptAtMillis();
    REQUIRE(next.has_value());
    CHECK(*next >= firstAttemptAt + 1'000);
    CHECK(*next <= firstAttemptAt + fixture.config.network.retryBaseSeconds * 1'000);
    CHECK(fixture.deliver().requests == 0);  // not due yet: nothing is sent

    fixture.clock.setMillis(*next);
    const auto second = fixture.deliver();
    CHECK(second.delivered == 1);
    REQUIRE(fixture.transport.requests.size() == 2);

    const auto& attempt1 = fixture.transport.requests[0];
    const auto& attempt2 = fixture.transport.requests[1];
    CHECK(attempt1.body == attempt2.body);
    CHECK(headerOf(attempt1, "Idempotency-Key") == headerOf(attempt2, "Idempotency-Key"));
    CHECK(headerOf(attempt1, "webhook-id") == headerOf(attempt2, "webhook-id"));
    CHECK(headerOf(attempt1, "webhook-timestamp") != headerOf(attempt2, "webhook-timestamp"));
    CHECK(fixture.record(receipt).attempts == 2);
}

TEST_CASE("A held-back submission does not block the one behind it", "[sync][delivery]") {
    DeliveryFixture fixture;
    const auto refused = fixture.sealOne("street-trading-licence");
    const auto accepted = fixture.sealOne("missed-bin");
    fixture.transport.push(
        jsonResponse(422, R"({"error":"This service no longer accepts kiosk submissions"})"));

    const auto report = fixture.deliver();
    CHECK(report.heldBack == 1);
    CHECK(report.delivered == 1);
    CHECK_FALSE(report.stoppedEarly);
    REQUIRE(fixture.transport.requests.size() == 2);
    CHECK(headerOf(fixture.transport.requests[0], "Idempotency-Key") ==
          refused.submissionId);  // oldest first

    const auto heldBack = fixture.record(refused);
    CHECK(heldBack.state == store::SubmissionState::HeldBack);
    CHECK(heldBack.councilMessage == "This service no longer accepts kiosk submissions");
    CHECK(fixture.record(accepted).state == store::SubmissionState::Delivered);
    CHECK(fixture.outbox->counts().heldBack == 1);

    CHECK(fixture.deliver().requests == 0);  // held back for good: never sent again
}

TEST_CASE("A retry is scheduled in the future and tried once per round", "[sync][delivery]") {
    DeliveryFixture fixture;
    const auto failing = fixture.sealOne();
    const auto fine = fixture.sealOne();
    fixture.transport.push(jsonResponse(500, R"({"error":"Internal error"})"));

    const std::int64_t now = fixture.clock.nowMillis();
    const auto report = fixture.deliver();
    CHECK(report.retried == 1);
    CHECK(report.delivered == 1);  // a 500 may be about one payload: the queue goes on
    CHECK(fixture.transport.requests.size() == 2);

    const auto stored = fixture.record(failing);
    CHECK(stored.state == store::SubmissionState::Sealed);
    CHECK(stored.nextAttemptAtMillis > now);
    CHECK(stored.lastError == "HTTP 500");
    CHECK(fixture.record(fine).state == store::SubmissionState::Delivered);
}

TEST_CASE("An unreachable council ends the round after one request", "[sync][delivery]") {
    DeliveryFixture fixture;
    const auto first = fixture.sealOne();
    const auto second = fixture.sealOne();
    const auto third = fixture.sealOne();
    fixture.transport.setFallback([](const HttpRequest&) { return transportFailure(); });

    const std::int64_t now = fixture.clock.nowMillis();
    const auto report = fixture.deliver();
    CHECK(fixture.transport.requests.size() == 1);
    CHECK(report.retried == 1);
    CHECK(report.stoppedEarly);
    CHECK(report.resumeAtMillis > now);
    CHECK_FALSE(report.councilAnswered);
    CHECK_THAT(report.lastError, Catch::Contains("Connection refused"));

    CHECK(fixture.record(first).attempts == 1);
    CHECK(fixture.record(second).attempts == 0);  // never tried: their backoff is not inflated
    CHECK(fixture.record(third).attempts == 0);
    CHECK(fixture.outbox->counts().waiting == 3);
}

TEST_CASE("A captive portal's 200 is not a delivery", "[sync][delivery]") {
    DeliveryFixture fixture;
    const auto receipt = fixture.sealOne();
    fixture.sealOne();
    HttpResponse portal;
    portal.transportOk = true;
    portal.status = 200;
    portal.headers["content-type"] = "text/html";
    portal.body = "<html>Log in to Library Wi-Fi</html>";
    fixture.transport.push(portal);

    const auto report = fixture.deliver();
    CHECK(report.delivered == 0);
    CHECK(report.stoppedEarly);
    CHECK(fixture.transport.requests.size() == 1);
    CHECK(fixture.record(receipt).state == store::SubmissionState::Sealed);
}

TEST_CASE("More than one batch is delivered in one round, each once", "[sync][delivery]") {
    DeliveryFixture fixture;
    for (int i = 0; i < 120; ++i) fixture.sealOne();

    const auto report = fixture.deliver();
    CHECK(report.delivered == 120);
    CHECK(fixture.transport.requests.size() == 120);
    std::set<std::string> keys;
    for (const auto& request : fixture.transport.requests) keys.insert(headerOf(request, "Idempotency-Key"));
    CHECK(keys.size() == 120);
    CHECK(fixture.outbox->counts().waiting == 0);
}

TEST_CASE("Without a usable webhook secret nothing is sent", "[sync][delivery]") {
    DeliveryFixture fixture;
    fixture.sealOne();
    fixture.config.council.webhookSecret = "whsec_!!!";

    const auto report = fixture.deliver();
    CHECK(report.requests == 0);
    CHECK(fixture.transport.requests.empty());
    CHECK(report.stoppedEarly);
    CHECK_THAT(report.lastError, Catch::Contains("webhookSecret"));
    CHECK(fixture.outbox->counts().waiting == 1);
}

TEST_CASE("A webhook secret that holds no key bytes is refused", "[sync][delivery]") {
    // Base64 skips whitespace, so these decode to nothing: signing with an empty key would
    // prove nothing to the council.
    for (const char* secret : {"whsec_", "whsec_\r", " \n", "whsec_ \t "}) {
        INFO("secret: '" << secret << "'");
        CHECK_FALSE(decodeWebhookSecret(secret));
    }
    CHECK(decodeWebhookSecret("whsec_ AAAA ")->size() == 3);

    DeliveryFixture fixture;
    fixture.sealOne();
    fixture.config.council.webhookSecret = "whsec_\r";
    const auto report = fixture.deliver();
    CHECK(report.requests == 0);
    CHECK_THAT(report.lastError, Catch::Contains("webhookSecret"));
}

TEST_CASE("The database path is kiosk.db in the data directory", "[sync][delivery]") {
    KioskConfig config;
    config.dataDirectory = "/var/lib/council-kiosk";
    CHECK(databasePath(config) == std::filesystem::path("/var/lib/council-kiosk/kiosk.db"));
}
