// Resident mode reducer (include/kiosk/modes/resident_mode.h): services, the form's pages,
// check answers, sealing and confirmation.
#include "kiosk/modes/resident_mode.h"

#include <algorithm>

#include "kiosk/reference.h"
#include "kiosk/secure_wipe.h"

namespace kiosk {

const char* residentScreenName(ResidentScreen screen) {
    switch (screen) {
        case ResidentScreen::Services:
            return "services";
        case ResidentScreen::ServiceStart:
            return "service-start";
        case ResidentScreen::Question:
            return "question";
        case ResidentScreen::CheckAnswers:
            return "check-answers";
        case ResidentScreen::Confirmation:
            return "confirmation";
        case ResidentScreen::SealFailed:
            return "seal-failed";
        case ResidentScreen::CheckReport:
            return "check-report";
    }
    return "unknown";
}

bool isPlatformIntent(const ResidentIntent& intent) {
    return std::holds_alternative<resident::SealSucceeded>(intent) ||
           std::holds_alternative<resident::SealFailed>(intent) ||
           std::holds_alternative<resident::ReportFound>(intent) ||
           std::holds_alternative<resident::CouncilStatusFound>(intent) ||
           std::holds_alternative<resident::ReceiptPrinted>(intent) ||
           std::holds_alternative<resident::ReceiptPrintFailed>(intent);
}

namespace {

using Screen = ResidentScreen;

void wipeForm(ResidentState& state) {
    if (state.form) {
        state.form->wipe();
        state.form.reset();
    }
    state.sealPending = false;
}

void showQuestionOrCheck(ResidentState& state) {
    state.screen = state.form->position() == FormSession::Position::CheckAnswers ? Screen::CheckAnswers
                                                                                 : Screen::Question;
}

std::string* draftField(AnswerInput& draft, resident::Field field) {
    using resident::Field;
    switch (field) {
        case Field::Text:
            return &draft.text;
        case Field::Day:
            return &draft.date.day;
        case Field::Month:
            return &draft.date.month;
        case Field::Year:
            return &draft.date.year;
        case Field::Postcode:
            return &draft.address.postcode;
        case Field::Line1:
            return &draft.address.line1;
        case Field::Line2:
            return &draft.address.line2;
        case Field::Town:
            return &draft.address.town;
        case Field::ManualPostcode:
            return &draft.address.manualPostcode;
    }
    return nullptr;
}

// Only the page on screen may be edited.
AnswerInput* editableDraft(ResidentState& state) {
    if (state.screen != Screen::Question || !state.form) return nullptr;
    return &state.form->draft();
}

void startService(ResidentState& state, const ContentPack* pack, const std::string& serviceId) {
    if (!pack) return;
    const Service* service = pack->findService(serviceId);
    if (!service || !pack->findForm(service->formId)) return;
    if (state.serviceId != serviceId) wipeForm(state);
    state.serviceId = serviceId;
    state.screen = Screen::ServiceStart;
}

void startForm(ResidentState& state, const ContentPack* pack) {
    const Service* service = pack ? pack->findService(state.serviceId) : nullptr;
    if (!service) return;
    const Form* form = pack->findForm(service->formId);
    if (!form) return;
    if (!state.form) state.form = std::make_unique<FormSession>(*pack, *service, *form, *state.formClock);
    showQuestionOrCheck(state);
}

void send(ResidentState& state, const std::string& language, ModeOutcome& outcome) {
    if (!state.form || state.sealPending) return;
    if (state.screen != Screen::CheckAnswers && state.screen != Screen::SealFailed) return;
    const Service& service = state.form->service();
    const Form& form = state.form->form();
    SealRequest request;
    request.serviceId = service.id;
    request.formId = form.id;
    request.formVersion = form.version;
    request.language = language;
    request.destination = service.destination;
    request.destinationSettings = service.destinationSettings;
    request.answersJson = state.form->answersJson(language);
    outcome.seal = std::move(request);
    state.sealPending = true;
}

void goBack(ResidentState& state, ModeOutcome& outcome) {
    switch (state.screen) {
        case Screen::Services:
            outcome.leaveToLanguage = true;
            break;
        case Screen::ServiceStart:
            // Leaving the service: nothing typed for it should stay in memory.
            wipeForm(state);
            state.serviceId.clear();
            state.screen = Screen::Services;
            break;
        case Screen::Question:
            if (!state.form) break;
            // back() may also return to check answers when the resident was changing an answer.
            if (state.form->back())
                showQuestionOrCheck(state);
            else
                state.screen = Screen::ServiceStart;
            break;
        case Screen::CheckAnswers:
            if (state.form && !state.sealPending) {
                state.form->back();
                showQuestionOrCheck(state);
            }
            break;
        case Screen::SealFailed:
            if (state.form) state.screen = Screen::CheckAnswers;
            break;
        case Screen::Confirmation:
            break;
        case Screen::CheckReport:
            wipeString(state.reportReference);
            state.reportError.clear();
            state.reportStatus.reset();
            state.screen = Screen::Services;
            break;
    }
}

// One overload per intent; std::visit picks it.
struct Reducer {
    ResidentState& state;
    const ModeContext& context;
    ModeOutcome& outcome;

    void operator()(const resident::SetSearchText& intent) const {
        if (state.screen == Screen::Services) state.searchText = intent.text;
    }
    void operator()(const resident::ChooseService& intent) const {
        if (state.screen == Screen::Services) startService(state, context.pack, intent.serviceId);
    }
    void operator()(const resident::StartForm&) const {
        if (state.screen == Screen::ServiceStart) startForm(state, context.pack);
    }
    void operator()(const resident::EditField& intent) const {
        if (AnswerInput* draft = editableDraft(state))
            if (std::string* field = draftField(*draft, intent.field)) *field = intent.value;
    }
    void operator()(const resident::SelectChoice& intent) const {
        if (AnswerInput* draft = editableDraft(state)) draft->text = intent.value;
    }
    void operator()(const resident::ToggleChoice& intent) const {
        AnswerInput* draft = editableDraft(state);
        if (!draft) return;
        auto& selected = draft->selected;
        auto found = std::find(selected.begin(), selected.end(), intent.value);
        if (found == selected.end())
            selected.push_back(intent.value);
        else
            selected.erase(found);
    }
    void operator()(const resident::ChooseAddress& intent) const {
        if (AnswerInput* draft = editableDraft(state)) draft->address.chosenUprn = intent.uprn;
    }
    void operator()(const resident::ChooseManualAddress&) const {
        if (state.screen == Screen::Question && state.form) state.form->chooseManualAddress();
    }
    void operator()(const resident::Continue&) const {
        if (state.screen != Screen::Question || !state.form) return;
        if (state.form->continueFromPage(context.language))
            showQuestionOrCheck(state);
        else
            outcome.errorsShown = true;
    }
    void operator()(const resident::Back&) const { goBack(state, outcome); }
    void operator()(const resident::Change& intent) const {
        if (state.screen == Screen::CheckAnswers && state.form && !state.sealPending) {
            state.form->change(intent.pageId);
            showQuestionOrCheck(state);
        }
    }
    void operator()(const resident::Send&) const { send(state, context.language, outcome); }
    void operator()(const resident::SealSucceeded& intent) const {
        // The UI's copies of typed text go whatever happens here, as the answers do.
        outcome.typedTextWiped = true;
        if (state.sealPending && state.form) {
            state.reference = intent.reference;
            state.confirmedServiceId = state.form->service().id;
            state.confirmedAtMillis = context.nowMillis;
            state.receipt = ReceiptPrint::NotAsked;
            wipeForm(state);
            state.screen = Screen::Confirmation;
        }
    }
    void operator()(const resident::SealFailed&) const {
        if (state.sealPending) {
            state.sealPending = false;
            state.screen = Screen::SealFailed;
        }
    }
    void operator()(const resident::Finish&) const {
        if (state.screen == Screen::Confirmation) outcome.sessionFinished = true;
    }
    // Only what a receipt needs leaves the state: the answers are gone already.
    void operator()(const resident::PrintReceipt&) const {
        if (state.screen != Screen::Confirmation || !context.receiptPrinter) return;
        if (state.receipt == ReceiptPrint::Printing || state.receipt == ReceiptPrint::Printed) return;
        state.receipt = ReceiptPrint::Printing;
        outcome.printReceipt = ReceiptRequest{state.reference, state.confirmedServiceId, context.language,
                                              state.confirmedAtMillis};
    }
    // An answer for an earlier resident's receipt (they finished while it printed) changes nothing.
    bool answersThisReceipt(const std::string& reference) const {
        return state.screen == Screen::Confirmation && state.receipt == ReceiptPrint::Printing &&
               reference == state.reference;
    }
    void operator()(const resident::ReceiptPrinted& intent) const {
        if (answersThisReceipt(intent.reference)) state.receipt = ReceiptPrint::Printed;
    }
    void operator()(const resident::ReceiptPrintFailed& intent) const {
        if (answersThisReceipt(intent.reference)) state.receipt = ReceiptPrint::Failed;
    }
    void operator()(const resident::OpenCheckReport&) const {
        if (state.screen != Screen::Services) return;
        wipeString(state.reportReference);
        state.reportError.clear();
        state.reportStatus.reset();
        state.screen = Screen::CheckReport;
    }
    void operator()(const resident::EditReportReference& intent) const {
        if (state.screen != Screen::CheckReport) return;
        wipeString(state.reportReference);
        state.reportReference = intent.text;  // whole: cutting it asserts in Dear ImGui 1.86
        state.reportStatus.reset();
    }
    // The check character catches a mistyped reference before anything is looked up.
    void operator()(const resident::CheckReport&) const {
        if (state.screen != Screen::CheckReport) return;
        state.reportStatus.reset();
        if (state.reportReference.find_first_not_of(" -") == std::string::npos) {
            state.reportError = "report.error-empty";
            outcome.errorsShown = true;
            return;
        }
        if (!parseReference(context.referencePrefix, state.reportReference)) {
            state.reportError = "report.error-typo";
            outcome.errorsShown = true;
            return;
        }
        state.reportError.clear();
        outcome.lookUpReport = state.reportReference;
    }
    void operator()(const resident::ReportFound& intent) const {
        if (state.screen == Screen::CheckReport) state.reportStatus = intent.status;
    }
    void operator()(const resident::CouncilStatusFound& intent) const {
        // Only for the report still on screen: the resident may have typed another meanwhile.
        if (state.screen != Screen::CheckReport || !state.reportStatus) return;
        if (state.reportStatus->reference != intent.reference || intent.reference.empty()) return;
        state.reportStatus->council = intent.status;
    }
};

}  // namespace

void reduceResident(ResidentState& state, const ResidentIntent& intent, const ModeContext& context,
                    ModeOutcome& outcome) {
    std::visit(Reducer{state, context, outcome}, intent);
}

void startAgain(ResidentState& state) {
    wipeForm(state);
    state.serviceId.clear();
    wipeString(state.searchText);
    wipeString(state.reference);
    state.confirmedServiceId.clear();
    state.confirmedAtMillis = 0;
    state.receipt = ReceiptPrint::NotAsked;
    wipeString(state.reportReference);
    state.reportError.clear();
    state.reportStatus.reset();
    state.screen = Screen::Services;
}

void wipeResident(ResidentState& state) {
    startAgain(state);
}

void restateErrors(ResidentState& state, const std::string& language) {
    if (state.form) state.form->restateErrors(language);
}

std::string residentPageSignature(const ResidentState& state) {
    std::string signature = residentScreenName(state.screen);
    if (state.screen == Screen::Question && state.form &&
        state.form->position() == FormSession::Position::Question) {
        const Page& page = state.form->currentPage();
        signature += "/" + page.id;
        if (page.question.type == QuestionType::Address)
            signature += "/" + std::to_string(static_cast<int>(state.form->addressStage()));
    }
    if (state.screen == Screen::ServiceStart) signature += "/" + state.serviceId;
    return signature;
}

}  // namespace kiosk
