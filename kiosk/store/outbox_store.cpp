// OutboxStore: opening the database, sealing submissions, the delivery queue, status queries
// and the retention purge. SQL helpers live in sqlite_support, the schema in schema.cpp and
// submission ids in submission_id.cpp. What a sealed payload holds is the destination's
// business (sync layer): the store only keeps its bytes.
#include "store/outbox_store.h"

#include <sodium.h>

#include <utility>

#include "kiosk/reference.h"
#include "schema.h"
#include "sqlite_support.h"
#include "store_connection.h"
#include "submission_id.h"

namespace kiosk::store {
namespace {

constexpr std::int64_t kMillisPerDay = 24LL * 60 * 60 * 1000;
// Stored instead of the council's own words, which may quote the resident's answers.
constexpr const char* kHeldBackError = "Held back: the council will not accept this submission.";

SubmissionState parseState(const std::string& text) {
    if (text == "delivered") return SubmissionState::Delivered;
    if (text == "held_back") return SubmissionState::HeldBack;
    if (text == "delivered_out_of_band") return SubmissionState::DeliveredOutOfBand;
    return SubmissionState::Sealed;
}

PayloadProtection parseProtection(const std::string& text) {
    if (text == "device_key") return PayloadProtection::DeviceKey;
    if (text == "none") return PayloadProtection::None;
    return PayloadProtection::SealedToCouncil;
}

// Column list shared by every query that fills a SubmissionRecord; readRecord follows its order.
constexpr const char* kRecordColumns =
    "submission_id, reference, service_id, form_id, form_version, language, destination, assisted, state, "
    "created_at_ms, delivered_at_ms, council_reference, last_error, council_message, attempts, "
    "next_attempt_at_ms, purged_at_ms, possible_duplicate";
constexpr int kRecordColumnCount = 18;

SubmissionRecord readRecord(const Statement& row) {
    SubmissionRecord record;
    record.submissionId = row.columnText(0);
    record.reference = row.columnText(1);
    record.serviceId = row.columnText(2);
    record.formId = row.columnText(3);
    record.formVersion = row.columnInt(4);
    record.language = row.columnText(5);
    record.destination = row.columnText(6);
    record.assisted = row.columnInt(7) != 0;
    record.state = parseState(row.columnText(8));
    record.createdAtMillis = row.columnInt64(9);
    record.deliveredAtMillis = row.columnInt64(10);
    record.councilReference = row.columnText(11);
    record.lastError = row.columnText(12);
    record.councilMessage = row.columnText(13);
    record.attempts = row.columnInt(14);
    record.nextAttemptAtMillis = row.columnInt64(15);
    record.payloadPurged = !row.columnIsNull(16);
    record.possibleDuplicate = row.columnInt(17) != 0;
    return record;
}

std::optional<SubmissionRecord> findOne(sqlite3* db, const std::string& where, const auto& bindKey) {
    std::string sql = std::string("SELECT ") + kRecordColumns + " FROM submissions WHERE " + where;
    Statement query(db, sql.c_str());
    bindKey(query);
    if (query.step() != SQLITE_ROW) return std::nullopt;
    return readRecord(query);
}

// Runs one lifecycle UPDATE (which only matches rows still sealed) and explains a no-op:
// repeating the same final transition is fine, anything else is reported.
Status finishTransition(sqlite3* db, Statement& update, std::int64_t rowId, const char* targetState,
                        const char* what) {
    int rc = update.step();
    if (rc != SQLITE_DONE) return sqliteError(db, rc, what);
    if (sqlite3_changes(db) > 0) return Done{};

    Statement query(db, "SELECT state FROM submissions WHERE id = ?");
    query.bind(1, rowId);
    rc = query.step();
    if (rc == SQLITE_DONE) {
        return Error{ErrorCode::NotFound, "No submission with row id " + std::to_string(rowId) + " exists."};
    }
    if (rc != SQLITE_ROW) return sqliteError(db, rc, what);
    std::string state = query.columnText(0);
    if (targetState != nullptr && state == targetState) return Done{};
    return Error{ErrorCode::NotWaiting, "Submission row " + std::to_string(rowId) + " is already " + state +
                                            "; its state cannot change again."};
}

}  // namespace

OutboxStore::OutboxStore(sqlite3* db, StoreOptions options) : db_(db), options_(std::move(options)) {}

OutboxStore::~OutboxStore() {
    sqlite3_close_v2(db_);
}

int OutboxStore::latestSchemaVersion() {
    return latestMigrationVersion();
}

Result<std::unique_ptr<OutboxStore>> OutboxStore::open(const StoreOptions& options) {
    auto connection = openStoreConnection(options);
    if (!connection) return connection.error();
    return std::unique_ptr<OutboxStore>(new OutboxStore(*connection, options));
}

Result<SealedReceipt> OutboxStore::sealSubmission(const SubmissionToSeal& submission,
                                                  const PayloadEncoder& encoder, std::int64_t nowMillis) {
    if (!encoder) {
        return Error{ErrorCode::InvalidSubmission,
                     "No destination encoder was given, so the form cannot be sealed."};
    }

    // A connection opened for outcomes commits with NORMAL; a seal must not (see the header).
    const bool relaxed = options_.durability != Durability::Full;
    if (relaxed) {
        if (auto full = execute(db_, "PRAGMA synchronous = FULL", "seal"); !full) return full.error();
    }
    struct RestoreDurability {
        sqlite3* db;
        bool relaxed;
        ~RestoreDurability() {
            if (relaxed) sqlite3_exec(db, "PRAGMA synchronous = NORMAL", nullptr, nullptr, nullptr);
        }
    } restore{db_, relaxed};

    Transaction transaction(db_);
    if (auto began = transaction.begin("seal"); !began) return began.error();

    std::int64_t sequence = 0;
    {
        Statement next(db_,
                       "UPDATE reference_sequence SET next_value = next_value + 1 WHERE id = 1 "
                       "RETURNING next_value - 1");
        int rc = next.step();
        if (rc != SQLITE_ROW) {
            if (rc == SQLITE_DONE)
                return Error{ErrorCode::DatabaseError, "The reference counter row is missing."};
            return sqliteError(db_, rc, "seal");
        }
        sequence = next.columnInt64(0);
        while (rc == SQLITE_ROW) rc = next.step();
        if (rc != SQLITE_DONE) return sqliteError(db_, rc, "seal");
    }

    // The encoder reads the plaintext in place from the caller's buffer; only what it returns
    // is written. It runs under the write lock, so it must be quick (one sealed box is).
    const SealContext context{submission, newSubmissionId(),
                              formatReference(options_.referencePrefix, static_cast<std::uint64_t>(sequence)),
                              options_.kioskId, nowMillis};
    auto encoded = encoder(context);
    if (!encoded) return encoded.error();

    Statement insert(
        db_,
        "INSERT INTO submissions (submission_id, reference, reference_sequence, service_id, form_id, "
        "form_version, language, destination, assisted, volunteer_id, created_at_ms, state, "
        "sealed_payload, request_body, payload_protection, attempts, next_attempt_at_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sealed', ?, ?, ?, 0, ?)");
    insert.bind(1, context.submissionId);
    insert.bind(2, context.reference);
    insert.bind(3, sequence);
    insert.bind(4, submission.serviceId);
    insert.bind(5, submission.formId);
    insert.bind(6, submission.formVersion);
    insert.bind(7, submission.language);
    insert.bind(8, submission.destination);
    insert.bind(9, submission.assisted);
    insert.bindNullableText(10, submission.volunteerId);
    insert.bind(11, nowMillis);
    insert.bindBlob(12, encoded->sealedPayload);
    insert.bindBlob(13, encoded->requestBody);
    insert.bind(14, std::string_view(payloadProtectionName(encoded->protection)));
    insert.bind(15, nowMillis);
    if (int rc = insert.step(); rc != SQLITE_DONE) return sqliteError(db_, rc, "seal");

    if (auto committed = transaction.commit("seal"); !committed) return committed.error();
    return SealedReceipt{context.reference, context.submissionId};
}

std::vector<OutboxItem> OutboxStore::dueForDelivery(std::int64_t nowMillis, int limit) {
    std::vector<OutboxItem> items;
    if (limit <= 0) return items;
    Statement query(
        db_,
        "SELECT id, submission_id, reference, service_id, destination, request_body, attempts, "
        "payload_protection, delivery_progress, created_at_ms "
        "FROM submissions WHERE state = 'sealed' AND next_attempt_at_ms <= ? ORDER BY id LIMIT ?");
    query.bind(1, nowMillis);
    query.bind(2, limit);
    while (query.step() == SQLITE_ROW) {
        OutboxItem item;
        item.rowId = query.columnInt64(0);
        item.submissionId = query.columnText(1);
        item.reference = query.columnText(2);
        item.serviceId = query.columnText(3);
        item.destination = query.columnText(4);
        item.requestBody = query.columnBlob(5);
        item.attempts = query.columnInt(6);
        item.protection = parseProtection(query.columnText(7));
        item.progress = query.columnText(8);
        item.createdAtMillis = query.columnInt64(9);
        items.push_back(std::move(item));
    }
    return items;
}

std::optional<std::int64_t> OutboxStore::nextAttemptAtMillis() {
    Statement query(db_, "SELECT MIN(next_attempt_at_ms) FROM submissions WHERE state = 'sealed'");
    if (query.step() != SQLITE_ROW || query.columnIsNull(0)) return std::nullopt;
    return query.columnInt64(0);
}

Result<int> OutboxStore::makeWaitingDueNow(std::int64_t nowMillis) {
    Statement update(db_,
                     "UPDATE submissions SET next_attempt_at_ms = ? "
                     "WHERE state = 'sealed' AND next_attempt_at_ms > ?");
    update.bind(1, nowMillis);
    update.bind(2, nowMillis);
    if (int rc = update.step(); rc != SQLITE_DONE) return sqliteError(db_, rc, "reschedule");
    return sqlite3_changes(db_);
}

Status OutboxStore::recordDelivered(std::int64_t rowId, const std::string& councilReference,
                                    std::int64_t nowMillis, bool possibleDuplicate) {
    // A payload the kiosk can read back (encrypted to its own key) is deleted as soon as the
    // council has it: nothing readable by the kiosk waits out the retention period.
    Statement update(
        db_,
        "UPDATE submissions SET state = 'delivered', council_reference = ?, delivered_at_ms = ?, "
        "attempts = attempts + 1, possible_duplicate = ?, delivery_progress = '', "
        "sealed_payload = CASE WHEN payload_protection = 'device_key' THEN NULL ELSE sealed_payload END, "
        "request_body = CASE WHEN payload_protection = 'device_key' THEN NULL ELSE request_body END, "
        "purged_at_ms = CASE WHEN payload_protection = 'device_key' THEN ? ELSE purged_at_ms END "
        "WHERE id = ? AND state = 'sealed'");
    update.bindNullableText(1, councilReference);
    update.bind(2, nowMillis);
    update.bind(3, possibleDuplicate);
    update.bind(4, nowMillis);
    update.bind(5, rowId);
    return finishTransition(db_, update, rowId, "delivered", "record delivery");
}

Status OutboxStore::recordRetry(std::int64_t rowId, std::int64_t nextAttemptAtMillis,
                                const std::string& error, std::int64_t nowMillis,
                                const std::optional<std::string>& progress) {
    Statement update(
        db_,
        "UPDATE submissions SET attempts = attempts + 1, next_attempt_at_ms = ?, last_error = ?, "
        "last_error_at_ms = ?, delivery_progress = COALESCE(?, delivery_progress) "
        "WHERE id = ? AND state = 'sealed'");
    update.bind(1, nextAttemptAtMillis);
    update.bind(2, error);
    update.bind(3, nowMillis);
    if (progress)
        update.bind(4, *progress);
    else
        update.bindNull(4);
    update.bind(5, rowId);
    return finishTransition(db_, update, rowId, nullptr, "record retry");
}

Status OutboxStore::recordProgress(std::int64_t rowId, const std::string& progress) {
    Statement update(db_, "UPDATE submissions SET delivery_progress = ? WHERE id = ? AND state = 'sealed'");
    update.bind(1, progress);
    update.bind(2, rowId);
    return finishTransition(db_, update, rowId, nullptr, "record delivery progress");
}

Status OutboxStore::recordHeldBack(std::int64_t rowId, const std::string& councilMessage,
                                   std::int64_t nowMillis) {
    Statement update(db_,
                     "UPDATE submissions SET state = 'held_back', council_message = ?, held_back_at_ms = ?, "
                     "last_error = ?, last_error_at_ms = ?, attempts = attempts + 1 "
                     "WHERE id = ? AND state = 'sealed'");
    update.bind(1, councilMessage);
    update.bind(2, nowMillis);
    update.bind(3, kHeldBackError);
    update.bind(4, nowMillis);
    update.bind(5, rowId);
    return finishTransition(db_, update, rowId, "held_back", "record held back");
}

Status OutboxStore::retryHeldBack(const std::string& submissionId, std::int64_t nowMillis) {
    Statement update(
        db_,
        "UPDATE submissions SET state = 'sealed', next_attempt_at_ms = ?, council_message = NULL, "
        "held_back_at_ms = NULL, last_error = NULL, last_error_at_ms = NULL "
        "WHERE submission_id = ? AND state = 'held_back'");
    update.bind(1, nowMillis);
    update.bind(2, submissionId);
    if (int rc = update.step(); rc != SQLITE_DONE) return sqliteError(db_, rc, "try again");
    if (sqlite3_changes(db_) > 0) return Done{};

    auto record = findOne(db_, "submission_id = ?", [&](Statement& query) { query.bind(1, submissionId); });
    if (!record) {
        return Error{ErrorCode::NotFound, "No submission with id " + submissionId + " exists on this kiosk."};
    }
    return Error{ErrorCode::NotWaiting, "Submission " + record->reference + " is " +
                                            submissionStateName(record->state) +
                                            ", not held back, so it cannot be tried again."};
}

Result<int> OutboxStore::markDeliveredOutOfBand(const std::vector<std::string>& submissionIds,
                                                std::int64_t nowMillis) {
    Transaction transaction(db_);
    if (auto began = transaction.begin("mark delivered"); !began) return began.error();
    int changed = 0;
    for (const auto& submissionId : submissionIds) {
        Statement update(db_,
                         "UPDATE submissions SET state = 'delivered_out_of_band', delivered_at_ms = ? "
                         "WHERE submission_id = ? AND state IN ('sealed', 'held_back')");
        update.bind(1, nowMillis);
        update.bind(2, submissionId);
        if (int rc = update.step(); rc != SQLITE_DONE) return sqliteError(db_, rc, "mark delivered");
        if (sqlite3_changes(db_) > 0) {
            ++changed;
            continue;
        }
        Statement exists(db_, "SELECT 1 FROM submissions WHERE submission_id = ?");
        exists.bind(1, submissionId);
        const int rc = exists.step();
        if (rc == SQLITE_DONE) {
            return Error{ErrorCode::NotFound, "No submission with id " + submissionId +
                                                  " exists on this kiosk; nothing was marked."};
        }
        if (rc != SQLITE_ROW) return sqliteError(db_, rc, "mark delivered");
    }
    if (auto committed = transaction.commit("mark delivered"); !committed) return committed.error();
    return changed;
}

std::vector<SubmissionRecord> OutboxStore::heldBack(int limit) {
    std::vector<SubmissionRecord> records;
    if (limit <= 0) return records;
    std::string sql = std::string("SELECT ") + kRecordColumns +
                      " FROM submissions WHERE state = 'held_back' ORDER BY id LIMIT ?";
    Statement query(db_, sql.c_str());
    query.bind(1, limit);
    while (query.step() == SQLITE_ROW) records.push_back(readRecord(query));
    return records;
}

std::vector<StoredSubmission> OutboxStore::undeliveredWithPayloads() {
    std::vector<StoredSubmission> stored;
    // Extra columns follow kRecordColumns, so readRecord's indexes still hold.
    std::string sql = std::string("SELECT ") + kRecordColumns +
                      ", payload_protection, request_body, sealed_payload FROM submissions "
                      "WHERE state IN ('sealed', 'held_back') ORDER BY id";
    Statement query(db_, sql.c_str());
    while (query.step() == SQLITE_ROW) {
        StoredSubmission item;
        item.record = readRecord(query);
        item.protection = parseProtection(query.columnText(kRecordColumnCount));
        item.requestBody = query.columnBlob(kRecordColumnCount + 1);
        item.sealedPayload = query.columnBlob(kRecordColumnCount + 2);
        stored.push_back(std::move(item));
    }
    return stored;
}

QueueCounts OutboxStore::counts() {
    QueueCounts counts;
    Statement query(db_,
                    "SELECT COALESCE(SUM(state = 'sealed'), 0), COALESCE(SUM(state = 'delivered'), 0), "
                    "COALESCE(SUM(state = 'held_back'), 0), "
                    "COALESCE(MIN(CASE WHEN state = 'sealed' THEN created_at_ms END), 0), "
                    "COALESCE(SUM(state = 'delivered_out_of_band'), 0), COALESCE(SUM(possible_duplicate), 0) "
                    "FROM submissions");
    if (query.step() == SQLITE_ROW) {
        counts.waiting = query.columnInt(0);
        counts.delivered = query.columnInt(1);
        counts.heldBack = query.columnInt(2);
        counts.oldestWaitingCreatedAtMillis = query.columnInt64(3);
        counts.deliveredOutOfBand = query.columnInt(4);
        counts.possibleDuplicates = query.columnInt(5);
    }
    return counts;
}

std::string OutboxStore::lastError() {
    Statement query(db_,
                    "SELECT last_error FROM submissions WHERE last_error IS NOT NULL "
                    "ORDER BY last_error_at_ms DESC, id DESC LIMIT 1");
    if (query.step() != SQLITE_ROW) return {};
    return query.columnText(0);
}

std::vector<SubmissionRecord> OutboxStore::submissions(int limit) {
    std::vector<SubmissionRecord> records;
    if (limit <= 0) return records;
    std::string sql = std::string("SELECT ") + kRecordColumns + " FROM submissions ORDER BY id DESC LIMIT ?";
    Statement query(db_, sql.c_str());
    query.bind(1, limit);
    while (query.step() == SQLITE_ROW) records.push_back(readRecord(query));
    return records;
}

std::optional<SubmissionRecord> OutboxStore::findByReference(const std::string& reference) {
    auto exact = findOne(db_, "reference = ?", [&](Statement& query) { query.bind(1, reference); });
    if (exact) return exact;
    // A reference typed back by an officer: different case, spaces, O for 0 and so on.
    auto sequence = parseReference(options_.referencePrefix, reference);
    if (!sequence) return std::nullopt;
    return findOne(db_, "reference_sequence = ?",
                   [&](Statement& query) { query.bind(1, static_cast<std::int64_t>(*sequence)); });
}

Result<int> OutboxStore::purgeDeliveredPayloads(std::int64_t nowMillis, int retentionDays) {
    if (retentionDays < 0) {
        return Error{ErrorCode::InvalidArgument,
                     "The retention period must be zero or more days; check retention in the "
                     "kiosk configuration."};
    }
    Statement purge(db_,
                    "UPDATE submissions SET sealed_payload = NULL, request_body = NULL, purged_at_ms = ? "
                    "WHERE state IN ('delivered', 'delivered_out_of_band') AND purged_at_ms IS NULL "
                    "AND delivered_at_ms <= ?");
    purge.bind(1, nowMillis);
    purge.bind(2, nowMillis - static_cast<std::int64_t>(retentionDays) * kMillisPerDay);
    if (int rc = purge.step(); rc != SQLITE_DONE) return sqliteError(db_, rc, "purge");
    const int purged = sqlite3_changes(db_);

    if (purged > 0) {
        // secure_delete zeroes the freed bytes in the new page versions, but the WAL still
        // holds the older page images until a checkpoint copies and truncates it. A reader on
        // another connection can stop the truncate; the frames are then overwritten later.
        int logFrames = 0;
        int checkpointed = 0;
        sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &logFrames, &checkpointed);
    }
    return purged;
}

}  // namespace kiosk::store
