// Staff mode: volunteers and admins on the kiosk itself.
//
//   hidden entry (3 s press in the top-left corner) -> ChooseName -> EnterSecret -> Checking
//     volunteer -> VolunteerHome: help a resident | RecordHelp -> HelpRecorded | LookUpReference
//     admin     -> the console: Queue, Content, Usage, Settings, Staff (-> AddStaff, ResetPin),
//                  AuditLog, Export
//
// Who is signed in spans modes (the resident's screens show "Assisted by <first name>"), so the
// root keeps it (KioskState::staff); this mode owns the staff screens, their sub-state and
// intents. Everything the screens show about accounts, the queue, usage or the audit log comes
// from the platform as a report intent (StaffListLoaded, AdminViewLoaded...) in answer to a
// StaffRequest command: the reducer never reads a database.
//
// Staff screens are in English only for now (README "Staff on the kiosk").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kiosk/content.h"
#include "kiosk/hub_settings.h"

namespace kiosk {

enum class StaffRole { Volunteer, Admin };

struct StaffMember {      // who is signed in
    std::string staffId;  // sent with assisted forms and help records, never the name
    std::string name;
    StaffRole role = StaffRole::Volunteer;
};
std::string firstName(const std::string& name);  // "Priya" of "Priya Shah", for the banner

struct StaffListEntry {  // one name on "Who are you?"
    std::string staffId;
    std::string name;
    StaffRole role = StaffRole::Volunteer;
    bool disabled = false;
    bool locked = false;
};

enum class StaffScreen {
    ChooseName,       // "Who are you?"
    EnterSecret,      // PIN pad (volunteer) or passphrase (admin)
    Checking,         // the PIN is being checked (Argon2id takes a moment)
    VolunteerHome,    // help a resident, record help, look up a reference, sign out
    RecordHelp,       // topic, minutes, outcome, language
    HelpRecorded,     // "Help recorded"
    LookUpReference,  // a reference made on this kiosk: its state, never the answers
    AdminQueue,       // connection and queue
    AdminContent,
    AdminUsage,  // charts
    AdminSettings,
    AdminStaff,
    AdminAddStaff,
    AdminResetPin,
    AdminAudit,
    AdminExport,
};
const char* staffScreenName(StaffScreen screen);  // "staff-choose-name", "admin-queue", ...
bool isAdminScreen(StaffScreen screen);

// ---- what the platform reports ----------------------------------------------------------------
enum class SignInResult { SignedIn, WrongSecret, MustWait, Locked, Disabled, Unavailable };

struct HeldBackItem {
    std::string submissionId;
    std::string reference;
    std::string serviceId;
    std::string councilMessage;
    std::int64_t createdAtMillis = 0;
};
struct QueueView {
    std::int64_t loadedAtMillis = 0;  // "now" for the ages shown
    bool syncRunning = false;
    bool online = false;
    std::int64_t lastSuccessMillis = 0;  // 0: never
    std::string lastError;               // plain words; no personal data
    int waiting = 0;
    int delivered = 0;
    int heldBack = 0;
    int deliveredOutOfBand = 0;
    // Sent again to an Open311 server that could not be asked whether the first copy arrived:
    // the council may hold these twice (docs/open311.md).
    int possibleDuplicates = 0;
    std::int64_t oldestWaitingCreatedAtMillis = 0;
    int helpSessionsWaiting = 0;
    std::vector<HeldBackItem> heldBackItems;
};
struct NamedCount {
    std::string name;
    int count = 0;
};
struct ServiceFunnel {
    std::string serviceId;
    int started = 0;
    int reachedCheckAnswers = 0;
    int sent = 0;
};
struct UsageView {
    std::vector<NamedCount> sentPerDay;  // oldest first, "2026-12-07"; every day present
    std::vector<NamedCount> sentPerService;
    std::vector<NamedCount> sentPerLanguage;
    std::vector<ServiceFunnel> funnels;
    int sent = 0;
    int sentAssisted = 0;
    int sessions = 0;
    int sessionsReadAloud = 0;
    int sessionsLargerText = 0;
    int sessionsHighContrast = 0;
    std::vector<NamedCount> helpByTopic;
};
struct AuditLine {
    std::int64_t sequence = 0;
    std::int64_t atMillis = 0;
    std::string actor;
    std::string action;
    std::string detail;
};
struct AuditView {
    std::vector<AuditLine> newest;
    bool intact = true;
    std::string verification;  // "Audit log intact: 42 entries" or which row was changed
};
struct ExportFolder {
    std::string path;
    std::string label;  // what the admin sees: the stick's name
};

// ---- staff sub-state --------------------------------------------------------------------------
struct HelpDraft {
    std::string topic;
    int minutes = 0;
    std::string outcome;   // "done", "partly_done", "referred"
    std::string language;  // "" when not given
};

struct StaffState {
    StaffScreen screen = StaffScreen::ChooseName;
    bool returnsToResident = false;  // the entry was opened over a resident's page

    // Sign-in.
    std::vector<StaffListEntry> accounts;
    bool accountsLoaded = false;
    std::string chosenStaffId;
    std::string secret;   // PIN or passphrase being typed; wiped when checked or left
    std::string message;  // why the last try failed, in plain words
    std::int64_t retryAtMillis = 0;

    // Volunteer.
    bool signOutWhenResidentFinishes = true;
    HelpDraft help;
    std::vector<std::string> helpProblems;
    std::string referenceText;
    std::string referenceAnswer;  // what the lookup found, in plain words

    // Admin.
    QueueView queue;
    UsageView usage;
    AuditView audit;
    HubSettings settings;  // being edited
    std::vector<std::string> settingsProblems;
    std::string notice;  // "Settings saved", "Export written to ..." (calm, one line)
    bool noticeIsError = false;
    std::string newStaffName;
    std::string newStaffPin;
    std::string newStaffPinAgain;
    std::string resetStaffId;
    std::vector<ExportFolder> exportFolders;
};

// ---- intents ----------------------------------------------------------------------------------
namespace staff {
struct ChooseName {
    std::string staffId;
};
struct EditSecret {
    std::string text;
};
struct PinKey {
    char digit = '0';
};  // the PIN pad's digit keys
struct PinDelete {};
struct SubmitSecret {};
struct Cancel {};  // leave sign-in: back to where the entry was opened
struct SignOut {};
struct HelpResident {};  // volunteer home: on to (or back to) the resident's journey
struct OpenVolunteerHome {};
struct OpenRecordHelp {};
struct SetHelpTopic {
    std::string topic;
};
struct SetHelpMinutes {
    int minutes = 0;
};
struct SetHelpOutcome {
    std::string outcome;
};
struct SetHelpLanguage {
    std::string language;
};
struct SaveHelp {};
struct OpenLookUp {};
struct EditReference {
    std::string text;
};
struct LookUp {};
struct ToggleSignOutWhenFinished {};
struct OpenAdminScreen {
    StaffScreen screen = StaffScreen::AdminQueue;
};
struct RetryHeldBack {
    std::string submissionId;
};
struct SyncNow {};
struct EditSettingText {
    std::string key;  // "hubName"
    std::string value;
};
struct SetSettingNumber {
    std::string key;  // "idleTimeoutSeconds", "defaultTextSizePercent", "retentionDays"
    int value = 0;
};
struct SetSettingFlag {
    std::string key;  // "defaultHighContrast"
    bool value = false;
};
struct SetDefaultLanguage {
    std::string code;
};
struct SaveSettings {};
struct EditNewStaff {
    int field = 0;  // 0 name, 1 PIN, 2 PIN again
    std::string value;
};
struct AddVolunteer {};
struct OpenResetPin {
    std::string staffId;
};
struct ResetPin {};
struct SetStaffDisabled {
    std::string staffId;
    bool disabled = true;
};
struct UnlockStaff {
    std::string staffId;
};
struct VerifyAudit {};
struct ExportTo {
    std::string folder;
};
struct ExportUsageTo {
    std::string folder;
};  // the usage figures as CSV, for a spreadsheet

// Reports from the platform.
struct StaffListLoaded {
    std::vector<StaffListEntry> accounts;
};
struct SignInChecked {
    SignInResult result = SignInResult::WrongSecret;
    std::optional<StaffMember> member;
    std::int64_t retryAtMillis = 0;
    int triesBeforeLock = 0;
};
struct AdminViewLoaded {
    std::optional<QueueView> queue;
    std::optional<UsageView> usage;
    std::optional<AuditView> audit;
    std::optional<HubSettings> settings;
    std::optional<std::vector<StaffListEntry>> accounts;
    std::optional<std::vector<ExportFolder>> exportFolders;
};
struct ActionDone {  // an admin or volunteer action finished: what to tell them
    bool ok = true;
    std::string message;
    std::vector<std::string> problems;  // settings or new-account problems, one per line
};
struct ReferenceLookedUp {
    std::string answer;
};
}  // namespace staff

using StaffIntent = std::variant<
    staff::ChooseName, staff::EditSecret, staff::PinKey, staff::PinDelete, staff::SubmitSecret, staff::Cancel,
    staff::SignOut, staff::HelpResident, staff::OpenVolunteerHome, staff::OpenRecordHelp, staff::SetHelpTopic,
    staff::SetHelpMinutes, staff::SetHelpOutcome, staff::SetHelpLanguage, staff::SaveHelp, staff::OpenLookUp,
    staff::EditReference, staff::LookUp, staff::ToggleSignOutWhenFinished, staff::OpenAdminScreen,
    staff::RetryHeldBack, staff::SyncNow, staff::EditSettingText, staff::SetSettingNumber,
    staff::SetSettingFlag, staff::SetDefaultLanguage, staff::SaveSettings, staff::EditNewStaff,
    staff::AddVolunteer, staff::OpenResetPin, staff::ResetPin, staff::SetStaffDisabled, staff::UnlockStaff,
    staff::VerifyAudit, staff::ExportTo, staff::ExportUsageTo, staff::StaffListLoaded, staff::SignInChecked,
    staff::AdminViewLoaded, staff::ActionDone, staff::ReferenceLookedUp>;

bool isPlatformIntent(const StaffIntent& intent);
void wipeStaffIntent(StaffIntent& intent);  // PINs, passphrases and references typed

// ---- what the mode asks the platform to do ----------------------------------------------------
namespace staff_request {
struct LoadAccounts {};
struct CheckSecret {
    std::string staffId;
    std::string secret;  // wiped by the executor once checked
};
struct RecordSignOut {
    std::string staffId;
    std::string reason;  // "tapped", "resident_finished", "inactivity"
};
struct RecordHelp {
    std::string volunteerId;
    HelpDraft help;
};
struct LookUpReference {
    std::string reference;
};
struct LoadAdminView {
    StaffScreen screen = StaffScreen::AdminQueue;
};
struct RetryHeldBack {
    std::string actor;
    std::string submissionId;
};
struct SyncNow {
    std::string actor;
};
struct SaveSettings {
    std::string actor;
    HubSettings settings;
};
struct AddVolunteer {
    std::string actor;
    std::string name;
    std::string pin;
};
struct ResetPin {
    std::string actor;
    std::string staffId;
    std::string pin;
};
struct SetDisabled {
    std::string actor;
    std::string staffId;
    bool disabled = true;
};
struct Unlock {
    std::string actor;
    std::string staffId;
};
struct VerifyAudit {};
struct ExportTo {
    std::string actor;
    std::string folder;
};
struct ExportUsage {
    std::string actor;
    std::string folder;
};
}  // namespace staff_request

using StaffRequest =
    std::variant<staff_request::LoadAccounts, staff_request::CheckSecret, staff_request::RecordSignOut,
                 staff_request::RecordHelp, staff_request::LookUpReference, staff_request::LoadAdminView,
                 staff_request::RetryHeldBack, staff_request::SyncNow, staff_request::SaveSettings,
                 staff_request::AddVolunteer, staff_request::ResetPin, staff_request::SetDisabled,
                 staff_request::Unlock, staff_request::VerifyAudit, staff_request::ExportTo,
                 staff_request::ExportUsage>;
void wipeStaffRequest(StaffRequest& request);

// What the root gives the staff reducer and what it asks back.
struct StaffContext {
    const ContentPack* pack = nullptr;
    const std::optional<StaffMember>& signedIn;
    std::int64_t nowMillis = 0;
};
struct StaffOutcome {
    std::vector<StaffRequest> requests;
    std::optional<StaffMember> signedIn;  // a sign-in succeeded
    bool signOut = false;                 // end the staff session (and the resident's)
    bool backToResident = false;          // leave staff screens for the resident's journey
    std::optional<HubSettings> settingsSaved;
};

void reduceStaff(StaffState& state, const StaffIntent& intent, const StaffContext& context,
                 StaffOutcome& outcome);
// Opens sign-in (no one signed in) or the signed-in person's home screen.
void openStaffEntry(StaffState& state, const std::optional<StaffMember>& signedIn, bool overResident,
                    StaffOutcome& outcome);
void wipeStaff(StaffState& state);  // everything typed or shown: end of a staff session
std::string staffPageSignature(const StaffState& state);

}  // namespace kiosk
