// JobScheduler: the sync thread's background jobs (deliver, purge and heartbeat today; pack
// polling later). Each job has a name, its own due time and a run function that returns when
// it is next due. run() runs whatever is due, earliest first, then sleeps until the earliest
// due time, a makeDueNow() or stop(). Time comes from the injected Clock, so tests drive the
// schedule with a VirtualClock and runDueJobs() without any thread or real waiting.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/clock.h"

namespace kiosk::sync {

class JobScheduler {
public:
    // Runs the job at nowMillis and returns the time it is next due (Unix milliseconds).
    using RunFunction = std::function<std::int64_t(std::int64_t nowMillis)>;

    explicit JobScheduler(const Clock& clock) : clock_(clock) {}
    JobScheduler(const JobScheduler&) = delete;
    JobScheduler& operator=(const JobScheduler&) = delete;

    // Jobs are added before run(); a job due at the same time as another runs after it.
    void addJob(std::string name, std::int64_t firstDueAtMillis, RunFunction run);

    // Runs each job whose due time has come, once, earliest due first. Returns their names in
    // the order they ran. A job made due during its own run runs again on the next pass.
    std::vector<std::string> runDueJobs();

    std::optional<std::int64_t> nextDueAtMillis() const;                   // earliest among all jobs
    std::optional<std::int64_t> dueAtMillis(std::string_view name) const;  // nullopt: no such job

    // Thread-safe: the job is due now (a form was just sealed: deliver it), and a sleeping
    // run() wakes up to run it. Unknown names only wake the loop.
    void makeDueNow(std::string_view name);
    // Thread-safe: the job is due no later than atMillis (an earlier due time is kept).
    void makeDueBy(std::string_view name, std::int64_t atMillis);

    // The loop, on the calling thread, until stop(). Returns at once if stop() came first.
    void run();
    void stop();  // thread-safe
    bool stopping() const;

private:
    struct Job {
        std::string name;
        std::int64_t dueAtMillis = 0;
        RunFunction run;
        bool running = false;
        std::optional<std::int64_t> dueByWhileRunning;  // makeDueBy() during the run
    };

    const Clock& clock_;
    mutable std::mutex mutex_;
    std::condition_variable signal_;
    std::vector<Job> jobs_;  // guarded by mutex_ (the run functions are called without it)
    bool stopRequested_ = false;
    bool wakeRequested_ = false;
};

}  // namespace kiosk::sync
