// Resident mode: the journey a resident makes to send a council form.
//
//   Services -> ServiceStart -> Question (one per page, address questions in stages)
//            -> CheckAnswers -> Send -> Confirmation | SealFailed
//
// The mode owns its screens, its sub-state and its intents. The root reducer (kiosk_flow.h)
// routes a ResidentIntent here while the resident's screens are showing, and owns everything
// that spans modes: the attract and language screens, the inactivity timer, wiping at the end
// of a session, language, and display and speech choices.
//
// To add a screen: a value in ResidentScreen and its name in residentScreenName(), the intents it
// emits in this header, their handling in kiosk/core/modes/resident_mode.cpp, and a draw function
// in kiosk/ui/screens/resident/ with one routing line in resident_screens.cpp.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "kiosk/clock.h"
#include "kiosk/content.h"
#include "kiosk/form_session.h"
#include "kiosk/receipt.h"
#include "kiosk/result.h"

namespace kiosk {

enum class ResidentScreen {
    Services,      // tiles and search
    ServiceStart,  // what you need, how long it takes, "Start now"
    Question,      // the current page of the form
    CheckAnswers,  // summary list with Change links and Send
    Confirmation,  // green panel with the reference number
    SealFailed,    // the form could not be kept safely; answers are still in memory
    CheckReport,   // "Check on something I reported": a reference made on this kiosk
};

const char* residentScreenName(ResidentScreen screen);  // "services", "question", ... for logs and scripts

// What the council's own system says of a delivered report, where its destination can be asked
// (Open311 GET requests/{id}, the kiosk API's GET /v1/submissions/{key}/status).
enum class CouncilProgress { Unknown, Received, InProgress, Closed };
struct CouncilStatus {
    CouncilProgress progress = CouncilProgress::Unknown;
    std::int64_t updatedAtMillis = 0;  // 0 when the council did not say
};

// What this kiosk knows of a reference it made (never the answers).
enum class ReportState { Waiting, Sent, SentByExport, NotSent, NotFound };
struct ReportStatus {
    ReportState state = ReportState::NotFound;
    std::string councilReference;  // the council's own reference once sent; "" when none
    std::string reference;         // the kiosk's reference as stored; "" when not found
    // Filled in later by resident::CouncilStatusFound, when the council can be asked.
    std::optional<CouncilStatus> council;
};

// The receipt on the confirmation page: the button shows in NotAsked and Failed (to try again).
enum class ReceiptPrint {
    NotAsked,
    Printing,  // "Printing your receipt…"; another tap does nothing
    Printed,   // "Your receipt is printing. Take it from the printer."
    Failed,    // "The printer is not working. Write your reference down or ask a member of staff."
};

struct ResidentState {
    ResidentScreen screen = ResidentScreen::Services;
    std::string searchText;             // services screen search box
    std::string serviceId;              // chosen service (ServiceStart onwards)
    std::unique_ptr<FormSession> form;  // answers in memory; nullptr when none
    // The form's clock ("today" for date questions). The root reducer sets it to the time it is
    // given, so the whole flow runs on the platform's clock; a pointer so the state can move.
    std::unique_ptr<VirtualClock> formClock = std::make_unique<VirtualClock>();
    bool sealPending = false;  // Send was tapped and the store has not answered: ignore repeats

    // Confirmation: the form has been wiped, so the screen reads titles from the pack by service.
    std::string reference;  // "MK1-0A4G-7RX"
    std::string confirmedServiceId;
    std::int64_t confirmedAtMillis = 0;  // when the store kept the form: the receipt's time
    ReceiptPrint receipt = ReceiptPrint::NotAsked;

    // Check on something reported: what was typed, why it was not looked up, what was found.
    std::string reportReference;
    std::string reportError;  // a catalogue key ("report.error-empty", "report.error-typo"); "" for none
    std::optional<ReportStatus> reportStatus;
};

// What screens of this mode emit.
namespace resident {

enum class Field { Text, Day, Month, Year, Postcode, Line1, Line2, Town, ManualPostcode };

struct SetSearchText {
    std::string text;
};  // the search box's text
struct ChooseService {
    std::string serviceId;
};                    // a tile
struct StartForm {};  // "Start now" on the service start page
struct EditField {
    Field field = Field::Text;
    std::string value;  // the box's new text
};
struct SelectChoice {
    std::string value;
};  // one-choice value; "yes" or "no" for yes-no
struct ToggleChoice {
    std::string value;
};  // several-choices value
struct ChooseAddress {
    std::string uprn;
};                              // picked from the list
struct ChooseManualAddress {};  // "I cannot find my address"
struct Continue {};             // "Continue" and "Find address"
struct Back {};
struct Change {
    std::string pageId;
};               // from check answers
struct Send {};  // "Send", and "Try again" after a failed seal
struct SealSucceeded {
    std::string reference;
};  // platform: the store kept the form
struct SealFailed {
    ErrorCode code = ErrorCode::DatabaseError;
};                       // platform: the store refused (never shown)
struct Finish {};        // confirmation "Finish"
struct PrintReceipt {};  // confirmation "Print a receipt"
struct ReceiptPrinted {
    std::string reference;
};  // platform: the printer took the receipt for this reference
struct ReceiptPrintFailed {
    std::string reference;
};                          // platform: missing, out of paper, jammed, stopped...
struct OpenCheckReport {};  // "Check on something I reported" on the services screen
struct EditReportReference {
    std::string text;
};
struct CheckReport {};  // "Check" on the check-report page
struct ReportFound {
    ReportStatus status;
};  // platform: what the kiosk's own records say
struct CouncilStatusFound {
    std::string reference;  // the kiosk's reference it answers for
    CouncilStatus status;
};  // platform: what the council's system said, a moment after ReportFound

}  // namespace resident

using ResidentIntent =
    std::variant<resident::SetSearchText, resident::ChooseService, resident::StartForm, resident::EditField,
                 resident::SelectChoice, resident::ToggleChoice, resident::ChooseAddress,
                 resident::ChooseManualAddress, resident::Continue, resident::Back, resident::Change,
                 resident::Send, resident::SealSucceeded, resident::SealFailed, resident::Finish,
                 resident::OpenCheckReport, resident::EditReportReference, resident::CheckReport,
                 resident::ReportFound, resident::CouncilStatusFound, resident::PrintReceipt,
                 resident::ReceiptPrinted, resident::ReceiptPrintFailed>;

// Intents the platform reports rather than a resident's tap: they never count as activity.
bool isPlatformIntent(const ResidentIntent& intent);

// What a sealed form carries to the store; the answers are plaintext until the executor wipes them.
struct SealRequest {
    std::string serviceId;
    std::string formId;
    int formVersion = 1;
    std::string language;
    std::string destination;
    std::string destinationSettings = "{}";  // the service's, from the pack
    std::string answersJson;
};

// What the root needs from a mode to reduce one of its intents.
struct ModeContext {
    const ContentPack* pack = nullptr;
    const std::string& language;
    const std::string& referencePrefix;  // this kiosk's references start with it
    std::int64_t nowMillis = 0;
    bool receiptPrinter = false;  // a printer is configured: the confirmation offers a receipt
};

// What a mode's reducer asks of the root and of the executor.
struct ModeOutcome {
    std::optional<SealRequest> seal;  // seal now; the result comes back as SealSucceeded or SealFailed
    bool errorsShown = false;         // Continue found problems on this page
    bool leaveToLanguage = false;     // Back from the first screen: the language screen, as at the start
    bool sessionFinished = false;     // "Finish": end the session
    bool typedTextWiped = false;      // the answers were wiped: the UI's copies of typed text must go too
    std::optional<std::string> lookUpReport;  // a well-formed reference to look up; ReportFound answers
    // Print this receipt; ReceiptPrinted or ReceiptPrintFailed answers.
    std::optional<ReceiptRequest> printReceipt;
};

void reduceResident(ResidentState& state, const ResidentIntent& intent, const ModeContext& context,
                    ModeOutcome& outcome);

// The resident's first screen, with nothing chosen (after the language, and "Start again").
void startAgain(ResidentState& state);
// Wipes everything the resident typed or was shown (end of session).
void wipeResident(ResidentState& state);
// The language changed: errors showing are said again in it.
void restateErrors(ResidentState& state, const std::string& language);
// Identifies the page on screen, so a change of page can be told apart from typing on it.
std::string residentPageSignature(const ResidentState& state);

}  // namespace kiosk
