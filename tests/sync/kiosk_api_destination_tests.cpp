// KioskApiDestination: the body sealed for the kiosk JSON API (moved here from the store's
// sealing tests when the store stopped knowing the wire format), its request and its classifier.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "kiosk/base64.h"
#include "scripted_transport.h"
#include "sync/kiosk_api_destination.h"
#include "sync/webhook_signature.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::testing;

namespace {

// 2026-11-25T10:15:00Z
constexpr std::int64_t kSealTimeMillis = 1'795'601'700'000;

struct SealedFixture {
    TemporaryDirectory directory;
    CouncilKeys keys = makeCouncilKeys();
    KioskConfig config = makeConfig(directory.path(), keys, "https://council.example/kiosk");
    std::unique_ptr<store::OutboxStore> outbox = openStore(config);

    store::OutboxItem onlyItem() {
        auto due = outbox->dueForDelivery(kSealTimeMillis, 10);
        REQUIRE(due.size() == 1);
        return due.front();
    }
};

std::string openSealedBox(const std::string& ciphertext, const CouncilKeys& keys) {
    const auto publicKey = decodeBase64(keys.publicKeyBase64).value();
    const auto secretKey = decodeBase64(keys.secretKeyBase64).value();
    if (ciphertext.size() < crypto_box_SEALBYTES) return {};
    std::string plaintext(ciphertext.size() - crypto_box_SEALBYTES, '\0');
    const int rc =
        crypto_box_seal_open(reinterpret_cast<unsigned char*>(plaintext.data()),
                             reinterpret_cast<const unsigned char*>(ciphertext.data()), ciphertext.size(),
                             reinterpret_cast<const unsigned char*>(publicKey.data()),
                             reinterpret_cast<const unsigned char*>(secretKey.data()));
    return rc == 0 ? plaintext : std::string();
}

}  // namespace

TEST_CASE("The kiosk API body carries the metadata and a sealed box of the answers", "[sync][kiosk-api]") {
    SealedFixture fixture;
    auto submission = makeSubmission("missed-bin", R"({"address":"Flat 4, 17 Marigold Terrace"})");
    submission.formId = "missed-bin-report";
    submission.formVersion = 3;
    auto sealed = sealForDestination(*fixture.outbox, destinationsFromConfig(fixture.config), submission,
                                     kSealTimeMillis);
    REQUIRE(sealed.ok());

    const auto item = fixture.onlyItem();
    CHECK(item.destination == "kiosk-api");
    CHECK(item.protection == store::PayloadProtection::SealedToCouncil);
    auto body = nlohmann::json::parse(item.requestBody);
    CHECK(body.at("submissionId") == sealed->submissionId);
    CHECK(body.at("reference") == sealed->reference);
    CHECK(body.at("kioskId") == "test-kiosk-1");
    CHECK(body.at("serviceId") == "missed-bin");
    CHECK(body.at("formId") == "missed-bin-report");
    CHECK(body.at("formVersion") == 3);
    CHECK(body.at("language") == "en");
    CHECK(body.at("assisted") == false);
    CHECK(body.at("volunteerId").is_null());
    CHECK(body.at("createdAt") == "2026-11-25T10:15:00Z");
    CHECK(body.at("payload").at("encoding") == "x25519-sealed-box");
    // Key order and layout are the wire format: compact, keys sorted, exactly as before destinations.
    const auto ciphertext = decodeBase64(body.at("payload").at("ciphertext").get<std::string>()).value();
    CHECK(
        item.requestBody ==
        R"({"assisted":false,"createdAt":"2026-11-25T10:15:00Z","formId":"missed-bin-report","formVersion":3,)"
        R"("kioskId":"test-kiosk-1","language":"en","payload":{"ciphertext":")" +
            encodeBase64(ciphertext) + R"(","encoding":"x25519-sealed-box"},"reference":")" +
            sealed->reference + R"(","serviceId":"missed-bin","submissionId":")" + sealed->submissionId +
            R"(","volunteerId":null})");
    CHECK(openSealedBox(ciphertext, fixture.keys) == submission.answersJson);
    // The blob column holds the same sealed box the body carries.
    CHECK(item.requestBody.find(encodeBase64(ciphertext)) != std::string::npos);
    // Another key pair cannot open it: it really is sealed to the configured council key.
    CHECK(openSealedBox(ciphertext, makeCouncilKeys()).empty());
}

TEST_CASE("An assisted submission's kiosk API body names its volunteer", "[sync][kiosk-api]") {
    SealedFixture fixture;
    auto submission = makeSubmission("missed-bin", "{}");
    submission.assisted = true;
    submission.volunteerId = "vol-17";
    REQUIRE(sealForDestination(*fixture.outbox, destinationsFromConfig(fixture.config), submission,
                               kSealTimeMillis));
    auto body = nlohmann::json::parse(fixture.onlyItem().requestBody);
    CHECK(body.at("assisted") == true);
    CHECK(body.at("volunteerId") == "vol-17");
}

TEST_CASE("Without a usable council key nothing is sealed", "[sync][kiosk-api]") {
    SealedFixture fixture;
    const std::string key = GENERATE(as<std::string>{}, "", "not base64!", "AAAA",
                                     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    fixture.config.council.publicKeyBase64 = key;
    auto failed =
        sealForDestination(*fixture.outbox, destinationsFromConfig(fixture.config),
                           makeSubmission("missed-bin", R"({"phone":"07700 900982"})"), kSealTimeMillis);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().code == kiosk::ErrorCode::NoCouncilKey);
    CHECK_THAT(failed.error().message, Catch::Contains("council.publicKeyBase64"));
    CHECK(fixture.outbox->counts().waiting == 0);
    CHECK(fixture.outbox->dueForDelivery(kSealTimeMillis, 10).empty());
}

TEST_CASE("A metadata field that is not UTF-8 fails the seal with invalid_submission", "[sync][kiosk-api]") {
    SealedFixture fixture;
    auto failed = sealForDestination(*fixture.outbox, destinationsFromConfig(fixture.config),
                                     makeSubmission("missed\xff-bin", "{}"), kSealTimeMillis);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().code == kiosk::ErrorCode::InvalidSubmission);
    CHECK(fixture.outbox->counts().waiting == 0);
}

TEST_CASE("The kiosk API request is the signed POST of the stored bytes", "[sync][kiosk-api]") {
    KioskApiSettings settings;
    settings.apiBaseUrl = "https://council.example/kiosk//";
    settings.deviceToken = "token-1";
    settings.webhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const KioskApiDestination destination(settings);
    REQUIRE(destination.readyToSend().ok());

    store::OutboxItem item;
    item.submissionId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    item.requestBody = R"({"test": 2432232314})";
    const HttpRequest request = destination.buildRequest(item, 1'614'265'330'999);
    CHECK(request.method == "POST");
    CHECK(request.url == "https://council.example/kiosk/v1/submissions");
    CHECK(request.body == item.requestBody);
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"Content-Type", "application/json"},
        {"Accept", "application/json"},
        {"Idempotency-Key", "msg_p5jXN8AQM9LWM0D4loKWxJek"},
        {"Authorization", "Bearer token-1"},
        {"webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"},
        {"webhook-timestamp", "1614265330"},
        // The Standard Webhooks reference vector: same secret, id, timestamp and body.
        {"webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="},
    };
    CHECK(request.headers == expected);

    // Its classifier is DeliveryPolicy's, keyed to this item.
    const auto delivered =
        destination.classify(jsonResponse(201, ackFor(item.submissionId, "SDC-7")), item, 0);
    CHECK(delivered.kind == DeliveryDecision::Kind::Delivered);
    CHECK(delivered.councilReference == "SDC-7");
    CHECK(destination.classify(jsonResponse(201, ackFor("someone-else", "SDC-7")), item, 0).kind ==
          DeliveryDecision::Kind::Retry);
}

TEST_CASE("A kiosk API destination without an address or secret says which setting to fix",
          "[sync][kiosk-api]") {
    KioskApiSettings settings;
    settings.webhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    auto noAddress = KioskApiDestination(settings).readyToSend();
    REQUIRE_FALSE(noAddress.ok());
    CHECK_THAT(noAddress.error().message, Catch::Contains("council.apiBaseUrl"));

    settings.apiBaseUrl = "https://council.example";
    settings.webhookSecret = "whsec_!!!";
    settings.configSection = "destinations.county";
    auto badSecret = KioskApiDestination(settings).readyToSend();
    REQUIRE_FALSE(badSecret.ok());
    CHECK_THAT(badSecret.error().message, Catch::Contains("destinations.county.webhookSecret"));
}

TEST_CASE("createdAt is written in UTC to the second", "[sync][kiosk-api]") {
    CHECK(formatUtcTimestamp(kSealTimeMillis) == "2026-11-25T10:15:00Z");
    CHECK(formatUtcTimestamp(kSealTimeMillis + 999) == "2026-11-25T10:15:00Z");
    CHECK(formatUtcTimestamp(0) == "1970-01-01T00:00:00Z");
    CHECK(formatUtcTimestamp(-1) == "1969-12-31T23:59:59Z");
}
