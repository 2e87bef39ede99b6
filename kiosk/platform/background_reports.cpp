// BackgroundReports (background_reports.h).
#include "kiosk/platform/background_reports.h"

#include <SDL.h>

#include <chrono>

namespace kiosk::platform {

BackgroundReports::~BackgroundReports() {
    for (auto& job : jobs_)
        if (job.valid()) job.wait();
}

void BackgroundReports::run(std::function<std::optional<Intent>()> job) {
    // Finished jobs are dropped first, so a long session does not keep one future per lookup.
    std::erase_if(jobs_, [](const std::future<void>& running) {
        return running.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    });
    jobs_.push_back(std::async(std::launch::async, [this, job = std::move(job)] {
        std::optional<Intent> answer = job();
        if (answer) {
            std::lock_guard lock(mutex_);
            reports_.push_back(std::move(*answer));
        }
        if (SDL_WasInit(SDL_INIT_EVENTS) == 0) return;  // no loop to wake (tests, headless tools)
        SDL_Event event{};
        event.type = SDL_USEREVENT;
        SDL_PushEvent(&event);
    }));
}

std::vector<Intent> BackgroundReports::take(bool waitForJobs) {
    if (waitForJobs) {
        for (auto& job : jobs_)
            if (job.valid()) job.wait();
    }
    std::lock_guard lock(mutex_);
    std::vector<Intent> taken;
    taken.swap(reports_);
    return taken;
}

}  // namespace kiosk::platform
