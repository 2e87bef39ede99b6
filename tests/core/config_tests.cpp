// Kiosk configuration: values read, relative paths resolved against the file, clear errors.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "kiosk/config.h"

namespace {

std::filesystem::path writeConfig(const std::string& name, const std::string& text) {
    const auto directory = std::filesystem::temp_directory_path() / "kiosk-config-tests";
    std::filesystem::create_directories(directory);
    const auto file = directory / name;
    std::ofstream(file) << text;
    return file;
}

}  // namespace

TEST_CASE("A configuration file is read with relative paths resolved against it", "[config]") {
    const auto file = writeConfig("full.json", R"({
        "kioskId": "library-1", "referencePrefix": "MK1",
        "packDirectory": "packs/sample", "dataDirectory": "/var/lib/kiosk",
        "council": {"apiBaseUrl": "https://council.example", "publicKey": "abc", "deviceToken": "t",
                    "webhookSecret": "whsec_x"},
        "network": {"connectTimeoutSeconds": 7, "proxy": "http://proxy:3128", "retryCapSeconds": 600},
        "display": {"fullscreen": true, "dpiOverride": 120.5},
        "session": {"inactivitySeconds": 90, "warningSeconds": 30, "timeLimitEnabled": false},
        "retention": {"deliveredPayloadDays": 14}})");
    const auto config = kiosk::loadConfig(file);
    REQUIRE(config.ok());
    CHECK(config->kioskId == "library-1");
    CHECK(config->referencePrefix == "MK1");
    CHECK(config->packDirectory == file.parent_path() / "packs/sample");
    CHECK(config->dataDirectory == "/var/lib/kiosk");
    CHECK(config->council.apiBaseUrl == "https://council.example");
    CHECK(config->network.connectTimeoutSeconds == 7);
    CHECK(config->network.proxy == "http://proxy:3128");
    CHECK(config->network.retryCapSeconds == 600);
    CHECK(config->network.lowSpeedTimeSeconds == 20);  // default kept
    CHECK(config->display.fullscreen);
    CHECK(config->display.dpiOverride == Approx(120.5));
    CHECK(config->session.inactivitySeconds == 90);
    CHECK_FALSE(config->session.timeLimitEnabled);
    CHECK(config->retention.deliveredPayloadDays == 14);

    // What configToJson writes reads back the same.
    const auto again = kiosk::loadConfig(writeConfig("again.json", kiosk::configToJson(*config)));
    REQUIRE(again.ok());
    CHECK(again->packDirectory == config->packDirectory);
    CHECK(again->network.proxy == config->network.proxy);
    CHECK(again->session.inactivitySeconds == 90);
}

TEST_CASE("A broken or unsafe configuration is refused with a reason", "[config]") {
    CHECK(kiosk::loadConfig("/nonexistent/kiosk.json").error().code == "config_missing");
    CHECK(kiosk::loadConfig(writeConfig("syntax.json", "{ not json")).error().code == "config_invalid");
    CHECK(kiosk::loadConfig(writeConfig("type.json", R"({"kioskId": 5})")).error().code == "config_invalid");
    const auto shortWarning = kiosk::loadConfig(writeConfig("warning.json", R"({"session": {"warningSeconds": 10}})"));
    REQUIRE_FALSE(shortWarning.ok());
    CHECK(shortWarning.error().message.find("at least 20") != std::string::npos);
}

TEST_CASE("Configuration text reads like the file it came from", "[config]") {
    const auto config =
        kiosk::configFromJson(R"({"packDirectory": "packs/a", "kioskId": "k"})", "/etc/kiosk/kiosk.json");
    REQUIRE(config.ok());
    CHECK(config->packDirectory == "/etc/kiosk/packs/a");
    CHECK(config->kioskId == "k");
    const auto broken = kiosk::configFromJson("[1, 2", "/etc/kiosk/kiosk.json");
    REQUIRE_FALSE(broken.ok());
    CHECK_THAT(broken.error().message,
               Catch::StartsWith("The configuration file /etc/kiosk/kiosk.json is not valid JSON"));
}

TEST_CASE("A number too big for a setting is refused, not wrapped or cast", "[config]") {
    // 4294967297 would wrap to 1 and 1e300 has no int value at all.
    for (const char* text :
         {R"({"network": {"retryCapSeconds": 4294967297}})", R"({"display": {"width": 1e300}})",
          R"({"session": {"inactivitySeconds": -1e20}})",
          R"({"retention": {"deliveredPayloadDays": 18446744073709551615}})"}) {
        INFO(text);
        const auto config = kiosk::configFromJson(text, "/etc/council-kiosk/kiosk.json");
        REQUIRE_FALSE(config.ok());
        CHECK(config.error().code == "config_invalid");
        CHECK_THAT(config.error().message,
                   Catch::Contains("has a number out of range") &&
                       Catch::Contains("must be a whole number from -2147483648 to 2147483647"));
    }
    const auto largest =
        kiosk::configFromJson(R"({"network": {"retryCapSeconds": 2147483647}})", "/etc/kiosk/kiosk.json");
    REQUIRE(largest.ok());
    CHECK(largest->network.retryCapSeconds == 2147483647);
}
