// StaffStore: volunteers and admins who sign in on the kiosk's touch screen.
//
// Volunteers sign in with a PIN of 4 to 8 digits, admins with a passphrase of at least 10
// characters. Only an Argon2id hash of either is stored (libsodium crypto_pwhash_str); the secret
// itself never reaches SQL text, a log, an error message or an audit row.
//
// A 4-digit PIN hash is no protection for someone who has the database file: 10,000 guesses at
// ~140 ms each is about 25 minutes on one core. What protects a PIN is that guesses can only be
// made on the screen, where the lockout below applies, and that failures are kept in the
// database, so a restart does not forget them. Keep the data directory readable by the kiosk
// user only.
//
// Lockout, with the default policy: 3 wrong tries are free (people mistype), then each wrong try
// doubles the wait before the next one counts (30 s, 1, 2, 4, 8, 16 min), and the 10th wrong try
// in a row locks the account until an admin unlocks it. A right PIN resets the count. The wait
// is enforced before hashing: a try made too early is refused without checking the secret and
// does not count, so hammering the screen gains nothing.
// Brute force of a 4-digit PIN under that policy: the 10 checked tries take at least
// 30+60+120+240+480+960 s = 1,890 s (31.5 min) and then the account is locked, so in 24 hours an
// attacker gets 10 guesses out of 10,000 (0.1 %), and no more until an admin unlocks. Stopping
// at 9 and waiting for the volunteer's own sign-in to reset the count gives at most 9 guesses
// per genuine sign-in (say 9-18 a day, ~0.1-0.2 %; half the PIN space would take years), all of
// them made in person at a staffed hub's screen. PINs that are runs or one repeated digit
// (1234, 0000), which people pick first, are refused.
//
// Every sign-in attempt (success, wrong secret, refused) and every change to an account is
// written to the audit log (store/audit_log.h) in the same transaction as the change it records.
//
// One StaffStore per thread. signIn and the calls that set a secret are slow by design (Argon2id,
// 64 MiB or 256 MiB of memory): never call them on the UI thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/result.h"
#include "store/outbox_store.h"

struct sqlite3;

namespace kiosk::store {

enum class StaffRole { Volunteer, Admin };
const char* staffRoleName(StaffRole role);  // "volunteer", "admin"

struct StaffAccount {
    std::string
        staffId;  // "stf-" + 12 hex digits, random and stable; sent with assisted forms instead of the name
    std::string name;  // as entered
    StaffRole role = StaffRole::Volunteer;
    bool disabled = false;
    bool locked = false;             // too many wrong tries; only an admin unlocks
    int failedAttempts = 0;          // consecutive
    std::int64_t retryAtMillis = 0;  // no attempt counts before this (growing delay)
    std::int64_t createdAtMillis = 0;
};

// Argon2id cost: passes over memory and the memory used.
struct PasswordCost {
    unsigned long long opsLimit;
    std::size_t memLimitBytes;
};
// crypto_pwhash_OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE: 2 passes over 64 MiB, about 140 ms
// here. A PIN's strength is the lockout, not the hash; this keeps sign-in quick on kiosk hardware.
PasswordCost pinCost();
// crypto_pwhash_OPSLIMIT_MODERATE / MEMLIMIT_MODERATE: 3 passes over 256 MiB, under a second.
// An admin passphrase opens the console, so it is worth more to an attacker with the file.
PasswordCost passphraseCost();

// The product's defaults; the reasoning and the arithmetic are at the top of this file.
struct LockoutPolicy {
    int freeAttempts = 3;                       // wrong tries before any delay
    std::int64_t firstDelayMillis = 30'000;     // then doubling...
    std::int64_t maxDelayMillis = 30 * 60'000;  // ...up to this
    int lockAfter = 10;                         // consecutive wrong tries lock until an admin unlocks
};
// The wait after `consecutiveFailures` wrong tries: 0 up to freeAttempts, then firstDelayMillis
// doubling per further failure, capped at maxDelayMillis.
std::int64_t delayAfterFailures(int consecutiveFailures, const LockoutPolicy& policy);

struct StaffStoreOptions {
    PasswordCost pin = pinCost();  // tests pass cheap costs; the hash records its own cost
    PasswordCost passphrase = passphraseCost();
    LockoutPolicy lockout;
};

struct SignInOutcome {
    enum class Kind {
        SignedIn,        // account is set
        WrongSecret,     // counted; see retryAtMillis and triesBeforeLock
        MustWait,        // too early: not checked, not counted; retryAtMillis says until when
        Locked,          // an admin must unlock the account; not checked
        Disabled,        // not checked
        UnknownAccount,  // no account with that id
        Unavailable,     // not recorded (database error, or the secret was reset meanwhile): try again
    };
    Kind kind = Kind::UnknownAccount;
    std::optional<StaffAccount> account;  // set for SignedIn
    std::int64_t retryAtMillis = 0;       // MustWait, and after WrongSecret when a delay now applies
    int triesBeforeLock = 0;              // after WrongSecret; 0 means this try locked the account
};
const char* signInOutcomeName(SignInOutcome::Kind kind);  // "signed_in", "wrong_secret", ...

// The rules a secret must meet for a role; nullopt when it is acceptable, else a sentence saying
// what to do (which never quotes the secret).
std::optional<std::string> secretProblem(StaffRole role, const std::string& secret);

class StaffStore {
public:
    // Own connection, migrated like OutboxStore::open; the same error codes.
    static Result<std::unique_ptr<StaffStore>> open(const StoreOptions& options,
                                                    StaffStoreOptions staff = {});
    ~StaffStore();
    StaffStore(const StaffStore&) = delete;
    StaffStore& operator=(const StaffStore&) = delete;

    std::vector<StaffAccount> accounts();  // by name; disabled ones included (screens filter)
    std::optional<StaffAccount> account(const std::string& staffId);
    bool hasAdmin();  // an admin account that is not disabled exists (first run needs kioskctl)

    // actorStaffId is who made the change: an admin's staff id, or "kioskctl:<user>" for the
    // command line. Checking that the actor may do it is the caller's job; the store records it.
    // Error codes: "invalid_staff_name" (empty, over 60 characters, control characters),
    // "staff_name_taken", "invalid_secret" (the message says what to change), "not_found",
    // "last_admin" (disabling the only admin who can sign in), or a database code.
    Result<StaffAccount> addAccount(const std::string& name, StaffRole role, const std::string& secret,
                                    const std::string& actorStaffId, std::int64_t nowMillis);
    // Also clears failures and unlocks: an admin resetting a PIN has just spoken to its owner.
    Status resetSecret(const std::string& staffId, const std::string& newSecret,
                       const std::string& actorStaffId, std::int64_t nowMillis);
    Status setDisabled(const std::string& staffId, bool disabled, const std::string& actorStaffId,
                       std::int64_t nowMillis);
    Status unlock(const std::string& staffId, const std::string& actorStaffId, std::int64_t nowMillis);

    // Slow by design (Argon2id): never call on the UI thread. A try before retryAtMillis, on a
    // locked or disabled account, is refused WITHOUT hashing and does not count. Every attempt is
    // audited in the same transaction as the failure counter. The write lock is not held while
    // hashing, so sealing a resident's form never waits for a sign-in.
    SignInOutcome signIn(const std::string& staffId, const std::string& secret, std::int64_t nowMillis);
    // reason is short plain text ("signed out", "session ended"); audited as sign_out.
    Status recordSignOut(const std::string& staffId, const std::string& reason, std::int64_t nowMillis);

    sqlite3* handle() { return db_; }  // for tests only

private:
    StaffStore(sqlite3* db, StaffStoreOptions options);
    sqlite3* db_;
    StaffStoreOptions options_;
};

}  // namespace kiosk::store
