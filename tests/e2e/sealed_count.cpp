// Test helper for the end-to-end scripts: prints how many submissions in a kiosk database are
// in a given state (default "sealed"). Reads SQLite directly so the check does not depend on the
// code under test, nor on the sqlite3 command-line program being installed.
#include <sqlite3.h>

#include <cstdio>

int main(int argc, char** argv) {
    if (argc < 2 || argc > 3) {
        std::fprintf(stderr, "usage: e2e_sealed_count DATABASE [STATE]\n");
        return 2;
    }
    const char* state = argc == 3 ? argv[2] : "sealed";
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "cannot open %s: %s\n", argv[1], sqlite3_errmsg(db));
        sqlite3_close(db);
        return 2;
    }
    sqlite3_stmt* query = nullptr;
    int rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM submissions WHERE state = ?1", -1, &query, nullptr);
    if (rc == SQLITE_OK) rc = sqlite3_bind_text(query, 1, state, -1, SQLITE_STATIC);
    if (rc != SQLITE_OK || sqlite3_step(query) != SQLITE_ROW) {
        std::fprintf(stderr, "cannot count submissions: %s\n", sqlite3_errmsg(db));
        sqlite3_finalize(query);
        sqlite3_close(db);
        return 2;
    }
    std::printf("%d\n", sqlite3_column_int(query, 0));
    sqlite3_finalize(query);
    sqlite3_close(db);
    return 0;
}
