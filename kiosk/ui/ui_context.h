// UiContext: what every screen needs to draw, prepared once by the platform layer:
// fonts baked at the sizes the kiosk uses, and the scale from millimetres to pixels.
// Sizes are always written in millimetres or font units, never raw pixels.
#pragma once

#include <cstddef>
#include <string>

#include "frame_record.h"
#include "kiosk/keyboard_layout.h"

struct ImFont;

namespace kiosk::ui {

class ShapedTextEngine;

struct UiFonts {
    ImFont* body = nullptr;          // body text, capital height >= 4.8 mm
    ImFont* bodyBold = nullptr;      // labels, buttons
    ImFont* heading = nullptr;       // page headings (the question)
    ImFont* headingLarge = nullptr;  // attract screen, confirmation panel title
    ImFont* reference = nullptr;     // the reference number on confirmation
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
    // Set each frame before screens draw: where the page starts (below the top bar and tools bar)
    // and where it must end (above the on-screen keyboard when one is shown; else the screen's foot).
    float pageTop = 0;
    float pageBottom = 0;

    // The on-screen keyboard. A text box being edited sets textInputActive and its mode while it
    // draws; the frame then draws the keyboard for that mode. keyboardShown is last frame's answer,
    // so the page can stop above the keyboard before the keyboard itself is drawn.
    bool textInputActive = false;
    KeyboardMode keyboardMode = KeyboardMode::Text;
    bool keyboardShown = false;
    // Set each frame before screens draw, while the keyboard is up and would leave too little page
    // for the box being typed into (large text): the page then gives up what can wait until Done,
    // the action bar and the tools bar's later rows. Done closes the keyboard and both come back.
    bool compactForTyping = false;
    // The resident's text size (1, 1.5 or 2), set each frame before screens draw. Text boxes grow
    // with it, as GOV.UK's input widths are in characters: a year must fit its box at 200 %.
    float textScale = 1.0f;
    std::string pressedKey;  // keyValue() of the key under the finger, set by the platform
    // Index in record->items where the timeout warning's items begin (items before it are
    // covered); 0 when no warning is shown.
    std::size_t overlayFirstItem = 0;

    float mm(float millimetres) const { return millimetres * pixelsPerMm; }
};

}  // namespace kiosk::ui
