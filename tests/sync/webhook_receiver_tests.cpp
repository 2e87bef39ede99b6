// The webhook destination checked by someone else's code: the kiosk's real CurlTransport posts
// every sample service's form over loopback to a Node receiver (tests/webhook_receiver) that
// verifies each request with the off-the-shelf npm `standardwebhooks` library. The kiosk signs
// with two active secrets and the receiver knows only the second, as during a rotation; with a
// secret the receiver does not know, it answers 401 and the forms wait.
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>

#include "kiosk/clock.h"
#include "server_process.h"
#include "sync/backoff.h"
#include "sync/outbox_delivery.h"
#include "sync/transport.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::testing;
using nlohmann::json;

namespace {

std::string readFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string answersFor(const std::string& serviceId) {
    const json answers = json::array({
        {{"id", "full-name"},
         {"question", "What is your full name?"},
         {"type", "text"},
         {"value", "Zofia Wiśniewska"},
         {"answer", "Zofia Wiśniewska"}},
        {{"id", "details"},
         {"question", "Tell us more"},
         {"type", "text"},
         {"value", "म घर सर्दैछु"},
         {"answer", "म घर सर्दैछु"}},
    });
    return json{{"service", serviceId},
                {"form", serviceId},
                {"formVersion", 1},
                {"language", "pl"},
                {"answers", answers}}
        .dump();
}

struct ReceiverFixture {
    TemporaryDirectory directory;
    CouncilKeys keys = makeCouncilKeys();
    CouncilKeys retiring = makeCouncilKeys();
    std::unique_ptr<ServerProcess> receiver;
    KioskConfig config;
    std::unique_ptr<store::OutboxStore> outbox;
    VirtualClock clock{SystemClock().nowMillis()};
    Backoff backoff{1, 4, 11};
    json services;

    // The kiosk signs with `retiring` and then `keys`; the receiver knows only `receiverSecret`,
    // the current one (keys.webhookSecret) when not given.
    explicit ReceiverFixture(const std::string& payload,
                             std::optional<std::string> receiverSecret = std::nullopt) {
        REQUIRE(std::filesystem::exists(std::filesystem::path(WEBHOOK_RECEIVER_DIR) / "node_modules" /
                                        "standardwebhooks" / "package.json"));
        const auto portFile = directory.path() / "receiver.port";
        auto started = ServerProcess::start(
            {NODE_EXECUTABLE, std::string(WEBHOOK_RECEIVER_DIR) + "/receiver.js", "--secret",
             receiverSecret.value_or(keys.webhookSecret), "--port-file", portFile.string()},
            portFile, "webhook receiver");
        REQUIRE(started.ok());
        receiver = std::move(started.value());
        config = makeConfig(directory.path(), keys, "http://127.0.0.1:9");
        config.network.retryBaseSeconds = 1;
        config.network.retryCapSeconds = 4;
        KioskConfig::Destination webhook;
        webhook.name = "webhook";
        webhook.type = "webhook";
        webhook.settings = {{"url", receiver->baseUrl() + "/webhooks/forms"},
                            {"secrets", retiring.webhookSecret + " " + keys.webhookSecret},
                            {"payload", payload}};
        config.destinations.push_back(webhook);
        outbox = openStore(config);
        services =
            json::parse(readFile(std::filesystem::path(SAMPLE_PACK_DIR) / "services.json")).at("services");
    }

    store::SealedReceipt sealFor(const json& service) {
        auto submission = makeSubmission(service.at("id"), answersFor(service.at("id")));
        submission.destination = "webhook";
        submission.destinationSettings = service.at("destinationSettings").dump();
        auto sealed =
            sealForDestination(*outbox, destinationsFromConfig(config), submission, clock.nowMillis());
        REQUIRE(sealed.ok());
        clock.advanceMillis(1);
        return sealed.value();
    }

    DeliveryReport deliver() {
        CurlTransport transport(config.network);
        return deliverDueSubmissions(*outbox, transport, config, clock, backoff);
    }

    json received() {
        auto document = receiver->getJson("/admin/received");
        REQUIRE(document.ok());
        return document.value();
    }
};

}  // namespace

TEST_CASE("Every sample service's webhook verifies with the standardwebhooks library during a rotation",
          "[webhook]") {
    for (const std::string payload : {"sealed-to-council", "readable"}) {
        INFO(payload);
        ReceiverFixture fixture(payload);
        std::vector<store::SealedReceipt> sealed;
        for (const auto& service : fixture.services) {
            // Every service in the pack says which event its form raises.
            REQUIRE(service.at("destinationSettings").contains("webhook"));
            sealed.push_back(fixture.sealFor(service));
        }
        REQUIRE(sealed.size() == 5);

        const DeliveryReport report = fixture.deliver();
        CHECK(report.delivered == 5);
        CHECK(fixture.outbox->counts().delivered == 5);
        const json received = fixture.received();
        CHECK(received.at("rejected").empty());
        REQUIRE(received.at("accepted").size() == 5);
        for (std::size_t i = 0; i < 5; ++i) {
            const json& request = received.at("accepted")[i];
            const json& service = fixture.services[i];
            CHECK(request.at("path") == "/webhooks/forms");
            CHECK(request.at("id") == sealed[i].submissionId);
            CHECK(request.at("idempotencyKey") == sealed[i].submissionId);
            // Two signatures, the retiring secret's first; the library found the one it knows.
            CHECK(request.at("signature").get<std::string>().find(' ') != std::string::npos);
            const json event = json::parse(request.at("body").get<std::string>());
            CHECK(event.at("type") == service.at("destinationSettings").at("webhook").at("event"));
            CHECK(event.at("data").at("reference") == sealed[i].reference);
            CHECK(event.at("data").at("service") == service.at("id"));
            CHECK(event.at("data").contains("answers") == (payload == "readable"));
            CHECK(event.at("data").contains("sealedAnswers") == (payload == "sealed-to-council"));
            const auto record = fixture.outbox->findByReference(sealed[i].reference);
            REQUIRE(record.has_value());
            CHECK(record->councilReference == "WH-" + std::to_string(i + 1));
        }
        // Sending again sends nothing.
        CHECK(fixture.deliver().requests == 0);
    }
}

TEST_CASE("A webhook signed only with secrets the receiver does not know is refused, and the forms wait",
          "[webhook]") {
    const CouncilKeys stranger = makeCouncilKeys();
    ReceiverFixture fixture("sealed-to-council", stranger.webhookSecret);
    const auto first = fixture.sealFor(fixture.services[0]);
    fixture.sealFor(fixture.services[1]);

    const DeliveryReport report = fixture.deliver();
    CHECK(report.delivered == 0);
    CHECK(report.requests == 1);  // a refused signature holds the whole queue
    CHECK(report.lastError.find("destinations.webhook.secrets") != std::string::npos);
    CHECK(report.lastError.find("whsec_") == std::string::npos);
    CHECK(fixture.outbox->counts().waiting == 2);
    const json received = fixture.received();
    CHECK(received.at("accepted").empty());
    REQUIRE(received.at("rejected").size() == 1);
    CHECK(received.at("rejected")[0].at("id") == first.submissionId);
}
