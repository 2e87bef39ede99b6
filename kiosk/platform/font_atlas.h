// FontAtlas: the kiosk's fonts baked at the resident's text size, and their texture on the
// renderer. The executor asks for a size (FontControl); the shell rebuilds before the next frame.
#pragma once

#include <string>

#include "kiosk/platform/command_executor.h"
#include "kiosk/platform/display.h"
#include "kiosk/ui/ui_context.h"

struct SDL_Texture;

namespace kiosk::platform {

class FontAtlas : public FontControl {
public:
    std::string directory;  // where the Noto fonts are

    // Makes the texture from the atlas baked last (the renderer's backend must be started).
    void createTexture(const Display& display);
    void wantTextSize(int percent) override { wantedPercent_ = percent; }
    // Rebuilds when another size was asked for since the last build. Between frames only.
    void rebuildIfWanted(const Display& display, ui::UiContext& ui);
    // The renderer has its own copy of the atlas once a frame has drawn: the CPU-side pixels
    // (several MB at kiosk font sizes) are not needed again.
    void releasePixelsAfterFrame();
    void destroyTexture();

private:
    SDL_Texture* texture_ = nullptr;  // the font atlas, made here (see createTexture)
    int builtPercent_ = 100;          // text size the atlas was built for
    int wantedPercent_ = 100;
    bool pixelsReleased_ = false;
};

}  // namespace kiosk::platform
