// Hub settings an admin changes on the kiosk (placeholder until the settings store lands).
#pragma once

#include <string>

namespace kiosk {

struct HubSettings {
    std::string hubName;
    int idleTimeoutSeconds = 120;
    std::string defaultLanguage = "en";
    int defaultTextSizePercent = 100;
    bool defaultHighContrast = false;
    int retentionDays = 30;
};

}  // namespace kiosk
