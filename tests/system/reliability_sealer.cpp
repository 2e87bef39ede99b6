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
//          [--services ID,ID,...]
//   --count 0          seal until a seal fails
//   --services         the forms take these services of the configured pack in turn, each sealed
//                      for the destination and with the destinationSettings its services.json
//                      gives, and answers that destination's server accepts (missed-bin goes to
//                      "open311", moving-home to "email" in the sample pack); without it every
//                      form is a missed-bin for "kiosk-api"
//   --pause-ms MAX     a random pause of 0..MAX ms before each seal (a resident filling a form)
//   --ack-delay-ms MAX a random pause of 0..MAX ms between commit and the ACK line, so a kill can
//                      land after the commit but before the resident saw the reference
//   --keep-going       a failed seal is reported and the next one is tried
// Other output lines: "FAIL <code> <message>", and "DONE sealed=N failed=M" at the end.
// Exit status: 0 when every seal worked, 3 when one failed, 2 for usage or configuration errors.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

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
    std::vector<std::string> services;
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
            else if (flag == "--services") {
                std::stringstream list(value);
                for (std::string id; std::getline(list, id, ',');)
                    if (!id.empty()) options.services.push_back(id);
            } else {
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

// One pack service as it is sealed: where it goes and the settings its destination reads.
struct PackService {
    std::string destination;
    std::string destinationSettings;
};

std::map<std::string, PackService> readPackServices(const std::filesystem::path& packDirectory) {
    std::ifstream in(packDirectory / "services.json");
    const auto services = nlohmann::json::parse(in, nullptr, false);
    std::map<std::string, PackService> found;
    if (!services.is_object()) return found;
    for (const auto& service : services.value("services", nlohmann::json::array())) {
        found[service.value("id", "")] = {
            service.value("destination", "kiosk-api"),
            service.value("destinationSettings", nlohmann::json::object()).dump()};
    }
    return found;
}

nlohmann::json answer(const std::string& id, const std::string& type, nlohmann::json value,
                      const std::string& text) {
    return {{"id", id}, {"question", "Question " + id}, {"type", type}, {"value", value}, {"answer", text}};
}

// The kiosk's answers document for one form of a sample service. The note (sequence and tag)
// makes each form distinct, as two residents' forms are; it goes into the text an Open311
// description or an email carries.
std::string answersFor(const std::string& service, const std::string& note) {
    const nlohmann::json address = {{"uprn", "200003456789"}, {"lines", {"Flat 4", "17 Marigold Terrace"}},
                                    {"town", "Maidstone"},    {"postcode", "ME15 6JQ"},
                                    {"latitude", 51.2704},    {"longitude", 0.5227}};
    nlohmann::json answers;
    if (service == "missed-bin") {
        answers = {answer("address", "address", address, "Flat 4, 17 Marigold Terrace"),
                   answer("bins", "several-choices", {"refuse", "food"}, "General rubbish, Food waste"),
                   answer("bin-out", "yes-no", true, "Yes"), answer("more-details", "long-text", note, note)};
    } else if (service == "moving-home") {
        answers = {answer("full-name", "short-text", "Jane van Dyke", "Jane van Dyke"),
                   answer("current-address", "address", address, "Flat 4, 17 Marigold Terrace"),
                   answer("moving-date", "date", "2026-12-10", "10 December 2026"),
                   answer("moving-within", "yes-no", false, "No"),
                   answer("other-adults", "whole-number", 1, "1"),
                   answer("new-address-outside", "long-text", note, note),
                   answer("email", "email", "jane@example.org", "jane@example.org")};
    } else {
        answers = {answer("address", "address", address, "Flat 4, 17 Marigold Terrace"),
                   answer("note", "long-text", note, note)};
    }
    return nlohmann::json{
        {"service", service}, {"form", service}, {"formVersion", 1}, {"language", "en"}, {"answers", answers}}
        .dump();
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
    const auto packServices = readPackServices(config->packDirectory);

    std::mt19937_64 random(options.seed != 0 ? options.seed : std::random_device{}());
    const kiosk::SystemClock clock;
    long sealed = 0;
    long failed = 0;
    for (long i = 0; options.count == 0 || i < options.count; ++i) {
        randomPause(random, options.pauseMs);
        kiosk::store::SubmissionToSeal submission;
        submission.language = "en";
        if (options.services.empty()) {
            submission.serviceId = "missed-bin";
            submission.formId = "missed-bin";
            submission.destination = "kiosk-api";
            submission.answersJson = nlohmann::json{{"postcode", "ME15 6JQ"},
                                                    {"run", options.tag},
                                                    {"sequence", i},
                                                    {"note", std::string(options.answerBytes, 'x')}}
                                         .dump();
        } else {
            const std::string& service =
                options.services[static_cast<std::size_t>(i) % options.services.size()];
            const auto found = packServices.find(service);
            if (found == packServices.end()) {
                std::cerr << "reliability-sealer: the pack has no service " << service << "\n";
                return 2;
            }
            submission.serviceId = service;
            submission.formId = service;
            submission.destination = found->second.destination;
            submission.destinationSettings = found->second.destinationSettings;
            submission.answersJson = answersFor(service, options.tag + " form " + std::to_string(i) + " " +
                                                             std::string(options.answerBytes, 'x'));
        }
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
