// council-kiosk: the touch kiosk program. Parses options, loads config, pack and database,
// then runs either the windowed event loop, a headless script (see script_runner.h) or the soak
// test (soak_driver.h).
//
// Configuration: --config FILE, else $KIOSK_CONFIG, else ./kiosk.json (the installer passes
// --config explicitly). Exit codes: 0 normal end, script or soak passed, 1 a script or soak check
// failed or the kiosk cannot show anything (no display, missing fonts), 2 bad command line or config.
//
// KIOSK_REPORT_FIRST_FRAME=1 prints "first-frame-ms N" to stderr once the first frame has been
// presented, N counted from the top of main. tests/bench times start-up with it; it costs one
// clock read when unset.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "kiosk/platform/event_loop.h"
#include "kiosk/platform/kiosk_app.h"
#include "kiosk/platform/options.h"
#include "kiosk/platform/script_runner.h"
#include "kiosk/platform/soak_driver.h"

namespace {

using namespace kiosk;
using namespace kiosk::platform;

bool firstFrameReportWanted() {
    const char* value = std::getenv("KIOSK_REPORT_FIRST_FRAME");
    return value && std::strcmp(value, "1") == 0;
}

int runKiosk(const CommandLineOptions& options, std::chrono::steady_clock::time_point processStart) {
    auto config = loadKioskConfig(options);
    if (!config) {
        std::fprintf(stderr, "council-kiosk: %s\n", config.error().message.c_str());
        return 2;
    }
    const bool syncOn = options.sync.value_or(!options.headless);

    // Headless runs use a virtual clock so a two-minute timeout passes instantly and runs repeat
    // exactly. With --sync, the virtual clock starts at the real time so sealed forms fall due for
    // delivery on the sync thread, which keeps real time.
    SystemClock systemClock;
    VirtualClock virtualClock;
    if (options.headless && syncOn) virtualClock.setMillis(systemClock.nowMillis());
    const Clock& uiClock = options.headless ? static_cast<const Clock&>(virtualClock) : systemClock;

    auto app = std::make_unique<KioskApp>();
    if (firstFrameReportWanted()) app->reportFirstFrameFrom = processStart;
    app->config = std::move(config.value());
    prepareKiosk(*app, uiClock, options.headless);
    app->state.settings.defaultTextSizePercent = options.startTextSizePercent;
    app->state.settings.defaultHighContrast = options.startHighContrast;
    app->state.textSizePercent = options.startTextSizePercent;
    app->state.highContrast = options.startHighContrast;

    std::string error;
    if (!startInterface(*app, options, error)) {
        std::fprintf(stderr, "council-kiosk cannot start: %s\n", error.c_str());
        stopInterface(*app);
        return 1;
    }
    if (syncOn) startSync(*app, systemClock);

    int exitCode = 0;
    if (!options.headless)
        exitCode = runWindowed(*app);
    else if (options.soakFrames)
        exitCode = runSoak(*app, virtualClock,
                           SoakOptions{*options.soakFrames, options.soakSeed, options.soakRasteriseEvery});
    else if (options.script)
        exitCode = runScript(*app, virtualClock, *options.script, options.screenshots, options.checkAccessibility);
    else
        exitCode = runHeadlessSnapshot(*app, options.screenshots);

    stopSync(*app);
    stopInterface(*app);
    endSession(app->state);  // wipes any answers still in memory
    return exitCode;
}

}  // namespace

int main(int argc, char** argv) {
    // Taken before anything else so the start-up figure includes option parsing, config, pack
    // and fonts; the time the dynamic loader spent before main is measured from outside.
    const auto processStart = std::chrono::steady_clock::now();
    const ParseResult parsed = parseCommandLine(argc, argv);
    if (parsed.options.showHelp) {
        std::fputs(usageText(), stdout);
        return 0;
    }
    if (!parsed.error.empty()) {
        std::fprintf(stderr, "council-kiosk: %s\n\n%s", parsed.error.c_str(), usageText());
        return 2;
    }
    return runKiosk(parsed.options, processStart);
}
