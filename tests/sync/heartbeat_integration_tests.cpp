// Heartbeats over loopback to the fake-council process: the sync thread sends them on its own
// with the kiosk's id and queue counts, the council checks token and signature, and keeps what
// it received across a restart.
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

#include "fake_council_process.h"
#include "sync/heartbeat.h"
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

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit = 15s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(50ms);
    }
    return condition();
}

std::unique_ptr<FakeCouncilProcess> startCouncil(const TemporaryDirectory& directory, const CouncilKeys& keys,
                                                 std::vector<std::string> faults = {}) {
    FakeCouncilOptions options;
    options.executable = FAKE_COUNCIL_PATH;
    options.workDirectory = directory.path();
    options.secretKeyBase64 = keys.secretKeyBase64;
    options.deviceToken = "device-token-for-tests";
    options.webhookSecret = keys.webhookSecret;
    options.faults = std::move(faults);
    options.keepState = true;
    auto started = FakeCouncilProcess::start(options);
    if (!started) FAIL(started.error().message);
    return std::move(started.value());
}

json heartbeats(const FakeCouncilProcess& council) {
    const auto list = council.getJson("/admin/heartbeats");
    REQUIRE(list.ok());
    REQUIRE(list.value().is_array());
    return list.value();
}

// A heartbeat as a kiosk would send it, made up for the council's checks.
Heartbeat sampleHeartbeat(std::int64_t uptimeSeconds = 60) {
    Heartbeat heartbeat;
    heartbeat.kioskId = "test-kiosk-1";
    heartbeat.softwareVersion = "0.1.0";
    heartbeat.packId = "sample-district";
    heartbeat.packVersion = "1";
    heartbeat.uptimeSeconds = uptimeSeconds;
    heartbeat.sentAtMillis = SystemClock().nowMillis();
    return heartbeat;
}

}  // namespace

TEST_CASE("The worker sends heartbeats the council records with the kiosk's id and queue counts",
          "[sync][worker][loopback][heartbeat]") {
    TemporaryDirectory directory;
    const CouncilKeys keys = makeCouncilKeys();
    auto council = startCouncil(directory, keys, {"--reject-service", "pest-control"});
    KioskConfig config = makeConfig(directory.path(), keys, council->baseUrl());
    config.network.heartbeatIntervalSeconds = 1;
    config.packDirectory = directory.path() / "pack";
    std::filesystem::create_directories(config.packDirectory);
    std::ofstream(config.packDirectory / "manifest.json") << R"({"packId": "maidstone-hubs", "version": 4})";
    auto outbox = openStore(config);
    SystemClock clock;
    seal(*outbox, config, "missed-bin", R"({"postcode":"ME15 6JQ"})", clock.nowMillis());
    seal(*outbox, config, "pest-control", R"({"postcode":"ME15 6JQ"})", clock.nowMillis());

    SyncWorker worker(config, clock);
    worker.start();
    worker.wake();
    // The first heartbeat may have gone before the round finished; wait for one after it.
    const auto afterTheRound = [&] {
        for (const auto& heartbeat : heartbeats(*council)) {
            if (heartbeat["queue"]["delivered"] == 1 && heartbeat["queue"]["held_back"] == 1) return true;
        }
        return false;
    };
    REQUIRE(eventually(afterTheRound));
    CHECK(eventually([&] { return worker.status().lastHeartbeatMillis > 0; }, 5s));
    worker.stop();

    const json list = heartbeats(*council);
    json latest;
    for (const auto& heartbeat : list) {
        if (heartbeat["queue"]["delivered"] == 1) latest = heartbeat;
    }
    REQUIRE(latest.is_object());
    CHECK(latest["kioskId"] == "test-kiosk-1");
    CHECK(latest["queue"] ==
          json{{"sealed", 0}, {"delivered", 1}, {"held_back", 1}, {"delivered_out_of_band", 0}});
    CHECK(latest["helpSessionsWaiting"] == 0);
    CHECK(latest["oldestWaitingAgeSeconds"] == 0);
    CHECK(latest["lastErrorCode"] == "held_back");
    CHECK(latest["packId"] == "maidstone-hubs");
    CHECK(latest["packVersion"] == "4");
    CHECK(latest["softwareVersion"] == kioskSoftwareVersion());
    CHECK(latest["freeDiskBytes"].is_number_unsigned());
    CHECK(latest["uptimeSeconds"].get<std::int64_t>() >= 1);

    // Heartbeats are not deliveries: the council's request count is the two forms only.
    const auto stats = council->getJson("/admin/stats");
    REQUIRE(stats.ok());
    CHECK(stats.value()["requests"] == 2);
    CHECK(stats.value()["heartbeats"] == list.size());
    CHECK(outbox->counts().delivered == 1);
    CHECK(outbox->counts().heldBack == 1);

    // The council keeps them in its state file like everything else.
    council->stop();
    council = startCouncil(directory, keys);
    CHECK(heartbeats(*council).size() == list.size());
}

TEST_CASE("The fake council refuses a heartbeat with a wrong token or signature and records none",
          "[sync][loopback][heartbeat]") {
    TemporaryDirectory directory;
    const CouncilKeys keys = makeCouncilKeys();
    auto council = startCouncil(directory, keys);
    const KioskConfig config = makeConfig(directory.path(), keys, council->baseUrl());
    CurlTransport transport(config.network);
    const std::string body = encodeHeartbeat(sampleHeartbeat());
    const std::int64_t now = SystemClock().nowMillis();

    KioskApiSettings wrongSecret = councilApiSettings(config);
    wrongSecret.webhookSecret = makeCouncilKeys().webhookSecret;
    const HttpResponse badSignature =
        transport.send(KioskApiDestination(wrongSecret).buildHeartbeatRequest(body, now));
    CHECK(badSignature.status == 401);

    KioskApiSettings wrongToken = councilApiSettings(config);
    wrongToken.deviceToken = "someone-elses-token";
    CHECK(transport.send(KioskApiDestination(wrongToken).buildHeartbeatRequest(body, now)).status == 401);

    // A field the schema does not have is refused: a heartbeat must not grow to carry more.
    json extended = json::parse(body);
    extended["postcode"] = "ME15 6JQ";
    const KioskApiDestination rightCredentials(councilApiSettings(config));
    CHECK(transport.send(rightCredentials.buildHeartbeatRequest(extended.dump(), now)).status == 400);
    CHECK(heartbeats(*council).empty());

    const HttpResponse good = transport.send(rightCredentials.buildHeartbeatRequest(body, now));
    CHECK(good.status == 200);
    CHECK(heartbeatAcknowledged(good));
    const json list = heartbeats(*council);
    REQUIRE(list.size() == 1);
    CHECK(list[0] == json::parse(body));
}

TEST_CASE("The fake council keeps only the last 100 heartbeats, newest last", "[sync][loopback][heartbeat]") {
    TemporaryDirectory directory;
    const CouncilKeys keys = makeCouncilKeys();
    auto council = startCouncil(directory, keys);
    const KioskConfig config = makeConfig(directory.path(), keys, council->baseUrl());
    CurlTransport transport(config.network);
    const KioskApiDestination destination(councilApiSettings(config));
    const std::int64_t now = SystemClock().nowMillis();
    for (int i = 0; i < 105; ++i) {
        REQUIRE(transport.send(destination.buildHeartbeatRequest(encodeHeartbeat(sampleHeartbeat(i)), now))
                    .status == 200);
    }
    const json list = heartbeats(*council);
    REQUIRE(list.size() == 100);
    CHECK(list.front()["uptimeSeconds"] == 5);
    CHECK(list.back()["uptimeSeconds"] == 104);
}
