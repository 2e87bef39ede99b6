// One function per screen. Each draws from the const KioskState and appends Intents; none
// touches storage or the network. kiosk_ui.cpp picks the root's screen (screens/session/) or the
// active mode's (screens/<mode>/, where one routing function picks the mode's screen).
#pragma once

#include <string>
#include <vector>

#include "kiosk/kiosk_flow.h"
#include "kiosk/ui/ui_context.h"

namespace kiosk::ui {

using Intents = std::vector<Intent>;

// The root's screens (screens/session/).
void drawAttractScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawLanguageScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawOutOfOrderScreen(const KioskState& state, UiContext& ui, Intents& intents);
// Drawn over the current screen while state.timeoutWarning is set.
void drawTimeoutWarning(const KioskState& state, UiContext& ui, Intents& intents);

// The tools bar (read aloud, text size, contrast) under the top bar, starting at `top`.
// firstRowOnly: only the tools that fit on one row (while typing leaves little room, see
// UiContext::compactForTyping).
float toolsBarHeight(const KioskState& state, const UiContext& ui, bool firstRowOnly = false);
void drawToolsBar(const KioskState& state, UiContext& ui, Intents& intents, float top,
                  bool firstRowOnly = false);

// A catalogue string in the resident's language (English when missing, the key when absent).
inline std::string tr(const KioskState& state, const char* key) {
    return state.pack ? state.pack->text(key, state.language) : std::string(key);
}

// Reading-column widths in millimetres: forms read best in a narrower column (GOV.UK's
// two-thirds), tile grids use the full width.
inline constexpr float kFormColumnMm = 240.0f;
inline constexpr float kWideColumnMm = 330.0f;

}  // namespace kiosk::ui
