// Opening a connection to the kiosk database the way every store class needs it: the data
// directory created, the PRAGMAs the store relies on set and read back, the schema migrated.
// Private to kiosk/store. OutboxStore, StaffStore, AuditLog and SettingsStore each own one
// connection opened here (SQLite connections are per thread).
#pragma once

#include <sqlite3.h>

#include <utility>

#include "kiosk/result.h"
#include "store/outbox_store.h"

namespace kiosk::store {

// Closes the connection unless ownership is handed on with release().
struct ConnectionGuard {
    sqlite3* db = nullptr;
    ConnectionGuard() = default;
    explicit ConnectionGuard(sqlite3* handle) : db(handle) {}
    ~ConnectionGuard() { sqlite3_close_v2(db); }
    ConnectionGuard(const ConnectionGuard&) = delete;
    ConnectionGuard& operator=(const ConnectionGuard&) = delete;
    sqlite3* release() { return std::exchange(db, nullptr); }
};

// WAL, synchronous=FULL (NORMAL for Durability::Outcomes), foreign_keys=ON, busy_timeout,
// secure_delete=ON, then every migration. The caller owns the returned connection.
// Error codes: "read_only", "disk_full", "io_error", "busy", "schema_too_new", "database_error",
// "crypto_unavailable" (libsodium failed to start).
Result<sqlite3*> openStoreConnection(const StoreOptions& options);

}  // namespace kiosk::store
