// Hub settings: the rules a value must meet, loading over the config file, and saving every key
// with its audit row in one transaction.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "kiosk/hub_settings.h"
#include "store/settings_store.h"
#include "store_test_support.h"

using namespace kiosk;
using namespace kiosk::store;
using namespace kiosk::store::test;

namespace {

const std::vector<std::string> kLanguages = {"en", "pl", "ro", "ne"};
constexpr const char* kAdmin = "stf-0123456789ab";

std::unique_ptr<SettingsStore> openSettings(const StoreFixture& fixture) {
    auto opened = SettingsStore::open(fixture.options);
    INFO((opened ? std::string() : opened.error().message));
    REQUIRE(opened.ok());
    return std::move(opened.value());
}

HubSettings configDefaults() {
    KioskConfig config;
    config.session.inactivitySeconds = 90;
    config.retention.deliveredPayloadDays = 14;
    return hubSettingsFromConfig(config);
}

}  // namespace

TEST_CASE("hub settings start from the config file", "[store][settings]") {
    const HubSettings fromConfig = configDefaults();
    CHECK(fromConfig.idleTimeoutSeconds == 90);
    CHECK(fromConfig.retentionDays == 14);
    CHECK(fromConfig.hubName.empty());
    CHECK(fromConfig.defaultLanguage == "en");
    CHECK(fromConfig.defaultTextSizePercent == 100);
    CHECK_FALSE(fromConfig.defaultHighContrast);
    CHECK(validateHubSettings(fromConfig, kLanguages).empty());
}

TEST_CASE("each out-of-range hub setting gets a sentence saying what to do", "[store][settings]") {
    HubSettings settings = configDefaults();
    settings.hubName = std::string(61, 'x');
    settings.idleTimeoutSeconds = 29;
    settings.defaultLanguage = "fr";
    settings.defaultTextSizePercent = 120;
    settings.retentionDays = 366;
    const std::vector<std::string> expected = {
        "Hub name must be 60 characters or fewer",
        "Time before the kiosk asks \"Do you need more time?\" must be between 30 and 600 seconds",
        "Choose a default language the content pack has (en, pl, ro, ne)",
        "Default text size must be 100%, 150% or 200%",
        "Days to keep sent forms must be between 1 and 365",
    };
    CHECK(validateHubSettings(settings, kLanguages) == expected);

    settings = configDefaults();
    settings.hubName = "Biblioteka Łódź, ground floor";  // 29 characters in more bytes
    settings.idleTimeoutSeconds = 600;
    settings.defaultTextSizePercent = 200;
    settings.retentionDays = 1;
    CHECK(validateHubSettings(settings, kLanguages).empty());
    settings.hubName = "two\nlines";
    CHECK(validateHubSettings(settings, kLanguages) ==
          std::vector<std::string>{"Hub name must be one line of text"});
    settings.hubName.clear();
    settings.idleTimeoutSeconds = 601;
    settings.retentionDays = 0;
    CHECK(validateHubSettings(settings, kLanguages).size() == 2);
}

TEST_CASE("saved hub settings override the config file after a restart, with the change audited",
          "[store][settings]") {
    StoreFixture fixture;
    const HubSettings fromConfig = configDefaults();
    auto settings = openSettings(fixture);
    CHECK(settings->load(fromConfig) == fromConfig);

    HubSettings next = fromConfig;
    next.hubName = "Maidstone Library";
    next.idleTimeoutSeconds = 300;
    next.defaultLanguage = "pl";
    next.defaultHighContrast = true;
    REQUIRE(settings->save(next, fromConfig, kLanguages, kAdmin, kSealTimeMillis).ok());
    CHECK(queryInt(settings->handle(), "SELECT COUNT(*) FROM hub_settings") == 6);
    CHECK(queryText(settings->handle(),
                    "SELECT actor || ' ' || detail FROM audit_log WHERE action = "
                    "'settings_changed'") == std::string(kAdmin) +
                                                 " hub_name: '' -> 'Maidstone Library'; "
                                                 "idle_timeout_seconds: 90 -> 300; default_language: 'en' -> "
                                                 "'pl'; default_high_contrast: false -> true");

    settings.reset();
    settings = openSettings(fixture);
    CHECK(settings->load(fromConfig) == next);
    // The config file changing later does not undo a saved value, and fills only unsaved ones.
    HubSettings newConfig = fromConfig;
    newConfig.retentionDays = 60;
    CHECK(settings->load(newConfig).retentionDays == 14);  // saved with every other key

    // Saving the same values again changes nothing and audits nothing.
    REQUIRE(settings->save(next, fromConfig, kLanguages, kAdmin, kSealTimeMillis + 1).ok());
    CHECK(queryInt(settings->handle(), "SELECT COUNT(*) FROM audit_log") == 1);

    HubSettings smaller = next;
    smaller.defaultTextSizePercent = 150;
    REQUIRE(settings->save(smaller, fromConfig, kLanguages, kAdmin, kSealTimeMillis + 2).ok());
    CHECK(queryText(settings->handle(), "SELECT detail FROM audit_log ORDER BY sequence DESC LIMIT 1") ==
          "default_text_size_percent: 100 -> 150");
}

TEST_CASE("an invalid hub setting saves nothing", "[store][settings]") {
    StoreFixture fixture;
    const HubSettings fromConfig = configDefaults();
    auto settings = openSettings(fixture);
    HubSettings next = fromConfig;
    next.hubName = "Library";
    next.retentionDays = 400;
    auto saved = settings->save(next, fromConfig, kLanguages, kAdmin, kSealTimeMillis);
    REQUIRE_FALSE(saved.ok());
    CHECK(saved.error().code == ErrorCode::InvalidSetting);
    CHECK(saved.error().message ==
          "The settings were not saved: Days to keep sent forms must be between 1 and 365.");
    CHECK(queryInt(settings->handle(), "SELECT COUNT(*) FROM hub_settings") == 0);
    CHECK(queryInt(settings->handle(), "SELECT COUNT(*) FROM audit_log") == 0);
    CHECK(settings->load(fromConfig) == fromConfig);
}

TEST_CASE("a hub settings save that fails half-way leaves every key and the audit log as they were",
          "[store][settings]") {
    StoreFixture fixture;
    const HubSettings fromConfig = configDefaults();
    auto settings = openSettings(fixture);
    HubSettings first = fromConfig;
    first.hubName = "Library";
    REQUIRE(settings->save(first, fromConfig, kLanguages, kAdmin, kSealTimeMillis).ok());

    // The last key's write fails, after the first keys were written in the same transaction.
    REQUIRE(executeSql(settings->handle(),
                       "CREATE TEMP TRIGGER retention_fails BEFORE UPDATE ON hub_settings WHEN NEW.key = "
                       "'retention_days' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END") == SQLITE_OK);
    HubSettings second = first;
    second.hubName = "Town Hall";
    second.retentionDays = 90;
    auto saved = settings->save(second, fromConfig, kLanguages, kAdmin, kSealTimeMillis + 1);
    REQUIRE_FALSE(saved.ok());
    CHECK(saved.error().code == ErrorCode::DatabaseError);
    CHECK(settings->load(fromConfig) == first);
    CHECK(queryInt(settings->handle(), "SELECT COUNT(*) FROM audit_log") == 1);

    // A value written by hand that the kiosk cannot read falls back to the config file's.
    REQUIRE(executeSql(settings->handle(), "DROP TRIGGER temp.retention_fails") == SQLITE_OK);
    REQUIRE(executeSql(settings->handle(),
                       "UPDATE hub_settings SET value = 'soon' WHERE key = 'idle_timeout_seconds'") ==
            SQLITE_OK);
    CHECK(settings->load(fromConfig).idleTimeoutSeconds == fromConfig.idleTimeoutSeconds);
    CHECK(executeSql(settings->handle(), "INSERT INTO hub_settings VALUES ('colour', 'red', 0, 'x')") ==
          SQLITE_CONSTRAINT);
}
