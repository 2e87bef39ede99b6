// Hub settings: what a hub lead may change on the admin console without editing the config file.
// The config file gives the starting values; values saved on the kiosk (SettingsStore) override
// them. Validation lives here so the console, kioskctl and the store agree on the rules.
#pragma once

#include <string>
#include <vector>

#include "kiosk/config.h"

namespace kiosk {

struct HubSettings {
    std::string hubName;                 // shown to staff; up to 60 characters, may be empty
    int idleTimeoutSeconds = 120;        // before "Do you need more time?"; 30 to 600
    std::string defaultLanguage = "en";  // a language code from the content pack
    int defaultTextSizePercent = 100;    // 100, 150 or 200: the text sizes the fonts are built for
    bool defaultHighContrast = false;
    int retentionDays = 30;  // delivered payloads are purged after this; 1 to 365

    bool operator==(const HubSettings&) const = default;
};

// The config file's values: session.inactivitySeconds and retention.deliveredPayloadDays; the
// rest (which the config file does not have) keep the defaults above.
HubSettings hubSettingsFromConfig(const KioskConfig& config);

// Every problem as a sentence saying what to do; empty when the settings can be saved.
// languageCodes are the content pack's ("en", "pl", ...).
std::vector<std::string> validateHubSettings(const HubSettings& settings,
                                             const std::vector<std::string>& languageCodes);

constexpr int kMinIdleTimeoutSeconds = 30;
constexpr int kMaxIdleTimeoutSeconds = 600;
constexpr int kMinRetentionDays = 1;
constexpr int kMaxRetentionDays = 365;
constexpr std::size_t kMaxHubNameCharacters = 60;

}  // namespace kiosk
