// One delivery round over the help log: every due help session is POSTed to the council's
// /v1/help-sessions (sync/openapi.yaml) with its stored bytes, keyed and signed like a submission,
// and the outcome is recorded. The same rules as submissions (DESIGN.md section 5): delivered
// only on an acknowledgement naming our key, retry with backoff on network trouble, 408, 409,
// 425, 429, 5xx, 401 and 403, hold back on any other 4xx. Used by the sync thread's delivery
// job and by `kioskctl sync --once`. Needs no libcurl.
#pragma once

#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "sync/kiosk_api_destination.h"
#include "sync/outbox_delivery.h"

namespace kiosk::store {
class HelpLog;
}

namespace kiosk::sync {

class Transport;
class Backoff;

// Help sessions always go to the council's own kiosk API, whatever destinations the services
// use: the "council" section's apiBaseUrl, deviceToken and webhookSecret.
KioskApiSettings councilApiSettings(const KioskConfig& config);

// Delivers every due help session, oldest first, one request at a time. A round that meets a
// problem concerning the whole connection (unreachable, bad token, captive portal, "slow down")
// stops early, as deliverDueSubmissions does. When the council API cannot send at all (no
// address or no usable secret) nothing is touched and the report says which setting to fix.
DeliveryReport deliverDueHelpSessions(store::HelpLog& helpLog, Transport& transport,
                                      const KioskApiDestination& council, const KioskConfig& config,
                                      const Clock& clock, Backoff& backoff);
// The same with KioskApiDestination(councilApiSettings(config)).
DeliveryReport deliverDueHelpSessions(store::HelpLog& helpLog, Transport& transport,
                                      const KioskConfig& config, const Clock& clock, Backoff& backoff);

// Adds a later round's outcome to an earlier one's, as if they were one round: counts add up,
// and what the last request said (councilAnswered, lastError) comes from the later round when
// it made any request. The earlier resume time wins when both stopped early.
void addRound(DeliveryReport& total, const DeliveryReport& later);

}  // namespace kiosk::sync
