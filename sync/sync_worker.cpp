// SyncWorker: the sync thread's loop, its sleep/wake logic and the status snapshot the UI reads.
#include "sync/sync_worker.h"

#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/outbox_store.h"
#include "sync/backoff.h"
#include "sync/transport.h"

namespace kiosk::sync {
namespace {

// Even when something is due at once, pause this long between rounds so a store that keeps
// reporting due items cannot turn the thread into a busy loop.
constexpr std::int64_t kMinimumPauseMillis = 250;

// Delivered payloads are purged at most this often: the retention is counted in days, so an
// hourly sweep keeps a payload at most an hour past its time without a write every round.
constexpr std::int64_t kPurgeIntervalMillis = 60 * 60 * 1000;

}  // namespace

struct SyncWorker::Impl {
    KioskConfig config;
    const Clock& clock;
    std::unique_ptr<Transport> transport;
    Backoff backoff;

    std::thread thread;
    mutable std::mutex mutex;
    std::condition_variable signal;
    bool stopRequested = false;  // guarded by mutex
    bool wakeRequested = false;  // guarded by mutex
    bool started = false;        // only touched by the owning thread
    std::int64_t lastPurgeMillis = 0;  // only touched by the sync thread
    SyncStatus status;           // guarded by mutex

    Impl(KioskConfig configIn, const Clock& clockIn, std::unique_ptr<Transport> transportIn)
        : config(std::move(configIn)),
          clock(clockIn),
          transport(std::move(transportIn)),
          backoff(config.network.retryBaseSeconds, config.network.retryCapSeconds) {}

    // Sleeps up to `millis` of real time; returns false when asked to stop.
    bool sleepFor(std::int64_t millis) {
        std::unique_lock lock(mutex);
        signal.wait_for(lock, std::chrono::milliseconds(std::max<std::int64_t>(millis, 0)),
                        [this] { return stopRequested || wakeRequested; });
        wakeRequested = false;
        return !stopRequested;
    }

    bool stopping() {
        std::lock_guard lock(mutex);
        return stopRequested;
    }

    void setError(const std::string& message) {
        std::lock_guard lock(mutex);
        status.online = false;
        status.lastError = message;
    }

    void publish(store::OutboxStore& outbox, const DeliveryReport& report) {
        const store::QueueCounts counts = outbox.counts();
        std::lock_guard lock(mutex);
        status.waiting = counts.waiting;
        status.delivered = counts.delivered;
        status.heldBack = counts.heldBack;
        if (report.requests > 0) {
            status.online = report.councilAnswered;
            if (report.councilAnswered) status.lastContactMillis = clock.nowMillis();
            status.lastError = report.lastError;
        } else if (!report.lastError.empty()) {
            status.online = false;  // the kiosk cannot even try: configuration problem
            status.lastError = report.lastError;
        }
    }

    // Personal data must not outlive its retention on a kiosk that is never restarted.
    void purgeIfDue(store::OutboxStore& outbox) {
        const std::int64_t now = clock.nowMillis();
        if (lastPurgeMillis != 0 && now - lastPurgeMillis < kPurgeIntervalMillis) return;
        lastPurgeMillis = now;
        if (auto purged = outbox.purgeDeliveredPayloads(now, config.retention.deliveredPayloadDays); !purged) {
            setError("Could not purge delivered payloads: " + purged.error().message);
        }
    }

    std::int64_t pollMillis() const { return std::int64_t{std::max(config.network.pollIntervalSeconds, 1)} * 1000; }

    // How long to sleep after a round: until the earliest retry, but no longer than the poll
    // interval (items sealed by another process arrive without a wake()). After a round that
    // stopped early the untried items are still due, so the round's own resume time wins.
    std::int64_t pauseAfter(store::OutboxStore& outbox, const DeliveryReport& report) {
        const std::int64_t now = clock.nowMillis();
        std::int64_t target = now + pollMillis();
        if (report.stoppedEarly) {
            target = report.resumeAtMillis;
        } else if (const auto next = outbox.nextAttemptAtMillis(); next && *next < target) {
            target = *next;
        }
        return std::max(target - now, kMinimumPauseMillis);
    }

    void run() {
        const int maxDelaySeconds = std::max(config.network.firstSyncMaxDelaySeconds, 0);
        if (maxDelaySeconds > 0) {
            const auto delayMillis = randombytes_uniform(static_cast<std::uint32_t>(maxDelaySeconds) * 1000U + 1U);
            if (!sleepFor(delayMillis)) return;
        }

        store::StoreOptions options;
        options.databaseFile = databasePath(config);
        options.kioskId = config.kioskId;
        options.referencePrefix = config.referencePrefix;
        // This connection only records outcomes: an fsync per delivered form would cap delivery
        // at the disk's sync rate, and an outcome lost to a power cut is a resend the council
        // deduplicates.
        options.durability = store::Durability::Outcomes;

        std::unique_ptr<store::OutboxStore> outbox;
        while (!stopping()) {
            if (!outbox) {
                auto opened = store::OutboxStore::open(options);
                if (!opened) {
                    setError("Could not open the kiosk database: " + opened.error().message);
                    if (!sleepFor(pollMillis())) return;
                    continue;
                }
                outbox = std::move(opened.value());
                std::lock_guard lock(mutex);
                status.lastError = outbox->lastError();
            }
            const DeliveryReport report = deliverDueSubmissions(*outbox, *transport, config, clock, backoff);
            publish(*outbox, report);
            purgeIfDue(*outbox);
            if (!sleepFor(pauseAfter(*outbox, report))) return;
        }
    }
};

SyncWorker::SyncWorker(KioskConfig config, const Clock& clock)
    : SyncWorker(config, clock, std::make_unique<CurlTransport>(config.network)) {}

SyncWorker::SyncWorker(KioskConfig config, const Clock& clock, std::unique_ptr<Transport> transport)
    : impl_(std::make_unique<Impl>(std::move(config), clock, std::move(transport))) {}

SyncWorker::~SyncWorker() { stop(); }

void SyncWorker::start() {
    // A stopped worker has cancelled its transport for good: start() only works once.
    if (impl_->started) return;
    impl_->started = true;
    impl_->thread = std::thread([this] { impl_->run(); });
}

void SyncWorker::stop() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopRequested = true;
    }
    impl_->transport->cancel();  // abort a request in flight instead of waiting for its timeout
    impl_->signal.notify_all();
    if (impl_->thread.joinable()) impl_->thread.join();
}

void SyncWorker::wake() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->wakeRequested = true;
    }
    impl_->signal.notify_all();
}

SyncStatus SyncWorker::status() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->status;
}

}  // namespace kiosk::sync
