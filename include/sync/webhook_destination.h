// WebhookDestination ("webhook"): a signed JSON POST to any URL, in the Standard Webhooks 1.0
// shape, so a council platform (a low-code tool, a CRM's inbound hook, an integration hub) can
// verify it with an off-the-shelf library (README.md, "Signed webhooks").
//
// Kiosk configuration, one entry in "destinations" (secrets come only from here):
//   "webhook": {"type": "webhook", "url": "https://hooks.council.example/kiosk",
//               "secrets": "whsec_A whsec_B",       every active secret signs, during rotation
//               "payload": "sealed-to-council",     or "readable"
//               "publicKey": "<base64>",            for sealed-to-council; council.publicKey if absent
//               "bearerToken": "<optional>"}
// Content pack, per service, "destinationSettings": {"webhook": {"event": "form.submitted",
//   "url": "optional: this service's own receiver"}}.
//
// Seal: the event body, fixed for every attempt,
//   {"type": "form.submitted", "timestamp": "<createdAt>", "data": {"submissionId", "reference",
//    "kioskId", "service", "form", "formVersion", "language", "createdAt", "assisted",
//    "volunteerId"?, and "sealedAnswers" or "answers"}}
// "sealedAnswers" is the answers document as a base64 sealed box to the council's key (the
// kiosk cannot read it back: SealedToCouncil). "answers" is the answers list in readable form,
// for platforms that must read fields; then the whole payload is DeviceKey (encrypted to the
// kiosk's own key at rest, purged once delivered). The stored request is {"url", "event"}:
// "url" is the service's own receiver or "" for the configuration's, so a changed configuration
// URL applies to forms already waiting.
// Send: POST with webhook-id = Idempotency-Key = the submission's UUID on every attempt (the
// receiver drops replays), webhook-timestamp = the attempt's time, and one "v1,<signature>"
// per active secret, space-separated, made for that attempt.
// Answer: classify below.
#pragma once

#include <string>
#include <vector>

#include "sync/destination.h"

namespace kiosk::sync {

struct WebhookSettings {
    enum class Payload { SealedToCouncil, Readable };
    std::string url;              // the receiver, unless a service names its own
    std::string secrets;          // "whsec_A whsec_B": space-separated, each signs every attempt
    std::string payload;          // "sealed-to-council" (default when empty) or "readable"
    std::string publicKeyBase64;  // council's X25519 key, for sealed-to-council
    std::string bearerToken;      // optional Authorization: Bearer
    std::string configSection;    // "destinations.<name>", named in error messages
};

class WebhookDestination final : public Destination {
public:
    static constexpr const char* kType = "webhook";
    static constexpr const char* kDefaultEvent = "form.submitted";

    explicit WebhookDestination(WebhookSettings settings);

    std::string type() const override { return kType; }
    // Errors: "destination_not_configured" (payload is neither mode), "no_council_key" (sealed
    // without a usable council key), "invalid_submission" (answers that are not the kiosk's JSON,
    // or a field that is not UTF-8). Messages never hold an answer.
    Result<store::EncodedPayload> encode(const store::SealContext& context) const override;
    // "destination_not_configured" without a URL, or when any secret is missing or not
    // whsec_<base64> (a half-rotated configuration must be fixed, not half-signed).
    Status readyToSend() const override;
    HttpRequest buildRequest(const store::OutboxItem& item, std::int64_t nowMillis) const override;

    //   any 2xx                                    -> Delivered; councilReference is a JSON
    //                                                 body's "reference" or "id", else ""
    //   3xx (never followed)                       -> Retry, whole queue
    //   no complete answer                         -> Retry, whole queue
    //   408, 409, 425, 429, 5xx                    -> Retry, Retry-After honoured
    //   401, 403                                   -> Retry, whole queue, telling the admin to
    //                                                 check the secrets and token (as in
    //                                                 delivery_policy.h)
    //   other 4xx                                  -> HoldBack with the receiver's message
    //   a stored request that cannot be read       -> HoldBack
    DeliveryDecision classify(const HttpResponse& response, const store::OutboxItem& item,
                              std::int64_t nowMillis) const override;

private:
    WebhookSettings settings_;
    std::vector<std::vector<unsigned char>> signingKeys_;  // one per secret that decoded
    bool everySecretUsable_ = false;
};

}  // namespace kiosk::sync
