// Display: the SDL window and renderer the kiosk draws into, in one struct.
// Windowed or fullscreen on a real panel; headless draws into an offscreen surface with SDL's
// software renderer so tests can read every pixel back.
#pragma once

#include <filesystem>
#include <string>

#include "kiosk/platform/options.h"

struct SDL_Window;
struct SDL_Renderer;
struct SDL_Surface;

namespace kiosk::platform {

struct DisplayRequest {
    bool headless = false;
    bool fullscreen = false;
    int width = 1920;  // windowed size (scaled down to fit the desktop) or headless size
    int height = 1080;
    RendererChoice renderer = RendererChoice::Automatic;
};

struct Display {
    SDL_Window* window = nullptr;  // null when headless
    SDL_Renderer* renderer = nullptr;
    SDL_Surface* surface = nullptr;  // headless render target, null otherwise
    bool software = false;           // the renderer draws on the CPU
    std::string rendererName;        // for the start-up log line
    double panelDpi = 0;             // as reported by SDL; 0 when unknown or headless
};

// Initialises SDL video and creates the window and renderer. On failure returns false and
// sets `error` to a sentence for stderr.
bool openDisplay(const DisplayRequest& request, Display& display, std::string& error);
void closeDisplay(Display& display);

// Output size in pixels (may differ from the window size on high-DPI desktops).
void displayOutputSize(const Display& display, int& width, int& height);

// Writes what was last rendered to a PNG (RGB, 8 bits a channel).
bool saveScreenshotPng(const Display& display, const std::filesystem::path& file, std::string& error);

}  // namespace kiosk::platform
