// reliability-syncer: runs the kiosk's real SyncWorker (libcurl transport, backoff, the lot) on a
// data directory for the reliability tests, the way council-kiosk runs it beside the UI, and
// reports what the worker's status says when it stops.
//
// usage: reliability-syncer --config FILE [--data-dir DIR] --seconds N [--until-delivered N]
//                           [--progress-seconds N]
//   Stops after N seconds of wall time, or as soon as at least --until-delivered submissions are
//   delivered and none is waiting. Prints "SYNCER delivered=.. waiting=.. held_back=..
//   seconds=.. reached=yes|no" and, on the next line, "LAST-ERROR ...". Exit 0 unless a target
//   was given and not reached.
//
// usage: reliability-syncer --simulate-policy --seconds N --base S --cap S [--runs N]
//   What the retry policy allows while the council stays unreachable: each run makes its first
//   attempt at 0 s and the next after max(1 s, Backoff::delayMillis(k)) for the k-th failure in a
//   row, as sync/outbox_delivery.cpp does. Prints "POLICY mean=.. max=.. runs=..": the mean and
//   the largest number of attempts inside N seconds over the simulated runs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>

#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "sync/backoff.h"
#include "sync/sync_worker.h"

namespace {

// The floor sync/outbox_delivery.cpp puts under a jittered retry delay.
constexpr std::int64_t kMinimumRetryDelayMillis = 1000;

struct Options {
    std::string configFile;
    std::string dataDirectory;
    double seconds = 60;
    long untilDelivered = -1;
    double progressSeconds = 0;
    bool simulatePolicy = false;
    int base = 5;
    int cap = 900;
    int runs = 200000;
};

bool parse(int argc, char** argv, Options& options) {
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--simulate-policy") {
            options.simulatePolicy = true;
            continue;
        }
        if (i + 1 >= argc) {
            std::cerr << "reliability-syncer: " << flag << " needs a value\n";
            return false;
        }
        const std::string value = argv[++i];
        try {
            if (flag == "--config")
                options.configFile = value;
            else if (flag == "--data-dir")
                options.dataDirectory = value;
            else if (flag == "--seconds")
                options.seconds = std::stod(value);
            else if (flag == "--until-delivered")
                options.untilDelivered = std::stol(value);
            else if (flag == "--progress-seconds")
                options.progressSeconds = std::stod(value);
            else if (flag == "--base")
                options.base = std::stoi(value);
            else if (flag == "--cap")
                options.cap = std::stoi(value);
            else if (flag == "--runs")
                options.runs = std::stoi(value);
            else {
                std::cerr << "reliability-syncer: unknown option " << flag << "\n";
                return false;
            }
        } catch (const std::exception&) {
            std::cerr << "reliability-syncer: " << flag << " needs a number\n";
            return false;
        }
    }
    if (!options.simulatePolicy && options.configFile.empty()) {
        std::cerr << "reliability-syncer: --config is required\n";
        return false;
    }
    return true;
}

int simulatePolicy(const Options& options) {
    const auto horizonMillis = static_cast<std::int64_t>(options.seconds * 1000);
    long total = 0;
    int most = 0;
    for (int run = 0; run < options.runs; ++run) {
        kiosk::sync::Backoff backoff(options.base, options.cap, static_cast<std::uint64_t>(run) + 1);
        std::int64_t at = 0;
        int attempts = 0;
        for (int failures = 0; at <= horizonMillis; ++failures) {
            ++attempts;
            at += std::max(backoff.delayMillis(failures), kMinimumRetryDelayMillis);
        }
        total += attempts;
        most = std::max(most, attempts);
    }
    std::printf("POLICY mean=%.2f max=%d runs=%d\n", static_cast<double>(total) / options.runs, most,
                options.runs);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    if (!parse(argc, argv, options)) return 2;
    if (options.simulatePolicy) return simulatePolicy(options);

    auto config = kiosk::loadConfig(options.configFile);
    if (!config) {
        std::cerr << "reliability-syncer: " << config.error().message << "\n";
        return 2;
    }
    if (!options.dataDirectory.empty()) config->dataDirectory = options.dataDirectory;

    const kiosk::SystemClock clock;
    kiosk::sync::SyncWorker worker(*config, clock);
    const auto start = std::chrono::steady_clock::now();
    const auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    // No wake(): the kiosk wakes the worker when a form is sealed, and an extra round at start
    // would make the first attempts look closer together than the retry policy spaces them.
    worker.start();

    bool reached = false;
    double lastProgress = 0;
    kiosk::sync::SyncStatus status;
    while (elapsed() < options.seconds) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        status = worker.status();
        if (options.untilDelivered >= 0 && status.delivered >= options.untilDelivered &&
            status.waiting == 0) {
            reached = true;
            break;
        }
        if (options.progressSeconds > 0 && elapsed() - lastProgress >= options.progressSeconds) {
            lastProgress = elapsed();
            std::printf("PROGRESS seconds=%.0f delivered=%d waiting=%d held_back=%d\n", lastProgress,
                        status.delivered, status.waiting, status.heldBack);
            std::fflush(stdout);
        }
    }
    worker.stop();
    status = worker.status();
    if (options.untilDelivered < 0) reached = true;
    std::printf("SYNCER delivered=%d waiting=%d held_back=%d seconds=%.1f reached=%s\n", status.delivered,
                status.waiting, status.heldBack, elapsed(), reached ? "yes" : "no");
    std::printf("LAST-ERROR %s\n", status.lastError.empty() ? "none" : status.lastError.c_str());
    return reached ? 0 : 1;
}
