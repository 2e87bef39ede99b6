// Parses council-kiosk's command line. Kept free of SDL so it is trivially testable.
#include "kiosk/platform/options.h"

#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::platform {
namespace {

bool parseSize(std::string_view text, int& width, int& height) {
    const auto x = text.find('x');
    if (x == std::string_view::npos) return false;
    try {
        const int w = std::stoi(std::string(text.substr(0, x)));
        const int h = std::stoi(std::string(text.substr(x + 1)));
        if (w < 320 || h < 240 || w > 8192 || h > 8192) return false;
        width = w;
        height = h;
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

// Digits only (no sign, no spaces, nothing after), within [low, high].
std::optional<long long> parseWholeNumber(const std::string& text, long long low, long long high) {
    if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    const long long value = std::stoll(text);
    if (value < low || value > high) return std::nullopt;
    return value;
}

}  // namespace

const char* usageText() {
    return "Usage: council-kiosk [options]\n"
           "\n"
           "  --config FILE        configuration file (default: $KIOSK_CONFIG, else ./kiosk.json)\n"
           "  --pack DIR           content pack directory (overrides the config)\n"
           "  --data-dir DIR       directory for the database (overrides the config)\n"
           "  --fullscreen         fill the screen (also config display.fullscreen)\n"
           "  --renderer MODE      auto (default), software or accelerated\n"
           "  --dpi N              panel DPI (overrides the panel's own and the config)\n"
           "  --text-size N        each session starts at 100, 150 or 200 % text\n"
           "  --high-contrast      each session starts in the high-contrast theme\n"
           "  --check-accessibility  with --script: check contrast, target sizes and text on every screen\n"
           "  --font-dir DIR       directory holding NotoSans-Regular.ttf and NotoSans-Bold.ttf\n"
           "  --sync, --no-sync    deliver sealed forms (default: on, off when headless)\n"
           "  --usb-root DIR       offer every folder in DIR for USB export (default: sticks mounted\n"
           "                       under /media and /run/media)\n"
           "\n"
           "Headless runs (tests and screenshots):\n"
           "  --headless           render offscreen with the software renderer and a virtual clock\n"
           "  --size WxH           screen size in pixels (default 1920x1080)\n"
           "  --script FILE        follow a script of taps, typing, waits and checks\n"
           "  --screenshots DIR    where `shot NAME` writes NAME.png\n"
           "  --soak FRAMES        (council-kiosk-drivers only) soak test: random taps, drags, typing\n"
           "                       and waits for FRAMES frames,\n"
           "                       checking memory, stuck screens, privacy and the database\n"
           "  --seed N             the soak's random seed (default 1); the same seed repeats a run\n"
           "  --rasterise-every N  the soak software-rasterises one frame in N (default 50)\n";
}

ParseResult parseCommandLine(int argc, char** argv) {
    ParseResult result;
    CommandLineOptions& options = result.options;
    bool configGiven = false;

    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto value = [&](const char* name) -> std::optional<std::string> {
            if (i + 1 >= argc) {
                result.error = std::string(name) + " needs a value.";
                return std::nullopt;
            }
            return std::string(argv[++i]);
        };
        if (arg == "--help" || arg == "-h") {
            options.showHelp = true;
        } else if (arg == "--config") {
            if (auto v = value("--config")) options.configFile = *v, configGiven = true;
        } else if (arg == "--pack") {
            if (auto v = value("--pack")) options.packDirectory = *v;
        } else if (arg == "--data-dir") {
            if (auto v = value("--data-dir")) options.dataDirectory = *v;
        } else if (arg == "--font-dir") {
            if (auto v = value("--font-dir")) options.fontDirectory = *v;
        } else if (arg == "--fullscreen") {
            options.fullscreen = true;
        } else if (arg == "--renderer") {
            if (auto v = value("--renderer")) {
                if (*v == "auto")
                    options.renderer = RendererChoice::Automatic;
                else if (*v == "software")
                    options.renderer = RendererChoice::Software;
                else if (*v == "accelerated")
                    options.renderer = RendererChoice::Accelerated;
                else
                    result.error = "--renderer must be auto, software or accelerated.";
            }
        } else if (arg == "--dpi") {
            if (auto v = value("--dpi")) {
                char* end = nullptr;
                const double dpi = std::strtod(v->c_str(), &end);
                if (end == v->c_str() || *end != '\0' || dpi < 20 || dpi > 1000)
                    result.error = "--dpi must be a number between 20 and 1000.";
                else
                    options.dpi = dpi;
            }
        } else if (arg == "--check-accessibility") {
            options.checkAccessibility = true;
        } else if (arg == "--high-contrast") {
            options.startHighContrast = true;
        } else if (arg == "--text-size") {
            if (auto v = value("--text-size")) {
                if (*v == "100" || *v == "150" || *v == "200")
                    options.startTextSizePercent = std::stoi(*v);
                else
                    result.error = "--text-size must be 100, 150 or 200.";
            }
        } else if (arg == "--sync") {
            options.sync = true;
        } else if (arg == "--no-sync") {
            options.sync = false;
        } else if (arg == "--headless") {
            options.headless = true;
        } else if (arg == "--size") {
            if (auto v = value("--size"))
                if (!parseSize(*v, options.headlessWidth, options.headlessHeight))
                    result.error = "--size must look like 1920x1080.";
        } else if (arg == "--script") {
            if (auto v = value("--script")) options.script = *v;
        } else if (arg == "--soak") {
            if (auto v = value("--soak")) {
                const auto frames = parseWholeNumber(*v, 1, 1'000'000'000);
                if (frames)
                    options.soakFrames = *frames;
                else
                    result.error = "--soak must be a number of frames from 1 to 1000000000.";
            }
        } else if (arg == "--seed") {
            if (auto v = value("--seed")) {
                const auto seed = parseWholeNumber(*v, 0, std::numeric_limits<long long>::max());
                if (seed)
                    options.soakSeed = static_cast<std::uint64_t>(*seed);
                else
                    result.error = "--seed must be a whole number.";
            }
        } else if (arg == "--rasterise-every") {
            if (auto v = value("--rasterise-every")) {
                const auto every = parseWholeNumber(*v, 1, 1'000'000);
                if (every)
                    options.soakRasteriseEvery = static_cast<int>(*every);
                else
                    result.error = "--rasterise-every must be a number from 1 to 1000000.";
            }
        } else if (arg == "--usb-root") {
            if (auto v = value("--usb-root")) options.usbRoot = *v;
        } else if (arg == "--screenshots") {
            if (auto v = value("--screenshots")) options.screenshots = *v;
        } else {
            result.error = "Unknown option " + std::string(arg) + ".";
        }
        if (!result.error.empty()) return result;
    }

    if (!configGiven) {
        const char* fromEnvironment = std::getenv("KIOSK_CONFIG");
        options.configFile = (fromEnvironment && *fromEnvironment) ? fromEnvironment : "kiosk.json";
    }
    if (options.script && !options.headless) result.error = "--script needs --headless.";
    if (options.soakFrames && !options.headless) result.error = "--soak needs --headless.";
    if (options.soakFrames && options.script) result.error = "--soak and --script cannot be used together.";
    return result;
}

}  // namespace kiosk::platform
