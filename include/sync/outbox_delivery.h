// One delivery round over the outbox: every due submission goes to its destination's adapter
// (include/sync/destination.h), through the Transport, and the outcome is recorded in the store.
// Used by the sync thread (sync_worker.h) and by `kioskctl sync --once`. Needs no libcurl.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "kiosk/clock.h"
#include "kiosk/config.h"

namespace kiosk::store {
class OutboxStore;
}

namespace kiosk::sync {

class Transport;
class Backoff;
class DestinationRegistry;

// The kiosk's database file; the UI, the worker and kioskctl each open their own connection to it.
std::filesystem::path databasePath(const KioskConfig& config);

struct DeliveryReport {
    int delivered = 0;             // acknowledged by the council this round
    int retried = 0;               // will be tried again later
    int heldBack = 0;              // the council refused for good
    int requests = 0;              // HTTP requests made this round
    bool councilAnswered = false;  // the last request got an answer from the council's API itself
    std::string lastError;         // message of the last failed request; "" when the last one was delivered
    // The round ended before the queue did because the answer concerned the connection or the
    // kiosk (council unreachable, wrong token, captive portal, "slow down"), not one submission,
    // or because a destination cannot send until its configuration is fixed: trying the rest
    // would only hammer a server that is down. Items not tried keep their schedule and attempt
    // count; the next round should not start before resumeAtMillis.
    bool stoppedEarly = false;
    std::int64_t resumeAtMillis = 0;
};

// Delivers everything due now, oldest first, one request at a time, then returns. Each
// submission goes to the adapter its stored destination names, which sends the exact bytes
// sealed; for the kiosk API that is with its submissionId as Idempotency-Key and webhook-id on
// every attempt, the device bearer token and a Standard Webhooks signature. Items that fail in
// this round are not tried again in it, whatever their new schedule. An item whose destination
// is not configured is retried later with a lastError naming it; it never stops the others.
DeliveryReport deliverDueSubmissions(store::OutboxStore& outbox, Transport& transport,
                                     const DestinationRegistry& destinations, const KioskConfig& config,
                                     const Clock& clock, Backoff& backoff);
// The same with the destinations built from config (destinationsFromConfig) for this round.
DeliveryReport deliverDueSubmissions(store::OutboxStore& outbox, Transport& transport,
                                     const KioskConfig& config, const Clock& clock);
// Same, with the caller's random source for retry delays (tests, and the worker's long-lived one).
DeliveryReport deliverDueSubmissions(store::OutboxStore& outbox, Transport& transport,
                                     const KioskConfig& config, const Clock& clock, Backoff& backoff);

}  // namespace kiosk::sync
