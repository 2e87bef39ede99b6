// Page layout in the GOV.UK look: the black top bar with the council name, the connection
// indicator and the Language and Start again buttons; the scrolling "content" window with its
// "Scroll down for more" cue; and the fixed action bar holding a page's main button.
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kiosk/ui/widgets.h"
#include "kiosk/ui/widgets_internal.h"

namespace kiosk::ui {

using namespace detail;

namespace {

std::uint64_t g_lastPageSerial = ~std::uint64_t{0};  // page on screen last frame

}  // namespace

// Grows with the text size so the council name and buttons never overflow the bar.
float topBarHeight(const UiContext& ui) {
    return std::max(ui.mm(24), fontOr(ui.fonts.bodyBold)->FontSize + ui.mm(10.5f));
}

namespace {

// White-outlined control in the black top bar.
bool topBarButton(UiContext& ui, const std::string& label, bool globe, float right, float centreY) {
    ImFont* font = fontOr(ui.fonts.bodyBold);
    const ImVec2 size = textSize(ui, font, label);
    const float iconSize = globe ? size.y : 0.0f;
    const float gap = globe ? ui.mm(2.5f) : 0.0f;
    const float height = std::max(ui.mm(16), size.y + ui.mm(4));
    const float width = std::max(ui.mm(24), size.x + iconSize + gap + ui.mm(10));
    const ImVec2 min(right - width, centreY - height * 0.5f);
    ImGui::SetCursorScreenPos(min);
    ImGui::PushID(label.c_str());
    const bool clicked = ImGui::InvisibleButton("##topbar", ImVec2(width, height));
    const bool active = ImGui::IsItemActive();
    ImGui::PopID();
    const ImVec2 max(min.x + width, min.y + height);
    const Palette& p = palette();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    ImU32 textColour = p.headerText;
    if (active) {
        draw->AddRectFilled(min, max, p.focus);
        textColour = p.focusText;
    } else {
        draw->AddRect(min, max, p.headerText, 0.0f, 0, borderWidth(ui));
    }
    float x = min.x + (width - size.x - iconSize - gap) * 0.5f;
    if (globe) {
        drawIcon(draw, "globe", ImVec2(x, centreY - iconSize * 0.5f), iconSize, textColour, borderWidth(ui));
        x += iconSize + gap;
    }
    drawText(ui, draw, font, ImVec2(x, centreY - size.y * 0.5f), textColour, label);
    ItemLook look;
    look.role = RecordedItem::Role::Chrome;
    look.text = textColour;
    look.background = active ? p.focus : p.header;
    look.boundary = active ? p.focus : p.headerText;
    look.textSize = ImVec2(size.x + iconSize + gap, size.y);
    recordItem(ui, RecordedItem::Kind::Button, label, min, max, true, look);
    return clicked;
}

constexpr ImGuiWindowFlags kPageWindowFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                              ImGuiWindowFlags_NoSavedSettings |
                                              ImGuiWindowFlags_NoBringToFrontOnFocus;

// The connection as volunteers glance at it: a filled soft-green dot or a grey ring (the shape
// differs, so colour is never the only cue) and a few neutral words, right-aligned at `right`.
// Nothing red and nothing that moves: residents must not read it as a problem.
// Drawn only where it fits right of `leftLimit` (the council's name): at 200 % text in the
// longer languages there is no room, and the status is a glance for volunteers while the name
// and the buttons are what residents need.
void connectionIndicator(UiContext& ui, bool online, const std::string& label, float leftLimit, float right,
                         float centreY) {
    const Palette& p = palette();
    ImFont* font = fontOr(ui.fonts.body);
    const ImVec2 size = textSize(ui, font, label);
    const float dot = ui.mm(4.5f);
    const float gap = ui.mm(2.5f);
    const float left = right - size.x - gap - dot;
    if (left < leftLimit) return;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 centre(left + dot * 0.5f, centreY);
    if (online) {
        draw->AddCircleFilled(centre, dot * 0.5f, p.onlineDot, 24);
    } else {
        const float stroke = std::max(2.0f, ui.mm(0.5f));
        draw->AddCircle(centre, dot * 0.5f - stroke * 0.5f, p.offlineDot, 24, stroke);
    }
    const ImVec2 textPos(left + dot + gap, centreY - size.y * 0.5f);
    drawText(ui, draw, font, textPos, p.headerMuted, label);
    ItemLook look;
    look.role = RecordedItem::Role::Chrome;
    look.text = p.headerMuted;
    look.background = p.header;
    look.textSize = ImVec2(right - left, size.y);
    recordItem(ui, RecordedItem::Kind::Text, label, ImVec2(left, textPos.y),
               ImVec2(right, textPos.y + size.y), false, look);
}

}  // namespace

TopBarActions topBar(UiContext& ui, const TopBarContent& content) {
    TopBarActions actions;
    const Palette& p = palette();
    const float height = topBarHeight(ui);
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(ui.screenWidth, height));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, p.header);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin(kTopBarWindowName, nullptr, kPageWindowFlags | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();

    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float accent = ui.mm(2.5f);
    draw->AddRectFilled(ImVec2(0, height - accent), ImVec2(ui.screenWidth, height), p.headerAccent);
    const float centreY = (height - accent) * 0.5f;
    const float margin = ui.mm(12);

    ImFont* font = fontOr(ui.fonts.bodyBold);
    const std::string& name = content.councilName;
    const ImVec2 nameSize = textSize(ui, font, name);
    const ImVec2 namePos(margin, centreY - nameSize.y * 0.5f);
    drawText(ui, draw, font, namePos, p.headerText, name);
    ItemLook look;
    look.role = RecordedItem::Role::Chrome;
    look.text = p.headerText;
    look.background = p.header;
    look.textSize = nameSize;
    recordItem(ui, RecordedItem::Kind::Text, name, namePos,
               ImVec2(namePos.x + nameSize.x, namePos.y + nameSize.y), false, look);

    float nameEnd = namePos.x + nameSize.x;
    if (!content.assistedBy.empty()) {
        // Yellow like GOV.UK's focus: nobody can miss that a volunteer is signed in.
        const ImVec2 pillText = textSize(ui, font, content.assistedBy);
        const float pad = ui.mm(3);
        const ImVec2 pillMin(nameEnd + ui.mm(8), centreY - pillText.y * 0.5f - ui.mm(1.5f));
        const ImVec2 pillMax(pillMin.x + pillText.x + 2 * pad, centreY + pillText.y * 0.5f + ui.mm(1.5f));
        draw->AddRectFilled(pillMin, pillMax, p.focus);
        const ImVec2 textPos(pillMin.x + pad, centreY - pillText.y * 0.5f);
        drawText(ui, draw, font, textPos, p.focusText, content.assistedBy);
        ItemLook pill;
        pill.role = RecordedItem::Role::Chrome;
        pill.text = p.focusText;
        pill.background = p.focus;
        pill.textSize = pillText;
        recordItem(ui, RecordedItem::Kind::Text, content.assistedBy, pillMin, pillMax, false, pill);
        nameEnd = pillMax.x;
    }

    float right = ui.screenWidth - margin;
    if (content.showStartAgain) {
        actions.startAgain = topBarButton(ui, content.startAgainLabel, false, right, centreY);
        right = ImGui::GetItemRectMin().x - ui.mm(5);
    }
    if (content.showLanguage) {
        actions.language = topBarButton(ui, content.languageLabel, true, right, centreY);
        right = ImGui::GetItemRectMin().x - ui.mm(5);
    }
    if (!content.connectionLabel.empty())
        connectionIndicator(ui, content.online, content.connectionLabel, nameEnd + ui.mm(8), right - ui.mm(5),
                            centreY);
    ImGui::End();
    return actions;
}

namespace {

// Where the reading column starts, the same for the content window and the action bar so the
// main button lines up with the page above it.
// Like a browser's zoom, larger text widens the column with it (up to the screen's margins), so
// a line at 200 % holds as many words as at 100 % and the page does not become a narrow strip.
float columnLeft(const UiContext& ui, float columnMm) {
    const float column = std::min(ui.mm(columnMm * ui.textScale), ui.screenWidth - 2 * ui.mm(12));
    return (ui.screenWidth - column) * 0.5f;
}

float actionBarPadding(const UiContext& ui) {
    return ui.mm(5);
}

// On a whole pixel, so the content window ends exactly where the bar begins: a fractional edge
// lets a row of the page's pixels show between the scroll cue and the bar.
float pageBottom(const UiContext& ui) {
    return ui.pageBottom > 0 ? ui.pageBottom : ui.screenHeight;
}
float actionBarTop(const UiContext& ui) {
    return std::floor(pageBottom(ui) - actionBarHeight(ui));
}

// Fades the bottom of the content window into the page colour and writes the cue on the faded
// strip, while the page goes on below the visible part. Drawn last, so it covers the content;
// it is not a control (a tap there reaches whatever lies beneath, as if it were not drawn).
void drawScrollCue(UiContext& ui) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    // What lies below is only the blank room endContent() leaves under the last item: no cue.
    if (ui.scrollCueLabel.empty() || window->ScrollMax.y - window->Scroll.y <= ui.mm(10)) return;
    // While typing, the fade would cover much of the little page left above the keyboard, often
    // the very box being typed into; the cue comes back with Done, above the main button.
    if (ui.keyboardShown) return;
    const Palette& p = palette();
    const std::string& label = ui.scrollCueLabel;
    ImFont* font = fontOr(ui.fonts.body);
    const ImVec2 labelSize = textSize(ui, font, label);
    // Drawn under the same clip rectangle as the page and reaching past its bottom edge, so every
    // pixel row the page can draw in is covered (a row peeking out below the cue looks broken).
    const ImRect area(window->InnerClipRect.Min.x, window->InnerClipRect.Min.y, window->InnerClipRect.Max.x,
                      window->Rect().Max.y);
    const float band = labelSize.y + ui.mm(4);  // solid strip under the cue
    const float fade = ui.mm(14);
    const ImU32 clear = p.page & ~IM_COL32_A_MASK;
    ImDrawList* draw = window->DrawList;
    draw->AddRectFilledMultiColor(ImVec2(area.Min.x, area.Max.y - band - fade),
                                  ImVec2(area.Max.x, area.Max.y - band), clear, clear, p.page, p.page);
    draw->AddRectFilled(ImVec2(area.Min.x, area.Max.y - band), ImVec2(area.Max.x, area.Max.y + 2.0f), p.page);
    // What lies under the fade is out of sight until scrolled to, like anything below the window.
    if (ui.record) {
        const float fadeTop = area.Max.y - band - fade;
        for (RecordedItem& item : ui.record->items)
            if (item.clipX0 == window->ClipRect.Min.x && item.clipY0 == window->ClipRect.Min.y &&
                item.clipX1 == window->ClipRect.Max.x && item.clipY1 == window->ClipRect.Max.y)
                item.clipY1 = std::min(item.clipY1, fadeTop);
    }

    // A down arrow, then the words, centred on the column.
    const float arrow = labelSize.y * 0.7f;
    const float gap = ui.mm(2.5f);
    const float stroke = std::max(2.0f, ui.mm(0.5f));
    const float left = (ui.screenWidth - arrow - gap - labelSize.x) * 0.5f;
    const float top = area.Max.y - band + (band - labelSize.y) * 0.5f;
    const float arrowX = left + arrow * 0.5f;
    const float arrowTop = top + (labelSize.y - arrow) * 0.5f;
    const float arrowBottom = arrowTop + arrow;
    draw->AddLine(ImVec2(arrowX, arrowTop), ImVec2(arrowX, arrowBottom - stroke), p.secondaryText, stroke);
    draw->AddTriangleFilled(ImVec2(arrowX - arrow * 0.4f, arrowBottom - arrow * 0.4f),
                            ImVec2(arrowX + arrow * 0.4f, arrowBottom - arrow * 0.4f),
                            ImVec2(arrowX, arrowBottom), p.secondaryText);
    const ImVec2 textPos(left + arrow + gap, top);
    drawText(ui, draw, font, textPos, p.secondaryText, label);
    ItemLook look;
    look.role = RecordedItem::Role::Chrome;
    look.text = p.secondaryText;
    look.background = p.page;
    look.textSize = ImVec2(textPos.x + labelSize.x - left, labelSize.y);
    recordItem(ui, RecordedItem::Kind::Text, label, ImVec2(left, top),
               ImVec2(textPos.x + labelSize.x, top + labelSize.y), false, look);
}

}  // namespace

void beginContent(UiContext& ui, float columnMm, std::uint64_t pageSerial, bool withActionBar) {
    const float top = ui.pageTop > 0 ? ui.pageTop : topBarHeight(ui);
    const float bottom = withActionBar && !ui.compactForTyping ? actionBarTop(ui) : pageBottom(ui);
    ImGui::SetNextWindowPos(ImVec2(0, top));
    ImGui::SetNextWindowSize(ImVec2(ui.screenWidth, bottom - top));
    if (pageSerial != g_lastPageSerial) {
        ImGui::SetNextWindowScroll(ImVec2(0, 0));
        g_lastPageSerial = pageSerial;
        g_focusRequest.reset();
    }
    ImGui::PushStyleColor(ImGuiCol_WindowBg, palette().page);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(columnLeft(ui, columnMm), ui.mm(10)));
    ImGui::Begin(kContentWindowName, nullptr, kPageWindowFlags);
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

void endContent(UiContext& ui) {
    ImGui::Dummy(ImVec2(1, ui.mm(10)));  // room below the last item when scrolled to the end
    drawScrollCue(ui);
    ImGui::End();
}

void beginFullScreenPage(UiContext& ui) {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(ui.screenWidth, ui.screenHeight));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, palette().page);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin(kContentWindowName, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBringToFrontOnFocus);
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

float actionBarHeight(const UiContext& ui) {
    return buttonHeight(ui, fontOr(ui.fonts.bodyBold)->FontSize) + 2 * actionBarPadding(ui);
}

float roomForTyping(const UiContext& ui) {
    const float line = fontOr(ui.fonts.bodyBold)->FontSize;  // the label, and an error message
    return 2 * line + textBoxHeight(ui) + 2 * ImGui::GetStyle().ItemSpacing.y + 2 * typingMargin(ui);
}

bool actionBar(UiContext& ui, float columnMm, const std::string& label) {
    if (ui.compactForTyping) return false;
    const Palette& p = palette();
    const float top = actionBarTop(ui);
    ImGui::SetNextWindowPos(ImVec2(0, top));
    ImGui::SetNextWindowSize(ImVec2(ui.screenWidth, pageBottom(ui) - top));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, p.page);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin(kActionBarWindowName, nullptr, kPageWindowFlags | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    // A thin grey line, like GOV.UK's section borders: it separates without shouting.
    ImGui::GetWindowDrawList()->AddRectFilled(
        ImVec2(0, top), ImVec2(ui.screenWidth, top + std::max(1.0f, ui.mm(0.3f))), p.border);
    ImGui::SetCursorScreenPos(ImVec2(columnLeft(ui, columnMm), top + actionBarPadding(ui)));
    const bool clicked = primaryButton(ui, label);
    ImGui::End();
    return clicked;
}

void verticalSpace(const UiContext& ui, float millimetres) {
    ImGui::Dummy(ImVec2(1, ui.mm(millimetres)));
}

}  // namespace kiosk::ui
