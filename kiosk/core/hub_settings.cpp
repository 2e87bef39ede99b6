// Hub settings from the config file, and the rules a saved value must meet.
#include "kiosk/hub_settings.h"

#include <algorithm>

namespace kiosk {
namespace {

// Characters as a person counts them: UTF-8 continuation bytes do not start a new one.
std::size_t countCharacters(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool hasControlCharacter(const std::string& text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7F;
    });
}

}  // namespace

HubSettings hubSettingsFromConfig(const KioskConfig& config) {
    HubSettings settings;
    settings.idleTimeoutSeconds = config.session.inactivitySeconds;
    settings.retentionDays = config.retention.deliveredPayloadDays;
    return settings;
}

std::vector<std::string> validateHubSettings(const HubSettings& settings,
                                             const std::vector<std::string>& languageCodes) {
    std::vector<std::string> problems;
    if (countCharacters(settings.hubName) > kMaxHubNameCharacters) {
        problems.push_back("Hub name must be " + std::to_string(kMaxHubNameCharacters) +
                           " characters or fewer");
    } else if (hasControlCharacter(settings.hubName)) {
        problems.push_back("Hub name must be one line of text");
    }
    if (settings.idleTimeoutSeconds < kMinIdleTimeoutSeconds ||
        settings.idleTimeoutSeconds > kMaxIdleTimeoutSeconds) {
        problems.push_back("Time before the kiosk asks \"Do you need more time?\" must be between " +
                           std::to_string(kMinIdleTimeoutSeconds) + " and " +
                           std::to_string(kMaxIdleTimeoutSeconds) + " seconds");
    }
    if (std::find(languageCodes.begin(), languageCodes.end(), settings.defaultLanguage) ==
        languageCodes.end()) {
        std::string known;
        for (const auto& code : languageCodes) known += (known.empty() ? "" : ", ") + code;
        problems.push_back("Choose a default language the content pack has" +
                           (known.empty() ? std::string() : " (" + known + ")"));
    }
    if (settings.defaultTextSizePercent != 100 && settings.defaultTextSizePercent != 150 &&
        settings.defaultTextSizePercent != 200) {
        problems.push_back("Default text size must be 100%, 150% or 200%");
    }
    if (settings.retentionDays < kMinRetentionDays || settings.retentionDays > kMaxRetentionDays) {
        problems.push_back("Days to keep sent forms must be between " + std::to_string(kMinRetentionDays) +
                           " and " + std::to_string(kMaxRetentionDays));
    }
    return problems;
}

}  // namespace kiosk
