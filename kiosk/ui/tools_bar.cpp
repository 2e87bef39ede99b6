// The tools bar under the top bar, on every screen a resident uses: read aloud (and, while it is
// on, stop, speed, volume and spoken keys), text size and high contrast. EN 301 549 closed
// functionality: the kiosk has no screen reader or system settings to fall back on, so these
// controls are always in the same place and always one tap away.
#include <imgui.h>

#include <algorithm>
#include <string>
#include <vector>

#include "kiosk/ui/screens/screens.h"
#include "kiosk/ui/string_keys.h"
#include "kiosk/ui/widgets.h"
#include "kiosk/ui/widgets_internal.h"

namespace kiosk::ui {

using detail::borderWidth;

namespace {

struct Tool {
    std::string label;
    std::string icon;       // "" for none
    Intent intent;          // emitted when tapped
    bool selected = false;  // drawn filled, like a pressed-in toggle
    bool tappable = true;   // false: a plain reading such as the volume
};

float toolHeight(const UiContext& ui) {
    return std::max(ui.mm(15), fontOr(ui.fonts.bodyBold)->FontSize + ui.mm(5));
}

float toolWidth(const UiContext& ui, const Tool& tool) {
    const ImVec2 text = measureText(ui, fontOr(ui.fonts.bodyBold), tool.label);
    const float icon = tool.icon.empty() ? 0.0f : text.y * 0.9f + ui.mm(2.5f);
    return std::max(ui.mm(15), text.x + icon + ui.mm(tool.tappable ? 8 : 2));
}

std::vector<Tool> toolsFor(const KioskState& state) {
    std::vector<Tool> tools;
    const auto& speech = state.speech;
    tools.push_back({tr(state, speech.readAloud ? keys::kToolsReadAgain : keys::kToolsReadAloud), "speaker",
                     Intent{ReadAloud{}}});
    if (speech.readAloud) {
        tools.push_back({tr(state, keys::kToolsStop), "stop", Intent{StopReading{}}});
        tools.push_back({tr(state, speech.slow ? keys::kToolsNormalSpeed : keys::kToolsSlower), "",
                         Intent{ToggleSlowSpeech{}}});
        tools.push_back({tr(state, keys::kToolsQuieter), "", Intent{VolumeDown{}}});
        Tool volume{
            fillTemplate(tr(state, keys::kToolsVolume), {{"percent", std::to_string(speech.volumePercent)}}),
            "", Intent{Touched{}}};
        volume.tappable = false;
        tools.push_back(volume);
        tools.push_back({tr(state, keys::kToolsLouder), "", Intent{VolumeUp{}}});
        tools.push_back(
            {tr(state, keys::kKeyboardSpeakKeys), "", Intent{ToggleSpeakKeys{}}, speech.speakKeys});
    }
    Tool caption{tr(state, keys::kToolsTextSize), "letters", Intent{Touched{}}};
    caption.tappable = false;
    tools.push_back(caption);
    for (const int percent : {100, 150, 200}) {
        const std::string value = std::to_string(percent);
        tools.push_back({fillTemplate(tr(state, keys::kToolsTextSizeValue), {{"percent", value}}), "",
                         Intent{SetTextSize{percent}}, state.textSizePercent == percent});
    }
    tools.push_back({tr(state, state.highContrast ? keys::kToolsStandardColours : keys::kToolsHighContrast),
                     "contrast", Intent{ToggleHighContrast{}}});
    return tools;
}

// Rows of tools, left to right, wrapping when the screen is too narrow (text at 200 %).
struct Placed {
    const Tool* tool;
    ImVec2 min, max;
};

std::vector<Placed> layOut(const UiContext& ui, const std::vector<Tool>& tools, float left, float right,
                           float top) {
    std::vector<Placed> placed;
    const float gap = ui.mm(3);
    const float height = toolHeight(ui);
    float x = left;
    float y = top;
    for (const Tool& tool : tools) {
        const float width = std::min(toolWidth(ui, tool), right - left);
        if (x > left && x + width > right) {
            x = left;
            y += height + gap;
        }
        placed.push_back({&tool, ImVec2(x, y), ImVec2(x + width, y + height)});
        x += width + gap;
    }
    return placed;
}

float margin(const UiContext& ui) {
    return ui.mm(12);
}
float padding(const UiContext& ui) {
    return ui.mm(2.5f);
}

bool drawTool(UiContext& ui, const Tool& tool, ImVec2 min, ImVec2 max) {
    const Palette& p = palette();
    ImFont* font = fontOr(ui.fonts.bodyBold);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    bool clicked = false;
    bool active = false;
    if (tool.tappable) {
        ImGui::SetCursorScreenPos(min);
        ImGui::PushID(tool.label.c_str());
        clicked = ImGui::InvisibleButton("##tool", ImVec2(max.x - min.x, max.y - min.y));
        active = ImGui::IsItemActive();
        ImGui::PopID();
    }
    ImU32 face = p.secondary;
    ImU32 ink = p.text;
    if (tool.selected) {
        face = p.text;
        ink = p.page;
    }
    if (active) {
        face = p.focus;
        ink = p.focusText;
    }
    const float border = borderWidth(ui);
    if (tool.tappable) {
        draw->AddRectFilled(min, max, face);
        draw->AddRect(ImVec2(min.x + border * 0.5f, min.y + border * 0.5f),
                      ImVec2(max.x - border * 0.5f, max.y - border * 0.5f),
                      active ? p.focusText : p.inputBorder, 0.0f, 0, border);
    }
    const ImVec2 text = measureText(ui, font, tool.label);
    const float icon = tool.icon.empty() ? 0.0f : text.y * 0.9f;
    const float iconGap = tool.icon.empty() ? 0.0f : ui.mm(2.5f);
    float x = min.x + (max.x - min.x - text.x - icon - iconGap) * 0.5f;
    const float centreY = (min.y + max.y) * 0.5f;
    if (!tool.icon.empty()) {
        drawIcon(draw, tool.icon, ImVec2(x, centreY - icon * 0.5f), icon, tool.tappable ? ink : p.text,
                 std::max(2.0f, ui.mm(0.6f)));
        x += icon + iconGap;
    }
    drawText(ui, draw, font, ImVec2(x, centreY - text.y * 0.5f), tool.tappable ? ink : p.text, tool.label);
    ItemLook look;
    look.role = RecordedItem::Role::Chrome;
    look.text = tool.tappable ? ink : p.text;
    look.background = tool.tappable ? face : p.secondary;
    look.boundary = tool.tappable ? (active ? p.focusText : p.inputBorder) : 0;
    look.textSize = ImVec2(text.x + icon + iconGap, text.y);
    recordItem(ui, tool.tappable ? RecordedItem::Kind::Button : RecordedItem::Kind::Text, tool.label, min,
               max, tool.tappable, look);
    return clicked;
}

}  // namespace

namespace {

// The tools to draw: all of them, or only those on the first row. The first row always starts
// with read aloud and, while it is on, its stop, speed, volume and spoken-keys controls, which is
// what a resident may still need while typing; text size and contrast wait for Done.
std::vector<Placed> placedTools(const UiContext& ui, const std::vector<Tool>& tools, float top,
                                bool firstRowOnly) {
    std::vector<Placed> placed = layOut(ui, tools, margin(ui), ui.screenWidth - margin(ui), top);
    if (firstRowOnly && !placed.empty()) {
        const float firstRowTop = placed.front().min.y;
        std::erase_if(placed, [firstRowTop](const Placed& item) { return item.min.y > firstRowTop; });
    }
    return placed;
}

}  // namespace

float toolsBarHeight(const KioskState& state, const UiContext& ui, bool firstRowOnly) {
    const auto tools = toolsFor(state);
    const auto placed = placedTools(ui, tools, 0, firstRowOnly);
    return (placed.empty() ? 0.0f : placed.back().max.y) + 2 * padding(ui);
}

void drawToolsBar(const KioskState& state, UiContext& ui, Intents& intents, float top, bool firstRowOnly) {
    const Palette& p = palette();
    const float height = toolsBarHeight(state, ui, firstRowOnly);
    ImGui::SetNextWindowPos(ImVec2(0, top));
    ImGui::SetNextWindowSize(ImVec2(ui.screenWidth, height));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, p.secondary);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin(kToolsBarWindowName, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    // A line under the bar separates the tools from the page without drawing the eye.
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(0, top + height - std::max(1.0f, ui.mm(0.3f))),
                                              ImVec2(ui.screenWidth, top + height), p.border);
    const auto tools = toolsFor(state);
    for (const Placed& placed : placedTools(ui, tools, top + padding(ui), firstRowOnly))
        if (drawTool(ui, *placed.tool, placed.min, placed.max) && placed.tool->tappable)
            intents.push_back(placed.tool->intent);
    ImGui::End();
}

}  // namespace kiosk::ui
