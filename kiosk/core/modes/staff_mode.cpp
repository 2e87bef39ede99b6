// Staff mode reducer (include/kiosk/modes/staff_mode.h): sign-in, the volunteer's screens and
// the admin console.
#include "kiosk/modes/staff_mode.h"

#include <algorithm>

#include "kiosk/secure_wipe.h"

namespace kiosk {

const char* staffScreenName(StaffScreen screen) {
    switch (screen) {
        case StaffScreen::ChooseName:
            return "staff-choose-name";
        case StaffScreen::EnterSecret:
            return "staff-enter-secret";
        case StaffScreen::Checking:
            return "staff-checking";
        case StaffScreen::VolunteerHome:
            return "volunteer-home";
        case StaffScreen::RecordHelp:
            return "record-help";
        case StaffScreen::HelpRecorded:
            return "help-recorded";
        case StaffScreen::LookUpReference:
            return "look-up-reference";
        case StaffScreen::AdminQueue:
            return "admin-queue";
        case StaffScreen::AdminContent:
            return "admin-content";
        case StaffScreen::AdminUsage:
            return "admin-usage";
        case StaffScreen::AdminSettings:
            return "admin-settings";
        case StaffScreen::AdminStaff:
            return "admin-staff";
        case StaffScreen::AdminAddStaff:
            return "admin-add-staff";
        case StaffScreen::AdminResetPin:
            return "admin-reset-pin";
        case StaffScreen::AdminAudit:
            return "admin-audit";
        case StaffScreen::AdminExport:
            return "admin-export";
    }
    return "unknown";
}

bool isAdminScreen(StaffScreen screen) {
    return screen >= StaffScreen::AdminQueue;
}

std::string firstName(const std::string& name) {
    const auto start = name.find_first_not_of(' ');
    if (start == std::string::npos) return "";
    const auto end = name.find(' ', start);
    return name.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

bool isPlatformIntent(const StaffIntent& intent) {
    return std::holds_alternative<staff::StaffListLoaded>(intent) ||
           std::holds_alternative<staff::SignInChecked>(intent) ||
           std::holds_alternative<staff::AdminViewLoaded>(intent) ||
           std::holds_alternative<staff::ActionDone>(intent) ||
           std::holds_alternative<staff::ReferenceLookedUp>(intent);
}

void wipeStaffIntent(StaffIntent& intent) {
    std::visit(
        [](auto& alternative) {
            using T = std::decay_t<decltype(alternative)>;
            if constexpr (std::is_same_v<T, staff::EditSecret> || std::is_same_v<T, staff::EditReference>)
                wipeString(alternative.text);
            else if constexpr (std::is_same_v<T, staff::EditNewStaff>)
                wipeString(alternative.value);
            else if constexpr (std::is_same_v<T, staff::PinKey>)
                alternative.digit = '0';
        },
        intent);
}

void wipeStaffRequest(StaffRequest& request) {
    std::visit(
        [](auto& alternative) {
            using T = std::decay_t<decltype(alternative)>;
            if constexpr (std::is_same_v<T, staff_request::CheckSecret>)
                wipeString(alternative.secret);
            else if constexpr (std::is_same_v<T, staff_request::AddVolunteer> ||
                               std::is_same_v<T, staff_request::ResetPin>)
                wipeString(alternative.pin);
            else if constexpr (std::is_same_v<T, staff_request::LookUpReference>)
                wipeString(alternative.reference);
        },
        request);
}

namespace {

using Screen = StaffScreen;

constexpr std::size_t kMaxPinDigits = 8;

const StaffListEntry* findAccount(const StaffState& state, const std::string& staffId) {
    for (const auto& account : state.accounts)
        if (account.staffId == staffId) return &account;
    return nullptr;
}

void wipeSecrets(StaffState& state) {
    wipeString(state.secret);
    wipeString(state.newStaffPin);
    wipeString(state.newStaffPinAgain);
}

void clearNotice(StaffState& state) {
    state.notice.clear();
    state.noticeIsError = false;
}

std::string minutesText(std::int64_t millis) {
    if (millis < 60'000) {
        const std::int64_t seconds = std::max<std::int64_t>(1, (millis + 999) / 1000);
        return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
    }
    const std::int64_t minutes = (millis + 59'999) / 60'000;
    return std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
}

std::string signInMessage(const staff::SignInChecked& checked, std::int64_t nowMillis) {
    switch (checked.result) {
        case SignInResult::SignedIn:
            return "";
        case SignInResult::WrongSecret:
            if (checked.triesBeforeLock <= 0)
                return "That is not right. The account is now locked: ask an admin.";
            if (checked.retryAtMillis > nowMillis)
                return "That is not right. You can try again in " +
                       minutesText(checked.retryAtMillis - nowMillis) + ".";
            return "That is not right. Check it and try again.";
        case SignInResult::MustWait:
            return "Too many tries. You can try again in " + minutesText(checked.retryAtMillis - nowMillis) +
                   ".";
        case SignInResult::Locked:
            return "This account is locked after too many tries. Ask an admin to unlock it.";
        case SignInResult::Disabled:
            return "This account has been switched off. Ask an admin.";
        case SignInResult::Unavailable:
            return "Signing in is not working on this kiosk at the moment. Ask an admin.";
    }
    return "";
}

std::vector<std::string> helpProblems(const HelpDraft& help) {
    std::vector<std::string> problems;
    if (help.topic.empty()) problems.emplace_back("Choose what you helped with");
    if (help.minutes <= 0) problems.emplace_back("Choose how long it took");
    if (help.outcome.empty()) problems.emplace_back("Choose how it went");
    return problems;
}

bool allDigits(const std::string& text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Checks a new volunteer PIN before it goes to the store, which checks again.
std::vector<std::string> newPinProblems(const std::string& pin, const std::string& again) {
    std::vector<std::string> problems;
    if (pin.size() < 4 || pin.size() > kMaxPinDigits || !allDigits(pin))
        problems.emplace_back("The PIN must be 4 to 8 numbers");
    else if (pin != again)
        problems.emplace_back("The two PINs are not the same");
    return problems;
}

struct StaffReducer {
    StaffState& state;
    const StaffContext& context;
    StaffOutcome& outcome;

    const std::string actor() const { return context.signedIn ? context.signedIn->staffId : std::string(); }
    bool admin() const { return context.signedIn && context.signedIn->role == StaffRole::Admin; }
    bool volunteer() const { return context.signedIn.has_value(); }

    void request(StaffRequest request) const { outcome.requests.push_back(std::move(request)); }
    void openAdmin(Screen screen) const {
        if (!admin()) return;
        state.screen = screen;
        clearNotice(state);
        state.settingsProblems.clear();
        request(staff_request::LoadAdminView{screen});
    }

    // ---- sign-in
    void operator()(const staff::ChooseName& intent) const {
        if (state.screen != Screen::ChooseName) return;
        const StaffListEntry* account = findAccount(state, intent.staffId);
        if (!account || account->disabled) return;
        state.chosenStaffId = intent.staffId;
        wipeString(state.secret);
        state.message =
            account->locked ? "This account is locked after too many tries. Ask an admin to unlock it." : "";
        state.screen = Screen::EnterSecret;
    }
    bool choosingPin() const {
        const StaffListEntry* account = findAccount(state, state.chosenStaffId);
        return account && account->role == StaffRole::Volunteer;
    }
    void operator()(const staff::EditSecret& intent) const {
        if (state.screen != Screen::EnterSecret) return;
        wipeString(state.secret);
        state.secret = intent.text;  // whole: cutting it asserts in Dear ImGui 1.86
    }
    void operator()(const staff::PinKey& intent) const {
        if (state.screen != Screen::EnterSecret || intent.digit < '0' || intent.digit > '9') return;
        if (state.secret.size() < kMaxPinDigits) state.secret.push_back(intent.digit);
    }
    void operator()(const staff::PinDelete&) const {
        if (state.screen == Screen::EnterSecret && !state.secret.empty()) {
            state.secret.back() = '\0';
            state.secret.pop_back();
        }
    }
    void operator()(const staff::SubmitSecret&) const {
        if (state.screen != Screen::EnterSecret) return;
        if (state.secret.empty()) {
            state.message = choosingPin() ? "Enter your PIN" : "Enter your passphrase";
            return;
        }
        request(staff_request::CheckSecret{state.chosenStaffId, state.secret});
        wipeString(state.secret);
        state.message.clear();
        state.screen = Screen::Checking;
    }
    void operator()(const staff::Cancel&) const {
        if (volunteer()) return;
        wipeSecrets(state);
        state.message.clear();
        if (state.screen == Screen::EnterSecret) {
            state.screen = Screen::ChooseName;
            return;
        }
        outcome.backToResident = true;
    }
    void operator()(const staff::StaffListLoaded& intent) const {
        state.accounts = intent.accounts;
        state.accountsLoaded = true;
    }
    void operator()(const staff::SignInChecked& intent) const {
        if (state.screen != Screen::Checking) return;
        if (intent.result == SignInResult::SignedIn && intent.member) {
            outcome.signedIn = intent.member;
            state.message.clear();
            if (intent.member->role == StaffRole::Admin) {
                state.screen = Screen::AdminQueue;
                request(staff_request::LoadAdminView{Screen::AdminQueue});
            } else {
                state.screen = Screen::VolunteerHome;
            }
            return;
        }
        state.message = signInMessage(intent, context.nowMillis);
        state.retryAtMillis = intent.retryAtMillis;
        // Reload the names: this account may now show as locked.
        if (intent.result == SignInResult::Locked || intent.triesBeforeLock <= 0)
            request(staff_request::LoadAccounts{});
        state.screen = Screen::EnterSecret;
    }
    void operator()(const staff::SignOut&) const {
        if (!volunteer()) return;
        outcome.signOut = true;
    }

    // ---- volunteer
    void operator()(const staff::HelpResident&) const {
        if (volunteer()) outcome.backToResident = true;
    }
    void operator()(const staff::OpenVolunteerHome&) const {
        if (!volunteer() || admin()) return;
        state.screen = Screen::VolunteerHome;
    }
    void operator()(const staff::OpenRecordHelp&) const {
        if (!volunteer() || admin()) return;
        state.help = HelpDraft{};
        state.helpProblems.clear();
        state.screen = Screen::RecordHelp;
    }
    void operator()(const staff::SetHelpTopic& intent) const {
        if (state.screen == Screen::RecordHelp) state.help.topic = intent.topic;
    }
    void operator()(const staff::SetHelpMinutes& intent) const {
        if (state.screen == Screen::RecordHelp && intent.minutes > 0 && intent.minutes <= 480)
            state.help.minutes = intent.minutes;
    }
    void operator()(const staff::SetHelpOutcome& intent) const {
        if (state.screen == Screen::RecordHelp) state.help.outcome = intent.outcome;
    }
    void operator()(const staff::SetHelpLanguage& intent) const {
        if (state.screen == Screen::RecordHelp) state.help.language = intent.language;
    }
    void operator()(const staff::SaveHelp&) const {
        if (state.screen != Screen::RecordHelp || !volunteer()) return;
        state.helpProblems = helpProblems(state.help);
        if (!state.helpProblems.empty()) return;
        request(staff_request::RecordHelp{actor(), state.help});
    }
    void operator()(const staff::OpenLookUp&) const {
        if (!volunteer() || admin()) return;
        wipeString(state.referenceText);
        state.referenceAnswer.clear();
        state.screen = Screen::LookUpReference;
    }
    void operator()(const staff::EditReference& intent) const {
        if (state.screen != Screen::LookUpReference) return;
        wipeString(state.referenceText);
        state.referenceText = intent.text;  // whole: cutting it asserts in Dear ImGui 1.86
        state.referenceAnswer.clear();
    }
    void operator()(const staff::LookUp&) const {
        if (state.screen != Screen::LookUpReference) return;
        if (state.referenceText.empty()) {
            state.referenceAnswer = "Enter a reference number, like the one on the resident's confirmation.";
            return;
        }
        request(staff_request::LookUpReference{state.referenceText});
    }
    void operator()(const staff::ReferenceLookedUp& intent) const {
        if (state.screen == Screen::LookUpReference) state.referenceAnswer = intent.answer;
    }
    void operator()(const staff::ToggleSignOutWhenFinished&) const {
        if (volunteer()) state.signOutWhenResidentFinishes = !state.signOutWhenResidentFinishes;
    }

    // ---- admin
    void operator()(const staff::OpenAdminScreen& intent) const {
        if (isAdminScreen(intent.screen)) openAdmin(intent.screen);
    }
    void operator()(const staff::RetryHeldBack& intent) const {
        if (state.screen == Screen::AdminQueue && admin())
            request(staff_request::RetryHeldBack{actor(), intent.submissionId});
    }
    void operator()(const staff::SyncNow&) const {
        if (state.screen == Screen::AdminQueue && admin()) request(staff_request::SyncNow{actor()});
    }
    void operator()(const staff::EditSettingText& intent) const {
        if (state.screen != Screen::AdminSettings) return;
        if (intent.key == "hubName")
            state.settings.hubName = intent.value;  // whole: cutting it asserts in Dear ImGui 1.86
    }
    void operator()(const staff::SetSettingNumber& intent) const {
        if (state.screen != Screen::AdminSettings) return;
        if (intent.key == "idleTimeoutSeconds") state.settings.idleTimeoutSeconds = intent.value;
        if (intent.key == "defaultTextSizePercent") state.settings.defaultTextSizePercent = intent.value;
        if (intent.key == "retentionDays") state.settings.retentionDays = intent.value;
    }
    void operator()(const staff::SetSettingFlag& intent) const {
        if (state.screen == Screen::AdminSettings && intent.key == "defaultHighContrast")
            state.settings.defaultHighContrast = intent.value;
    }
    void operator()(const staff::SetDefaultLanguage& intent) const {
        if (state.screen == Screen::AdminSettings) state.settings.defaultLanguage = intent.code;
    }
    void operator()(const staff::SaveSettings&) const {
        if (state.screen != Screen::AdminSettings || !admin()) return;
        clearNotice(state);
        request(staff_request::SaveSettings{actor(), state.settings});
    }
    void operator()(const staff::EditNewStaff& intent) const {
        if (state.screen != Screen::AdminAddStaff && state.screen != Screen::AdminResetPin) return;
        std::string* field = intent.field == 0   ? &state.newStaffName
                             : intent.field == 1 ? &state.newStaffPin
                                                 : &state.newStaffPinAgain;
        wipeString(*field);
        *field = intent.value;  // whole: cutting it asserts in Dear ImGui 1.86
    }
    void operator()(const staff::AddVolunteer&) const {
        if (state.screen != Screen::AdminAddStaff || !admin()) return;
        state.settingsProblems = newPinProblems(state.newStaffPin, state.newStaffPinAgain);
        if (state.newStaffName.find_first_not_of(' ') == std::string::npos)
            state.settingsProblems.insert(state.settingsProblems.begin(), "Enter the volunteer's name");
        if (!state.settingsProblems.empty()) return;
        request(staff_request::AddVolunteer{actor(), state.newStaffName, state.newStaffPin});
        wipeSecrets(state);
    }
    void operator()(const staff::OpenResetPin& intent) const {
        if (state.screen != Screen::AdminStaff || !admin() || !findAccount(state, intent.staffId)) return;
        state.resetStaffId = intent.staffId;
        wipeSecrets(state);
        state.settingsProblems.clear();
        clearNotice(state);
        state.screen = Screen::AdminResetPin;
    }
    void operator()(const staff::ResetPin&) const {
        if (state.screen != Screen::AdminResetPin || !admin()) return;
        state.settingsProblems = newPinProblems(state.newStaffPin, state.newStaffPinAgain);
        if (!state.settingsProblems.empty()) return;
        request(staff_request::ResetPin{actor(), state.resetStaffId, state.newStaffPin});
        wipeSecrets(state);
    }
    void operator()(const staff::SetStaffDisabled& intent) const {
        if (state.screen == Screen::AdminStaff && admin() && intent.staffId != actor())
            request(staff_request::SetDisabled{actor(), intent.staffId, intent.disabled});
    }
    void operator()(const staff::UnlockStaff& intent) const {
        if (state.screen == Screen::AdminStaff && admin())
            request(staff_request::Unlock{actor(), intent.staffId});
    }
    void operator()(const staff::VerifyAudit&) const {
        if (state.screen == Screen::AdminAudit && admin()) request(staff_request::VerifyAudit{});
    }
    void operator()(const staff::ExportTo& intent) const {
        if (state.screen == Screen::AdminExport && admin()) {
            clearNotice(state);
            request(staff_request::ExportTo{actor(), intent.folder});
        }
    }
    void operator()(const staff::ExportUsageTo& intent) const {
        if (state.screen == Screen::AdminExport && admin()) {
            clearNotice(state);
            request(staff_request::ExportUsage{actor(), intent.folder});
        }
    }
    void operator()(const staff::AdminViewLoaded& intent) const {
        if (intent.queue) state.queue = *intent.queue;
        if (intent.usage) state.usage = *intent.usage;
        if (intent.audit) state.audit = *intent.audit;
        if (intent.settings) state.settings = *intent.settings;
        if (intent.accounts) state.accounts = *intent.accounts;
        if (intent.exportFolders) state.exportFolders = *intent.exportFolders;
    }
    void operator()(const staff::ActionDone& intent) const {
        if (!volunteer()) return;
        state.notice = intent.message;
        state.noticeIsError = !intent.ok;
        if (state.screen == Screen::RecordHelp) {
            if (intent.ok) {
                state.screen = Screen::HelpRecorded;
                state.help = HelpDraft{};
            } else {
                state.helpProblems = {intent.message};
            }
            return;
        }
        if (state.screen == Screen::AdminSettings) {
            state.settingsProblems = intent.problems;
            if (intent.ok) outcome.settingsSaved = state.settings;
            return;
        }
        if (state.screen == Screen::AdminAddStaff || state.screen == Screen::AdminResetPin) {
            state.settingsProblems = intent.problems;
            if (!intent.ok) return;
            state.newStaffName.clear();
            state.screen = Screen::AdminStaff;
        }
        // The figures on screen changed: read them again.
        if (isAdminScreen(state.screen)) request(staff_request::LoadAdminView{state.screen});
    }
};

}  // namespace

void reduceStaff(StaffState& state, const StaffIntent& intent, const StaffContext& context,
                 StaffOutcome& outcome) {
    if (const auto* open = std::get_if<staff::OpenAdminScreen>(&intent);
        open && open->screen == Screen::AdminAddStaff) {
        if (!context.signedIn || context.signedIn->role != StaffRole::Admin) return;
        state.newStaffName.clear();
        wipeSecrets(state);
        state.settingsProblems.clear();
        clearNotice(state);
        state.screen = Screen::AdminAddStaff;
        return;
    }
    std::visit(StaffReducer{state, context, outcome}, intent);
}

void openStaffEntry(StaffState& state, const std::optional<StaffMember>& signedIn, bool overResident,
                    StaffOutcome& outcome) {
    state.returnsToResident = overResident;
    clearNotice(state);
    if (!signedIn) {
        wipeSecrets(state);
        state.message.clear();
        state.chosenStaffId.clear();
        state.accountsLoaded = false;
        state.screen = Screen::ChooseName;
        outcome.requests.emplace_back(std::in_place_type<staff_request::LoadAccounts>);
        return;
    }
    if (signedIn->role == StaffRole::Admin) {
        state.screen = Screen::AdminQueue;
        outcome.requests.emplace_back(std::in_place_type<staff_request::LoadAdminView>,
                                      staff_request::LoadAdminView{Screen::AdminQueue});
    } else {
        state.screen = Screen::VolunteerHome;
    }
}

void wipeStaff(StaffState& state) {
    wipeSecrets(state);
    wipeString(state.referenceText);
    const bool signOutSetting = true;  // a new volunteer starts with the default
    state = StaffState{};
    state.signOutWhenResidentFinishes = signOutSetting;
}

std::string staffPageSignature(const StaffState& state) {
    std::string signature = staffScreenName(state.screen);
    if (state.screen == Screen::EnterSecret) signature += ":" + state.chosenStaffId;
    return signature;
}

}  // namespace kiosk
