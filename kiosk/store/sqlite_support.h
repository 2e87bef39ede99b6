// Small RAII layer over the SQLite C API for the store: prepared statements, a transaction
// guard, and the mapping from SQLite result codes to the store's error codes.
// Private to kiosk/store; nothing outside the store sees sqlite3 types except handle().
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/result.h"

namespace kiosk::store {

// "disk_full", "read_only", "io_error", "busy" or "database_error" for a SQLite result code.
// Extended codes are reduced to their primary code first (SQLITE_IOERR_FSYNC -> io_error).
ErrorCode storeErrorCode(int sqliteResultCode);

// Error value for a failed SQLite call. `what` names the operation ("seal", "open"); the
// message carries SQLite's own text, which never includes bound values.
Error sqliteError(sqlite3* db, int resultCode, std::string_view what);

// Runs SQL without results (PRAGMAs that return nothing, DDL, BEGIN/COMMIT).
Status execute(sqlite3* db, const char* sql, std::string_view what);

// One prepared statement. Bind with 1-based indexes, then step() until it stops returning
// SQLITE_ROW. The destructor finalizes, so early returns cannot leak statements.
class Statement {
public:
    Statement(sqlite3* db, const char* sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    bool prepared() const { return stmt_ != nullptr; }
    int prepareResult() const { return prepareResult_; }

    void bind(int index, std::int64_t value);
    void bind(int index, int value) { bind(index, static_cast<std::int64_t>(value)); }
    void bind(int index, bool value) { bind(index, static_cast<std::int64_t>(value ? 1 : 0)); }
    void bind(int index, std::string_view text);  // SQLITE_TRANSIENT: SQLite copies it
    // Without this a string literal would convert to bool (a standard conversion beats
    // string_view's constructor) and be stored as 1.
    void bind(int index, const char* text) { bind(index, std::string_view(text)); }
    void bindBlob(int index, std::string_view bytes);
    void bindNullableText(int index, std::string_view text);  // empty -> NULL
    void bindNull(int index);

    // SQLITE_ROW, SQLITE_DONE or an error code; an unprepared statement returns its prepare error.
    int step();

    std::int64_t columnInt64(int column) const;
    int columnInt(int column) const { return static_cast<int>(columnInt64(column)); }
    bool columnIsNull(int column) const;
    std::string columnText(int column) const;  // "" for NULL
    std::string columnBlob(int column) const;  // "" for NULL

private:
    sqlite3_stmt* stmt_ = nullptr;
    int prepareResult_ = SQLITE_OK;
};

// BEGIN IMMEDIATE on construction (through begin()); rolls back in the destructor unless
// commit() succeeded. IMMEDIATE takes the write lock up front, so two kiosk processes or
// threads cannot both read the reference counter and then collide when writing it.
class Transaction {
public:
    explicit Transaction(sqlite3* db) : db_(db) {}
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    Status begin(std::string_view what);
    Status commit(std::string_view what);

private:
    sqlite3* db_;
    bool open_ = false;
};

}  // namespace kiosk::store
