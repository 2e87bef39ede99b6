// KioskApiDestination ("kiosk-api"): the kiosk's own JSON API (sync/openapi.yaml).
//
// Seal: a compact JSON body with the metadata and the answers as a libsodium sealed box to the
// council's public key (SealedToCouncil: the kiosk cannot read them back).
// Send: POST <apiBaseUrl>/v1/submissions with Idempotency-Key and webhook-id set to the
// submission's UUID, the device bearer token and a Standard Webhooks signature.
// Answer: DeliveryPolicy::classify (include/sync/delivery_policy.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/help_log.h"
#include "sync/destination.h"

namespace kiosk::sync {

struct KioskApiSettings {
    std::string apiBaseUrl;                 // e.g. "https://council.example/kiosk"
    std::string publicKeyBase64;            // council's X25519 public key, base64 (standard alphabet)
    std::string deviceToken;                // bearer token for this device
    std::string webhookSecret;              // "whsec_<base64>"
    std::string configSection = "council";  // where these came from, named in error messages
};

class KioskApiDestination final : public Destination {
public:
    static constexpr const char* kType = "kiosk-api";

    explicit KioskApiDestination(KioskApiSettings settings);

    std::string type() const override { return kType; }
    // Errors: "no_council_key" (the key is missing, malformed or all zeros), "invalid_submission"
    // (a metadata field is not UTF-8).
    Result<store::EncodedPayload> encode(const store::SealContext& context) const override;
    Status readyToSend() const override;
    HttpRequest buildRequest(const store::OutboxItem& item, std::int64_t nowMillis) const override;
    DeliveryDecision classify(const HttpResponse& response, const store::OutboxItem& item,
                              std::int64_t nowMillis) const override;

    // Help sessions go to the same API: POST <apiBaseUrl>/v1/help-sessions with the stored
    // bytes, signed and keyed by the help session's UUID exactly as a submission is, and the
    // answer classified by the same DeliveryPolicy.
    // GET <apiBaseUrl>/v1/submissions/{submissionId}/status with the device bearer token; the
    // answer's "status" is received, in_progress or closed (sync/openapi.yaml).
    std::optional<HttpRequest> statusRequest(const StatusQuery& query) const override;
    std::optional<CouncilStatus> readStatus(const HttpResponse& response,
                                            const StatusQuery& query) const override;

    HttpRequest buildHelpSessionRequest(const store::HelpSessionItem& item, std::int64_t nowMillis) const;
    DeliveryDecision classifyHelpSession(const HttpResponse& response, const store::HelpSessionItem& item,
                                         std::int64_t nowMillis) const;

    // The fleet heartbeat (include/sync/heartbeat.h): POST <apiBaseUrl>/v1/heartbeat with `body`,
    // signed like a submission but keyed by a fresh random UUID, since a heartbeat is never
    // resent and a repeated one is harmless.
    HttpRequest buildHeartbeatRequest(const std::string& body, std::int64_t nowMillis) const;

private:
    // POST <apiBaseUrl><path> of `body` with `idempotencyKey` as Idempotency-Key and webhook-id,
    // the device bearer token and a Standard Webhooks signature made at nowMillis.
    HttpRequest signedPost(const std::string& path, const std::string& idempotencyKey,
                           const std::string& body, std::int64_t nowMillis) const;

    KioskApiSettings settings_;
    std::optional<std::vector<unsigned char>> webhookKey_;  // nullopt: the secret is unusable
};

// "2026-11-25T10:15:00Z" (UTC, whole seconds), as createdAt is written.
std::string formatUtcTimestamp(std::int64_t millisSinceEpoch);

// libsodium sealed box of `plaintext` to the council's X25519 public key (base64, standard
// alphabet): only the council can open it. Error "no_council_key" when the key is missing,
// malformed or all zeros; the message names configSection's setting ("council" names
// council.publicKeyBase64, anything else <configSection>.publicKey).
Result<std::string> sealToCouncilKey(std::string_view plaintext, const std::string& publicKeyBase64,
                                     const std::string& configSection);

}  // namespace kiosk::sync
