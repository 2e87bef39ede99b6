// DeliveryPolicy: the table in include/sync/delivery_policy.h, and Retry-After parsing.
#include "sync/delivery_policy.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <climits>
#include <nlohmann/json.hpp>
#include <string_view>

namespace kiosk::sync {
namespace {

using Kind = DeliveryDecision::Kind;

constexpr std::size_t kMaxCouncilMessageLength = 300;

std::string lowerCase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string header(const HttpResponse& response, const std::string& lowerName) {
    const auto found = response.headers.find(lowerName);
    return found == response.headers.end() ? std::string() : found->second;
}

bool isJsonContentType(const std::string& contentType) {
    std::string mediaType = lowerCase(contentType.substr(0, contentType.find(';')));
    mediaType.erase(std::remove_if(mediaType.begin(), mediaType.end(),
                                   [](unsigned char c) { return std::isspace(c) != 0; }),
                    mediaType.end());
    return mediaType == "application/json" ||
           (mediaType.size() > 5 && mediaType.compare(mediaType.size() - 5, 5, "+json") == 0);
}

std::optional<nlohmann::json> parseJsonBody(const HttpResponse& response) {
    if (!isJsonContentType(header(response, "content-type"))) return std::nullopt;
    auto parsed = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) return std::nullopt;
    return parsed;
}

// The council's own words from an error body: {"error": "..."}, {"message": "..."} or
// {"error": {"message": "..."}} (the shapes councils' API gateways commonly use).
std::string councilMessage(const std::optional<nlohmann::json>& body) {
    if (!body || !body->is_object()) return "";
    std::string message;
    for (const char* key : {"error", "message", "detail", "title"}) {
        const auto found = body->find(key);
        if (found == body->end()) continue;
        if (found->is_string()) {
            message = found->get<std::string>();
        } else if (found->is_object() && found->contains("message") && (*found)["message"].is_string()) {
            message = (*found)["message"].get<std::string>();
        }
        if (!message.empty()) break;
    }
    if (message.size() > kMaxCouncilMessageLength) message.resize(kMaxCouncilMessageLength);
    return message;
}

std::string statusText(long status) {
    return "HTTP " + std::to_string(status);
}

DeliveryDecision retry(std::string message, bool councilAnswered, bool affectsWholeQueue) {
    DeliveryDecision decision;
    decision.kind = Kind::Retry;
    decision.message = std::move(message);
    decision.councilAnswered = councilAnswered;
    decision.affectsWholeQueue = affectsWholeQueue;
    return decision;
}

// --- HTTP-date (RFC 9110 section 5.6.7) -------------------------------------------------------

constexpr std::array<std::string_view, 7> kShortDayNames = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDayNames = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                           "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Reads exactly `count` digits at `at`, moving past them.
std::optional<int> digits(std::string_view text, std::size_t& at, std::size_t count) {
    if (at + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[at + i];
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    at += count;
    return value;
}

bool literal(std::string_view text, std::size_t& at, std::string_view expected) {
    if (text.substr(at, expected.size()) != expected) return false;
    at += expected.size();
    return true;
}

template <std::size_t N>
bool oneOf(std::string_view text, std::size_t& at, const std::array<std::string_view, N>& names,
           int* index = nullptr) {
    for (std::size_t i = 0; i < N; ++i) {
        if (text.substr(at, names[i].size()) == names[i]) {
            at += names[i].size();
            if (index != nullptr) *index = static_cast<int>(i);
            return true;
        }
    }
    return false;
}

// "08:49:37" -> seconds since midnight.
std::optional<int> timeOfDay(std::string_view text, std::size_t& at) {
    const auto hour = digits(text, at, 2);
    if (!hour || !literal(text, at, ":")) return std::nullopt;
    const auto minute = digits(text, at, 2);
    if (!minute || !literal(text, at, ":")) return std::nullopt;
    const auto second = digits(text, at, 2);
    // 60 is a leap second, which the grammar allows.
    if (!second || *hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
    return *hour * 3600 + *minute * 60 + *second;
}

bool isLeapYear(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

// Days from 1970-01-01 to the given civil date (proleptic Gregorian; Howard Hinnant's algorithm).
std::int64_t daysFromCivil(int year, int month, int day) {
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const std::int64_t yearOfEra = year - era * 400;
    const std::int64_t dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const std::int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

std::optional<std::int64_t> toUnixSeconds(int year, int monthIndex, int day, int secondsOfDay) {
    static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const int lastDay = kDaysInMonth[monthIndex] + (monthIndex == 1 && isLeapYear(year) ? 1 : 0);
    if (day < 1 || day > lastDay) return std::nullopt;
    return daysFromCivil(year, monthIndex + 1, day) * 86400 + secondsOfDay;
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::optional<std::int64_t> parseImfFixdate(std::string_view text) {
    std::size_t at = 0;
    int month = 0;
    if (!oneOf(text, at, kShortDayNames) || !literal(text, at, ", ")) return std::nullopt;
    const auto day = digits(text, at, 2);
    if (!day || !literal(text, at, " ") || !oneOf(text, at, kMonthNames, &month) || !literal(text, at, " "))
        return std::nullopt;
    const auto year = digits(text, at, 4);
    if (!year || !literal(text, at, " ")) return std::nullopt;
    const auto time = timeOfDay(text, at);
    if (!time || !literal(text, at, " GMT") || at != text.size()) return std::nullopt;
    return toUnixSeconds(*year, month, *day, *time);
}

// Obsolete RFC 850 form: "Sunday, 06-Nov-94 08:49:37 GMT". A two-digit year more than 50 years
// ahead of now means the most recent past year ending in those digits (RFC 9110).
std::optional<std::int64_t> parseRfc850Date(std::string_view text, std::int64_t nowSeconds) {
    std::size_t at = 0;
    int month = 0;
    if (!oneOf(text, at, kLongDayNames) || !literal(text, at, ", ")) return std::nullopt;
    const auto day = digits(text, at, 2);
    if (!day || !literal(text, at, "-") || !oneOf(text, at, kMonthNames, &month) || !literal(text, at, "-"))
        return std::nullopt;
    const auto twoDigitYear = digits(text, at, 2);
    if (!twoDigitYear || !literal(text, at, " ")) return std::nullopt;
    const auto time = timeOfDay(text, at);
    if (!time || !literal(text, at, " GMT") || at != text.size()) return std::nullopt;
    const int currentYear = static_cast<int>(1970 + nowSeconds / 31'556'952);  // mean Gregorian year
    int year = (currentYear / 100) * 100 + *twoDigitYear;
    if (year > currentYear + 50) year -= 100;
    return toUnixSeconds(year, month, *day, *time);
}

// Obsolete asctime form: "Sun Nov  6 08:49:37 1994" (a one-digit day is padded with a space).
std::optional<std::int64_t> parseAsctimeDate(std::string_view text) {
    std::size_t at = 0;
    int month = 0;
    if (!oneOf(text, at, kShortDayNames) || !literal(text, at, " ") ||
        !oneOf(text, at, kMonthNames, &month) || !literal(text, at, " "))
        return std::nullopt;
    std::optional<int> day;
    if (literal(text, at, " ")) {
        day = digits(text, at, 1);
    } else {
        day = digits(text, at, 2);
    }
    if (!day || !literal(text, at, " ")) return std::nullopt;
    const auto time = timeOfDay(text, at);
    if (!time || !literal(text, at, " ")) return std::nullopt;
    const auto year = digits(text, at, 4);
    if (!year || at != text.size()) return std::nullopt;
    return toUnixSeconds(*year, month, *day, *time);
}

}  // namespace

std::optional<std::int64_t> parseHttpDate(std::string_view text, std::int64_t nowSeconds) {
    if (auto fixdate = parseImfFixdate(text)) return fixdate;
    if (auto rfc850 = parseRfc850Date(text, nowSeconds)) return rfc850;
    return parseAsctimeDate(text);
}

std::optional<int> parseRetryAfter(const std::string& value, std::int64_t nowSeconds) {
    const auto first = value.find_first_not_of(" \t");
    if (first == std::string::npos) return std::nullopt;
    const std::string text = value.substr(first, value.find_last_not_of(" \t") - first + 1);
    if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
        // Anything past a day is nonsense or hostile; the caller caps it further anyway.
        if (text.size() > 6) return 86400;
        return std::min(std::stoi(text), 86400);
    }
    const auto when = parseHttpDate(text, nowSeconds);
    if (!when) return std::nullopt;
    const std::int64_t delta = *when - nowSeconds;
    return static_cast<int>(std::clamp<std::int64_t>(delta, 0, 86400));
}

DeliveryDecision DeliveryPolicy::classify(const HttpResponse& response, const std::string& idempotencyKey,
                                          std::int64_t nowSeconds) {
    if (!response.transportOk) {
        return retry("No answer from the council: " + response.transportError, false, true);
    }

    const long status = response.status;
    const auto body = parseJsonBody(response);
    const bool councilAnswered = body.has_value();

    if (status == 200 || status == 201) {
        if (body && body->is_object()) {
            const auto key = body->find("idempotencyKey");
            const auto reference = body->find("councilReference");
            const bool keyMatches =
                key != body->end() && key->is_string() && key->get<std::string>() == idempotencyKey;
            const bool hasReference =
                reference != body->end() && reference->is_string() && !reference->get<std::string>().empty();
            if (keyMatches && hasReference) {
                DeliveryDecision decision;
                decision.kind = Kind::Delivered;
                decision.councilReference = reference->get<std::string>();
                decision.message = statusText(status);
                decision.councilAnswered = true;
                return decision;
            }
            return retry("Unexpected answer (" + statusText(status) +
                             "): the acknowledgement does not name this submission",
                         true, false);
        }
    }
    if (status >= 200 && status < 300) {
        // A captive portal's login page, or a body cut short by a middlebox.
        return retry("Unexpected answer (" + statusText(status) +
                         " without a JSON acknowledgement): a captive portal or proxy may be in the way",
                     councilAnswered, !councilAnswered);
    }
    if (status >= 300 && status < 400) {
        return retry(
            "Unexpected redirect (" + statusText(status) + "): check council.apiBaseUrl and the network",
            false, true);
    }

    auto decision = retry(statusText(status), councilAnswered, false);
    const std::string retryAfter = header(response, "retry-after");
    if (!retryAfter.empty()) decision.retryAfterSeconds = parseRetryAfter(retryAfter, nowSeconds);

    if (status == 401 || status == 403) {
        decision.message = "The council refused this kiosk's credentials (" + statusText(status) +
                           "): check council.deviceToken and council.webhookSecret in the kiosk config";
        decision.affectsWholeQueue = true;
        return decision;
    }
    if (status == 408 || status == 409 || status == 425 || status == 500) {
        if (status == 409)
            decision.message = statusText(status) + ": the council is still processing an earlier attempt";
        return decision;
    }
    if (status == 429 || (status >= 502 && status < 600)) {
        // "Slow down" or a gateway in front of the council: the same for every submission.
        decision.affectsWholeQueue = true;
        return decision;
    }
    if (status == 501) return decision;

    if (status >= 400 && status < 500) {
        DeliveryDecision held;
        held.kind = Kind::HoldBack;
        held.councilAnswered = councilAnswered;
        held.message = councilMessage(body);
        if (held.message.empty()) held.message = statusText(status);
        return held;
    }
    // 1xx as a final answer or a status outside 100-599: nothing we can trust.
    return retry("Unexpected answer (" + statusText(status) + ")", false, true);
}

}  // namespace kiosk::sync
