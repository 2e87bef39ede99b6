// Backoff: full-jitter exponential delays (see include/sync/backoff.h).
#include "sync/backoff.h"

#include <sodium.h>

#include <algorithm>

namespace kiosk::sync {
namespace {

std::uint64_t randomSeed() {
    if (sodium_init() < 0) return std::random_device{}();
    std::uint64_t seed = 0;
    randombytes_buf(&seed, sizeof seed);
    return seed;
}

}  // namespace

Backoff::Backoff(int baseSeconds, int capSeconds) : Backoff(baseSeconds, capSeconds, randomSeed()) {}

Backoff::Backoff(int baseSeconds, int capSeconds, std::uint64_t seed)
    : baseMillis_(std::max<std::int64_t>(baseSeconds, 1) * 1000),
      capMillis_(std::max<std::int64_t>(capSeconds, 1) * 1000),
      random_(seed) {}

std::int64_t Backoff::ceilingMillis(int attempt) const {
    std::int64_t ceiling = baseMillis_;
    // Doubling stops at the cap, so large attempt counts cannot overflow.
    for (int i = 0; i < attempt && ceiling < capMillis_; ++i) ceiling *= 2;
    return std::min(ceiling, capMillis_);
}

std::int64_t Backoff::delayMillis(int attempt, std::optional<int> retryAfterSeconds) {
    std::uniform_int_distribution<std::int64_t> uniform(0, ceilingMillis(std::max(attempt, 0)));
    std::int64_t delay = uniform(random_);
    if (retryAfterSeconds) {
        const std::int64_t asked = std::clamp<std::int64_t>(*retryAfterSeconds, 0, kRetryAfterCeilingSeconds);
        delay = std::min(std::max(delay, asked * 1000), kRetryAfterCeilingSeconds * 1000);
    }
    return delay;
}

}  // namespace kiosk::sync
