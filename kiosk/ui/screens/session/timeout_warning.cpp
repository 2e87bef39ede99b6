// "Do you need more time?": a box over the dimmed page with the countdown and one large button.
// The overlay window covers the whole screen, so only its button can be tapped (WCAG 2.2.1: one
// simple action extends the time).
#include <imgui.h>

#include <algorithm>
#include <string>

#include "kiosk/ui/screens/screens.h"
#include "kiosk/ui/string_keys.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

void drawTimeoutWarning(const KioskState& state, UiContext& ui, Intents& intents) {
    const Palette& p = palette();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(ui.screenWidth, ui.screenHeight));
    ImGui::SetNextWindowFocus();  // stays in front of the page windows
    ImGui::PushStyleColor(ImGuiCol_WindowBg, p.overlayDim);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin(kOverlayWindowName, nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();

    const float width = std::min(ui.mm(200), ui.screenWidth - 2 * ui.mm(12));
    const float padding = ui.mm(10);
    const float inner = width - 2 * padding;
    const float left = (ui.screenWidth - width) * 0.5f;
    const float top = ui.screenHeight * 0.22f;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    // Contents on the upper channel so the box behind them can be sized to fit.
    draw->ChannelsSplit(2);
    draw->ChannelsSetCurrent(1);
    ImGui::SetCursorScreenPos(ImVec2(left + padding, top + padding));
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + inner);
    headingText(ui, tr(state, keys::kTimeoutHeading));
    bodyText(ui, fillTemplate(tr(state, keys::kTimeoutBody),
                              {{"seconds", std::to_string(state.warningSecondsLeft)}}));
    ImGui::PopTextWrapPos();
    verticalSpace(ui, 4);
    const bool extend = primaryButton(ui, tr(state, keys::kTimeoutExtend), inner);
    ImGui::EndGroup();
    const float bottom = ImGui::GetItemRectMax().y + padding;
    draw->ChannelsSetCurrent(0);
    draw->AddRectFilled(ImVec2(left, top), ImVec2(left + width, bottom), p.page);
    draw->AddRect(ImVec2(left, top), ImVec2(left + width, bottom), p.text, 0.0f, 0,
                  std::max(3.0f, ui.mm(0.8f)));
    draw->ChannelsMerge();
    if (extend) intents.push_back(Intent{ExtendTime{}});
    ImGui::End();
}

}  // namespace kiosk::ui
