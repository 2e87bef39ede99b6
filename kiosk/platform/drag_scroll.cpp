// Drag-to-scroll for touch. Uses imgui_internal.h to find and scroll windows by position,
// because the public API only scrolls the window currently being built.
#include "kiosk/platform/drag_scroll.h"

#include <imgui_internal.h>

#include <cfloat>
#include <cmath>
#include <cstring>

namespace kiosk::platform {
namespace {

bool isContentWindow(const ImGuiWindow* window) {
    // Screens name their scrolling area "content"; child windows are named "Parent/content_<id>".
    return std::strstr(window->Name, "content") != nullptr;
}

}  // namespace

unsigned int scrollableWindowAt(ImVec2 point) {
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImGuiWindow* fallback = nullptr;
    // g.Windows is ordered back to front.
    for (int i = g.Windows.Size - 1; i >= 0; --i) {
        ImGuiWindow* window = g.Windows[i];
        if (!window->WasActive || window->Hidden || !window->OuterRectClipped.Contains(point)) continue;
        if (window->ScrollMax.y <= 0.0f) continue;
        if (isContentWindow(window)) return window->ID;
        if (!fallback) fallback = window;
    }
    return fallback ? fallback->ID : 0;
}

void DragScroller::filterInput(ImGuiIO& io) {
    const bool down = io.MouseDown[0];
    const bool hasPosition = io.MousePos.x > -FLT_MAX / 2 && io.MousePos.y > -FLT_MAX / 2;

    if (down && !pointerDown) {
        pressPosition = io.MousePos;
        dragging = false;
        windowId = hasPosition ? scrollableWindowAt(io.MousePos) : 0;
        if (ImGuiWindow* window = windowId ? ImGui::FindWindowByID(windowId) : nullptr)
            scrollAtPress = window->Scroll.y;
    }
    if (down && !dragging && windowId != 0 && hasPosition &&
        std::fabs(io.MousePos.y - pressPosition.y) > thresholdPixels) {
        dragging = true;
    }
    const bool wasDragging = dragging;
    if (dragging && down && hasPosition) {
        if (ImGuiWindow* window = ImGui::FindWindowByID(windowId)) {
            const float target = scrollAtPress - (io.MousePos.y - pressPosition.y);
            ImGui::SetScrollY(window, ImClamp(target, 0.0f, window->ScrollMax.y));
        }
    }
    if (!down) dragging = false;
    pointerDown = down;

    // While scrolling, and on the frame the finger lifts, ImGui must not see the pointer: the
    // button pressed at the start of the drag then ends its press unhovered and does not fire.
    if (wasDragging) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
}

}  // namespace kiosk::platform
