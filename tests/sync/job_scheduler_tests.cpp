// JobScheduler on a VirtualClock: jobs run when due and not before, earliest first, each on its
// own schedule; makeDueNow brings one forward; the loop sleeps, wakes and stops.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "sync/job_scheduler.h"

using namespace kiosk;
using namespace kiosk::sync;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kStart = 1'795'602'900'000;

}  // namespace

TEST_CASE("Nothing runs before its due time", "[sync][scheduler]") {
    VirtualClock clock(kStart);
    JobScheduler scheduler(clock);
    std::vector<std::int64_t> ranAt;
    scheduler.addJob("deliver", kStart + 5'000, [&](std::int64_t now) {
        ranAt.push_back(now);
        return now + 30'000;
    });
    CHECK(scheduler.runDueJobs().empty());
    clock.advanceMillis(4'999);
    CHECK(scheduler.runDueJobs().empty());
    CHECK(ranAt.empty());
    clock.advanceMillis(1);
    CHECK(scheduler.runDueJobs() == std::vector<std::string>{"deliver"});
    CHECK(ranAt == std::vector<std::int64_t>{kStart + 5'000});
    // Its run function said when next: 30 s later, and not a millisecond sooner.
    CHECK(scheduler.dueAtMillis("deliver") == kStart + 35'000);
    clock.advanceMillis(29'999);
    CHECK(scheduler.runDueJobs().empty());
    clock.advanceMillis(1);
    CHECK(scheduler.runDueJobs() == std::vector<std::string>{"deliver"});
}

TEST_CASE("Each job keeps its own schedule and the earliest due runs first", "[sync][scheduler]") {
    VirtualClock clock(kStart);
    JobScheduler scheduler(clock);
    scheduler.addJob("deliver", kStart + 2'000, [](std::int64_t now) { return now + 1'000; });
    scheduler.addJob("purge", kStart + 1'000, [](std::int64_t now) { return now + 3'600'000; });
    scheduler.addJob("heartbeat", kStart + 2'000, [](std::int64_t now) { return now + 60'000; });
    CHECK(scheduler.nextDueAtMillis() == kStart + 1'000);

    clock.advanceMillis(3'000);
    // purge was due first; deliver and heartbeat were due together and run in the order added.
    CHECK(scheduler.runDueJobs() == std::vector<std::string>{"purge", "deliver", "heartbeat"});
    CHECK(scheduler.dueAtMillis("deliver") == kStart + 4'000);
    CHECK(scheduler.dueAtMillis("purge") == kStart + 3'603'000);
    CHECK(scheduler.dueAtMillis("heartbeat") == kStart + 63'000);
    CHECK(scheduler.nextDueAtMillis() == kStart + 4'000);

    clock.advanceMillis(1'000);
    CHECK(scheduler.runDueJobs() == std::vector<std::string>{"deliver"});
    CHECK_FALSE(scheduler.dueAtMillis("missing").has_value());
}

TEST_CASE("A job that reschedules itself into the past runs once per pass", "[sync][scheduler]") {
    VirtualClock clock(kStart);
    JobScheduler scheduler(clock);
    int runs = 0;
    scheduler.addJob("eager", kStart, [&](std::int64_t now) {
        ++runs;
        return now - 1;
    });
    CHECK(scheduler.runDueJobs().size() == 1);
    CHECK(runs == 1);
    CHECK(scheduler.runDueJobs().size() == 1);
    CHECK(runs == 2);
}

TEST_CASE("makeDueNow makes delivery due now, and only delivery", "[sync][scheduler]") {
    VirtualClock clock(kStart);
    JobScheduler scheduler(clock);
    scheduler.addJob("deliver", kStart + 60'000, [](std::int64_t now) { return now + 30'000; });
    scheduler.addJob("purge", kStart + 60'000, [](std::int64_t now) { return now + 3'600'000; });
    clock.advanceMillis(10);
    scheduler.makeDueNow("deliver");
    CHECK(scheduler.dueAtMillis("deliver") == kStart + 10);
    CHECK(scheduler.dueAtMillis("purge") == kStart + 60'000);
    CHECK(scheduler.runDueJobs() == std::vector<std::string>{"deliver"});
    CHECK(scheduler.dueAtMillis("deliver") == kStart + 30'010);

    // makeDueBy keeps an earlier due time.
    scheduler.makeDueBy("purge", kStart + 90'000);
    CHECK(scheduler.dueAtMillis("purge") == kStart + 60'000);
    scheduler.makeDueBy("purge", kStart + 20);
    CHECK(scheduler.dueAtMillis("purge") == kStart + 20);
}

TEST_CASE("A wake during a job's run makes it due again right after", "[sync][scheduler]") {
    VirtualClock clock(kStart);
    JobScheduler scheduler(clock);
    scheduler.addJob("deliver", kStart, [&](std::int64_t now) {
        scheduler.makeDueNow("deliver");  // a form sealed while this round was sending
        return now + 30'000;
    });
    CHECK(scheduler.runDueJobs().size() == 1);
    CHECK(scheduler.dueAtMillis("deliver") == kStart);
}

TEST_CASE("The loop sleeps until a wake, runs the woken job and stops promptly", "[sync][scheduler]") {
    VirtualClock clock(kStart);  // never advanced: only makeDueNow can make anything due
    JobScheduler scheduler(clock);
    std::atomic<int> delivered{0};
    std::atomic<int> purged{0};
    scheduler.addJob("deliver", kStart + 3'600'000, [&](std::int64_t now) {
        ++delivered;
        return now + 3'600'000;
    });
    scheduler.addJob("purge", kStart + 3'600'000, [&](std::int64_t now) {
        ++purged;
        return now + 3'600'000;
    });
    std::thread loop([&] { scheduler.run(); });

    std::this_thread::sleep_for(200ms);
    CHECK(delivered == 0);  // asleep: nothing was due
    scheduler.makeDueNow("deliver");
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (delivered == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    CHECK(delivered == 1);
    std::this_thread::sleep_for(100ms);
    CHECK(delivered == 1);  // once: its next due time is an hour away
    CHECK(purged == 0);

    const auto stopAt = std::chrono::steady_clock::now();
    scheduler.stop();
    loop.join();
    CHECK(std::chrono::steady_clock::now() - stopAt < 1s);
    CHECK(scheduler.stopping());
}

TEST_CASE("A stopped scheduler's run returns without running anything", "[sync][scheduler]") {
    VirtualClock clock(kStart);
    JobScheduler scheduler(clock);
    int runs = 0;
    scheduler.addJob("deliver", kStart, [&](std::int64_t now) {
        ++runs;
        return now;
    });
    scheduler.stop();
    scheduler.run();
    CHECK(runs == 0);
}
