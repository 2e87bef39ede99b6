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
#include "sync/destination.h"
#include "sync/outbox_delivery.h"

namespace kiosk::store {
class OutboxStore;
}

namespace kiosk::sync {

class Transport;
class Backoff;

struct SyncStatus {
    bool online = false;  // the last attempt reached the council and got an answer it understood
    std::int64_t lastContactMillis = 0;  // 0: no contact since start
    int waiting = 0;
    int delivered = 0;
    int heldBack = 0;
    // Volunteers' help sessions (store/help_log.h), delivered in the same rounds.
    int helpSessionsWaiting = 0;
    int helpSessionsDelivered = 0;
    int helpSessionsHeldBack = 0;
    std::string lastError;                 // for admins; never shown to residents
    std::int64_t lastHeartbeatMillis = 0;  // the council last took a heartbeat; 0: none since start
};

// Owns the sync thread, which runs a JobScheduler (job_scheduler.h) with three jobs:
//   deliver: first due a random 0..firstSyncMaxDelaySeconds after start() (so a fleet rebooted
//            by one power cut does not retry at once; wake() makes it due at once), then after
//            each round: deliver what is due (submissions, then volunteers' help sessions
//            unless the submissions found the connection down), refresh the status snapshot,
//            and be due again at the earliest next attempt, the poll interval or the round's
//            resume time, whichever applies, but never sooner than 250 ms;
//   purge:   delivered payloads past their retention, first with the first delivery round and
//            then at most hourly;
//   heartbeat: the fleet heartbeat (heartbeat.h), one network.heartbeatIntervalSeconds after
//            the first delivery round and then every interval while online; never when the
//            interval is 0, and never ahead of a delivery round that is due.
// It opens its own OutboxStore and HelpLog on databasePath(config). wake() after recording a
// help session sends it soon, as after sealing a form.
class SyncWorker {
public:
    SyncWorker(KioskConfig config, const Clock& clock);  // makes a libcurl transport
    SyncWorker(KioskConfig config, const Clock& clock, std::unique_ptr<Transport> transport);
    // With destinations of the caller's choosing instead of destinationsFromConfig(config).
    SyncWorker(KioskConfig config, const Clock& clock, std::unique_ptr<Transport> transport,
               DestinationRegistry destinations);
    ~SyncWorker();  // stops and joins
    SyncWorker(const SyncWorker&) = delete;
    SyncWorker& operator=(const SyncWorker&) = delete;

    void start();
    void stop();
    void wake();                // a form was just sealed: try to deliver it soon
    SyncStatus status() const;  // thread-safe snapshot

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::sync
