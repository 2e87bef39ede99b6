// Kiosk configuration: values read, relative paths resolved against the file, clear errors.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>

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
        "retention": {"deliveredPayloadDays": 14},
        "printer": {"name": "hub-receipts", "server": "localhost:6310"}})");
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
    CHECK(config->printer.name == "hub-receipts");
    CHECK(config->printer.server == "localhost:6310");

    // What configToJson writes reads back the same.
    const auto again = kiosk::loadConfig(writeConfig("again.json", kiosk::configToJson(*config)));
    REQUIRE(again.ok());
    CHECK(again->packDirectory == config->packDirectory);
    CHECK(again->network.proxy == config->network.proxy);
    CHECK(again->session.inactivitySeconds == 90);
    CHECK(again->printer.name == "hub-receipts");
    CHECK(again->printer.server == "localhost:6310");
}

TEST_CASE("A broken or unsafe configuration is refused with a reason", "[config]") {
    CHECK(kiosk::loadConfig("/nonexistent/kiosk.json").error().code == kiosk::ErrorCode::ConfigMissing);
    CHECK(kiosk::loadConfig(writeConfig("syntax.json", "{ not json")).error().code ==
          kiosk::ErrorCode::ConfigInvalid);
    CHECK(kiosk::loadConfig(writeConfig("type.json", R"({"kioskId": 5})")).error().code ==
          kiosk::ErrorCode::ConfigInvalid);
    const auto shortWarning =
        kiosk::loadConfig(writeConfig("warning.json", R"({"session": {"warningSeconds": 10}})"));
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
        CHECK(config.error().code == kiosk::ErrorCode::ConfigInvalid);
        CHECK_THAT(config.error().message,
                   Catch::Contains("has a number out of range") &&
                       Catch::Contains("must be a whole number from -2147483648 to 2147483647"));
    }
    const auto largest =
        kiosk::configFromJson(R"({"network": {"retryCapSeconds": 2147483647}})", "/etc/kiosk/kiosk.json");
    REQUIRE(largest.ok());
    CHECK(largest->network.retryCapSeconds == 2147483647);
}

TEST_CASE("Destinations are read by name with their type and text settings", "[config][destinations]") {
    const auto file = writeConfig("destinations.json", R"({
        "council": {"apiBaseUrl": "https://district.example"},
        "destinations": {
            "kiosk-api": {"type": "kiosk-api"},
            "county": {"type": "kiosk-api", "apiBaseUrl": "https://county.example", "deviceToken": "c-1"}}})");
    const auto config = kiosk::loadConfig(file);
    REQUIRE(config.ok());
    REQUIRE(config->destinations.size() == 2);
    const auto& county =
        config->destinations[0].name == "county" ? config->destinations[0] : config->destinations[1];
    CHECK(county.name == "county");
    CHECK(county.type == "kiosk-api");
    CHECK(county.settings == std::map<std::string, std::string>{{"apiBaseUrl", "https://county.example"},
                                                                {"deviceToken", "c-1"}});

    // Written back and read again, the same destinations.
    const auto again = kiosk::configFromJson(kiosk::configToJson(*config), file);
    REQUIRE(again.ok());
    REQUIRE(again->destinations.size() == 2);
    CHECK(kiosk::configToJson(*again) == kiosk::configToJson(*config));

    // Without the section there are none: the sync layer makes "kiosk-api" from council.
    const auto plain =
        kiosk::configFromJson(R"({"council": {"apiBaseUrl": "https://district.example"}})", file);
    REQUIRE(plain.ok());
    CHECK(plain->destinations.empty());
    CHECK(kiosk::configToJson(*plain).find("destinations") == std::string::npos);
}

TEST_CASE("A destination without a type or with a setting that is not text is refused",
          "[config][destinations]") {
    const auto file = writeConfig("bad-destinations.json", "{}");
    for (const char* text :
         {R"({"destinations": {"county": {"apiBaseUrl": "https://county.example"}}})",
          R"({"destinations": {"county": {"type": "kiosk-api", "port": 443}}})",
          R"({"destinations": {"county": "kiosk-api"}})", R"({"destinations": ["kiosk-api"]})"}) {
        INFO(text);
        const auto config = kiosk::configFromJson(text, file);
        REQUIRE_FALSE(config.ok());
        CHECK(config.error().code == kiosk::ErrorCode::ConfigInvalid);
        CHECK_THAT(config.error().message, Catch::Contains("destinations"));
    }
}

TEST_CASE("The heartbeat interval defaults to five minutes, 0 turns it off, a negative one is refused",
          "[config][heartbeat]") {
    const auto defaults = kiosk::configFromJson(R"({"kioskId": "k"})", "/etc/kiosk/kiosk.json");
    REQUIRE(defaults.ok());
    CHECK(defaults->network.heartbeatIntervalSeconds == 300);

    const auto off =
        kiosk::configFromJson(R"({"network": {"heartbeatIntervalSeconds": 0}})", "/etc/kiosk/kiosk.json");
    REQUIRE(off.ok());
    CHECK(off->network.heartbeatIntervalSeconds == 0);
    const auto again = kiosk::configFromJson(kiosk::configToJson(*off), "/etc/kiosk/kiosk.json");
    REQUIRE(again.ok());
    CHECK(again->network.heartbeatIntervalSeconds == 0);

    const auto negative =
        kiosk::configFromJson(R"({"network": {"heartbeatIntervalSeconds": -5}})", "/etc/kiosk/kiosk.json");
    REQUIRE_FALSE(negative.ok());
    CHECK(negative.error().code == kiosk::ErrorCode::ConfigInvalid);
    CHECK_THAT(negative.error().message, Catch::Contains("network.heartbeatIntervalSeconds"));
}
