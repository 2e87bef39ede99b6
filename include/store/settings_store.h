// SettingsStore: the hub settings an admin changed on the kiosk, which override the config file.
// Saving checks every value (kiosk/hub_settings.h), writes every key in one transaction, and
// audits which settings changed from what to what in that same transaction.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kiosk/hub_settings.h"
#include "kiosk/result.h"
#include "store/outbox_store.h"

struct sqlite3;

namespace kiosk::store {

class SettingsStore {
public:
    // Own connection, migrated like OutboxStore::open; the same error codes.
    static Result<std::unique_ptr<SettingsStore>> open(const StoreOptions& options);
    ~SettingsStore();
    SettingsStore(const SettingsStore&) = delete;
    SettingsStore& operator=(const SettingsStore&) = delete;

    // The config file's settings with every saved value on top. A saved value that cannot be read
    // (written by hand) is skipped, so the config file's value applies.
    HubSettings load(const HubSettings& fromConfig);

    // fromConfig is what load() starts from; it tells the audit row what a never-saved setting
    // was. Error codes: "invalid_setting" (the message lists every problem; nothing is saved),
    // or a database code. Saving values equal to the current ones writes and audits nothing.
    Status save(const HubSettings& next, const HubSettings& fromConfig,
                const std::vector<std::string>& languageCodes, const std::string& actorStaffId,
                std::int64_t nowMillis);

    sqlite3* handle() { return db_; }  // for tests only

private:
    explicit SettingsStore(sqlite3* db) : db_(db) {}
    sqlite3* db_;
};

}  // namespace kiosk::store
