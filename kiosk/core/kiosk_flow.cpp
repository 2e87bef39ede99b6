// Kiosk flow reducer: applies one intent to the KioskState (see include/kiosk/kiosk_flow.h).
//
// [SECTION] helpers: page signature, timer
// [SECTION] reduce
// [SECTION] deadlines
#include "kiosk/kiosk_flow.h"

#include <algorithm>
#include <cctype>

#include "kiosk/secure_wipe.h"

namespace kiosk {

const char* screenName(Screen screen) {
    switch (screen) {
    case Screen::Attract: return "attract";
    case Screen::Language: return "language";
    case Screen::Services: return "services";
    case Screen::ServiceStart: return "service-start";
    case Screen::Question: return "question";
    case Screen::CheckAnswers: return "check-answers";
    case Screen::Confirmation: return "confirmation";
    case Screen::SealFailed: return "seal-failed";
    case Screen::OutOfOrder: return "out-of-order";
    }
    return "unknown";
}

// ---------------------------------------------------------------------------------------------
// [SECTION] helpers
// ---------------------------------------------------------------------------------------------
namespace {

// Identifies what is on screen, so a change of page (which scrolls to the top and is read aloud)
// can be told apart from typing on the same page.
std::string pageSignature(const KioskState& state) {
    std::string signature = screenName(state.screen);
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

bool timerRuns(const KioskState& state) {
    return state.settings.timeLimitEnabled && state.screen != Screen::Attract &&
           state.screen != Screen::OutOfOrder;
}

int secondsLeft(std::int64_t warningEndsMillis, std::int64_t nowMillis) {
    const std::int64_t remaining = warningEndsMillis - nowMillis;
    if (remaining <= 0) return 0;
    return static_cast<int>((remaining + 999) / 1000);
}

void wipeForm(KioskState& state) {
    if (state.form) {
        state.form->wipe();
        state.form.reset();
    }
    state.sealPending = false;
}

// Shows the warning when the quiet time is over and ends the session when the warning ran out.
// The warning always gets its full length from the moment it appears, even if the loop woke late.
void applyTimeouts(KioskState& state, std::int64_t nowMillis, Effects& effects) {
    if (!timerRuns(state)) {
        state.timeoutWarning = false;
        return;
    }
    if (!state.timeoutWarning &&
        nowMillis >= state.lastActivityMillis + state.settings.inactivityMillis) {
        state.timeoutWarning = true;
        state.warningEndsMillis = nowMillis + state.settings.warningMillis;
        effects.warningShown = true;
    }
    if (state.timeoutWarning) {
        if (nowMillis >= state.warningEndsMillis) {
            endSession(state);
            effects.sessionEnded = true;
        } else {
            state.warningSecondsLeft = secondsLeft(state.warningEndsMillis, nowMillis);
        }
    }
}

// Intents that come from the platform rather than from a resident's tap.
bool isPlatformIntent(Intent::Kind kind) {
    return kind == Intent::Kind::Tick || kind == Intent::Kind::SealSucceeded ||
           kind == Intent::Kind::SealFailed || kind == Intent::Kind::SetOutOfOrder ||
           kind == Intent::Kind::SetTimeLimit;
}

constexpr int kVolumeStep = 25;

int textSizeFromValue(const std::string& value) {
    if (value == "100") return 100;
    if (value == "150") return 150;
    if (value == "200") return 200;
    return 0;
}

const Service* chosenService(const KioskState& state) {
    return state.pack ? state.pack->findService(state.serviceId) : nullptr;
}

void showQuestionOrCheck(KioskState& state) {
    state.screen = state.form->position() == FormSession::Position::CheckAnswers
                       ? Screen::CheckAnswers
                       : Screen::Question;
}

void editDraft(KioskState& state, const Intent& intent) {
    if (state.screen != Screen::Question || !state.form) return;
    AnswerInput& draft = state.form->draft();
    const std::string& field = intent.field;
    const std::string& value = intent.value;
    switch (intent.kind) {
    case Intent::Kind::EditField:
        if (field == "text") draft.text = value;
        else if (field == "day") draft.date.day = value;
        else if (field == "month") draft.date.month = value;
        else if (field == "year") draft.date.year = value;
        else if (field == "postcode") draft.address.postcode = value;
        else if (field == "line1") draft.address.line1 = value;
        else if (field == "line2") draft.address.line2 = value;
        else if (field == "town") draft.address.town = value;
        else if (field == "manualPostcode") draft.address.manualPostcode = value;
        break;
    case Intent::Kind::SelectChoice:
        draft.text = value;
        break;
    case Intent::Kind::ToggleChoice: {
        auto& selected = draft.selected;
        auto found = std::find(selected.begin(), selected.end(), value);
        if (found == selected.end()) selected.push_back(value);
        else selected.erase(found);
        break;
    }
    case Intent::Kind::ChooseAddress:
        draft.address.chosenUprn = value;
        break;
    default:
        break;
    }
}

void startService(KioskState& state, const std::string& serviceId) {
    if (!state.pack) return;
    const Service* service = state.pack->findService(serviceId);
    if (!service || !state.pack->findForm(service->formId)) return;
    if (state.serviceId != serviceId) wipeForm(state);
    state.serviceId = serviceId;
    state.screen = Screen::ServiceStart;
}

void startForm(KioskState& state) {
    const Service* service = chosenService(state);
    if (!service) return;
    const Form* form = state.pack->findForm(service->formId);
    if (!form) return;
    if (!state.form) state.form = std::make_unique<FormSession>(*state.pack, *service, *form, *state.formClock);
    showQuestionOrCheck(state);
}

void send(KioskState& state, Effects& effects) {
    if (!state.form || state.sealPending) return;
    if (state.screen != Screen::CheckAnswers && state.screen != Screen::SealFailed) return;
    const Service& service = state.form->service();
    const Form& form = state.form->form();
    SealRequest request;
    request.serviceId = service.id;
    request.formId = form.id;
    request.formVersion = form.version;
    request.language = state.language;
    request.destination = service.destination;
    request.answersJson = state.form->answersJson(state.language);
    effects.seal = std::move(request);
    state.sealPending = true;
}

// True when Back ended the session (the language screen it began on, back to Attract): the
// platform must then forget the session as after a timeout (typed text, speech, volume).
bool goBack(KioskState& state) {
    switch (state.screen) {
    case Screen::Language:
        if (state.languageReturnScreen != Screen::Attract) {
            state.screen = state.languageReturnScreen;
            break;
        }
        endSession(state);
        return true;
    case Screen::Services:
        state.languageReturnScreen = Screen::Attract;
        state.screen = Screen::Language;
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
        if (state.form->back()) showQuestionOrCheck(state);
        else state.screen = Screen::ServiceStart;
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
    default:
        break;
    }
    return false;
}

}  // namespace

void endSession(KioskState& state) {
    wipeForm(state);
    state.screen = Screen::Attract;
    state.language = state.settings.defaultLanguage;
    state.languageReturnScreen = Screen::Attract;
    wipeString(state.searchText);  // what a resident typed, like their answers
    state.serviceId.clear();
    wipeString(state.reference);
    state.confirmedServiceId.clear();
    state.timeoutWarning = false;
    state.warningEndsMillis = 0;
    state.warningSecondsLeft = 0;
    state.extensionsThisSession = 0;
    // Display, speech and keyboard choices belong to one resident.
    state.highContrast = state.settings.defaultHighContrast;
    state.textSizePercent = state.settings.defaultTextSizePercent;
    state.speech = KioskState::Speech{};
    state.keyboard = KioskState::Keyboard{};
}

// ---------------------------------------------------------------------------------------------
// [SECTION] reduce
// ---------------------------------------------------------------------------------------------
Effects reduce(KioskState& state, const Intent& intent, std::int64_t nowMillis) {
    Effects effects;
    state.formClock->setMillis(nowMillis);
    const std::string signatureBefore = pageSignature(state);

    applyTimeouts(state, nowMillis, effects);

    // While "Do you need more time?" covers the page, only its button counts.
    const bool residentIntent = !isPlatformIntent(intent.kind);
    if (state.timeoutWarning && residentIntent && intent.kind != Intent::Kind::ExtendTime) {
        // fall through to the signature check with nothing changed
    } else {
        if (residentIntent && intent.kind != Intent::Kind::ExtendTime) state.lastActivityMillis = nowMillis;

        switch (intent.kind) {
        case Intent::Kind::Touched:
        case Intent::Kind::Tick:
            break;
        case Intent::Kind::Begin:
            if (state.screen == Screen::Attract && state.pack) {
                state.languageReturnScreen = Screen::Attract;
                state.screen = Screen::Language;
            }
            break;
        case Intent::Kind::OpenLanguage:
            if (state.pack && state.screen != Screen::Language && state.screen != Screen::Attract &&
                state.screen != Screen::OutOfOrder) {
                state.languageReturnScreen = state.screen;
                state.screen = Screen::Language;
            }
            break;
        case Intent::Kind::ChooseLanguage: {
            if (state.screen != Screen::Language || !state.pack) break;
            const auto& languages = state.pack->languages;
            const bool known = languages.empty() ||
                               std::any_of(languages.begin(), languages.end(),
                                           [&](const Language& l) { return l.code == intent.value; });
            if (!known) break;
            state.language = intent.value;
            if (state.form) state.form->restateErrors(state.language);
            state.screen = state.languageReturnScreen == Screen::Attract ? Screen::Services
                                                                         : state.languageReturnScreen;
            break;
        }
        case Intent::Kind::SetSearchText:
            if (state.screen == Screen::Services) state.searchText = intent.value;
            break;
        case Intent::Kind::ChooseService:
            if (state.screen == Screen::Services) startService(state, intent.value);
            break;
        case Intent::Kind::StartForm:
            if (state.screen == Screen::ServiceStart) startForm(state);
            break;
        case Intent::Kind::EditField:
        case Intent::Kind::SelectChoice:
        case Intent::Kind::ToggleChoice:
        case Intent::Kind::ChooseAddress:
            editDraft(state, intent);
            break;
        case Intent::Kind::ChooseManualAddress:
            if (state.screen == Screen::Question && state.form) state.form->chooseManualAddress();
            break;
        case Intent::Kind::Continue:
            if (state.screen == Screen::Question && state.form) {
                if (state.form->continueFromPage(state.language))
                    showQuestionOrCheck(state);
                else
                    effects.errorsShown = true;
            }
            break;
        case Intent::Kind::Back:
            if (goBack(state)) effects.sessionEnded = true;
            break;
        case Intent::Kind::Change:
            if (state.screen == Screen::CheckAnswers && state.form && !state.sealPending) {
                state.form->change(intent.value);
                showQuestionOrCheck(state);
            }
            break;
        case Intent::Kind::Send:
            send(state, effects);
            break;
        case Intent::Kind::SealSucceeded:
            if (state.sealPending && state.form) {
                state.reference = intent.value;
                state.confirmedServiceId = state.form->service().id;
                wipeForm(state);
                state.screen = Screen::Confirmation;
            }
            break;
        case Intent::Kind::SealFailed:
            if (state.sealPending) {
                state.sealPending = false;
                state.screen = Screen::SealFailed;
            }
            break;
        case Intent::Kind::Finish:
            if (state.screen == Screen::Confirmation) {
                endSession(state);
                effects.sessionEnded = true;
            }
            break;
        case Intent::Kind::StartAgain:
            if (state.screen != Screen::Attract && state.screen != Screen::OutOfOrder && state.pack) {
                wipeForm(state);
                state.serviceId.clear();
                state.searchText.clear();
                state.reference.clear();
                state.confirmedServiceId.clear();
                state.screen = Screen::Services;
            }
            break;
        case Intent::Kind::ExtendTime:
            state.lastActivityMillis = nowMillis;
            if (state.timeoutWarning) {
                state.timeoutWarning = false;
                state.warningSecondsLeft = 0;
                ++state.extensionsThisSession;
            }
            break;
        case Intent::Kind::ToggleHighContrast:
            state.highContrast = !state.highContrast;
            break;
        case Intent::Kind::SetTextSize:
            if (const int percent = textSizeFromValue(intent.value); percent && percent != state.textSizePercent) {
                state.textSizePercent = percent;
                effects.textSizeChanged = true;
            }
            break;
        case Intent::Kind::ReadAloud:
            state.speech.readAloud = true;
            effects.readPageNow = true;
            break;
        case Intent::Kind::StopReading:
            state.speech.readAloud = false;
            effects.stopSpeech = true;
            break;
        case Intent::Kind::ToggleSlowSpeech:
            state.speech.slow = !state.speech.slow;
            effects.speechSettingsChanged = true;
            break;
        case Intent::Kind::VolumeDown:
        case Intent::Kind::VolumeUp: {
            const int step = intent.kind == Intent::Kind::VolumeUp ? kVolumeStep : -kVolumeStep;
            state.speech.volumePercent = std::clamp(state.speech.volumePercent + step, kVolumeStep, 200);
            effects.speechSettingsChanged = true;
            break;
        }
        case Intent::Kind::ToggleSpeakKeys:
            state.speech.speakKeys = !state.speech.speakKeys;
            break;
        case Intent::Kind::ToggleKeyboardShift:
            state.keyboard.shift = !state.keyboard.shift;
            break;
        case Intent::Kind::ToggleKeyboardOrder:
            state.keyboard.alphabetical = !state.keyboard.alphabetical;
            break;
        case Intent::Kind::ToggleKeyboardNumbers:
            state.keyboard.numbers = !state.keyboard.numbers;
            break;
        case Intent::Kind::ToggleKeyboardAccents:
            state.keyboard.accents = !state.keyboard.accents;
            break;
        case Intent::Kind::KeyboardTyped:
            state.keyboard.shift = false;
            break;
        case Intent::Kind::SetTimeLimit:
            state.settings.timeLimitEnabled = intent.value != "0";
            if (state.settings.timeLimitEnabled) state.lastActivityMillis = nowMillis;  // a full quiet time from now
            break;
        case Intent::Kind::SetOutOfOrder:
            if (intent.value == "1") {
                if (state.screen != Screen::OutOfOrder) {
                    endSession(state);
                    state.screen = Screen::OutOfOrder;
                    effects.sessionEnded = true;
                }
            } else if (state.screen == Screen::OutOfOrder) {
                // Someone may have used Read aloud on the out-of-order page: the first resident
                // of the repaired kiosk starts from the defaults like every other.
                endSession(state);
                effects.sessionEnded = true;
            }
            break;
        }
    }

    if (!timerRuns(state)) state.timeoutWarning = false;

    if (pageSignature(state) != signatureBefore) {
        ++state.pageSerial;
        effects.pageChanged = true;
    }
    return effects;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] deadlines
// ---------------------------------------------------------------------------------------------
std::optional<std::int64_t> nextDeadlineMillis(const KioskState& state) {
    if (!timerRuns(state)) return std::nullopt;
    if (!state.timeoutWarning) return state.lastActivityMillis + state.settings.inactivityMillis;
    if (state.warningSecondsLeft <= 1) return state.warningEndsMillis;
    // The countdown shows warningSecondsLeft until the remaining time drops to one second less.
    // Worked out from what the state shows, not from the time of asking, so the answer stays the
    // same however late (or exactly on time) the loop asks.
    return state.warningEndsMillis - static_cast<std::int64_t>(state.warningSecondsLeft - 1) * 1000;
}

}  // namespace kiosk
