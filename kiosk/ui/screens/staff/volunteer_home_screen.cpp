// The volunteer's home: go on helping the resident, record help given, look up a reference,
// choose whether to stay signed in after the resident finishes, sign out.
#include <imgui.h>

#include "kiosk/ui/screens/staff/staff_screens.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

void drawVolunteerHomeScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    beginContent(ui, kFormColumnMm, state.pageSerial);
    const std::string name = state.staffMember ? firstName(state.staffMember->name) : std::string();
    headingText(ui, "Signed in as " + name);
    bodyText(ui,
             "While you are signed in, forms sent from this kiosk are marked as assisted and the time "
             "limit is off.");
    verticalSpace(ui, 3);
    const bool residentWaiting = state.staff.returnsToResident;
    if (primaryButton(ui, residentWaiting ? "Back to the resident's form" : "Help a resident", 0, true))
        intents.push_back(Intent{staff::HelpResident{}});
    verticalSpace(ui, 2);
    if (secondaryButton(ui, "Record help given")) intents.push_back(Intent{staff::OpenRecordHelp{}});
    ImGui::SameLine(0, ui.mm(4));
    if (secondaryButton(ui, "Look up a reference")) intents.push_back(Intent{staff::OpenLookUp{}});
    verticalSpace(ui, 4);
    if (checkboxRow(ui, "sign-out-when-finished", "Sign me out when the resident finishes",
                    "Leave this on if someone else may use the kiosk next.",
                    state.staff.signOutWhenResidentFinishes))
        intents.push_back(Intent{staff::ToggleSignOutWhenFinished{}});
    verticalSpace(ui, 4);
    if (secondaryButton(ui, "Sign out")) intents.push_back(Intent{staff::SignOut{}});
    endContent(ui);
}

}  // namespace kiosk::ui
