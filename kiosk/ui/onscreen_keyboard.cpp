// On-screen keyboard drawing.
//
// [SECTION] sizes
// [SECTION] laying out the rows
// [SECTION] drawing
//
// Layout is pure arithmetic on measured labels, done the same way by keyboardHeight() and
// drawOnscreenKeyboard(), so the two always agree on where every key is.
#include "kiosk/ui/onscreen_keyboard.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

#include "kiosk/ui/text.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {
namespace {

// ---------------------------------------------------------------------------------------------
// [SECTION] sizes
// ---------------------------------------------------------------------------------------------

// Keys are at least 18 mm, between the 15 mm minimum and the 20 mm default target (DESIGN.md
// section 3): six rows of 20 mm keys would not leave room for the text box they type into.
// Width is cheaper than height, so keys are 20 mm wide wherever the screen has room for them.
constexpr float kMinimumKeyMm = 18.0f;
constexpr float kPreferredKeyWidthMm = 20.0f;
constexpr std::size_t kWidestRowKeys = 14;  // Polish and Romanian letters together
// A little over the 2 mm minimum, so whole-pixel rounding never brings a gap under it.
constexpr float kGapMm = 2.5f;
constexpr float kEdgeMarginMm = 3.0f;
// Room around a label: at least this many millimetres, more as the text grows, so large words
// do not touch the key's edge.
constexpr float kPaddingXMm = 2.5f;
constexpr float kPaddingYMm = 2.0f;
constexpr float kWordPaddingPerFontSize = 0.2f;
// One character centred in a key needs less room than a word; these are the widest glyphs any
// layout shows, measured always so letter keys keep their size when Shift swaps in capitals.
constexpr std::string_view kWidestGlyphs[] = {"W", "M", "@", "%"};

struct Metrics {
    ImFont* font = nullptr;
    float unit = 0;          // width of a one-unit key, whole pixels
    float keyHeight = 0;     // height of a key whose label is one line, whole pixels
    float gap = 0;           // whole pixels
    float glyphPadding = 0;  // each side of a one-character label
    float wordPadding = 0;   // each side of a word label
    float paddingY = 0;
    float margin = 0;
};

float labelWidth(const UiContext& ui, ImFont* font, std::string_view text) {
    return text.empty() ? 0.0f : measureText(ui, font, text).x;
}

bool isSingleCodePoint(const std::string& text) {
    if (text.empty()) return false;
    std::size_t i = 1;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
    return i == text.size();
}

bool isGlyphKey(const Key& key) {
    return key.action == KeyAction::Type && isSingleCodePoint(key.label);
}

Metrics metricsFor(const UiContext& ui, const KeyboardLayout& layout) {
    Metrics m;
    m.font = fontOr(ui.fonts.bodyBold);
    const float fontSize = m.font->FontSize;
    m.gap = std::ceil(ui.mm(kGapMm));
    m.margin = std::ceil(ui.mm(kEdgeMarginMm));
    m.glyphPadding = ui.mm(kPaddingXMm);
    m.wordPadding = std::max(ui.mm(kPaddingXMm), fontSize * kWordPaddingPerFontSize);
    m.paddingY = ui.mm(kPaddingYMm);

    float widest = 0;
    for (auto glyph : kWidestGlyphs) widest = std::max(widest, labelWidth(ui, m.font, glyph));
    for (const auto& row : layout.rows)
        for (const auto& key : row)
            if (isGlyphKey(key)) widest = std::max(widest, labelWidth(ui, m.font, key.label));
    const float available = ui.screenWidth - 2 * m.margin;
    const float room = (available - static_cast<float>(kWidestRowKeys - 1) * m.gap) / kWidestRowKeys;
    m.unit = std::ceil(std::max(
        {ui.mm(kMinimumKeyMm), widest + 2 * m.glyphPadding, std::min(ui.mm(kPreferredKeyWidthMm), room)}));
    m.keyHeight = std::ceil(std::max(ui.mm(kMinimumKeyMm), measureText(ui, m.font, "W").y + 2 * m.paddingY));
    return m;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] laying out the rows
// ---------------------------------------------------------------------------------------------

struct PlacedKey {
    const Key* key = nullptr;
    std::string label;
    ImVec2 min, max;
    float padding = 0;  // each side of the label
};

struct Geometry {
    std::vector<PlacedKey> keys;
    float height = 0;
    Metrics metrics;
};

// Three widths per key: what its units ask for, the least that fits its label on one line, and
// the least that fits its longest word.
struct KeyWidths {
    const Key* key = nullptr;
    std::string label;
    float padding = 0;
    float natural = 0;
    float compact = 0;
    float wrapped = 0;
    float chosen = 0;
};

std::string visibleLabel(const Key& key, const KeyLabelLookup& label) {
    if (key.action == KeyAction::Type) return key.label;
    if (key.action == KeyAction::Blank || key.labelKey.empty()) return {};
    std::string text = label ? label(key.labelKey.c_str()) : std::string();
    // A missing translation must not leave a blank key nobody can identify.
    return text.empty() ? key.labelKey : text;
}

float widestWord(const UiContext& ui, ImFont* font, const std::string& text) {
    float widest = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(' ', start);
        if (end == std::string::npos) end = text.size();
        widest = std::max(widest, labelWidth(ui, font, std::string_view(text).substr(start, end - start)));
        start = end + 1;
    }
    return widest;
}

float rowWidth(const std::vector<KeyWidths>& row, float KeyWidths::*width, float gap) {
    float total = 0;
    for (const auto& key : row) total += key.*width;
    return total + gap * static_cast<float>(row.empty() ? 0 : row.size() - 1);
}

// Moves every key from `from` towards `to` by the same fraction, just far enough to fit.
void squeeze(std::vector<KeyWidths>& row, float KeyWidths::*from, float KeyWidths::*to, float available,
             float gap) {
    const float wide = rowWidth(row, from, gap);
    const float narrow = rowWidth(row, to, gap);
    const float t = wide > narrow ? std::clamp((available - narrow) / (wide - narrow), 0.0f, 1.0f) : 0.0f;
    // Rounding down keeps the row inside `available`, and never below `to`, which is whole.
    for (auto& key : row) key.chosen = std::floor(key.*to + (key.*from - key.*to) * t);
}

std::vector<std::vector<KeyWidths>> fitRow(const UiContext& ui, const Metrics& m, const std::vector<Key>& row,
                                           const KeyLabelLookup& label) {
    std::vector<KeyWidths> widths;
    for (const auto& key : row) {
        KeyWidths w;
        w.key = &key;
        w.label = visibleLabel(key, label);
        w.padding = isGlyphKey(key) ? m.glyphPadding : m.wordPadding;
        const float units = std::max(1.0f, key.widthUnits);
        const float span = std::ceil(units * m.unit + (units - 1) * m.gap);
        if (key.action == KeyAction::Blank || isGlyphKey(key)) {
            w.natural = w.compact = w.wrapped = span;  // the unit already fits every glyph
        } else {
            const float text = labelWidth(ui, m.font, w.label);
            w.compact = std::ceil(std::max(m.unit, text + 2 * w.padding));
            w.wrapped = std::ceil(std::max(m.unit, widestWord(ui, m.font, w.label) + 2 * w.padding));
            w.natural = std::max(span, w.compact);
        }
        widths.push_back(std::move(w));
    }

    const float available = ui.screenWidth - 2 * m.margin;
    if (rowWidth(widths, &KeyWidths::natural, m.gap) <= available) {
        for (auto& w : widths) w.chosen = w.natural;
        return {widths};
    }
    if (rowWidth(widths, &KeyWidths::compact, m.gap) <= available) {
        squeeze(widths, &KeyWidths::natural, &KeyWidths::compact, available, m.gap);
        return {widths};
    }
    if (rowWidth(widths, &KeyWidths::wrapped, m.gap) <= available) {
        squeeze(widths, &KeyWidths::compact, &KeyWidths::wrapped, available, m.gap);
        return {widths};
    }
    // Even wrapped labels do not fit (long translations at 200 % text on a narrow panel): break
    // the row wherever the next key would cross the edge.
    std::vector<std::vector<KeyWidths>> lines(1);
    float used = 0;
    for (auto& w : widths) {
        w.chosen = w.wrapped;
        if (!lines.back().empty() && used + m.gap + w.chosen > available) {
            lines.emplace_back();
            used = 0;
        }
        used += (lines.back().empty() ? 0 : m.gap) + w.chosen;
        lines.back().push_back(std::move(w));
    }
    return lines;
}

// Key positions relative to the keyboard's top edge. Every size above is whole pixels, so edges
// land on whole pixels without rounding, and no rounding can shave a label's width or a gap.
Geometry layOut(const UiContext& ui, const KeyboardLayout& layout, const KeyLabelLookup& label) {
    Geometry geometry;
    const Metrics m = metricsFor(ui, layout);
    geometry.metrics = m;
    float y = m.margin;
    bool first = true;
    for (const auto& row : layout.rows) {
        for (auto& line : fitRow(ui, m, row, label)) {
            if (!first) y += m.gap;
            first = false;
            float height = m.keyHeight;
            for (const auto& w : line) {
                const float textHeight = measureText(ui, m.font, w.label, w.chosen - 2 * w.padding).y;
                height = std::max(height, std::ceil(textHeight + 2 * m.paddingY));
            }
            float x = std::floor((ui.screenWidth - rowWidth(line, &KeyWidths::chosen, m.gap)) * 0.5f);
            for (auto& w : line) {
                PlacedKey placed;
                placed.key = w.key;
                placed.label = std::move(w.label);
                placed.padding = w.padding;
                placed.min = ImVec2(x, y);
                placed.max = ImVec2(x + w.chosen, y + height);
                x += w.chosen + m.gap;
                if (placed.key->action != KeyAction::Blank) geometry.keys.push_back(std::move(placed));
            }
            y += height;
        }
    }
    geometry.height = y + m.margin;
    return geometry;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] drawing
// ---------------------------------------------------------------------------------------------

// WCAG relative luminance and contrast, to pick a key edge that stands out against its face in
// both the standard and the high-contrast palette.
float channel(unsigned value) {
    const float c = static_cast<float>(value) / 255.0f;
    return c <= 0.03928f ? c / 12.92f : std::pow((c + 0.055f) / 1.055f, 2.4f);
}

float luminance(ImU32 colour) {
    return 0.2126f * channel((colour >> IM_COL32_R_SHIFT) & 0xFF) +
           0.7152f * channel((colour >> IM_COL32_G_SHIFT) & 0xFF) +
           0.0722f * channel((colour >> IM_COL32_B_SHIFT) & 0xFF);
}

float contrast(ImU32 a, ImU32 b) {
    const float la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05f) / (std::min(la, lb) + 0.05f);
}

struct KeyColours {
    ImU32 face, text, edge;
};

KeyColours coloursFor(const Key& key, bool pressed) {
    const Palette& p = palette();
    KeyColours c{p.page, p.text, 0};
    if (pressed) {
        c = {p.focus, p.focusText, 0};  // GOV.UK's focus colours, so the state never depends on hover
    } else if (key.latched) {
        c = {p.inputBorder, p.page, 0};  // Shift on, or special letters showing: held down, inverted
    } else if (key.action == KeyAction::Done) {
        c = {p.primary, p.primaryText, 0};
    } else if (key.action != KeyAction::Type) {
        c = {p.secondary, p.secondaryText2, 0};
    }
    // The black (white in high contrast) edge unless the face is that colour already.
    c.edge = contrast(p.inputBorder, c.face) >= 3.0f ? p.inputBorder : p.page;
    return c;
}

}  // namespace

float keyboardHeight(const UiContext& ui, const KeyboardLayout& layout, const KeyLabelLookup& label) {
    return layOut(ui, layout, label).height;
}

void drawOnscreenKeyboard(UiContext& ui, const KeyboardLayout& layout, const KeyLabelLookup& label,
                          const std::string& pressedValue) {
    const Palette& p = palette();
    const Geometry geometry = layOut(ui, layout, label);
    // A whole pixel, so the keys' edges stay on whole pixels once moved down.
    const float top = std::floor(ui.screenHeight - geometry.height);
    const Metrics& m = geometry.metrics;

    ImGui::SetNextWindowPos(ImVec2(0, top));
    ImGui::SetNextWindowSize(ImVec2(ui.screenWidth, geometry.height));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, p.secondary);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    // NoFocusOnAppearing: a window that takes focus clears ImGui's active id, which would end
    // the very edit the keyboard appeared for.
    ImGui::Begin(kKeyboardWindowName, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse |
                     ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    // In front of the page windows without being focused: display order only.
    ImGui::BringWindowToDisplayFront(ImGui::GetCurrentWindow());

    ImDrawList* draw = ImGui::GetWindowDrawList();
    // The keyboard's grey is close to the page's white, so a line marks where the page ends.
    draw->AddRectFilled(ImVec2(0, top), ImVec2(ui.screenWidth, top + std::max(1.0f, ui.mm(0.5f))), p.border);

    const float edge = std::max(2.0f, ui.mm(0.55f));  // GOV.UK's 2 px input border
    for (PlacedKey placed : geometry.keys) {
        placed.min.y += top;
        placed.max.y += top;
        const Key& key = *placed.key;
        const std::string value = keyValue(key);
        const KeyColours colours = coloursFor(key, !pressedValue.empty() && value == pressedValue);
        draw->AddRectFilled(placed.min, placed.max, colours.face);
        draw->AddRect(ImVec2(placed.min.x + edge * 0.5f, placed.min.y + edge * 0.5f),
                      ImVec2(placed.max.x - edge * 0.5f, placed.max.y - edge * 0.5f), colours.edge, 0.0f, 0,
                      edge);

        const float wrap = placed.max.x - placed.min.x - 2 * placed.padding;
        const ImVec2 textSize = measureText(ui, m.font, placed.label, wrap);
        const float textTop = std::floor(placed.min.y + (placed.max.y - placed.min.y - textSize.y) * 0.5f);
        drawText(ui, draw, m.font, ImVec2(placed.min.x + placed.padding, textTop), colours.text, placed.label,
                 wrap, TextAlign::Centre);

        recordItem(ui, RecordedItem::Kind::Key, placed.label, placed.min, placed.max, true);
        if (!ui.record || ui.record->items.empty()) continue;
        RecordedItem& item = ui.record->items.back();
        item.role = RecordedItem::Role::Chrome;
        item.value = value;
        item.textColour = colours.text;
        item.backgroundColour = colours.face;  // the label sits on the key's face
        item.boundaryColour = colours.edge;
        item.textWidth = textSize.x;
        item.textHeight = textSize.y;
    }
    ImGui::End();
}

}  // namespace kiosk::ui
