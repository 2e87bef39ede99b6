// Command-line options of council-kiosk and their parser. Options override the config file,
// so one config can serve a windowed test, a fullscreen kiosk and a headless script run.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace kiosk::platform {

enum class RendererChoice { Automatic, Software, Accelerated };

struct CommandLineOptions {
    std::filesystem::path configFile;                     // --config; else $KIOSK_CONFIG; else ./kiosk.json
    std::optional<std::filesystem::path> packDirectory;   // --pack, overrides config.packDirectory
    std::optional<std::filesystem::path> dataDirectory;   // --data-dir, overrides config.dataDirectory
    std::optional<std::filesystem::path> fontDirectory;   // --font-dir, for tests; default Debian's Noto
    std::optional<double> dpi;                            // --dpi, overrides the panel's and the config's DPI
    bool fullscreen = false;                              // --fullscreen
    RendererChoice renderer = RendererChoice::Automatic;  // --renderer auto|software|accelerated

    bool headless = false;     // --headless: offscreen, software, virtual clock
    int headlessWidth = 1920;  // --size WxH
    int headlessHeight = 1080;
    std::optional<std::filesystem::path> script;       // --script FILE
    std::optional<std::filesystem::path> screenshots;  // --screenshots DIR
    std::optional<std::filesystem::path> usbRoot;      // --usb-root DIR: export folders are its subfolders
    // Soak test (soak_driver.h): a random resident for this many frames; needs --headless.
    std::optional<long> soakFrames;   // --soak FRAMES
    std::uint64_t soakSeed = 1;       // --seed N
    int soakRasteriseEvery = 50;      // --rasterise-every N: software-rasterise one frame in N
    std::optional<bool> sync;         // --sync / --no-sync; default: on unless headless
    bool checkAccessibility = false;  // --check-accessibility: check every screen a script shows
    // Each session starts with this text size and theme (a kiosk at a sight-loss service, or a
    // test of every screen at 200 % or in high contrast).
    int startTextSizePercent = 100;  // --text-size 100|150|200
    bool startHighContrast = false;  // --high-contrast

    bool showHelp = false;
};

struct ParseResult {
    CommandLineOptions options;
    std::string error;  // empty when the command line was understood
};

ParseResult parseCommandLine(int argc, char** argv);
const char* usageText();

}  // namespace kiosk::platform
