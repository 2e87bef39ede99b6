// DragScroller: finger drag-to-scroll, which Dear ImGui 1.86 does not have.
//
// SDL turns touches into mouse events, so a resident dragging a long list looks to ImGui like
// a button press that wanders. Once the pointer moves more than a few millimetres from where it
// went down, over a scrollable window, the drag becomes a scroll: the window follows the finger
// and ImGui stops seeing the pointer, so the control under the first touch is never clicked.
//
// Sits between the platform backend and ImGui::NewFrame(): it reads and rewrites io.MousePos
// and io.MouseDown[0] for the coming frame, the same in the windowed loop and in headless runs.
#pragma once

#include <imgui.h>

namespace kiosk::platform {

struct DragScroller {
    float thresholdPixels = 16;  // set from millimetres by the owner
    bool pointerDown = false;    // button state seen last frame
    bool dragging = false;       // this press became a scroll
    ImVec2 pressPosition;
    float scrollAtPress = 0;
    unsigned int windowId = 0;  // ImGuiID of the window being scrolled, 0 when none

    // Call after the platform backend filled io and before ImGui::NewFrame().
    void filterInput(ImGuiIO& io);
};

// The front-most scrollable window under a point, preferring the screens' "content" window.
// Returns its ImGuiID, or 0.
unsigned int scrollableWindowAt(ImVec2 point);

}  // namespace kiosk::platform
