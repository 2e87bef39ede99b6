// StaffStore: accounts, Argon2id secrets and the sign-in lockout (include/store/staff_store.h).
#include "store/staff_store.h"

#include <sodium.h>

#include <algorithm>
#include <array>

#include "sqlite_support.h"
#include "store/audit_log.h"
#include "store_connection.h"

namespace kiosk::store {
namespace {

constexpr std::size_t kMaxNameCharacters = 60;
constexpr std::size_t kMinPinDigits = 4;
constexpr std::size_t kMaxPinDigits = 8;
constexpr std::size_t kMinPassphraseCharacters = 10;
constexpr std::size_t kMaxPassphraseCharacters = 128;
constexpr std::size_t kMaxSignOutReason = 100;

// An account with its stored hash, which never leaves this file.
struct AccountRow {
    StaffAccount account;
    std::string secretHash;
};

constexpr const char* kAccountQuery =
    "SELECT a.staff_id, a.name, a.role, a.disabled, a.created_at_ms, COALESCE(s.failed_attempts, 0), "
    "COALESCE(s.retry_at_ms, 0), COALESCE(s.locked, 0), a.secret_hash "
    "FROM staff_accounts a LEFT JOIN staff_sign_in_state s ON s.staff_id = a.staff_id";

AccountRow readAccountRow(const Statement& row) {
    AccountRow result;
    result.account.staffId = row.columnText(0);
    result.account.name = row.columnText(1);
    result.account.role = row.columnText(2) == "admin" ? StaffRole::Admin : StaffRole::Volunteer;
    result.account.disabled = row.columnInt(3) != 0;
    result.account.createdAtMillis = row.columnInt64(4);
    result.account.failedAttempts = row.columnInt(5);
    result.account.retryAtMillis = row.columnInt64(6);
    result.account.locked = row.columnInt(7) != 0;
    result.secretHash = row.columnText(8);
    return result;
}

std::optional<AccountRow> findAccount(sqlite3* db, const std::string& staffId) {
    const std::string sql = std::string(kAccountQuery) + " WHERE a.staff_id = ?";
    Statement query(db, sql.c_str());
    query.bind(1, staffId);
    if (query.step() != SQLITE_ROW) return std::nullopt;
    return readAccountRow(query);
}

std::size_t countCharacters(const std::string& text) {
    return static_cast<std::size_t>(std::count_if(
        text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool hasControlCharacter(const std::string& text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte < 0x20 || byte == 0x7F;
    });
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

std::optional<std::string> nameProblem(const std::string& name) {
    if (name.empty()) return "Enter the person's name.";
    if (countCharacters(name) > kMaxNameCharacters)
        return "Enter a name of " + std::to_string(kMaxNameCharacters) + " characters or fewer.";
    if (hasControlCharacter(name)) return "Enter the name on one line.";
    return std::nullopt;
}

// 1234, 4321, 7890 and 0000 are the PINs people choose first, so a guesser tries them first.
bool isRunOrRepeat(const std::string& pin) {
    bool repeat = true, ascending = true, descending = true;
    for (std::size_t i = 1; i < pin.size(); ++i) {
        const int previous = pin[i - 1] - '0', digit = pin[i] - '0';
        repeat = repeat && digit == previous;
        ascending = ascending && digit == (previous + 1) % 10;
        descending = descending && digit == (previous + 9) % 10;
    }
    return repeat || ascending || descending;
}

std::string accountLabel(const StaffAccount& account) {
    return std::string(staffRoleName(account.role)) + " '" + account.name + "' (" + account.staffId + ")";
}

const char* secretWord(StaffRole role) {
    return role == StaffRole::Admin ? "passphrase" : "PIN";
}

std::string newStaffId() {
    constexpr std::size_t kIdBytes = 6;  // 12 hex digits: collisions are checked, and rare in any hub
    std::array<unsigned char, kIdBytes> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    char hex[kIdBytes * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, bytes.data(), bytes.size());
    return std::string("stf-") + hex;
}

std::string secondsText(std::int64_t millis) {
    const std::int64_t seconds = (millis + 999) / 1000;
    if (seconds >= 120 && seconds % 60 == 0) return std::to_string(seconds / 60) + " min";
    return std::to_string(seconds) + " s";
}

Status writeSignInState(sqlite3* db, const std::string& staffId, int failedAttempts,
                        std::int64_t retryAtMillis, bool locked,
                        std::optional<std::int64_t> attemptAtMillis) {
    Statement upsert(db,
                     "INSERT INTO staff_sign_in_state (staff_id, failed_attempts, retry_at_ms, locked, "
                     "last_attempt_at_ms) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (staff_id) DO UPDATE SET "
                     "failed_attempts = ?2, retry_at_ms = ?3, locked = ?4, "
                     "last_attempt_at_ms = COALESCE(?5, last_attempt_at_ms)");
    upsert.bind(1, staffId);
    upsert.bind(2, failedAttempts);
    upsert.bind(3, retryAtMillis);
    upsert.bind(4, locked);
    if (attemptAtMillis) upsert.bind(5, *attemptAtMillis);
    int rc = upsert.step();
    if (rc != SQLITE_DONE) return sqliteError(db, rc, "record sign-in");
    return Done{};
}

Error accountNotFound(const std::string& staffId) {
    return Error{ErrorCode::NotFound,
                 "No staff account " + staffId + " exists; pick one from `kioskctl staff list`."};
}

// Why an attempt is refused before its secret is looked at, if it is.
std::optional<SignInOutcome::Kind> refusal(const StaffAccount& account, std::int64_t nowMillis) {
    if (account.disabled) return SignInOutcome::Kind::Disabled;
    if (account.locked) return SignInOutcome::Kind::Locked;
    if (nowMillis < account.retryAtMillis) return SignInOutcome::Kind::MustWait;
    return std::nullopt;
}

std::string refusalDetail(SignInOutcome::Kind kind, const StaffAccount& account, std::int64_t nowMillis) {
    switch (kind) {
        case SignInOutcome::Kind::Disabled:
            return "refused: the account is disabled";
        case SignInOutcome::Kind::Locked:
            return "refused: the account is locked after " + std::to_string(account.failedAttempts) +
                   " wrong tries";
        case SignInOutcome::Kind::MustWait:
            return "refused: tried " + secondsText(account.retryAtMillis - nowMillis) +
                   " before the next try counts (" + std::to_string(account.failedAttempts) +
                   " wrong in a row)";
        default:
            return "refused";
    }
}

// The outcome when the store cannot record an attempt: nothing is granted and nothing said about
// the secret, so a full disk does not become a way to guess without limit.
SignInOutcome unrecorded() {
    SignInOutcome outcome;
    outcome.kind = SignInOutcome::Kind::Unavailable;
    return outcome;
}

}  // namespace

const char* staffRoleName(StaffRole role) {
    return role == StaffRole::Admin ? "admin" : "volunteer";
}

const char* signInOutcomeName(SignInOutcome::Kind kind) {
    switch (kind) {
        case SignInOutcome::Kind::SignedIn:
            return "signed_in";
        case SignInOutcome::Kind::WrongSecret:
            return "wrong_secret";
        case SignInOutcome::Kind::MustWait:
            return "must_wait";
        case SignInOutcome::Kind::Locked:
            return "locked";
        case SignInOutcome::Kind::Disabled:
            return "disabled";
        case SignInOutcome::Kind::UnknownAccount:
            return "unknown_account";
        case SignInOutcome::Kind::Unavailable:
            return "unavailable";
    }
    return "unknown";
}

PasswordCost pinCost() {
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordCost passphraseCost() {
    return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

std::int64_t delayAfterFailures(int consecutiveFailures, const LockoutPolicy& policy) {
    if (consecutiveFailures <= policy.freeAttempts) return 0;
    std::int64_t delay = policy.firstDelayMillis;
    for (int extra = consecutiveFailures - policy.freeAttempts - 1;
         extra > 0 && delay < policy.maxDelayMillis; --extra)
        delay *= 2;
    return std::min(delay, policy.maxDelayMillis);
}

std::optional<std::string> secretProblem(StaffRole role, const std::string& secret) {
    if (role == StaffRole::Volunteer) {
        const bool digitsOnly =
            std::all_of(secret.begin(), secret.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digitsOnly || secret.size() < kMinPinDigits || secret.size() > kMaxPinDigits)
            return "Enter a PIN of 4 to 8 digits.";
        if (isRunOrRepeat(secret))
            return "Choose a PIN that is not a run like 1234 or one digit repeated like 0000.";
        return std::nullopt;
    }
    const std::size_t characters = countCharacters(secret);
    if (characters < kMinPassphraseCharacters)
        return "Enter a passphrase of at least 10 characters; a few ordinary words make a good one.";
    if (characters > kMaxPassphraseCharacters) return "Enter a passphrase of 128 characters or fewer.";
    if (hasControlCharacter(secret)) return "Enter the passphrase on one line.";
    if (trimmed(secret).empty()) return "Enter a passphrase that is not only spaces.";
    return std::nullopt;
}

StaffStore::StaffStore(sqlite3* db, StaffStoreOptions options) : db_(db), options_(options) {}

StaffStore::~StaffStore() {
    sqlite3_close_v2(db_);
}

Result<std::unique_ptr<StaffStore>> StaffStore::open(const StoreOptions& options, StaffStoreOptions staff) {
    auto connection = openStoreConnection(options);
    if (!connection) return connection.error();
    return std::unique_ptr<StaffStore>(new StaffStore(*connection, staff));
}

std::vector<StaffAccount> StaffStore::accounts() {
    std::vector<StaffAccount> found;
    const std::string sql = std::string(kAccountQuery) + " ORDER BY a.name COLLATE NOCASE, a.staff_id";
    Statement query(db_, sql.c_str());
    while (query.step() == SQLITE_ROW) found.push_back(readAccountRow(query).account);
    return found;
}

std::optional<StaffAccount> StaffStore::account(const std::string& staffId) {
    auto row = findAccount(db_, staffId);
    if (!row) return std::nullopt;
    return row->account;
}

bool StaffStore::hasAdmin() {
    Statement query(db_, "SELECT COUNT(*) FROM staff_accounts WHERE role = 'admin' AND disabled = 0");
    return query.step() == SQLITE_ROW && query.columnInt64(0) > 0;
}

namespace {

Error nameTaken(const std::string& name) {
    return Error{ErrorCode::StaffNameTaken, "There is already an account called '" + name +
                                                "'; add something to tell them apart, like a surname."};
}

Result<std::string> hashSecret(const std::string& secret, const PasswordCost& cost) {
    char hashed[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(hashed, secret.data(), secret.size(), cost.opsLimit, cost.memLimitBytes,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return Error{
            ErrorCode::CryptoUnavailable,
            "There was not enough memory to protect the secret; close other programs and try again."};
    }
    std::string result(hashed);
    sodium_memzero(hashed, sizeof hashed);
    return result;
}

}  // namespace

Result<StaffAccount> StaffStore::addAccount(const std::string& name, StaffRole role,
                                            const std::string& secret, const std::string& actorStaffId,
                                            std::int64_t nowMillis) {
    const std::string cleanName = trimmed(name);
    if (auto problem = nameProblem(cleanName)) return Error{ErrorCode::InvalidStaffName, *problem};
    if (auto problem = secretProblem(role, secret)) return Error{ErrorCode::InvalidSecret, *problem};
    // Checked before the slow hash too, so a taken name is reported at once.
    Statement taken(db_, "SELECT 1 FROM staff_accounts WHERE name = ?");
    taken.bind(1, cleanName);
    if (taken.step() == SQLITE_ROW) return nameTaken(cleanName);
    auto hash = hashSecret(secret, role == StaffRole::Admin ? options_.passphrase : options_.pin);
    if (!hash) return hash.error();

    Transaction transaction(db_);
    if (auto began = transaction.begin("add staff"); !began) return began.error();
    StaffAccount account;
    account.name = cleanName;
    account.role = role;
    account.createdAtMillis = nowMillis;
    for (int tries = 0;; ++tries) {
        account.staffId = newStaffId();
        if (!findAccount(db_, account.staffId)) break;
        if (tries == 3) return Error{ErrorCode::DatabaseError, "Could not choose a new staff id; try again."};
    }
    Statement insert(
        db_,
        "INSERT INTO staff_accounts (staff_id, name, role, secret_hash, disabled, created_at_ms, "
        "updated_at_ms) VALUES (?, ?, ?, ?, 0, ?, ?)");
    insert.bind(1, account.staffId);
    insert.bind(2, account.name);
    insert.bind(3, std::string_view(staffRoleName(role)));
    insert.bind(4, *hash);
    insert.bind(5, nowMillis);
    insert.bind(6, nowMillis);
    int rc = insert.step();
    if (rc == SQLITE_CONSTRAINT_UNIQUE) return nameTaken(cleanName);
    if (rc != SQLITE_DONE) return sqliteError(db_, rc, "add staff");
    if (auto state = writeSignInState(db_, account.staffId, 0, 0, false, std::nullopt); !state)
        return state.error();
    if (auto audited =
            appendAuditEntry(db_, actorStaffId, "staff_added", "added " + accountLabel(account), nowMillis);
        !audited)
        return audited.error();
    if (auto committed = transaction.commit("add staff"); !committed) return committed.error();
    return account;
}

Status StaffStore::resetSecret(const std::string& staffId, const std::string& newSecret,
                               const std::string& actorStaffId, std::int64_t nowMillis) {
    auto found = findAccount(db_, staffId);
    if (!found) return accountNotFound(staffId);
    const StaffRole role = found->account.role;
    if (auto problem = secretProblem(role, newSecret)) return Error{ErrorCode::InvalidSecret, *problem};
    auto hash = hashSecret(newSecret, role == StaffRole::Admin ? options_.passphrase : options_.pin);
    if (!hash) return hash.error();

    Transaction transaction(db_);
    if (auto began = transaction.begin("reset secret"); !began) return began;
    Statement update(db_, "UPDATE staff_accounts SET secret_hash = ?, updated_at_ms = ? WHERE staff_id = ?");
    update.bind(1, *hash);
    update.bind(2, nowMillis);
    update.bind(3, staffId);
    int rc = update.step();
    if (rc != SQLITE_DONE) return sqliteError(db_, rc, "reset secret");
    if (auto state = writeSignInState(db_, staffId, 0, 0, false, std::nullopt); !state) return state;
    const std::string action = role == StaffRole::Admin ? "passphrase_reset" : "pin_reset";
    const std::string detail = std::string(secretWord(role)) + " reset for " + accountLabel(found->account) +
                               (found->account.locked ? ", which also unlocks it" : "");
    if (auto audited = appendAuditEntry(db_, actorStaffId, action, detail, nowMillis); !audited)
        return audited;
    return transaction.commit("reset secret");
}

Status StaffStore::setDisabled(const std::string& staffId, bool disabled, const std::string& actorStaffId,
                               std::int64_t nowMillis) {
    Transaction transaction(db_);
    if (auto began = transaction.begin("disable staff"); !began) return began;
    auto found = findAccount(db_, staffId);
    if (!found) return accountNotFound(staffId);
    if (found->account.disabled == disabled) return Done{};  // nothing changes, nothing to audit
    if (disabled && found->account.role == StaffRole::Admin) {
        Statement others(
            db_,
            "SELECT COUNT(*) FROM staff_accounts WHERE role = 'admin' AND disabled = 0 AND staff_id <> ?");
        others.bind(1, staffId);
        if (others.step() == SQLITE_ROW && others.columnInt64(0) == 0) {
            return Error{ErrorCode::LastAdmin,
                         "This is the only admin who can sign in; add another admin before disabling it."};
        }
    }
    Statement update(db_, "UPDATE staff_accounts SET disabled = ?, updated_at_ms = ? WHERE staff_id = ?");
    update.bind(1, disabled);
    update.bind(2, nowMillis);
    update.bind(3, staffId);
    int rc = update.step();
    if (rc != SQLITE_DONE) return sqliteError(db_, rc, "disable staff");
    const std::string action = disabled ? "staff_disabled" : "staff_enabled";
    const std::string detail = (disabled ? "disabled " : "enabled ") + accountLabel(found->account);
    if (auto audited = appendAuditEntry(db_, actorStaffId, action, detail, nowMillis); !audited)
        return audited;
    return transaction.commit("disable staff");
}

Status StaffStore::unlock(const std::string& staffId, const std::string& actorStaffId,
                          std::int64_t nowMillis) {
    Transaction transaction(db_);
    if (auto began = transaction.begin("unlock staff"); !began) return began;
    auto found = findAccount(db_, staffId);
    if (!found) return accountNotFound(staffId);
    if (auto state = writeSignInState(db_, staffId, 0, 0, false, std::nullopt); !state) return state;
    const std::string detail = "unlocked " + accountLabel(found->account) + " (it had " +
                               std::to_string(found->account.failedAttempts) + " wrong tries in a row" +
                               (found->account.locked ? " and was locked)" : ")");
    if (auto audited = appendAuditEntry(db_, actorStaffId, "staff_unlocked", detail, nowMillis); !audited)
        return audited;
    return transaction.commit("unlock staff");
}

SignInOutcome StaffStore::signIn(const std::string& staffId, const std::string& secret,
                                 std::int64_t nowMillis) {
    SignInOutcome outcome;
    // Refusals are decided and recorded in one transaction, before any hashing.
    auto refuseIfDue = [&](const std::optional<AccountRow>& found) -> std::optional<SignInOutcome> {
        if (!found) {
            outcome.kind = SignInOutcome::Kind::UnknownAccount;
            if (!appendAuditEntry(db_, "unknown", "sign_in_refused", "refused: no account with that id",
                                  nowMillis))
                return unrecorded();
            return outcome;
        }
        const auto kind = refusal(found->account, nowMillis);
        if (!kind) return std::nullopt;
        outcome.kind = *kind;
        if (*kind == SignInOutcome::Kind::MustWait) outcome.retryAtMillis = found->account.retryAtMillis;
        if (!appendAuditEntry(db_, staffId, "sign_in_refused",
                              refusalDetail(*kind, found->account, nowMillis), nowMillis))
            return unrecorded();
        return outcome;
    };

    std::optional<AccountRow> before;
    {
        Transaction transaction(db_);
        if (!transaction.begin("sign in")) return unrecorded();
        before = findAccount(db_, staffId);
        if (auto refused = refuseIfDue(before)) {
            if (refused->kind != SignInOutcome::Kind::Unavailable && !transaction.commit("sign in"))
                return unrecorded();
            return *refused;
        }
        // Committed empty: the write lock is not held while hashing.
        if (!transaction.commit("sign in")) return unrecorded();
    }

    const bool right =
        crypto_pwhash_str_verify(before->secretHash.c_str(), secret.data(), secret.size()) == 0;

    Transaction transaction(db_);
    if (!transaction.begin("sign in")) return unrecorded();
    // Another attempt may have been counted while this one was hashing: it decides first.
    const auto current = findAccount(db_, staffId);
    if (auto refused = refuseIfDue(current)) {
        if (refused->kind != SignInOutcome::Kind::Unavailable && !transaction.commit("sign in"))
            return unrecorded();
        return *refused;
    }
    // The secret was reset while this try was hashing: what was checked is no longer the secret.
    if (current->secretHash != before->secretHash) return unrecorded();
    StaffAccount account = current->account;
    const LockoutPolicy& policy = options_.lockout;
    if (right) {
        if (!writeSignInState(db_, staffId, 0, 0, false, nowMillis)) return unrecorded();
        if (!appendAuditEntry(db_, staffId, "sign_in",
                              std::string("signed in as ") + staffRoleName(account.role), nowMillis))
            return unrecorded();
        if (!transaction.commit("sign in")) return unrecorded();
        account.failedAttempts = 0;
        account.retryAtMillis = 0;
        outcome.kind = SignInOutcome::Kind::SignedIn;
        outcome.account = account;
        return outcome;
    }

    const int failures = account.failedAttempts + 1;
    const bool locks = failures >= policy.lockAfter;
    const std::int64_t delay = locks ? 0 : delayAfterFailures(failures, policy);
    const std::int64_t retryAt = delay > 0 ? nowMillis + delay : 0;
    std::string detail =
        "wrong " + std::string(secretWord(account.role)) + " (" + std::to_string(failures) + " in a row); ";
    if (locks)
        detail += "account locked until an admin unlocks it";
    else if (delay > 0)
        detail += "the next try counts after " + secondsText(delay);
    else
        detail += "no wait yet";
    if (!writeSignInState(db_, staffId, failures, retryAt, locks, nowMillis)) return unrecorded();
    if (!appendAuditEntry(db_, staffId, "sign_in_failed", detail, nowMillis)) return unrecorded();
    if (!transaction.commit("sign in")) return unrecorded();
    outcome.kind = SignInOutcome::Kind::WrongSecret;
    outcome.retryAtMillis = retryAt;
    outcome.triesBeforeLock = locks ? 0 : policy.lockAfter - failures;
    return outcome;
}

Status StaffStore::recordSignOut(const std::string& staffId, const std::string& reason,
                                 std::int64_t nowMillis) {
    if (reason.empty() || reason.size() > kMaxSignOutReason || hasControlCharacter(reason)) {
        return Error{ErrorCode::InvalidArgument, "A sign-out reason is one short line, like \"signed out\"."};
    }
    Transaction transaction(db_);
    if (auto began = transaction.begin("sign out"); !began) return began;
    if (!findAccount(db_, staffId)) return accountNotFound(staffId);
    if (auto audited = appendAuditEntry(db_, staffId, "sign_out", reason, nowMillis); !audited)
        return audited;
    return transaction.commit("sign out");
}

}  // namespace kiosk::store
