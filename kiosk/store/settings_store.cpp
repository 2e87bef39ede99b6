// SettingsStore: hub settings as key/value rows over the config file (include/store/settings_store.h).
#include "store/settings_store.h"

#include <charconv>
#include <optional>

#include "sqlite_support.h"
#include "store/audit_log.h"
#include "store_connection.h"

namespace kiosk::store {
namespace {

std::optional<int> parseInt(const std::string& text) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return value;
}

// One row of hub_settings: its key (the schema's CHECK lists the same), how it reads from and
// writes to HubSettings, and whether its value is text (quoted in the audit row).
struct SettingField {
    const char* key;
    bool text;
    std::string (*get)(const HubSettings&);
    bool (*set)(HubSettings&, const std::string&);
};

bool setInt(int& target, const std::string& value) {
    auto parsed = parseInt(value);
    if (!parsed) return false;
    target = *parsed;
    return true;
}

const SettingField kFields[] = {
    {"hub_name", true, [](const HubSettings& s) { return s.hubName; },
     [](HubSettings& s, const std::string& v) {
         s.hubName = v;
         return true;
     }},
    {"idle_timeout_seconds", false, [](const HubSettings& s) { return std::to_string(s.idleTimeoutSeconds); },
     [](HubSettings& s, const std::string& v) { return setInt(s.idleTimeoutSeconds, v); }},
    {"default_language", true, [](const HubSettings& s) { return s.defaultLanguage; },
     [](HubSettings& s, const std::string& v) {
         s.defaultLanguage = v;
         return !v.empty();
     }},
    {"default_text_size_percent", false,
     [](const HubSettings& s) { return std::to_string(s.defaultTextSizePercent); },
     [](HubSettings& s, const std::string& v) { return setInt(s.defaultTextSizePercent, v); }},
    {"default_high_contrast", false,
     [](const HubSettings& s) { return std::string(s.defaultHighContrast ? "true" : "false"); },
     [](HubSettings& s, const std::string& v) {
         if (v != "true" && v != "false") return false;
         s.defaultHighContrast = v == "true";
         return true;
     }},
    {"retention_days", false, [](const HubSettings& s) { return std::to_string(s.retentionDays); },
     [](HubSettings& s, const std::string& v) { return setInt(s.retentionDays, v); }},
};

HubSettings loadOn(sqlite3* db, const HubSettings& fromConfig) {
    HubSettings settings = fromConfig;
    Statement query(db, "SELECT key, value FROM hub_settings");
    while (query.step() == SQLITE_ROW) {
        const std::string key = query.columnText(0);
        for (const auto& field : kFields) {
            if (key != field.key) continue;
            HubSettings candidate = settings;
            if (field.set(candidate, query.columnText(1))) settings = candidate;
        }
    }
    return settings;
}

std::string shown(const SettingField& field, const HubSettings& settings) {
    const std::string value = field.get(settings);
    return field.text ? "'" + value + "'" : value;
}

}  // namespace

SettingsStore::~SettingsStore() {
    sqlite3_close_v2(db_);
}

Result<std::unique_ptr<SettingsStore>> SettingsStore::open(const StoreOptions& options) {
    auto connection = openStoreConnection(options);
    if (!connection) return connection.error();
    return std::unique_ptr<SettingsStore>(new SettingsStore(*connection));
}

HubSettings SettingsStore::load(const HubSettings& fromConfig) {
    return loadOn(db_, fromConfig);
}

Status SettingsStore::save(const HubSettings& next, const HubSettings& fromConfig,
                           const std::vector<std::string>& languageCodes, const std::string& actorStaffId,
                           std::int64_t nowMillis) {
    const auto problems = validateHubSettings(next, languageCodes);
    if (!problems.empty()) {
        std::string message = "The settings were not saved: ";
        for (std::size_t i = 0; i < problems.size(); ++i) message += (i ? "; " : "") + problems[i];
        return Error{ErrorCode::InvalidSetting, message + "."};
    }

    Transaction transaction(db_);
    if (auto began = transaction.begin("save settings"); !began) return began;
    const HubSettings current = loadOn(db_, fromConfig);
    std::string changes;
    for (const auto& field : kFields) {
        if (field.get(current) == field.get(next)) continue;
        changes += (changes.empty() ? "" : "; ") + std::string(field.key) + ": " + shown(field, current) +
                   " -> " + shown(field, next);
    }
    if (changes.empty()) return Done{};

    for (const auto& field : kFields) {
        Statement write(
            db_,
            "INSERT INTO hub_settings (key, value, updated_at_ms, updated_by) VALUES (?1, ?2, ?3, ?4) "
            "ON CONFLICT (key) DO UPDATE SET value = ?2, updated_at_ms = ?3, updated_by = ?4");
        write.bind(1, std::string_view(field.key));
        write.bind(2, field.get(next));
        write.bind(3, nowMillis);
        write.bind(4, actorStaffId);
        int rc = write.step();
        if (rc != SQLITE_DONE) return sqliteError(db_, rc, "save settings");
    }
    if (auto audited = appendAuditEntry(db_, actorStaffId, "settings_changed", changes, nowMillis); !audited)
        return audited;
    return transaction.commit("save settings");
}

}  // namespace kiosk::store
