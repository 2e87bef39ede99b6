// BackgroundReports: work the UI thread hands to a thread of its own (a council status lookup),
// whose answers, as intents, wait here until the UI thread collects them. Each finished job
// pushes an empty SDL event, so a loop asleep in SDL_WaitEventTimeout wakes for its answer.
#pragma once

#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <vector>

#include "kiosk/kiosk_flow.h"

namespace kiosk::platform {

class BackgroundReports {
public:
    BackgroundReports() = default;
    ~BackgroundReports();  // waits for jobs still running
    BackgroundReports(const BackgroundReports&) = delete;
    BackgroundReports& operator=(const BackgroundReports&) = delete;

    // Runs `job` on a new thread; what it returns, if anything, is reported.
    void run(std::function<std::optional<Intent>()> job);

    // Answers ready now, oldest first. waitForJobs: first let every job in flight finish (the
    // headless runner, whose virtual clock does not move on its own).
    std::vector<Intent> take(bool waitForJobs);

private:
    std::mutex mutex_;
    std::vector<Intent> reports_;
    std::vector<std::future<void>> jobs_;  // touched by the UI thread only
};

}  // namespace kiosk::platform
