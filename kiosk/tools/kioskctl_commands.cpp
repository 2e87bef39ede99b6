// kioskctl commands. Messages on stderr say what went wrong and what to do next.
#include "kioskctl_commands.h"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "kiosk/base64.h"
#include "kiosk/clock.h"
#include "kiosk/content.h"
#include "store/device_identity.h"
#include "store/export_bundle.h"
#include "store/help_log.h"
#include "store/outbox_store.h"
#include "store/usage_stats.h"
#include "sync/backoff.h"
#include "sync/destination.h"
#include "sync/help_session_delivery.h"
#include "sync/kiosk_api_destination.h"
#include "sync/sync_worker.h"
#include "sync/transport.h"

namespace kiosk::tools {

std::optional<KioskConfig> loadConfigOrExplain(const CommonOptions& options) {
    auto config = loadConfig(options.configFile);
    if (!config) {
        std::cerr << "kioskctl: " << config.error().message << "\n";
        return std::nullopt;
    }
    if (options.dataDirectory) config->dataDirectory = *options.dataDirectory;
    return *config;
}

store::StoreOptions storeOptions(const KioskConfig& config) {
    store::StoreOptions options;
    options.databaseFile = sync::databasePath(config);
    options.kioskId = config.kioskId;
    options.referencePrefix = config.referencePrefix;
    return options;
}

namespace {

// OutboxStore, HelpLog or UsageStats on the kiosk's database; nullptr after explaining why not.
template <typename Store>
std::unique_ptr<Store> openOrExplain(const KioskConfig& config) {
    auto opened = Store::open(storeOptions(config));
    if (!opened) {
        std::cerr << "kioskctl: cannot open the kiosk database: " << opened.error().message << "\n";
        return nullptr;
    }
    return std::move(opened.value());
}

std::unique_ptr<store::OutboxStore> openStoreOrExplain(const KioskConfig& config) {
    return openOrExplain<store::OutboxStore>(config);
}

std::string percent(double share) {
    return std::to_string(static_cast<int>(share * 100 + 0.5)) + "%";
}

bool writeFile(const std::filesystem::path& path, const std::string& content, mode_t mode) {
    std::ofstream out(path, std::ios::trunc);
    out << content;
    out.close();
    if (!out) return false;
    return ::chmod(path.c_str(), mode) == 0;
}

}  // namespace

int runStatus(const CommonOptions& options, bool asJson) {
    auto config = loadConfigOrExplain(options);
    if (!config) return 1;
    auto outbox = openStoreOrExplain(*config);
    if (!outbox) return 1;
    const store::QueueCounts counts = outbox->counts();
    const std::string lastError = outbox->lastError();
    auto helpLog = openOrExplain<store::HelpLog>(*config);
    if (!helpLog) return 1;
    const store::QueueCounts helpCounts = helpLog->counts();
    if (asJson) {
        nlohmann::json status = {
            {"kioskId", config->kioskId},
            {"queue",
             {{"sealed", counts.waiting},
              {"delivered", counts.delivered},
              {"held_back", counts.heldBack},
              {"delivered_out_of_band", counts.deliveredOutOfBand},
              {"possible_duplicates", counts.possibleDuplicates}}},
            {"oldestWaitingCreatedAtMillis", counts.oldestWaitingCreatedAtMillis},
            {"lastError", lastError.empty() ? nlohmann::json(nullptr) : nlohmann::json(lastError)},
            {"helpSessions",
             {{"sealed", helpCounts.waiting},
              {"delivered", helpCounts.delivered},
              {"held_back", helpCounts.heldBack},
              {"oldestWaitingRecordedAtMillis", helpCounts.oldestWaitingCreatedAtMillis}}},
        };
        std::cout << status.dump(2) << "\n";
    } else {
        std::cout << "Kiosk " << config->kioskId << "\n"
                  << "  waiting to send: " << counts.waiting << "\n"
                  << "  delivered:       " << counts.delivered << "\n"
                  << "  held back:       " << counts.heldBack << "\n"
                  << "  delivered out of band: " << counts.deliveredOutOfBand << "\n"
                  << "  possible duplicates:   " << counts.possibleDuplicates << "\n"
                  << "  last error:      " << (lastError.empty() ? "none" : lastError) << "\n"
                  << "Help sessions\n"
                  << "  waiting to send: " << helpCounts.waiting << "\n"
                  << "  delivered:       " << helpCounts.delivered << "\n"
                  << "  held back:       " << helpCounts.heldBack << "\n";
    }
    return 0;
}

int runSyncOnce(const CommonOptions& options) {
    auto config = loadConfigOrExplain(options);
    if (!config) return 1;
    // Without a "destinations" section the council section is the only destination.
    if (config->destinations.empty() && config->council.apiBaseUrl.empty()) {
        std::cerr << "kioskctl: the configuration has no council.apiBaseUrl to deliver to.\n";
        return 1;
    }
    auto outbox = openStoreOrExplain(*config);
    if (!outbox) return 1;
    SystemClock clock;
    // An admin asking for a sync wants an attempt now, not at the end of the backoff.
    if (auto rescheduled = outbox->makeWaitingDueNow(clock.nowMillis()); !rescheduled) {
        std::cerr << "kioskctl: " << rescheduled.error().message << "\n";
        return 1;
    }
    auto helpLog = openOrExplain<store::HelpLog>(*config);
    if (!helpLog) return 1;
    if (auto rescheduled = helpLog->makeWaitingDueNow(clock.nowMillis()); !rescheduled) {
        std::cerr << "kioskctl: " << rescheduled.error().message << "\n";
        return 1;
    }
    sync::CurlTransport transport(config->network);
    sync::Backoff backoff(config->network.retryBaseSeconds, config->network.retryCapSeconds);
    sync::DeliveryReport report = sync::deliverDueSubmissions(*outbox, transport, *config, clock, backoff);
    const store::QueueCounts counts = outbox->counts();
    std::cout << "delivered " << report.delivered << ", will retry " << report.retried << ", held back "
              << report.heldBack << "; still waiting " << counts.waiting << "\n";
    // As the sync thread does: help sessions wait when the submissions found the council unreachable.
    if (!(report.stoppedEarly && report.requests > 0)) {
        const sync::DeliveryReport help =
            sync::deliverDueHelpSessions(*helpLog, transport, *config, clock, backoff);
        const store::QueueCounts helpCounts = helpLog->counts();
        if (help.requests > 0 || helpCounts.waiting > 0) {
            std::cout << "help sessions: delivered " << help.delivered << ", will retry " << help.retried
                      << ", held back " << help.heldBack << "; still waiting " << helpCounts.waiting << "\n";
        }
        sync::addRound(report, help);
    }
    if (!report.lastError.empty()) std::cout << "last error: " << report.lastError << "\n";
    // Nothing could even be tried: the configuration is wrong, which an admin must fix.
    return report.requests == 0 && !report.lastError.empty() ? 1 : 0;
}

int runKeysGenerate(const std::filesystem::path& outputDirectory) {
    if (sodium_init() < 0) {
        std::cerr << "kioskctl: libsodium could not start.\n";
        return 1;
    }
    std::error_code error;
    std::filesystem::create_directories(outputDirectory, error);
    unsigned char publicKey[crypto_box_PUBLICKEYBYTES];
    unsigned char secretKey[crypto_box_SECRETKEYBYTES];
    crypto_box_keypair(publicKey, secretKey);
    std::string secretText =
        encodeBase64(std::string_view(reinterpret_cast<const char*>(secretKey), sizeof secretKey)) + "\n";
    sodium_memzero(secretKey, sizeof secretKey);
    const std::string publicText =
        encodeBase64(std::string_view(reinterpret_cast<const char*>(publicKey), sizeof publicKey));
    const bool written = writeFile(outputDirectory / "council.pub", publicText + "\n", 0644) &&
                         writeFile(outputDirectory / "council.key", secretText, 0600);
    sodium_memzero(secretText.data(), secretText.size());
    if (!written) {
        std::cerr << "kioskctl: cannot write the keys to " << outputDirectory << ".\n";
        return 1;
    }
    std::cout << "Wrote " << (outputDirectory / "council.pub").string() << " and "
              << (outputDirectory / "council.key").string()
              << " (keep the secret key with the council only)\n"
              << "public key: " << publicText << "\n";
    return 0;
}

int runPackLint(const std::filesystem::path& packDirectory) {
    const PackLoadResult result = loadContentPack(packDirectory);
    if (!result.problems.empty()) {
        std::cerr << "The content pack in " << packDirectory.string() << " has " << result.problems.size()
                  << (result.problems.size() == 1 ? " problem" : " problems") << ":\n";
        for (const auto& problem : result.problems) std::cerr << "  " << describe(problem) << "\n";
        return 1;
    }
    const ContentPack& pack = *result.pack;
    auto count = [](std::size_t n, const char* one, const char* many) {
        return std::to_string(n) + " " + (n == 1 ? one : many);
    };
    std::cout << "OK: pack " << pack.packId << " version " << pack.version
              << (pack.sample ? " (sample data)" : "") << ": "
              << count(pack.services.size(), "service", "services") << ", "
              << count(pack.forms.size(), "form", "forms") << ", "
              << count(pack.gazetteer.size(), "address", "addresses") << ", "
              << count(pack.languages.size(), "language", "languages") << "\n";
    return 0;
}

int runAssist(const CommonOptions& options, bool on) {
    auto config = loadConfigOrExplain(options);
    if (!config) return 1;
    const auto flag = volunteerAssistingFlag(*config);
    std::error_code error;
    if (on) {
        std::ofstream(flag) << "A volunteer is assisting: the session time limit is off.\n";
        if (!std::filesystem::exists(flag, error)) {
            std::cerr << "Could not write " << flag.string() << ". Check the data directory's permissions.\n";
            return 1;
        }
        std::cout << "Volunteer assisting: the time limit is off until `kioskctl assist off`.\n";
    } else {
        std::filesystem::remove(flag, error);
        if (error) {
            std::cerr << "Could not remove " << flag.string() << ": " << error.message() << "\n";
            return 1;
        }
        std::cout << "The time limit is back on.\n";
    }
    return 0;
}

int runStats(const CommonOptions& options, bool asCsv, int days) {
    if (days < 1 || days > 3660) {
        std::cerr << "kioskctl: --days must be from 1 to 3660.\n";
        return 2;
    }
    auto config = loadConfigOrExplain(options);
    if (!config) return 1;
    auto stats = openOrExplain<store::UsageStats>(*config);
    if (!stats) return 1;
    const std::int64_t now = SystemClock().nowMillis();
    if (asCsv) {
        std::cout << stats->csv(now, days);
        return 0;
    }
    const store::UsageSummary summary = stats->summary(now, days);
    std::cout << "Kiosk " << config->kioskId << ", " << summary.firstDate << " to " << summary.lastDate
              << " (UTC)\n"
              << "  sessions:         " << summary.sessions << "\n"
              << "  forms sent:       " << summary.formsSent << " (" << summary.formsSentAssisted
              << " with a volunteer, " << percent(summary.assistedShare) << ")\n"
              << "  read aloud used:  " << summary.sessionsWithReadAloud << " sessions\n"
              << "  larger text used: " << summary.sessionsWithLargerText << " sessions\n"
              << "  high contrast:    " << summary.sessionsWithHighContrast << " sessions\n";
    if (!summary.funnel.empty()) {
        std::cout << "Services (started / reached check answers / sent)\n";
        for (const auto& service : summary.funnel) {
            std::cout << "  " << service.serviceId << ": " << service.started << " / "
                      << service.reachedCheckAnswers << " / " << service.sent << "\n";
        }
    }
    if (!summary.sentByLanguage.empty()) {
        std::cout << "Forms sent by language\n";
        for (const auto& language : summary.sentByLanguage) {
            std::cout << "  " << (language.name.empty() ? "not known" : language.name) << ": "
                      << language.count << "\n";
        }
    }
    std::cout << "Help sessions: " << summary.helpSessions << "\n";
    for (const auto& topic : summary.helpSessionsByTopic) {
        std::cout << "  " << topic.name << ": " << topic.count << "\n";
    }
    return 0;
}

}  // namespace kiosk::tools

namespace kiosk::tools {
namespace {

// The council's public key for sealing: the council section's, or else the first kiosk-api
// destination's own.
std::string councilPublicKey(const KioskConfig& config) {
    if (!config.council.publicKeyBase64.empty()) return config.council.publicKeyBase64;
    for (const auto& destination : config.destinations) {
        const auto key = destination.settings.find("publicKey");
        if (key != destination.settings.end() && !key->second.empty()) return key->second;
    }
    return {};
}

std::optional<store::DeviceIdentity> loadIdentityOrExplain(const KioskConfig& config) {
    auto identity = store::loadOrCreateDeviceIdentity(config.dataDirectory);
    if (!identity) {
        std::cerr << "kioskctl: " << identity.error().message << "\n";
        return std::nullopt;
    }
    return std::move(identity.value());
}

// Reads and checks a bundle; explains every problem on stderr.
std::optional<store::BundleContents> readVerifiedBundle(const std::filesystem::path& bundleFile) {
    auto bundle = store::readBundle(bundleFile);
    if (!bundle) {
        std::cerr << "kioskctl: " << bundle.error().message << "\n";
        return std::nullopt;
    }
    const auto problems = store::findBundleProblems(*bundle);
    if (!problems.empty()) {
        std::cerr << "FAILED: " << bundleFile.string() << " did not pass its checks (kiosk "
                  << (bundle->kioskId.empty() ? "unknown" : bundle->kioskId) << ", fingerprint "
                  << (bundle->deviceFingerprint.empty() ? "unknown" : bundle->deviceFingerprint) << "):\n";
        for (const auto& problem : problems) std::cerr << "  " << problem << "\n";
        return std::nullopt;
    }
    return std::move(bundle.value());
}

}  // namespace

int runDeviceShow(const CommonOptions& options) {
    auto config = loadConfigOrExplain(options);
    if (!config) return 1;
    auto identity = loadIdentityOrExplain(*config);
    if (!identity) return 1;
    std::cout << "Kiosk " << config->kioskId << "\n"
              << "  fingerprint:            " << identity->fingerprint() << "\n"
              << "  signing public key:     " << identity->signingPublicKeyBase64() << "\n"
              << "  encryption public key:  " << identity->encryptionPublicKeyBase64() << "\n";
    return 0;
}

int runExport(const CommonOptions& options, const std::filesystem::path& folder) {
    auto config = loadConfigOrExplain(options);
    if (!config) return 1;
    auto outbox = openStoreOrExplain(*config);
    if (!outbox) return 1;
    auto identity = loadIdentityOrExplain(*config);
    if (!identity) return 1;
    SystemClock clock;
    auto exported =
        store::exportUndelivered(*outbox, *identity, councilPublicKey(*config), folder, clock.nowMillis());
    if (!exported) {
        std::cerr << "kioskctl: " << exported.error().message << "\n";
        return 1;
    }
    if (exported->itemCount == 0) {
        std::cout << "Nothing is waiting to be delivered, so no file was written.\n";
        return 0;
    }
    std::cout << "Exported " << exported->itemCount << (exported->itemCount == 1 ? " form" : " forms")
              << " to " << exported->file.string() << " (" << exported->bytes << " bytes)\n"
              << "Kiosk " << config->kioskId << ", fingerprint " << identity->fingerprint() << "\n";
    const std::string forms =
        std::to_string(exported->itemCount) + (exported->itemCount == 1 ? " form" : " forms");
    return auditFromCommandLine(options, "export", forms + " to " + exported->file.filename().string()) ? 0
                                                                                                        : 1;
}

int runBundleVerify(const std::filesystem::path& bundleFile) {
    auto bundle = readVerifiedBundle(bundleFile);
    if (!bundle) return 1;
    int sealed = 0;
    int heldBack = 0;
    int needOpening = 0;
    for (const auto& item : bundle->items) {
        (item.state == "held_back" ? heldBack : sealed) += 1;
        if (item.protection != store::payloadProtectionName(store::PayloadProtection::SealedToCouncil))
            ++needOpening;
    }
    std::cout << "OK: " << bundleFile.string() << "\n"
              << "  kiosk:       " << bundle->kioskId << "\n"
              << "  fingerprint: " << bundle->deviceFingerprint << "\n"
              << "  exported:    " << sync::formatUtcTimestamp(bundle->createdAtMillis) << "\n"
              << "  items:       " << bundle->items.size() << " (" << sealed << " waiting, " << heldBack
              << " held back; " << needOpening
              << " to open with `kioskctl bundle open` rather than deliver)\n";
    return 0;
}

int runBundleOpen(const std::filesystem::path& bundleFile, const std::filesystem::path& councilKeyFile) {
    std::ifstream keyFile(councilKeyFile);
    std::string secretKey((std::istreambuf_iterator<char>(keyFile)), std::istreambuf_iterator<char>());
    if (!keyFile && !keyFile.eof()) {
        std::cerr << "kioskctl: cannot read the council key file " << councilKeyFile.string() << ".\n";
        return 1;
    }
    auto bundle = readVerifiedBundle(bundleFile);
    if (!bundle) {
        sodium_memzero(secretKey.data(), secretKey.size());
        return 1;
    }
    auto lines = store::openBundle(*bundle, secretKey);
    sodium_memzero(secretKey.data(), secretKey.size());
    if (!lines) {
        std::cerr << "kioskctl: " << lines.error().message << "\n";
        return 1;
    }
    for (const auto& line : *lines) std::cout << line << "\n";
    return 0;
}

int runBundleDeliver(const CommonOptions& options, const std::filesystem::path& bundleFile) {
    auto config = loadConfigOrExplain(options);
    if (!config) return 1;
    auto bundle = readVerifiedBundle(bundleFile);
    if (!bundle) return 1;
    const auto destinations = sync::destinationsFromConfig(*config);
    if (!destinations) {
        std::cerr << "kioskctl: " << destinations.error().message << "\n";
        return 1;
    }
    std::cout << "Bundle from kiosk " << bundle->kioskId << ", fingerprint " << bundle->deviceFingerprint
              << "\n";
    sync::CurlTransport transport(config->network);
    SystemClock clock;
    int delivered = 0;
    int alreadyThere = 0;
    int failed = 0;
    int toOpen = 0;
    for (const auto& item : bundle->items) {
        if (item.protection != store::payloadProtectionName(store::PayloadProtection::SealedToCouncil)) {
            ++toOpen;
            std::cout << "  " << item.reference << ": not sent (stored for the " << item.destination
                      << " destination); read it with `kioskctl bundle open`\n";
            continue;
        }
        const sync::Destination* destination = destinations->find(item.destination);
        if (destination == nullptr) {
            ++failed;
            std::cout << "  " << item.reference << ": failed: no destination named \"" << item.destination
                      << "\" in this configuration\n";
            continue;
        }
        if (auto ready = destination->readyToSend(); !ready) {
            ++failed;
            std::cout << "  " << item.reference << ": failed: " << ready.error().message << "\n";
            continue;
        }
        store::OutboxItem outboxItem;
        outboxItem.submissionId = item.submissionId;
        outboxItem.reference = item.reference;
        outboxItem.serviceId = item.serviceId;
        outboxItem.destination = item.destination;
        outboxItem.requestBody = item.requestBody;  // the exact bytes sealed at the kiosk
        outboxItem.protection = store::PayloadProtection::SealedToCouncil;
        const auto response = transport.send(destination->buildRequest(outboxItem, clock.nowMillis()));
        const auto decision = destination->classify(response, outboxItem, clock.nowMillis());
        if (decision.kind == sync::DeliveryDecision::Kind::Delivered) {
            // The API answers 200 to a key it already holds with the same body, 201 to a new one.
            const bool repeat = response.status == 200;
            (repeat ? alreadyThere : delivered) += 1;
            std::cout << "  " << item.reference << ": " << (repeat ? "already there" : "delivered")
                      << " (council reference " << decision.councilReference << ")\n";
        } else {
            ++failed;
            std::cout << "  " << item.reference << ": failed: " << decision.message << "\n";
        }
    }
    std::cout << "delivered " << delivered << ", already there " << alreadyThere << ", failed " << failed
              << ", to open with `kioskctl bundle open` " << toOpen << "\n";
    if (failed == 0) {
        std::cout << "Once the council confirms receipt, run `kioskctl mark-delivered --bundle FILE` on the "
                     "kiosk.\n";
    }
    return failed == 0 ? 0 : 1;
}

int runMarkDelivered(const CommonOptions& options, const std::filesystem::path& bundleFile) {
    auto config = loadConfigOrExplain(options);
    if (!config) return 1;
    auto bundle = readVerifiedBundle(bundleFile);
    if (!bundle) return 1;
    auto identity = loadIdentityOrExplain(*config);
    if (!identity) return 1;
    // Only this kiosk's own bundles: its key signed the manifest, so the ids are its own.
    if (bundle->kioskId != config->kioskId ||
        bundle->deviceSigningPublicKey != identity->signingPublicKey()) {
        std::cerr << "kioskctl: this bundle was exported by kiosk " << bundle->kioskId << " (fingerprint "
                  << bundle->deviceFingerprint << "), not by this kiosk (" << config->kioskId
                  << ", fingerprint " << identity->fingerprint() << "); nothing was marked.\n";
        return 1;
    }
    auto outbox = openStoreOrExplain(*config);
    if (!outbox) return 1;
    std::vector<std::string> submissionIds;
    for (const auto& item : bundle->items) submissionIds.push_back(item.submissionId);
    SystemClock clock;
    auto marked = outbox->markDeliveredOutOfBand(submissionIds, clock.nowMillis());
    if (!marked) {
        std::cerr << "kioskctl: " << marked.error().message << "\n";
        return 1;
    }
    std::cout << "Marked " << *marked << " of " << submissionIds.size() << " forms delivered out of band";
    if (static_cast<std::size_t>(*marked) < submissionIds.size())
        std::cout << "; the rest were already delivered";
    std::cout << ".\n";
    // Kept apart from delivery over the network, and audited: it is an admin's word, not the council's
    // answer.
    return auditFromCommandLine(options, "marked_delivered_out_of_band",
                                std::to_string(*marked) + " forms from " + bundleFile.filename().string())
               ? 0
               : 1;
}

}  // namespace kiosk::tools
