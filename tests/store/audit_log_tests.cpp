// The audit log's hash chain: rows link to each other and to the head kept in kiosk_meta, the
// triggers refuse changes, and each kind of tampering an attacker with sqlite3 could do (edit,
// delete in the middle, delete the last row, renumber) is found and named.
#include <catch2/catch.hpp>
#include <string>

#include "store/audit_log.h"
#include "store_test_support.h"

using namespace kiosk;
using namespace kiosk::store;
using namespace kiosk::store::test;

namespace {

struct AuditFixture {
    StoreFixture store;

    std::unique_ptr<AuditLog> open() const {
        auto opened = AuditLog::open(store.options);
        INFO((opened ? std::string() : opened.error().message));
        REQUIRE(opened.ok());
        return std::move(opened.value());
    }

    // Five rows, then the triggers dropped as an attacker would before editing.
    std::unique_ptr<AuditLog> withFiveRowsAndNoTriggers() const {
        auto audit = open();
        for (int i = 1; i <= 5; ++i) {
            REQUIRE(audit
                        ->append("stf-0123456789ab", "sign_in",
                                 "signed in as volunteer, try " + std::to_string(i),
                                 kSealTimeMillis + i * 1000)
                        .ok());
        }
        REQUIRE(audit->verify().ok);
        REQUIRE(executeSql(audit->handle(), "DROP TRIGGER audit_log_no_update") == SQLITE_OK);
        REQUIRE(executeSql(audit->handle(), "DROP TRIGGER audit_log_no_delete") == SQLITE_OK);
        return audit;
    }
};

}  // namespace

TEST_CASE("audit rows chain to each other and to the head kept in kiosk_meta", "[store][audit]") {
    AuditFixture fixture;
    auto audit = fixture.open();
    const AuditVerification empty = audit->verify();
    CHECK(empty.ok);
    CHECK(empty.rowsChecked == 0);

    REQUIRE(audit->append("kioskctl:root", "staff_added", "added admin 'Hub Lead'", kSealTimeMillis).ok());
    REQUIRE(audit->append("stf-0123456789ab", "sign_in", "signed in as admin", kSealTimeMillis + 5).ok());
    REQUIRE(
        audit
            ->append("stf-0123456789ab", "settings_changed", "hub_name: '' -> 'Library'", kSealTimeMillis + 9)
            .ok());

    const auto entries = audit->newest(10);
    REQUIRE(entries.size() == 3);
    CHECK(entries[0].sequence == 3);
    CHECK(entries[0].action == "settings_changed");
    CHECK(entries[2].sequence == 1);
    CHECK(entries[2].previousHash == std::string(64, '0'));
    CHECK(entries[1].previousHash == entries[2].hash);
    CHECK(entries[0].previousHash == entries[1].hash);
    CHECK(entries[0].hash.size() == 64);
    CHECK(entries[0].hash.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(audit->newest(1).size() == 1);

    sqlite3* db = audit->handle();
    CHECK(queryText(db, "SELECT value FROM kiosk_meta WHERE key = 'audit_head_sequence'") == "3");
    CHECK(queryText(db, "SELECT value FROM kiosk_meta WHERE key = 'audit_head_hash'") == entries[0].hash);

    const AuditVerification verified = audit->verify();
    CHECK(verified.ok);
    CHECK(verified.rowsChecked == 3);
    CHECK(verified.firstBadSequence == 0);
    CHECK(verified.problem.empty());

    // Reopening continues the same chain.
    audit.reset();
    audit = fixture.open();
    REQUIRE(audit->append("stf-0123456789ab", "sign_out", "signed out", kSealTimeMillis + 20).ok());
    CHECK(audit->newest(1)[0].sequence == 4);
    CHECK(audit->newest(1)[0].previousHash == entries[0].hash);
    CHECK(audit->verify().rowsChecked == 4);
}

TEST_CASE("the audit log refuses updates, deletes and badly named actions", "[store][audit]") {
    AuditFixture fixture;
    auto audit = fixture.open();
    REQUIRE(audit->append("kioskctl:root", "staff_added", "added volunteer 'Sam'", kSealTimeMillis).ok());
    sqlite3* db = audit->handle();
    CHECK(executeSql(db, "UPDATE audit_log SET detail = 'nothing happened'") == SQLITE_CONSTRAINT);
    CHECK(executeSql(db, "DELETE FROM audit_log") == SQLITE_CONSTRAINT);
    CHECK(queryText(db, "SELECT detail FROM audit_log") == "added volunteer 'Sam'");

    auto badAction = audit->append("kioskctl:root", "Sign In", "x", kSealTimeMillis);
    REQUIRE_FALSE(badAction.ok());
    CHECK(badAction.error().code == ErrorCode::InvalidArgument);
    CHECK_FALSE(audit->append("", "sign_in", "x", kSealTimeMillis).ok());
    CHECK(queryInt(db, "SELECT COUNT(*) FROM audit_log") == 1);
    CHECK(audit->verify().ok);
}

TEST_CASE("an edited audit row is found and named", "[store][audit][tamper]") {
    AuditFixture fixture;
    auto audit = fixture.withFiveRowsAndNoTriggers();
    REQUIRE(executeSql(audit->handle(),
                       "UPDATE audit_log SET detail = 'nothing to see' WHERE sequence = 3") == SQLITE_OK);
    const AuditVerification result = audit->verify();
    CHECK_FALSE(result.ok);
    CHECK(result.firstBadSequence == 3);
    CHECK(result.problem == "Audit row 3 was edited: its contents no longer match its hash.");
}

TEST_CASE("a changed time or actor is an edit too", "[store][audit][tamper]") {
    AuditFixture fixture;
    auto audit = fixture.withFiveRowsAndNoTriggers();
    REQUIRE(executeSql(audit->handle(),
                       "UPDATE audit_log SET actor = 'stf-ffffffffffff' WHERE sequence = 5") == SQLITE_OK);
    CHECK(audit->verify().problem == "Audit row 5 was edited: its contents no longer match its hash.");
    REQUIRE(executeSql(audit->handle(), "UPDATE audit_log SET at_ms = at_ms + 1 WHERE sequence = 1") ==
            SQLITE_OK);
    CHECK(audit->verify().firstBadSequence == 1);
}

TEST_CASE("a row deleted from the middle is found and named", "[store][audit][tamper]") {
    AuditFixture fixture;
    auto audit = fixture.withFiveRowsAndNoTriggers();
    REQUIRE(executeSql(audit->handle(), "DELETE FROM audit_log WHERE sequence = 3") == SQLITE_OK);
    const AuditVerification result = audit->verify();
    CHECK_FALSE(result.ok);
    CHECK(result.firstBadSequence == 3);
    CHECK(result.problem == "Audit row 3 is missing: it was deleted (row 2 is followed by row 4).");

    REQUIRE(executeSql(audit->handle(), "DELETE FROM audit_log WHERE sequence IN (1, 2)") == SQLITE_OK);
    CHECK(audit->verify().problem == "Audit row 1 is missing: it was deleted (the log starts at row 4).");
}

TEST_CASE("the last row deleted is found, even after more rows are appended", "[store][audit][tamper]") {
    AuditFixture fixture;
    auto audit = fixture.withFiveRowsAndNoTriggers();
    REQUIRE(executeSql(audit->handle(), "DELETE FROM audit_log WHERE sequence = 5") == SQLITE_OK);
    AuditVerification result = audit->verify();
    CHECK_FALSE(result.ok);
    CHECK(result.rowsChecked == 4);
    CHECK(result.firstBadSequence == 5);
    CHECK(result.problem == "Audit row 5 is missing: row 5 was deleted from the end of the log.");

    REQUIRE(executeSql(audit->handle(), "DELETE FROM audit_log WHERE sequence = 4") == SQLITE_OK);
    CHECK(audit->verify().problem ==
          "Audit row 4 is missing: rows 4 to 5 were deleted from the end of the log.");

    // The kiosk carries on writing after the recorded head, so the gap stays visible.
    REQUIRE(audit->append("stf-0123456789ab", "sign_out", "signed out", kSealTimeMillis + 10'000).ok());
    result = audit->verify();
    CHECK_FALSE(result.ok);
    CHECK(result.firstBadSequence == 4);
    CHECK(result.problem == "Audit row 4 is missing: it was deleted (row 3 is followed by row 6).");
}

TEST_CASE("two rows swapped by renumbering are found and named", "[store][audit][tamper]") {
    AuditFixture fixture;
    auto audit = fixture.withFiveRowsAndNoTriggers();
    sqlite3* db = audit->handle();
    REQUIRE(executeSql(db, "UPDATE audit_log SET sequence = 100 WHERE sequence = 2") == SQLITE_OK);
    REQUIRE(executeSql(db, "UPDATE audit_log SET sequence = 2 WHERE sequence = 4") == SQLITE_OK);
    REQUIRE(executeSql(db, "UPDATE audit_log SET sequence = 4 WHERE sequence = 100") == SQLITE_OK);
    const AuditVerification result = audit->verify();
    CHECK_FALSE(result.ok);
    CHECK(result.firstBadSequence == 2);
    CHECK(result.problem ==
          "Audit row 2 is out of order: it was written as row 4 and renumbered (rows were reordered).");
}

TEST_CASE("a missing chain head or an extra row written by hand is reported", "[store][audit][tamper]") {
    AuditFixture fixture;
    auto audit = fixture.withFiveRowsAndNoTriggers();
    sqlite3* db = audit->handle();
    const std::string lastHash = queryText(db, "SELECT hash FROM audit_log WHERE sequence = 5");
    REQUIRE(executeSql(db, "INSERT INTO audit_log VALUES (6, 1, 'x', 'sign_in', 'forged', '" + lastHash +
                               "', '" + std::string(64, 'a') + "')") == SQLITE_OK);
    CHECK(audit->verify().problem == "Audit row 6 was edited: its contents no longer match its hash.");
    REQUIRE(executeSql(db, "DELETE FROM audit_log WHERE sequence = 6") == SQLITE_OK);
    REQUIRE(audit->verify().ok);

    REQUIRE(executeSql(db, "DELETE FROM kiosk_meta WHERE key LIKE 'audit_head_%'") == SQLITE_OK);
    const AuditVerification result = audit->verify();
    CHECK_FALSE(result.ok);
    CHECK(result.firstBadSequence == 5);
    CHECK(result.problem.find("record of the last audit row is missing") != std::string::npos);
}
