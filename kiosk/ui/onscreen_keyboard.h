// The on-screen keyboard, drawn from a KeyboardLayout (kiosk/keyboard_layout.h) into its own
// window "keyboard" across the bottom of the screen.
//
// Keys are not ImGui buttons. Tapping an ImGui item would take the active id away from the text
// box being edited, and ImGui would end the edit. So keys are only drawn and recorded in
// ui.record as RecordedItem::Kind::Key with `value` set to keyValue(): the platform hit-tests
// taps against those items itself and never forwards a tap inside the keyboard to ImGui.
//
// Keys are at least 18 mm square with gaps of at least 2 mm, and grow with the text size so a
// label is never clipped. When a row would not fit across the screen the wide keys give up
// their extra width first, then labels of several words wrap, and only then does the row break
// in two.
#pragma once

#include <functional>
#include <string>

#include "kiosk/keyboard_layout.h"
#include "kiosk/ui/ui_context.h"

namespace kiosk::ui {

inline constexpr const char* kKeyboardWindowName = "keyboard";

// Catalogue lookup for the labels of action keys ("keyboard.done" -> "Done").
using KeyLabelLookup = std::function<std::string(const char*)>;

// Height of the keyboard window for this layout, so the page above can stop where it starts.
// Labels can wrap onto two lines, so the height depends on the words as well as on the keys.
float keyboardHeight(const UiContext& ui, const KeyboardLayout& layout, const KeyLabelLookup& label);

// Draws the keyboard in front of the page windows without taking focus from them. Draw it
// before the timeout warning, which must cover it. pressedValue is the keyValue() of the key
// under the resident's finger, drawn in the focus yellow; "" for none.
void drawOnscreenKeyboard(UiContext& ui, const KeyboardLayout& layout, const KeyLabelLookup& label,
                          const std::string& pressedValue);

}  // namespace kiosk::ui
