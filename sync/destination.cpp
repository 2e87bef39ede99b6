// DestinationRegistry, the registry built from the kiosk configuration, and sealing through a
// destination's encoder.
#include "sync/destination.h"

#include <sodium.h>

#include "sync/email_destination.h"
#include "sync/kiosk_api_destination.h"
#include "sync/open311_destination.h"
#include "sync/webhook_destination.h"

namespace kiosk::sync {
namespace {

// A kiosk-api entry's own setting, or the council section's when the entry leaves it out.
std::string settingOr(const KioskConfig::Destination& entry, const char* key, const std::string& fallback) {
    const auto found = entry.settings.find(key);
    return found == entry.settings.end() ? fallback : found->second;
}

KioskApiSettings kioskApiSettings(const KioskConfig& config, const KioskConfig::Destination* entry) {
    KioskApiSettings settings;
    settings.apiBaseUrl = config.council.apiBaseUrl;
    settings.publicKeyBase64 = config.council.publicKeyBase64;
    settings.deviceToken = config.council.deviceToken;
    settings.webhookSecret = config.council.webhookSecret;
    if (entry != nullptr) {
        settings.apiBaseUrl = settingOr(*entry, "apiBaseUrl", settings.apiBaseUrl);
        settings.publicKeyBase64 = settingOr(*entry, "publicKey", settings.publicKeyBase64);
        settings.deviceToken = settingOr(*entry, "deviceToken", settings.deviceToken);
        settings.webhookSecret = settingOr(*entry, "webhookSecret", settings.webhookSecret);
        settings.configSection = "destinations." + entry->name;
    }
    return settings;
}

// A payload the encoder left readable is sealed to the kiosk's own key before the store sees it.
Result<store::EncodedPayload> protectAtRest(Result<store::EncodedPayload> encoded,
                                            const store::DeviceIdentity* device) {
    if (!encoded || encoded->protection != store::PayloadProtection::DeviceKey) return encoded;
    if (device == nullptr) {
        return Error{ErrorCode::DestinationNotConfigured,
                     "This destination keeps forms encrypted to the kiosk's device key, and the key "
                     "could not be loaded from the data directory."};
    }
    store::EncodedPayload sealed;
    sealed.protection = store::PayloadProtection::DeviceKey;
    sealed.requestBody = sealToDevice(*device, encoded->requestBody);
    sealed.sealedPayload = sealToDevice(*device, encoded->sealedPayload);
    sodium_memzero(encoded->requestBody.data(), encoded->requestBody.size());
    sodium_memzero(encoded->sealedPayload.data(), encoded->sealedPayload.size());
    return sealed;
}

Open311Settings open311Settings(const KioskConfig::Destination& entry) {
    Open311Settings settings;
    settings.apiKey = settingOr(entry, "apiKey", "");
    settings.endpointOverride = settingOr(entry, "endpoint", "");
    settings.jurisdictionOverride = settingOr(entry, "jurisdictionId", "");
    settings.configSection = "destinations." + entry.name;
    return settings;
}

}  // namespace

std::string sealToDevice(const store::DeviceIdentity& device, const std::string& plaintext) {
    std::string sealed(plaintext.size() + crypto_box_SEALBYTES, '\0');
    crypto_box_seal(reinterpret_cast<unsigned char*>(sealed.data()),
                    reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                    device.encryptionPublicKey().data());
    return sealed;
}

Result<std::string> openFromDevice(const store::DeviceIdentity& device, const std::string& sealed) {
    if (sealed.size() < crypto_box_SEALBYTES) {
        return Error{ErrorCode::InvalidSubmission, "The stored form is too short to be a sealed payload."};
    }
    std::string plaintext(sealed.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plaintext.data()),
                             reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
                             device.encryptionPublicKey().data(), device.encryptionSecretKey()) != 0) {
        return Error{ErrorCode::InvalidSubmission,
                     "The stored form cannot be opened with this kiosk's device key (another kiosk's "
                     "key, or changed on disk)."};
    }
    return plaintext;
}

void DestinationRegistry::setDeviceIdentity(std::shared_ptr<const store::DeviceIdentity> identity) {
    deviceIdentity_ = std::move(identity);
}

void DestinationRegistry::add(std::string name, std::shared_ptr<const Destination> destination) {
    destinations_[std::move(name)] = std::move(destination);
}

const Destination* DestinationRegistry::find(std::string_view name) const {
    const auto found = destinations_.find(name);
    return found == destinations_.end() ? nullptr : found->second.get();
}

std::vector<std::string> DestinationRegistry::names() const {
    std::vector<std::string> names;
    for (const auto& [name, destination] : destinations_) names.push_back(name);
    return names;
}

Result<DestinationRegistry> destinationsFromConfig(const KioskConfig& config) {
    DestinationRegistry registry;
    const bool needsDeviceKey =
        std::any_of(config.destinations.begin(), config.destinations.end(),
                    [](const auto& entry) { return entry.type != KioskApiDestination::kType; });
    if (needsDeviceKey) {
        auto identity = store::loadOrCreateDeviceIdentity(config.dataDirectory);
        if (!identity) return identity.error();
        registry.setDeviceIdentity(
            std::make_shared<const store::DeviceIdentity>(std::move(identity.value())));
    }
    if (config.destinations.empty()) {
        registry.add(KioskApiDestination::kType,
                     std::make_shared<KioskApiDestination>(kioskApiSettings(config, nullptr)));
        return registry;
    }
    for (const auto& entry : config.destinations) {
        if (entry.type == KioskApiDestination::kType) {
            registry.add(entry.name, std::make_shared<KioskApiDestination>(kioskApiSettings(config, &entry)));
            continue;
        }
        if (entry.type == Open311Destination::kType) {
            registry.add(entry.name, std::make_shared<Open311Destination>(open311Settings(entry)));
            continue;
        }
        if (entry.type == EmailDestination::kType) {
            registry.add(entry.name, std::make_shared<EmailDestination>(EmailSettings{
                                         settingOr(entry, "smtpUrl", ""), settingOr(entry, "from", ""),
                                         settingOr(entry, "username", ""), settingOr(entry, "password", ""),
                                         settingOr(entry, "to", ""), "destinations." + entry.name}));
            continue;
        }
        if (entry.type == WebhookDestination::kType) {
            registry.add(entry.name, std::make_shared<WebhookDestination>(WebhookSettings{
                                         settingOr(entry, "url", ""), settingOr(entry, "secrets", ""),
                                         settingOr(entry, "payload", ""),
                                         settingOr(entry, "publicKey", config.council.publicKeyBase64),
                                         settingOr(entry, "bearerToken", ""), "destinations." + entry.name}));
            continue;
        }
        return Error{
            ErrorCode::UnknownDestinationType,
            "destinations." + entry.name + " has type \"" + entry.type +
                "\", which this kiosk software does not know; use \"kiosk-api\", \"open311\", \"email\" or "
                "\"webhook\"."};
    }
    return registry;
}

Result<store::SealedReceipt> sealForDestination(store::OutboxStore& outbox,
                                                const DestinationRegistry& destinations,
                                                const store::SubmissionToSeal& submission,
                                                std::int64_t nowMillis) {
    const Destination* destination = destinations.find(submission.destination);
    if (destination == nullptr) {
        return Error{
            ErrorCode::UnknownDestination,
            "The service's destination \"" + submission.destination +
                "\" is not configured on this kiosk; add it to destinations in the kiosk configuration "
                "or correct the service in the content pack."};
    }
    const store::DeviceIdentity* device = destinations.deviceIdentity();
    return outbox.sealSubmission(
        submission,
        [destination, device](const store::SealContext& context) {
            return protectAtRest(destination->encode(context), device);
        },
        nowMillis);
}

Result<store::SealedReceipt> sealForDestination(store::OutboxStore& outbox,
                                                const Result<DestinationRegistry>& destinations,
                                                const store::SubmissionToSeal& submission,
                                                std::int64_t nowMillis) {
    if (!destinations) return destinations.error();
    return sealForDestination(outbox, destinations.value(), submission, nowMillis);
}

}  // namespace kiosk::sync
