// PIN pad for volunteers (in-app keys, 20 mm square, so no system keyboard is needed and the
// digits never appear on screen), or a passphrase box with the on-screen keyboard for admins.
// While the PIN is checked (Argon2id takes a moment on purpose) the page says so.
#include <imgui.h>

#include <algorithm>

#include "kiosk/secure_wipe.h"
#include "kiosk/ui/screens/staff/staff_screens.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {
namespace {

const StaffListEntry* chosenAccount(const KioskState& state) {
    for (const auto& account : state.staff.accounts)
        if (account.staffId == state.staff.chosenStaffId) return &account;
    return nullptr;
}

constexpr float kPinKeyMm = 20.0f;  // at least 18 mm, and the pad still fits above the fold

// One key of the PIN pad: a large grey square with the digit in the heading font.
bool pinKey(UiContext& ui, const std::string& label, const std::string& recordLabel, ImVec2 keySize) {
    const Palette& p = palette();
    ImGui::PushID(recordLabel.c_str());
    const ImVec2 min = ImGui::GetCursorScreenPos();
    const bool tapped = ImGui::InvisibleButton("key", keySize);
    const bool held = ImGui::IsItemActive();
    ImGui::PopID();
    const ImVec2 max(min.x + keySize.x, min.y + keySize.y);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(min, max, held ? p.focus : p.secondary);
    draw->AddRectFilled(ImVec2(min.x, max.y - ui.mm(1)), max, p.secondaryShadow);
    // Where the key's fill is the page's own colour (high contrast), an outline shows its edge.
    if (p.secondary == p.page) draw->AddRect(min, max, p.secondaryText2, 0, 0, std::max(2.0f, ui.mm(0.55f)));
    ImFont* font = fontOr(label.size() == 1 ? ui.fonts.heading : ui.fonts.bodyBold);
    const ImVec2 size = measureText(ui, font, label);
    const ImU32 colour = held ? p.focusText : p.secondaryText2;
    drawText(ui, draw, font, ImVec2((min.x + max.x - size.x) * 0.5f, (min.y + max.y - size.y) * 0.5f), colour,
             label);
    ItemLook look;
    look.role = RecordedItem::Role::Body;
    look.text = colour;
    look.background = p.secondary;
    look.boundary = p.secondary == p.page ? p.secondaryText2 : p.secondaryShadow;
    look.textSize = size;
    recordItem(ui, RecordedItem::Kind::Button, recordLabel, min, max, true, look);
    return tapped;
}

void pinPad(const KioskState& state, UiContext& ui, Intents& intents) {
    // The digits typed so far as large dots, one per digit.
    const Palette& p = palette();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 start = ImGui::GetCursorScreenPos();
    const float dot = ui.mm(4);
    const std::size_t shown = std::max<std::size_t>(4, state.staff.secret.size());
    for (std::size_t i = 0; i < shown; ++i) {
        const ImVec2 centre(start.x + dot + static_cast<float>(i) * dot * 3, start.y + dot);
        if (i < state.staff.secret.size())
            draw->AddCircleFilled(centre, dot, p.text);
        else
            draw->AddCircle(centre, dot, p.border, 0, ui.mm(0.6f));
    }
    const std::string typed = std::to_string(state.staff.secret.size()) + " of 4 to 8 numbers entered";
    recordItem(ui, RecordedItem::Kind::Text, typed, start,
               ImVec2(start.x + dot * 3 * static_cast<float>(shown), start.y + dot * 2), false,
               ItemLook{RecordedItem::Role::Hint, p.text, p.page, 0, ImVec2(0, 0)});
    ImGui::Dummy(ImVec2(dot * 3 * static_cast<float>(shown), dot * 2));
    verticalSpace(ui, 3);

    // At least 20 mm square; wider when larger text makes "Delete" need it, all keys alike.
    const float margin = ui.mm(6);
    const ImVec2 keySize(
        std::max(ui.mm(kPinKeyMm), measureText(ui, fontOr(ui.fonts.bodyBold), "Delete").x + margin),
        std::max(ui.mm(kPinKeyMm), measureText(ui, fontOr(ui.fonts.heading), "0").y + margin));
    const char* rows[4][3] = {{"1", "2", "3"}, {"4", "5", "6"}, {"7", "8", "9"}, {"Delete", "0", ""}};
    // 3 mm between keys both ways: enough to tell them apart under a finger, and the whole pad
    // with its button fits on a 1080-pixel screen even with a message above it.
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ui.mm(3), ui.mm(3)));
    for (const auto& row : rows) {
        for (int column = 0; column < 3; ++column) {
            const std::string label = row[column];
            if (column > 0) ImGui::SameLine(0, ui.mm(3));
            if (label.empty()) {
                ImGui::Dummy(keySize);
                continue;
            }
            if (label == "Delete") {
                if (pinKey(ui, "Delete", "Delete", keySize)) intents.push_back(Intent{staff::PinDelete{}});
            } else if (pinKey(ui, label, label, keySize)) {
                intents.push_back(Intent{staff::PinKey{label[0]}});
            }
        }
    }
    ImGui::PopStyleVar();
}

}  // namespace

void drawEnterSecretScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    const StaffListEntry* account = chosenAccount(state);
    const bool checking = state.staff.screen == StaffScreen::Checking;
    const bool volunteer = !account || account->role == StaffRole::Volunteer;
    // "Sign in" sits in the fixed action bar: under a PIN pad it would be below the fold.
    beginContent(ui, kFormColumnMm, state.pageSerial, !checking);
    if (!checking && backLink(ui, "Back")) intents.push_back(Intent{staff::Cancel{}});
    const std::string ask = volunteer ? "enter your PIN" : "enter your passphrase";
    if (checking)
        headingText(ui, "Staff sign in");
    else
        headingText(ui, account ? firstName(account->name) + ", " + ask : "Please " + ask);
    if (checking) {
        bodyText(ui, volunteer ? "Checking your PIN..." : "Checking your passphrase...");
        hintText(ui, "This takes a moment.");
        endContent(ui);
        return;
    }
    // The message sits with the field, GOV.UK's red bar and words, rather than in a summary box
    // above it: the whole PIN pad and its button still fit on the screen.
    const bool problem = !state.staff.message.empty();
    if (volunteer) {
        beginFieldGroup(ui, "secret", problem, state.staff.message);
        pinPad(state, ui, intents);
        endFieldGroup(ui, problem);
    } else {
        TextBox box;
        box.fieldId = "secret";
        box.label = "Passphrase";
        box.password = true;
        box.widthMm = 160;
        box.hasError = problem;
        box.errorMessage = state.staff.message;
        std::string value = state.staff.secret;
        if (textInput(ui, box, value)) intents.push_back(Intent{staff::EditSecret{value}});
        wipeString(value);
    }
    endContent(ui);
    if (actionBar(ui, kFormColumnMm, "Sign in")) intents.push_back(Intent{staff::SubmitSecret{}});
}

}  // namespace kiosk::ui
