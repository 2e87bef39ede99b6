// Kiosk configuration, read from one JSON file (see assets/config/kiosk.example.json).
// Relative paths in the file are resolved against the file's own directory.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "kiosk/result.h"

namespace kiosk {

struct KioskConfig {
    std::string kioskId = "dev-kiosk";    // names this device to the council (heartbeat, signatures)
    std::string referencePrefix = "DEV";  // first part of every reference number
    std::filesystem::path packDirectory;  // content pack in use
    std::filesystem::path dataDirectory;  // SQLite database and other state

    struct Council {
        std::string apiBaseUrl;       // kiosk JSON API, e.g. "https://council.example/kiosk"
        std::string publicKeyBase64;  // X25519 key that submissions are sealed to
        std::string deviceToken;      // bearer token for this device
        std::string webhookSecret;    // "whsec_<base64>" for Standard Webhooks signatures
    } council;

    // Where sealed forms go, by the name each service in the content pack gives ("destination").
    // Empty (no "destinations" section): one "kiosk-api" destination made from `council`.
    struct Destination {
        std::string name;  // e.g. "kiosk-api"
        std::string type;  // adapter kind: "kiosk-api" (Open311, email and webhooks come later)
        // The entry's other settings, all text. A kiosk-api destination reads apiBaseUrl,
        // publicKey, deviceToken and webhookSecret, each falling back to the council section.
        std::map<std::string, std::string> settings;
    };
    std::vector<Destination> destinations;

    struct Network {
        int connectTimeoutSeconds = 10;
        int lowSpeedLimitBytesPerSecond = 10;  // below this for lowSpeedTimeSeconds: give up
        int lowSpeedTimeSeconds = 20;
        int totalTimeoutSeconds = 60;
        std::string proxy;            // empty: libcurl's *_proxy environment variables apply
        std::string caBundle;         // empty: system CA store
        std::string pinnedPublicKey;  // "sha256//<base64>", empty: no pinning
        int retryBaseSeconds = 5;
        int retryCapSeconds = 900;
        int firstSyncMaxDelaySeconds = 60;  // random delay after boot so a fleet does not retry at once
        int pollIntervalSeconds = 30;
        // How often an online kiosk tells the council it is alive (POST /v1/heartbeat); 0: never.
        int heartbeatIntervalSeconds = 300;
    } network;

    struct Display {
        bool fullscreen = false;
        int width = 1920;
        int height = 1080;
        double dpiOverride = 0;  // 0: ask SDL for the panel's DPI
    } display;

    struct Session {
        int inactivitySeconds = 120;   // before "Do you need more time?"
        int warningSeconds = 30;       // countdown on the warning
        bool timeLimitEnabled = true;  // admins switch it off while a volunteer assists
    } session;

    struct Retention {
        int deliveredPayloadDays = 30;  // delivered payloads are purged after this
    } retention;

    // The receipt printer on the confirmation page, through CUPS. An empty name: no printer,
    // and no "Print a receipt" button.
    struct Printer {
        std::string name;    // the CUPS queue, as `lpstat -p` lists it
        std::string server;  // "host:port" or a socket path; empty: the system's CUPS (client.conf)
    } printer;
};

Result<KioskConfig> loadConfig(const std::filesystem::path& file);
// The same from text already read: `file` names it in messages and relative paths resolve
// against its directory.
Result<KioskConfig> configFromJson(const std::string& text, const std::filesystem::path& file);
std::string configToJson(const KioskConfig& config);  // for kioskctl and writing a dev config

// While this file exists in the data directory a volunteer is assisting at the kiosk: the session
// time limit is off (WCAG 2.2.1 lets an admin turn it off) and forms sent are marked assisted.
// `kioskctl assist on|off` creates and removes it; the kiosk looks for it about once a second.
std::filesystem::path volunteerAssistingFlag(const KioskConfig& config);

}  // namespace kiosk
