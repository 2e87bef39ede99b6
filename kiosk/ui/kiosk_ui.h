// Entry points the platform calls: draw one frame of the kiosk for the current state, and
// apply the kiosk's GOV.UK-like theme to Dear ImGui's style.
#pragma once

#include <vector>

#include "kiosk/kiosk_flow.h"
#include "kiosk/ui/ui_context.h"

namespace kiosk::ui {

// Draws the top bar, the current screen in the window "content" (the one that scrolls), and the
// timeout warning on top when it is showing. Records every item in ui.record (the caller clears
// it each frame) and appends intents; reads nothing but the state, writes nothing but intents.
void drawKioskFrame(const KioskState& state, UiContext& ui, std::vector<Intent>& intents);

// The on-screen keyboard this resident sees for a text box of `mode` (language, letter order,
// shift, number page and special letters from the state).
KeyboardLayout keyboardLayoutFor(const KioskState& state, KeyboardMode mode);

// Sets ImGuiStyle colours and sizes from millimetres. Safe to call again when the contrast changes.
void applyKioskTheme(bool highContrast, const UiContext& ui);

}  // namespace kiosk::ui
