// Internal to kiosk_core: the rules an answer follows, shared by validation (validation.cpp),
// the session (form_session.cpp) and answer output (answer_output.cpp): parsing numbers,
// dates and phone numbers, UK "today", catalogue lookups with built-in English defaults.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>

#include "kiosk/form_session.h"

namespace kiosk::answers {

struct CivilDate {
    int year = 0;
    int month = 0;  // 1-12
    int day = 0;    // 1-31
};

// Days since 1970-01-01 in the proleptic Gregorian calendar, and back.
std::int64_t daysFromCivil(int year, int month, int day);
CivilDate civilFromDays(std::int64_t days);

// The date in the UK (GMT, or BST from the last Sunday of March to the last Sunday of October,
// changing at 01:00 UTC) at a Unix time. Computed here rather than from the machine's time
// zone, which a kiosk image may leave at UTC, so "today" is the resident's today.
std::int64_t ukTodayDays(std::int64_t epochMillis);

std::string trim(const std::string& text);
std::size_t characterCount(const std::string& utf8);

// nullopt unless the three boxes hold a real calendar date with a four-digit year.
std::optional<CivilDate> parseDate(const DateInput& input);
// Accepts "1,200", " 42 ", "-3"; nullopt for anything else or a number that does not fit.
std::optional<std::int64_t> parseWholeNumber(const std::string& text);
bool isEmailShaped(const std::string& text);
bool isUkPhoneNumber(const std::string& text);

// A pack's "pattern", compiled the one way the loader and validation both use. libstdc++'s
// default matcher backtracks: a pattern such as "(a|aa)*b" takes exponential time on an answer
// of a few dozen characters, freezing the kiosk, and it recurses once per character. The
// breadth-first matcher (__polynomial, a libstdc++ extension) takes time in proportion to the
// pattern's size times the answer's length and recurses only as deep as the pattern; it cannot
// do back-references, so a pattern with one throws regex_error (error_complexity).
// The compiler itself recurses once per term, so patterns longer than this are refused unread.
inline constexpr std::size_t kMaxPatternLength = 500;
std::regex compilePattern(const std::string& pattern);  // throws std::regex_error

// A catalogue string in the language, else English, else the built-in English default
// (a kiosk with an incomplete strings.json still says something sensible).
std::string catalogueText(const ContentPack& pack, const std::string& key, const std::string& language,
                          const char* englishDefault);

// True when the resident gave nothing for the question (an optional question skipped).
bool isEmptyAnswer(const Question& question, const AnswerInput& input);

// The answer as shown on check answers ("3 March 2026", choice labels, address lines).
std::string formatAnswer(const ContentPack& pack, const Question& question, const AnswerInput& input,
                         const std::string& language);
// The answer as a typed JSON value for the sealed submission; null when skipped.
nlohmann::json answerValue(const ContentPack& pack, const Question& question, const AnswerInput& input);

}  // namespace kiosk::answers
