// Admin: the audit log, newest first, and "Check the audit log", which recomputes the hash chain
// and says whether any row was changed, removed or moved.
#include <imgui.h>

#include "kiosk/ui/screens/staff/staff_screens.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

void drawAdminAuditScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    const AuditView& audit = state.staff.audit;
    beginAdminPage(state, ui, intents, "Audit log");
    hintText(ui,
             "Every staff sign-in, admin action, settings change, export and retry. Rows cannot be changed "
             "without it showing.");
    if (secondaryButton(ui, "Check the audit log")) intents.push_back(Intent{staff::VerifyAudit{}});
    if (!audit.verification.empty()) {
        if (audit.intact)
            bodyText(ui, audit.verification);
        else
            errorSummary(ui, "The audit log has been changed", {FieldError{"", audit.verification}});
    }
    verticalSpace(ui, 3);
    std::vector<SummaryListRow> rows;
    for (const AuditLine& line : audit.newest)
        rows.push_back({dateTimeText(line.atMillis),
                        line.action + (line.actor.empty() ? "" : " by " + line.actor) +
                            (line.detail.empty() ? "" : ": " + line.detail),
                        ""});
    if (rows.empty()) rows.push_back({"Audit log", "Nothing recorded yet", ""});
    summaryList(ui, rows);
    endContent(ui);
}

}  // namespace kiosk::ui
