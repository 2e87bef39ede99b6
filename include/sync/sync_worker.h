// SyncWorker: delivers the sealed outbox on its own thread, never the UI thread.
// The UI reads a small status snapshot; the two threads share nothing else but the database
// file (each opens its own SQLite connection).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "kiosk/clock.h"
#include "kiosk/config.h"

namespace kiosk::store {
class OutboxStore;
}

namespace kiosk::sync {

class Transport;
class Backoff;

// The kiosk's database file; the UI, the worker and kioskctl each open their own connection to it.
std::filesystem::path databasePath(const KioskConfig& config);

struct SyncStatus {
    bool online = false;                 // the last attempt reached the council and got an answer it understood
    std::int64_t lastContactMillis = 0;  // 0: no contact since start
    int waiting = 0;
    int delivered = 0;
    int heldBack = 0;
    std::string lastError;  // for admins; never shown to residents
};

struct DeliveryReport {
    int delivered = 0;  // acknowledged by the council this round
    int retried = 0;    // will be tried again later
    int heldBack = 0;   // the council refused for good
    int requests = 0;   // HTTP requests made this round
    bool councilAnswered = false;  // the last request got an answer from the council's API itself
    std::string lastError;         // message of the last failed request; "" when the last one was delivered
    // The round ended before the queue did because the answer concerned the connection or the
    // kiosk (council unreachable, wrong token, captive portal, "slow down"), not one submission:
    // trying the rest would only hammer a server that is down. Items not tried keep their
    // schedule and attempt count; the next round should not start before resumeAtMillis.
    bool stoppedEarly = false;
    std::int64_t resumeAtMillis = 0;
};

// Delivers everything due now, oldest first, one request at a time, then returns. Used by the
// worker thread and by `kioskctl sync --once`. Each submission is sent with the exact bytes
// sealed, its submissionId as Idempotency-Key and webhook-id on every attempt, the device bearer
// token and a Standard Webhooks signature. Items that fail in this round are not tried again
// in it, whatever their new schedule.
DeliveryReport deliverDueSubmissions(store::OutboxStore& outbox, Transport& transport,
                                     const KioskConfig& config, const Clock& clock);
// Same, with the caller's random source for retry delays (tests, and the worker's long-lived one).
DeliveryReport deliverDueSubmissions(store::OutboxStore& outbox, Transport& transport,
                                     const KioskConfig& config, const Clock& clock, Backoff& backoff);

// Owns the sync thread. After start() it waits a random 0..firstSyncMaxDelaySeconds (so a fleet
// rebooted by one power cut does not retry at once; wake() ends the wait early), then repeats:
// deliver what is due, refresh the status snapshot, sleep until the earliest next attempt, the
// poll interval, wake() or stop(). It opens its own OutboxStore on databasePath(config).
class SyncWorker {
public:
    SyncWorker(KioskConfig config, const Clock& clock);  // makes a libcurl transport
    SyncWorker(KioskConfig config, const Clock& clock, std::unique_ptr<Transport> transport);
    ~SyncWorker();  // stops and joins
    SyncWorker(const SyncWorker&) = delete;
    SyncWorker& operator=(const SyncWorker&) = delete;

    void start();
    void stop();
    void wake();  // a form was just sealed: try to deliver it soon
    SyncStatus status() const;  // thread-safe snapshot

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::sync
