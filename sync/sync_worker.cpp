// SyncWorker: the sync thread's jobs (deliver, purge, heartbeat) on a JobScheduler, and the status
// snapshot the UI reads.
#include "sync/sync_worker.h"

#include <sodium.h>

#include <algorithm>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

#include "store/help_log.h"
#include "store/outbox_store.h"
#include "sync/backoff.h"
#include "sync/heartbeat.h"
#include "sync/help_session_delivery.h"
#include "sync/job_scheduler.h"
#include "sync/transport.h"

namespace kiosk::sync {
namespace {

// Even when something is due at once, pause this long between rounds so a store that keeps
// reporting due items cannot turn the thread into a busy loop.
constexpr std::int64_t kMinimumPauseMillis = 250;

// Delivered payloads are purged at most this often: the retention is counted in days, so an
// hourly sweep keeps a payload at most an hour past its time without a write every round.
constexpr std::int64_t kPurgeIntervalMillis = 60 * 60 * 1000;

constexpr const char* kDeliverJob = "deliver";
constexpr const char* kPurgeJob = "purge";
constexpr const char* kHeartbeatJob = "heartbeat";
constexpr std::int64_t kNotYet = std::numeric_limits<std::int64_t>::max();

}  // namespace

struct SyncWorker::Impl {
    KioskConfig config;
    const Clock& clock;
    std::unique_ptr<Transport> transport;
    Result<DestinationRegistry> destinations;
    Backoff backoff;
    JobScheduler scheduler;
    KioskApiDestination council;  // where help sessions and heartbeats go
    HeartbeatJob heartbeat;

    std::thread thread;
    mutable std::mutex mutex;
    bool started = false;                        // only touched by the owning thread
    SyncStatus status;                           // guarded by mutex
    std::unique_ptr<store::OutboxStore> outbox;  // only touched by the sync thread
    std::unique_ptr<store::HelpLog> helpLog;     // only touched by the sync thread

    Impl(KioskConfig configIn, const Clock& clockIn, std::unique_ptr<Transport> transportIn,
         Result<DestinationRegistry> destinationsIn)
        : config(std::move(configIn)),
          clock(clockIn),
          transport(std::move(transportIn)),
          destinations(std::move(destinationsIn)),
          backoff(config.network.retryBaseSeconds, config.network.retryCapSeconds),
          scheduler(clockIn),
          council(councilApiSettings(config)),
          heartbeat(config, clockIn, *transport, council, clockIn.nowMillis()) {
        addJobs();
    }

    void setError(const std::string& message) {
        std::lock_guard lock(mutex);
        status.online = false;
        status.lastError = message;
    }

    void publish(const DeliveryReport& report) {
        const store::QueueCounts counts = outbox->counts();
        const store::QueueCounts helpCounts = helpLog->counts();
        std::lock_guard lock(mutex);
        status.waiting = counts.waiting;
        status.delivered = counts.delivered;
        status.heldBack = counts.heldBack;
        status.helpSessionsWaiting = helpCounts.waiting;
        status.helpSessionsDelivered = helpCounts.delivered;
        status.helpSessionsHeldBack = helpCounts.heldBack;
        if (report.requests > 0) {
            status.online = report.councilAnswered;
            if (report.councilAnswered) status.lastContactMillis = clock.nowMillis();
            status.lastError = report.lastError;
        } else if (!report.lastError.empty()) {
            status.online = false;  // the kiosk cannot even try: configuration problem
            status.lastError = report.lastError;
        }
    }

    std::int64_t pollMillis() const {
        return std::int64_t{std::max(config.network.pollIntervalSeconds, 1)} * 1000;
    }

    // The sync thread's own connection, opened on first use and again after a failure.
    bool openOutbox() {
        if (outbox && helpLog) return true;
        store::StoreOptions options;
        options.databaseFile = databasePath(config);
        options.kioskId = config.kioskId;
        options.referencePrefix = config.referencePrefix;
        // This connection only records outcomes: an fsync per delivered form would cap delivery
        // at the disk's sync rate, and an outcome lost to a power cut is a resend the council
        // deduplicates.
        options.durability = store::Durability::Outcomes;
        auto opened = store::OutboxStore::open(options);
        if (!opened) {
            setError("Could not open the kiosk database: " + opened.error().message);
            return false;
        }
        auto openedHelpLog = store::HelpLog::open(options);
        if (!openedHelpLog) {
            setError("Could not open the kiosk database: " + openedHelpLog.error().message);
            return false;
        }
        outbox = std::move(opened.value());
        helpLog = std::move(openedHelpLog.value());
        std::lock_guard lock(mutex);
        status.lastError = outbox->lastError();
        return true;
    }

    // How long to rest after a round: until the earliest retry, but no longer than the poll
    // interval (items sealed by another process arrive without a wake()). After a round that
    // stopped early the untried items are still due, so the round's own resume time wins.
    // Submissions and help sessions each give a time; the earlier counts, except that help
    // sessions skipped because the connection was down wait with the submissions.
    std::int64_t nextDeliveryAt(const DeliveryReport& submissions, const DeliveryReport& helpSessions,
                                bool helpSessionsSkipped) {
        const std::int64_t now = clock.nowMillis();
        const auto queueTarget = [&](const DeliveryReport& report, std::optional<std::int64_t> next) {
            if (report.stoppedEarly) return report.resumeAtMillis;
            const std::int64_t poll = now + pollMillis();
            return next && *next < poll ? *next : poll;
        };
        std::int64_t target = queueTarget(submissions, outbox->nextAttemptAtMillis());
        if (!helpSessionsSkipped)
            target = std::min(target, queueTarget(helpSessions, helpLog->nextAttemptAtMillis()));
        return now + std::max(target - now, kMinimumPauseMillis);
    }

    std::int64_t deliverJob(std::int64_t now) {
        if (!openOutbox()) return now + pollMillis();
        DeliveryReport report;
        if (destinations) {
            report = deliverDueSubmissions(*outbox, *transport, destinations.value(), config, clock, backoff);
        } else {
            // The configuration names a destination this build cannot make: nothing can go.
            report.lastError = destinations.error().message;
            report.stoppedEarly = true;
            report.resumeAtMillis = clock.nowMillis() + pollMillis();
        }
        // Help sessions go in the same round, unless the submissions just found the council
        // unreachable or refusing this kiosk: they would only meet the same answer.
        const bool connectionDown = report.stoppedEarly && report.requests > 0;
        DeliveryReport helpReport;
        if (!connectionDown) {
            helpReport = deliverDueHelpSessions(*helpLog, *transport, council, config, clock, backoff);
        }
        DeliveryReport combined = report;
        addRound(combined, helpReport);
        publish(combined);
        return nextDeliveryAt(report, helpReport, connectionDown);
    }

    // Personal data must not outlive its retention on a kiosk that is never restarted.
    std::int64_t purgeJob(std::int64_t now) {
        if (!openOutbox()) return now + pollMillis();
        if (auto purged = outbox->purgeDeliveredPayloads(now, config.retention.deliveredPayloadDays);
            !purged) {
            setError("Could not purge delivered payloads: " + purged.error().message);
        }
        return now + kPurgeIntervalMillis;
    }

    // Deliveries always go first: when a round is due, the heartbeat waits until right after
    // it (a job due at the same time as one added earlier runs after it). A heartbeat never
    // touches the queue, the backoff or the delivery status, apart from lastHeartbeatMillis.
    std::int64_t heartbeatJob(std::int64_t now) {
        if (!heartbeat.enabled()) return kNotYet;
        if (const auto deliverAt = scheduler.dueAtMillis(kDeliverJob); deliverAt && *deliverAt <= now)
            return now;
        if (!openOutbox()) return now + heartbeat.intervalMillis();
        DeliveryState delivery;
        {
            std::lock_guard lock(mutex);
            delivery.councilReachable = status.online;
            delivery.lastError = status.lastError;
        }
        const std::int64_t next = heartbeat.run(now, *outbox, *helpLog, delivery);
        if (heartbeat.lastOutcome() == HeartbeatJob::Outcome::Acknowledged) {
            // The council answered: the kiosk is online even when it has nothing to send.
            std::lock_guard lock(mutex);
            status.lastHeartbeatMillis = heartbeat.lastAcknowledgedMillis();
            status.online = true;
            status.lastContactMillis = status.lastHeartbeatMillis;
        }
        return next;
    }

    // The jobs exist from construction but are not due until start() says when: a wake()
    // before start() still makes the first round run at once.
    void addJobs() {
        // Added in this order so that, due together, a delivery round runs before the sweep.
        scheduler.addJob(kDeliverJob, kNotYet, [this](std::int64_t now) { return deliverJob(now); });
        scheduler.addJob(kPurgeJob, kNotYet, [this](std::int64_t now) { return purgeJob(now); });
        scheduler.addJob(kHeartbeatJob, kNotYet, [this](std::int64_t now) { return heartbeatJob(now); });
    }

    void scheduleFirstSync() {
        std::int64_t firstSyncAt = clock.nowMillis();
        const int maxDelaySeconds = std::max(config.network.firstSyncMaxDelaySeconds, 0);
        if (maxDelaySeconds > 0) {
            firstSyncAt += randombytes_uniform(static_cast<std::uint32_t>(maxDelaySeconds) * 1000U + 1U);
        }
        scheduler.makeDueBy(kDeliverJob, firstSyncAt);
        scheduler.makeDueBy(kPurgeJob, firstSyncAt);
        if (heartbeat.enabled()) scheduler.makeDueBy(kHeartbeatJob, heartbeat.firstDueAtMillis(firstSyncAt));
    }

    void run() {
        scheduler.run();
        outbox.reset();  // closed on the thread that used it
        helpLog.reset();
    }
};

SyncWorker::SyncWorker(KioskConfig config, const Clock& clock)
    : SyncWorker(config, clock, std::make_unique<CurlTransport>(config.network)) {}

SyncWorker::SyncWorker(KioskConfig config, const Clock& clock, std::unique_ptr<Transport> transport) {
    auto destinations = destinationsFromConfig(config);
    impl_ = std::make_unique<Impl>(std::move(config), clock, std::move(transport), std::move(destinations));
}

SyncWorker::SyncWorker(KioskConfig config, const Clock& clock, std::unique_ptr<Transport> transport,
                       DestinationRegistry destinations)
    : impl_(std::make_unique<Impl>(std::move(config), clock, std::move(transport), std::move(destinations))) {
}

SyncWorker::~SyncWorker() {
    stop();
}

void SyncWorker::start() {
    // A stopped worker has cancelled its transport for good: start() only works once.
    if (impl_->started) return;
    impl_->started = true;
    impl_->scheduleFirstSync();
    impl_->thread = std::thread([this] { impl_->run(); });
}

void SyncWorker::stop() {
    impl_->scheduler.stop();
    impl_->transport->cancel();  // abort a request in flight instead of waiting for its timeout
    if (impl_->thread.joinable()) impl_->thread.join();
}

void SyncWorker::wake() {
    impl_->scheduler.makeDueNow(kDeliverJob);
}

SyncStatus SyncWorker::status() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->status;
}

}  // namespace kiosk::sync
