// SyncWorker: the thread delivers after wake(), publishes a status snapshot, and stops promptly
// even in the middle of a slow request.
#include <catch2/catch.hpp>
#include <chrono>
#include <functional>
#include <thread>

#include "fake_council_process.h"
#include "scripted_transport.h"
#include "sync/sync_worker.h"
#include "test_support.h"

using namespace kiosk;
using namespace kiosk::sync;
using namespace kiosk::sync::testing;
using namespace std::chrono_literals;

namespace {

// Polls `condition` for at most `limit`; true as soon as it holds.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(20ms);
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
    auto started = FakeCouncilProcess::start(options);
    if (!started) FAIL(started.error().message);
    return std::move(started.value());
}

}  // namespace

TEST_CASE("The worker delivers what was sealed after wake() and reports it", "[sync][worker][loopback]") {
    TemporaryDirectory directory;
    const CouncilKeys keys = makeCouncilKeys();
    auto council = startCouncil(directory, keys);
    const KioskConfig config = makeConfig(directory.path(), keys, council->baseUrl());
    auto outbox = openStore(config);  // the "UI thread's" own connection
    SystemClock clock;

    SyncWorker worker(config, clock);
    worker.start();
    for (int i = 0; i < 3; ++i)
        seal(*outbox, config, "missed-bin", R"({"postcode":"ME15 6JQ"})", clock.nowMillis());
    worker.wake();

    CHECK(eventually([&] { return worker.status().delivered == 3; }));
    const SyncStatus status = worker.status();
    CHECK(status.online);
    CHECK(status.waiting == 0);
    CHECK(status.lastContactMillis > 0);
    CHECK(status.lastError.empty());

    const auto start = std::chrono::steady_clock::now();
    worker.stop();
    CHECK(std::chrono::steady_clock::now() - start < 2s);

    const auto received = council->getJson("/admin/received");
    REQUIRE(received.ok());
    CHECK(received.value().size() == 3);
    for (const auto& item : received.value()) CHECK(item["receivedCount"] == 1);
    CHECK(outbox->counts().delivered == 3);
}

TEST_CASE("The worker purges delivered payloads once their retention has passed",
          "[sync][worker][loopback]") {
    TemporaryDirectory directory;
    const CouncilKeys keys = makeCouncilKeys();
    auto council = startCouncil(directory, keys);
    KioskConfig config = makeConfig(directory.path(), keys, council->baseUrl());
    config.retention.deliveredPayloadDays = 0;  // purge as soon as delivered
    auto outbox = openStore(config);
    SystemClock clock;
    seal(*outbox, config, "missed-bin", R"({"postcode":"ME15 6JQ"})", clock.nowMillis());

    SyncWorker worker(config, clock);
    worker.start();
    worker.wake();
    REQUIRE(eventually([&] { return worker.status().delivered == 1; }));
    worker.wake();  // the sweep after the next round sees the delivered row
    CHECK(eventually([&] {
        const auto records = outbox->submissions(10);
        return records.size() == 1 && records[0].payloadPurged;
    }));
    worker.stop();
    const auto records = outbox->submissions(10);
    REQUIRE(records.size() == 1);
    CHECK(records[0].state == store::SubmissionState::Delivered);
    CHECK_FALSE(records[0].reference.empty());
}

TEST_CASE("The worker reports offline when nothing listens", "[sync][worker][loopback]") {
    TemporaryDirectory directory;
    const CouncilKeys keys = makeCouncilKeys();
    const KioskConfig config =
        makeConfig(directory.path(), keys, "http://127.0.0.1:" + std::to_string(unusedLoopbackPort()));
    auto outbox = openStore(config);
    SystemClock clock;
    seal(*outbox, config, "missed-bin", R"({"postcode":"ME15 6JQ"})", clock.nowMillis());

    SyncWorker worker(config, clock);
    worker.start();
    worker.wake();
    CHECK(eventually([&] { return !worker.status().lastError.empty(); }));
    const SyncStatus status = worker.status();
    CHECK_FALSE(status.online);
    CHECK(status.waiting == 1);
    CHECK(status.delivered == 0);
    CHECK_THAT(status.lastError, Catch::Contains("No answer from the council"));
    worker.stop();
    CHECK(outbox->counts().waiting == 1);
}

TEST_CASE("stop() does not wait for a slow council", "[sync][worker][loopback]") {
    TemporaryDirectory directory;
    const CouncilKeys keys = makeCouncilKeys();
    auto council = startCouncil(directory, keys, {"--delay-ms", "8000"});
    KioskConfig config = makeConfig(directory.path(), keys, council->baseUrl());
    config.network.totalTimeoutSeconds = 30;
    config.network.lowSpeedTimeSeconds = 30;
    auto outbox = openStore(config);
    SystemClock clock;
    seal(*outbox, config, "missed-bin", R"({"postcode":"ME15 6JQ"})", clock.nowMillis());

    SyncWorker worker(config, clock);
    worker.start();
    worker.wake();
    std::this_thread::sleep_for(500ms);  // the request is now waiting on the server

    const auto start = std::chrono::steady_clock::now();
    worker.stop();
    CHECK(std::chrono::steady_clock::now() - start < 3s);
    CHECK(outbox->counts().delivered == 0);
}

TEST_CASE("The worker waits for the first-sync delay unless woken", "[sync][worker]") {
    TemporaryDirectory directory;
    const CouncilKeys keys = makeCouncilKeys();
    KioskConfig config = makeConfig(directory.path(), keys, "https://council.example/kiosk");
    config.network.firstSyncMaxDelaySeconds = 3600;  // a whole hour: only wake() can end it
    auto outbox = openStore(config);
    VirtualClock clock;
    seal(*outbox, config, "missed-bin", R"({"postcode":"ME15 6JQ"})", clock.nowMillis());

    auto transport = std::make_unique<ScriptedTransport>();
    ScriptedTransport* scripted = transport.get();
    SyncWorker worker(config, clock, std::move(transport));
    worker.start();
    std::this_thread::sleep_for(300ms);
    CHECK(worker.status().delivered == 0);

    worker.wake();
    CHECK(eventually([&] { return worker.status().delivered == 1; }));
    worker.stop();
    CHECK(scripted->requests.size() == 1);
}

TEST_CASE("A worker that was never started sends nothing, even when woken, and stops cleanly",
          "[sync][worker]") {
    TemporaryDirectory directory;
    const CouncilKeys keys = makeCouncilKeys();
    const KioskConfig config = makeConfig(directory.path(), keys, "https://council.example/kiosk");
    auto outbox = openStore(config);
    VirtualClock clock;
    seal(*outbox, config, "missed-bin", R"({"postcode":"ME15 6JQ"})", clock.nowMillis());

    auto transport = std::make_unique<ScriptedTransport>();
    ScriptedTransport* scripted = transport.get();
    SyncWorker worker(config, clock, std::move(transport));
    worker.wake();  // a form sealed before the worker started must not start it
    std::this_thread::sleep_for(200ms);
    const auto start = std::chrono::steady_clock::now();
    worker.stop();
    CHECK(std::chrono::steady_clock::now() - start < 1s);

    // Once stopped, start() does not bring it back: its transport is cancelled for good.
    worker.start();
    worker.wake();
    std::this_thread::sleep_for(200ms);
    worker.stop();
    CHECK(scripted->requests.empty());
    CHECK(outbox->counts().waiting == 1);
    CHECK(outbox->counts().delivered == 0);
    CHECK(outbox->submissions(1).front().attempts == 0);
    CHECK(worker.status().lastContactMillis == 0);
}

TEST_CASE("A wake() before start() makes the first round run without the first-sync delay",
          "[sync][worker]") {
    TemporaryDirectory directory;
    const CouncilKeys keys = makeCouncilKeys();
    KioskConfig config = makeConfig(directory.path(), keys, "https://council.example/kiosk");
    config.network.firstSyncMaxDelaySeconds = 3600;
    auto outbox = openStore(config);
    VirtualClock clock;
    seal(*outbox, config, "missed-bin", R"({"postcode":"ME15 6JQ"})", clock.nowMillis());

    SyncWorker worker(config, clock, std::make_unique<ScriptedTransport>());
    worker.wake();
    worker.start();
    CHECK(eventually([&] { return worker.status().delivered == 1; }, 5s));
    worker.stop();
    CHECK(outbox->counts().delivered == 1);
}
