// reliability-sealer: seals forms straight into a kiosk's outbox with OutboxStore, as the kiosk
// does when a resident taps Send, without a window, so the reliability tests can seal thousands
// and kill the process at any moment.
//
// It prints "ACK <reference> <submissionId>" only after sealSubmission has returned success,
// one line per form, flushed at once: that line stands for the confirmation page a resident
// saw, and the tests hold the store to every one of them after crashes and faults. A form that
// was committed but not yet acknowledged (the process died in between) may or may not exist;
// an acknowledged one must.
//
// usage: reliability-sealer --config FILE [--data-dir DIR] [--count N] [--answer-bytes N]
//          [--pause-ms MAX] [--ack-delay-ms MAX] [--seed S] [--tag TEXT] [--keep-going]
//   --count 0          seal until a seal fails
//   --pause-ms MAX     a random pause of 0..MAX ms before each seal (a resident filling a form)
//   --ack-delay-ms MAX a random pause of 0..MAX ms between commit and the ACK line, so a kill can
//                      land after the commit but before the resident saw the reference
//   --keep-going       a failed seal is reported and the next one is tried
// Other output lines: "FAIL <code> <message>", and "DONE sealed=N failed=M" at the end.
// Exit status: 0 when every seal worked, 3 when one failed, 2 for usage or configuration errors.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>

#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "store/outbox_store.h"
#include "sync/destination.h"

namespace {

struct Options {
    std::string configFile;
    std::string dataDirectory;
    long count = 1;
    std::size_t answerBytes = 64;
    int pauseMs = 0;
    int ackDelayMs = 0;
    std::uint64_t seed = 0;
    std::string tag = "run";
    bool keepGoing = false;
};

bool parse(int argc, char** argv, Options& options) {
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--keep-going") {
            options.keepGoing = true;
            continue;
        }
        if (i + 1 >= argc) {
            std::cerr << "reliability-sealer: " << flag << " needs a value\n";
            return false;
        }
        const std::string value = argv[++i];
        try {
            if (flag == "--config")
                options.configFile = value;
            else if (flag == "--data-dir")
                options.dataDirectory = value;
            else if (flag == "--count")
                options.count = std::stol(value);
            else if (flag == "--answer-bytes")
                options.answerBytes = std::stoul(value);
            else if (flag == "--pause-ms")
                options.pauseMs = std::stoi(value);
            else if (flag == "--ack-delay-ms")
                options.ackDelayMs = std::stoi(value);
            else if (flag == "--seed")
                options.seed = std::stoull(value);
            else if (flag == "--tag")
                options.tag = value;
            else {
                std::cerr << "reliability-sealer: unknown option " << flag << "\n";
                return false;
            }
        } catch (const std::exception&) {
            std::cerr << "reliability-sealer: " << flag << " needs a number\n";
            return false;
        }
    }
    if (options.configFile.empty()) {
        std::cerr << "reliability-sealer: --config is required\n";
        return false;
    }
    return true;
}

// stdio, not write(2): the I/O-error tests make write(2) fail under libfiu, and glibc's stdio
// reaches the kernel through its own internal entry point, so the record of what a resident
// saw is not lost to a fault meant for the database.
void emit(const std::string& line) {
    std::fputs((line + "\n").c_str(), stdout);
    std::fflush(stdout);
}

void randomPause(std::mt19937_64& random, int maxMs) {
    if (maxMs <= 0) return;
    const int ms = std::uniform_int_distribution<int>(0, maxMs)(random);
    if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    if (!parse(argc, argv, options)) return 2;
    auto config = kiosk::loadConfig(options.configFile);
    if (!config) {
        std::cerr << "reliability-sealer: " << config.error().message << "\n";
        return 2;
    }
    if (!options.dataDirectory.empty()) config->dataDirectory = options.dataDirectory;

    kiosk::store::StoreOptions storeOptions;
    storeOptions.databaseFile = config->dataDirectory / "kiosk.db";
    storeOptions.kioskId = config->kioskId;
    storeOptions.referencePrefix = config->referencePrefix;
    auto opened = kiosk::store::OutboxStore::open(storeOptions);
    if (!opened) {
        // An unusable database is a failed seal as far as the resident is concerned.
        emit(std::string("FAIL ") + errorCodeName(opened.error().code) + " " + opened.error().message);
        emit("DONE sealed=0 failed=1");
        return 3;
    }
    auto& outbox = *opened.value();
    // The kiosk's own destinations, as council-kiosk seals with them.
    const auto destinations = kiosk::sync::destinationsFromConfig(*config);

    std::mt19937_64 random(options.seed != 0 ? options.seed : std::random_device{}());
    const kiosk::SystemClock clock;
    long sealed = 0;
    long failed = 0;
    for (long i = 0; options.count == 0 || i < options.count; ++i) {
        randomPause(random, options.pauseMs);
        kiosk::store::SubmissionToSeal submission;
        submission.serviceId = "missed-bin";
        submission.formId = "missed-bin";
        submission.language = "en";
        submission.destination = "kiosk-api";
        submission.answersJson = nlohmann::json{{"postcode", "ME15 6JQ"},
                                                {"run", options.tag},
                                                {"sequence", i},
                                                {"note", std::string(options.answerBytes, 'x')}}
                                     .dump();
        auto receipt = kiosk::sync::sealForDestination(outbox, destinations, submission, clock.nowMillis());
        if (!receipt) {
            ++failed;
            emit(std::string("FAIL ") + errorCodeName(receipt.error().code) + " " + receipt.error().message);
            if (!options.keepGoing) break;
            continue;
        }
        ++sealed;
        randomPause(random, options.ackDelayMs);
        emit("ACK " + receipt->reference + " " + receipt->submissionId);
    }
    emit("DONE sealed=" + std::to_string(sealed) + " failed=" + std::to_string(failed));
    return failed == 0 ? 0 : 3;
}
