// RAII statements and transactions over SQLite, and SQLite result codes -> store error codes.
#include "sqlite_support.h"

namespace kiosk::store {

ErrorCode storeErrorCode(int sqliteResultCode) {
    switch (sqliteResultCode & 0xff) {
        case SQLITE_FULL:
            return ErrorCode::DiskFull;
        case SQLITE_READONLY:
        case SQLITE_CANTOPEN:
        case SQLITE_PERM:
            return ErrorCode::ReadOnly;
        case SQLITE_IOERR:
            return ErrorCode::IoError;
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return ErrorCode::Busy;
        default:
            return ErrorCode::DatabaseError;
    }
}

Error sqliteError(sqlite3* db, int resultCode, std::string_view what) {
    std::string message = "Database operation '" + std::string(what) + "' failed: ";
    // sqlite3_errmsg describes the most recent call on this connection; when the caller's code
    // came from elsewhere (a rollback that followed, for example), the generic text is safer.
    if (db != nullptr && sqlite3_extended_errcode(db) == resultCode) {
        message += sqlite3_errmsg(db);
    } else {
        message += sqlite3_errstr(resultCode);
    }
    message += " (SQLite code " + std::to_string(resultCode) + ").";
    return Error{storeErrorCode(resultCode), std::move(message)};
}

Status execute(sqlite3* db, const char* sql, std::string_view what) {
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return sqliteError(db, sqlite3_extended_errcode(db), what);
    return Done{};
}

Statement::Statement(sqlite3* db, const char* sql) {
    prepareResult_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
    if (prepareResult_ != SQLITE_OK) {
        prepareResult_ = sqlite3_extended_errcode(db);
        sqlite3_finalize(stmt_);
        stmt_ = nullptr;
    }
}

Statement::~Statement() {
    sqlite3_finalize(stmt_);
}

void Statement::bind(int index, std::int64_t value) {
    if (stmt_) sqlite3_bind_int64(stmt_, index, value);
}

void Statement::bind(int index, std::string_view text) {
    if (stmt_) sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void Statement::bindBlob(int index, std::string_view bytes) {
    if (stmt_) sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
}

void Statement::bindNull(int index) {
    if (stmt_) sqlite3_bind_null(stmt_, index);
}

void Statement::bindNullableText(int index, std::string_view text) {
    if (!stmt_) return;
    if (text.empty()) {
        sqlite3_bind_null(stmt_, index);
    } else {
        bind(index, text);
    }
}

int Statement::step() {
    if (!stmt_) return prepareResult_;
    int rc = sqlite3_step(stmt_);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) rc = sqlite3_extended_errcode(sqlite3_db_handle(stmt_));
    return rc;
}

std::int64_t Statement::columnInt64(int column) const {
    return stmt_ ? sqlite3_column_int64(stmt_, column) : 0;
}

bool Statement::columnIsNull(int column) const {
    return !stmt_ || sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string Statement::columnText(int column) const {
    if (!stmt_) return {};
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    if (text == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(text),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string Statement::columnBlob(int column) const {
    if (!stmt_) return {};
    const void* bytes = sqlite3_column_blob(stmt_, column);
    if (bytes == nullptr) return {};
    return std::string(static_cast<const char*>(bytes),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

Transaction::~Transaction() {
    // After SQLITE_FULL or an I/O error SQLite may already have rolled back on its own;
    // a second ROLLBACK would only fail, so ask first.
    if (open_ && !sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Status Transaction::begin(std::string_view what) {
    auto started = execute(db_, "BEGIN IMMEDIATE", what);
    if (started) open_ = true;
    return started;
}

Status Transaction::commit(std::string_view what) {
    auto committed = execute(db_, "COMMIT", what);
    if (committed) open_ = false;
    return committed;
}

}  // namespace kiosk::store
