// Admin: staff accounts. Each volunteer with "Reset PIN", "Unlock" when locked, and "Switch off"
// or "Switch on"; "Add a volunteer". An admin cannot switch off their own account.
#include <imgui.h>

#include "kiosk/ui/screens/staff/staff_screens.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

void drawAdminStaffScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    beginAdminPage(state, ui, intents, "Staff");
    if (primaryButton(ui, "Add a volunteer"))
        intents.push_back(Intent{staff::OpenAdminScreen{StaffScreen::AdminAddStaff}});
    verticalSpace(ui, 3);
    const std::string self = state.staffMember ? state.staffMember->staffId : std::string();
    for (const StaffListEntry& account : state.staff.accounts) {
        std::string status = account.role == StaffRole::Admin ? "Admin" : "Volunteer";
        if (account.disabled) status += ", switched off";
        if (account.locked) status += ", locked after too many tries";
        subheadingText(ui, account.name);
        captionText(ui, status);
        bool first = true;
        const auto action = [&](const std::string& label) {
            if (!first) ImGui::SameLine(0, ui.mm(3));
            first = false;
            return secondaryButton(ui, label);
        };
        if (account.role == StaffRole::Volunteer && action("Reset PIN for " + firstName(account.name)))
            intents.push_back(Intent{staff::OpenResetPin{account.staffId}});
        if (account.locked && action("Unlock " + firstName(account.name)))
            intents.push_back(Intent{staff::UnlockStaff{account.staffId}});
        if (account.staffId != self) {
            const std::string label =
                (account.disabled ? "Switch on " : "Switch off ") + firstName(account.name);
            if (action(label))
                intents.push_back(Intent{staff::SetStaffDisabled{account.staffId, !account.disabled}});
        }
        verticalSpace(ui, 4);
    }
    endContent(ui);
}

void drawAdminStaffFormScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    const bool adding = state.staff.screen == StaffScreen::AdminAddStaff;
    std::string name;
    for (const auto& account : state.staff.accounts)
        if (account.staffId == state.staff.resetStaffId) name = account.name;
    beginAdminPage(state, ui, intents, adding ? "Add a volunteer" : "Reset the PIN for " + name);
    if (!state.staff.settingsProblems.empty()) {
        std::vector<FieldError> errors;
        for (const auto& problem : state.staff.settingsProblems) errors.push_back({"", problem});
        errorSummary(ui, "There is a problem", errors);
    }
    const auto box = [&](int field, const char* label, const char* hint, bool secret,
                         const std::string& current) {
        TextBox text;
        text.fieldId = std::string("staff-field-") + std::to_string(field);
        text.label = label;
        text.hint = hint;
        text.password = secret;
        text.widthMm = secret ? 70 : 160;
        text.keyboard = secret ? KeyboardMode::Number : KeyboardMode::Text;
        std::string value = current;
        if (textInput(ui, text, value)) intents.push_back(Intent{staff::EditNewStaff{field, value}});
        verticalSpace(ui, 2);
    };
    if (adding)
        box(0, "Name", "Their first name is shown on screen while they help someone.", false,
            state.staff.newStaffName);
    box(1, "PIN", "4 to 8 numbers. Give it to them in person.", true, state.staff.newStaffPin);
    box(2, "PIN again", "", true, state.staff.newStaffPinAgain);
    verticalSpace(ui, 2);
    if (primaryButton(ui, adding ? "Add volunteer" : "Reset PIN"))
        intents.push_back(adding ? Intent{staff::AddVolunteer{}} : Intent{staff::ResetPin{}});
    ImGui::SameLine(0, ui.mm(4));
    if (secondaryButton(ui, "Cancel"))
        intents.push_back(Intent{staff::OpenAdminScreen{StaffScreen::AdminStaff}});
    endContent(ui);
}

}  // namespace kiosk::ui
