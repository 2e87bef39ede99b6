// Helpers shared by the widget files (widgets.cpp, widgets_layout.cpp, widgets_feedback.cpp);
// not for screens.
#pragma once

#include <imgui.h>

#include <optional>
#include <string>

#include "kiosk/ui/ui_context.h"

namespace kiosk::ui::detail {

// Field id an error summary link asked to move to; the field with that id consumes it.
extern std::optional<std::string> g_focusRequest;

ImVec2 textSize(const UiContext& ui, ImFont* font, const std::string& text, float wrapWidth = 0);
bool takeFocusRequest(const std::string& fieldId);
// Text in the layout flow, wrapped at the current wrap position (the column by default).
void wrappedText(UiContext& ui, ImFont* font, const std::string& text, ImU32 colour,
                 RecordedItem::Role role = RecordedItem::Role::Body);
float borderWidth(const UiContext& ui);
float buttonHeight(const UiContext& ui, float labelHeight);  // primary and secondary buttons
float textBoxHeight(const UiContext& ui);                    // a one-line text box
// Room kept between the box being typed into (with its label) and the edges of the page.
float typingMargin(const UiContext& ui);

}  // namespace kiosk::ui::detail
