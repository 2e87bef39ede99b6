// Backoff: full-jitter bounds, the cap, and Retry-After.
#include <algorithm>
#include <catch2/catch.hpp>

#include "sync/backoff.h"

using kiosk::sync::Backoff;

TEST_CASE("Backoff ceilings double from the base and stop at the cap", "[sync][backoff]") {
    const Backoff backoff(5, 900, 1);
    CHECK(backoff.ceilingMillis(0) == 5'000);
    CHECK(backoff.ceilingMillis(1) == 10'000);
    CHECK(backoff.ceilingMillis(4) == 80'000);
    CHECK(backoff.ceilingMillis(8) == 900'000);
    CHECK(backoff.ceilingMillis(1'000'000) == 900'000);  // no overflow for absurd counts
}

TEST_CASE("Jittered delays stay within [0, min(cap, base * 2^attempt)] and spread out", "[sync][backoff]") {
    Backoff backoff(5, 900, 42);
    for (int attempt = 0; attempt < 12; ++attempt) {
        const std::int64_t ceiling = std::min<std::int64_t>(900'000, 5'000LL << attempt);
        std::int64_t smallest = ceiling;
        std::int64_t largest = 0;
        for (int draw = 0; draw < 2'000; ++draw) {
            const std::int64_t delay = backoff.delayMillis(attempt);
            REQUIRE(delay >= 0);
            REQUIRE(delay <= ceiling);
            smallest = std::min(smallest, delay);
            largest = std::max(largest, delay);
        }
        INFO("attempt " << attempt);
        // Full jitter uses the whole range, not just the top of it.
        CHECK(smallest < ceiling / 10);
        CHECK(largest > ceiling * 9 / 10);
    }
}

TEST_CASE("Retry-After is a floor, capped at one hour", "[sync][backoff]") {
    Backoff backoff(5, 900, 7);
    for (int draw = 0; draw < 1'000; ++draw) {
        const std::int64_t delay = backoff.delayMillis(0, 120);
        REQUIRE(delay == 120'000);  // the jitter window (5 s) is below what the server asked
        const std::int64_t later = backoff.delayMillis(10, 1);
        REQUIRE(later >= 1'000);
        REQUIRE(later <= 900'000);
        REQUIRE(backoff.delayMillis(0, 86'400) == Backoff::kRetryAfterCeilingSeconds * 1000);
    }
}

TEST_CASE("The same seed gives the same delays, another seed others", "[sync][backoff]") {
    Backoff first(5, 900, 99);
    Backoff second(5, 900, 99);
    Backoff other(5, 900, 100);
    int differences = 0;
    for (int attempt = 0; attempt < 20; ++attempt) {
        const std::int64_t delay = first.delayMillis(attempt);
        CHECK(delay == second.delayMillis(attempt));
        if (delay != other.delayMillis(attempt)) ++differences;
    }
    // Without this a Backoff that ignored its seed (or always drew 0) would pass the check above.
    CHECK(differences >= 15);
}
