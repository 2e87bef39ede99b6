// Confirmation: green panel with the form's confirmation title and the reference number in the
// largest font, a QR code of it to keep on a phone, what happens next, how to contact the council, and
// "Finish" in the fixed action bar (the page is taller than a 1080-line panel, and Finish must not hide
// below). The answers have already been wiped from memory; titles come from the pack by service id.
// With a printer configured, "Print a receipt" prints the same reference, QR code and contact
// details on paper (kiosk/platform/receipt_printer.h).
#include <imgui.h>

#include "kiosk/receipt.h"
#include "kiosk/ui/qr_code.h"
#include "kiosk/ui/screens/resident/resident_screens.h"
#include "kiosk/ui/string_keys.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

constexpr float kQrSideMm = 35.0f;  // at least 30 mm: read from arm's length by a phone camera

namespace {

// "Print a receipt", or how the printing is going. The printer works in the background: the
// page, Finish and the rest of the kiosk stay usable whatever it does.
void drawReceiptPrinting(const KioskState& state, UiContext& ui, Intents& intents) {
    switch (state.resident.receipt) {
        case ReceiptPrint::Printing:
            subheadingText(ui, tr(state, keys::kConfirmationReceiptPrinting));
            break;
        case ReceiptPrint::Printed:
            subheadingText(ui, tr(state, keys::kConfirmationReceiptPrinted));
            break;
        case ReceiptPrint::Failed:
            subheadingText(ui, tr(state, keys::kConfirmationPrinterNotWorking));
            verticalSpace(ui, 2);
            if (secondaryButton(ui, tr(state, keys::kConfirmationPrintReceipt)))
                intents.push_back(Intent{resident::PrintReceipt{}});
            break;
        case ReceiptPrint::NotAsked:
            if (secondaryButton(ui, tr(state, keys::kConfirmationPrintReceipt)))
                intents.push_back(Intent{resident::PrintReceipt{}});
            break;
    }
    verticalSpace(ui, 3);
}

}  // namespace

void drawConfirmationScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    beginContent(ui, kFormColumnMm, state.pageSerial, true);
    const std::string& language = state.language;
    const Service* service =
        state.pack ? state.pack->findService(state.resident.confirmedServiceId) : nullptr;
    const Form* form = service ? state.pack->findForm(service->formId) : nullptr;
    const Council* council = service ? state.pack->findCouncil(service->council) : nullptr;

    const std::string title =
        form && !form->confirmationTitle.empty() ? form->confirmationTitle.in(language) : std::string();
    confirmationPanel(ui, title, tr(state, keys::kConfirmationReferenceLabel), state.resident.reference);
    bodyText(ui, tr(state, keys::kConfirmationKeepReference));
    verticalSpace(ui, 3);
    if (state.settings.receiptPrinter) drawReceiptPrinting(state, ui, intents);
    // A receipt to keep: the council's tracking address with the reference, or the reference
    // alone. Only the reference travels in it, never an answer.
    const std::string qrText = receiptQrText(council, state.resident.reference);
    hintText(ui, tr(state, keys::kConfirmationQrHint));
    qrCode(ui, qrText, kQrSideMm, "QR code: " + qrText);
    verticalSpace(ui, 4);

    if (form && !form->whatHappensNext.empty()) {
        subheadingText(ui, tr(state, keys::kConfirmationNextHeading));
        bodyText(ui, form->whatHappensNext.in(language));
        verticalSpace(ui, 4);
    }
    if (council && !council->contact.empty()) {
        subheadingText(ui, tr(state, keys::kConfirmationContactHeading));
        bodyText(ui, council->contact.in(language));
        verticalSpace(ui, 4);
    }
    endContent(ui);
    if (actionBar(ui, kFormColumnMm, tr(state, keys::kConfirmationFinish)))
        intents.push_back(Intent{resident::Finish{}});
}

}  // namespace kiosk::ui
