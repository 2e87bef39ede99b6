// The webhook destination against the fake council's webhook endpoint (tests/fake_council, POST
// /webhooks/forms) over loopback with the real CurlTransport: the answers the council opens are
// the answers sealed, a replay is recognised by its webhook-id, and a wrong secret leaves the
// forms waiting. The development run (installer/dev.sh) sends housing-advice the same way.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "fake_council_process.h"
#include "kiosk/clock.h"
#include "sync/backoff.h"
#include "sync/outbox_delivery.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::testing;
using nlohmann::json;

namespace {

struct CouncilWebhookFixture {
    TemporaryDirectory directory;
    CouncilKeys keys = makeCouncilKeys();
    std::unique_ptr<FakeCouncilProcess> council;
    KioskConfig config;
    std::unique_ptr<store::OutboxStore> outbox;
    VirtualClock clock{SystemClock().nowMillis()};  // the council checks webhook timestamps
    Backoff backoff{1, 4, 11};

    // The kiosk signs with `retiringSecret`, and then with the council's own secret when
    // signWithCouncilSecret.
    CouncilWebhookFixture(const std::string& payload, const std::string& retiringSecret,
                          bool signWithCouncilSecret) {
        const std::string secrets = retiringSecret + (signWithCouncilSecret ? " " + keys.webhookSecret : "");
        FakeCouncilOptions options;
        options.executable = FAKE_COUNCIL_PATH;
        options.workDirectory = directory.path();
        options.secretKeyBase64 = keys.secretKeyBase64;
        options.deviceToken = "device-token-for-tests";
        options.webhookSecret = keys.webhookSecret;
        auto started = FakeCouncilProcess::start(options);
        if (!started) FAIL(started.error().message);
        council = std::move(started.value());
        config = makeConfig(directory.path(), keys, council->baseUrl());
        KioskConfig::Destination webhook;
        webhook.name = "webhook";
        webhook.type = "webhook";
        webhook.settings = {
            {"url", council->baseUrl() + "/webhooks/forms"}, {"secrets", secrets}, {"payload", payload}};
        config.destinations.push_back(webhook);
        outbox = openStore(config);
    }

    store::SealedReceipt seal(const std::string& serviceId, const json& answers) {
        auto submission = makeSubmission(serviceId, answers.dump());
        submission.destination = "webhook";
        submission.destinationSettings = R"({"webhook":{"event":"form.submitted"}})";
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
};

const json kAnswers = {{"service", "housing-advice"},
                       {"answers", json::array({{{"id", "full-name"}, {"value", "Zofia Wiśniewska"}}})}};

}  // namespace

TEST_CASE("The fake council opens a sealed webhook's answers and verifies either rotation secret",
          "[webhook]") {
    const CouncilKeys retiring = makeCouncilKeys();
    for (const std::string payload : {"sealed-to-council", "readable"}) {
        INFO(payload);
        CouncilWebhookFixture fixture(payload, retiring.webhookSecret, false);
        // Signed only with a secret the council does not know: 401, and the form waits.
        fixture.seal("housing-advice", kAnswers);
        CHECK(fixture.deliver().delivered == 0);
        CHECK(fixture.outbox->counts().waiting == 1);
        auto refused = fixture.council->getJson("/admin/webhooks");
        REQUIRE(refused.ok());
        CHECK(refused.value().empty());

        CouncilWebhookFixture rotated(payload, retiring.webhookSecret, true);
        const auto sealed = rotated.seal("housing-advice", kAnswers);
        CHECK(rotated.deliver().delivered == 1);
        auto webhooks = rotated.council->getJson("/admin/webhooks");
        REQUIRE(webhooks.ok());
        REQUIRE(webhooks.value().size() == 1);
        const json& received = webhooks.value()[0];
        CHECK(received.at("webhookId") == sealed.submissionId);
        CHECK(received.at("reference") == sealed.reference);
        CHECK(received.at("payload") == payload);
        CHECK(received.at("answers") == (payload == "readable" ? kAnswers.at("answers") : kAnswers));
        const auto record = rotated.outbox->findByReference(sealed.reference);
        REQUIRE(record.has_value());
        CHECK(record->councilReference == "WH-1");
    }
}
