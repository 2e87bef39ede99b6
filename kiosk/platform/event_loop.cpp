// Windowed event loop. SDL turns SIGINT and SIGTERM into SDL_QUIT, which wakes the wait.
#include "kiosk/platform/event_loop.h"

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>

#include <algorithm>
#include <cfloat>
#include <cstdint>

namespace kiosk::platform {
namespace {

// After input, ImGui needs the frame that sees it and one more for layout that depends on it
// (a window that appeared sizes itself on its second frame).
constexpr int kFramesAfterChange = 2;
// SDL turns SIGTERM into SDL_QUIT, but its X11 wait retries through the signal's interruption,
// so without a cap a stop request could wait for the next timer (up to two minutes). Waking once
// a second to find nothing to do costs microseconds.
constexpr std::int64_t kLongestSleepMillis = 1000;

bool isResidentInput(const SDL_Event& event) {
    switch (event.type) {
        case SDL_MOUSEBUTTONDOWN:
        case SDL_MOUSEBUTTONUP:
        case SDL_MOUSEMOTION:
        case SDL_MOUSEWHEEL:
        case SDL_FINGERDOWN:
        case SDL_FINGERUP:
        case SDL_FINGERMOTION:
        case SDL_KEYDOWN:
        case SDL_KEYUP:
        case SDL_TEXTINPUT:
            return true;
        default:
            return false;
    }
}

// Where the pointer is, from SDL's own events. The SDL backend of Dear ImGui 1.86 asks X11 for
// the global pointer position instead, and that answer goes stale while a button is held (a
// finger dragging a list), so drag-to-scroll would never see the finger move.
// Touch screens also have no hover: once a finger lifts, ImGui must stop seeing the pointer
// where it was, or the last control touched stays highlighted for the next resident.
struct PointerTracker {
    ImVec2 position{-FLT_MAX, -FLT_MAX};
    bool inside = false;          // the pointer is over the window (or a button is held)
    bool lifted = false;          // a touch ended and its release frame has been drawn
    bool releasePending = false;  // a touch ended; its release frame is still to come

    void onEvent(const SDL_Event& event) {
        switch (event.type) {
            case SDL_MOUSEMOTION:
                position = ImVec2(static_cast<float>(event.motion.x), static_cast<float>(event.motion.y));
                inside = true;
                if (event.motion.which != SDL_TOUCH_MOUSEID) lifted = releasePending = false;
                break;
            case SDL_MOUSEBUTTONDOWN:
                position = ImVec2(static_cast<float>(event.button.x), static_cast<float>(event.button.y));
                inside = true;
                lifted = releasePending = false;
                break;
            case SDL_MOUSEBUTTONUP:
                position = ImVec2(static_cast<float>(event.button.x), static_cast<float>(event.button.y));
                if (event.button.which == SDL_TOUCH_MOUSEID) releasePending = true;
                break;
            case SDL_WINDOWEVENT:
                if (event.window.event == SDL_WINDOWEVENT_LEAVE) inside = false;
                break;
            default:
                break;
        }
    }
    // Called after the SDL backend filled io for the coming frame.
    void apply(ImGuiIO& io) const {
        if (lifted && !io.MouseDown[0])
            io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        else if (inside || io.MouseDown[0])
            io.MousePos = position;
    }
    void frameDrawn() {
        if (releasePending) {
            releasePending = false;
            lifted = true;
        }
    }
};

}  // namespace

int runWindowed(KioskApp& app) {
    int framesWanted = kFramesAfterChange;
    bool running = true;
    PointerTracker pointer;

    while (running) {
        const std::int64_t now = app.clock->nowMillis();
        std::int64_t waitMillis = kLongestSleepMillis;
        if (framesWanted > 0) {
            waitMillis = 0;
        } else {
            if (const auto deadline = nextDeadlineMillis(app.state))
                waitMillis = std::clamp<std::int64_t>(*deadline - now, 0, waitMillis);
            if (const auto hold = app.cornerHold.deadlineMillis())
                waitMillis = std::clamp<std::int64_t>(*hold - now, 0, waitMillis);
        }

        SDL_Event event;
        bool haveEvent = waitMillis == 0 ? SDL_PollEvent(&event) != 0
                                         : SDL_WaitEventTimeout(&event, static_cast<int>(waitMillis)) != 0;
        while (haveEvent) {
            ImGui_ImplSDL2_ProcessEvent(&event);
            pointer.onEvent(event);
            if (event.type == SDL_QUIT) running = false;
            if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE &&
                event.window.windowID == SDL_GetWindowID(app.display.window))
                running = false;
            if (isResidentInput(event)) dispatch(app, Intent{Touched{}});
            framesWanted = std::max(framesWanted, kFramesAfterChange);
            haveEvent = SDL_PollEvent(&event) != 0;
        }
        if (!running) break;

        if (dispatchDueTicks(app)) framesWanted = std::max(framesWanted, 1);
        // The loop wakes at least once a second, so the top bar follows the sync thread closely
        // enough for a volunteer's glance without a wake-up channel between the threads.
        if (refreshConnectionStatus(app)) framesWanted = std::max(framesWanted, 1);
        if (refreshAssistSwitch(app)) framesWanted = std::max(framesWanted, 1);
        if (collectStaffReports(app)) framesWanted = std::max(framesWanted, 1);
        if (collectReceiptReports(app)) framesWanted = std::max(framesWanted, 1);
        if (collectCouncilStatus(app)) framesWanted = std::max(framesWanted, 1);
        if (refreshAdminQueue(app)) framesWanted = std::max(framesWanted, 1);
        // A press held in the corner draws no frames of its own: wake one when its time is up.
        if (const auto hold = app.cornerHold.deadlineMillis(); hold && *hold <= app.clock->nowMillis())
            framesWanted = std::max(framesWanted, 1);

        if (framesWanted > 0) {
            --framesWanted;
            if (drawFrame(app, [&pointer](ImGuiIO& frameIo) { pointer.apply(frameIo); }))
                framesWanted = std::max(framesWanted, kFramesAfterChange);
            pointer.frameDrawn();
        }
    }
    return 0;
}

}  // namespace kiosk::platform
