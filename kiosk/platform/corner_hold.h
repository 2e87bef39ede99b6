// The hidden staff entry: a press held for 3 seconds in the top-left corner of any screen.
//
// A press that starts in the corner never reaches Dear ImGui, so a resident's ordinary tap there
// does nothing at all (and nothing is read aloud); only when it has been held, without leaving
// the corner, for the whole time does the shell dispatch OpenStaffEntry.
#pragma once

#include <cstdint>
#include <optional>

struct ImGuiIO;

namespace kiosk::platform {

class CornerHold {
public:
    float cornerPixels = 0;  // side of the corner square (the shell sets 15 mm)
    std::int64_t holdMillis = 3000;

    // Call with the frame's input before anything else reads it. True once per completed hold.
    bool filterInput(ImGuiIO& io, std::int64_t nowMillis);
    // When the loop must wake to complete the hold being made, or nullopt.
    std::optional<std::int64_t> deadlineMillis() const;

private:
    bool pressing_ = false;
    bool spent_ = false;  // fired, or moved out of the corner: nothing more until release
    std::int64_t since_ = 0;
};

}  // namespace kiosk::platform
