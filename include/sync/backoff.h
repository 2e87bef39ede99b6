// Backoff: when to try a failed delivery again. Exponential backoff with "full jitter"
// (a uniformly random delay up to the exponential ceiling), so a fleet of kiosks that lost the
// network together does not come back in lock-step and flatten the council's server.
#pragma once

#include <cstdint>
#include <optional>
#include <random>

namespace kiosk::sync {

class Backoff {
public:
    // A Retry-After longer than this is not obeyed: a misconfigured server must not park the
    // queue for a day.
    static constexpr std::int64_t kRetryAfterCeilingSeconds = 3600;

    // Seeded from libsodium's randombytes, so kiosks booted at the same instant still differ.
    Backoff(int baseSeconds, int capSeconds);
    // Fixed seed for tests.
    Backoff(int baseSeconds, int capSeconds, std::uint64_t seed);

    // min(cap, base * 2^attempt) in milliseconds; attempt 0 is the first failure.
    std::int64_t ceilingMillis(int attempt) const;

    // random_uniform(0, ceilingMillis(attempt)); with Retry-After, at least that long, but never
    // above kRetryAfterCeilingSeconds.
    std::int64_t delayMillis(int attempt, std::optional<int> retryAfterSeconds = std::nullopt);

private:
    std::int64_t baseMillis_;
    std::int64_t capMillis_;
    std::mt19937_64 random_;
};

}  // namespace kiosk::sync
