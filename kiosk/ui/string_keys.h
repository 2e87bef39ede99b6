// Catalogue keys for every string the kiosk's own screens show. The English text lives in the
// content pack's strings.json (assets/packs/<pack>/strings.json); other languages are added there.
// Screens never hard-code visible English: they look these keys up through the pack.
#pragma once

namespace kiosk::ui::keys {

// Attract screen
inline constexpr const char* kAttractTitle = "attract.title";
inline constexpr const char* kAttractBody = "attract.body";
inline constexpr const char* kAttractLanguagesHint = "attract.languages-hint";

// Language screen
inline constexpr const char* kLanguageHeading = "language.heading";
inline constexpr const char* kLanguageHint = "language.hint";

// Services screen
inline constexpr const char* kServicesHeading = "services.heading";
inline constexpr const char* kServicesSearchLabel = "services.search-label";
inline constexpr const char* kServicesSearchHint = "services.search-hint";
inline constexpr const char* kServicesNoResults = "services.no-results";
inline constexpr const char* kServicesSavedFormsNote = "services.saved-forms-note";
inline constexpr const char* kServicesCheckReport = "services.check-report";
inline constexpr const char* kCheckReportHeading = "report.heading";
inline constexpr const char* kCheckReportLabel = "report.reference-label";
inline constexpr const char* kCheckReportHint = "report.reference-hint";
inline constexpr const char* kCheckReportButton = "report.button";
inline constexpr const char* kCheckReportErrorEmpty = "report.error-empty";
inline constexpr const char* kCheckReportErrorTypo = "report.error-typo";
inline constexpr const char* kCheckReportWaiting = "report.waiting";
inline constexpr const char* kCheckReportSent = "report.sent";
inline constexpr const char* kCheckReportCouncilReference = "report.council-reference";
inline constexpr const char* kCheckReportNotSent = "report.not-sent";
inline constexpr const char* kCheckReportNotFound = "report.not-found";
inline constexpr const char* kCheckReportCouncilReceived = "report.council-received";
inline constexpr const char* kCheckReportCouncilInProgress = "report.council-in-progress";
inline constexpr const char* kCheckReportCouncilClosed = "report.council-closed";
inline constexpr const char* kCheckReportCouncilUpdated = "report.council-updated";
inline constexpr const char* kDateTimePattern = "receipt.date-pattern";  // shared with the printed receipt

// Service start page
inline constexpr const char* kStartButton = "start.button";
inline constexpr const char* kStartYouWillNeed = "start.you-will-need";
inline constexpr const char* kStartTimeToComplete = "start.time-to-complete";
inline constexpr const char* kStartOtherWays = "start.other-ways";

// Shared controls
inline constexpr const char* kContinue = "common.continue";
inline constexpr const char* kBack = "common.back";
inline constexpr const char* kStartAgain = "common.start-again";
inline constexpr const char* kLanguage = "common.language";
inline constexpr const char* kScrollCue = "common.scroll-cue";  // at the bottom of a page that goes on

// Top bar connection words, for volunteers; neutral, because residents see them too
inline constexpr const char* kStatusOnline = "status.online";
inline constexpr const char* kStatusOffline = "status.offline";

// Question pages
inline constexpr const char* kQuestionCaption = "question.caption";    // "Question {number} of {count}"
inline constexpr const char* kQuestionOptional = "question.optional";  // "(optional)"

// Address question stages
inline constexpr const char* kAddressPostcode = "address.postcode";
inline constexpr const char* kAddressFind = "address.find";
inline constexpr const char* kAddressCannotFind = "address.cannot-find";
inline constexpr const char* kAddressSelect = "address.select";
inline constexpr const char* kAddressFound = "address.found";  // "{count} addresses found for {postcode}"
inline constexpr const char* kAddressManualHeading = "address.manual-heading";
inline constexpr const char* kAddressLine1 = "address.line1";
inline constexpr const char* kAddressLine2 = "address.line2";
inline constexpr const char* kAddressTown = "address.town";

// Date boxes
inline constexpr const char* kDateDay = "date.day";
inline constexpr const char* kDateMonth = "date.month";
inline constexpr const char* kDateYear = "date.year";

// Check answers
inline constexpr const char* kCheckHeading = "check.heading";
inline constexpr const char* kCheckChange = "check.change";
inline constexpr const char* kCheckSendHeading = "check.send-heading";
inline constexpr const char* kCheckSendBody = "check.send-body";
inline constexpr const char* kCheckSend = "check.send";

// Formatted answers
inline constexpr const char* kAnswerNotProvided = "answer.not-provided";
inline constexpr const char* kAnswerYes = "answer.yes";
inline constexpr const char* kAnswerNo = "answer.no";

// Confirmation
inline constexpr const char* kConfirmationReferenceLabel = "confirmation.reference-label";
inline constexpr const char* kConfirmationKeepReference = "confirmation.keep-reference";
inline constexpr const char* kConfirmationQrHint = "confirmation.qr-hint";
inline constexpr const char* kConfirmationNextHeading = "confirmation.next-heading";
inline constexpr const char* kConfirmationContactHeading = "confirmation.contact-heading";
inline constexpr const char* kConfirmationFinish = "confirmation.finish";
inline constexpr const char* kConfirmationPrintReceipt = "confirmation.print-receipt";
inline constexpr const char* kConfirmationReceiptPrinting = "confirmation.receipt-printing";
inline constexpr const char* kConfirmationReceiptPrinted = "confirmation.receipt-printed";
inline constexpr const char* kConfirmationPrinterNotWorking = "confirmation.printer-not-working";

// Session time limit
inline constexpr const char* kTimeoutHeading = "timeout.heading";
inline constexpr const char* kTimeoutBody = "timeout.body";  // "{seconds}"
inline constexpr const char* kTimeoutExtend = "timeout.extend";

// Errors
inline constexpr const char* kErrorSummaryTitle = "error-summary.title";

// Seal failed
inline constexpr const char* kSealFailedHeading = "seal-failed.heading";
inline constexpr const char* kSealFailedBody = "seal-failed.body";
inline constexpr const char* kSealFailedRetry = "seal-failed.retry";

// Out of order
inline constexpr const char* kOutOfOrderHeading = "out-of-order.heading";
inline constexpr const char* kOutOfOrderBody = "out-of-order.body";

// Read-aloud tools: built-in speech, repeated, stopped, slowed, with a volume that resets for
// each new resident
inline constexpr const char* kToolsReadAloud = "tools.read-aloud";
inline constexpr const char* kToolsReadAgain = "tools.read-again";
inline constexpr const char* kToolsStop = "tools.stop";
inline constexpr const char* kToolsSlower = "tools.slower";
inline constexpr const char* kToolsNormalSpeed = "tools.normal-speed";
inline constexpr const char* kToolsQuieter = "tools.quieter";
inline constexpr const char* kToolsLouder = "tools.louder";
inline constexpr const char* kToolsVolume = "tools.volume";  // "Volume {percent}%"

// Display tools: text size steps and the high-contrast theme
inline constexpr const char* kToolsTextSize = "tools.text-size";
inline constexpr const char* kToolsTextSizeValue = "tools.text-size-value";  // "{percent}%"
inline constexpr const char* kToolsHighContrast = "tools.high-contrast";
inline constexpr const char* kToolsStandardColours = "tools.standard-colours";

// On-screen keyboard
inline constexpr const char* kKeyboardDone = "keyboard.done";
inline constexpr const char* kKeyboardSpace = "keyboard.space";
inline constexpr const char* kKeyboardShift = "keyboard.shift";
inline constexpr const char* kKeyboardDelete = "keyboard.delete";
inline constexpr const char* kKeyboardLetters = "keyboard.letters";  // back to letters from the number pad
inline constexpr const char* kKeyboardNumbers = "keyboard.numbers";  // to the number pad
inline constexpr const char* kKeyboardLayoutAbc = "keyboard.layout-abc";
inline constexpr const char* kKeyboardLayoutQwerty = "keyboard.layout-qwerty";
inline constexpr const char* kKeyboardSpeakKeys = "keyboard.speak-keys";
inline constexpr const char* kKeyboardAccents = "keyboard.accents";  // the language's own letters

// Spoken only: said before the reference number is read out. A spoken page count uses
// kQuestionCaption ("Question {number} of {count}"), the same words the page shows.
inline constexpr const char* kSpeechReferenceIntro = "speech.reference-intro";

// Every key above, for the catalogue completeness test.
inline constexpr const char* kAllKeys[] = {
    kAttractTitle,
    kAttractBody,
    kLanguageHeading,
    kLanguageHint,
    kServicesHeading,
    kServicesSearchLabel,
    kServicesSearchHint,
    kServicesNoResults,
    kServicesSavedFormsNote,
    kServicesCheckReport,
    kCheckReportHeading,
    kCheckReportLabel,
    kCheckReportHint,
    kCheckReportButton,
    kCheckReportErrorEmpty,
    kCheckReportErrorTypo,
    kCheckReportWaiting,
    kCheckReportSent,
    kCheckReportCouncilReference,
    kCheckReportNotSent,
    kCheckReportNotFound,
    kCheckReportCouncilReceived,
    kCheckReportCouncilInProgress,
    kCheckReportCouncilClosed,
    kCheckReportCouncilUpdated,
    kDateTimePattern,
    kStartButton,
    kStartYouWillNeed,
    kStartTimeToComplete,
    kStartOtherWays,
    kContinue,
    kBack,
    kStartAgain,
    kLanguage,
    kScrollCue,
    kStatusOnline,
    kStatusOffline,
    kQuestionCaption,
    kQuestionOptional,
    kAddressPostcode,
    kAddressFind,
    kAddressCannotFind,
    kAddressSelect,
    kAddressFound,
    kAddressManualHeading,
    kAddressLine1,
    kAddressLine2,
    kAddressTown,
    kDateDay,
    kDateMonth,
    kDateYear,
    kCheckHeading,
    kCheckChange,
    kCheckSendHeading,
    kCheckSendBody,
    kCheckSend,
    kAnswerNotProvided,
    kAnswerYes,
    kAnswerNo,
    kConfirmationReferenceLabel,
    kConfirmationKeepReference,
    kConfirmationQrHint,
    kConfirmationNextHeading,
    kConfirmationContactHeading,
    kConfirmationFinish,
    kConfirmationPrintReceipt,
    kConfirmationReceiptPrinting,
    kConfirmationReceiptPrinted,
    kConfirmationPrinterNotWorking,
    kTimeoutHeading,
    kTimeoutBody,
    kTimeoutExtend,
    kErrorSummaryTitle,
    kSealFailedHeading,
    kSealFailedBody,
    kSealFailedRetry,
    kOutOfOrderHeading,
    kOutOfOrderBody,
    kAttractLanguagesHint,
    kToolsReadAloud,
    kToolsReadAgain,
    kToolsStop,
    kToolsSlower,
    kToolsNormalSpeed,
    kToolsQuieter,
    kToolsLouder,
    kToolsVolume,
    kToolsTextSize,
    kToolsTextSizeValue,
    kToolsHighContrast,
    kToolsStandardColours,
    kKeyboardDone,
    kKeyboardSpace,
    kKeyboardShift,
    kKeyboardDelete,
    kKeyboardLetters,
    kKeyboardNumbers,
    kKeyboardLayoutAbc,
    kKeyboardLayoutQwerty,
    kKeyboardSpeakKeys,
    kKeyboardAccents,
    kSpeechReferenceIntro,
};

// The out-of-order screen must be readable when no pack could be loaded at all, so its English
// text is also built in. Nothing else may be.
inline constexpr const char* kBuiltInOutOfOrderHeading = "This kiosk is not working right now";
inline constexpr const char* kBuiltInOutOfOrderBody = "Ask a member of staff for help.";
inline constexpr const char* kBuiltInReadAloud = "Read aloud";

}  // namespace kiosk::ui::keys
