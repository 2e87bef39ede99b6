// Parsing and checking the shapes of answers (dates, numbers, emails, UK phone numbers),
// the UK calendar day, and catalogue lookups with English defaults.
#include "answer_rules.h"

#include <algorithm>
#include <cctype>
#include <limits>

namespace kiosk::answers {
namespace {

bool allDigits(const std::string& text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int daysInMonth(int year, int month) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : kDays[month - 1];
}

// The last Sunday of a month, as days since the epoch.
std::int64_t lastSunday(int year, int month) {
    const std::int64_t last = daysFromCivil(year, month, daysInMonth(year, month));
    // 1970-01-01 was a Thursday: (days + 4) % 7 gives 0 for Sunday.
    const std::int64_t weekday = ((last + 4) % 7 + 7) % 7;
    return last - weekday;
}

}  // namespace

// Howard Hinnant's civil-from-days algorithms: exact for every date, no time zone tables.
std::int64_t daysFromCivil(int year, int month, int day) {
    const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yearOfEra = y - era * 400;
    const std::int64_t dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const std::int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

CivilDate civilFromDays(std::int64_t days) {
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const std::int64_t dayOfEra = days - era * 146097;
    const std::int64_t yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const std::int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const std::int64_t monthIndex = (5 * dayOfYear + 2) / 153;
    CivilDate date;
    date.day = static_cast<int>(dayOfYear - (153 * monthIndex + 2) / 5 + 1);
    date.month = static_cast<int>(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
    date.year = static_cast<int>(yearOfEra + era * 400 + (date.month <= 2 ? 1 : 0));
    return date;
}

std::int64_t ukTodayDays(std::int64_t epochMillis) {
    constexpr std::int64_t kMillisPerDay = 86'400'000;
    constexpr std::int64_t kMillisPerHour = 3'600'000;
    const std::int64_t utcDays =
        epochMillis >= 0 ? epochMillis / kMillisPerDay : (epochMillis - kMillisPerDay + 1) / kMillisPerDay;
    const int year = civilFromDays(utcDays).year;
    const std::int64_t summerStarts = lastSunday(year, 3) * kMillisPerDay + kMillisPerHour;
    const std::int64_t summerEnds = lastSunday(year, 10) * kMillisPerDay + kMillisPerHour;
    const bool summerTime = epochMillis >= summerStarts && epochMillis < summerEnds;
    const std::int64_t local = epochMillis + (summerTime ? kMillisPerHour : 0);
    return local >= 0 ? local / kMillisPerDay : (local - kMillisPerDay + 1) / kMillisPerDay;
}

std::string trim(const std::string& text) {
    const auto isSpace = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    auto begin = std::find_if_not(text.begin(), text.end(), isSpace);
    auto end = std::find_if_not(text.rbegin(), text.rend(), isSpace).base();
    return begin < end ? std::string(begin, end) : std::string();
}

std::size_t characterCount(const std::string& utf8) {
    return static_cast<std::size_t>(std::count_if(
        utf8.begin(), utf8.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::optional<CivilDate> parseDate(const DateInput& input) {
    const std::string day = trim(input.day), month = trim(input.month), year = trim(input.year);
    if (!allDigits(day) || !allDigits(month) || !allDigits(year)) return std::nullopt;
    if (day.size() > 2 || month.size() > 2 || year.size() != 4) return std::nullopt;
    CivilDate date{std::stoi(year), std::stoi(month), std::stoi(day)};
    if (date.year < 1000 || date.month < 1 || date.month > 12) return std::nullopt;
    if (date.day < 1 || date.day > daysInMonth(date.year, date.month)) return std::nullopt;
    return date;
}

std::optional<std::int64_t> parseWholeNumber(const std::string& text) {
    std::string compact;
    for (char c : trim(text)) {
        if (c != ',' && c != ' ') compact += c;
    }
    bool negative = false;
    if (!compact.empty() && (compact[0] == '-' || compact[0] == '+')) {
        negative = compact[0] == '-';
        compact.erase(0, 1);
    }
    if (!allDigits(compact) || compact.size() > 18) return std::nullopt;  // 18 digits always fit in int64
    const std::int64_t value = std::stoll(compact);
    return negative ? -value : value;
}

bool isEmailShaped(const std::string& text) {
    const std::string email = trim(text);
    if (email.size() > 254 || email.find_first_of(" \t\r\n,;<>\"") != std::string::npos) return false;
    const auto at = email.find('@');
    if (at == std::string::npos || at == 0 || at > 64 || email.find('@', at + 1) != std::string::npos)
        return false;
    const std::string domain = email.substr(at + 1);
    const auto lastDot = domain.rfind('.');
    if (lastDot == std::string::npos || lastDot == 0 || domain.size() - lastDot - 1 < 2) return false;
    if (domain.find("..") != std::string::npos || domain.front() == '-' || domain.back() == '.') return false;
    return true;
}

bool isUkPhoneNumber(const std::string& text) {
    std::string digits;
    for (char c : trim(text)) {
        if (c == ' ' || c == '-' || c == '(' || c == ')') continue;
        digits += c;
    }
    if (digits.rfind("+44", 0) == 0 || digits.rfind("0044", 0) == 0) {
        digits.erase(0, digits[0] == '+' ? 3 : 4);
        if (!digits.empty() && digits[0] == '0') digits.erase(0, 1);  // "+44 (0)1632 ..."
        return allDigits(digits) && digits.size() >= 9 && digits.size() <= 10;
    }
    return allDigits(digits) && digits[0] == '0' && digits.size() >= 10 && digits.size() <= 11;
}

std::regex compilePattern(const std::string& pattern) {
    if (pattern.size() > kMaxPatternLength) throw std::regex_error(std::regex_constants::error_space);
    return std::regex(pattern, std::regex::ECMAScript | std::regex_constants::__polynomial);
}

std::string catalogueText(const ContentPack& pack, const std::string& key, const std::string& language,
                          const char* englishDefault) {
    if (auto found = pack.strings.find(key); found != pack.strings.end()) {
        const std::string& text = found->second.in(language);
        if (!text.empty()) return text;
    }
    return englishDefault;
}

bool isEmptyAnswer(const Question& question, const AnswerInput& input) {
    switch (question.type) {
        case QuestionType::SeveralChoices:
            return input.selected.empty();
        case QuestionType::Date:
            return trim(input.date.day).empty() && trim(input.date.month).empty() &&
                   trim(input.date.year).empty();
        case QuestionType::Address:
            return input.address.manual ? trim(input.address.line1).empty()
                                        : input.address.chosenUprn.empty();
        default:
            return trim(input.text).empty();
    }
}

}  // namespace kiosk::answers
