// formatUtc and parseUtcTimestamp (clock.h).
#include "kiosk/clock.h"

#include <charconv>
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

namespace {

// Reads exactly `digits` decimal digits at text[at]; advances `at`.
std::optional<int> readDigits(std::string_view text, std::size_t& at, std::size_t digits) {
    if (at + digits > text.size()) return std::nullopt;
    int value = 0;
    const char* first = text.data() + at;
    for (std::size_t i = 0; i < digits; ++i)
        if (first[i] < '0' || first[i] > '9') return std::nullopt;
    std::from_chars(first, first + digits, value);
    at += digits;
    return value;
}

bool expect(std::string_view text, std::size_t& at, char wanted) {
    if (at >= text.size() || text[at] != wanted) return false;
    ++at;
    return true;
}

}  // namespace

std::optional<std::int64_t> parseUtcTimestamp(std::string_view text) {
    using namespace std::chrono;
    std::size_t at = 0;
    const auto yearValue = readDigits(text, at, 4);
    if (!yearValue || !expect(text, at, '-')) return std::nullopt;
    const auto monthValue = readDigits(text, at, 2);
    if (!monthValue || !expect(text, at, '-')) return std::nullopt;
    const auto dayValue = readDigits(text, at, 2);
    if (!dayValue || at >= text.size() || (text[at] != 'T' && text[at] != 't' && text[at] != ' '))
        return std::nullopt;
    ++at;
    const auto hourValue = readDigits(text, at, 2);
    if (!hourValue || !expect(text, at, ':')) return std::nullopt;
    const auto minuteValue = readDigits(text, at, 2);
    if (!minuteValue || !expect(text, at, ':')) return std::nullopt;
    const auto secondValue = readDigits(text, at, 2);
    if (!secondValue) return std::nullopt;
    int millis = 0;
    if (at < text.size() && text[at] == '.') {
        ++at;
        std::size_t fractionDigits = 0;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
            if (fractionDigits < 3) millis = millis * 10 + (text[at] - '0');
            ++fractionDigits;
            ++at;
        }
        if (fractionDigits == 0) return std::nullopt;
        for (std::size_t i = fractionDigits; i < 3; ++i) millis *= 10;
    }
    int offsetMinutes = 0;
    if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
        ++at;
    } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
        const int sign = text[at] == '-' ? -1 : 1;
        ++at;
        const auto offsetHours = readDigits(text, at, 2);
        if (!offsetHours || !expect(text, at, ':')) return std::nullopt;
        const auto offsetMins = readDigits(text, at, 2);
        if (!offsetMins || *offsetHours > 23 || *offsetMins > 59) return std::nullopt;
        offsetMinutes = sign * (*offsetHours * 60 + *offsetMins);
    } else {
        return std::nullopt;  // a time without a zone names no instant
    }
    if (at != text.size()) return std::nullopt;
    const year_month_day date{year{*yearValue}, month{static_cast<unsigned>(*monthValue)},
                              day{static_cast<unsigned>(*dayValue)}};
    if (!date.ok() || *hourValue > 23 || *minuteValue > 59 || *secondValue > 60) return std::nullopt;
    const auto instant = sys_days{date} + hours{*hourValue} + minutes{*minuteValue - offsetMinutes} +
                         seconds{*secondValue} + milliseconds{millis};
    return duration_cast<milliseconds>(instant.time_since_epoch()).count();
}

}  // namespace kiosk
