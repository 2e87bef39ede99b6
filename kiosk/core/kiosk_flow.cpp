// Root flow reducer (include/kiosk/kiosk_flow.h): routes each intent to the root's own handling
// or to the active mode, and turns what happened into commands for the executor.
//
// [SECTION] names and signatures
// [SECTION] timer
// [SECTION] root intents
// [SECTION] reduce
// [SECTION] deadlines
#include "kiosk/kiosk_flow.h"

#include <algorithm>

#include "kiosk/secure_wipe.h"

namespace kiosk {

// ---------------------------------------------------------------------------------------------
// [SECTION] names and signatures
// ---------------------------------------------------------------------------------------------
const char* screenName(const KioskState& state) {
    switch (state.screen) {
        case SessionScreen::Attract:
            return "attract";
        case SessionScreen::Language:
            return "language";
        case SessionScreen::OutOfOrder:
            return "out-of-order";
        case SessionScreen::InMode:
            break;
    }
    switch (state.mode) {
        case Mode::Resident:
            return residentScreenName(state.resident.screen);
        case Mode::Staff:
            return staffScreenName(state.staff.screen);
    }
    return "unknown";
}

std::optional<StaffScreen> staffScreen(const KioskState& state) {
    if (state.screen != SessionScreen::InMode || state.mode != Mode::Staff) return std::nullopt;
    return state.staff.screen;
}

bool volunteerAssisting(const KioskState& state) {
    return state.staffMember && state.staffMember->role == StaffRole::Volunteer;
}

std::optional<ResidentScreen> residentScreen(const KioskState& state) {
    if (state.screen != SessionScreen::InMode || state.mode != Mode::Resident) return std::nullopt;
    return state.resident.screen;
}

void wipeIntent(Intent& intent) {
    const auto wipeText = [](auto& alternative) {
        using T = std::decay_t<decltype(alternative)>;
        if constexpr (std::is_same_v<T, ChooseLanguage>) wipeString(alternative.code);
    };
    const auto wipeResidentText = [](auto& alternative) {
        using T = std::decay_t<decltype(alternative)>;
        if constexpr (std::is_same_v<T, resident::SetSearchText>)
            wipeString(alternative.text);
        else if constexpr (std::is_same_v<T, resident::EditField> ||
                           std::is_same_v<T, resident::SelectChoice> ||
                           std::is_same_v<T, resident::ToggleChoice>)
            wipeString(alternative.value);
        else if constexpr (std::is_same_v<T, resident::ChooseAddress>)
            wipeString(alternative.uprn);
        else if constexpr (std::is_same_v<T, resident::SealSucceeded> ||
                           std::is_same_v<T, resident::ReceiptPrinted> ||
                           std::is_same_v<T, resident::ReceiptPrintFailed>)
            wipeString(alternative.reference);
        else if constexpr (std::is_same_v<T, resident::EditReportReference>)
            wipeString(alternative.text);
    };
    if (auto* residentIntent = std::get_if<ResidentIntent>(&intent))
        std::visit(wipeResidentText, *residentIntent);
    else if (auto* staffIntent = std::get_if<StaffIntent>(&intent))
        wipeStaffIntent(*staffIntent);
    else
        std::visit(wipeText, intent);
}

namespace {

// Identifies what is on screen, so a change of page (which scrolls to the top and is read aloud)
// can be told apart from typing on the same page.
std::string pageSignature(const KioskState& state) {
    if (state.screen != SessionScreen::InMode) return screenName(state);
    switch (state.mode) {
        case Mode::Resident:
            return residentPageSignature(state.resident);
        case Mode::Staff:
            return staffPageSignature(state.staff);
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// [SECTION] timer
// ---------------------------------------------------------------------------------------------
bool timerRuns(const KioskState& state) {
    return state.settings.timeLimitEnabled && !volunteerAssisting(state) &&
           state.screen != SessionScreen::Attract && state.screen != SessionScreen::OutOfOrder;
}

// A signed-in volunteer has no warning, only this quiet time before everything is wiped.
std::optional<std::int64_t> staffIdleDeadline(const KioskState& state) {
    if (!volunteerAssisting(state)) return std::nullopt;
    return state.lastActivityMillis + state.settings.staffIdleMillis;
}

int secondsLeft(std::int64_t warningEndsMillis, std::int64_t nowMillis) {
    const std::int64_t remaining = warningEndsMillis - nowMillis;
    if (remaining <= 0) return 0;
    return static_cast<int>((remaining + 999) / 1000);
}

// What happened during one reduce, turned into commands at its end.
struct Happened {
    ModeOutcome mode;
    bool sessionEnded = false;
    bool warningShown = false;
    bool readPageNow = false;
    bool stopSpeech = false;
    bool speechSettingsChanged = false;
    std::string signOutReason = "session_ended";  // recorded when a staff member is signed out
    StaffOutcome staff;
    std::vector<CountUsage> usage;
};

// Shows the warning when the quiet time is over and ends the session when the warning ran out.
// The warning always gets its full length from the moment it appears, even if the loop woke late.
void applyTimeouts(KioskState& state, std::int64_t nowMillis, Happened& happened) {
    if (const auto idle = staffIdleDeadline(state); idle && nowMillis >= *idle) {
        happened.signOutReason = "inactivity";
        endSession(state);
        happened.sessionEnded = true;
        return;
    }
    if (!timerRuns(state)) {
        state.timeoutWarning = false;
        return;
    }
    if (!state.timeoutWarning && nowMillis >= state.lastActivityMillis + state.settings.inactivityMillis) {
        state.timeoutWarning = true;
        state.warningEndsMillis = nowMillis + state.settings.warningMillis;
        happened.warningShown = true;
    }
    if (state.timeoutWarning) {
        if (nowMillis >= state.warningEndsMillis) {
            endSession(state);
            happened.sessionEnded = true;
        } else {
            state.warningSecondsLeft = secondsLeft(state.warningEndsMillis, nowMillis);
        }
    }
}

// Intents from the platform rather than from someone's tap: never activity, never blocked.
bool isPlatformIntent(const Intent& intent) {
    if (const auto* residentIntent = std::get_if<ResidentIntent>(&intent))
        return kiosk::isPlatformIntent(*residentIntent);
    if (const auto* staffIntent = std::get_if<StaffIntent>(&intent))
        return kiosk::isPlatformIntent(*staffIntent);
    return std::holds_alternative<Tick>(intent) || std::holds_alternative<ApplyHubSettings>(intent) ||
           std::holds_alternative<SetOutOfOrder>(intent) || std::holds_alternative<SetTimeLimit>(intent) ||
           std::holds_alternative<ConnectionChanged>(intent);
}

constexpr int kVolumeStep = 25;

bool inSession(const KioskState& state) {
    return state.screen != SessionScreen::Attract && state.screen != SessionScreen::OutOfOrder;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] root intents
// ---------------------------------------------------------------------------------------------
// One overload per intent that spans modes; std::visit picks it.
struct RootReducer {
    KioskState& state;
    std::int64_t nowMillis;
    Happened& happened;

    void operator()(const Touched&) const {}
    void operator()(const Tick&) const {}
    void count(UsageKind kind, const std::string& serviceId = {}) const {
        if (state.staffMember && !volunteerAssisting(state)) return;  // an admin trying things out
        happened.usage.push_back(CountUsage{kind, serviceId, state.language, volunteerAssisting(state)});
    }
    void operator()(const Begin&) const {
        if (state.screen == SessionScreen::Attract && state.pack) {
            state.languageReturnsToMode = false;
            state.mode = Mode::Resident;
            state.screen = SessionScreen::Language;
            count(UsageKind::SessionStarted);
        }
    }
    void operator()(const OpenLanguage&) const {
        if (state.pack && state.screen == SessionScreen::InMode && state.mode == Mode::Resident) {
            state.languageReturnsToMode = true;
            state.screen = SessionScreen::Language;
        }
    }
    void operator()(const ChooseLanguage& intent) const {
        if (state.screen != SessionScreen::Language || !state.pack) return;
        const auto& languages = state.pack->languages;
        const bool known =
            languages.empty() || std::any_of(languages.begin(), languages.end(),
                                             [&](const Language& l) { return l.code == intent.code; });
        if (!known) return;
        state.language = intent.code;
        restateErrors(state.resident, state.language);
        if (!state.languageReturnsToMode) state.resident.screen = ResidentScreen::Services;
        state.mode = Mode::Resident;
        state.screen = SessionScreen::InMode;
    }
    void operator()(const LeaveLanguage&) const {
        if (state.screen != SessionScreen::Language) return;
        if (state.languageReturnsToMode) {
            state.screen = SessionScreen::InMode;
            return;
        }
        if (state.staffMember) {  // a volunteer went on to help a resident, then came back
            openStaffHome();
            return;
        }
        endSession(state);
        happened.sessionEnded = true;
    }
    void operator()(const StartAgain&) const {
        if (!inSession(state) || !state.pack || state.mode != Mode::Resident) return;
        startAgain(state.resident);
        state.screen = SessionScreen::InMode;
    }
    void operator()(const ExtendTime&) const {
        state.lastActivityMillis = nowMillis;
        if (state.timeoutWarning) {
            state.timeoutWarning = false;
            state.warningSecondsLeft = 0;
            ++state.extensionsThisSession;
        }
    }
    void operator()(const ToggleHighContrast&) const {
        state.highContrast = !state.highContrast;
        if (state.highContrast && !state.usage.highContrast && inSession(state)) {
            state.usage.highContrast = true;
            count(UsageKind::HighContrastUsed);
        }
    }
    void operator()(const SetTextSize& intent) const {
        if (intent.percent == 100 || intent.percent == 150 || intent.percent == 200)
            state.textSizePercent = intent.percent;
        if (state.textSizePercent > 100 && !state.usage.largerText && inSession(state)) {
            state.usage.largerText = true;
            count(UsageKind::LargerTextUsed);
        }
    }
    void operator()(const ReadAloud&) const {
        state.speech.readAloud = true;
        happened.readPageNow = true;
        if (!state.usage.readAloud && inSession(state)) {
            state.usage.readAloud = true;
            count(UsageKind::ReadAloudUsed);
        }
    }
    void operator()(const StopReading&) const {
        state.speech.readAloud = false;
        happened.stopSpeech = true;
    }
    void operator()(const ToggleSlowSpeech&) const {
        state.speech.slow = !state.speech.slow;
        happened.speechSettingsChanged = true;
    }
    void operator()(const VolumeDown&) const { changeVolume(-kVolumeStep); }
    void operator()(const VolumeUp&) const { changeVolume(kVolumeStep); }
    void changeVolume(int step) const {
        state.speech.volumePercent = std::clamp(state.speech.volumePercent + step, kVolumeStep, 200);
        happened.speechSettingsChanged = true;
    }
    void operator()(const ToggleSpeakKeys&) const { state.speech.speakKeys = !state.speech.speakKeys; }
    void operator()(const ToggleKeyboardShift&) const { state.keyboard.shift = !state.keyboard.shift; }
    void operator()(const ToggleKeyboardOrder&) const {
        state.keyboard.alphabetical = !state.keyboard.alphabetical;
    }
    void operator()(const ToggleKeyboardNumbers&) const { state.keyboard.numbers = !state.keyboard.numbers; }
    void operator()(const ToggleKeyboardAccents&) const { state.keyboard.accents = !state.keyboard.accents; }
    void operator()(const KeyboardTyped&) const { state.keyboard.shift = false; }
    void operator()(const SetTimeLimit& intent) const {
        state.settings.timeLimitEnabled = intent.enabled;
        if (intent.enabled) state.lastActivityMillis = nowMillis;  // a full quiet time from now
    }
    void operator()(const ConnectionChanged& intent) const { state.online = intent.online; }
    void operator()(const SetOutOfOrder& intent) const {
        if (intent.outOfOrder) {
            if (state.screen != SessionScreen::OutOfOrder) {
                endSession(state);
                state.screen = SessionScreen::OutOfOrder;
                happened.sessionEnded = true;
            }
        } else if (state.screen == SessionScreen::OutOfOrder) {
            // Someone may have used Read aloud on the out-of-order page: the first resident of
            // the repaired kiosk starts from the defaults like every other.
            endSession(state);
            happened.sessionEnded = true;
        }
    }
    void operator()(const ApplyHubSettings& intent) const { applySettings(intent.settings); }
    void applySettings(const HubSettings& settings) const {
        state.settings.inactivityMillis = static_cast<std::int64_t>(settings.idleTimeoutSeconds) * 1000;
        state.settings.defaultLanguage = settings.defaultLanguage;
        state.settings.defaultTextSizePercent = settings.defaultTextSizePercent;
        state.settings.defaultHighContrast = settings.defaultHighContrast;
    }
    void openStaffHome() const {
        state.mode = Mode::Staff;
        state.screen = SessionScreen::InMode;
        openStaffEntry(state.staff, state.staffMember, false, happened.staff);
    }
    void operator()(const OpenStaffEntry&) const {
        if (state.mode == Mode::Staff && state.screen == SessionScreen::InMode) return;
        // Read aloud never announces the hidden entry: reading stops, and staff turn it on again
        // with the button if they want it.
        if (state.speech.readAloud) {
            state.speech.readAloud = false;
            happened.stopSpeech = true;
        }
        const bool overResident = state.screen == SessionScreen::InMode && state.mode == Mode::Resident;
        if (!state.staffMember && !overResident) {
            // From the attract screen: a staff session of its own, in English, at the defaults.
            endSession(state);
            state.language = kFallbackLanguage;
        }
        if (state.screen == SessionScreen::Language) state.screen = SessionScreen::InMode;
        state.mode = Mode::Staff;
        const SessionScreen before = state.screen;
        state.screen = SessionScreen::InMode;
        openStaffEntry(state.staff, state.staffMember, overResident || before == SessionScreen::InMode,
                       happened.staff);
        state.staff.returnsToResident = overResident;
    }
    void operator()(const StaffIntent& intent) const {
        const bool fromPlatform = kiosk::isPlatformIntent(intent);
        if (!fromPlatform && staffScreen(state) == std::nullopt) return;
        reduceStaff(state.staff, intent, StaffContext{state.pack, state.staffMember, nowMillis},
                    happened.staff);
        StaffOutcome& outcome = happened.staff;
        if (outcome.signedIn) {
            state.staffMember = outcome.signedIn;
            if (volunteerAssisting(state)) state.timeoutWarning = false;
        }
        if (outcome.settingsSaved) {
            applySettings(*outcome.settingsSaved);
            state.staff.settings = *outcome.settingsSaved;
        }
        if (outcome.signOut) {
            happened.signOutReason = "tapped";
            endSession(state);
            happened.sessionEnded = true;
            return;
        }
        if (outcome.backToResident) {
            if (state.staff.returnsToResident) {
                state.mode = Mode::Resident;
                state.screen = SessionScreen::InMode;
            } else if (state.staffMember) {
                state.mode = Mode::Resident;
                state.languageReturnsToMode = false;
                state.screen = SessionScreen::Language;
                count(UsageKind::SessionStarted);
            } else {
                endSession(state);
                happened.sessionEnded = true;
            }
        }
    }
    // A volunteer who stays signed in after a resident finishes: the resident's answers and
    // choices go, the volunteer is back on their own home screen.
    void finishResidentKeepVolunteer() const {
        const std::optional<StaffMember> member = state.staffMember;
        const StaffState staff = state.staff;
        endSession(state);
        state.staffMember = member;
        state.staff = staff;
        state.language = kFallbackLanguage;
        state.mode = Mode::Staff;
        state.screen = SessionScreen::InMode;
        state.staff.screen = StaffScreen::VolunteerHome;
        state.staff.returnsToResident = false;
    }
    void countResidentProgress(ResidentScreen before) const {
        const ResidentScreen now = state.resident.screen;
        if (before == ResidentScreen::ServiceStart && now != before && state.resident.form) {
            state.usage.checkAnswers = false;
            count(UsageKind::ServiceStarted, state.resident.serviceId);
        }
        if (now == ResidentScreen::CheckAnswers && !state.usage.checkAnswers) {
            state.usage.checkAnswers = true;
            count(UsageKind::CheckAnswersReached, state.resident.serviceId);
        }
        if (now == ResidentScreen::Confirmation && before != now)
            count(UsageKind::FormSent, state.resident.confirmedServiceId);
    }
    // The routing line for each mode.
    void operator()(const ResidentIntent& intent) const {
        // A resident's tap counts only on the resident's screens; the platform's reports about
        // a seal in flight always do.
        const bool fromPlatform = kiosk::isPlatformIntent(intent);
        if (!fromPlatform && residentScreen(state) == std::nullopt) return;
        const ResidentScreen before = state.resident.screen;
        reduceResident(state.resident, intent,
                       ModeContext{state.pack, state.language, state.settings.referencePrefix, nowMillis,
                                   state.settings.receiptPrinter},
                       happened.mode);
        countResidentProgress(before);
        if (fromPlatform && state.resident.screen != before) {
            state.mode = Mode::Resident;
            state.screen = SessionScreen::InMode;
        }
        if (happened.mode.leaveToLanguage) {
            state.languageReturnsToMode = false;
            state.screen = SessionScreen::Language;
        }
        if (happened.mode.sessionFinished) {
            happened.sessionEnded = true;
            if (volunteerAssisting(state) && !state.staff.signOutWhenResidentFinishes) {
                finishResidentKeepVolunteer();
                return;
            }
            happened.signOutReason = "resident_finished";
            endSession(state);
        }
    }
};

Commands commandsFor(const KioskState& state, const Happened& happened, bool pageChanged,
                     int textSizeBefore) {
    Commands commands;
    if (happened.sessionEnded || happened.mode.typedTextWiped)
        commands.emplace_back(std::in_place_type<WipeTypedText>);
    if (happened.mode.seal)
        commands.emplace_back(
            std::in_place_type<SealForm>,
            SealForm{*happened.mode.seal, volunteerAssisting(state) ? state.staffMember->staffId : ""});
    for (const StaffRequest& request : happened.staff.requests)
        commands.emplace_back(std::in_place_type<StaffRequest>, request);
    for (const CountUsage& usage : happened.usage)
        commands.emplace_back(std::in_place_type<CountUsage>, usage);
    if (happened.mode.lookUpReport)
        commands.emplace_back(std::in_place_type<LookUpReport>, LookUpReport{*happened.mode.lookUpReport});
    if (happened.mode.printReceipt)
        commands.emplace_back(std::in_place_type<PrintReceipt>, PrintReceipt{*happened.mode.printReceipt});
    if (happened.staff.settingsSaved)
        commands.emplace_back(std::in_place_type<HubSettingsSaved>,
                              HubSettingsSaved{*happened.staff.settingsSaved});
    if (state.textSizePercent != textSizeBefore)
        commands.emplace_back(std::in_place_type<RebuildFonts>, RebuildFonts{state.textSizePercent});
    if (happened.sessionEnded) {
        // The next resident starts in silence at the normal speed and volume; nothing of the
        // last session is read.
        commands.emplace_back(std::in_place_type<ResetSpeech>);
        if (pageChanged) commands.emplace_back(std::in_place_type<PageShown>, PageShown{false});
        return commands;
    }
    if (happened.stopSpeech) commands.emplace_back(std::in_place_type<StopSpeech>);
    if (happened.speechSettingsChanged)
        commands.emplace_back(std::in_place_type<ApplySpeechSettings>,
                              ApplySpeechSettings{state.speech.slow, state.speech.volumePercent});
    const bool reading = state.speech.readAloud;
    if (pageChanged) commands.emplace_back(std::in_place_type<PageShown>, PageShown{reading});
    if (happened.readPageNow) commands.emplace_back(std::in_place_type<ReadPageAfterFrame>);
    if (happened.warningShown) commands.emplace_back(std::in_place_type<WarningShown>, WarningShown{reading});
    if (happened.mode.errorsShown)
        commands.emplace_back(std::in_place_type<ErrorsShown>, ErrorsShown{reading});
    return commands;
}

}  // namespace

void endSession(KioskState& state) {
    wipeResident(state.resident);
    wipeStaff(state.staff);
    state.staffMember.reset();
    state.mode = Mode::Resident;
    state.usage = UsageMarks{};
    state.screen = SessionScreen::Attract;
    state.language = state.settings.defaultLanguage;
    state.languageReturnsToMode = false;
    state.timeoutWarning = false;
    state.warningEndsMillis = 0;
    state.warningSecondsLeft = 0;
    state.extensionsThisSession = 0;
    // Display, speech and keyboard choices belong to one resident.
    state.highContrast = state.settings.defaultHighContrast;
    state.textSizePercent = state.settings.defaultTextSizePercent;
    state.speech = SpeechChoices{};
    state.keyboard = KeyboardChoices{};
}

// ---------------------------------------------------------------------------------------------
// [SECTION] reduce
// ---------------------------------------------------------------------------------------------
Commands reduce(KioskState& state, const Intent& intent, std::int64_t nowMillis) {
    Happened happened;
    state.resident.formClock->setMillis(nowMillis);
    const std::string signatureBefore = pageSignature(state);
    const int textSizeBefore = state.textSizePercent;
    const std::optional<StaffMember> staffBefore = state.staffMember;

    applyTimeouts(state, nowMillis, happened);
    // "Start again" forgets the UI's copies of typed text even when the warning covers the button.
    if (std::holds_alternative<StartAgain>(intent)) happened.mode.typedTextWiped = true;

    // While "Do you need more time?" covers the page, only its button counts.
    const bool fromPerson = !isPlatformIntent(intent);
    const bool extends = std::holds_alternative<ExtendTime>(intent);
    if (!(state.timeoutWarning && fromPerson && !extends)) {
        if (fromPerson && !extends) state.lastActivityMillis = nowMillis;
        std::visit(RootReducer{state, nowMillis, happened}, intent);
    }

    if (!timerRuns(state)) state.timeoutWarning = false;
    // Every way a staff member stops being signed in is audited, with why.
    if (staffBefore && !state.staffMember)
        happened.staff.requests.emplace_back(
            std::in_place_type<staff_request::RecordSignOut>,
            staff_request::RecordSignOut{staffBefore->staffId, happened.signOutReason});

    bool pageChanged = false;
    if (pageSignature(state) != signatureBefore) {
        ++state.pageSerial;
        pageChanged = true;
    }
    return commandsFor(state, happened, pageChanged, textSizeBefore);
}

// ---------------------------------------------------------------------------------------------
// [SECTION] deadlines
// ---------------------------------------------------------------------------------------------
std::optional<std::int64_t> nextDeadlineMillis(const KioskState& state) {
    if (const auto idle = staffIdleDeadline(state)) return idle;
    if (!timerRuns(state)) return std::nullopt;
    if (!state.timeoutWarning) return state.lastActivityMillis + state.settings.inactivityMillis;
    if (state.warningSecondsLeft <= 1) return state.warningEndsMillis;
    // The countdown shows warningSecondsLeft until the remaining time drops to one second less.
    // Worked out from what the state shows, not from the time of asking, so the answer stays the
    // same however late (or exactly on time) the loop asks.
    return state.warningEndsMillis - static_cast<std::int64_t>(state.warningSecondsLeft - 1) * 1000;
}

}  // namespace kiosk
