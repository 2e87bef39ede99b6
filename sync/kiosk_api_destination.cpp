// KioskApiDestination: the JSON body and sealed box made at seal time, and the signed POST to
// /v1/submissions that every attempt makes with those exact bytes.
#include "sync/kiosk_api_destination.h"

#include <sodium.h>

#include <array>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string_view>

#include "kiosk/base64.h"
#include "kiosk/clock.h"
#include "sync/webhook_signature.h"

namespace kiosk::sync {
namespace {

using CouncilPublicKey = std::array<unsigned char, 32>;

// Decodes the configured key (base64, standard alphabet, 32 bytes). Error "no_council_key"
// when it is missing, malformed, the wrong length or all zeros.
Result<CouncilPublicKey> decodeCouncilPublicKey(const std::string& base64, const std::string& configSection) {
    CouncilPublicKey key{};
    size_t length = 0;
    const char* end = nullptr;
    // Whitespace is ignored so a key pasted into the config with a trailing newline still works.
    int rc = sodium_base642bin(key.data(), key.size(), base64.data(), base64.size(), " \t\r\n", &length, &end,
                               sodium_base64_VARIANT_ORIGINAL);
    bool consumedAll = end == base64.data() + base64.size();
    if (base64.empty() || rc != 0 || !consumedAll || length != key.size() ||
        sodium_is_zero(key.data(), key.size())) {
        const std::string setting =
            configSection == "council" ? "council.publicKeyBase64" : configSection + ".publicKey";
        return Error{ErrorCode::NoCouncilKey,
                     "The council public key is missing or is not a 32-byte base64 key; set " + setting +
                         " in the kiosk configuration."};
    }
    return key;
}

// libsodium sealed box of the plaintext to the council key; only the council can open it.
std::string sealToCouncil(std::string_view plaintext, const CouncilPublicKey& key) {
    std::string ciphertext(plaintext.size() + crypto_box_SEALBYTES, '\0');
    crypto_box_seal(reinterpret_cast<unsigned char*>(ciphertext.data()),
                    reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), key.data());
    return ciphertext;
}

// Compact JSON body that is POSTed unchanged on every attempt. Error "invalid_submission" when
// a metadata field cannot be written as JSON (not UTF-8).
Result<std::string> buildRequestBody(const store::SealContext& context, std::string_view ciphertext) {
    const store::SubmissionToSeal& submission = context.submission;
    nlohmann::json body = {
        {"submissionId", context.submissionId},
        {"reference", context.reference},
        {"kioskId", context.kioskId},
        {"serviceId", submission.serviceId},
        {"formId", submission.formId},
        {"formVersion", submission.formVersion},
        {"language", submission.language},
        {"assisted", submission.assisted},
        {"volunteerId",
         submission.volunteerId.empty() ? nlohmann::json(nullptr) : nlohmann::json(submission.volunteerId)},
        {"createdAt", formatUtcTimestamp(context.createdAtMillis)},
        {"payload", {{"encoding", "x25519-sealed-box"}, {"ciphertext", encodeBase64(ciphertext)}}},
    };
    try {
        return body.dump();
    } catch (const nlohmann::json::exception&) {
        return Error{
            ErrorCode::InvalidSubmission,
            "A submission field is not valid UTF-8 text; check the content pack's service and form ids."};
    }
}

std::string endpointUrl(const std::string& apiBaseUrl, const std::string& path) {
    std::string base = apiBaseUrl;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + path;
}

// UUID v4 from libsodium's random source.
std::string newRandomUuid() {
    unsigned char bytes[16];
    randombytes_buf(bytes, sizeof bytes);
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    text.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
        text += kHex[bytes[i] >> 4];
        text += kHex[bytes[i] & 0x0f];
    }
    return text;
}

}  // namespace

std::string formatUtcTimestamp(std::int64_t millisSinceEpoch) {
    return formatUtc(millisSinceEpoch, "%Y-%m-%dT%H:%M:%SZ");
}

Result<std::string> sealToCouncilKey(std::string_view plaintext, const std::string& publicKeyBase64,
                                     const std::string& configSection) {
    if (sodium_init() < 0) {
        return Error{ErrorCode::CryptoUnavailable,
                     "libsodium could not be initialised; the kiosk cannot seal submissions."};
    }
    auto key = decodeCouncilPublicKey(publicKeyBase64, configSection);
    if (!key) return key.error();
    return sealToCouncil(plaintext, *key);
}

KioskApiDestination::KioskApiDestination(KioskApiSettings settings)
    : settings_(std::move(settings)), webhookKey_(decodeWebhookSecret(settings_.webhookSecret)) {}

Result<store::EncodedPayload> KioskApiDestination::encode(const store::SealContext& context) const {
    if (sodium_init() < 0) {
        return Error{ErrorCode::CryptoUnavailable,
                     "libsodium could not be initialised; the kiosk cannot seal submissions."};
    }
    auto key = decodeCouncilPublicKey(settings_.publicKeyBase64, settings_.configSection);
    if (!key) return key.error();
    // The plaintext is read in place from the caller's buffer and never copied: the sealed box
    // and the request body only ever hold ciphertext.
    store::EncodedPayload encoded;
    encoded.sealedPayload = sealToCouncil(context.submission.answersJson, *key);
    encoded.protection = store::PayloadProtection::SealedToCouncil;
    auto body = buildRequestBody(context, encoded.sealedPayload);
    if (!body) return body.error();
    encoded.requestBody = std::move(body.value());
    return encoded;
}

Status KioskApiDestination::readyToSend() const {
    if (settings_.apiBaseUrl.empty()) {
        return Error{ErrorCode::DestinationNotConfigured,
                     settings_.configSection + ".apiBaseUrl is not set in the kiosk config"};
    }
    if (!webhookKey_) {
        return Error{
            ErrorCode::DestinationNotConfigured,
            settings_.configSection + ".webhookSecret in the kiosk config is missing or not whsec_<base64>"};
    }
    return Done{};
}

std::optional<HttpRequest> KioskApiDestination::statusRequest(const StatusQuery& query) const {
    if (settings_.apiBaseUrl.empty() || query.submissionId.empty()) return std::nullopt;
    HttpRequest request;
    request.method = "GET";
    request.url = settings_.apiBaseUrl + "/v1/submissions/" + query.submissionId + "/status";
    request.headers.emplace_back("Accept", "application/json");
    request.headers.emplace_back("Authorization", "Bearer " + settings_.deviceToken);
    return request;
}

std::optional<CouncilStatus> KioskApiDestination::readStatus(const HttpResponse& response,
                                                             const StatusQuery& query) const {
    if (!response.transportOk || response.status != 200) return std::nullopt;
    const auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (!body.is_object()) return std::nullopt;
    // An answer about another submission (a proxy's cache, a confused server) is no answer.
    const auto text = [&body](const char* key) {
        const auto found = body.find(key);
        return found != body.end() && found->is_string() ? found->get<std::string>() : std::string();
    };
    if (text("submissionId") != query.submissionId) return std::nullopt;
    const std::string status = text("status");
    CouncilStatus council;
    if (status == "received")
        council.progress = CouncilProgress::Received;
    else if (status == "in_progress")
        council.progress = CouncilProgress::InProgress;
    else if (status == "closed")
        council.progress = CouncilProgress::Closed;
    else
        return std::nullopt;
    if (const auto updated = parseUtcTimestamp(text("updatedAt"))) council.updatedAtMillis = *updated;
    return council;
}

HttpRequest KioskApiDestination::signedPost(const std::string& path, const std::string& idempotencyKey,
                                            const std::string& body, std::int64_t nowMillis) const {
    const std::int64_t nowSeconds = nowMillis / 1000;
    static const std::vector<unsigned char> kNoKey;
    HttpRequest request;
    request.method = "POST";
    request.url = endpointUrl(settings_.apiBaseUrl, path);
    request.body = body;
    request.headers = {
        {"Content-Type", "application/json"},
        {"Accept", "application/json"},
        {"Idempotency-Key", idempotencyKey},
        {"Authorization", "Bearer " + settings_.deviceToken},
        // Standard Webhooks: the same id on every attempt lets the council drop replays.
        {"webhook-id", idempotencyKey},
        {"webhook-timestamp", std::to_string(nowSeconds)},
        {"webhook-signature",
         signWebhook(webhookKey_ ? *webhookKey_ : kNoKey, idempotencyKey, nowSeconds, body)},
    };
    return request;
}

HttpRequest KioskApiDestination::buildRequest(const store::OutboxItem& item, std::int64_t nowMillis) const {
    return signedPost("/v1/submissions", item.submissionId, item.requestBody, nowMillis);
}

HttpRequest KioskApiDestination::buildHelpSessionRequest(const store::HelpSessionItem& item,
                                                         std::int64_t nowMillis) const {
    return signedPost("/v1/help-sessions", item.helpSessionId, item.requestBody, nowMillis);
}

HttpRequest KioskApiDestination::buildHeartbeatRequest(const std::string& body,
                                                       std::int64_t nowMillis) const {
    // libsodium was started by the constructor (decodeWebhookSecret), before any random bytes.
    return signedPost("/v1/heartbeat", newRandomUuid(), body, nowMillis);
}

DeliveryDecision KioskApiDestination::classifyHelpSession(const HttpResponse& response,
                                                          const store::HelpSessionItem& item,
                                                          std::int64_t nowMillis) const {
    return DeliveryPolicy::classify(response, item.helpSessionId, nowMillis / 1000);
}

DeliveryDecision KioskApiDestination::classify(const HttpResponse& response, const store::OutboxItem& item,
                                               std::int64_t nowMillis) const {
    return DeliveryPolicy::classify(response, item.submissionId, nowMillis / 1000);
}

}  // namespace kiosk::sync
