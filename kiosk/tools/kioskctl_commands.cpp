// kioskctl commands. Messages on stderr say what went wrong and what to do next.
#include "kioskctl_commands.h"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "kiosk/base64.h"
#include "kiosk/clock.h"
#include "kiosk/content.h"
#include "store/outbox_store.h"
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

namespace {

std::unique_ptr<store::OutboxStore> openStoreOrExplain(const KioskConfig& config) {
    store::StoreOptions options;
    options.databaseFile = sync::databasePath(config);
    options.kioskId = config.kioskId;
    options.referencePrefix = config.referencePrefix;
    auto outbox = store::OutboxStore::open(options);
    if (!outbox) {
        std::cerr << "kioskctl: cannot open the kiosk database: " << outbox.error().message << "\n";
        return nullptr;
    }
    return std::move(outbox.value());
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
    if (asJson) {
        nlohmann::json status = {
            {"kioskId", config->kioskId},
            {"queue",
             {{"sealed", counts.waiting}, {"delivered", counts.delivered}, {"held_back", counts.heldBack}}},
            {"oldestWaitingCreatedAtMillis", counts.oldestWaitingCreatedAtMillis},
            {"lastError", lastError.empty() ? nlohmann::json(nullptr) : nlohmann::json(lastError)},
        };
        std::cout << status.dump(2) << "\n";
    } else {
        std::cout << "Kiosk " << config->kioskId << "\n"
                  << "  waiting to send: " << counts.waiting << "\n"
                  << "  delivered:       " << counts.delivered << "\n"
                  << "  held back:       " << counts.heldBack << "\n"
                  << "  last error:      " << (lastError.empty() ? "none" : lastError) << "\n";
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
    sync::CurlTransport transport(config->network);
    const sync::DeliveryReport report = sync::deliverDueSubmissions(*outbox, transport, *config, clock);
    const store::QueueCounts counts = outbox->counts();
    std::cout << "delivered " << report.delivered << ", will retry " << report.retried << ", held back "
              << report.heldBack << "; still waiting " << counts.waiting << "\n";
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

}  // namespace kiosk::tools
