// council-kiosk-drivers: council-kiosk with its test drivers linked in, for tests and
// benchmarks only: the soak driver (--soak, soak_driver.h) and the benchmark hooks
// (bench_hooks.h). Everything else is the product program, unchanged (kiosk_program.h).
#include <chrono>

#include "bench_hooks.h"
#include "kiosk/platform/kiosk_program.h"
#include "soak_driver.h"

int main(int argc, char** argv) {
    // Taken before anything else so the start-up figure includes option parsing, config, pack
    // and fonts; the time the dynamic loader spent before main is measured from outside.
    const auto processStart = std::chrono::steady_clock::now();
    using namespace kiosk;
    platform::ProgramExtensions extensions;
    extensions.soak = [](platform::KioskApp& app, VirtualClock& clock,
                         const platform::CommandLineOptions& options) {
        return platform::runSoak(
            app, clock,
            platform::SoakOptions{*options.soakFrames, options.soakSeed, options.soakRasteriseEvery});
    };
    extensions.scriptCommands = drivers::benchmarkScriptCommands();
    extensions.prepareApp = [processStart](platform::KioskApp& app) {
        drivers::reportFirstFrameWhenAsked(app, processStart);
    };
    return platform::runKioskProgram(argc, argv, extensions);
}
