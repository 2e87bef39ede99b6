// CornerHold (corner_hold.h).
#include "kiosk/platform/corner_hold.h"

#include <imgui.h>

#include <cfloat>

namespace kiosk::platform {

bool CornerHold::filterInput(ImGuiIO& io, std::int64_t nowMillis) {
    const ImVec2 at = io.MousePos;
    const bool inCorner = at.x >= 0 && at.y >= 0 && at.x < cornerPixels && at.y < cornerPixels;
    const bool down = io.MouseDown[0];
    if (!pressing_) {
        if (!down || !inCorner || cornerPixels <= 0) return false;
        pressing_ = true;
        spent_ = false;
        since_ = nowMillis;
    }
    if (!down) {
        pressing_ = false;
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // nothing under the corner sees the release either
        return false;
    }
    // Hidden from everything else for as long as the finger stays down.
    io.MouseDown[0] = false;
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    if (!inCorner) spent_ = true;
    if (spent_ || nowMillis - since_ < holdMillis) return false;
    spent_ = true;
    return true;
}

std::optional<std::int64_t> CornerHold::deadlineMillis() const {
    if (!pressing_ || spent_) return std::nullopt;
    return since_ + holdMillis;
}

}  // namespace kiosk::platform
