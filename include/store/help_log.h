// HelpLog: volunteers' records of "digital inclusion" help sessions, kept on the kiosk and
// delivered to the council's POST /v1/help-sessions (sync/openapi.yaml) exactly once.
//
// A record holds no personal data: a topic id from the content pack, minutes, an outcome, the
// language used, and the volunteer's staff id (never a name). Nothing about the resident and no
// free text. Each record gets a UUID v4 (the Idempotency-Key on every attempt) and its request
// body is written once, at recording: every attempt resends those exact bytes.
//
// Lifecycle, with the same rules as a submission (DESIGN.md section 5):
//   sealed -> delivered (the council's id stored) | held_back (the council's message kept)
// Unlike a submission nothing is encrypted and nothing is purged: the record is the data the
// council asked for, and none of it is about the resident.
//
// One HelpLog per thread; it opens its own connection to the kiosk database (the same file as
// OutboxStore) and migrates it like OutboxStore::open.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/result.h"
#include "store/outbox_store.h"

namespace kiosk::store {

struct HelpSessionToRecord {
    std::string volunteerId;  // staff id, e.g. "stf-3f9a1c2b7d0e"; never a name
    std::string topic;        // topic id from the content pack, e.g. "universal-credit"
    int minutes = 0;          // 1..480
    std::string outcome;      // "done", "partly_done" or "referred"
    std::string language;     // BCP 47 tag of the language used; "" = not given
};

// Longest help session a volunteer can record: a whole working day.
inline constexpr int kMaxHelpSessionMinutes = 480;

// Checks a record before it is written. The messages say which field is wrong and never quote
// the value (a name typed into the staff id field must not reach a log).
//   volunteerId: 1-64 characters, lowercase letters, digits and '-', starting with a letter
//   topic:       1-64 characters, lowercase letters, digits, '-' and '_', starting with a letter
//   outcome:     one of "done", "partly_done", "referred"
//   minutes:     1..480
//   language:    "" or 2-35 characters, letters, digits and '-' (BCP 47 shape)
// Error code "invalid_argument".
Status validateHelpSession(const HelpSessionToRecord& session);

// What the delivery round needs for one attempt.
struct HelpSessionItem {
    std::int64_t rowId = 0;
    std::string helpSessionId;  // UUID v4, the Idempotency-Key on every attempt
    std::string requestBody;    // exact bytes to send, fixed at recording
    int attempts = 0;
};

struct HelpSessionRecord {  // for status and admin views
    std::string helpSessionId;
    std::string volunteerId;
    std::string topic;
    int minutes = 0;
    std::string outcome;
    std::string language;
    std::int64_t recordedAtMillis = 0;
    SubmissionState state = SubmissionState::Sealed;
    std::string councilReference;  // the council's id for the record once delivered
    std::string lastError;
    std::string councilMessage;
    int attempts = 0;
    std::int64_t nextAttemptAtMillis = 0;
};

class HelpLog {
public:
    // Opens (creating and migrating if needed) the kiosk database at options.databaseFile, with
    // the same connection settings and error codes as OutboxStore::open.
    static Result<std::unique_ptr<HelpLog>> open(const StoreOptions& options);
    ~HelpLog();
    HelpLog(const HelpLog&) = delete;
    HelpLog& operator=(const HelpLog&) = delete;

    // Validates, then writes the record and its request body in one INSERT, committed with
    // synchronous=FULL whatever the connection's durability. Returns the help session's UUID.
    // Error codes: "invalid_argument" (see validateHelpSession; nothing is written), or a
    // database code ("disk_full", "read_only", "io_error", "busy", "database_error").
    Result<std::string> record(const HelpSessionToRecord& session, std::int64_t nowMillis);

    // Waiting records whose next attempt time has come, oldest first.
    std::vector<HelpSessionItem> due(std::int64_t nowMillis, int limit);
    std::optional<std::int64_t> nextAttemptAtMillis();  // earliest among waiting records
    Result<int> makeWaitingDueNow(std::int64_t nowMillis);

    // As OutboxStore's: one UPDATE of a row still waiting; repeating a call that already took
    // effect succeeds and changes nothing. Error codes "not_found", "not_waiting", or a database
    // code.
    Status recordDelivered(std::int64_t rowId, const std::string& councilReference, std::int64_t nowMillis);
    Status recordRetry(std::int64_t rowId, std::int64_t nextAttemptAtMillis, const std::string& error,
                       std::int64_t nowMillis);
    Status recordHeldBack(std::int64_t rowId, const std::string& councilMessage, std::int64_t nowMillis);

    QueueCounts counts();  // waiting, delivered, held back; oldest waiting recording time
    std::vector<HelpSessionRecord> recent(int limit);  // newest first
    std::optional<HelpSessionRecord> find(const std::string& helpSessionId);
    // Help sessions recorded at or after sinceMillis, per topic, most first (ties by topic).
    std::vector<std::pair<std::string, int>> countsByTopic(std::int64_t sinceMillis);

    sqlite3* handle();  // for tests only

private:
    explicit HelpLog(std::unique_ptr<OutboxStore> connection, StoreOptions options);
    std::unique_ptr<OutboxStore> connection_;  // owns the configured, migrated SQLite connection
    StoreOptions options_;
};

}  // namespace kiosk::store
