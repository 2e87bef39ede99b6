// Destinations: the registry built from the configuration, sealing through a named destination,
// and a test-only adapter delivered through the real delivery round on a real SQLite store.
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>

#include "scripted_transport.h"
#include "sync/backoff.h"
#include "sync/kiosk_api_destination.h"
#include "sync/outbox_delivery.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::testing;

namespace {

// A destination with its own made-up wire format: "RECORD <reference> <answers>" sent as is to
// records.example, answered "ok <their reference>" or "no <why>". Its answers are stored
// readable (PayloadProtection::None), which only a test may do.
class RecordingDestination final : public Destination {
public:
    std::string type() const override { return "recording"; }
    Result<store::EncodedPayload> encode(const store::SealContext& context) const override {
        std::lock_guard lock(mutex_);
        store::EncodedPayload encoded;
        encoded.requestBody = "RECORD " + context.reference + " " + context.submission.answersJson;
        encoded.sealedPayload = context.submission.answersJson;
        encoded.protection = store::PayloadProtection::None;
        encodedBodies_.push_back(encoded.requestBody);
        return encoded;
    }
    Status readyToSend() const override { return Done{}; }
    HttpRequest buildRequest(const store::OutboxItem& item, std::int64_t) const override {
        HttpRequest request;
        request.method = "PUT";
        request.url = "https://records.example/" + item.reference;
        request.body = item.requestBody;
        return request;
    }
    DeliveryDecision classify(const HttpResponse& response, const store::OutboxItem&,
                              std::int64_t) const override {
        DeliveryDecision decision;
        decision.councilAnswered = response.transportOk;
        if (response.body.rfind("ok ", 0) == 0) {
            decision.kind = DeliveryDecision::Kind::Delivered;
            decision.councilReference = response.body.substr(3);
        } else if (response.body.rfind("no ", 0) == 0) {
            decision.kind = DeliveryDecision::Kind::HoldBack;
            decision.message = response.body.substr(3);
        } else {
            decision.kind = DeliveryDecision::Kind::Retry;
            decision.message = "records.example did not answer";
        }
        return decision;
    }
    std::vector<std::string> encodedBodies() const {
        std::lock_guard lock(mutex_);
        return encodedBodies_;
    }

private:
    mutable std::mutex mutex_;
    mutable std::vector<std::string> encodedBodies_;
};

HttpResponse textResponse(const std::string& body) {
    HttpResponse response;
    response.transportOk = true;
    response.status = 200;
    response.headers["content-type"] = "text/plain";
    response.body = body;
    return response;
}

// The config's destinations plus the test-only one, named "records".
DestinationRegistry withRecords(const KioskConfig& config, std::shared_ptr<const Destination> recording) {
    auto registry = destinationsFromConfig(config);
    if (!registry) throw std::runtime_error(registry.error().message);
    registry->add("records", std::move(recording));
    return registry.value();
}

struct MixedFixture {
    TemporaryDirectory directory;
    CouncilKeys keys = makeCouncilKeys();
    KioskConfig config = makeConfig(directory.path(), keys, "https://council.example/kiosk");
    std::unique_ptr<store::OutboxStore> outbox = openStore(config);
    VirtualClock clock{1'795'602'900'000};
    ScriptedTransport transport;
    Backoff backoff{config.network.retryBaseSeconds, config.network.retryCapSeconds, 7};
    std::shared_ptr<RecordingDestination> recording = std::make_shared<RecordingDestination>();
    DestinationRegistry destinations = withRecords(config, recording);

    store::SealedReceipt sealTo(const std::string& destination, const std::string& answers) {
        auto submission = makeSubmission("missed-bin", answers);
        submission.destination = destination;
        auto sealed = sealForDestination(*outbox, destinations, submission, clock.nowMillis());
        REQUIRE(sealed.ok());
        clock.advanceMillis(1);
        return sealed.value();
    }
    store::SubmissionRecord record(const store::SealedReceipt& receipt) {
        auto found = outbox->findByReference(receipt.reference);
        REQUIRE(found.has_value());
        return *found;
    }
    DeliveryReport deliver() {
        return deliverDueSubmissions(*outbox, transport, destinations, config, clock, backoff);
    }
};

}  // namespace

TEST_CASE("Without a destinations section the registry holds one kiosk-api made from council",
          "[sync][destination]") {
    TemporaryDirectory directory;
    const KioskConfig config =
        makeConfig(directory.path(), makeCouncilKeys(), "https://council.example/kiosk");
    auto registry = destinationsFromConfig(config);
    REQUIRE(registry.ok());
    CHECK(registry->names() == std::vector<std::string>{"kiosk-api"});
    const Destination* destination = registry->find("kiosk-api");
    REQUIRE(destination != nullptr);
    CHECK(destination->type() == "kiosk-api");
    CHECK(destination->readyToSend().ok());
    store::OutboxItem item;
    item.submissionId = "id-1";
    CHECK(destination->buildRequest(item, 0).url == "https://council.example/kiosk/v1/submissions");
    CHECK(registry->find("open311") == nullptr);
}

TEST_CASE("Named destinations take their own settings and fall back to council for the rest",
          "[sync][destination]") {
    TemporaryDirectory directory;
    KioskConfig config = makeConfig(directory.path(), makeCouncilKeys(), "https://council.example/kiosk");
    config.destinations = {
        {"kiosk-api", "kiosk-api", {}},
        {"county",
         "kiosk-api",
         {{"apiBaseUrl", "https://county.example/api"}, {"deviceToken", "county-token"}}},
    };
    auto registry = destinationsFromConfig(config);
    REQUIRE(registry.ok());
    CHECK(registry->names() == std::vector<std::string>{"county", "kiosk-api"});
    store::OutboxItem item;
    item.submissionId = "id-1";
    const HttpRequest county = registry->find("county")->buildRequest(item, 0);
    CHECK(county.url == "https://county.example/api/v1/submissions");
    CHECK(headerOf(county, "Authorization") == "Bearer county-token");
    const HttpRequest district = registry->find("kiosk-api")->buildRequest(item, 0);
    CHECK(district.url == "https://council.example/kiosk/v1/submissions");
    CHECK(headerOf(district, "Authorization") == "Bearer device-token-for-tests");
    // Same webhook secret (from council): the same signature for the same item and time.
    CHECK(headerOf(county, "webhook-signature") == headerOf(district, "webhook-signature"));

    config.destinations.push_back({"email", "smtp", {}});
    auto unknown = destinationsFromConfig(config);
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == kiosk::ErrorCode::UnknownDestinationType);
    CHECK_THAT(unknown.error().message, Catch::Contains("destinations.email") && Catch::Contains("smtp"));
}

TEST_CASE("Sealing for a destination that is not configured fails and writes nothing",
          "[sync][destination]") {
    MixedFixture fixture;
    const std::string answers = R"({"name":"Ada Quartermaine-Zebedee"})";
    auto submission = makeSubmission("missed-bin", answers);
    submission.destination = "open311";
    auto failed =
        sealForDestination(*fixture.outbox, fixture.destinations, submission, fixture.clock.nowMillis());
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().code == kiosk::ErrorCode::UnknownDestination);
    CHECK_THAT(failed.error().message, Catch::Contains("\"open311\""));
    CHECK_THAT(failed.error().message, !Catch::Contains("Quartermaine"));
    CHECK(fixture.outbox->counts().waiting == 0);

    Result<DestinationRegistry> broken =
        Error{kiosk::ErrorCode::UnknownDestinationType, "destinations.email has type smtp"};
    auto viaBroken = sealForDestination(*fixture.outbox, broken, makeSubmission("missed-bin", answers),
                                        fixture.clock.nowMillis());
    REQUIRE_FALSE(viaBroken.ok());
    CHECK(viaBroken.error().code == kiosk::ErrorCode::UnknownDestinationType);
    CHECK(fixture.outbox->counts().waiting == 0);
}

TEST_CASE(
    "A test destination's sealed bytes are what the delivery round sends, and its decisions are recorded",
    "[sync][destination]") {
    MixedFixture fixture;
    const auto accepted = fixture.sealTo("records", R"({"bin":"green"})");
    const auto refused = fixture.sealTo("records", R"({"bin":"purple"})");
    const auto council = fixture.sealTo("kiosk-api", R"({"bin":"brown"})");
    REQUIRE(fixture.recording->encodedBodies().size() == 2);

    fixture.transport.push(textResponse("ok REC-42"));
    fixture.transport.push(textResponse("no purple bins are not collected here"));
    // The kiosk-api item gets the scripted transport's default: a good acknowledgement.
    const auto report = fixture.deliver();
    CHECK(report.delivered == 2);
    CHECK(report.heldBack == 1);
    CHECK(report.requests == 3);
    REQUIRE(fixture.transport.requests.size() == 3);

    const HttpRequest& first = fixture.transport.requests[0];
    CHECK(first.method == "PUT");
    CHECK(first.url == "https://records.example/" + accepted.reference);
    CHECK(first.body == fixture.recording->encodedBodies()[0]);
    CHECK(first.body == "RECORD " + accepted.reference + R"( {"bin":"green"})");
    CHECK(fixture.transport.requests[1].body == fixture.recording->encodedBodies()[1]);
    CHECK(fixture.transport.requests[2].url == "https://council.example/kiosk/v1/submissions");
    CHECK(headerOf(fixture.transport.requests[2], "Idempotency-Key") == council.submissionId);

    const auto delivered = fixture.record(accepted);
    CHECK(delivered.state == store::SubmissionState::Delivered);
    CHECK(delivered.councilReference == "REC-42");
    CHECK(delivered.destination == "records");
    const auto heldBack = fixture.record(refused);
    CHECK(heldBack.state == store::SubmissionState::HeldBack);
    CHECK(heldBack.councilMessage == "purple bins are not collected here");
    CHECK(fixture.record(council).state == store::SubmissionState::Delivered);
}

TEST_CASE("An item whose destination is not configured waits with a clear error and does not stop the others",
          "[sync][destination]") {
    MixedFixture fixture;
    const auto orphan = fixture.sealTo("records", R"({"bin":"green"})");
    const auto council = fixture.sealTo("kiosk-api", R"({"bin":"brown"})");
    // The configuration changed since: "records" is gone.
    DestinationRegistry withoutRecords;
    withoutRecords.add("kiosk-api",
                       std::make_shared<KioskApiDestination>(KioskApiSettings{
                           fixture.config.council.apiBaseUrl, fixture.config.council.publicKeyBase64,
                           fixture.config.council.deviceToken, fixture.config.council.webhookSecret}));

    const std::int64_t now = fixture.clock.nowMillis();
    const auto report = deliverDueSubmissions(*fixture.outbox, fixture.transport, withoutRecords,
                                              fixture.config, fixture.clock, fixture.backoff);
    CHECK(report.delivered == 1);
    CHECK(report.retried == 1);
    CHECK(report.heldBack == 0);
    CHECK_FALSE(report.stoppedEarly);
    REQUIRE(fixture.transport.requests.size() == 1);  // nothing was sent for the orphan
    CHECK(headerOf(fixture.transport.requests[0], "Idempotency-Key") == council.submissionId);

    const auto waiting = fixture.record(orphan);
    CHECK(waiting.state == store::SubmissionState::Sealed);
    CHECK(waiting.nextAttemptAtMillis > now);
    CHECK_THAT(waiting.lastError, Catch::Contains("\"records\"") && Catch::Contains("destinations"));
    CHECK(fixture.record(council).state == store::SubmissionState::Delivered);

    // Once the destination is configured again it goes, with the bytes sealed at the start.
    fixture.clock.setMillis(waiting.nextAttemptAtMillis);
    fixture.transport.push(textResponse("ok REC-1"));
    CHECK(fixture.deliver().delivered == 1);
    CHECK(fixture.transport.requests.back().body == fixture.recording->encodedBodies()[0]);
}

TEST_CASE("A destination that cannot send leaves its items untouched while the others go",
          "[sync][destination]") {
    MixedFixture fixture;
    const auto stuck = fixture.sealTo("kiosk-api", R"({"bin":"brown"})");
    const auto fine = fixture.sealTo("records", R"({"bin":"green"})");
    fixture.config.council.webhookSecret = "whsec_!!!";
    auto registry = destinationsFromConfig(fixture.config);
    REQUIRE(registry.ok());
    registry->add("records", fixture.recording);
    fixture.transport.push(textResponse("ok REC-9"));

    const std::int64_t now = fixture.clock.nowMillis();
    const auto report = deliverDueSubmissions(*fixture.outbox, fixture.transport, registry.value(),
                                              fixture.config, fixture.clock, fixture.backoff);
    CHECK(report.delivered == 1);
    CHECK(report.requests == 1);
    CHECK(report.stoppedEarly);  // the stuck item is still due: rest until the poll interval
    CHECK(report.resumeAtMillis == now + fixture.config.network.pollIntervalSeconds * 1000);
    CHECK(fixture.record(fine).state == store::SubmissionState::Delivered);
    const auto untouched = fixture.record(stuck);
    CHECK(untouched.state == store::SubmissionState::Sealed);
    CHECK(untouched.attempts == 0);
}

namespace {

// Needs two exchanges per form, as an Open311 token does: the first answer asks the kiosk to come
// back ("later"), the second delivers. Its bytes must stay readable to the council, so they are
// kept encrypted to the kiosk's own key.
class TwoStepDestination final : public Destination {
public:
    std::string type() const override { return "two-step"; }
    Result<store::EncodedPayload> encode(const store::SealContext& context) const override {
        store::EncodedPayload encoded;
        encoded.requestBody = "FORM " + context.submission.answersJson;
        encoded.sealedPayload = context.submission.answersJson;
        encoded.protection = store::PayloadProtection::DeviceKey;
        return encoded;
    }
    Status readyToSend() const override { return Done{}; }
    HttpRequest buildRequest(const store::OutboxItem& item, std::int64_t) const override {
        HttpRequest request;
        request.method = item.progress.empty() ? "POST" : "GET";
        request.url =
            item.progress.empty() ? "https://forms.example/new" : "https://forms.example/" + item.progress;
        request.body = item.progress.empty() ? item.requestBody : std::string();
        return request;
    }
    DeliveryDecision classify(const HttpResponse& response, const store::OutboxItem&,
                              std::int64_t) const override {
        DeliveryDecision decision;
        if (response.body.rfind("later ", 0) == 0) {
            decision.kind = DeliveryDecision::Kind::Retry;
            decision.progress = response.body.substr(6);
            decision.message = "The server has the form and will give its reference later";
        } else if (response.body.rfind("done ", 0) == 0) {
            decision.kind = DeliveryDecision::Kind::Delivered;
            decision.councilReference = response.body.substr(5);
            decision.possibleDuplicate = true;
        }
        return decision;
    }
};

std::string fileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

TEST_CASE("A device-key payload is unreadable on disk, plaintext to its adapter, and deleted once delivered",
          "[sync][destination]") {
    MixedFixture fixture;
    auto identity = store::loadOrCreateDeviceIdentity(fixture.config.dataDirectory);
    REQUIRE(identity.ok());
    fixture.destinations.setDeviceIdentity(
        std::make_shared<const store::DeviceIdentity>(std::move(identity.value())));
    fixture.destinations.add("two-step", std::make_shared<TwoStepDestination>());

    const std::string answers = R"({"answers":[{"id":"name","value":"Zofia Quillfeather-Marsh"}]})";
    const auto sealed = fixture.sealTo("two-step", answers);
    const auto database = databasePath(fixture.config);
    const std::string onDisk = fileBytes(database) + fileBytes(database.string() + "-wal");
    CHECK(onDisk.find("Quillfeather") == std::string::npos);
    const auto stored = fixture.outbox->undeliveredWithPayloads();
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].protection == store::PayloadProtection::DeviceKey);
    CHECK(stored[0].requestBody.find("Quillfeather") == std::string::npos);

    // First exchange: the adapter is given the plaintext, and its progress note is kept.
    fixture.transport.push(textResponse("later ticket-77"));
    auto first = fixture.deliver();
    REQUIRE(fixture.transport.requests.size() == 1);
    CHECK(fixture.transport.requests[0].body == "FORM " + answers);
    CHECK(first.retried == 1);

    // A reopened store (a restart) still knows where delivery got to.
    fixture.outbox.reset();
    fixture.outbox = openStore(fixture.config);
    fixture.clock.advanceMillis(3'600'000);
    fixture.transport.push(textResponse("done C-42"));
    auto second = fixture.deliver();
    REQUIRE(fixture.transport.requests.size() == 2);
    CHECK(fixture.transport.requests[1].method == "GET");
    CHECK(fixture.transport.requests[1].url == "https://forms.example/ticket-77");
    CHECK(second.delivered == 1);

    const auto record = fixture.record(sealed);
    CHECK(record.councilReference == "C-42");
    CHECK(record.possibleDuplicate);
    CHECK(record.payloadPurged);
    CHECK(fixture.outbox->counts().possibleDuplicates == 1);
}

TEST_CASE("Without the device key a device-key destination refuses to seal and writes nothing",
          "[sync][destination]") {
    MixedFixture fixture;
    fixture.destinations.add("two-step", std::make_shared<TwoStepDestination>());
    auto submission = makeSubmission("missed-bin", R"({"answers":[]})");
    submission.destination = "two-step";
    auto sealed =
        sealForDestination(*fixture.outbox, fixture.destinations, submission, fixture.clock.nowMillis());
    REQUIRE_FALSE(sealed.ok());
    CHECK(sealed.error().code == ErrorCode::DestinationNotConfigured);
    CHECK(fixture.outbox->counts().waiting == 0);
}

TEST_CASE("A payload sealed to another kiosk's key is held back, not sent", "[sync][destination]") {
    MixedFixture fixture;
    TemporaryDirectory otherKiosk;
    auto mine = store::loadOrCreateDeviceIdentity(fixture.config.dataDirectory);
    auto theirs = store::loadOrCreateDeviceIdentity(otherKiosk.path());
    REQUIRE(mine.ok());
    REQUIRE(theirs.ok());
    fixture.destinations.setDeviceIdentity(
        std::make_shared<const store::DeviceIdentity>(std::move(theirs.value())));
    fixture.destinations.add("two-step", std::make_shared<TwoStepDestination>());
    const auto sealed = fixture.sealTo("two-step", R"({"answers":[]})");

    fixture.destinations.setDeviceIdentity(
        std::make_shared<const store::DeviceIdentity>(std::move(mine.value())));
    const auto report = fixture.deliver();
    CHECK(fixture.transport.requests.empty());
    CHECK(report.heldBack == 1);
    CHECK(fixture.record(sealed).state == store::SubmissionState::HeldBack);
}
