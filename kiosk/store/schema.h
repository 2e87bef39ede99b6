// Database schema of the kiosk store and the ordered migrations that build it.
// Private to kiosk/store. PRAGMA user_version holds the number of migrations applied.
#pragma once

#include <sqlite3.h>

#include "kiosk/result.h"

namespace kiosk::store {

// Number of the newest migration; a fresh database ends at this user_version.
int latestMigrationVersion();

// Applies every migration newer than the file's user_version, each in its own IMMEDIATE
// transaction that also bumps user_version, so a crash leaves the file at a whole version.
// A file written by a newer build (user_version above ours) is refused, not touched.
Status applyMigrations(sqlite3* db);
// The same, stopping at `upToVersion`: lets tests build a database as an older kiosk left it.
Status applyMigrations(sqlite3* db, int upToVersion);

}  // namespace kiosk::store
