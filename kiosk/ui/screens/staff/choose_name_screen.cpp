// "Who are you?": the staff accounts on this kiosk by name, one whole-width row each. Disabled
// accounts are not listed; a locked one says so, so nobody keeps trying it.
#include <imgui.h>

#include "kiosk/ui/screens/staff/staff_screens.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

void drawChooseNameScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    beginContent(ui, kFormColumnMm, state.pageSerial);
    if (backLink(ui, "Back")) intents.push_back(Intent{staff::Cancel{}});
    headingText(ui, "Staff sign in");
    bodyText(ui, "Who are you?");
    verticalSpace(ui, 2);
    int listed = 0;
    for (const StaffListEntry& account : state.staff.accounts) {
        if (account.disabled) continue;
        ++listed;
        const std::string role = account.role == StaffRole::Admin ? "Admin" : "Volunteer";
        const std::string hint = account.locked ? role + " - locked, ask an admin" : role;
        if (radioRow(ui, "staff-" + account.staffId, account.name, hint, false))
            intents.push_back(Intent{staff::ChooseName{account.staffId}});
    }
    if (state.staff.accountsLoaded && listed == 0) {
        bodyText(ui, "There are no staff accounts on this kiosk yet.");
        hintText(ui, "An admin creates the first account on the kiosk's computer with:");
        bodyText(ui, "kioskctl staff add --role admin --name \"Your Name\"");
    } else if (!state.staff.accountsLoaded) {
        hintText(ui, "Loading...");
    }
    verticalSpace(ui, 4);
    if (secondaryButton(ui, "Cancel")) intents.push_back(Intent{staff::Cancel{}});
    endContent(ui);
}

}  // namespace kiosk::ui
