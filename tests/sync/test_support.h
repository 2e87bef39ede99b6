// Shared helpers for the sync tests: a temporary directory, a council key pair, a kiosk config
// pointing at it, and a real OutboxStore on a temporary SQLite file.
#pragma once

#include <sodium.h>

#include <filesystem>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "kiosk/base64.h"
#include "kiosk/config.h"
#include "store/outbox_store.h"
#include "sync/destination.h"

namespace kiosk::sync::testing {

inline std::string toBase64(const unsigned char* data, std::size_t size) {
    return kiosk::encodeBase64(std::string_view(reinterpret_cast<const char*>(data), size));
}

// A directory under the system temp dir, removed with everything in it at the end of the test.
class TemporaryDirectory {
public:
    TemporaryDirectory() {
        std::random_device random;
        path_ = std::filesystem::temp_directory_path() /
                ("kiosk-sync-test-" + std::to_string(random()) + "-" + std::to_string(random()));
        std::filesystem::create_directories(path_);
    }
    ~TemporaryDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

struct CouncilKeys {
    std::string publicKeyBase64;
    std::string secretKeyBase64;
    std::string webhookSecret;  // whsec_<base64>
};

inline CouncilKeys makeCouncilKeys() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium did not initialise");
    unsigned char publicKey[crypto_box_PUBLICKEYBYTES];
    unsigned char secretKey[crypto_box_SECRETKEYBYTES];
    crypto_box_keypair(publicKey, secretKey);
    unsigned char webhookKey[24];
    randombytes_buf(webhookKey, sizeof webhookKey);
    return {toBase64(publicKey, sizeof publicKey), toBase64(secretKey, sizeof secretKey),
            "whsec_" + toBase64(webhookKey, sizeof webhookKey)};
}

inline KioskConfig makeConfig(const std::filesystem::path& dataDirectory, const CouncilKeys& keys,
                              const std::string& apiBaseUrl) {
    KioskConfig config;
    config.kioskId = "test-kiosk-1";
    config.referencePrefix = "TST";
    config.dataDirectory = dataDirectory;
    config.council.apiBaseUrl = apiBaseUrl;
    config.council.publicKeyBase64 = keys.publicKeyBase64;
    config.council.deviceToken = "device-token-for-tests";
    config.council.webhookSecret = keys.webhookSecret;
    config.network.connectTimeoutSeconds = 2;
    config.network.lowSpeedTimeSeconds = 5;
    config.network.totalTimeoutSeconds = 5;
    config.network.retryBaseSeconds = 2;
    config.network.retryCapSeconds = 60;
    config.network.firstSyncMaxDelaySeconds = 0;
    config.network.pollIntervalSeconds = 30;
    return config;
}

inline std::unique_ptr<store::OutboxStore> openStore(const KioskConfig& config) {
    store::StoreOptions options;
    options.databaseFile = config.dataDirectory / "kiosk.db";
    options.kioskId = config.kioskId;
    options.referencePrefix = config.referencePrefix;
    auto opened = store::OutboxStore::open(options);
    if (!opened) throw std::runtime_error("could not open the test store: " + opened.error().message);
    return std::move(opened.value());
}

inline store::SubmissionToSeal makeSubmission(const std::string& serviceId, const std::string& answersJson) {
    store::SubmissionToSeal submission;
    submission.serviceId = serviceId;
    submission.formId = serviceId;
    submission.formVersion = 1;
    submission.language = "en";
    submission.destination = "kiosk-api";
    submission.answersJson = answersJson;
    return submission;
}

// Seals as the kiosk does: through the destinations the config names ("kiosk-api" here).
inline store::SealedReceipt seal(store::OutboxStore& outbox, const KioskConfig& config,
                                 const std::string& serviceId, const std::string& answersJson,
                                 std::int64_t nowMillis) {
    auto sealed = sealForDestination(outbox, destinationsFromConfig(config),
                                     makeSubmission(serviceId, answersJson), nowMillis);
    if (!sealed) throw std::runtime_error("sealing failed: " + sealed.error().message);
    return sealed.value();
}

}  // namespace kiosk::sync::testing
