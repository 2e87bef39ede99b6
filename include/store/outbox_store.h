// OutboxStore: the kiosk's SQLite database and the sealed outbox in it.
//
// Lifecycle of a submission (DESIGN.md section 5):
//   sealed -> delivered (council reference stored) | held_back (council's message kept)
//   delivered -> purged (payload deleted after retention; reference and metadata stay)
//   held_back -> sealed (an admin's "Try again")
//   sealed | held_back -> delivered_out_of_band (the council confirmed it received the copy an
//                         admin exported; never sent again, purged like delivered)
// Sealing is one transaction: the submission's UUID and reference are allocated, the
// destination's encoder turns the answers into the exact bytes every delivery attempt resends,
// and those bytes, the metadata and the destination's name are written. The store knows no wire
// format and no key: what the bytes mean, and how they are protected at rest, is the
// destination's business (include/sync/destination.h). For the council's own API the answers are
// a libsodium sealed box to the council's public key, so the kiosk cannot read them back.
//
// One OutboxStore per thread (SQLite connections are per thread); several may open one file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/result.h"

struct sqlite3;

namespace kiosk::store {

struct SubmissionToSeal {
    std::string serviceId;
    std::string formId;
    int formVersion = 1;
    std::string language;
    std::string destination;  // name of a configured destination, e.g. "kiosk-api"
    bool assisted = false;
    std::string volunteerId;  // empty unless assisted
    std::string answersJson;  // plaintext; the caller wipes its copy after sealing
    // The service's "destinationSettings" from the content pack, as JSON text: one object per
    // destination type ({"open311": {...}, "email": {...}}), so a service can be routed to any.
    std::string destinationSettings = "{}";
};

struct SealedReceipt {
    std::string reference;     // shown to the resident
    std::string submissionId;  // UUID v4, the Idempotency-Key on every attempt
};

// How a destination's stored bytes are protected while they wait on the kiosk's disk.
//   SealedToCouncil: encrypted to the council's public key; the kiosk cannot read them back.
//   DeviceKey:       encrypted to the kiosk's own X25519 key until sent (destinations that
//                    need readable fields: Open311, email); deleted as soon as it is delivered.
//   None:            stored as they are (test and development destinations only).
enum class PayloadProtection { SealedToCouncil, DeviceKey, None };
const char* payloadProtectionName(PayloadProtection protection);  // "sealed_to_council", "device_key", "none"

// What a destination's encoder is given inside the seal transaction, once the store has
// allocated the submission's UUID and reference.
struct SealContext {
    const SubmissionToSeal& submission;  // metadata and the plaintext answers
    std::string submissionId;            // UUID v4, the Idempotency-Key on every attempt
    std::string reference;               // shown to the resident
    std::string kioskId;
    std::int64_t createdAtMillis = 0;
};

// What the encoder gives back; the store keeps both byte strings without reading them.
struct EncodedPayload {
    std::string requestBody;    // the exact bytes every delivery attempt sends
    std::string sealedPayload;  // the answers as kept at rest (for an admin's export of a held-back form)
    PayloadProtection protection = PayloadProtection::SealedToCouncil;
};

// Called once per seal, inside the transaction. An error aborts the seal: nothing is written.
// Its message must not quote the answers.
using PayloadEncoder = std::function<Result<EncodedPayload>(const SealContext&)>;

enum class SubmissionState { Sealed, Delivered, HeldBack, DeliveredOutOfBand };
// "sealed", "delivered", "held_back", "delivered_out_of_band"
const char* submissionStateName(SubmissionState state);

// What the sync layer needs to make one delivery attempt.
struct OutboxItem {
    std::int64_t rowId = 0;
    std::string submissionId;
    std::string reference;
    std::string serviceId;
    std::string destination;  // the configured destination that delivers it
    std::string requestBody;  // exact bytes to send, fixed at sealing
    PayloadProtection protection = PayloadProtection::SealedToCouncil;
    int attempts = 0;
    // The destination's own note of how far delivery got (an Open311 token to poll, a duplicate
    // check to make first), kept across restarts; "" at first.
    std::string progress;
    std::int64_t createdAtMillis = 0;
};

struct SubmissionRecord {  // metadata only, for status and admin views
    std::string submissionId;
    std::string reference;
    std::string serviceId;
    std::string formId;
    int formVersion = 1;
    std::string language;
    std::string destination;
    bool assisted = false;
    SubmissionState state = SubmissionState::Sealed;
    std::int64_t createdAtMillis = 0;
    std::int64_t deliveredAtMillis = 0;
    std::string councilReference;
    std::string lastError;       // no personal data: status codes and transport errors only
    std::string councilMessage;  // why the council held it back; "" otherwise
    int attempts = 0;
    std::int64_t nextAttemptAtMillis = 0;  // meaningful while sealed
    bool payloadPurged = false;
    // Resent to a server that could not be asked whether the first copy arrived: the council may
    // hold it twice. Shown to admins.
    bool possibleDuplicate = false;
};

struct QueueCounts {
    int waiting = 0;  // sealed, not yet delivered
    int delivered = 0;
    int heldBack = 0;
    std::int64_t oldestWaitingCreatedAtMillis = 0;  // 0 when nothing waits
    int deliveredOutOfBand = 0;                     // the council confirmed an exported copy
    int possibleDuplicates = 0;                     // delivered, but perhaps twice (see SubmissionRecord)
};

// An undelivered submission with the exact bytes it was sealed with, for an admin's export.
struct StoredSubmission {
    SubmissionRecord record;
    PayloadProtection protection = PayloadProtection::SealedToCouncil;
    std::string requestBody;    // exactly as stored
    std::string sealedPayload;  // exactly as stored
};

// How this connection's commits reach the disk.
//   Full:     synchronous=FULL, every commit is on disk when it returns. Sealing always uses it.
//   Outcomes: synchronous=NORMAL (still WAL, so never a torn database) for a connection that
//             records delivery outcomes: a power cut may undo the last few, and undoing one only
//             means the form is sent again, which the council deduplicates by Idempotency-Key.
//             It spares the sync thread an fsync per delivered form.
enum class Durability { Full, Outcomes };

struct StoreOptions {
    std::filesystem::path databaseFile;
    std::string kioskId;
    std::string referencePrefix;
    Durability durability = Durability::Full;
};

class OutboxStore {
public:
    // Opens (creating if needed) and migrates the database: WAL, synchronous=FULL (NORMAL for
    // Durability::Outcomes), foreign_keys=ON, busy_timeout, secure_delete=ON.
    // Error codes: "read_only", "disk_full", "io_error", "busy", "schema_too_new", "database_error",
    // "crypto_unavailable" (libsodium failed to start).
    static Result<std::unique_ptr<OutboxStore>> open(const StoreOptions& options);
    ~OutboxStore();
    OutboxStore(const OutboxStore&) = delete;
    OutboxStore& operator=(const OutboxStore&) = delete;

    static int latestSchemaVersion();  // PRAGMA user_version of a fully migrated database

    // One transaction, committed with synchronous=FULL whatever the store's durability: the
    // resident is shown the reference only once it is on disk. The encoder runs inside it, after
    // the UUID and reference are allocated; the answers reach the disk only as it encoded them.
    // Error codes: "disk_full", "read_only", "io_error", "busy" (another connection held the write
    // lock past busy_timeout), "database_error" (anything else SQLite reports), "invalid_submission"
    // (no encoder), or whatever the encoder returned. On any error nothing is written and nothing
    // already sealed is touched. sync::sealForDestination is the usual way to call it.
    Result<SealedReceipt> sealSubmission(const SubmissionToSeal& submission, const PayloadEncoder& encoder,
                                         std::int64_t nowMillis);

    // Sealed items whose next attempt time has come, oldest first.
    std::vector<OutboxItem> dueForDelivery(std::int64_t nowMillis, int limit);
    std::optional<std::int64_t> nextAttemptAtMillis();  // earliest next attempt among waiting items
    // An admin's "sync now": every waiting submission becomes due at nowMillis, whatever its
    // backoff said. Returns how many were rescheduled.
    Result<int> makeWaitingDueNow(std::int64_t nowMillis);

    // Each is one UPDATE that only touches a row still in state sealed. Repeating a call that
    // already took effect (delivered twice, held back twice) succeeds and changes nothing.
    // Error codes: "not_found" (no such row), "not_waiting" (the row already reached another
    // final state; recordRetry on any delivered or held-back row), or a database code.
    // A delivered form's device-key payload is deleted in the same UPDATE.
    Status recordDelivered(std::int64_t rowId, const std::string& councilReference, std::int64_t nowMillis,
                           bool possibleDuplicate = false);
    // progress, when given, replaces the item's stored delivery progress.
    Status recordRetry(std::int64_t rowId, std::int64_t nextAttemptAtMillis, const std::string& error,
                       std::int64_t nowMillis, const std::optional<std::string>& progress = std::nullopt);
    Status recordHeldBack(std::int64_t rowId, const std::string& councilMessage, std::int64_t nowMillis);
    // Replaces a waiting item's delivery progress before an attempt whose outcome the kiosk
    // might never hear (the process killed mid-request): the next attempt starts from it.
    Status recordProgress(std::int64_t rowId, const std::string& progress);

    // An admin's "Try again" on a held-back form: it becomes sealed and due at nowMillis. The
    // council's message, the held-back time and the row's last error are cleared (the form is
    // waiting again, so the status shows no stale reason); attempts are kept.
    // Error codes: "not_found", "not_waiting" (the row is not held back: sealed, delivered or
    // delivered out of band), or a database code.
    Status retryHeldBack(const std::string& submissionId, std::int64_t nowMillis);

    // The council confirmed it received these forms from an exported bundle: each sealed or
    // held-back one becomes delivered_out_of_band (delivered_at_ms = nowMillis), one transaction.
    // Rows already delivered either way are left as they are (marking a bundle twice is harmless).
    // Returns how many rows changed. Error "not_found" (nothing changed) when an id is not in this
    // kiosk's database, or a database code.
    Result<int> markDeliveredOutOfBand(const std::vector<std::string>& submissionIds, std::int64_t nowMillis);

    std::vector<SubmissionRecord> heldBack(int limit);  // oldest first
    // Every sealed and held-back submission with its stored bytes, oldest first.
    std::vector<StoredSubmission> undeliveredWithPayloads();

    QueueCounts counts();
    std::string lastError();                               // most recent delivery error, "" when none
    std::vector<SubmissionRecord> submissions(int limit);  // newest first
    // Exact match, or what parseReference accepts for this kiosk's prefix (any case, spaces).
    std::optional<SubmissionRecord> findByReference(const std::string& reference);

    // Deletes payloads and request bodies of submissions delivered (in either way) more than
    // retentionDays ago.
    // Returns how many were purged. Held-back payloads are kept for admins to export.
    // Afterwards the WAL is checkpointed and truncated so the old page images go too.
    Result<int> purgeDeliveredPayloads(std::int64_t nowMillis, int retentionDays);

    const std::string& kioskId() const { return options_.kioskId; }

    sqlite3* handle() { return db_; }  // for tests and migrations only

private:
    explicit OutboxStore(sqlite3* db, StoreOptions options);
    sqlite3* db_;
    StoreOptions options_;
};

}  // namespace kiosk::store
