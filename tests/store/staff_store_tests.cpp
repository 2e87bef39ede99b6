// Staff accounts: Argon2id hashes, secret and name rules, sign-in outcomes, the stored lockout
// on a virtual clock, and the audit rows every attempt writes.
#include <sodium.h>

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "store/audit_log.h"
#include "store/staff_store.h"
#include "store_test_support.h"

using namespace kiosk;
using namespace kiosk::store;
using namespace kiosk::store::test;

namespace {

constexpr std::int64_t kStart = kSealTimeMillis;
constexpr const char* kActor = "kioskctl:test";
// Eight digits and a long passphrase, so a search of the database files cannot match by chance.
const std::string kPin = "73920584";
const std::string kPassphrase = "correct horse battery staple";

// The cheapest Argon2id libsodium accepts: these tests are about the rules, not the cost.
StaffStoreOptions cheapCosts() {
    StaffStoreOptions options;
    options.pin = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    options.passphrase = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    return options;
}

struct StaffFixture {
    StoreFixture store;
    StaffStoreOptions staffOptions = cheapCosts();

    std::unique_ptr<StaffStore> open() const {
        auto opened = StaffStore::open(store.options, staffOptions);
        INFO((opened ? std::string() : opened.error().message));
        REQUIRE(opened.ok());
        return std::move(opened.value());
    }
};

StaffAccount addOrFail(StaffStore& staff, const std::string& name, StaffRole role,
                       const std::string& secret) {
    auto added = staff.addAccount(name, role, secret, kActor, kStart);
    INFO((added ? std::string() : added.error().message));
    REQUIRE(added.ok());
    return *added;
}

std::map<std::string, std::int64_t> auditCountsByAction(sqlite3* db) {
    std::map<std::string, std::int64_t> counts;
    sqlite3_stmt* query = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT action, COUNT(*) FROM audit_log GROUP BY action", -1, &query,
                               nullptr) == SQLITE_OK);
    while (sqlite3_step(query) == SQLITE_ROW)
        counts[reinterpret_cast<const char*>(sqlite3_column_text(query, 0))] = sqlite3_column_int64(query, 1);
    sqlite3_finalize(query);
    return counts;
}

std::string storedHash(sqlite3* db, const std::string& staffId) {
    return queryText(db, "SELECT secret_hash FROM staff_accounts WHERE staff_id = '" + staffId + "'");
}

}  // namespace

TEST_CASE("a volunteer's PIN is kept only as an Argon2id hash over 64 MiB", "[store][staff][slow]") {
    StaffFixture fixture;
    fixture.staffOptions = {};  // the product's real costs
    auto staff = fixture.open();
    const StaffAccount volunteer = addOrFail(*staff, "Priya Shah", StaffRole::Volunteer, kPin);

    const std::string hash = storedHash(staff->handle(), volunteer.staffId);
    CHECK(hash.rfind("$argon2id$", 0) == 0);
    CHECK(hash.find("$m=65536,t=2,") != std::string::npos);
    CHECK(staff->signIn(volunteer.staffId, kPin, kStart + 1).kind == SignInOutcome::Kind::SignedIn);
    staff.reset();
    CHECK_FALSE(databaseFilesContain(fixture.store.options.databaseFile, kPin));
}

TEST_CASE("an admin's passphrase is hashed at the bigger cost", "[store][staff][slow]") {
    StaffFixture fixture;
    fixture.staffOptions = {};
    auto staff = fixture.open();
    const StaffAccount admin = addOrFail(*staff, "Hub Lead", StaffRole::Admin, kPassphrase);

    const std::string hash = storedHash(staff->handle(), admin.staffId);
    CHECK(hash.rfind("$argon2id$", 0) == 0);
    CHECK(hash.find("$m=262144,t=3,") != std::string::npos);
    CHECK(staff->signIn(admin.staffId, kPassphrase, kStart + 1).kind == SignInOutcome::Kind::SignedIn);
    CHECK(staff->hasAdmin());
    staff.reset();
    CHECK_FALSE(databaseFilesContain(fixture.store.options.databaseFile, kPassphrase));
}

TEST_CASE("sign-in tells a wrong PIN, a right PIN, a disabled and an unknown account apart",
          "[store][staff]") {
    StaffFixture fixture;
    auto staff = fixture.open();
    const StaffAccount admin = addOrFail(*staff, "Hub Lead", StaffRole::Admin, kPassphrase);
    const StaffAccount volunteer = addOrFail(*staff, "Priya Shah", StaffRole::Volunteer, kPin);
    CHECK(volunteer.staffId.size() == 16);
    CHECK(volunteer.staffId.rfind("stf-", 0) == 0);
    CHECK(volunteer.staffId != admin.staffId);

    const SignInOutcome wrong = staff->signIn(volunteer.staffId, "73920585", kStart + 1000);
    CHECK(wrong.kind == SignInOutcome::Kind::WrongSecret);
    CHECK_FALSE(wrong.account.has_value());
    CHECK(wrong.triesBeforeLock == 9);
    CHECK(wrong.retryAtMillis == 0);  // the first wrong tries are free
    CHECK(staff->account(volunteer.staffId)->failedAttempts == 1);

    const SignInOutcome right = staff->signIn(volunteer.staffId, kPin, kStart + 2000);
    REQUIRE(right.kind == SignInOutcome::Kind::SignedIn);
    REQUIRE(right.account.has_value());
    CHECK(right.account->name == "Priya Shah");
    CHECK(right.account->role == StaffRole::Volunteer);
    CHECK(right.account->failedAttempts == 0);
    CHECK(staff->account(volunteer.staffId)->failedAttempts == 0);  // a right PIN resets the count

    // An admin's passphrase does not open a volunteer's account, nor the other way round.
    CHECK(staff->signIn(volunteer.staffId, kPassphrase, kStart + 3000).kind ==
          SignInOutcome::Kind::WrongSecret);
    CHECK(staff->signIn(admin.staffId, kPin, kStart + 3000).kind == SignInOutcome::Kind::WrongSecret);

    REQUIRE(staff->setDisabled(volunteer.staffId, true, admin.staffId, kStart + 4000).ok());
    CHECK(staff->signIn(volunteer.staffId, kPin, kStart + 5000).kind == SignInOutcome::Kind::Disabled);
    CHECK(staff->accounts().size() == 2);  // still listed; screens leave it out
    CHECK(staff->account(volunteer.staffId)->disabled);
    REQUIRE(staff->setDisabled(volunteer.staffId, false, admin.staffId, kStart + 6000).ok());
    CHECK(staff->signIn(volunteer.staffId, kPin, kStart + 7000).kind == SignInOutcome::Kind::SignedIn);

    CHECK(staff->signIn("stf-000000000000", kPin, kStart + 8000).kind == SignInOutcome::Kind::UnknownAccount);
    CHECK(staff->signIn("", kPin, kStart + 8000).kind == SignInOutcome::Kind::UnknownAccount);

    const auto counts = auditCountsByAction(staff->handle());
    CHECK(counts.at("staff_added") == 2);
    CHECK(counts.at("sign_in") == 2);
    CHECK(counts.at("sign_in_failed") == 3);
    CHECK(counts.at("sign_in_refused") == 3);  // disabled, then two unknown ids
    CHECK(counts.at("staff_disabled") == 1);
    CHECK(counts.at("staff_enabled") == 1);
    CHECK(queryText(staff->handle(),
                    "SELECT actor FROM audit_log WHERE action = 'sign_in_refused' ORDER BY sequence "
                    "DESC LIMIT 1") == "unknown");
}

TEST_CASE("PINs, passphrases and names that break the rules are refused with a reason", "[store][staff]") {
    StaffFixture fixture;
    auto staff = fixture.open();
    const struct {
        StaffRole role;
        std::string secret;
        std::string reason;
    } refused[] = {
        {StaffRole::Volunteer, "123", "Enter a PIN of 4 to 8 digits."},
        {StaffRole::Volunteer, "123456789", "Enter a PIN of 4 to 8 digits."},
        {StaffRole::Volunteer, "12a4", "Enter a PIN of 4 to 8 digits."},
        {StaffRole::Volunteer, " 7392", "Enter a PIN of 4 to 8 digits."},
        {StaffRole::Volunteer, "2345",
         "Choose a PIN that is not a run like 1234 or one digit repeated like 0000."},
        {StaffRole::Volunteer, "7777",
         "Choose a PIN that is not a run like 1234 or one digit repeated like 0000."},
        {StaffRole::Volunteer, "987654",
         "Choose a PIN that is not a run like 1234 or one digit repeated like 0000."},
        {StaffRole::Volunteer, "7890",
         "Choose a PIN that is not a run like 1234 or one digit repeated like 0000."},
        {StaffRole::Admin, "short pass", ""},  // 10 characters: accepted
        {StaffRole::Admin, "too short",
         "Enter a passphrase of at least 10 characters; a few ordinary words make a good one."},
        {StaffRole::Admin, "zażółćżółć", ""},  // 10 characters in 20 bytes: counted as characters
        {StaffRole::Admin, "zażółć",
         "Enter a passphrase of at least 10 characters; a few ordinary words make a good one."},
        {StaffRole::Admin, "two\nlines here", "Enter the passphrase on one line."},
        {StaffRole::Admin, std::string(129, 'a'), "Enter a passphrase of 128 characters or fewer."},
    };
    for (const auto& example : refused) {
        INFO(staffRoleName(example.role) << " secret of " << example.secret.size() << " bytes");
        const auto problem = secretProblem(example.role, example.secret);
        if (example.reason.empty()) {
            CHECK_FALSE(problem.has_value());
            continue;
        }
        REQUIRE(problem.has_value());
        CHECK(*problem == example.reason);
        CHECK(problem->find(example.secret) == std::string::npos);
        auto added = staff->addAccount("Sam", example.role, example.secret, kActor, kStart);
        REQUIRE_FALSE(added.ok());
        CHECK(added.error().code == ErrorCode::InvalidSecret);
        CHECK(added.error().message == example.reason);
    }
    CHECK(staff->accounts().empty());
    CHECK(queryInt(staff->handle(), "SELECT COUNT(*) FROM audit_log") == 0);

    auto empty = staff->addAccount("   ", StaffRole::Volunteer, kPin, kActor, kStart);
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error().code == ErrorCode::InvalidStaffName);
    CHECK(empty.error().message == "Enter the person's name.");
    auto longName = staff->addAccount(std::string(61, 'x'), StaffRole::Volunteer, kPin, kActor, kStart);
    REQUIRE_FALSE(longName.ok());
    CHECK(longName.error().message == "Enter a name of 60 characters or fewer.");

    const StaffAccount priya = addOrFail(*staff, "  Priya Shah ", StaffRole::Volunteer, kPin);
    CHECK(priya.name == "Priya Shah");
    auto twin = staff->addAccount("PRIYA SHAH", StaffRole::Volunteer, "58203947", kActor, kStart);
    REQUIRE_FALSE(twin.ok());
    CHECK(twin.error().code == ErrorCode::StaffNameTaken);
    CHECK(staff->accounts().size() == 1);
}

TEST_CASE("the delay doubles after the free tries and stops at the cap", "[store][staff]") {
    const LockoutPolicy policy;
    CHECK(delayAfterFailures(0, policy) == 0);
    CHECK(delayAfterFailures(3, policy) == 0);
    CHECK(delayAfterFailures(4, policy) == 30'000);
    CHECK(delayAfterFailures(5, policy) == 60'000);
    CHECK(delayAfterFailures(9, policy) == 960'000);
    CHECK(delayAfterFailures(10, policy) == 1'800'000);
    CHECK(delayAfterFailures(1000, policy) == 1'800'000);
}

TEST_CASE(
    "a thousand wrong PINs as fast as allowed: ten are checked, the account locks, restarts change nothing",
    "[store][staff][lockout]") {
    StaffFixture fixture;
    auto staff = fixture.open();
    const StaffAccount admin = addOrFail(*staff, "Hub Lead", StaffRole::Admin, kPassphrase);
    const StaffAccount volunteer = addOrFail(*staff, "Priya Shah", StaffRole::Volunteer, kPin);
    const LockoutPolicy policy;

    std::int64_t now = kStart;
    std::int64_t lockedAt = 0;
    std::int64_t sumOfDelays = 0;
    std::map<SignInOutcome::Kind, int> outcomes;
    bool restarted = false;
    for (int attempt = 0; attempt < 1000; ++attempt) {
        const std::string guess = std::to_string(10'000'000 + attempt);  // never the right PIN
        const SignInOutcome outcome = staff->signIn(volunteer.staffId, guess, now);
        ++outcomes[outcome.kind];
        REQUIRE(outcome.kind != SignInOutcome::Kind::SignedIn);
        if (outcome.kind == SignInOutcome::Kind::WrongSecret) {
            const int failures = outcomes[SignInOutcome::Kind::WrongSecret];
            CHECK(outcome.triesBeforeLock == policy.lockAfter - failures);
            if (outcome.triesBeforeLock == 0) {
                lockedAt = now;
            } else {
                const std::int64_t delay = delayAfterFailures(failures, policy);
                sumOfDelays += delay;
                CHECK(outcome.retryAtMillis == (delay > 0 ? now + delay : 0));
            }
        }
        if (outcome.kind == SignInOutcome::Kind::MustWait) {
            // The guesser tries once more a second before the wait ends, then right on time.
            CHECK(outcome.retryAtMillis > now);
            now = outcome.retryAtMillis - 1000 > now ? outcome.retryAtMillis - 1000 : outcome.retryAtMillis;
        } else {
            now += 100;  // a fast finger
        }
        // A restart half-way (after the sixth wrong try) must not forget the count or the wait.
        if (!restarted && outcomes[SignInOutcome::Kind::WrongSecret] == 6) {
            const StaffAccount before = *staff->account(volunteer.staffId);
            staff.reset();
            staff = fixture.open();
            const StaffAccount after = *staff->account(volunteer.staffId);
            CHECK(after.failedAttempts == 6);
            CHECK(after.retryAtMillis == before.retryAtMillis);
            CHECK(after.retryAtMillis > now);
            restarted = true;
        }
    }
    CHECK(restarted);
    CHECK(outcomes[SignInOutcome::Kind::WrongSecret] == policy.lockAfter);
    CHECK(outcomes[SignInOutcome::Kind::MustWait] > 0);
    CHECK(outcomes[SignInOutcome::Kind::Locked] ==
          1000 - policy.lockAfter - outcomes[SignInOutcome::Kind::MustWait]);
    CHECK(sumOfDelays == 1'890'000);  // 30 s + 1 + 2 + 4 + 8 + 16 min
    CHECK(lockedAt - kStart >= sumOfDelays);

    // Locked survives a restart, and the right PIN no longer helps.
    staff.reset();
    staff = fixture.open();
    const StaffAccount locked = *staff->account(volunteer.staffId);
    CHECK(locked.locked);
    CHECK(locked.failedAttempts == policy.lockAfter);
    CHECK(staff->signIn(volunteer.staffId, kPin, now + 86'400'000).kind == SignInOutcome::Kind::Locked);

    // Every attempt left a row: the checked ones as failures, the rest as refusals.
    auto counts = auditCountsByAction(staff->handle());
    CHECK(counts["sign_in_failed"] == policy.lockAfter);
    CHECK(counts["sign_in_refused"] == 1000 - policy.lockAfter + 1);
    CHECK(queryText(staff->handle(),
                    "SELECT detail FROM audit_log WHERE action = 'sign_in_failed' ORDER BY sequence "
                    "DESC LIMIT 1") == "wrong PIN (10 in a row); account locked until an admin unlocks it");

    REQUIRE(staff->unlock(volunteer.staffId, admin.staffId, now + 86'400'000).ok());
    const StaffAccount unlocked = *staff->account(volunteer.staffId);
    CHECK_FALSE(unlocked.locked);
    CHECK(unlocked.failedAttempts == 0);
    CHECK(unlocked.retryAtMillis == 0);
    CHECK(staff->signIn(volunteer.staffId, kPin, now + 86'400'001).kind == SignInOutcome::Kind::SignedIn);
    counts = auditCountsByAction(staff->handle());
    CHECK(counts["staff_unlocked"] == 1);
    CHECK(queryText(staff->handle(), "SELECT actor FROM audit_log WHERE action = 'staff_unlocked'") ==
          admin.staffId);
}

TEST_CASE("the right PIN tried too early is refused without counting", "[store][staff][lockout]") {
    StaffFixture fixture;
    auto staff = fixture.open();
    const StaffAccount volunteer = addOrFail(*staff, "Priya Shah", StaffRole::Volunteer, kPin);
    for (int i = 0; i < 4; ++i) (void)staff->signIn(volunteer.staffId, "11112222", kStart);
    const StaffAccount waiting = *staff->account(volunteer.staffId);
    REQUIRE(waiting.failedAttempts == 4);
    REQUIRE(waiting.retryAtMillis == kStart + 30'000);

    const SignInOutcome early = staff->signIn(volunteer.staffId, kPin, kStart + 29'999);
    CHECK(early.kind == SignInOutcome::Kind::MustWait);
    CHECK(early.retryAtMillis == kStart + 30'000);
    CHECK_FALSE(early.account.has_value());
    CHECK(staff->account(volunteer.staffId)->failedAttempts == 4);
    CHECK(staff->signIn(volunteer.staffId, kPin, kStart + 30'000).kind == SignInOutcome::Kind::SignedIn);
}

TEST_CASE("a sign-in whose audit row cannot be written neither signs in nor counts",
          "[store][staff][audit]") {
    StaffFixture fixture;
    auto staff = fixture.open();
    const StaffAccount volunteer = addOrFail(*staff, "Priya Shah", StaffRole::Volunteer, kPin);
    REQUIRE(executeSql(staff->handle(),
                       "CREATE TEMP TRIGGER audit_refuses BEFORE INSERT ON audit_log "
                       "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END") == SQLITE_OK);
    CHECK(staff->signIn(volunteer.staffId, "11112222", kStart).kind == SignInOutcome::Kind::Unavailable);
    CHECK(staff->signIn(volunteer.staffId, kPin, kStart).kind == SignInOutcome::Kind::Unavailable);
    CHECK(staff->account(volunteer.staffId)->failedAttempts == 0);
    CHECK(queryInt(staff->handle(), "SELECT last_attempt_at_ms IS NULL FROM staff_sign_in_state") == 1);
}

TEST_CASE("resetting a PIN unlocks the account and only the new PIN works", "[store][staff]") {
    StaffFixture fixture;
    fixture.staffOptions.lockout.lockAfter = 2;
    fixture.staffOptions.lockout.freeAttempts = 2;
    auto staff = fixture.open();
    const StaffAccount admin = addOrFail(*staff, "Hub Lead", StaffRole::Admin, kPassphrase);
    const StaffAccount volunteer = addOrFail(*staff, "Priya Shah", StaffRole::Volunteer, kPin);
    (void)staff->signIn(volunteer.staffId, "11112222", kStart);
    CHECK(staff->signIn(volunteer.staffId, "11112222", kStart).triesBeforeLock == 0);
    REQUIRE(staff->account(volunteer.staffId)->locked);

    auto refused = staff->resetSecret(volunteer.staffId, "a passphrase, not a PIN", admin.staffId, kStart);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::InvalidSecret);
    CHECK(staff->account(volunteer.staffId)->locked);

    REQUIRE(staff->resetSecret(volunteer.staffId, "58203947", admin.staffId, kStart + 1).ok());
    CHECK_FALSE(staff->account(volunteer.staffId)->locked);
    CHECK(staff->signIn(volunteer.staffId, kPin, kStart + 2).kind == SignInOutcome::Kind::WrongSecret);
    CHECK(staff->signIn(volunteer.staffId, "58203947", kStart + 3).kind == SignInOutcome::Kind::SignedIn);
    CHECK(queryText(staff->handle(), "SELECT detail FROM audit_log WHERE action = 'pin_reset'") ==
          "PIN reset for volunteer 'Priya Shah' (" + volunteer.staffId + "), which also unlocks it");

    auto missing = staff->resetSecret("stf-000000000000", "58203947", admin.staffId, kStart);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == ErrorCode::NotFound);
}

TEST_CASE("the only admin cannot be disabled, and accounts are never deleted", "[store][staff]") {
    StaffFixture fixture;
    auto staff = fixture.open();
    CHECK_FALSE(staff->hasAdmin());
    const StaffAccount admin = addOrFail(*staff, "Hub Lead", StaffRole::Admin, kPassphrase);
    CHECK(staff->hasAdmin());
    auto refused = staff->setDisabled(admin.staffId, true, admin.staffId, kStart);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::LastAdmin);
    CHECK_FALSE(staff->account(admin.staffId)->disabled);

    const StaffAccount second = addOrFail(*staff, "Deputy Lead", StaffRole::Admin, "another long passphrase");
    REQUIRE(staff->setDisabled(admin.staffId, true, second.staffId, kStart).ok());
    CHECK(staff->hasAdmin());

    // The schema holds the rules against a bug: no deletes, no promotions, no new ids.
    sqlite3* db = staff->handle();
    CHECK(executeSql(db, "DELETE FROM staff_accounts") == SQLITE_CONSTRAINT);
    CHECK(executeSql(db, "UPDATE staff_accounts SET role = 'admin' WHERE name = 'Deputy Lead'") == SQLITE_OK);
    CHECK(executeSql(db, "UPDATE staff_accounts SET role = 'volunteer' WHERE name = 'Deputy Lead'") ==
          SQLITE_CONSTRAINT);
    CHECK(executeSql(db, "UPDATE staff_accounts SET staff_id = 'stf-000000000000'") == SQLITE_CONSTRAINT);
    CHECK(executeSql(
              db,
              "INSERT INTO staff_accounts VALUES ('stf-00000000000z', 'X', 'volunteer', '$argon2id$x', 0, "
              "0, 0)") == SQLITE_CONSTRAINT);
    CHECK(
        executeSql(db,
                   "INSERT INTO staff_accounts VALUES ('stf-000000000001', 'X', 'volunteer', 'plain', 0, 0, "
                   "0)") == SQLITE_CONSTRAINT);
    CHECK(staff->accounts().size() == 2);
}

TEST_CASE("accounts are listed by name without their hashes, and sign-outs are audited", "[store][staff]") {
    StaffFixture fixture;
    auto staff = fixture.open();
    const StaffAccount zoe = addOrFail(*staff, "zoe", StaffRole::Volunteer, "58203947");
    addOrFail(*staff, "Adam", StaffRole::Volunteer, kPin);
    addOrFail(*staff, "Hub Lead", StaffRole::Admin, kPassphrase);
    const auto listed = staff->accounts();
    REQUIRE(listed.size() == 3);
    CHECK(listed[0].name == "Adam");
    CHECK(listed[1].name == "Hub Lead");
    CHECK(listed[2].name == "zoe");

    REQUIRE(staff->recordSignOut(zoe.staffId, "session ended", kStart).ok());
    CHECK(queryText(staff->handle(),
                    "SELECT actor || ' ' || detail FROM audit_log WHERE action = 'sign_out'") ==
          zoe.staffId + " session ended");
    CHECK_FALSE(staff->recordSignOut(zoe.staffId, "", kStart).ok());
    CHECK_FALSE(staff->recordSignOut("stf-000000000000", "signed out", kStart).ok());

    auto audit = AuditLog::open(fixture.store.options);
    REQUIRE(audit.ok());
    CHECK((*audit)->verify().ok);
    for (const auto& entry : (*audit)->newest(100)) {
        CHECK(entry.detail.find(kPin) == std::string::npos);
        CHECK(entry.detail.find(kPassphrase) == std::string::npos);
        CHECK(entry.detail.find("$argon2id$") == std::string::npos);
    }
}
