// Clock seam: everything that needs the time asks a Clock, so tests and the headless
// runner can use a virtual clock and make a 2-minute timeout pass instantly.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk {

class Clock {
public:
    virtual ~Clock() = default;
    // Wall-clock time in milliseconds since the Unix epoch.
    virtual std::int64_t nowMillis() const = 0;
    std::int64_t nowSeconds() const { return nowMillis() / 1000; }
};

class SystemClock final : public Clock {
public:
    std::int64_t nowMillis() const override {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }
};

// Starts at a fixed instant and only moves when told to.
class VirtualClock final : public Clock {
public:
    explicit VirtualClock(std::int64_t startMillis = 1'767'225'600'000) : now_(startMillis) {}
    std::int64_t nowMillis() const override { return now_; }
    void advanceMillis(std::int64_t delta) { now_ += delta; }
    void setMillis(std::int64_t value) { now_ = value; }

private:
    std::int64_t now_;
};

// A time as UTC text through strftime: "%Y-%m-%dT%H:%M:%SZ" (RFC 3339, the wire format),
// "%Y-%m-%d" (a day), "%e %b %Y %H:%M" (for people; a leading space is dropped). Seconds are
// floored, so a time before 1970 still gives a valid calendar time.
std::string formatUtc(std::int64_t millisSinceEpoch, const char* strftimeFormat);
// An RFC 3339 / W3C date-time ("2026-11-25T10:15:00Z", "2026-11-25T10:15:00.250+01:00") as
// milliseconds since the epoch; nullopt for anything else, including impossible dates.
std::optional<std::int64_t> parseUtcTimestamp(std::string_view text);

}  // namespace kiosk
