// Schema migrations for the kiosk database. To change the schema, append a migration to
// kMigrations; never edit one that has shipped, since kiosks in the field have applied it.
#include "schema.h"

#include <algorithm>
#include <iterator>
#include <string>

#include "sqlite_support.h"

namespace kiosk::store {
namespace {

// Version 1: the sealed outbox.
// The triggers and CHECKs hold the lifecycle rules even against a bug in the code above:
// sealed content never changes once written (it may only be deleted by the purge), a delivered
// or held-back row never returns to sealed, and only delivered rows lose their payload.
constexpr const char* kMigration1 = R"sql(
CREATE TABLE submissions (
    id                  INTEGER PRIMARY KEY,
    submission_id       TEXT    NOT NULL UNIQUE,
    reference           TEXT    NOT NULL UNIQUE,
    reference_sequence  INTEGER NOT NULL UNIQUE,
    service_id          TEXT    NOT NULL,
    form_id             TEXT    NOT NULL,
    form_version        INTEGER NOT NULL,
    language            TEXT    NOT NULL,
    destination         TEXT    NOT NULL,
    assisted            INTEGER NOT NULL CHECK (assisted IN (0, 1)),
    volunteer_id        TEXT,
    created_at_ms       INTEGER NOT NULL,
    state               TEXT    NOT NULL DEFAULT 'sealed'
                                CHECK (state IN ('sealed', 'delivered', 'held_back')),
    sealed_payload      BLOB,
    request_body        BLOB,
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms  INTEGER NOT NULL,
    last_error          TEXT,
    last_error_at_ms    INTEGER,
    council_reference   TEXT,
    council_message     TEXT,
    delivered_at_ms     INTEGER,
    held_back_at_ms     INTEGER,
    purged_at_ms        INTEGER,
    CHECK (state = 'delivered' OR (sealed_payload IS NOT NULL AND request_body IS NOT NULL)),
    CHECK (purged_at_ms IS NULL OR state = 'delivered')
);

CREATE INDEX submissions_due ON submissions (state, next_attempt_at_ms);
CREATE INDEX submissions_delivered ON submissions (state, delivered_at_ms);
CREATE INDEX submissions_last_error ON submissions (last_error_at_ms) WHERE last_error IS NOT NULL;

CREATE TRIGGER submissions_final_state
BEFORE UPDATE OF state ON submissions
WHEN OLD.state <> 'sealed' AND NEW.state <> OLD.state
BEGIN
    SELECT RAISE(ABORT, 'a delivered or held back submission cannot change state');
END;

CREATE TRIGGER submissions_sealed_content
BEFORE UPDATE OF sealed_payload, request_body, submission_id, reference, reference_sequence ON submissions
WHEN (NEW.sealed_payload IS NOT NULL AND NEW.sealed_payload IS NOT OLD.sealed_payload)
  OR (NEW.request_body IS NOT NULL AND NEW.request_body IS NOT OLD.request_body)
  OR NEW.submission_id IS NOT OLD.submission_id
  OR NEW.reference IS NOT OLD.reference
  OR NEW.reference_sequence IS NOT OLD.reference_sequence
BEGIN
    SELECT RAISE(ABORT, 'sealed content cannot be changed');
END;

-- One row. The next value is taken in the sealing transaction, so a reference that was
-- shown to a resident is always backed by a committed row and is never handed out again.
CREATE TABLE reference_sequence (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    next_value  INTEGER NOT NULL CHECK (next_value >= 1)
);
INSERT INTO reference_sequence (id, next_value) VALUES (1, 1);

CREATE TABLE kiosk_meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// Version 2: destinations own the wire format. The store keeps the destination's bytes and
// records how they are protected at rest; every row written before this was sealed to the
// council's key for the kiosk JSON API. Like the sealed content, the protection never changes.
constexpr const char* kMigration2 = R"sql(
ALTER TABLE submissions ADD COLUMN payload_protection TEXT NOT NULL DEFAULT 'sealed_to_council'
    CHECK (payload_protection IN ('sealed_to_council', 'device_key', 'none'));

CREATE TRIGGER submissions_payload_protection
BEFORE UPDATE OF payload_protection ON submissions
WHEN NEW.payload_protection IS NOT OLD.payload_protection
BEGIN
    SELECT RAISE(ABORT, 'sealed content cannot be changed');
END;
)sql";

// Help sessions and anonymous usage counts.
// help_sessions: a volunteer's record of helping a resident with a digital task (topic, minutes,
// outcome; the volunteer's staff id, never a name, and nothing about the resident). Each is
// delivered like a submission: sealed bytes, the same lifecycle and the same final-state rules.
// usage_daily: counters per UTC day (days since 1970-01-01), event kind, service, language and
// whether a volunteer assisted. No session, reference or time of day is kept, so no row can be
// tied to a resident.
constexpr const char* kMigrationHelpSessionsAndUsage = R"sql(
CREATE TABLE help_sessions (
    id                  INTEGER PRIMARY KEY,
    help_session_id     TEXT    NOT NULL UNIQUE,
    volunteer_id        TEXT    NOT NULL,
    topic               TEXT    NOT NULL,
    minutes             INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 480),
    outcome             TEXT    NOT NULL CHECK (outcome IN ('done', 'partly_done', 'referred')),
    language            TEXT,
    recorded_at_ms      INTEGER NOT NULL,
    state               TEXT    NOT NULL DEFAULT 'sealed'
                                CHECK (state IN ('sealed', 'delivered', 'held_back')),
    request_body        BLOB    NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms  INTEGER NOT NULL,
    last_error          TEXT,
    last_error_at_ms    INTEGER,
    council_reference   TEXT,
    council_message     TEXT,
    delivered_at_ms     INTEGER,
    held_back_at_ms     INTEGER
);

CREATE INDEX help_sessions_due ON help_sessions (state, next_attempt_at_ms);
CREATE INDEX help_sessions_recorded ON help_sessions (recorded_at_ms);

CREATE TRIGGER help_sessions_final_state
BEFORE UPDATE OF state ON help_sessions
WHEN OLD.state <> 'sealed' AND NEW.state <> OLD.state
BEGIN
    SELECT RAISE(ABORT, 'a delivered or held back help session cannot change state');
END;

CREATE TRIGGER help_sessions_sealed_content
BEFORE UPDATE OF help_session_id, volunteer_id, topic, minutes, outcome, language, recorded_at_ms,
                 request_body ON help_sessions
BEGIN
    SELECT RAISE(ABORT, 'a recorded help session cannot be changed');
END;

CREATE TABLE usage_daily (
    day         INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    service_id  TEXT    NOT NULL DEFAULT '',
    language    TEXT    NOT NULL DEFAULT '',
    assisted    INTEGER NOT NULL DEFAULT 0 CHECK (assisted IN (0, 1)),
    count       INTEGER NOT NULL DEFAULT 0 CHECK (count >= 0),
    PRIMARY KEY (day, kind, service_id, language, assisted)
) WITHOUT ROWID;
)sql";

// Admin queue operations: a held-back form may be tried again (held_back -> sealed), and a form
// the council confirmed it received from an exported bundle becomes delivered_out_of_band, a
// final state that is never sent again and whose payload is purged like a delivered one.
// A CHECK cannot be altered in SQLite, so the table is rebuilt (sqlite.org/lang_altertable.html,
// "Making Other Kinds Of Table Schema Changes"). Columns keep their order and the copy is
// "SELECT *", so a column added by any earlier migration and missed here fails the migration
// instead of being dropped. Every rule of versions 1 and 2 is restated.
constexpr const char* kMigrationQueueOperations = R"sql(
CREATE TABLE submissions_rebuilt (
    id                  INTEGER PRIMARY KEY,
    submission_id       TEXT    NOT NULL UNIQUE,
    reference           TEXT    NOT NULL UNIQUE,
    reference_sequence  INTEGER NOT NULL UNIQUE,
    service_id          TEXT    NOT NULL,
    form_id             TEXT    NOT NULL,
    form_version        INTEGER NOT NULL,
    language            TEXT    NOT NULL,
    destination         TEXT    NOT NULL,
    assisted            INTEGER NOT NULL CHECK (assisted IN (0, 1)),
    volunteer_id        TEXT,
    created_at_ms       INTEGER NOT NULL,
    state               TEXT    NOT NULL DEFAULT 'sealed'
                                CHECK (state IN ('sealed', 'delivered', 'held_back', 'delivered_out_of_band')),
    sealed_payload      BLOB,
    request_body        BLOB,
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at_ms  INTEGER NOT NULL,
    last_error          TEXT,
    last_error_at_ms    INTEGER,
    council_reference   TEXT,
    council_message     TEXT,
    delivered_at_ms     INTEGER,
    held_back_at_ms     INTEGER,
    purged_at_ms        INTEGER,
    payload_protection  TEXT    NOT NULL DEFAULT 'sealed_to_council'
                                CHECK (payload_protection IN ('sealed_to_council', 'device_key', 'none')),
    CHECK (state IN ('delivered', 'delivered_out_of_band')
           OR (sealed_payload IS NOT NULL AND request_body IS NOT NULL)),
    CHECK (purged_at_ms IS NULL OR state IN ('delivered', 'delivered_out_of_band'))
);

INSERT INTO submissions_rebuilt SELECT * FROM submissions;
DROP TABLE submissions;
ALTER TABLE submissions_rebuilt RENAME TO submissions;

CREATE INDEX submissions_due ON submissions (state, next_attempt_at_ms);
CREATE INDEX submissions_delivered ON submissions (state, delivered_at_ms);
CREATE INDEX submissions_last_error ON submissions (last_error_at_ms) WHERE last_error IS NOT NULL;

-- Final states stay final. The two ways out of held_back are an admin's: "Try again" and
-- "the council has the exported copy".
CREATE TRIGGER submissions_final_state
BEFORE UPDATE OF state ON submissions
WHEN NEW.state <> OLD.state AND OLD.state <> 'sealed'
 AND NOT (OLD.state = 'held_back' AND NEW.state IN ('sealed', 'delivered_out_of_band'))
BEGIN
    SELECT RAISE(ABORT, 'a delivered submission cannot change state');
END;

CREATE TRIGGER submissions_sealed_content
BEFORE UPDATE OF sealed_payload, request_body, submission_id, reference, reference_sequence ON submissions
WHEN (NEW.sealed_payload IS NOT NULL AND NEW.sealed_payload IS NOT OLD.sealed_payload)
  OR (NEW.request_body IS NOT NULL AND NEW.request_body IS NOT OLD.request_body)
  OR NEW.submission_id IS NOT OLD.submission_id
  OR NEW.reference IS NOT OLD.reference
  OR NEW.reference_sequence IS NOT OLD.reference_sequence
BEGIN
    SELECT RAISE(ABORT, 'sealed content cannot be changed');
END;

CREATE TRIGGER submissions_payload_protection
BEFORE UPDATE OF payload_protection ON submissions
WHEN NEW.payload_protection IS NOT OLD.payload_protection
BEGIN
    SELECT RAISE(ABORT, 'sealed content cannot be changed');
END;
)sql";

// Staff who sign in on the kiosk, their sign-in failures, the audit log and the hub's
// own settings. Failures and lockout live in the database, not in memory, so restarting the
// kiosk (or pulling its plug) never gives a PIN guesser fresh tries. The triggers hold the rules
// against a bug in the code above; they cannot stop someone with sqlite3 and the file, which is
// why the audit log also carries a hash chain (kiosk/store/audit_log.cpp).
constexpr const char* kMigrationStaffAuditSettings = R"sql(
CREATE TABLE staff_accounts (
    staff_id       TEXT    PRIMARY KEY CHECK (length(staff_id) = 16 AND staff_id GLOB 'stf-[0-9a-f]*'
                                              AND substr(staff_id, 5) NOT GLOB '*[^0-9a-f]*'),
    name           TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 60),
    role           TEXT    NOT NULL CHECK (role IN ('volunteer', 'admin')),
    secret_hash    TEXT    NOT NULL CHECK (secret_hash GLOB '$argon2id$*'),
    disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at_ms  INTEGER NOT NULL,
    updated_at_ms  INTEGER NOT NULL
) WITHOUT ROWID;

-- An account's id is what assisted submissions and audit rows name, and a PIN holder is never
-- quietly made an admin: a promotion is a new account with a passphrase.
CREATE TRIGGER staff_accounts_identity
BEFORE UPDATE OF staff_id, role, created_at_ms ON staff_accounts
WHEN NEW.staff_id IS NOT OLD.staff_id OR NEW.role IS NOT OLD.role OR NEW.created_at_ms IS NOT OLD.created_at_ms
BEGIN
    SELECT RAISE(ABORT, 'a staff account keeps its id, role and creation time');
END;

-- Accounts are disabled, never deleted, so every audit row keeps naming someone.
CREATE TRIGGER staff_accounts_kept
BEFORE DELETE ON staff_accounts
BEGIN
    SELECT RAISE(ABORT, 'staff accounts are disabled, not deleted');
END;

CREATE TABLE staff_sign_in_state (
    staff_id          TEXT    PRIMARY KEY REFERENCES staff_accounts (staff_id),
    failed_attempts   INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    retry_at_ms       INTEGER NOT NULL DEFAULT 0 CHECK (retry_at_ms >= 0),
    locked            INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
    last_attempt_at_ms INTEGER
) WITHOUT ROWID;

CREATE TABLE audit_log (
    sequence       INTEGER PRIMARY KEY CHECK (sequence >= 1),
    at_ms          INTEGER NOT NULL,
    actor          TEXT    NOT NULL CHECK (length(actor) >= 1),
    action         TEXT    NOT NULL CHECK (length(action) BETWEEN 1 AND 40 AND action NOT GLOB '*[^a-z_]*'),
    detail         TEXT    NOT NULL,
    previous_hash  TEXT    NOT NULL CHECK (length(previous_hash) = 64),
    hash           TEXT    NOT NULL UNIQUE CHECK (length(hash) = 64)
);

CREATE TRIGGER audit_log_no_update
BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete
BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Values override the config file's; a key not here means the config file's value applies.
CREATE TABLE hub_settings (
    key            TEXT    PRIMARY KEY CHECK (key IN ('hub_name', 'idle_timeout_seconds', 'default_language',
                                                      'default_text_size_percent', 'default_high_contrast',
                                                      'retention_days')),
    value          TEXT    NOT NULL,
    updated_at_ms  INTEGER NOT NULL,
    updated_by     TEXT    NOT NULL
) WITHOUT ROWID;
)sql";

// Destinations that need more than one exchange per form (an Open311 token polled until the
// council's id appears, a duplicate check after an ambiguous failure) keep their progress in
// delivery_progress, so a restart carries on where it stopped. possible_duplicate marks a form
// resent to a server that could not be asked whether the first copy arrived.
constexpr const char* kMigrationDeliveryProgress = R"sql(
ALTER TABLE submissions ADD COLUMN delivery_progress TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN possible_duplicate INTEGER NOT NULL DEFAULT 0
    CHECK (possible_duplicate IN (0, 1));
)sql";

constexpr const char* kMigrations[] = {
    kMigration1,
    kMigration2,
    kMigrationHelpSessionsAndUsage,
    kMigrationQueueOperations,
    kMigrationStaffAuditSettings,
    kMigrationDeliveryProgress,
};

Result<int> readUserVersion(sqlite3* db) {
    Statement query(db, "PRAGMA user_version");
    int rc = query.step();
    if (rc != SQLITE_ROW) return sqliteError(db, rc, "read schema version");
    return query.columnInt(0);
}

Error schemaTooNew(int version) {
    return Error{ErrorCode::SchemaTooNew,
                 "The database was written by a newer version of the kiosk software (schema " +
                     std::to_string(version) + "); update the software before using it."};
}

}  // namespace

int latestMigrationVersion() {
    return static_cast<int>(std::size(kMigrations));
}

Status applyMigrations(sqlite3* db) {
    return applyMigrations(db, latestMigrationVersion());
}

Status applyMigrations(sqlite3* db, int upToVersion) {
    const int latest = std::min(upToVersion, latestMigrationVersion());
    // Looked at outside a transaction first, so opening an up-to-date file takes no write
    // lock (kioskctl may open a database it can only read).
    auto found = readUserVersion(db);
    if (!found) return found.error();
    if (*found > latest) return schemaTooNew(*found);
    if (*found >= latest) return Done{};
    // A migration that rebuilds a table drops the old one; with foreign keys on, that drop would
    // run ON DELETE actions on any table referring to it. The pragma is a no-op inside a
    // transaction, so it is turned off around them, and each migration checks the keys itself.
    struct ForeignKeysOff {
        sqlite3* db;
        bool wereOn;
        ~ForeignKeysOff() {
            if (wereOn) sqlite3_exec(db, "PRAGMA foreign_keys = ON", nullptr, nullptr, nullptr);
        }
    } foreignKeys{db, false};
    {
        Statement query(db, "PRAGMA foreign_keys");
        foreignKeys.wereOn = query.step() == SQLITE_ROW && query.columnInt(0) == 1;
    }
    if (foreignKeys.wereOn) {
        if (auto off = execute(db, "PRAGMA foreign_keys = OFF", "migrate"); !off) return off.error();
    }
    for (int target = *found + 1; target <= latest; ++target) {
        Transaction transaction(db);
        if (auto began = transaction.begin("migrate"); !began) return began.error();
        // Checked again under the write lock: another process may have migrated meanwhile.
        auto current = readUserVersion(db);
        if (!current) return current.error();
        if (*current > latest) return schemaTooNew(*current);
        if (*current >= target) continue;  // the destructor ends the empty transaction
        if (auto applied = execute(db, kMigrations[target - 1], "migrate"); !applied) return applied.error();
        std::string setVersion = "PRAGMA user_version = " + std::to_string(target);
        if (auto set = execute(db, setVersion.c_str(), "migrate"); !set) return set.error();
        {
            Statement check(db, "PRAGMA foreign_key_check");
            const int rc = check.step();
            if (rc == SQLITE_ROW) {
                return Error{ErrorCode::DatabaseError, "Schema migration " + std::to_string(target) +
                                                           " would break a foreign key; the database "
                                                           "was left as it was."};
            }
            if (rc != SQLITE_DONE) return sqliteError(db, rc, "migrate");
        }
        if (auto committed = transaction.commit("migrate"); !committed) return committed.error();
    }
    return Done{};
}

}  // namespace kiosk::store
