// The council-kiosk program: parses options, loads config, pack and database, then runs the
// windowed event loop, a headless script (script_runner.h) or a headless snapshot.
//
// A driver program (tests/drivers: council-kiosk-drivers) is the same program with test drivers
// added through ProgramExtensions; the product binary passes none, so none of them is linked
// into it.
#pragma once

#include <functional>
#include <vector>

#include "kiosk/clock.h"
#include "kiosk/platform/kiosk_app.h"
#include "kiosk/platform/options.h"
#include "kiosk/platform/script_runner.h"

namespace kiosk::platform {

struct ProgramExtensions {
    // Runs instead of a script when --soak is given. Unset: --soak is refused.
    std::function<int(KioskApp&, VirtualClock&, const CommandLineOptions&)> soak;
    std::vector<ScriptCommand> scriptCommands;  // extra script commands
    std::function<void(KioskApp&)> prepareApp;  // after set-up, before the interface starts
};

// Exit codes: 0 normal end, script or soak passed, 1 a script or soak check failed or the kiosk
// cannot show anything (no display, missing fonts), 2 bad command line or config.
int runKioskProgram(int argc, char** argv, const ProgramExtensions& extensions = {});

}  // namespace kiosk::platform
