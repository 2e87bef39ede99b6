// Attract screen: shown between residents. The whole screen is one target, so any touch starts;
// nothing moves or flashes and nothing plays sound.
#include <imgui.h>

#include "kiosk/ui/screens/screens.h"
#include "kiosk/ui/string_keys.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

void drawAttractScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    const Palette& p = palette();
    beginFullScreenPage(ui);

    const std::string title = tr(state, keys::kAttractTitle);
    ImGui::SetCursorScreenPos(ImVec2(0, 0));
    if (ImGui::InvisibleButton("##attract", ImVec2(ui.screenWidth, ui.screenHeight)))
        intents.push_back(Intent{Begin{}});
    const bool pressed = ImGui::IsItemActive();
    recordItem(ui, RecordedItem::Kind::Button, title, ImVec2(0, 0), ImVec2(ui.screenWidth, ui.screenHeight),
               true);

    ImDrawList* draw = ImGui::GetWindowDrawList();
    // The same black band as the top bar on every other screen, with the council's name.
    const float band = topBarHeight(ui);
    draw->AddRectFilled(ImVec2(0, 0), ImVec2(ui.screenWidth, band), p.header);
    draw->AddRectFilled(ImVec2(0, band - ui.mm(2.5f)), ImVec2(ui.screenWidth, band), p.headerAccent);
    if (state.pack && !state.pack->councils.empty()) {
        const std::string name = state.pack->councils.front().name.in(state.language);
        ImFont* font = fontOr(ui.fonts.bodyBold);
        const ImVec2 namePos(ui.mm(12), (band - ui.mm(2.5f) - font->FontSize) * 0.5f);
        ItemLook look;
        look.role = RecordedItem::Role::Chrome;
        look.text = p.headerText;
        look.background = p.header;
        look.textSize = drawText(ui, draw, font, namePos, p.headerText, name);
        recordItem(ui, RecordedItem::Kind::Text, name, namePos,
                   ImVec2(namePos.x + look.textSize.x, namePos.y + look.textSize.y), false, look);
    }

    const float column = std::min(ui.mm(260), ui.screenWidth - 2 * ui.mm(12));
    const float left = (ui.screenWidth - column) * 0.5f;
    ImGui::SetCursorScreenPos(ImVec2(left, ui.screenHeight * 0.30f));
    ImGui::BeginGroup();
    centredText(ui, ui.fonts.headingLarge, title, p.text, column);
    ImGui::Dummy(ImVec2(column, ui.mm(6)));
    centredText(ui, ui.fonts.body, tr(state, keys::kAttractBody), p.secondaryText, column);
    ImGui::Dummy(ImVec2(column, ui.mm(12)));

    // A large start button drawn inside the full-screen target: people recognise a button even
    // when "touch the screen" is new to them.
    const std::string start = tr(state, keys::kStartButton);
    ImFont* font = fontOr(ui.fonts.bodyBold);
    const ImVec2 size = measureText(ui, font, start);
    const float width = std::max(ui.mm(80), size.x + ui.mm(20));
    const float height = ui.mm(22);
    const float shadow = std::max(3.0f, ui.mm(0.8f));
    const ImVec2 min(left + (column - width) * 0.5f, ImGui::GetCursorScreenPos().y);
    const ImVec2 max(min.x + width, min.y + height);
    draw->AddRectFilled(ImVec2(min.x, max.y - shadow), max, pressed ? p.focusText : p.primaryShadow);
    draw->AddRectFilled(min, ImVec2(max.x, max.y - shadow), pressed ? p.focus : p.primary);
    drawText(ui, draw, font,
             ImVec2(min.x + (width - size.x) * 0.5f, min.y + (height - shadow - size.y) * 0.5f),
             pressed ? p.focusText : p.primaryText, start);
    ImGui::Dummy(ImVec2(column, height));
    ImGui::EndGroup();

    // Every language offered, each in its own name, so a resident sees theirs before starting.
    if (state.pack && state.pack->languages.size() > 1) {
        std::string names;
        for (const Language& language : state.pack->languages) {
            if (!names.empty()) names += "   ·   ";
            names += language.nativeName;
        }
        ImGui::SetCursorScreenPos(ImVec2(left, ui.screenHeight - ui.mm(30)));
        centredText(ui, ui.fonts.body, names, p.secondaryText, column);
    }
    ImGui::End();
}

}  // namespace kiosk::ui
