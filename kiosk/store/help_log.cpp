// HelpLog: validating and recording help sessions, their delivery queue and the counts the
// admin screens and usage statistics read.
#include "store/help_log.h"

#include <ctime>
#include <nlohmann/json.hpp>
#include <string_view>

#include "help_log_queries.h"
#include "kiosk/clock.h"
#include "sqlite_support.h"
#include "submission_id.h"

namespace kiosk::store {
namespace {

constexpr std::size_t kMaxIdLength = 64;
constexpr std::size_t kMaxLanguageLength = 35;  // RFC 5646's longest well-formed tag
constexpr const char* kHeldBackError = "Held back: the council will not accept this help session.";

bool isLowerOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Lowercase ids as the content pack writes them. Upper case and spaces are refused on purpose:
// they are what a name typed into the wrong field looks like.
bool isLowercaseId(std::string_view text, std::string_view extraCharacters) {
    if (text.empty() || text.size() > kMaxIdLength || text.front() < 'a' || text.front() > 'z') return false;
    for (const char c : text) {
        if (!isLowerOrDigit(c) && extraCharacters.find(c) == std::string_view::npos) return false;
    }
    return true;
}

bool isLanguageTag(std::string_view text) {
    if (text.size() < 2 || text.size() > kMaxLanguageLength) return false;
    for (const char c : text) {
        const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!letter && !(c >= '0' && c <= '9') && c != '-') return false;
    }
    return text.front() != '-' && text.back() != '-';
}

Error invalid(std::string message) {
    return Error{ErrorCode::InvalidArgument, std::move(message)};
}

std::string utcTimestamp(std::int64_t millis) {
    return formatUtc(millis, "%Y-%m-%dT%H:%M:%SZ");
}

// The council API's HelpSession schema (sync/openapi.yaml): compact, keys sorted. Every field
// has been validated as ASCII, so dump() cannot throw.
std::string requestBody(const HelpSessionToRecord& session, const std::string& helpSessionId,
                        const std::string& kioskId, std::int64_t nowMillis) {
    const nlohmann::json body = {
        {"helpSessionId", helpSessionId},
        {"kioskId", kioskId},
        {"volunteerId", session.volunteerId},
        {"topic", session.topic},
        {"minutes", session.minutes},
        {"outcome", session.outcome},
        {"language", session.language.empty() ? nlohmann::json(nullptr) : nlohmann::json(session.language)},
        {"recordedAt", utcTimestamp(nowMillis)},
    };
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

SubmissionState parseState(const std::string& text) {
    if (text == "delivered") return SubmissionState::Delivered;
    if (text == "held_back") return SubmissionState::HeldBack;
    return SubmissionState::Sealed;
}

constexpr const char* kRecordColumns =
    "help_session_id, volunteer_id, topic, minutes, outcome, language, recorded_at_ms, state, "
    "council_reference, last_error, council_message, attempts, next_attempt_at_ms";

HelpSessionRecord readRecord(const Statement& row) {
    HelpSessionRecord record;
    record.helpSessionId = row.columnText(0);
    record.volunteerId = row.columnText(1);
    record.topic = row.columnText(2);
    record.minutes = row.columnInt(3);
    record.outcome = row.columnText(4);
    record.language = row.columnText(5);
    record.recordedAtMillis = row.columnInt64(6);
    record.state = parseState(row.columnText(7));
    record.councilReference = row.columnText(8);
    record.lastError = row.columnText(9);
    record.councilMessage = row.columnText(10);
    record.attempts = row.columnInt(11);
    record.nextAttemptAtMillis = row.columnInt64(12);
    return record;
}

// As OutboxStore's: the UPDATE only matches a waiting row; a no-op is explained.
Status finishTransition(sqlite3* db, Statement& update, std::int64_t rowId, const char* targetState,
                        const char* what) {
    int rc = update.step();
    if (rc != SQLITE_DONE) return sqliteError(db, rc, what);
    if (sqlite3_changes(db) > 0) return Done{};

    Statement query(db, "SELECT state FROM help_sessions WHERE id = ?");
    query.bind(1, rowId);
    rc = query.step();
    if (rc == SQLITE_DONE) {
        return Error{ErrorCode::NotFound,
                     "No help session with row id " + std::to_string(rowId) + " exists."};
    }
    if (rc != SQLITE_ROW) return sqliteError(db, rc, what);
    const std::string state = query.columnText(0);
    if (targetState != nullptr && state == targetState) return Done{};
    return Error{ErrorCode::NotWaiting, "Help session row " + std::to_string(rowId) + " is already " + state +
                                            "; its state cannot change again."};
}

}  // namespace

Status validateHelpSession(const HelpSessionToRecord& session) {
    if (!isLowercaseId(session.volunteerId, "-")) {
        return invalid(
            "The volunteer's staff id must be their staff id (lowercase letters, digits and '-', such as "
            "stf-3f9a1c2b7d0e), not their name.");
    }
    if (!isLowercaseId(session.topic, "-_")) {
        return invalid("The help session's topic must be a topic id from the content pack, such as nhs-app.");
    }
    if (session.outcome != "done" && session.outcome != "partly_done" && session.outcome != "referred") {
        return invalid("The help session's outcome must be done, partly_done or referred.");
    }
    if (session.minutes < 1 || session.minutes > kMaxHelpSessionMinutes) {
        return invalid("A help session lasts from 1 to " + std::to_string(kMaxHelpSessionMinutes) +
                       " minutes; enter the minutes spent.");
    }
    if (!session.language.empty() && !isLanguageTag(session.language)) {
        return invalid("The help session's language must be a language code such as en or pl, or left out.");
    }
    return Done{};
}

std::vector<std::pair<std::string, int>> helpSessionsByTopic(sqlite3* db, std::int64_t sinceMillis) {
    std::vector<std::pair<std::string, int>> counts;
    Statement query(db,
                    "SELECT topic, COUNT(*) AS sessions FROM help_sessions WHERE recorded_at_ms >= ? "
                    "GROUP BY topic ORDER BY sessions DESC, topic");
    query.bind(1, sinceMillis);
    while (query.step() == SQLITE_ROW) counts.emplace_back(query.columnText(0), query.columnInt(1));
    return counts;
}

HelpLog::HelpLog(std::unique_ptr<OutboxStore> connection, StoreOptions options)
    : connection_(std::move(connection)), options_(std::move(options)) {}

HelpLog::~HelpLog() = default;

sqlite3* HelpLog::handle() {
    return connection_->handle();
}

Result<std::unique_ptr<HelpLog>> HelpLog::open(const StoreOptions& options) {
    // OutboxStore::open owns the connection settings and the migrations; sharing it keeps one
    // definition of how the kiosk database is opened.
    auto connection = OutboxStore::open(options);
    if (!connection) return connection.error();
    return std::unique_ptr<HelpLog>(new HelpLog(std::move(connection.value()), options));
}

Result<std::string> HelpLog::record(const HelpSessionToRecord& session, std::int64_t nowMillis) {
    if (auto valid = validateHelpSession(session); !valid) return valid.error();
    sqlite3* db = handle();

    // A volunteer was told "recorded": that must survive a power cut, as a seal does.
    const bool relaxed = options_.durability != Durability::Full;
    if (relaxed) {
        if (auto full = execute(db, "PRAGMA synchronous = FULL", "record help session"); !full)
            return full.error();
    }
    struct RestoreDurability {
        sqlite3* db;
        bool relaxed;
        ~RestoreDurability() {
            if (relaxed) sqlite3_exec(db, "PRAGMA synchronous = NORMAL", nullptr, nullptr, nullptr);
        }
    } restore{db, relaxed};

    const std::string helpSessionId = newSubmissionId();
    Statement insert(db,
                     "INSERT INTO help_sessions (help_session_id, volunteer_id, topic, minutes, outcome, "
                     "language, recorded_at_ms, state, request_body, attempts, next_attempt_at_ms) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, 'sealed', ?, 0, ?)");
    insert.bind(1, helpSessionId);
    insert.bind(2, session.volunteerId);
    insert.bind(3, session.topic);
    insert.bind(4, session.minutes);
    insert.bind(5, session.outcome);
    insert.bindNullableText(6, session.language);
    insert.bind(7, nowMillis);
    insert.bindBlob(8, requestBody(session, helpSessionId, options_.kioskId, nowMillis));
    insert.bind(9, nowMillis);
    if (int rc = insert.step(); rc != SQLITE_DONE) return sqliteError(db, rc, "record help session");
    return helpSessionId;
}

std::vector<HelpSessionItem> HelpLog::due(std::int64_t nowMillis, int limit) {
    std::vector<HelpSessionItem> items;
    if (limit <= 0) return items;
    Statement query(handle(),
                    "SELECT id, help_session_id, request_body, attempts FROM help_sessions "
                    "WHERE state = 'sealed' AND next_attempt_at_ms <= ? ORDER BY id LIMIT ?");
    query.bind(1, nowMillis);
    query.bind(2, limit);
    while (query.step() == SQLITE_ROW) {
        HelpSessionItem item;
        item.rowId = query.columnInt64(0);
        item.helpSessionId = query.columnText(1);
        item.requestBody = query.columnBlob(2);
        item.attempts = query.columnInt(3);
        items.push_back(std::move(item));
    }
    return items;
}

std::optional<std::int64_t> HelpLog::nextAttemptAtMillis() {
    Statement query(handle(), "SELECT MIN(next_attempt_at_ms) FROM help_sessions WHERE state = 'sealed'");
    if (query.step() != SQLITE_ROW || query.columnIsNull(0)) return std::nullopt;
    return query.columnInt64(0);
}

Result<int> HelpLog::makeWaitingDueNow(std::int64_t nowMillis) {
    Statement update(handle(),
                     "UPDATE help_sessions SET next_attempt_at_ms = ? "
                     "WHERE state = 'sealed' AND next_attempt_at_ms > ?");
    update.bind(1, nowMillis);
    update.bind(2, nowMillis);
    if (int rc = update.step(); rc != SQLITE_DONE) return sqliteError(handle(), rc, "reschedule");
    return sqlite3_changes(handle());
}

Status HelpLog::recordDelivered(std::int64_t rowId, const std::string& councilReference,
                                std::int64_t nowMillis) {
    Statement update(
        handle(),
        "UPDATE help_sessions SET state = 'delivered', council_reference = ?, delivered_at_ms = ?, "
        "attempts = attempts + 1 WHERE id = ? AND state = 'sealed'");
    update.bindNullableText(1, councilReference);
    update.bind(2, nowMillis);
    update.bind(3, rowId);
    return finishTransition(handle(), update, rowId, "delivered", "record help session delivery");
}

Status HelpLog::recordRetry(std::int64_t rowId, std::int64_t nextAttemptAtMillis, const std::string& error,
                            std::int64_t nowMillis) {
    Statement update(
        handle(),
        "UPDATE help_sessions SET attempts = attempts + 1, next_attempt_at_ms = ?, last_error = ?, "
        "last_error_at_ms = ? WHERE id = ? AND state = 'sealed'");
    update.bind(1, nextAttemptAtMillis);
    update.bind(2, error);
    update.bind(3, nowMillis);
    update.bind(4, rowId);
    return finishTransition(handle(), update, rowId, nullptr, "record help session retry");
}

Status HelpLog::recordHeldBack(std::int64_t rowId, const std::string& councilMessage,
                               std::int64_t nowMillis) {
    Statement update(
        handle(),
        "UPDATE help_sessions SET state = 'held_back', council_message = ?, held_back_at_ms = ?, "
        "last_error = ?, last_error_at_ms = ?, attempts = attempts + 1 "
        "WHERE id = ? AND state = 'sealed'");
    update.bind(1, councilMessage);
    update.bind(2, nowMillis);
    update.bind(3, kHeldBackError);
    update.bind(4, nowMillis);
    update.bind(5, rowId);
    return finishTransition(handle(), update, rowId, "held_back", "record help session held back");
}

QueueCounts HelpLog::counts() {
    QueueCounts counts;
    Statement query(
        handle(),
        "SELECT COALESCE(SUM(state = 'sealed'), 0), COALESCE(SUM(state = 'delivered'), 0), "
        "COALESCE(SUM(state = 'held_back'), 0), "
        "COALESCE(MIN(CASE WHEN state = 'sealed' THEN recorded_at_ms END), 0) FROM help_sessions");
    if (query.step() == SQLITE_ROW) {
        counts.waiting = query.columnInt(0);
        counts.delivered = query.columnInt(1);
        counts.heldBack = query.columnInt(2);
        counts.oldestWaitingCreatedAtMillis = query.columnInt64(3);
    }
    return counts;
}

std::vector<HelpSessionRecord> HelpLog::recent(int limit) {
    std::vector<HelpSessionRecord> records;
    if (limit <= 0) return records;
    const std::string sql =
        std::string("SELECT ") + kRecordColumns + " FROM help_sessions ORDER BY id DESC LIMIT ?";
    Statement query(handle(), sql.c_str());
    query.bind(1, limit);
    while (query.step() == SQLITE_ROW) records.push_back(readRecord(query));
    return records;
}

std::optional<HelpSessionRecord> HelpLog::find(const std::string& helpSessionId) {
    const std::string sql =
        std::string("SELECT ") + kRecordColumns + " FROM help_sessions WHERE help_session_id = ?";
    Statement query(handle(), sql.c_str());
    query.bind(1, helpSessionId);
    if (query.step() != SQLITE_ROW) return std::nullopt;
    return readRecord(query);
}

std::vector<std::pair<std::string, int>> HelpLog::countsByTopic(std::int64_t sinceMillis) {
    return helpSessionsByTopic(handle(), sinceMillis);
}

}  // namespace kiosk::store
