// DestinationRegistry, the registry built from the kiosk configuration, and sealing through a
// destination's encoder.
#include "sync/destination.h"

#include "sync/email_destination.h"
#include "sync/kiosk_api_destination.h"

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

}  // namespace

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
        if (entry.type == EmailDestination::kType) {
            registry.add(entry.name, std::make_shared<EmailDestination>(EmailSettings{
                                         settingOr(entry, "smtpUrl", ""), settingOr(entry, "from", ""),
                                         settingOr(entry, "username", ""), settingOr(entry, "password", ""),
                                         settingOr(entry, "to", ""), "destinations." + entry.name}));
            continue;
        }
        return Error{ErrorCode::UnknownDestinationType,
                     "destinations." + entry.name + " has type \"" + entry.type +
                         "\", which this kiosk software does not know; use \"kiosk-api\"."};
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
    return outbox.sealSubmission(
        submission, [destination](const store::SealContext& context) { return destination->encode(context); },
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
