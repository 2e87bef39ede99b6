// FontAtlas (font_atlas.h): baking the fonts and writing their texture.
#include "kiosk/platform/font_atlas.h"

#include <SDL.h>
#include <imgui.h>

#include <cstddef>
#include <cstdio>
#include <vector>

#include "kiosk/platform/fonts.h"

namespace kiosk::platform {

// The font atlas as an SDL texture, made here rather than by the SDL_Renderer backend: the
// backend converts the whole atlas to a fresh RGBA buffer and then copies that into the
// texture, touching 16 MB of new memory at start (1024x2048 at 100 % text); with the texture
// written in place start-up took about 35 ms less on a VM where every new page faults
// expensively. The software renderer's texture is
// written in place instead, from the 8-bit atlas ImGui already holds.
void FontAtlas::createTexture(const Display& display) {
    ImGuiIO& io = ImGui::GetIO();
    unsigned char* alpha = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsAlpha8(&alpha, &width, &height);
    const auto fill = [&](unsigned char* pixels, int pitch) {
        for (int y = 0; y < height; ++y) {
            auto* row = reinterpret_cast<ImU32*>(pixels + static_cast<std::ptrdiff_t>(y) * pitch);
            const unsigned char* source = alpha + static_cast<std::ptrdiff_t>(y) * width;
            for (int x = 0; x < width; ++x) row[x] = IM_COL32(255, 255, 255, source[x]);  // as ImGui's RGBA32
        }
    };
    const bool inPlace = display.software;
    texture_ =
        SDL_CreateTexture(display.renderer, SDL_PIXELFORMAT_RGBA32,
                          inPlace ? SDL_TEXTUREACCESS_STREAMING : SDL_TEXTUREACCESS_STATIC, width, height);
    if (!texture_) {
        std::fprintf(stderr, "council-kiosk: the font texture could not be made: %s\n", SDL_GetError());
        return;
    }
    void* locked = nullptr;
    int pitch = 0;
    if (inPlace && SDL_LockTexture(texture_, nullptr, &locked, &pitch) == 0) {
        fill(static_cast<unsigned char*>(locked), pitch);
        SDL_UnlockTexture(texture_);
    } else {
        std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * height * 4);
        fill(pixels.data(), width * 4);
        SDL_UpdateTexture(texture_, nullptr, pixels.data(), width * 4);
    }
    SDL_SetTextureBlendMode(texture_, SDL_BLENDMODE_BLEND);
    io.Fonts->SetTexID(texture_);
}

void FontAtlas::destroyTexture() {
    if (!texture_) return;
    ImGui::GetIO().Fonts->SetTexID(nullptr);
    SDL_DestroyTexture(texture_);
    texture_ = nullptr;
}

// Only three sizes exist and a resident changes size rarely, so rebuilding (tens of
// milliseconds) beats keeping every size in memory.
void FontAtlas::rebuildIfWanted(const Display& display, ui::UiContext& ui) {
    if (wantedPercent_ == builtPercent_) return;
    destroyTexture();
    std::string error;
    const float scale = static_cast<float>(wantedPercent_) / 100.0f;
    if (!loadKioskFonts(directory, ui.pixelsPerMm, ui.fonts, error, scale)) {
        // The files were there at start; if they vanished, keep going at the size that worked.
        std::fprintf(stderr, "council-kiosk: %s\n", error.c_str());
        loadKioskFonts(directory, ui.pixelsPerMm, ui.fonts, error,
                       static_cast<float>(builtPercent_) / 100.0f);
        wantedPercent_ = builtPercent_;
    }
    builtPercent_ = wantedPercent_;
    createTexture(display);
    pixelsReleased_ = false;  // released again once this frame has drawn
}

void FontAtlas::releasePixelsAfterFrame() {
    if (pixelsReleased_) return;
    ImGui::GetIO().Fonts->ClearTexData();
    pixelsReleased_ = true;
}

}  // namespace kiosk::platform
