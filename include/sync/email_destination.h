// EmailDestination ("email"): each submission is emailed to the service's mailbox over SMTP, as
// GOV.UK Forms does for form owners (docs/email-destination.md).
//
// Kiosk configuration, one entry in "destinations" (the password comes only from here):
//   "email": {"type": "email", "smtpUrl": "smtp://mail.council.example:587",
//             "from": "kiosk@council.example", "username": "...", "password": "...",
//             "to": "optional: every service's mail goes here instead (tests, staging)"}
// Content pack, per service, "destinationSettings": {"email": {...}}:
//   "to"               the service's mailbox (required unless the config sets "to")
//   "title"            the service's English title for the subject and the text (the answers
//                      the encoder is given carry ids only); the service id when absent
//   "replyToQuestion"  optional: the id of the question holding the resident's email address,
//                      which becomes Reply-To when it is a plain address
//
// Seal: the whole message (include/sync/email_message.h) and its envelope, as the request body
//   {"mailFrom": "kiosk@council.example", "recipients": ["housing@council.example"],
//    "message": "<RFC 5322 message, CRLF line endings>"}
// with protection DeviceKey: the delivery plumbing encrypts it to the kiosk's own key at rest
// and purges it once delivered. Sealing fixes From, To and the text; a change to the
// configuration's "from" or "to" applies to forms sealed after it.
// Send: the message over SMTP to smtpUrl, STARTTLS required, AUTH with username and password.
// Answer: the SMTP reply code (classify below).
#pragma once

#include <string>

#include "sync/destination.h"

namespace kiosk::sync {

struct EmailSettings {
    std::string smtpUrl;        // "smtp://host:587" (STARTTLS) or "smtps://host:465"
    std::string from;           // envelope sender and From header
    std::string username;       // SMTP AUTH; empty: no AUTH
    std::string password;       // secret: never stored, logged or put in a message
    std::string toOverride;     // non-empty: every service's mail goes here
    std::string configSection;  // "destinations.<name>", named in error messages
};

class EmailDestination final : public Destination {
public:
    static constexpr const char* kType = "email";

    explicit EmailDestination(EmailSettings settings);

    std::string type() const override { return kType; }
    // Errors "destination_not_configured" (no "from", or neither the pack nor the config gives
    // the service's mailbox, or an address is not plain) and "invalid_submission" (answers that
    // are not the JSON the kiosk writes).
    Result<store::EncodedPayload> encode(const store::SealContext& context) const override;
    Status readyToSend() const override;
    HttpRequest buildRequest(const store::OutboxItem& item, std::int64_t nowMillis) const override;

    //   250 after DATA (the exchange completed)      -> Delivered; councilReference is the
    //                                                   server's queue id ("queued as X") or ""
    //   535 (or libcurl's login denied), 530         -> Retry, whole queue: the kiosk's username
    //                                                   or password is wrong, not the form (as
    //                                                   401/403 in delivery_policy.h)
    //   421, no reply, network or TLS errors         -> Retry, whole queue
    //   other 4xx (450, 451, 452...)                 -> Retry with backoff
    //   other 5xx (550, 552, 554...)                 -> HoldBack with the server's reply text
    //   a stored body that is not an envelope        -> HoldBack
    DeliveryDecision classify(const HttpResponse& response, const store::OutboxItem& item,
                              std::int64_t nowMillis) const override;

private:
    EmailSettings settings_;
};

}  // namespace kiosk::sync
