// WebhookDestination without a network: the signed event it seals in both payload modes, one and
// two active secrets, the same webhook-id with a fresh signature on every attempt, what a waiting
// readable form leaves on disk, and what each kind of answer means.
#include <sodium.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "kiosk/base64.h"
#include "scripted_transport.h"
#include "sync/backoff.h"
#include "sync/outbox_delivery.h"
#include "sync/webhook_destination.h"
#include "sync/webhook_signature.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::testing;
using nlohmann::json;
using Kind = DeliveryDecision::Kind;

namespace {

const char* kAnswers =
    R"({"service":"housing-advice","form":"housing-advice","formVersion":1,"language":"pl","answers":[)"
    R"({"id":"full-name","question":"What is your full name?","type":"text","value":"Zofia Quillfeather","answer":"Zofia Quillfeather"},)"
    R"({"id":"phone","question":"Phone number","type":"phone","value":"07700 900123","answer":"07700 900123"}]})";

const std::string kPackSettings =
    R"({"email":{"to":"housing@council.example"},"webhook":{"event":"housing.advice.requested"}})";

std::string randomSecret() {
    unsigned char key[24];
    randombytes_buf(key, sizeof key);
    return "whsec_" + toBase64(key, sizeof key);
}

std::vector<unsigned char> keyOf(const std::string& secret) {
    auto key = decodeWebhookSecret(secret);
    REQUIRE(key.has_value());
    return *key;
}

std::string fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// A real store, a scripted transport and a "webhook" destination from the configuration.
struct WebhookFixture {
    TemporaryDirectory directory;
    CouncilKeys keys = makeCouncilKeys();
    KioskConfig config;
    std::unique_ptr<store::OutboxStore> outbox;
    ScriptedTransport transport;
    VirtualClock clock{1'795'601'700'000};
    Backoff backoff{1, 4, 11};
    std::string secretA = randomSecret();
    std::string secretB = randomSecret();

    explicit WebhookFixture(const std::string& payload, const std::string& secrets = "") {
        config = makeConfig(directory.path(), keys, "http://127.0.0.1:9");
        KioskConfig::Destination webhook;
        webhook.name = "webhook";
        webhook.type = "webhook";
        webhook.settings = {{"url", "https://hooks.council.example/kiosk"},
                            {"secrets", secrets.empty() ? secretA : secrets},
                            {"payload", payload}};
        config.destinations.push_back(webhook);
        outbox = openStore(config);
    }

    store::SealedReceipt seal(const std::string& packSettings = kPackSettings) {
        auto submission = makeSubmission("housing-advice", kAnswers);
        submission.destination = "webhook";
        submission.language = "pl";
        submission.destinationSettings = packSettings;
        auto sealed =
            sealForDestination(*outbox, destinationsFromConfig(config), submission, clock.nowMillis());
        REQUIRE(sealed.ok());
        return sealed.value();
    }

    DeliveryReport deliver() { return deliverDueSubmissions(*outbox, transport, config, clock, backoff); }

    store::PayloadProtection storedProtection() {
        const auto stored = outbox->undeliveredWithPayloads();
        REQUIRE(stored.size() == 1);
        return stored[0].protection;
    }

    store::SubmissionRecord record(const store::SealedReceipt& sealed) {
        auto found = outbox->findByReference(sealed.reference);
        REQUIRE(found.has_value());
        return *found;
    }
};

HttpResponse status(long code, const std::string& body = "", const std::string& retryAfter = "") {
    HttpResponse response = jsonResponse(code, body);
    if (!retryAfter.empty()) response.headers["retry-after"] = retryAfter;
    return response;
}

store::OutboxItem storedItem() {
    store::OutboxItem item;
    item.submissionId = "0b9f6a4e-2d7c-4e1a-9c55-3f0d8a1b2c3d";
    item.reference = "SDC1-7K3M-Q9TX";
    item.destination = "webhook";
    item.requestBody = R"({"url":"","event":"{\"type\":\"form.submitted\"}"})";
    return item;
}

}  // namespace

TEST_CASE("A webhook is signed with its one secret over the exact body it carries", "[webhook]") {
    WebhookFixture fixture("sealed-to-council");
    const auto sealed = fixture.seal();
    CHECK(fixture.deliver().delivered == 1);
    REQUIRE(fixture.transport.requests.size() == 1);
    const HttpRequest& request = fixture.transport.requests[0];
    CHECK(request.method == "POST");
    CHECK(request.url == "https://hooks.council.example/kiosk");
    CHECK(headerOf(request, "Content-Type") == "application/json");
    CHECK(headerOf(request, "webhook-id") == sealed.submissionId);
    CHECK(headerOf(request, "Idempotency-Key") == sealed.submissionId);
    CHECK(headerOf(request, "webhook-timestamp") == "1795601700");
    CHECK(headerOf(request, "Authorization").empty());
    const std::string signature = headerOf(request, "webhook-signature");
    CHECK(signature == signWebhook(keyOf(fixture.secretA), sealed.submissionId, 1795601700, request.body));
    CHECK(signature.find(' ') == std::string::npos);

    const json event = json::parse(request.body);
    CHECK(event.at("type") == "housing.advice.requested");
    CHECK(event.at("timestamp") == "2026-11-25T10:15:00Z");
    const json& data = event.at("data");
    CHECK(data.at("submissionId") == sealed.submissionId);
    CHECK(data.at("reference") == sealed.reference);
    CHECK(data.at("kioskId") == "test-kiosk-1");
    CHECK(data.at("service") == "housing-advice");
    CHECK(data.at("form") == "housing-advice");
    CHECK(data.at("formVersion") == 1);
    CHECK(data.at("language") == "pl");
    CHECK(data.at("createdAt") == "2026-11-25T10:15:00Z");
    CHECK(data.at("assisted") == false);
    CHECK_FALSE(data.contains("volunteerId"));
    CHECK_FALSE(data.contains("answers"));
}

TEST_CASE("During rotation every active secret signs, and either one verifies", "[webhook]") {
    WebhookFixture probe("sealed-to-council");
    WebhookFixture fixture("sealed-to-council", probe.secretA + "  " + probe.secretB);
    const auto sealed = fixture.seal();
    CHECK(fixture.deliver().delivered == 1);
    REQUIRE(fixture.transport.requests.size() == 1);
    const HttpRequest& request = fixture.transport.requests[0];
    const std::string header = headerOf(request, "webhook-signature");
    const auto keyA = keyOf(probe.secretA);
    const auto keyB = keyOf(probe.secretB);
    CHECK(header == signWebhook(keyA, sealed.submissionId, 1795601700, request.body) + " " +
                        signWebhook(keyB, sealed.submissionId, 1795601700, request.body));
    CHECK(verifyWebhook(keyA, sealed.submissionId, 1795601700, request.body, header));
    CHECK(verifyWebhook(keyB, sealed.submissionId, 1795601700, request.body, header));
    CHECK_FALSE(verifyWebhook(keyOf(randomSecret()), sealed.submissionId, 1795601700, request.body, header));
}

TEST_CASE("A retried webhook keeps its id and body with a fresh timestamp and signature", "[webhook]") {
    WebhookFixture fixture("sealed-to-council");
    const auto sealed = fixture.seal();
    fixture.transport.push(status(503, "", "120"));
    const DeliveryReport first = fixture.deliver();
    CHECK(first.retried == 1);
    fixture.clock.advanceMillis(600'000);
    CHECK(fixture.deliver().delivered == 1);
    REQUIRE(fixture.transport.requests.size() == 2);
    const HttpRequest& before = fixture.transport.requests[0];
    const HttpRequest& after = fixture.transport.requests[1];
    CHECK(headerOf(before, "webhook-id") == sealed.submissionId);
    CHECK(headerOf(after, "webhook-id") == sealed.submissionId);
    CHECK(before.body == after.body);
    CHECK(headerOf(before, "webhook-timestamp") == "1795601700");
    CHECK(headerOf(after, "webhook-timestamp") == "1795602300");
    CHECK(headerOf(before, "webhook-signature") != headerOf(after, "webhook-signature"));
    CHECK(headerOf(after, "webhook-signature") ==
          signWebhook(keyOf(fixture.secretA), sealed.submissionId, 1795602300, after.body));
}

TEST_CASE("A sealed webhook's answers open only with the council's secret key", "[webhook]") {
    WebhookFixture fixture("sealed-to-council");
    fixture.seal();
    CHECK(fixture.storedProtection() == store::PayloadProtection::SealedToCouncil);
    fixture.deliver();
    REQUIRE_FALSE(fixture.transport.requests.empty());
    const std::string body = fixture.transport.requests[0].body;
    CHECK(body.find("Quillfeather") == std::string::npos);
    const auto ciphertext = decodeBase64(json::parse(body).at("data").at("sealedAnswers").get<std::string>());
    REQUIRE(ciphertext.has_value());
    const auto publicKey = decodeBase64(fixture.keys.publicKeyBase64);
    const auto secretKey = decodeBase64(fixture.keys.secretKeyBase64);
    REQUIRE(ciphertext->size() > crypto_box_SEALBYTES);
    std::string opened(ciphertext->size() - crypto_box_SEALBYTES, '\0');
    REQUIRE(crypto_box_seal_open(reinterpret_cast<unsigned char*>(opened.data()),
                                 reinterpret_cast<const unsigned char*>(ciphertext->data()),
                                 ciphertext->size(),
                                 reinterpret_cast<const unsigned char*>(publicKey->data()),
                                 reinterpret_cast<const unsigned char*>(secretKey->data())) == 0);
    CHECK(opened == kAnswers);
}

TEST_CASE("A readable webhook is kept under the device key while it waits and purged once delivered",
          "[webhook]") {
    WebhookFixture fixture("readable");
    const auto sealed = fixture.seal();
    CHECK(fixture.storedProtection() == store::PayloadProtection::DeviceKey);
    fixture.transport.push(transportFailure());
    CHECK(fixture.deliver().retried == 1);
    for (const char* file : {"kiosk.db", "kiosk.db-wal"}) {
        INFO(file);
        const std::string bytes = fileBytes(fixture.directory.path() / file);
        CHECK(bytes.find("Quillfeather") == std::string::npos);
        CHECK(bytes.find("07700 900123") == std::string::npos);
    }

    fixture.clock.advanceMillis(3'600'000);
    fixture.transport.push(status(202, R"({"id":"CRM-88213"})"));
    CHECK(fixture.deliver().delivered == 1);
    REQUIRE(fixture.transport.requests.size() == 2);
    const json event = json::parse(fixture.transport.requests[1].body);
    CHECK_FALSE(event.at("data").contains("sealedAnswers"));
    CHECK(event.at("data").at("answers") == json::parse(kAnswers).at("answers"));
    const auto record = fixture.record(sealed);
    CHECK(record.state == store::SubmissionState::Delivered);
    CHECK(record.councilReference == "CRM-88213");
    CHECK(record.payloadPurged);
}

TEST_CASE("A service's own webhook URL and a bearer token are used", "[webhook]") {
    WebhookFixture fixture("sealed-to-council");
    fixture.config.destinations.front().settings["bearerToken"] = "hook-token-1";
    fixture.seal(R"({"webhook":{"url":"https://crm.council.example/hooks/housing"}})");
    fixture.deliver();
    REQUIRE(fixture.transport.requests.size() == 1);
    CHECK(fixture.transport.requests[0].url == "https://crm.council.example/hooks/housing");
    CHECK(headerOf(fixture.transport.requests[0], "Authorization") == "Bearer hook-token-1");
    CHECK(json::parse(fixture.transport.requests[0].body).at("type") == "form.submitted");
}

TEST_CASE("A webhook without a URL or with an unusable secret is not ready to send", "[webhook]") {
    const WebhookDestination noUrl(
        {"", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "", "", "", "destinations.hook"});
    REQUIRE_FALSE(noUrl.readyToSend().ok());
    CHECK(noUrl.readyToSend().error().message.find("destinations.hook.url") != std::string::npos);
    const WebhookDestination halfRotated({"https://h.example",
                                          "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw whsec_", "", "", "",
                                          "destinations.hook"});
    REQUIRE_FALSE(halfRotated.readyToSend().ok());
    CHECK(halfRotated.readyToSend().error().message.find("destinations.hook.secrets") != std::string::npos);
    const WebhookDestination fine(
        {"https://h.example", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "", "", "", "destinations.hook"});
    CHECK(fine.readyToSend().ok());
}

TEST_CASE("Webhook answers become delivered, retry or held back", "[webhook]") {
    const WebhookDestination destination(
        {"https://h.example", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "", "", "", "destinations.hook"});
    const auto item = storedItem();
    const std::int64_t now = 1'795'601'700'000;
    const auto classify = [&](const HttpResponse& response) {
        return destination.classify(response, item, now);
    };

    SECTION("any 2xx delivers, with the receiver's reference or id when it gives one") {
        CHECK(classify(status(200, R"({"reference":"HSG-1"})")).councilReference == "HSG-1");
        CHECK(classify(status(201, R"({"id":42})")).councilReference == "42");
        HttpResponse plain = status(204);
        plain.headers["content-type"] = "text/plain";
        const auto decision = classify(plain);
        CHECK(decision.kind == Kind::Delivered);
        CHECK(decision.councilReference.empty());
        CHECK(classify(status(202, "<html>ok</html>")).kind == Kind::Delivered);
    }
    SECTION("a redirect is retried, never followed") {
        const auto decision = classify(status(302));
        CHECK(decision.kind == Kind::Retry);
        CHECK(decision.affectsWholeQueue);
        CHECK(decision.message.find("destinations.hook.url") != std::string::npos);
    }
    SECTION("no answer waits for the network") {
        const auto decision = classify(transportFailure());
        CHECK(decision.kind == Kind::Retry);
        CHECK(decision.affectsWholeQueue);
        CHECK(decision.message.find("webhook receiver") != std::string::npos);
    }
    SECTION("408, 409, 425, 429 and 5xx are retried, honouring Retry-After") {
        for (const long code : {408L, 409L, 425L, 429L, 500L, 502L, 503L, 504L}) {
            INFO(code);
            const auto decision = classify(status(code, "", "30"));
            CHECK(decision.kind == Kind::Retry);
            REQUIRE(decision.retryAfterSeconds.has_value());
            CHECK(*decision.retryAfterSeconds == 30);
        }
    }
    SECTION("401 and 403 hold the whole queue and tell the admin what to fix") {
        for (const long code : {401L, 403L}) {
            INFO(code);
            const auto decision = classify(status(code, R"({"error":"bad signature"})"));
            CHECK(decision.kind == Kind::Retry);
            CHECK(decision.affectsWholeQueue);
            CHECK(decision.message.find("destinations.hook.secrets") != std::string::npos);
            CHECK(decision.message.find("whsec_") == std::string::npos);
        }
    }
    SECTION("other 4xx hold the form back with the receiver's message") {
        const auto decision = classify(status(422, R"({"error":"unknown service"})"));
        CHECK(decision.kind == Kind::HoldBack);
        CHECK(decision.message == "unknown service");
        CHECK(classify(status(404)).kind == Kind::HoldBack);
        CHECK(classify(status(404)).message == "HTTP 404");
    }
    SECTION("a stored request that cannot be read is held back") {
        auto broken = item;
        broken.requestBody = "not json";
        CHECK(destination.classify(status(200), broken, now).kind == Kind::HoldBack);
    }
}
