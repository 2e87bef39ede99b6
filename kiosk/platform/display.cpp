// SDL window, renderer and headless surface; screenshot read-back.
#include "kiosk/platform/display.h"

#include <SDL.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace kiosk::platform {
namespace {

// Under X11 SDL's window-framebuffer path otherwise loads libGL (and with Mesa, LLVM) just to
// blit the software renderer's output: about 90 MB of memory for nothing.
void preferPlainFramebuffer() {
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
}

bool openHeadless(const DisplayRequest& request, Display& display, std::string& error) {
    // No window at all: an SDL surface is the render target, so read-back does not depend on
    // which video driver is present. The dummy driver keeps SDL_Init from looking for X11.
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "dummy");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        error = std::string("SDL could not start its headless video driver: ") + SDL_GetError();
        return false;
    }
    display.surface =
        SDL_CreateRGBSurfaceWithFormat(0, request.width, request.height, 32, SDL_PIXELFORMAT_RGB888);
    if (!display.surface) {
        error = std::string("SDL could not create the offscreen surface: ") + SDL_GetError();
        return false;
    }
    display.renderer = SDL_CreateSoftwareRenderer(display.surface);
    if (!display.renderer) {
        error = std::string("SDL could not create the software renderer: ") + SDL_GetError();
        return false;
    }
    display.software = true;
    display.rendererName = "software (offscreen)";
    return true;
}

// Fits the requested window inside the desktop's usable area, keeping its shape, so a
// developer's laptop still shows the whole 1920x1080 layout.
void fitToDesktop(int& width, int& height) {
    SDL_Rect usable;
    if (SDL_GetDisplayUsableBounds(0, &usable) != 0 || usable.w <= 0 || usable.h <= 0) return;
    if (width <= usable.w && height <= usable.h) return;
    // Leave room for the window's title bar and borders.
    const double scale = std::min(0.95 * usable.w / width, 0.95 * usable.h / height);
    width = static_cast<int>(width * scale);
    height = static_cast<int>(height * scale);
}

// Without a kernel graphics device there is no GPU, and asking SDL for an accelerated renderer
// would only load Mesa's CPU rasteriser.
bool hasGraphicsDevice() {
    std::error_code ignored;
    return std::filesystem::exists("/dev/dri", ignored);
}

// Mesa's CPU rasterisers pass for "accelerated" but cost ~90 MB of memory (LLVM) and draw no
// faster than SDL's own software renderer. Asked while the renderer's GL context is current.
bool isSoftwareOpenGl(SDL_Renderer* renderer) {
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(renderer, &info) != 0 || !info.name) return false;
    if (std::strncmp(info.name, "opengl", 6) != 0) return false;
    using GetString = const unsigned char* (*)(unsigned int);
    auto getString = reinterpret_cast<GetString>(SDL_GL_GetProcAddress("glGetString"));
    constexpr unsigned int kGlRenderer = 0x1F01;
    const char* name = getString ? reinterpret_cast<const char*>(getString(kGlRenderer)) : nullptr;
    if (!name) return false;
    return std::strstr(name, "llvmpipe") || std::strstr(name, "softpipe") ||
           std::strstr(name, "Software Rasterizer");
}

}  // namespace

bool openDisplay(const DisplayRequest& request, Display& display, std::string& error) {
    if (request.headless) return openHeadless(request, display, error);

    RendererChoice choice = request.renderer;
    if (choice == RendererChoice::Automatic && !hasGraphicsDevice()) choice = RendererChoice::Software;
    if (choice == RendererChoice::Software) preferPlainFramebuffer();
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        error = std::string("SDL could not start the video system: ") + SDL_GetError();
        return false;
    }
    int width = request.width, height = request.height;
    Uint32 flags = SDL_WINDOW_ALLOW_HIGHDPI;
    if (request.fullscreen) {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
    } else {
        fitToDesktop(width, height);
        flags |= SDL_WINDOW_RESIZABLE;
    }
    auto createWindow = [&] {
        return SDL_CreateWindow("Council Kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width,
                                height, flags);
    };
    display.window = createWindow();
    if (!display.window) {
        error = std::string("SDL could not open the window: ") + SDL_GetError();
        return false;
    }
    if (request.fullscreen) SDL_ShowCursor(SDL_DISABLE);  // a touch kiosk has no pointer to show

    if (choice != RendererChoice::Software) {
        display.renderer = SDL_CreateRenderer(display.window, -1, SDL_RENDERER_ACCELERATED);
        if (display.renderer && choice == RendererChoice::Automatic && isSoftwareOpenGl(display.renderer)) {
            // A fresh window, so SDL drops its GL context and library before the software path.
            SDL_DestroyRenderer(display.renderer);
            SDL_DestroyWindow(display.window);
            display.renderer = nullptr;
            display.window = createWindow();
            if (!display.window) {
                error = std::string("SDL could not open the window: ") + SDL_GetError();
                return false;
            }
        }
    }
    if (!display.renderer && choice != RendererChoice::Accelerated) {
        preferPlainFramebuffer();
        display.renderer = SDL_CreateRenderer(display.window, -1, SDL_RENDERER_SOFTWARE);
    }
    if (!display.renderer) {
        error = std::string("SDL could not create a renderer: ") + SDL_GetError();
        return false;
    }
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(display.renderer, &info) == 0) {
        display.rendererName = info.name ? info.name : "unknown";
        display.software = (info.flags & SDL_RENDERER_SOFTWARE) != 0;
    }
    float ddpi = 0, hdpi = 0, vdpi = 0;
    const int displayIndex = std::max(0, SDL_GetWindowDisplayIndex(display.window));
    if (SDL_GetDisplayDPI(displayIndex, &ddpi, &hdpi, &vdpi) == 0) display.panelDpi = hdpi;
    return true;
}

void closeDisplay(Display& display) {
    if (display.renderer) SDL_DestroyRenderer(display.renderer);
    if (display.surface) SDL_FreeSurface(display.surface);
    if (display.window) SDL_DestroyWindow(display.window);
    display = Display{};
    SDL_Quit();
}

void displayOutputSize(const Display& display, int& width, int& height) {
    width = height = 0;
    if (display.renderer) SDL_GetRendererOutputSize(display.renderer, &width, &height);
}

bool saveScreenshotPng(const Display& display, const std::filesystem::path& file, std::string& error) {
    int width = 0, height = 0;
    displayOutputSize(display, width, height);
    std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * height * 3);
    if (SDL_RenderReadPixels(display.renderer, nullptr, SDL_PIXELFORMAT_RGB24, pixels.data(), width * 3) !=
        0) {
        error = std::string("Could not read the screen back: ") + SDL_GetError();
        return false;
    }
    // stb's default (level 8) spends ~0.4 s on a 1080p frame; screens are mostly flat colour,
    // so a light level gives nearly the same size in a fraction of the time.
    stbi_write_png_compression_level = 2;
    std::error_code ignored;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ignored);
    if (!stbi_write_png(file.c_str(), width, height, 3, pixels.data(), width * 3)) {
        error = "Could not write " + file.string() + ".";
        return false;
    }
    return true;
}

}  // namespace kiosk::platform
