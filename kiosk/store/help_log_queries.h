// Help-session queries shared by HelpLog and UsageStats, which each own a connection.
// Private to kiosk/store.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kiosk::store {

// Help sessions recorded at or after sinceMillis, per topic, most first (ties by topic).
std::vector<std::pair<std::string, int>> helpSessionsByTopic(sqlite3* db, std::int64_t sinceMillis);

}  // namespace kiosk::store
