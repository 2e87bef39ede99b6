// The frame entry point and the theme: which screen to draw, the top bar around it, the timeout
// warning over it, and ImGuiStyle set up for a calm, light, touch-sized public service.
#include "kiosk/ui/kiosk_ui.h"

#include <imgui.h>

#include <algorithm>

#include "kiosk/ui/onscreen_keyboard.h"
#include "kiosk/ui/screens/resident/resident_screens.h"
#include "kiosk/ui/screens/screens.h"
#include "kiosk/ui/screens/staff/staff_screens.h"
#include "kiosk/ui/string_keys.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {
namespace {

bool showsTopBar(SessionScreen screen) {
    return screen != SessionScreen::Attract && screen != SessionScreen::OutOfOrder;
}

// Start again only where there is something to start again from.
bool showsStartAgain(const KioskState& state) {
    if (state.screen != SessionScreen::InMode) return false;
    switch (state.mode) {
        case Mode::Resident:
            return residentShowsStartAgain(state.resident.screen);
        case Mode::Staff:
            return false;
    }
    return false;
}

std::string councilName(const KioskState& state) {
    if (!state.pack || state.pack->councils.empty()) return {};
    return state.pack->councils.front().name.in(state.language);
}

}  // namespace

KeyboardLayout keyboardLayoutFor(const KioskState& state, KeyboardMode mode) {
    // The special letters show by default where the language needs them; the key flips that.
    const bool accents = accentsShownByDefault(state.language) != state.keyboard.accents;
    return layoutFor(mode, state.keyboard.alphabetical ? LetterOrder::Alphabetical : LetterOrder::Qwerty,
                     state.language, state.keyboard.shift, state.keyboard.numbers, accents);
}

void drawKioskFrame(const KioskState& state, UiContext& ui, std::vector<Intent>& intents) {
    ui.scrollCueLabel = tr(state, keys::kScrollCue);
    ui.textScale = static_cast<float>(state.textSizePercent) / 100.0f;
    ui.pageTop = 0;
    ui.compactForTyping = false;
    const KeyLabelLookup label = [&state](const char* key) { return tr(state, key); };
    ui.pageBottom =
        ui.keyboardShown
            ? ui.screenHeight - keyboardHeight(ui, keyboardLayoutFor(state, ui.keyboardMode), label)
            : 0;
    ui.textInputActive = false;
    if (showsTopBar(state.screen)) {
        // Staff screens are in English only; the resident's language stays for their pages.
        const bool showLanguage = state.screen != SessionScreen::Language &&
                                  !(state.screen == SessionScreen::InMode && state.mode == Mode::Staff);
        const bool showStartAgain = showsStartAgain(state);
        TopBarContent content;
        content.councilName = councilName(state);
        content.languageLabel = tr(state, keys::kLanguage);
        content.startAgainLabel = tr(state, keys::kStartAgain);
        content.showLanguage = showLanguage;
        content.showStartAgain = showStartAgain;
        content.online = state.online;
        content.connectionLabel = tr(state, state.online ? keys::kStatusOnline : keys::kStatusOffline);
        if (volunteerAssisting(state))
            content.assistedBy = "Assisted by " + firstName(state.staffMember->name);
        const TopBarActions actions = topBar(ui, content);
        if (actions.language) intents.push_back(Intent{OpenLanguage{}});
        if (actions.startAgain) intents.push_back(Intent{StartAgain{}});
        // With the keyboard up at large text sizes, the top bar, both rows of tools, the action
        // bar and the keyboard together leave no room for the box being typed into: the page
        // then keeps only the first row of tools and drops the action bar until Done.
        const float top = topBarHeight(ui);
        const float roomWithEverything =
            ui.pageBottom - top - toolsBarHeight(state, ui) - actionBarHeight(ui);
        ui.compactForTyping = ui.keyboardShown && roomWithEverything < roomForTyping(ui);
        drawToolsBar(state, ui, intents, top, ui.compactForTyping);
        ui.pageTop = top + toolsBarHeight(state, ui, ui.compactForTyping);
    }

    switch (state.screen) {
        case SessionScreen::Attract:
            drawAttractScreen(state, ui, intents);
            break;
        case SessionScreen::Language:
            drawLanguageScreen(state, ui, intents);
            break;
        case SessionScreen::OutOfOrder:
            drawOutOfOrderScreen(state, ui, intents);
            break;
        case SessionScreen::InMode:
            switch (state.mode) {
                case Mode::Resident:
                    drawResidentScreen(state, ui, intents);
                    break;
                case Mode::Staff:
                    drawStaffScreen(state, ui, intents);
                    break;
            }
            break;
    }

    // A tap elsewhere ends the edit on the press, but the keyboard goes only once the finger
    // lifts: if the page grew back under the finger, the button pressed would slide away before
    // the release and the tap would be lost.
    ui.keyboardShown =
        (ui.textInputActive || (ui.keyboardShown && ImGui::IsMouseDown(0))) && !state.timeoutWarning;
    if (ui.keyboardShown)
        drawOnscreenKeyboard(ui, keyboardLayoutFor(state, ui.keyboardMode), label, ui.pressedKey);

    // Drawn last and full-screen, so a tap anywhere on the page underneath lands on the overlay
    // (scripts may still tap the page's recorded items to check exactly that).
    ui.overlayFirstItem = 0;
    if (state.timeoutWarning) {
        ui.overlayFirstItem = ui.record ? ui.record->items.size() : 0;
        drawTimeoutWarning(state, ui, intents);
    }
}

void applyKioskTheme(bool highContrast, const UiContext& ui) {
    usePalette(highContrast);
    const Palette& p = palette();
    ImGuiStyle& style = ImGui::GetStyle();
    style = ImGuiStyle();  // start from known values so repeated calls do not compound

    style.WindowPadding = ImVec2(ui.mm(10), ui.mm(10));
    style.FramePadding = ImVec2(ui.mm(3), ui.mm(3));
    style.ItemSpacing = ImVec2(ui.mm(4), ui.mm(5));
    style.ItemInnerSpacing = ImVec2(ui.mm(3), ui.mm(2));
    style.IndentSpacing = ui.mm(6);
    style.ScrollbarSize = ui.mm(3);
    style.GrabMinSize = ui.mm(10);
    style.WindowBorderSize = 0;
    style.ChildBorderSize = 0;
    style.PopupBorderSize = 0;
    style.FrameBorderSize = std::max(2.0f, ui.mm(0.55f));
    style.WindowRounding = 0;
    style.ChildRounding = 0;
    style.FrameRounding = 0;
    style.PopupRounding = 0;
    style.ScrollbarRounding = 0;
    style.GrabRounding = 0;
    style.TabRounding = 0;
    style.WindowMinSize = ImVec2(1, 1);
    style.TouchExtraPadding = ImVec2(0, 0);
    style.AntiAliasedLines = true;
    style.AntiAliasedFill = true;
    style.MouseCursorScale = 0;  // no mouse cursor on a touch kiosk

    const auto colour = [](ImU32 packed) { return ImGui::ColorConvertU32ToFloat4(packed); };
    ImVec4* c = style.Colors;
    c[ImGuiCol_Text] = colour(p.text);
    c[ImGuiCol_TextDisabled] = colour(p.secondaryText);
    c[ImGuiCol_WindowBg] = colour(p.page);
    c[ImGuiCol_ChildBg] = colour(p.page);
    c[ImGuiCol_PopupBg] = colour(p.page);
    c[ImGuiCol_Border] = colour(p.inputBorder);
    c[ImGuiCol_BorderShadow] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_FrameBg] = colour(p.page);
    c[ImGuiCol_FrameBgHovered] = colour(p.page);  // hover is never a state cue on touch
    c[ImGuiCol_FrameBgActive] = colour(p.page);
    c[ImGuiCol_ScrollbarBg] = colour(p.page);
    c[ImGuiCol_ScrollbarGrab] = colour(p.border);
    c[ImGuiCol_ScrollbarGrabHovered] = colour(p.border);
    c[ImGuiCol_ScrollbarGrabActive] = colour(p.secondaryText);
    c[ImGuiCol_CheckMark] = colour(p.text);
    c[ImGuiCol_Button] = colour(p.primary);
    c[ImGuiCol_ButtonHovered] = colour(p.primary);
    c[ImGuiCol_ButtonActive] = colour(p.focus);
    c[ImGuiCol_TextSelectedBg] = colour(p.focus);
    c[ImGuiCol_NavHighlight] = colour(p.focus);
    c[ImGuiCol_ModalWindowDimBg] = colour(p.overlayDim);
    c[ImGuiCol_Separator] = colour(p.border);
}

}  // namespace kiosk::ui
