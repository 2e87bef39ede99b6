// formatUtc (clock.h).
#include "kiosk/clock.h"

#include <ctime>

namespace kiosk {

std::string formatUtc(std::int64_t millisSinceEpoch, const char* strftimeFormat) {
    std::int64_t seconds = millisSinceEpoch / 1000;
    if (millisSinceEpoch % 1000 < 0) --seconds;
    const std::time_t time = static_cast<std::time_t>(seconds);
    std::tm utc{};
    gmtime_r(&time, &utc);
    char text[64];
    const std::size_t length = std::strftime(text, sizeof text, strftimeFormat, &utc);
    std::string formatted(text, length);
    if (!formatted.empty() && formatted.front() == ' ') formatted.erase(0, 1);
    return formatted;
}

}  // namespace kiosk
