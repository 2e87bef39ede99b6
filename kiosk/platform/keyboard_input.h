// Taps on the on-screen keyboard, taken out of Dear ImGui's input before it sees them.
//
// The keyboard's keys are not ImGui items: a tap on an ImGui item would end the edit of the text
// box the resident is typing into. So, before each frame, a press that lands on a key recorded
// last frame is hidden from ImGui (button up, pointer away) for as long as the finger stays
// down, and the key is reported once. The platform then types it into the active text box the
// way a physical keyboard would, so ImGui keeps the caret, and a volunteer's real keyboard works
// alongside.
#pragma once

#include <optional>
#include <string>

#include "kiosk/ui/frame_record.h"

struct ImGuiIO;

namespace kiosk::platform {

class KeyboardTapFilter {
public:
    // Call after the input for the coming frame is in `io` and before ImGui::NewFrame().
    // lastFrame: what the previous frame drew. Returns the value of a key pressed just now.
    std::optional<std::string> filter(ImGuiIO& io, const ui::FrameRecord& lastFrame);
    // The key under the finger ("" for none), for drawing it pressed.
    const std::string& pressedKey() const { return pressed_; }

private:
    bool wasDown_ = false;
    bool capturing_ = false;
    std::string pressed_;
};

}  // namespace kiosk::platform
