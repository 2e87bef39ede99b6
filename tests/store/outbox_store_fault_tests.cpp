// Faults while sealing: full disk, read-only database, failing writes and an encoder that
// refuses. Each must leave earlier submissions untouched and the file sound, and sealing must
// work again once the fault is gone.
#include <catch2/catch.hpp>
#include <map>

#include "fault_vfs.h"
#include "store_test_support.h"

using namespace kiosk::store;
using namespace kiosk::store::test;

namespace {

// Reference -> request body of every row, to prove a failed seal touched none of them.
std::map<std::string, std::string> snapshotBodies(OutboxStore& store) {
    std::map<std::string, std::string> bodies;
    for (const auto& item : store.dueForDelivery(kSealTimeMillis + 1'000'000, 1000)) {
        bodies[item.reference] = item.requestBody;
    }
    return bodies;
}

void sealSome(OutboxStore& store, int count) {
    for (int i = 0; i < count; ++i)
        REQUIRE(store.sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis + i).ok());
}

SubmissionToSeal largeSubmission() {
    // Bigger than several pages, so sealing it must grow the file.
    return sampleSubmission(std::string(64 * 1024, 'x'));
}

}  // namespace

TEST_CASE("a full disk fails the seal cleanly and sealing resumes when space returns", "[store][fault]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    sealSome(*store, 5);
    const auto before = snapshotBodies(*store);
    REQUIRE(before.size() == 5);
    sqlite3* db = store->handle();

    // SQLite cannot lower the limit below the current size, so this pins the file where it is.
    const std::int64_t pages = queryInt(db, "PRAGMA page_count");
    REQUIRE(queryInt(db, "PRAGMA max_page_count = " + std::to_string(pages)) == pages);

    auto failed = store->sealSubmission(largeSubmission(), testEncoder(), kSealTimeMillis + 100);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().code == kiosk::ErrorCode::DiskFull);
    CHECK(failed.error().message.find("xxxx") == std::string::npos);

    CHECK(store->counts().waiting == 5);
    CHECK(snapshotBodies(*store) == before);
    CHECK(queryInt(db, "SELECT next_value FROM reference_sequence") == 6);
    CHECK(integrityCheck(db) == "ok");
    CHECK(sqlite3_get_autocommit(db) == 1);  // no transaction left open

    // Delivery bookkeeping still works on a full disk when it needs no new pages.
    REQUIRE(store
                ->recordDelivered(store->dueForDelivery(kSealTimeMillis + 10, 1).front().rowId, "C-1",
                                  kSealTimeMillis + 200)
                .ok());

    REQUIRE(queryInt(db, "PRAGMA max_page_count = 1000000") == 1000000);
    auto sealed = store->sealSubmission(largeSubmission(), testEncoder(), kSealTimeMillis + 300);
    REQUIRE(sealed.ok());
    CHECK(before.count(sealed->reference) == 0);
    CHECK(store->counts().waiting == 5);
    CHECK(store->counts().delivered == 1);
    CHECK(integrityCheck(db) == "ok");
}

TEST_CASE("a read-only database fails the seal with read_only and changes nothing", "[store][fault]") {
    StoreFixture fixture;
    auto store = fixture.openStore();
    sealSome(*store, 3);
    const auto before = snapshotBodies(*store);
    sqlite3* db = store->handle();
    REQUIRE(executeSql(db, "PRAGMA query_only = 1") == SQLITE_OK);

    auto failed = store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis + 100);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().code == kiosk::ErrorCode::ReadOnly);
    const std::int64_t firstRow = store->dueForDelivery(kSealTimeMillis + 10, 1).front().rowId;
    auto delivered = store->recordDelivered(firstRow, "C-1", kSealTimeMillis + 100);
    REQUIRE_FALSE(delivered.ok());
    CHECK(delivered.error().code == kiosk::ErrorCode::ReadOnly);
    // Reading still works: the status screen and kioskctl can show the queue.
    CHECK(store->counts().waiting == 3);
    CHECK(snapshotBodies(*store) == before);

    REQUIRE(executeSql(db, "PRAGMA query_only = 0") == SQLITE_OK);
    REQUIRE(store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis + 200).ok());
    CHECK(store->counts().waiting == 4);
    CHECK(integrityCheck(db) == "ok");
}

TEST_CASE("failing writes give io_error and leave the earlier submissions intact", "[store][fault]") {
    StoreFixture fixture;
    std::map<std::string, std::string> before;
    {
        FaultVfsScope faults;
        auto store = fixture.openStore();
        sealSome(*store, 3);
        before = snapshotBodies(*store);

        SECTION("a write fails") {
            faults.switches().failWrites = true;
        }
        SECTION("the commit's sync fails") {
            faults.switches().failSyncs = true;
        }
        auto failed = store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis + 100);
        REQUIRE_FALSE(failed.ok());
        CHECK(failed.error().code == kiosk::ErrorCode::IoError);
        faults.switches() = FaultSwitches{};

        CHECK(store->counts().waiting == 3);
        CHECK(snapshotBodies(*store) == before);
        auto sealed = store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis + 200);
        REQUIRE(sealed.ok());
        CHECK(before.count(sealed->reference) == 0);
        CHECK(integrityCheck(store->handle()) == "ok");
    }
    // A fresh connection, as after a restart, sees the same committed rows.
    auto reopened = fixture.openStore();
    CHECK(reopened->counts().waiting == 4);
    auto after = snapshotBodies(*reopened);
    for (const auto& [reference, body] : before) CHECK(after.at(reference) == body);
    CHECK(integrityCheck(reopened->handle()) == "ok");
}

TEST_CASE("an encoder that refuses leaves nothing sealed", "[store][fault]") {
    // What a destination does when, say, the council key is unusable (tests/sync checks the
    // kiosk API adapter gives "no_council_key"): its error is the seal's, and the reference it
    // was offered is not used up.
    StoreFixture fixture;
    auto store = fixture.openStore();
    int calls = 0;
    const PayloadEncoder refusing = [&](const SealContext&) -> kiosk::Result<EncodedPayload> {
        ++calls;
        return kiosk::Error{kiosk::ErrorCode::NoCouncilKey, "The council public key is missing."};
    };
    auto failed = store->sealSubmission(sampleSubmission(), refusing, kSealTimeMillis);
    REQUIRE_FALSE(failed.ok());
    CHECK(calls == 1);
    CHECK(failed.error().code == kiosk::ErrorCode::NoCouncilKey);
    CHECK(queryInt(store->handle(), "SELECT count(*) FROM submissions") == 0);
    CHECK(queryInt(store->handle(), "SELECT next_value FROM reference_sequence") == 1);
    CHECK(integrityCheck(store->handle()) == "ok");

    auto missing = store->sealSubmission(sampleSubmission(), PayloadEncoder{}, kSealTimeMillis);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == kiosk::ErrorCode::InvalidSubmission);

    // The first reference is still free for the next seal.
    auto sealed = store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis);
    REQUIRE(sealed.ok());
    CHECK(queryInt(store->handle(), "SELECT reference_sequence FROM submissions") == 1);
}
