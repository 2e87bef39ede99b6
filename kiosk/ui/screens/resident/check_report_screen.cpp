// "Check on something you reported": a reference made on this kiosk, checked with its check
// character before anything is looked up, and what the kiosk knows of it in plain words:
// waiting to be sent, sent (with the council's own reference), or not sent (ask a member of
// staff). Never the answers: the kiosk cannot read them once sealed.
#include <imgui.h>

#include "kiosk/receipt.h"
#include "kiosk/reference.h"
#include "kiosk/secure_wipe.h"
#include "kiosk/ui/screens/resident/resident_screens.h"
#include "kiosk/ui/string_keys.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {
namespace {

// What the council's own system said, asked a moment after the kiosk's record was shown.
void drawCouncilStatus(const KioskState& state, UiContext& ui, const CouncilStatus& council) {
    const char* key = nullptr;
    switch (council.progress) {
        case CouncilProgress::Received:
            key = keys::kCheckReportCouncilReceived;
            break;
        case CouncilProgress::InProgress:
            key = keys::kCheckReportCouncilInProgress;
            break;
        case CouncilProgress::Closed:
            key = keys::kCheckReportCouncilClosed;
            break;
        case CouncilProgress::Unknown:
            return;
    }
    bodyText(ui, tr(state, key));
    if (council.updatedAtMillis > 0) {
        const std::string when = formatUkDateTime(tr(state, keys::kDateTimePattern), council.updatedAtMillis);
        hintText(ui, fillTemplate(tr(state, keys::kCheckReportCouncilUpdated), {{"date", when}}));
    }
}

}  // namespace

void drawCheckReportScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    const ResidentState& resident = state.resident;
    beginContent(ui, kFormColumnMm, state.pageSerial, true);
    if (backLink(ui, tr(state, keys::kBack))) intents.push_back(Intent{resident::Back{}});
    const std::string error =
        resident.reportError.empty() ? std::string() : tr(state, resident.reportError.c_str());
    if (!error.empty())
        errorSummary(ui, tr(state, keys::kErrorSummaryTitle), {FieldError{"reference", error}});
    headingText(ui, tr(state, keys::kCheckReportHeading));

    TextBox box;
    box.fieldId = "reference";
    box.label = tr(state, keys::kCheckReportLabel);
    box.hint = fillTemplate(tr(state, keys::kCheckReportHint),
                            {{"example", formatReference(state.settings.referencePrefix, 1)}});
    box.widthMm = 110;
    box.hasError = !error.empty();
    box.errorMessage = error;
    std::string value = resident.reportReference;
    if (textInput(ui, box, value)) intents.push_back(Intent{resident::EditReportReference{value}});
    wipeString(value);

    if (resident.reportStatus) {
        verticalSpace(ui, 5);
        const ReportStatus& status = *resident.reportStatus;
        switch (status.state) {
            case ReportState::Waiting:
                subheadingText(ui, tr(state, keys::kCheckReportWaiting));
                break;
            case ReportState::Sent:
            case ReportState::SentByExport:
                subheadingText(ui, tr(state, keys::kCheckReportSent));
                if (!status.councilReference.empty())
                    bodyText(ui, fillTemplate(tr(state, keys::kCheckReportCouncilReference),
                                              {{"reference", status.councilReference}}));
                if (status.council) drawCouncilStatus(state, ui, *status.council);
                break;
            case ReportState::NotSent:
                subheadingText(ui, tr(state, keys::kCheckReportNotSent));
                break;
            case ReportState::NotFound:
                subheadingText(ui, tr(state, keys::kCheckReportNotFound));
                break;
        }
    }
    endContent(ui);
    if (actionBar(ui, kFormColumnMm, tr(state, keys::kCheckReportButton)))
        intents.push_back(Intent{resident::CheckReport{}});
}

}  // namespace kiosk::ui
