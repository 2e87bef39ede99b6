// Look up a reference made on this kiosk: whether it is waiting, sent (with the council's own
// reference) or held back. Never the answers: the kiosk cannot read them once sealed.
#include <imgui.h>

#include "kiosk/secure_wipe.h"
#include "kiosk/ui/screens/staff/staff_screens.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

void drawLookUpReferenceScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    beginContent(ui, kFormColumnMm, state.pageSerial);
    if (backLink(ui, "Back")) intents.push_back(Intent{staff::OpenVolunteerHome{}});
    headingText(ui, "Look up a reference");
    TextBox box;
    box.fieldId = "reference";
    box.label = "Reference number";
    box.hint = "For example, DEV-0A4G-7RX. It is on the resident's confirmation page.";
    box.widthMm = 110;
    std::string value = state.staff.referenceText;
    if (textInput(ui, box, value)) intents.push_back(Intent{staff::EditReference{value}});
    wipeString(value);
    verticalSpace(ui, 3);
    if (primaryButton(ui, "Look up")) intents.push_back(Intent{staff::LookUp{}});
    if (!state.staff.referenceAnswer.empty()) {
        verticalSpace(ui, 4);
        bodyText(ui, state.staff.referenceAnswer);
    }
    endContent(ui);
}

}  // namespace kiosk::ui
