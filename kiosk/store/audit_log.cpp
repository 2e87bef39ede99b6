// AuditLog: appending to the hash chain and walking it back (include/store/audit_log.h).
#include "store/audit_log.h"

#include <sodium.h>

#include <optional>

#include "sqlite_support.h"
#include "store_connection.h"

namespace kiosk::store {
namespace {

constexpr const char* kHeadSequenceKey = "audit_head_sequence";
constexpr const char* kHeadHashKey = "audit_head_hash";
const std::string kGenesisHash(64, '0');  // the "previous hash" of row 1

struct ChainHead {
    std::int64_t sequence = 0;
    std::string hash = kGenesisHash;
};

// Each field as "<length>:<bytes>;" after a version tag: no choice of actor or detail text can
// make two different rows encode to the same bytes.
std::string canonicalEncoding(std::int64_t sequence, std::int64_t atMillis, const std::string& actor,
                              const std::string& action, const std::string& detail,
                              const std::string& previousHash) {
    std::string encoded = "council-kiosk-audit-v1;";
    for (const std::string& field :
         {std::to_string(sequence), std::to_string(atMillis), actor, action, detail, previousHash}) {
        encoded += std::to_string(field.size());
        encoded += ':';
        encoded += field;
        encoded += ';';
    }
    return encoded;
}

std::string entryHash(std::int64_t sequence, std::int64_t atMillis, const std::string& actor,
                      const std::string& action, const std::string& detail, const std::string& previousHash) {
    const std::string encoded = canonicalEncoding(sequence, atMillis, actor, action, detail, previousHash);
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(encoded.data()), encoded.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

std::string entryHash(const AuditEntry& entry, std::int64_t sequence) {
    return entryHash(sequence, entry.atMillis, entry.actor, entry.action, entry.detail, entry.previousHash);
}

bool isSnakeCase(const std::string& action) {
    if (action.empty() || action.size() > 40) return false;
    for (char c : action)
        if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
    return true;
}

std::optional<std::string> readMeta(sqlite3* db, const char* key) {
    Statement query(db, "SELECT value FROM kiosk_meta WHERE key = ?");
    query.bind(1, std::string_view(key));
    if (query.step() != SQLITE_ROW) return std::nullopt;
    return query.columnText(0);
}

Status writeMeta(sqlite3* db, const char* key, const std::string& value) {
    Statement upsert(db,
                     "INSERT INTO kiosk_meta (key, value) VALUES (?, ?) "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    upsert.bind(1, std::string_view(key));
    upsert.bind(2, value);
    int rc = upsert.step();
    if (rc != SQLITE_DONE) return sqliteError(db, rc, "audit");
    return Done{};
}

std::optional<ChainHead> readRecordedHead(sqlite3* db) {
    auto sequence = readMeta(db, kHeadSequenceKey);
    auto hash = readMeta(db, kHeadHashKey);
    if (!sequence || !hash) return std::nullopt;
    ChainHead head;
    try {
        head.sequence = std::stoll(*sequence);
    } catch (const std::exception&) {
        return std::nullopt;
    }
    head.hash = *hash;
    return head;
}

// The recorded head, not the last row: after someone deletes the last row, the next row still
// links to it, so the deletion stays visible. Only without a recorded head (never written, or
// removed by hand) does the last row stand in.
Result<ChainHead> chainHeadForAppend(sqlite3* db) {
    if (auto recorded = readRecordedHead(db)) return *recorded;
    Statement last(db, "SELECT sequence, hash FROM audit_log ORDER BY sequence DESC LIMIT 1");
    int rc = last.step();
    ChainHead head;
    if (rc == SQLITE_ROW) {
        head.sequence = last.columnInt64(0);
        head.hash = last.columnText(1);
    } else if (rc != SQLITE_DONE) {
        return sqliteError(db, rc, "audit");
    }
    return head;
}

AuditEntry readEntry(const Statement& row) {
    AuditEntry entry;
    entry.sequence = row.columnInt64(0);
    entry.atMillis = row.columnInt64(1);
    entry.actor = row.columnText(2);
    entry.action = row.columnText(3);
    entry.detail = row.columnText(4);
    entry.previousHash = row.columnText(5);
    entry.hash = row.columnText(6);
    return entry;
}

constexpr const char* kEntryColumns = "sequence, at_ms, actor, action, detail, previous_hash, hash";

// The sequence number a row was written with, judged by the row its previous hash names.
std::optional<std::int64_t> writtenSequence(sqlite3* db, const AuditEntry& entry) {
    if (entry.previousHash == kGenesisHash) return 1;
    Statement query(db, "SELECT sequence FROM audit_log WHERE hash = ?");
    query.bind(1, entry.previousHash);
    if (query.step() != SQLITE_ROW) return std::nullopt;
    return query.columnInt64(0) + 1;
}

AuditVerification failure(AuditVerification result, std::int64_t sequence, std::string problem) {
    result.ok = false;
    result.firstBadSequence = sequence;
    result.problem = std::move(problem);
    return result;
}

std::string rowName(std::int64_t sequence) {
    return "Audit row " + std::to_string(sequence);
}

AuditVerification verifyChain(sqlite3* db);

}  // namespace

Status appendAuditEntry(sqlite3* db, const std::string& actor, const std::string& action,
                        const std::string& detail, std::int64_t nowMillis) {
    if (!isSnakeCase(action)) {
        return Error{ErrorCode::InvalidArgument,
                     "An audit action must be a short word in lower case with underscores, like sign_in."};
    }
    if (actor.empty()) return Error{ErrorCode::InvalidArgument, "An audit row must name who acted."};
    auto head = chainHeadForAppend(db);
    if (!head) return head.error();
    const std::int64_t sequence = head->sequence + 1;
    const std::string hash = entryHash(sequence, nowMillis, actor, action, detail, head->hash);

    Statement insert(db,
                     "INSERT INTO audit_log (sequence, at_ms, actor, action, detail, previous_hash, hash) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, sequence);
    insert.bind(2, nowMillis);
    insert.bind(3, actor);
    insert.bind(4, action);
    insert.bind(5, detail);
    insert.bind(6, head->hash);
    insert.bind(7, hash);
    int rc = insert.step();
    if (rc != SQLITE_DONE) return sqliteError(db, rc, "audit");
    if (auto written = writeMeta(db, kHeadSequenceKey, std::to_string(sequence)); !written) return written;
    return writeMeta(db, kHeadHashKey, hash);
}

AuditVerification verifyAuditLog(sqlite3* db) {
    // One read transaction, so a row appended meanwhile cannot look like a head without its row.
    const bool ownTransaction = sqlite3_get_autocommit(db) != 0 && execute(db, "BEGIN", "verify audit").ok();
    AuditVerification result = verifyChain(db);
    if (ownTransaction) (void)execute(db, "COMMIT", "verify audit");
    return result;
}

namespace {

AuditVerification verifyChain(sqlite3* db) {
    AuditVerification result;
    std::int64_t expectedSequence = 1;
    std::string expectedPrevious = kGenesisHash;
    const std::string sql = std::string("SELECT ") + kEntryColumns + " FROM audit_log ORDER BY sequence";
    Statement rows(db, sql.c_str());
    int rc = SQLITE_ROW;
    while ((rc = rows.step()) == SQLITE_ROW) {
        const AuditEntry entry = readEntry(rows);
        ++result.rowsChecked;
        if (entry.sequence != expectedSequence) {
            const std::string after = expectedSequence == 1
                                          ? "the log starts at row " + std::to_string(entry.sequence)
                                          : "row " + std::to_string(expectedSequence - 1) +
                                                " is followed by row " + std::to_string(entry.sequence);
            return failure(result, expectedSequence,
                           rowName(expectedSequence) + " is missing: it was deleted (" + after + ").");
        }
        if (entryHash(entry, entry.sequence) != entry.hash) {
            const auto written = writtenSequence(db, entry);
            if (written && *written != entry.sequence && entryHash(entry, *written) == entry.hash) {
                return failure(result, entry.sequence,
                               rowName(entry.sequence) + " is out of order: it was written as row " +
                                   std::to_string(*written) + " and renumbered (rows were reordered).");
            }
            return failure(result, entry.sequence,
                           rowName(entry.sequence) + " was edited: its contents no longer match its hash.");
        }
        if (entry.previousHash != expectedPrevious) {
            if (entry.sequence == 1) {
                return failure(result, 1, rowName(1) + " was replaced: it does not start the chain.");
            }
            return failure(result, entry.sequence - 1,
                           rowName(entry.sequence - 1) + " was replaced: row " +
                               std::to_string(entry.sequence) + " recorded a different hash for it.");
        }
        expectedSequence = entry.sequence + 1;
        expectedPrevious = entry.hash;
    }
    if (rc != SQLITE_DONE) {
        return failure(result, expectedSequence,
                       "The audit log could not be read at row " + std::to_string(expectedSequence) + ": " +
                           sqliteError(db, rc, "verify audit").message);
    }

    const std::int64_t lastSequence = expectedSequence - 1;
    const auto head = readRecordedHead(db);
    if (!head) {
        if (lastSequence == 0) return result;  // nothing was ever audited
        return failure(result, lastSequence,
                       "The record of the last audit row is missing, so rows deleted from the end "
                       "cannot be ruled out (the last row present is row " +
                           std::to_string(lastSequence) + ").");
    }
    if (head->sequence > lastSequence) {
        const std::string range = head->sequence == lastSequence + 1
                                      ? "row " + std::to_string(head->sequence) + " was"
                                      : "rows " + std::to_string(lastSequence + 1) + " to " +
                                            std::to_string(head->sequence) + " were";
        return failure(
            result, lastSequence + 1,
            rowName(lastSequence + 1) + " is missing: " + range + " deleted from the end of the log.");
    }
    if (head->sequence < lastSequence) {
        return failure(result, head->sequence + 1,
                       rowName(head->sequence + 1) +
                           " was added outside the kiosk software: the log's recorded end is row " +
                           std::to_string(head->sequence) + ".");
    }
    if (head->hash != expectedPrevious) {
        return failure(result, lastSequence,
                       rowName(lastSequence) + " was replaced: it is not the last row the kiosk wrote.");
    }
    return result;
}

}  // namespace

AuditLog::~AuditLog() {
    sqlite3_close_v2(db_);
}

Result<std::unique_ptr<AuditLog>> AuditLog::open(const StoreOptions& options) {
    auto connection = openStoreConnection(options);
    if (!connection) return connection.error();
    return std::unique_ptr<AuditLog>(new AuditLog(*connection));
}

Status AuditLog::append(const std::string& actor, const std::string& action, const std::string& detail,
                        std::int64_t nowMillis) {
    Transaction transaction(db_);
    if (auto began = transaction.begin("audit"); !began) return began;
    if (auto appended = appendAuditEntry(db_, actor, action, detail, nowMillis); !appended) return appended;
    return transaction.commit("audit");
}

std::vector<AuditEntry> AuditLog::newest(int limit) {
    std::vector<AuditEntry> entries;
    const std::string sql =
        std::string("SELECT ") + kEntryColumns + " FROM audit_log ORDER BY sequence DESC LIMIT ?";
    Statement query(db_, sql.c_str());
    query.bind(1, limit);
    while (query.step() == SQLITE_ROW) entries.push_back(readEntry(query));
    return entries;
}

AuditVerification AuditLog::verify() {
    return verifyAuditLog(db_);
}

}  // namespace kiosk::store
