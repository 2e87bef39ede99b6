// WebhookDestination: the Standard Webhooks event made at seal time, the POST each attempt signs
// afresh with every active secret, and what the receiver's answer means.
#include "sync/webhook_destination.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "kiosk/base64.h"
#include "sync/kiosk_api_destination.h"
#include "sync/webhook_signature.h"

namespace kiosk::sync {
namespace {

using nlohmann::json;
using Kind = DeliveryDecision::Kind;

constexpr std::size_t kMaxReferenceLength = 100;

Error notConfigured(std::string message) {
    return Error{ErrorCode::DestinationNotConfigured, std::move(message)};
}

std::vector<std::string> splitOnSpaces(const std::string& text) {
    std::istringstream words(text);
    std::vector<std::string> parts;
    std::string word;
    while (words >> word) parts.push_back(word);
    return parts;
}

// The pack's "destinationSettings" text -> its "webhook" object ({} when absent or unreadable).
json webhookSettingsOf(const std::string& destinationSettings) {
    const json all =
        json::parse(destinationSettings.empty() ? std::string("{}") : destinationSettings, nullptr, false);
    if (all.is_discarded() || !all.is_object()) return json::object();
    const auto webhook = all.find("webhook");
    return webhook != all.end() && webhook->is_object() ? *webhook : json::object();
}

std::string textOf(const json& object, const char* key) {
    const auto found = object.find(key);
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

struct StoredRequest {
    std::string url;    // "" : the configuration's
    std::string event;  // the exact body
};

std::optional<StoredRequest> readStoredRequest(const std::string& requestBody) {
    const json stored = json::parse(requestBody, nullptr, false);
    if (!stored.is_object()) return std::nullopt;
    StoredRequest request{textOf(stored, "url"), textOf(stored, "event")};
    if (request.event.empty()) return std::nullopt;
    return request;
}

// A receiver's own id for the form, from {"reference": ...} or {"id": ...}; printable ASCII only
// and short, because admins see it and a receiver's body is not trusted.
std::string receiverReference(const HttpResponse& response) {
    const json body = json::parse(response.body, nullptr, false);
    if (!body.is_object()) return "";
    for (const char* key : {"reference", "id"}) {
        const auto found = body.find(key);
        if (found == body.end()) continue;
        std::string text;
        if (found->is_string()) {
            text = found->get<std::string>();
        } else if (found->is_number_integer()) {
            text = found->dump();
        }
        std::string clean;
        for (const char c : text) {
            if (static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f) clean += c;
        }
        if (clean.size() > kMaxReferenceLength) clean.resize(kMaxReferenceLength);
        if (!clean.empty()) return clean;
    }
    return "";
}

}  // namespace

WebhookDestination::WebhookDestination(WebhookSettings settings) : settings_(std::move(settings)) {
    const auto secrets = splitOnSpaces(settings_.secrets);
    everySecretUsable_ = !secrets.empty();
    for (const auto& secret : secrets) {
        auto key = decodeWebhookSecret(secret);
        if (key) {
            signingKeys_.push_back(std::move(*key));
        } else {
            everySecretUsable_ = false;
        }
    }
}

Result<store::EncodedPayload> WebhookDestination::encode(const store::SealContext& context) const {
    const store::SubmissionToSeal& submission = context.submission;
    const bool readable = settings_.payload == "readable";
    if (!readable && !settings_.payload.empty() && settings_.payload != "sealed-to-council") {
        return notConfigured(
            settings_.configSection +
            ".payload in the kiosk configuration must be \"sealed-to-council\" or \"readable\".");
    }
    const json packSettings = webhookSettingsOf(submission.destinationSettings);
    std::string eventType = textOf(packSettings, "event");
    if (eventType.empty()) eventType = kDefaultEvent;
    const std::string createdAt = formatUtcTimestamp(context.createdAtMillis);

    json data = {
        {"submissionId", context.submissionId},
        {"reference", context.reference},
        {"kioskId", context.kioskId},
        {"service", submission.serviceId},
        {"form", submission.formId},
        {"formVersion", submission.formVersion},
        {"language", submission.language},
        {"createdAt", createdAt},
        {"assisted", submission.assisted},
    };
    if (!submission.volunteerId.empty()) data["volunteerId"] = submission.volunteerId;

    store::EncodedPayload encoded;
    if (readable) {
        const json answers = json::parse(submission.answersJson, nullptr, false);
        const auto list = answers.is_object() ? answers.find("answers") : answers.end();
        if (answers.is_discarded() || !answers.is_object() || list == answers.end() || !list->is_array()) {
            return Error{ErrorCode::InvalidSubmission,
                         "The answers to seal are not the JSON object the kiosk writes."};
        }
        data["answers"] = *list;
        encoded.sealedPayload = submission.answersJson;
        encoded.protection = store::PayloadProtection::DeviceKey;
    } else {
        auto sealed =
            sealToCouncilKey(submission.answersJson, settings_.publicKeyBase64, settings_.configSection);
        if (!sealed) return sealed.error();
        data["sealedAnswers"] = encodeBase64(sealed.value());
        encoded.sealedPayload = std::move(sealed.value());
        encoded.protection = store::PayloadProtection::SealedToCouncil;
    }
    try {
        const json event = {{"type", eventType}, {"timestamp", createdAt}, {"data", std::move(data)}};
        encoded.requestBody = json{{"url", textOf(packSettings, "url")}, {"event", event.dump()}}.dump();
    } catch (const json::exception&) {
        return Error{
            ErrorCode::InvalidSubmission,
            "A submission field is not valid UTF-8 text; check the content pack's service settings."};
    }
    return encoded;
}

Status WebhookDestination::readyToSend() const {
    if (settings_.url.empty()) {
        return notConfigured(settings_.configSection + ".url is not set in the kiosk config");
    }
    if (!everySecretUsable_) {
        return notConfigured(settings_.configSection +
                             ".secrets in the kiosk config must be one or more whsec_<base64> secrets, "
                             "separated by spaces");
    }
    return Done{};
}

HttpRequest WebhookDestination::buildRequest(const store::OutboxItem& item, std::int64_t nowMillis) const {
    HttpRequest request;
    request.method = "POST";
    const auto stored = readStoredRequest(item.requestBody);
    if (!stored) return request;  // classify holds it back; an empty URL reaches no server
    const std::int64_t nowSeconds = nowMillis / 1000;
    std::string signatures;
    for (const auto& key : signingKeys_) {
        if (!signatures.empty()) signatures += ' ';
        signatures += signWebhook(key, item.submissionId, nowSeconds, stored->event);
    }
    request.url = stored->url.empty() ? settings_.url : stored->url;
    request.body = stored->event;
    request.headers = {
        {"Content-Type", "application/json"},
        {"Accept", "application/json"},
        {"Idempotency-Key", item.submissionId},
        // The same id on every attempt lets the receiver drop a replay; the timestamp and
        // signatures are this attempt's, so a receiver's five-minute window never rejects a retry.
        {"webhook-id", item.submissionId},
        {"webhook-timestamp", std::to_string(nowSeconds)},
        {"webhook-signature", signatures},
    };
    if (!settings_.bearerToken.empty()) {
        request.headers.emplace_back("Authorization", "Bearer " + settings_.bearerToken);
    }
    return request;
}

DeliveryDecision WebhookDestination::classify(const HttpResponse& response, const store::OutboxItem& item,
                                              std::int64_t nowMillis) const {
    if (!readStoredRequest(item.requestBody)) {
        DeliveryDecision held;
        held.kind = Kind::HoldBack;
        held.message = "The stored webhook request for this form cannot be read; export it for the council";
        return held;
    }
    if (response.transportOk && response.status >= 200 && response.status < 300) {
        DeliveryDecision delivered;
        delivered.kind = Kind::Delivered;
        delivered.councilReference = receiverReference(response);
        delivered.message = "HTTP " + std::to_string(response.status);
        delivered.councilAnswered = true;
        return delivered;
    }
    // Everything else means what it means for the kiosk API; only the advice differs.
    DeliveryDecision decision = DeliveryPolicy::classify(response, item.submissionId, nowMillis / 1000);
    const std::string status = "HTTP " + std::to_string(response.status);
    if (!response.transportOk) {
        decision.message = "No answer from the webhook receiver: " + response.transportError;
    } else if (response.status >= 300 && response.status < 400) {
        decision.message = "Unexpected redirect (" + status + "): check " + settings_.configSection +
                           ".url and the service's destinationSettings.webhook.url";
    } else if (response.status == 401 || response.status == 403) {
        decision.message = "The webhook receiver refused the kiosk's signature or token (" + status +
                           "): check " + settings_.configSection +
                           ".secrets and .bearerToken in the kiosk config";
    }
    return decision;
}

}  // namespace kiosk::sync
