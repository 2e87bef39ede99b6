// Widgets: text, buttons and form controls in the GOV.UK look. The page layout (top bar,
// content window, action bar) is in widgets_layout.cpp; tiles and line icons in icons.cpp.
//
// [SECTION] palette and helpers
// [SECTION] text
// [SECTION] buttons and links
// [SECTION] form controls
// Errors, the confirmation panel and the summary list are in widgets_feedback.cpp.
#include "kiosk/ui/widgets.h"

#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <optional>

#include "kiosk/secure_wipe.h"
#include "kiosk/ui/widgets_internal.h"

namespace kiosk::ui {

// ---------------------------------------------------------------------------------------------
// [SECTION] palette and helpers
// ---------------------------------------------------------------------------------------------
namespace {

constexpr ImU32 rgb(unsigned hex, unsigned alpha = 255) {
    return IM_COL32((hex >> 16) & 0xFF, (hex >> 8) & 0xFF, hex & 0xFF, alpha);
}

// GOV.UK Design System colours.
const Palette kStandard = {
    rgb(0xFFFFFF), rgb(0x0B0C0C),      rgb(0x505A5F), rgb(0x1D70B8), rgb(0xFFDD00),
    rgb(0x0B0C0C), rgb(0xD4351C),      rgb(0xB1B4B6), rgb(0x0B0C0C), rgb(0x00703C),
    rgb(0xFFFFFF), rgb(0x002D18),      rgb(0xF3F2F1), rgb(0x0B0C0C), rgb(0x929191),
    rgb(0x00703C), rgb(0xFFFFFF),      rgb(0xF3F2F1), rgb(0x0B0C0C), rgb(0xFFFFFF),
    rgb(0x1D70B8), rgb(0x0B0C0C, 160), rgb(0xDEE0E2), rgb(0x6CC592), rgb(0xB1B4B6),
};

// 7:1 for all text against black.
const Palette kHighContrast = {
    rgb(0x000000), rgb(0xFFFFFF),      rgb(0xFFFFFF), rgb(0xFFDD00), rgb(0xFFDD00),
    rgb(0x000000), rgb(0xFF9D8A),      rgb(0xFFFFFF), rgb(0xFFFFFF), rgb(0xFFFFFF),
    rgb(0x000000), rgb(0xFFDD00),      rgb(0x000000), rgb(0xFFFFFF), rgb(0xFFFFFF),
    rgb(0x004D29), rgb(0xFFFFFF),      rgb(0x000000), rgb(0x000000), rgb(0xFFFFFF),
    rgb(0xFFDD00), rgb(0x000000, 200), rgb(0xFFFFFF), rgb(0x6CC592), rgb(0xFFFFFF),
};

const Palette* g_palette = &kStandard;

}  // namespace

namespace detail {

// Set by an error summary link, consumed by the field with that id (scroll to it, focus it).
std::optional<std::string> g_focusRequest;

ImVec2 textSize(const UiContext& ui, ImFont* font, const std::string& text, float wrapWidth) {
    return measureText(ui, fontOr(font), text, wrapWidth);
}

bool takeFocusRequest(const std::string& fieldId) {
    if (g_focusRequest && *g_focusRequest == fieldId) {
        g_focusRequest.reset();
        return true;
    }
    return false;
}

void wrappedText(UiContext& ui, ImFont* font, const std::string& text, ImU32 colour,
                 RecordedItem::Role role) {
    if (text.empty()) return;
    font = fontOr(font);
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    // No wrap position pushed (-1) means the column's right edge, as PushTextWrapPos(0) does.
    const float wrapWidth =
        std::max(1.0f, ImGui::CalcWrapWidthForPos(pos, std::max(0.0f, window->DC.TextWrapPos)));
    const ImVec2 size = drawText(ui, window->DrawList, font, pos, colour, text, wrapWidth);
    ImGui::Dummy(size);
    ItemLook look;
    look.role = role;
    look.text = colour;
    look.background = palette().page;
    look.textSize = size;
    recordItem(ui, RecordedItem::Kind::Text, text, pos, ImVec2(pos.x + size.x, pos.y + size.y), false, look);
}

float borderWidth(const UiContext& ui) {
    return std::max(2.0f, ui.mm(0.55f));
}  // GOV.UK's 2 px

float buttonHeight(const UiContext& ui, float labelHeight) {
    return std::max(ui.mm(20), labelHeight + ui.mm(8));
}

float textBoxHeight(const UiContext& ui) {
    return std::max(ui.mm(16), fontOr(ui.fonts.body)->FontSize);
}

float typingMargin(const UiContext& ui) {
    return ui.mm(8);
}

}  // namespace detail

using namespace detail;

const Palette& palette() {
    return *g_palette;
}
void usePalette(bool highContrast) {
    g_palette = highContrast ? &kHighContrast : &kStandard;
}

ImFont* fontOr(ImFont* font) {
    return font ? font : ImGui::GetFont();
}

void recordItem(UiContext& ui, RecordedItem::Kind kind, const std::string& label, ImVec2 min, ImVec2 max,
                bool tappable, const ItemLook& look) {
    if (!ui.record) return;
    // A control scrolled out of the content window cannot be tapped where it was drawn.
    if (tappable) {
        const ImRect clip = ImGui::GetCurrentWindow()->ClipRect;
        const ImVec2 centre((min.x + max.x) * 0.5f, (min.y + max.y) * 0.5f);
        tappable = clip.Contains(centre);
    }
    RecordedItem item;
    item.kind = kind;
    item.label = label;
    item.x = min.x;
    item.y = min.y;
    item.width = max.x - min.x;
    item.height = max.y - min.y;
    item.tappable = tappable;
    item.role = look.role;
    item.textColour = look.text;
    item.backgroundColour = look.background;
    item.boundaryColour = look.boundary;
    item.textWidth = look.textSize.x;
    item.textHeight = look.textSize.y;
    const ImRect windowClip = ImGui::GetCurrentWindow()->ClipRect;
    item.clipX0 = windowClip.Min.x;
    item.clipY0 = windowClip.Min.y;
    item.clipX1 = windowClip.Max.x;
    item.clipY1 = windowClip.Max.y;
    ui.record->add(std::move(item));
}

std::string fillTemplate(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
    for (const auto& [name, value] : values) {
        const std::string placeholder = "{" + name + "}";
        for (auto at = text.find(placeholder); at != std::string::npos;
             at = text.find(placeholder, at + value.size()))
            text.replace(at, placeholder.size(), value);
    }
    return text;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] text
// ---------------------------------------------------------------------------------------------
void headingText(UiContext& ui, const std::string& text) {
    wrappedText(ui, ui.fonts.heading, text, palette().text, RecordedItem::Role::Heading);
    verticalSpace(ui, 2);
}

void largeHeadingText(UiContext& ui, const std::string& text) {
    wrappedText(ui, ui.fonts.headingLarge, text, palette().text, RecordedItem::Role::Heading);
    verticalSpace(ui, 3);
}

void subheadingText(UiContext& ui, const std::string& text) {
    wrappedText(ui, ui.fonts.bodyBold, text, palette().text);
}
void bodyText(UiContext& ui, const std::string& text) {
    wrappedText(ui, ui.fonts.body, text, palette().text);
}
void hintText(UiContext& ui, const std::string& text) {
    wrappedText(ui, ui.fonts.body, text, palette().secondaryText, RecordedItem::Role::Hint);
}
void captionText(UiContext& ui, const std::string& text) {
    wrappedText(ui, ui.fonts.body, text, palette().secondaryText);
}

void centredText(UiContext& ui, ImFont* font, const std::string& text, ImU32 colour, float width,
                 ImU32 background, RecordedItem::Role role) {
    if (text.empty()) return;
    font = fontOr(font);
    const ImVec2 start = ImGui::GetCursorScreenPos();
    if (width <= 0) width = ImGui::GetContentRegionAvail().x;
    const ImVec2 size =
        drawText(ui, ImGui::GetWindowDrawList(), font, start, colour, text, width, TextAlign::Centre);
    ImGui::Dummy(ImVec2(width, size.y));
    ItemLook look;
    look.role = role;
    look.text = colour;
    look.background = background ? background : palette().page;
    look.textSize = size;
    recordItem(ui, RecordedItem::Kind::Text, text, start, ImVec2(start.x + width, start.y + size.y), false,
               look);
}

// ---------------------------------------------------------------------------------------------
// [SECTION] buttons and links
// ---------------------------------------------------------------------------------------------
namespace {

bool drawButton(UiContext& ui, const std::string& label, bool primary, float fixedWidth, bool startArrow) {
    const Palette& p = palette();
    ImFont* font = fontOr(ui.fonts.bodyBold);
    const ImVec2 size = textSize(ui, font, label);
    const float arrow = startArrow ? size.y * 0.9f : 0.0f;
    const float arrowGap = startArrow ? ui.mm(3) : 0.0f;
    const float height = buttonHeight(ui, size.y);
    const float width =
        fixedWidth > 0 ? fixedWidth : std::max(ui.mm(50), size.x + arrow + arrowGap + ui.mm(16));
    ImGui::PushID(label.c_str());
    const bool clicked = ImGui::InvisibleButton("##button", ImVec2(width, height));
    const bool active = ImGui::IsItemActive();
    ImGui::PopID();
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    const float shadow = std::max(3.0f, ui.mm(0.8f));

    ImU32 face = primary ? p.primary : p.secondary;
    ImU32 text = primary ? p.primaryText : p.secondaryText2;
    ImU32 shadowColour = primary ? p.primaryShadow : p.secondaryShadow;
    if (active) {  // pressed: GOV.UK's focus colours, so the state never depends on hover
        face = p.focus;
        text = p.focusText;
        shadowColour = p.focusText;
    }
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(ImVec2(min.x, max.y - shadow), max, shadowColour);
    draw->AddRectFilled(min, ImVec2(max.x, max.y - shadow), face);
    // A secondary button's pale face barely differs from the page, so its outline is what marks
    // it as a control: drawn in the shadow grey, which meets 3:1 against the page.
    if (!primary && !active)
        draw->AddRect(min, ImVec2(max.x, max.y - shadow), shadowColour, 0.0f, 0, borderWidth(ui) * 0.5f);

    const float contentWidth = size.x + arrow + arrowGap;
    const float x = min.x + (width - contentWidth) * 0.5f;
    const float centreY = min.y + (height - shadow) * 0.5f;
    drawText(ui, draw, font, ImVec2(x, centreY - size.y * 0.5f), text, label);
    if (startArrow) {
        // GOV.UK start button chevron: a filled triangle with a stem.
        const float ax = x + size.x + arrowGap;
        const float h = arrow * 0.5f;
        draw->AddTriangleFilled(ImVec2(ax + arrow * 0.45f, centreY - h), ImVec2(ax + arrow, centreY),
                                ImVec2(ax + arrow * 0.45f, centreY + h), text);
        draw->AddRectFilled(ImVec2(ax, centreY - h * 0.28f), ImVec2(ax + arrow * 0.5f, centreY + h * 0.28f),
                            text);
    }
    ItemLook look;
    look.text = text;
    look.background = face;
    look.boundary = primary || active ? face : shadowColour;
    look.textSize = ImVec2(contentWidth, size.y);
    recordItem(ui, RecordedItem::Kind::Button, label, min, max, true, look);
    return clicked;
}

bool drawLink(UiContext& ui, const std::string& label, const std::string& recordLabel, bool back) {
    const Palette& p = palette();
    ImFont* font = fontOr(back ? ui.fonts.body : ui.fonts.bodyBold);
    const ImVec2 size = textSize(ui, font, label);
    const float chevron = back ? size.y * 0.35f : 0.0f;
    const float chevronGap = back ? ui.mm(2.5f) : 0.0f;
    const float height = std::max(ui.mm(15), size.y);
    const float width = std::max(ui.mm(15), size.x + chevron + chevronGap);
    ImGui::PushID(label.c_str());
    ImGui::PushID(recordLabel.c_str());
    const bool clicked = ImGui::InvisibleButton("##link", ImVec2(width, height));
    const bool active = ImGui::IsItemActive();
    ImGui::PopID();
    ImGui::PopID();
    const ImVec2 min = ImGui::GetItemRectMin();
    const float textTop = min.y + (height - size.y) * 0.5f;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    ImU32 colour = back ? p.text : p.link;
    if (active) {
        draw->AddRectFilled(ImVec2(min.x, textTop),
                            ImVec2(min.x + size.x + chevron + chevronGap, textTop + size.y), p.focus);
        colour = p.focusText;
    }
    float x = min.x;
    if (back) {
        const float cy = textTop + size.y * 0.55f;
        draw->AddPolyline(std::array<ImVec2, 3>{ImVec2(x + chevron, cy - chevron), ImVec2(x, cy),
                                                ImVec2(x + chevron, cy + chevron)}
                              .data(),
                          3, colour, 0, borderWidth(ui));
        x += chevron + chevronGap;
    }
    drawText(ui, draw, font, ImVec2(x, textTop), colour, label);
    const float underlineY = textTop + size.y - std::max(1.0f, ui.mm(0.6f));
    draw->AddLine(ImVec2(x, underlineY), ImVec2(x + size.x, underlineY), colour,
                  active ? borderWidth(ui) * 1.5f : std::max(1.0f, ui.mm(0.3f)));
    ItemLook look;
    look.text = colour;
    look.background = active ? p.focus : p.page;
    look.textSize = ImVec2(size.x + chevron + chevronGap, size.y);
    recordItem(ui, RecordedItem::Kind::Link, recordLabel.empty() ? label : recordLabel, min,
               ImGui::GetItemRectMax(), true, look);
    return clicked;
}

}  // namespace

bool primaryButton(UiContext& ui, const std::string& label, float width, bool startArrow) {
    return drawButton(ui, label, true, width, startArrow);
}

bool secondaryButton(UiContext& ui, const std::string& label, float width) {
    return drawButton(ui, label, false, width, false);
}

bool linkButton(UiContext& ui, const std::string& label, const std::string& recordLabel) {
    return drawLink(ui, label, recordLabel, false);
}

bool backLink(UiContext& ui, const std::string& label) {
    const bool clicked = drawLink(ui, label, {}, true);
    verticalSpace(ui, 2);
    return clicked;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] form controls
// ---------------------------------------------------------------------------------------------
namespace {

bool choiceRow(UiContext& ui, const std::string& id, const std::string& label, const std::string& hint,
               bool on, bool square) {
    const Palette& p = palette();
    ImFont* font = fontOr(ui.fonts.body);
    const float width = ImGui::GetContentRegionAvail().x;
    const float padding = ui.mm(4);
    const float marker = ui.mm(10);
    const float textLeft = padding + marker + ui.mm(4);
    const float textWidth = width - textLeft - padding;
    const ImVec2 labelSize = textSize(ui, font, label, textWidth);
    const ImVec2 hintSize = hint.empty() ? ImVec2(0, 0) : textSize(ui, font, hint, textWidth);
    const float contentHeight = labelSize.y + (hint.empty() ? 0.0f : ui.mm(1) + hintSize.y);
    const float height = std::max(ui.mm(20), std::max(contentHeight, marker) + 2 * padding);

    ImGui::PushID(id.c_str());
    const bool clicked = ImGui::InvisibleButton("##choice", ImVec2(width, height));
    const bool active = ImGui::IsItemActive();
    ImGui::PopID();
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    ImDrawList* draw = ImGui::GetWindowDrawList();

    // The whole row is the target, so the row has a visible edge; a chosen row gets a thick black
    // edge and the filled marker (never colour alone).
    if (active) draw->AddRectFilled(min, max, p.focus);
    const float edge = on ? borderWidth(ui) * 2.0f : borderWidth(ui);
    draw->AddRect(ImVec2(min.x + edge * 0.5f, min.y + edge * 0.5f),
                  ImVec2(max.x - edge * 0.5f, max.y - edge * 0.5f), on ? p.inputBorder : p.border, 0.0f, 0,
                  edge);

    const ImU32 ink = active ? p.focusText : p.text;
    const float markerTop =
        hint.empty() && labelSize.y <= marker ? min.y + (height - marker) * 0.5f : min.y + padding;
    const ImVec2 markerMin(min.x + padding, markerTop);
    const ImVec2 markerMax(markerMin.x + marker, markerMin.y + marker);
    const float stroke = std::max(2.0f, ui.mm(0.8f));
    if (square) {
        draw->AddRectFilled(markerMin, markerMax, active ? p.focus : p.page);
        draw->AddRect(markerMin, markerMax, ink, 0.0f, 0, stroke);
        if (on) {
            const ImVec2 tick[3] = {ImVec2(markerMin.x + marker * 0.22f, markerMin.y + marker * 0.52f),
                                    ImVec2(markerMin.x + marker * 0.42f, markerMin.y + marker * 0.72f),
                                    ImVec2(markerMin.x + marker * 0.80f, markerMin.y + marker * 0.28f)};
            draw->AddPolyline(tick, 3, ink, 0, stroke * 1.4f);
        }
    } else {
        const ImVec2 centre(markerMin.x + marker * 0.5f, markerMin.y + marker * 0.5f);
        draw->AddCircleFilled(centre, marker * 0.5f, active ? p.focus : p.page, 40);
        draw->AddCircle(centre, marker * 0.5f - stroke * 0.5f, ink, 40, stroke);
        if (on) draw->AddCircleFilled(centre, marker * 0.27f, ink, 32);
    }
    const float textTop = hint.empty() ? min.y + (height - labelSize.y) * 0.5f : min.y + padding;
    drawText(ui, draw, font, ImVec2(min.x + textLeft, textTop), ink, label, textWidth);
    if (!hint.empty())
        drawText(ui, draw, font, ImVec2(min.x + textLeft, textTop + labelSize.y + ui.mm(1)),
                 active ? p.focusText : p.secondaryText, hint, textWidth);
    // The marker's dark outline is what identifies the control (as in GOV.UK radios and
    // checkboxes); the row's pale edge only groups it.
    ItemLook look;
    look.text = ink;
    look.background = active ? p.focus : p.page;
    look.boundary = ink;
    look.textSize =
        ImVec2(textLeft + std::max(labelSize.x, hintSize.x) + padding, contentHeight + 2 * padding);
    recordItem(ui, RecordedItem::Kind::Choice, label, min, max, true, look);
    if (!hint.empty()) {
        ItemLook hintLook;
        hintLook.role = RecordedItem::Role::Hint;
        hintLook.text = active ? p.focusText : p.secondaryText;
        hintLook.background = look.background;
        hintLook.textSize = hintSize;
        const ImVec2 hintMin(min.x + textLeft, textTop + labelSize.y + ui.mm(1));
        recordItem(ui, RecordedItem::Kind::Text, hint, hintMin,
                   ImVec2(hintMin.x + hintSize.x, hintMin.y + hintSize.y), false, hintLook);
    }
    return clicked;
}

}  // namespace

bool radioRow(UiContext& ui, const std::string& id, const std::string& label, const std::string& hint,
              bool selected) {
    return choiceRow(ui, id, label, hint, selected, false);
}

bool checkboxRow(UiContext& ui, const std::string& id, const std::string& label, const std::string& hint,
                 bool checked) {
    return choiceRow(ui, id, label, hint, checked, true);
}

namespace {

// The box being typed into, and the bottom of the page when it was last brought into view.
ImGuiID g_revealedBox = 0;
float g_revealedPageBottom = 0;

// Scrolls the page so the box being typed into shows whole above the keyboard with its label
// (and error message) above it; when both do not fit, the box wins. Done when the box becomes
// active, when the page above the keyboard changes size, and as the resident types: never in
// between, so the page can still be dragged to read or reach the other boxes.
void revealBoxBeingTyped(const UiContext& ui, float labelTop, float boxBottom, bool typed) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const ImGuiID id = ImGui::GetItemID();
    const float pageBottom = window->InnerRect.Max.y;
    if (id == g_revealedBox && !ImGui::IsItemActivated() && pageBottom == g_revealedPageBottom && !typed)
        return;
    g_revealedBox = id;
    g_revealedPageBottom = pageBottom;
    const float top = window->InnerRect.Min.y + typingMargin(ui);
    const float bottom = pageBottom - typingMargin(ui);
    float delta = 0;
    if (boxBottom > bottom || boxBottom - labelTop > bottom - top)
        delta = boxBottom - bottom;
    else if (labelTop < top)
        delta = labelTop - top;
    const float scroll = ImClamp(window->Scroll.y + delta, 0.0f, window->ScrollMax.y);
    if (std::fabs(scroll - window->Scroll.y) >= 1.0f) ImGui::SetScrollY(window, scroll);
}

}  // namespace

bool textInput(UiContext& ui, const TextBox& box, std::string& value) {
    const Palette& p = palette();
    const float labelTop = ImGui::GetCursorScreenPos().y;
    ImGui::PushID(box.fieldId.c_str());
    ImGui::PushID(box.label.c_str());
    if (box.showLabel) subheadingText(ui, box.label);
    if (!box.hint.empty()) hintText(ui, box.hint);
    if (!box.errorMessage.empty())
        wrappedText(ui, ui.fonts.bodyBold, box.errorMessage, p.error, RecordedItem::Role::Error);

    ImFont* font = fontOr(ui.fonts.body);
    const float width = box.widthMm > 0
                            ? std::min(ui.mm(box.widthMm) * ui.textScale, ImGui::GetContentRegionAvail().x)
                            : ImGui::GetContentRegionAvail().x;
    const float height = textBoxHeight(ui);
    const float border = borderWidth(ui);
    ImGui::PushFont(font);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding,
                        ImVec2(ui.mm(3), std::max(0.0f, (height - font->FontSize) * 0.5f)));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, border);
    ImGui::PushStyleColor(ImGuiCol_Border, box.hasError ? p.error : p.inputBorder);
    ImGui::PushStyleColor(ImGuiCol_FrameBg, p.page);
    ImGui::PushStyleColor(ImGuiCol_FrameBgHovered, p.page);
    ImGui::PushStyleColor(ImGuiCol_FrameBgActive, p.page);
    ImGui::PushStyleColor(ImGuiCol_Text, p.text);

    if (takeFocusRequest(box.fieldId)) {
        ImGui::SetScrollHereY(0.3f);
        ImGui::SetKeyboardFocusHere();
    }
    std::string edited = value;
    bool changed = false;
    if (box.multiline) {
        changed = ImGui::InputTextMultiline("##input", &edited, ImVec2(width, ui.mm(50)));
    } else {
        ImGui::SetNextItemWidth(width);
        changed = ImGui::InputText("##input", &edited, box.password ? ImGuiInputTextFlags_Password : 0);
    }
    const bool active = ImGui::IsItemActive();
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    if (active) {
        ui.textInputActive = true;
        ui.keyboardMode = box.keyboard;
        revealBoxBeingTyped(ui, labelTop, max.y, changed);
    }
    ImGui::PopStyleColor(5);
    ImGui::PopStyleVar(2);
    ImGui::PopFont();

    if (active) {
        // GOV.UK focus: a yellow ring outside and a thicker black edge inside.
        ImDrawList* draw = ImGui::GetWindowDrawList();
        const float ring = std::max(3.0f, ui.mm(0.8f));
        draw->AddRect(ImVec2(min.x - ring * 0.5f, min.y - ring * 0.5f),
                      ImVec2(max.x + ring * 0.5f, max.y + ring * 0.5f), p.focus, 0.0f, 0, ring);
        draw->AddRect(ImVec2(min.x + border, min.y + border), ImVec2(max.x - border, max.y - border),
                      p.inputBorder, 0.0f, 0, border);
    }
    ItemLook look;
    look.text = p.text;
    look.background = p.page;
    look.boundary = box.hasError ? p.error : p.inputBorder;
    look.textSize = ImVec2(0, font->FontSize);
    recordItem(ui, RecordedItem::Kind::TextInput, box.label, min, max, true, look);
    ImGui::PopID();
    ImGui::PopID();
    if (changed) value = edited;
    wipeString(edited);  // a copy of what the resident typed
    return changed;
}

std::array<bool, 3> dateBoxesInError(const std::vector<FieldError>& errors, const DateInput& value) {
    if (!errorFor(errors, "").empty()) return {true, true, true};  // the date as a whole is wrong
    const bool named[3] = {!errorFor(errors, "day").empty(), !errorFor(errors, "month").empty(),
                           !errorFor(errors, "year").empty()};
    if (!named[0] && !named[1] && !named[2]) return {false, false, false};
    // A missing part: the domain names the first empty box; the others still empty are missing too
    // ("must include a day and year").
    const std::string* text[3] = {&value.day, &value.month, &value.year};
    std::array<bool, 3> marked{};
    for (int i = 0; i < 3; ++i)
        marked[i] = named[i] || text[i]->find_first_not_of(" \t") == std::string::npos;
    return marked;
}

void dateBoxes(UiContext& ui, const DateBoxLabels& labels, const DateInput& value,
               const std::vector<FieldError>& errors, std::vector<FieldChange>& changes) {
    const std::array<bool, 3> inError = dateBoxesInError(errors, value);
    // The summary link of a whole-date error (field "") moves to the first box, as GOV.UK does.
    if (takeFocusRequest("")) g_focusRequest = "day";
    struct Part {
        const char* field;
        const std::string* label;
        const std::string* text;
        float widthMm;
    };
    const Part parts[3] = {{"day", &labels.day, &value.day, 24},
                           {"month", &labels.month, &value.month, 24},
                           {"year", &labels.year, &value.year, 34}};
    // Placed by hand rather than with SameLine so the three labels share one baseline.
    const ImVec2 start = ImGui::GetCursorScreenPos();
    float x = start.x;
    float bottom = start.y;
    for (int i = 0; i < 3; ++i) {
        ImGui::SetCursorScreenPos(ImVec2(x, start.y));
        ImGui::BeginGroup();
        TextBox box;
        box.fieldId = parts[i].field;
        box.label = *parts[i].label;
        box.widthMm = parts[i].widthMm;
        box.keyboard = KeyboardMode::Date;
        box.hasError = inError[static_cast<std::size_t>(i)];
        std::string text = *parts[i].text;
        if (textInput(ui, box, text)) changes.push_back({parts[i].field, text});
        ImGui::EndGroup();
        x = ImGui::GetItemRectMax().x + ui.mm(6);
        bottom = std::max(bottom, ImGui::GetItemRectMax().y);
    }
    ImGui::SetCursorScreenPos(ImVec2(start.x, bottom));
    ImGui::Dummy(ImVec2(1, 0));
}

}  // namespace kiosk::ui
