// Out of order: the kiosk cannot take forms. It must read well even when no content pack could
// be loaded, so it falls back to the built-in English from string_keys.h. It has no tools bar (there
// is no session to change), but a resident who cannot read it can still have it read aloud.
#include <imgui.h>

#include <algorithm>

#include "kiosk/ui/screens/screens.h"
#include "kiosk/ui/string_keys.h"
#include "kiosk/ui/text.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

void drawOutOfOrderScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    const Palette& p = palette();
    beginFullScreenPage(ui);

    const std::string heading =
        state.pack ? tr(state, keys::kOutOfOrderHeading) : keys::kBuiltInOutOfOrderHeading;
    const std::string body = state.pack ? tr(state, keys::kOutOfOrderBody) : keys::kBuiltInOutOfOrderBody;
    const float column = std::min(ui.mm(320), ui.screenWidth - 2 * ui.mm(12));
    ImGui::SetCursorScreenPos(ImVec2((ui.screenWidth - column) * 0.5f, ui.screenHeight * 0.35f));
    ImGui::BeginGroup();
    centredText(ui, ui.fonts.headingLarge, heading, p.text, column);
    ImGui::Dummy(ImVec2(column, ui.mm(6)));
    centredText(ui, ui.fonts.body, body, p.text, column);
    ImGui::Dummy(ImVec2(column, ui.mm(10)));
    const std::string readAloud = state.pack ? tr(state, keys::kToolsReadAloud) : keys::kBuiltInReadAloud;
    const float buttonWidth =
        std::min(column, std::max(ui.mm(50), measureText(ui, ui.fonts.bodyBold, readAloud).x + ui.mm(16)));
    ImGui::SetCursorScreenPos(ImVec2((ui.screenWidth - buttonWidth) * 0.5f, ImGui::GetCursorScreenPos().y));
    if (secondaryButton(ui, readAloud, buttonWidth)) intents.push_back(Intent{ReadAloud{}});
    ImGui::EndGroup();
    ImGui::End();
}

}  // namespace kiosk::ui
