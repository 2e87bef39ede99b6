// Headless script runner: drives the real kiosk UI from a text script on a virtual clock, for
// end-to-end tests and for screenshots of every screen.
//
// Script language, one command per line, `#` starts a comment, strings in double quotes
// (\" and \\ escapes, UTF-8):
//   tap "Label"          tap the control whose label is (or contains) Label; scrolls it into view,
//                        closing the on-screen keyboard with Done first when that hides it
//   type "text"          type into the text box that has focus (tap the box first)
//   keys "text"          type by tapping the on-screen keyboard's keys, one by one (Shift for
//                        capitals, the 123 page for digits when needed), as a resident would
//   key Backspace|Enter|Tab|Escape|Delete|Left|Right|Home|End
//   wait SECONDS         let time pass on the virtual clock; timers fire on the way
//   hold-corner SECONDS  press near the top-left corner and hold still (the hidden staff entry)
//   drag MILLIMETRES     drag a finger up (negative) or down (positive) over the page
//   expect "text"        the text is on screen
//   expect-not "text"    the text is not on screen
//   expect-screen NAME   the kiosk shows that screen (attract, language, services, question, ...)
//   shot NAME            write NAME.png into the --screenshots directory
//   dump NAME            write NAME.json there: the screen's recorded items (labels, rectangles)
//   expect-spoken "text" read-aloud has said something containing text since the last check
// A driver program may add commands of its own (ScriptCommand): council-kiosk-drivers adds
// bench-frames and report-memory for the benchmarks (tests/drivers/bench_hooks.h).
// A failed check prints `FILE:LINE: ...` with what is visible and makes the run exit 1.
// With checkAccessibility, every distinct screen the script reaches is checked against the
// accessibility rules (accessibility_check.h); any problem fails the run, listed by screen and label.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/clock.h"
#include "kiosk/platform/kiosk_app.h"

namespace kiosk::platform {

// What a driver's own script command may use of the runner.
class ScriptSteps {
public:
    virtual ~ScriptSteps() = default;
    virtual KioskApp& app() = 0;
    // One frame with the pointer at (x, y) and not pressed, as a finger hovering over the page.
    virtual void frameWithPointerAt(float x, float y) = 0;
    virtual void pageCentre(float& x, float& y) = 0;  // the middle of the scrolling page
    virtual void settle() = 0;                        // draw until a frame changes nothing, pointer lifted
};

struct ScriptCommand {
    std::string verb;
    bool takesArgument = true;
    // "" when it passed; otherwise what failed, reported with the script line like any check.
    std::function<std::string(ScriptSteps& steps, const std::string& argument)> run;
};

// The gestures scripts are made of, for other headless drivers (soak_driver.h): each is what a
// resident's finger or a keyboard does, frame by frame as in a script, and ends with the pointer
// lifted and the screen settled. beforeFrame runs before every frame drawn (the soak moves its
// virtual clock on there and decides which frames to rasterise).
class HeadlessGestures {
public:
    HeadlessGestures(KioskApp& app, VirtualClock& clock, std::function<void()> beforeFrame)
        : app_(app), clock_(clock), beforeFrame_(std::move(beforeFrame)) {}

    void settle();
    void tapAt(float x, float y);
    bool type(const std::string& text);      // false (nothing typed) when no text box has focus
    bool pressKey(const std::string& name);  // Backspace, Enter, Tab, Escape, Delete, Left, ...
    void drag(float millimetres);            // up (negative) or down (positive) over the page
    void wait(double seconds);               // timers fire on the way, as for `wait`

private:
    KioskApp& app_;
    VirtualClock& clock_;
    std::function<void()> beforeFrame_;
};

// Returns the process exit code: 0 when every command passed, 1 on a failed check, 2 when the
// script cannot be read or parsed.
int runScript(KioskApp& app, VirtualClock& clock, const std::filesystem::path& script,
              const std::optional<std::filesystem::path>& screenshotDirectory,
              bool checkAccessibility = false, const std::vector<ScriptCommand>& extraCommands = {});

// Headless run without a script: settle the first screen and optionally save it as start.png.
int runHeadlessSnapshot(KioskApp& app, const std::optional<std::filesystem::path>& screenshotDirectory);

}  // namespace kiosk::platform
