// DeliveryPolicy: turns one answer to "POST /v1/submissions" into what happens to the submission
// (DESIGN.md section 5). Pure: no clock reads, no I/O, so every row of the table is unit-tested.
//
//   200/201 + JSON ack naming our Idempotency-Key and a councilReference -> Delivered
//   any other 2xx (captive-portal HTML, truncated JSON, someone else's key) -> Retry
//   3xx (a redirect is not a delivery; we never follow them)               -> Retry
//   no complete answer (reset, timeout, DNS, TLS)                          -> Retry
//   408, 409 (still processing), 425, 429, 5xx                             -> Retry, Retry-After honoured
//   401, 403                                                               -> Retry (see below)
//   other 4xx (400, 404, 410, 413, 422...)                                 -> HoldBack with the council's
//   message
//
// 401/403 are Retry, not HoldBack: they say the kiosk's device token or webhook secret is wrong,
// not that the submission is. Holding back would move every form into quarantine until an admin
// exports them; retrying lets them all go out on their own once the configuration is fixed, and
// lastError tells the admin what to fix.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sync/transport.h"

namespace kiosk::sync {

struct DeliveryDecision {
    enum class Kind { Delivered, Retry, HoldBack };
    Kind kind = Kind::Retry;
    std::string councilReference;          // Delivered only
    std::optional<int> retryAfterSeconds;  // Retry only, when the council sent Retry-After
    std::string message;                   // short, for admins; never personal data
    // The answer came from the council's API itself (a JSON body over a complete exchange), not
    // from a captive portal, proxy or broken network: drives SyncStatus::online.
    bool councilAnswered = false;
    // The answer is about the connection or the kiosk, not this submission (unreachable, bad
    // token, captive portal, "slow down"): every other item this round would meet the same.
    bool affectsWholeQueue = false;
    // Retry only: replaces the item's stored delivery progress (include/store/outbox_store.h),
    // for destinations that need several exchanges per form; nullopt keeps what is stored.
    std::optional<std::string> progress;
    // Delivered only: the form was resent to a server that could not be asked whether the first
    // copy arrived, so the council may hold it twice. Counted for admins.
    bool possibleDuplicate = false;
};

class DeliveryPolicy {
public:
    // nowSeconds (Unix time) is only used to turn a Retry-After HTTP-date into seconds.
    static DeliveryDecision classify(const HttpResponse& response, const std::string& idempotencyKey,
                                     std::int64_t nowSeconds);
};

// Retry-After as delay-seconds ("120") or HTTP-date ("Wed, 25 Nov 2026 10:15:00 GMT");
// nullopt when absent or unreadable. A date in the past gives 0.
std::optional<int> parseRetryAfter(const std::string& value, std::int64_t nowSeconds);

// RFC 9110 HTTP-date as Unix seconds: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") and the two
// obsolete forms a recipient must still accept, RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT") and
// asctime ("Sun Nov  6 08:49:37 1994"). nowSeconds settles the century of an RFC 850 year.
// nullopt for anything else, including an impossible date such as 31 Feb.
std::optional<std::int64_t> parseHttpDate(std::string_view text, std::int64_t nowSeconds);

}  // namespace kiosk::sync
