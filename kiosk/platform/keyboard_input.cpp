// See keyboard_input.h.
#include "kiosk/platform/keyboard_input.h"

#include <imgui.h>

#include <cfloat>

namespace kiosk::platform {

std::optional<std::string> KeyboardTapFilter::filter(ImGuiIO& io, const ui::FrameRecord& lastFrame) {
    std::optional<std::string> tapped;
    const bool down = io.MouseDown[0];
    if (down && !wasDown_) {
        for (const auto& item : lastFrame.items) {
            if (item.kind != ui::RecordedItem::Kind::Key || !item.tappable) continue;
            if (io.MousePos.x >= item.x && io.MousePos.x < item.x + item.width && io.MousePos.y >= item.y &&
                io.MousePos.y < item.y + item.height) {
                capturing_ = true;
                pressed_ = item.value;
                tapped = item.value;
                break;
            }
        }
    }
    wasDown_ = down;
    if (capturing_) {
        io.MouseDown[0] = false;
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        if (!down) {
            capturing_ = false;
            pressed_.clear();
        }
    }
    return tapped;
}

}  // namespace kiosk::platform
