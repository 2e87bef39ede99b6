// wipeImGuiTextState(): forgets the text Dear ImGui keeps for itself, when a session ends.
//
// The kiosk wipes its own copies of what a resident typed (FormSession::wipe, wipeString), but
// Dear ImGui 1.86 holds more: the box being edited has its text in GImGui->InputTextState (TextW,
// TextA, InitialTextA, and deleted characters in the undo records of its Stb state), and copy and
// paste go through a clipboard. ImGui reuses that state for the next box rather than freeing it,
// so without this the next resident's session would still carry the last one's words in memory.
#pragma once

namespace kiosk::platform {

// Lets go of any active text box and zeroes ImGui's text-editing buffers and its clipboard.
// Between frames only; does nothing when no ImGui context exists.
void wipeImGuiTextState();

}  // namespace kiosk::platform
