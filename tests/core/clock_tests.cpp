// parseUtcTimestamp: the RFC 3339 date-times councils' systems send (Open311's updated_datetime,
// the kiosk API's updatedAt), and what it refuses.
#include <catch2/catch.hpp>

#include "kiosk/clock.h"

using kiosk::parseUtcTimestamp;

TEST_CASE("RFC 3339 date-times become the instant they name", "[clock]") {
    CHECK(parseUtcTimestamp("1970-01-01T00:00:00Z") == 0);
    CHECK(parseUtcTimestamp("2026-11-25T00:15:05Z") == 1'795'565'705'000);
    // The same instant written with an offset, with a fraction, and in lower case.
    CHECK(parseUtcTimestamp("2026-11-25T01:15:05+01:00") == 1'795'565'705'000);
    CHECK(parseUtcTimestamp("2026-11-24T19:15:05-05:00") == 1'795'565'705'000);
    CHECK(parseUtcTimestamp("2026-11-25T00:15:05.250Z") == 1'795'565'705'250);
    CHECK(parseUtcTimestamp("2026-11-25T00:15:05.25Z") == 1'795'565'705'250);
    CHECK(parseUtcTimestamp("2026-11-25t00:15:05z") == 1'795'565'705'000);
    CHECK(parseUtcTimestamp("2024-02-29T12:00:00Z").has_value());  // a leap day
}

TEST_CASE("Anything that is not a whole RFC 3339 date-time is refused", "[clock]") {
    for (const char* text :
         {"", "2026-11-25", "2026-11-25T00:15:05", "2026-11-25T00:15Z", "2026-02-30T00:00:00Z",
          "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T00:60:00Z",
          "2026-11-25T00:15:05.Z", "2026-11-25T00:15:05+0100", "2026-11-25T00:15:05Z trailing",
          "26-11-25T00:15:05Z", "2026-11-25T00:15:05+25:00", "Wed, 25 Nov 2026 00:15:05 GMT"}) {
        INFO(text);
        CHECK_FALSE(parseUtcTimestamp(text).has_value());
    }
}
