// Crashes: a kiosk process that dies after sealing, or in the middle of a seal's commit,
// must leave a sound database whose committed submissions are all there and whose
// references still never repeat. The child process does the sealing; the test reopens.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <set>

#include "fault_vfs.h"
#include "store_test_support.h"

using namespace kiosk::store;
using namespace kiosk::store::test;

namespace {

enum class CrashPoint { AfterCommits, InsideCommitSync };

// Child: seal `count` submissions, then die at `point` without closing anything.
// Returns the child's exit status (0 when it got as far as the crash).
int runCrashingChild(const StoreOptions& options, int count, CrashPoint point) {
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // No Catch assertions here: they would throw into a forked copy of the test runner.
        FaultVfsScope faults;
        auto opened = OutboxStore::open(options);
        if (!opened) _exit(10);
        for (int i = 0; i < count; ++i) {
            if (!(*opened)->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis + i)) _exit(11);
        }
        if (point == CrashPoint::InsideCommitSync) {
            faults.switches().exitOnSync = true;
            // The process exits inside the commit's sync; a seal that returns at all, succeeded or
            // not, means the commit never synced.
            static_cast<void>(
                (*opened)->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis + count));
            _exit(12);
        }
        _exit(0);
    }
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("seals committed before a crash are all there afterwards", "[store][crash]") {
    StoreFixture fixture;
    REQUIRE(runCrashingChild(fixture.options, 20, CrashPoint::AfterCommits) == 0);
    // The child never checkpointed or closed: its commits live only in the WAL.
    REQUIRE(std::filesystem::exists(fixture.options.databaseFile.string() + "-wal"));

    auto store = fixture.openStore();
    CHECK(integrityCheck(store->handle()) == "ok");
    CHECK(store->counts().waiting == 20);
    auto sealed = store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis + 100);
    REQUIRE(sealed.ok());
    CHECK(queryInt(store->handle(), "SELECT count(DISTINCT reference) FROM submissions") == 21);
}

TEST_CASE("a crash inside a seal's commit leaves a sound file and unique references", "[store][crash]") {
    StoreFixture fixture;
    REQUIRE(runCrashingChild(fixture.options, 5, CrashPoint::InsideCommitSync) == 0);

    auto store = fixture.openStore();
    sqlite3* db = store->handle();
    CHECK(integrityCheck(db) == "ok");
    // The interrupted seal either committed whole (its frames reached the OS before the
    // crash) or not at all; the counter always agrees with the rows.
    const auto rows = queryInt(db, "SELECT count(*) FROM submissions");
    CHECK((rows == 5 || rows == 6));
    CHECK(queryInt(db, "SELECT next_value FROM reference_sequence") == rows + 1);
    CHECK(queryInt(db,
                   "SELECT count(*) FROM submissions WHERE request_body IS NULL OR sealed_payload IS NULL") ==
          0);

    std::set<std::string> references;
    for (const auto& record : store->submissions(100)) references.insert(record.reference);
    for (int i = 0; i < 5; ++i) {
        auto sealed = store->sealSubmission(sampleSubmission(), testEncoder(), kSealTimeMillis + 200 + i);
        REQUIRE(sealed.ok());
        CHECK(references.insert(sealed->reference).second);
    }
}
