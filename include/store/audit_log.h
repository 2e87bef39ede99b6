// AuditLog: what staff did on the kiosk, in order, as a hash chain.
//
// Each row keeps the hash of the row before it and its own SHA-256 over an unambiguous encoding
// of (sequence, time, actor, action, detail, previous hash); the sequence and hash of the last
// row (the chain head) are kept in kiosk_meta, written in the same transaction as the row. So
// verify() sees a row edited, a row deleted from the middle or the end, and rows renumbered.
// Triggers also refuse UPDATE and DELETE, which stops a bug, not a person: anyone with the file
// and sqlite3 can drop them. The chain is not a signature either: someone who rewrites every row
// and the head consistently is not detected; that needs a key the kiosk does not hold.
//
// Actions are short snake_case words ("sign_in", "sign_in_failed", "sign_in_refused", "sign_out",
// "staff_added", "pin_reset", "passphrase_reset", "staff_disabled", "staff_enabled",
// "staff_unlocked", "settings_changed"). Details are plain text for an admin: never a PIN,
// passphrase, key, or anything a resident entered.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "kiosk/result.h"
#include "store/outbox_store.h"

struct sqlite3;

namespace kiosk::store {

struct AuditEntry {
    std::int64_t sequence = 0;  // 1, 2, 3... with no gaps
    std::int64_t atMillis = 0;
    std::string actor;   // a staff id ("stf-..."), "kioskctl:<user>", or "unknown"
    std::string action;  // snake_case, see above
    std::string detail;  // plain text, no secrets, no resident data
    std::string hash;    // 64 hex digits
    std::string previousHash;
};

struct AuditVerification {
    bool ok = true;
    std::int64_t rowsChecked = 0;
    std::int64_t firstBadSequence = 0;  // 0 when ok
    std::string problem;                // one sentence naming the row and what happened; "" when ok
};

// Appends one row using the caller's connection and open write transaction, so the row commits
// or rolls back with the change it records (StaffStore, SettingsStore). Never call it outside a
// transaction: the chain head and the row must move together.
// Error codes: "invalid_argument" (action not snake_case, empty actor), or a database code.
Status appendAuditEntry(sqlite3* db, const std::string& actor, const std::string& action,
                        const std::string& detail, std::int64_t nowMillis);

// The same checks as AuditLog::verify on any connection to a migrated database.
AuditVerification verifyAuditLog(sqlite3* db);

class AuditLog {
public:
    // Own connection, migrated like OutboxStore::open; the same error codes.
    static Result<std::unique_ptr<AuditLog>> open(const StoreOptions& options);
    ~AuditLog();
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;

    // One IMMEDIATE transaction with synchronous=FULL.
    Status append(const std::string& actor, const std::string& action, const std::string& detail,
                  std::int64_t nowMillis);
    std::vector<AuditEntry> newest(int limit);  // newest first
    // Walks every row from the first: reads all of them, so not for the UI thread on a big log.
    AuditVerification verify();

    sqlite3* handle() { return db_; }  // for tests only

private:
    explicit AuditLog(sqlite3* db) : db_(db) {}
    sqlite3* db_;
};

}  // namespace kiosk::store
