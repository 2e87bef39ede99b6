// JobScheduler: due-time bookkeeping, the run loop and its sleep.
#include "sync/job_scheduler.h"

#include <algorithm>
#include <chrono>

namespace kiosk::sync {
namespace {

// A job not due for ages (or none at all) still gets its due time looked at again after this;
// it also keeps the wait far from the overflow of a steady_clock time point.
constexpr std::int64_t kLongestSleepMillis = 60 * 60 * 1000;

}  // namespace

void JobScheduler::addJob(std::string name, std::int64_t firstDueAtMillis, RunFunction run) {
    std::lock_guard lock(mutex_);
    Job job;
    job.name = std::move(name);
    job.dueAtMillis = firstDueAtMillis;
    job.run = std::move(run);
    jobs_.push_back(std::move(job));
}

std::vector<std::string> JobScheduler::runDueJobs() {
    // Which jobs are due is decided once, at the start of the pass, so a job that reschedules
    // itself into the past cannot run twice in one pass.
    std::vector<std::size_t> due;
    {
        std::lock_guard lock(mutex_);
        const std::int64_t now = clock_.nowMillis();
        for (std::size_t i = 0; i < jobs_.size(); ++i) {
            if (jobs_[i].dueAtMillis <= now) due.push_back(i);
        }
        // Earliest due first; stable, so jobs due together run in the order they were added.
        std::stable_sort(due.begin(), due.end(), [&](std::size_t a, std::size_t b) {
            return jobs_[a].dueAtMillis < jobs_[b].dueAtMillis;
        });
    }
    std::vector<std::string> ran;
    for (const std::size_t index : due) {
        if (stopping()) break;
        RunFunction run;
        {
            std::lock_guard lock(mutex_);
            jobs_[index].running = true;
            jobs_[index].dueByWhileRunning.reset();
            run = jobs_[index].run;
        }
        const std::int64_t next = run(clock_.nowMillis());
        std::lock_guard lock(mutex_);
        Job& job = jobs_[index];
        job.running = false;
        // A makeDueNow() during the run asked for another run after this one, not a wait.
        job.dueAtMillis = job.dueByWhileRunning ? std::min(next, *job.dueByWhileRunning) : next;
        ran.push_back(job.name);
    }
    return ran;
}

std::optional<std::int64_t> JobScheduler::nextDueAtMillis() const {
    std::lock_guard lock(mutex_);
    std::optional<std::int64_t> earliest;
    for (const Job& job : jobs_) {
        if (!earliest || job.dueAtMillis < *earliest) earliest = job.dueAtMillis;
    }
    return earliest;
}

std::optional<std::int64_t> JobScheduler::dueAtMillis(std::string_view name) const {
    std::lock_guard lock(mutex_);
    for (const Job& job : jobs_) {
        if (job.name == name) return job.dueAtMillis;
    }
    return std::nullopt;
}

void JobScheduler::makeDueNow(std::string_view name) {
    makeDueBy(name, clock_.nowMillis());
}

void JobScheduler::makeDueBy(std::string_view name, std::int64_t atMillis) {
    {
        std::lock_guard lock(mutex_);
        for (Job& job : jobs_) {
            if (job.name != name) continue;
            if (job.running)
                job.dueByWhileRunning = std::min(job.dueByWhileRunning.value_or(atMillis), atMillis);
            job.dueAtMillis = std::min(job.dueAtMillis, atMillis);
        }
        wakeRequested_ = true;
    }
    signal_.notify_all();
}

void JobScheduler::run() {
    while (!stopping()) {
        runDueJobs();
        std::unique_lock lock(mutex_);
        if (stopRequested_) return;
        if (wakeRequested_) {
            // Woken while jobs ran: whatever was made due runs now, without sleeping.
            wakeRequested_ = false;
            continue;
        }
        std::int64_t sleepMillis = kLongestSleepMillis;
        for (const Job& job : jobs_) {
            sleepMillis =
                std::min(sleepMillis, std::max<std::int64_t>(job.dueAtMillis - clock_.nowMillis(), 0));
        }
        signal_.wait_for(lock, std::chrono::milliseconds(sleepMillis),
                         [this] { return stopRequested_ || wakeRequested_; });
        wakeRequested_ = false;
    }
}

void JobScheduler::stop() {
    {
        std::lock_guard lock(mutex_);
        stopRequested_ = true;
    }
    signal_.notify_all();
}

bool JobScheduler::stopping() const {
    std::lock_guard lock(mutex_);
    return stopRequested_;
}

}  // namespace kiosk::sync
