// UiContext: what every screen needs to draw, prepared once by the platform layer:
// fonts baked at the sizes the kiosk uses, and the scale from millimetres to pixels.
// Sizes are always written in millimetres or font units, never raw pixels.
#pragma once

#include <string>

#include "frame_record.h"

struct ImFont;

namespace kiosk::ui {

class ShapedTextEngine;

struct UiFonts {
    ImFont* body = nullptr;        // body text, capital height >= 4.8 mm
    ImFont* bodyBold = nullptr;    // labels, buttons
    ImFont* heading = nullptr;     // page headings (the question)
    ImFont* headingLarge = nullptr;  // attract screen, confirmation panel title
    ImFont* reference = nullptr;   // the reference number on confirmation
};

struct UiContext {
    float pixelsPerMm = 3.78f;  // 96 dpi; set from the panel's DPI or config
    float screenWidth = 1920;
    float screenHeight = 1080;
    UiFonts fonts;
    FrameRecord* record = nullptr;  // where screens record text and controls this frame
    // Draws text Dear ImGui cannot shape (Devanagari); nullptr draws everything through ImGui.
    ShapedTextEngine* shaper = nullptr;
    // "Scroll down for more" in the resident's language, set each frame before screens draw;
    // endContent() shows it while a page continues below the fold.
    std::string scrollCueLabel;

    float mm(float millimetres) const { return millimetres * pixelsPerMm; }
};

}  // namespace kiosk::ui
