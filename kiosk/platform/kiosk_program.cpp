// runKioskProgram (kiosk_program.h).
//
// Configuration: --config FILE, else $KIOSK_CONFIG, else ./kiosk.json (the installer passes
// --config explicitly).
#include "kiosk/platform/kiosk_program.h"

#include <cstdio>
#include <memory>

#include "kiosk/platform/event_loop.h"

namespace kiosk::platform {
namespace {

int runKiosk(const CommandLineOptions& options, const ProgramExtensions& extensions) {
    if (options.soakFrames && !extensions.soak) {
        std::fprintf(stderr, "council-kiosk: --soak is a test driver: run it with council-kiosk-drivers.\n");
        return 2;
    }
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
    app->config = std::move(config.value());
    if (options.usbRoot) {
        app->usbRoots = {*options.usbRoot};
        app->usbRootsListAll = true;
    }
    prepareKiosk(*app, uiClock, options.headless);
    // --text-size and --high-contrast override the hub's saved defaults only when given.
    if (options.startTextSizePercent != 100) {
        app->state.settings.defaultTextSizePercent = options.startTextSizePercent;
        app->state.textSizePercent = options.startTextSizePercent;
    }
    if (options.startHighContrast) {
        app->state.settings.defaultHighContrast = true;
        app->state.highContrast = true;
    }
    if (extensions.prepareApp) extensions.prepareApp(*app);

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
        exitCode = extensions.soak(*app, virtualClock, options);
    else if (options.script)
        exitCode = runScript(*app, virtualClock, *options.script, options.screenshots,
                             options.checkAccessibility, extensions.scriptCommands);
    else
        exitCode = runHeadlessSnapshot(*app, options.screenshots);

    stopSync(*app);
    stopInterface(*app);
    endSession(app->state);  // wipes any answers still in memory
    return exitCode;
}

}  // namespace

int runKioskProgram(int argc, char** argv, const ProgramExtensions& extensions) {
    const ParseResult parsed = parseCommandLine(argc, argv);
    if (parsed.options.showHelp) {
        std::fputs(usageText(), stdout);
        return 0;
    }
    if (!parsed.error.empty()) {
        std::fprintf(stderr, "council-kiosk: %s\n\n%s", parsed.error.c_str(), usageText());
        return 2;
    }
    return runKiosk(parsed.options, extensions);
}

}  // namespace kiosk::platform
