// Admin: export every form not yet sent to a USB stick, as one signed bundle that only the
// council's secret key can open. The council then delivers it from any connected computer.
#include <imgui.h>

#include "kiosk/ui/screens/staff/staff_screens.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

void drawAdminExportScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    beginAdminPage(state, ui, intents, "Export to USB");
    bodyText(ui,
             "Use this when the kiosk has been offline for a long time. Every form not yet sent is written "
             "to one file, signed by this kiosk. Only the council can open it.");
    hintText(ui,
             "The forms stay on this kiosk and are still sent when the network returns; the council ignores "
             "copies it already has.");
    verticalSpace(ui, 3);
    subheadingText(ui, "Choose where to save it");
    if (state.staff.exportFolders.empty())
        bodyText(ui, "No USB stick found. Put one in, wait a few seconds, then open this page again.");
    for (const ExportFolder& folder : state.staff.exportFolders) {
        if (secondaryButton(ui, "Export to " + folder.label))
            intents.push_back(Intent{staff::ExportTo{folder.path}});
        verticalSpace(ui, 2);
    }
    if (!state.staff.exportFolders.empty()) {
        verticalSpace(ui, 3);
        subheadingText(ui, "Usage figures for a spreadsheet");
        hintText(ui,
                 "The counts on the Usage page for the last 30 days, as a CSV file. Nothing in it says who "
                 "used the kiosk.");
        for (const ExportFolder& folder : state.staff.exportFolders) {
            if (secondaryButton(ui, "Save usage figures to " + folder.label))
                intents.push_back(Intent{staff::ExportUsageTo{folder.path}});
            verticalSpace(ui, 2);
        }
    }
    endContent(ui);
}

}  // namespace kiosk::ui
