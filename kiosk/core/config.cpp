// Reads KioskConfig from JSON. Unknown keys are ignored so newer configs load on older kiosks.
#include "kiosk/config.h"

#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace kiosk {
namespace {

using nlohmann::json;

template <typename T>
void readIfPresent(const json& object, const char* key, T& target) {
    if (object.is_object() && object.contains(key) && !object.at(key).is_null()) {
        target = object.at(key).get<T>();
    }
}

// nlohmann turns a number into an int with a plain cast: 4294967297 would wrap to 1 and 1e300 is
// undefined behaviour. Every whole-number setting is small, so one outside int is refused.
void readIfPresent(const json& object, const char* key, int& target) {
    if (!object.is_object() || !object.contains(key) || object.at(key).is_null()) return;
    const json& value = object.at(key);
    if (value.is_number()) {
        const double number = value.get<double>();
        if (!(number >= std::numeric_limits<int>::min() && number <= std::numeric_limits<int>::max())) {
            throw std::out_of_range(std::string("\"") + key + "\" must be a whole number from " +
                                    std::to_string(std::numeric_limits<int>::min()) + " to " +
                                    std::to_string(std::numeric_limits<int>::max()) + ".");
        }
    }
    target = value.get<int>();
}

std::string resolvePath(const std::string& text, const std::filesystem::path& base) {
    if (text.empty()) return text;
    std::filesystem::path path(text);
    return path.is_absolute() ? text : (base / path).lexically_normal().string();
}

const json& section(const json& root, const char* key) {
    static const json empty = json::object();
    return root.contains(key) ? root.at(key) : empty;
}

// "destinations": {"<name>": {"type": "<kind>", "<setting>": "<text>", ...}, ...}
Result<std::vector<KioskConfig::Destination>> readDestinations(const json& section) {
    const auto invalid = [](const std::string& what) {
        return Error{ErrorCode::ConfigInvalid, "In the kiosk configuration, " + what};
    };
    if (!section.is_object()) return invalid("destinations must be an object of named destinations.");
    std::vector<KioskConfig::Destination> destinations;
    for (const auto& [name, entry] : section.items()) {
        if (name.empty()) return invalid("a destination in destinations has an empty name.");
        const std::string path = "destinations." + name;
        if (!entry.is_object()) return invalid(path + " must be an object with a \"type\".");
        KioskConfig::Destination destination;
        destination.name = name;
        for (const auto& [key, value] : entry.items()) {
            if (!value.is_string()) return invalid(path + "." + key + " must be text.");
            if (key == "type") {
                destination.type = value.get<std::string>();
            } else {
                destination.settings[key] = value.get<std::string>();
            }
        }
        if (destination.type.empty()) {
            return invalid(path + ".type must name the kind of destination, for example \"kiosk-api\".");
        }
        destinations.push_back(std::move(destination));
    }
    return destinations;
}

}  // namespace

Result<KioskConfig> loadConfig(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return Error{ErrorCode::ConfigMissing, "Cannot read the configuration file " + file.string() + "."};
    }
    return configFromJson(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()),
                          file);
}

Result<KioskConfig> configFromJson(const std::string& text, const std::filesystem::path& file) {
    json root;
    try {
        root = json::parse(text);
    } catch (const json::exception& e) {
        return Error{ErrorCode::ConfigInvalid,
                     "The configuration file " + file.string() + " is not valid JSON: " + e.what()};
    }
    if (!root.is_object()) {
        return Error{ErrorCode::ConfigInvalid,
                     "The configuration file " + file.string() + " must hold a JSON object."};
    }
    KioskConfig config;
    const auto base = std::filesystem::absolute(file).parent_path();
    try {
        std::string pack, data;
        readIfPresent(root, "kioskId", config.kioskId);
        readIfPresent(root, "referencePrefix", config.referencePrefix);
        readIfPresent(root, "packDirectory", pack);
        readIfPresent(root, "dataDirectory", data);
        config.packDirectory = resolvePath(pack, base);
        config.dataDirectory = resolvePath(data, base);

        const json& council = section(root, "council");
        readIfPresent(council, "apiBaseUrl", config.council.apiBaseUrl);
        readIfPresent(council, "publicKey", config.council.publicKeyBase64);
        readIfPresent(council, "deviceToken", config.council.deviceToken);
        readIfPresent(council, "webhookSecret", config.council.webhookSecret);

        if (root.contains("destinations") && !root.at("destinations").is_null()) {
            auto destinations = readDestinations(root.at("destinations"));
            if (!destinations) return destinations.error();
            config.destinations = std::move(destinations.value());
        }

        const json& network = section(root, "network");
        auto& n = config.network;
        readIfPresent(network, "connectTimeoutSeconds", n.connectTimeoutSeconds);
        readIfPresent(network, "lowSpeedLimitBytesPerSecond", n.lowSpeedLimitBytesPerSecond);
        readIfPresent(network, "lowSpeedTimeSeconds", n.lowSpeedTimeSeconds);
        readIfPresent(network, "totalTimeoutSeconds", n.totalTimeoutSeconds);
        readIfPresent(network, "proxy", n.proxy);
        readIfPresent(network, "caBundle", n.caBundle);
        n.caBundle = resolvePath(n.caBundle, base);
        readIfPresent(network, "pinnedPublicKey", n.pinnedPublicKey);
        readIfPresent(network, "retryBaseSeconds", n.retryBaseSeconds);
        readIfPresent(network, "retryCapSeconds", n.retryCapSeconds);
        readIfPresent(network, "firstSyncMaxDelaySeconds", n.firstSyncMaxDelaySeconds);
        readIfPresent(network, "pollIntervalSeconds", n.pollIntervalSeconds);
        readIfPresent(network, "heartbeatIntervalSeconds", n.heartbeatIntervalSeconds);

        const json& display = section(root, "display");
        readIfPresent(display, "fullscreen", config.display.fullscreen);
        readIfPresent(display, "width", config.display.width);
        readIfPresent(display, "height", config.display.height);
        readIfPresent(display, "dpiOverride", config.display.dpiOverride);

        const json& session = section(root, "session");
        readIfPresent(session, "inactivitySeconds", config.session.inactivitySeconds);
        readIfPresent(session, "warningSeconds", config.session.warningSeconds);
        readIfPresent(session, "timeLimitEnabled", config.session.timeLimitEnabled);

        readIfPresent(section(root, "retention"), "deliveredPayloadDays",
                      config.retention.deliveredPayloadDays);

        const json& printer = section(root, "printer");
        readIfPresent(printer, "name", config.printer.name);
        readIfPresent(printer, "server", config.printer.server);
    } catch (const json::exception& e) {
        return Error{ErrorCode::ConfigInvalid, "The configuration file " + file.string() +
                                                   " has a value of the wrong type: " + e.what()};
    } catch (const std::out_of_range& e) {
        return Error{ErrorCode::ConfigInvalid,
                     "The configuration file " + file.string() + " has a number out of range: " + e.what()};
    }
    if (config.session.warningSeconds < 20) {
        // WCAG 2.2.1 asks for at least 20 seconds to respond to a timeout warning.
        return Error{ErrorCode::ConfigInvalid, "session.warningSeconds must be at least 20."};
    }
    if (config.network.heartbeatIntervalSeconds < 0) {
        return Error{ErrorCode::ConfigInvalid,
                     "network.heartbeatIntervalSeconds must be 0 (no heartbeats) or a number of seconds."};
    }
    return config;
}

std::string configToJson(const KioskConfig& config) {
    json root = {
        {"kioskId", config.kioskId},
        {"referencePrefix", config.referencePrefix},
        {"packDirectory", config.packDirectory.string()},
        {"dataDirectory", config.dataDirectory.string()},
        {"council",
         {{"apiBaseUrl", config.council.apiBaseUrl},
          {"publicKey", config.council.publicKeyBase64},
          {"deviceToken", config.council.deviceToken},
          {"webhookSecret", config.council.webhookSecret}}},
        {"network",
         {{"connectTimeoutSeconds", config.network.connectTimeoutSeconds},
          {"lowSpeedLimitBytesPerSecond", config.network.lowSpeedLimitBytesPerSecond},
          {"lowSpeedTimeSeconds", config.network.lowSpeedTimeSeconds},
          {"totalTimeoutSeconds", config.network.totalTimeoutSeconds},
          {"proxy", config.network.proxy},
          {"caBundle", config.network.caBundle},
          {"pinnedPublicKey", config.network.pinnedPublicKey},
          {"retryBaseSeconds", config.network.retryBaseSeconds},
          {"retryCapSeconds", config.network.retryCapSeconds},
          {"firstSyncMaxDelaySeconds", config.network.firstSyncMaxDelaySeconds},
          {"pollIntervalSeconds", config.network.pollIntervalSeconds},
          {"heartbeatIntervalSeconds", config.network.heartbeatIntervalSeconds}}},
        {"display",
         {{"fullscreen", config.display.fullscreen},
          {"width", config.display.width},
          {"height", config.display.height},
          {"dpiOverride", config.display.dpiOverride}}},
        {"session",
         {{"inactivitySeconds", config.session.inactivitySeconds},
          {"warningSeconds", config.session.warningSeconds},
          {"timeLimitEnabled", config.session.timeLimitEnabled}}},
        {"retention", {{"deliveredPayloadDays", config.retention.deliveredPayloadDays}}},
        {"printer", {{"name", config.printer.name}, {"server", config.printer.server}}},
    };
    if (!config.destinations.empty()) {
        json destinations = json::object();
        for (const auto& destination : config.destinations) {
            json entry = {{"type", destination.type}};
            for (const auto& [key, value] : destination.settings) entry[key] = value;
            destinations[destination.name] = entry;
        }
        root["destinations"] = destinations;
    }
    return root.dump(2) + "\n";
}

std::filesystem::path volunteerAssistingFlag(const KioskConfig& config) {
    return config.dataDirectory / "volunteer-assisting";
}

}  // namespace kiosk
