// Widgets that report back to the resident: the error summary and inline error groups, the
// green confirmation panel and the GOV.UK summary list on check answers.
//
// [SECTION] errors
// [SECTION] panel and summary list
#include <imgui_internal.h>

#include <algorithm>
#include <vector>

#include "kiosk/ui/widgets.h"
#include "kiosk/ui/widgets_internal.h"

namespace kiosk::ui {

using namespace detail;

// ---------------------------------------------------------------------------------------------
// [SECTION] errors
// ---------------------------------------------------------------------------------------------
std::string errorFor(const std::vector<FieldError>& errors, const std::string& field) {
    for (const FieldError& error : errors)
        if (error.field == field) return error.message;
    return {};
}

void errorSummary(UiContext& ui, const std::string& title, const std::vector<FieldError>& errors) {
    if (errors.empty()) return;
    const Palette& p = palette();
    const float border = ui.mm(1.3f);  // GOV.UK's 5 px
    const float padding = ui.mm(6);
    const ImVec2 start = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    ImDrawList* draw = ImGui::GetWindowDrawList();

    ImGui::SetCursorScreenPos(ImVec2(start.x + padding, start.y + padding));
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - 2 * padding);
    wrappedText(ui, ui.fonts.heading, title, p.text, RecordedItem::Role::Error);
    ImGui::PopTextWrapPos();
    for (std::size_t i = 0; i < errors.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        ImFont* font = fontOr(ui.fonts.bodyBold);
        const std::string& message = errors[i].message;
        const ImVec2 size = textSize(ui, font, message, width - 2 * padding);
        const float height = std::max(ui.mm(15), size.y);
        const bool clicked = ImGui::InvisibleButton("##error", ImVec2(std::max(size.x, ui.mm(15)), height));
        const bool active = ImGui::IsItemActive();
        const ImVec2 min = ImGui::GetItemRectMin();
        const float top = min.y + (height - size.y) * 0.5f;
        if (active) draw->AddRectFilled(ImVec2(min.x, top), ImVec2(min.x + size.x, top + size.y), p.focus);
        const ImU32 colour = active ? p.focusText : p.error;
        drawText(ui, draw, font, ImVec2(min.x, top), colour, message, width - 2 * padding);
        if (size.y < font->FontSize * 1.5f)
            draw->AddLine(ImVec2(min.x, top + size.y - 1), ImVec2(min.x + size.x, top + size.y - 1), colour,
                          std::max(1.0f, ui.mm(0.3f)));
        ItemLook look;
        look.role = RecordedItem::Role::Error;
        look.text = colour;
        look.background = active ? p.focus : p.page;
        look.textSize = size;
        recordItem(ui, RecordedItem::Kind::Link, message, min, ImGui::GetItemRectMax(), true, look);
        if (clicked) g_focusRequest = errors[i].field;
        ImGui::PopID();
    }
    ImGui::EndGroup();
    const float bottom = ImGui::GetItemRectMax().y + padding;
    draw->AddRect(ImVec2(start.x + border * 0.5f, start.y + border * 0.5f),
                  ImVec2(start.x + width - border * 0.5f, bottom - border * 0.5f), p.error, 0.0f, 0, border);
    ImGui::SetCursorScreenPos(ImVec2(start.x, bottom));
    ImGui::Dummy(ImVec2(width, ui.mm(4)));
}

namespace {
struct GroupStart {
    ImVec2 position;
    bool hasError;
};
std::vector<GroupStart> g_groupStack;
}  // namespace

void beginFieldGroup(UiContext& ui, const std::string& fieldId, bool hasError,
                     const std::string& errorMessage) {
    if (takeFocusRequest(fieldId)) ImGui::SetScrollHereY(0.2f);
    g_groupStack.push_back({ImGui::GetCursorScreenPos(), hasError});
    if (hasError) ImGui::Indent(ui.mm(6));
    ImGui::BeginGroup();
    if (hasError && !errorMessage.empty())
        wrappedText(ui, ui.fonts.bodyBold, errorMessage, palette().error, RecordedItem::Role::Error);
}

void endFieldGroup(UiContext& ui, bool hasError) {
    ImGui::EndGroup();
    const float bottom = ImGui::GetItemRectMax().y;
    if (hasError) ImGui::Unindent(ui.mm(6));
    if (g_groupStack.empty()) return;
    const GroupStart start = g_groupStack.back();
    g_groupStack.pop_back();
    if (start.hasError)  // GOV.UK's 5 px red bar beside a field with an error
        ImGui::GetWindowDrawList()->AddRectFilled(
            start.position, ImVec2(start.position.x + ui.mm(1.3f), bottom), palette().error);
}

// ---------------------------------------------------------------------------------------------
// [SECTION] panel and summary list
// ---------------------------------------------------------------------------------------------
void confirmationPanel(UiContext& ui, const std::string& title, const std::string& referenceLabel,
                       const std::string& reference) {
    const Palette& p = palette();
    const float padding = ui.mm(10);
    const ImVec2 start = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    // Text goes on the upper channel so the panel's height is known before its background is drawn.
    draw->ChannelsSplit(2);
    draw->ChannelsSetCurrent(1);
    ImGui::SetCursorScreenPos(ImVec2(start.x + padding, start.y + padding));
    ImGui::BeginGroup();
    const float inner = width - 2 * padding;
    centredText(ui, ui.fonts.headingLarge, title, p.panelText, inner, p.panel, RecordedItem::Role::Heading);
    verticalSpace(ui, 4);
    centredText(ui, ui.fonts.body, referenceLabel, p.panelText, inner, p.panel);
    centredText(ui, ui.fonts.reference ? ui.fonts.reference : ui.fonts.headingLarge, reference, p.panelText,
                inner, p.panel, RecordedItem::Role::Reference);
    ImGui::EndGroup();
    const float bottom = ImGui::GetItemRectMax().y + padding;
    draw->ChannelsSetCurrent(0);
    draw->AddRectFilled(start, ImVec2(start.x + width, bottom), p.panel);
    draw->ChannelsMerge();
    ImGui::SetCursorScreenPos(ImVec2(start.x, bottom));
    ImGui::Dummy(ImVec2(width, ui.mm(6)));
}

int summaryList(UiContext& ui, const std::vector<SummaryListRow>& rows) {
    const Palette& p = palette();
    ImFont* keyFont = fontOr(ui.fonts.bodyBold);
    ImFont* valueFont = fontOr(ui.fonts.body);
    const float width = ImGui::GetContentRegionAvail().x;
    const float gap = ui.mm(5);
    // Wide enough for the longest action ("Change") at any text size: a fixed width let it run
    // past the reading column at 200 %.
    float actionWidth = ui.mm(32);
    for (const SummaryListRow& row : rows)
        if (!row.actionLabel.empty())
            actionWidth = std::max(actionWidth, textSize(ui, keyFont, row.actionLabel).x + ui.mm(2));
    const float keyWidth = (width - actionWidth - 2 * gap) * 0.42f;
    const float valueWidth = width - actionWidth - keyWidth - 2 * gap;
    const float padding = ui.mm(4);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    int tapped = -1;

    const float line = std::max(1.0f, ui.mm(0.3f));
    draw->AddLine(ImGui::GetCursorScreenPos(),
                  ImVec2(ImGui::GetCursorScreenPos().x + width, ImGui::GetCursorScreenPos().y), p.border,
                  line);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const SummaryListRow& row = rows[i];
        const ImVec2 top = ImGui::GetCursorScreenPos();
        const ImVec2 keySize = textSize(ui, keyFont, row.key, keyWidth);
        const ImVec2 valueSize = textSize(ui, valueFont, row.value, valueWidth);
        const float linkHeight = row.actionLabel.empty() ? 0.0f : ui.mm(15);
        const float contentHeight = std::max({keySize.y, valueSize.y, linkHeight});
        const float height = contentHeight + 2 * padding;
        const float textTop = top.y + padding;

        ItemLook look;
        look.text = p.text;
        look.background = p.page;
        drawText(ui, draw, keyFont, ImVec2(top.x, textTop), p.text, row.key, keyWidth);
        look.textSize = keySize;
        recordItem(ui, RecordedItem::Kind::Text, row.key, ImVec2(top.x, textTop),
                   ImVec2(top.x + keySize.x, textTop + keySize.y), false, look);
        const float valueX = top.x + keyWidth + gap;
        drawText(ui, draw, valueFont, ImVec2(valueX, textTop), p.text, row.value, valueWidth);
        look.textSize = valueSize;
        recordItem(ui, RecordedItem::Kind::Text, row.value, ImVec2(valueX, textTop),
                   ImVec2(valueX + valueSize.x, textTop + valueSize.y), false, look);
        if (!row.actionLabel.empty()) {
            // The link's first line lines up with the key's first line.
            ImGui::SetCursorScreenPos(
                ImVec2(top.x + width - actionWidth, textTop - (ui.mm(15) - keyFont->FontSize) * 0.5f));
            ImGui::PushID(static_cast<int>(i));
            if (linkButton(ui, row.actionLabel, row.actionLabel + " " + row.key))
                tapped = static_cast<int>(i);
            ImGui::PopID();
        }
        const float bottom = top.y + height;
        draw->AddLine(ImVec2(top.x, bottom), ImVec2(top.x + width, bottom), p.border, line);
        ImGui::SetCursorScreenPos(ImVec2(top.x, bottom));
        ImGui::Dummy(ImVec2(width, 1));
    }
    verticalSpace(ui, 4);
    return tapped;
}

}  // namespace kiosk::ui
