// openStoreConnection: the one place that decides how the kiosk database is opened.
#include "store_connection.h"

#include <sodium.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "schema.h"
#include "sqlite_support.h"

namespace kiosk::store {
namespace {

constexpr int kBusyTimeoutMillis = 5000;
constexpr std::int64_t kJournalSizeLimitBytes = 4 * 1024 * 1024;

Error directoryError(const std::error_code& error) {
    ErrorCode code = ErrorCode::IoError;
    if (error == std::errc::permission_denied || error == std::errc::read_only_file_system ||
        error == std::errc::operation_not_permitted) {
        code = ErrorCode::ReadOnly;
    } else if (error == std::errc::no_space_on_device) {
        code = ErrorCode::DiskFull;
    }
    return Error{code, "Cannot create the kiosk data directory (" + error.message() +
                           "); check the dataDirectory setting and its permissions."};
}

// Sets a PRAGMA and reads the value back: some PRAGMAs (journal_mode) can silently decline.
Status setPragma(sqlite3* db, const std::string& name, const std::string& value,
                 const std::string& expected) {
    std::string sql = "PRAGMA " + name + " = " + value;
    Statement pragma(db, sql.c_str());
    int rc = pragma.step();
    std::string got = rc == SQLITE_ROW ? pragma.columnText(0) : std::string();
    while (rc == SQLITE_ROW) rc = pragma.step();
    if (rc != SQLITE_DONE) return sqliteError(db, rc, "set " + name);
    if (expected.empty()) return Done{};
    if (got.empty()) {
        std::string readBack = "PRAGMA " + name;
        Statement query(db, readBack.c_str());
        if (query.step() == SQLITE_ROW) got = query.columnText(0);
    }
    if (got != expected) {
        return Error{ErrorCode::DatabaseError, "SQLite did not accept PRAGMA " + name + " = " + value +
                                                   " (it reports '" + got +
                                                   "'); the database file system may not support it."};
    }
    return Done{};
}

Status configureConnection(sqlite3* db, Durability durability) {
    const char* synchronous = durability == Durability::Full ? "FULL" : "NORMAL";
    const char* synchronousValue = durability == Durability::Full ? "2" : "1";
    // busy_timeout first: switching to WAL needs a brief lock another connection may hold.
    const struct {
        const char* name;
        std::string value;
        std::string expected;
    } pragmas[] = {
        {"busy_timeout", std::to_string(kBusyTimeoutMillis), std::to_string(kBusyTimeoutMillis)},
        {"journal_mode", "WAL", "wal"},
        // WAL + NORMAL can lose the last commits on power loss: only for Durability::Outcomes.
        {"synchronous", synchronous, synchronousValue},
        {"foreign_keys", "ON", "1"},
        {"secure_delete", "ON", "1"},
        {"journal_size_limit", std::to_string(kJournalSizeLimitBytes),
         std::to_string(kJournalSizeLimitBytes)},
    };
    for (const auto& pragma : pragmas) {
        if (auto set = setPragma(db, pragma.name, pragma.value, pragma.expected); !set) return set.error();
    }
    return Done{};
}

}  // namespace

Result<sqlite3*> openStoreConnection(const StoreOptions& options) {
    if (sodium_init() < 0) {
        return Error{ErrorCode::CryptoUnavailable,
                     "libsodium could not be initialised; the kiosk cannot seal submissions."};
    }
    const auto parent = options.databaseFile.parent_path();
    if (!parent.empty()) {
        std::error_code error;
        std::filesystem::create_directories(parent, error);
        if (error) return directoryError(error);
    }

    ConnectionGuard connection;
    // NOMUTEX: each thread opens its own store, so SQLite's per-connection mutex is not needed.
    int rc = sqlite3_open_v2(options.databaseFile.c_str(), &connection.db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        int code = connection.db ? sqlite3_extended_errcode(connection.db) : rc;
        return sqliteError(connection.db, code, "open");
    }
    sqlite3_extended_result_codes(connection.db, 1);
    if (auto configured = configureConnection(connection.db, options.durability); !configured)
        return configured.error();
    if (auto migrated = applyMigrations(connection.db); !migrated) return migrated.error();
    return connection.release();
}

}  // namespace kiosk::store
