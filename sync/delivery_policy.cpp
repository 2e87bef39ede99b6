// DeliveryPolicy: the table in include/sync/delivery_policy.h, and Retry-After parsing.
#include "sync/delivery_policy.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <nlohmann/json.hpp>

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

std::string statusText(long status) { return "HTTP " + std::to_string(status); }

DeliveryDecision retry(std::string message, bool councilAnswered, bool affectsWholeQueue) {
    DeliveryDecision decision;
    decision.kind = Kind::Retry;
    decision.message = std::move(message);
    decision.councilAnswered = councilAnswered;
    decision.affectsWholeQueue = affectsWholeQueue;
    return decision;
}

}  // namespace

std::optional<int> parseRetryAfter(const std::string& value, std::int64_t nowSeconds) {
    const auto first = value.find_first_not_of(" \t");
    if (first == std::string::npos) return std::nullopt;
    const std::string text = value.substr(first, value.find_last_not_of(" \t") - first + 1);
    if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; })) {
        // Anything past a day is nonsense or hostile; the caller caps it further anyway.
        if (text.size() > 6) return 86400;
        return std::min(std::stoi(text), 86400);
    }
    const time_t when = curl_getdate(text.c_str(), nullptr);
    if (when == -1) return std::nullopt;
    const std::int64_t delta = static_cast<std::int64_t>(when) - nowSeconds;
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
            const bool keyMatches = key != body->end() && key->is_string() && key->get<std::string>() == idempotencyKey;
            const bool hasReference = reference != body->end() && reference->is_string() &&
                                      !reference->get<std::string>().empty();
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
        return retry("Unexpected redirect (" + statusText(status) + "): check council.apiBaseUrl and the network",
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
        if (status == 409) decision.message = statusText(status) + ": the council is still processing an earlier attempt";
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
