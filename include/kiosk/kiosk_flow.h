// Kiosk flow: which screen is showing and what happens when someone taps something.
//
// Screens are functions of a KioskState; while drawing they append Intents. After the frame the
// platform hands each intent to reduce(), which changes the state and returns Commands that the
// platform's executor carries out (seal a submission, stop speech, rebuild the fonts...).
// reduce() never touches SDL, ImGui, SQLite or curl, so every journey is unit-tested without a
// window.
//
// The root reducer owns what spans modes: the attract, language and out-of-order screens,
// session start and end, the inactivity timer, wiping, language, and display, speech and
// keyboard choices. Each mode owns its own screens, sub-state, intents and reducer
// (include/kiosk/modes/); the root routes a mode's intents to it. The resident journey is the
// first mode. To add a mode: a value in Mode, its sub-state in KioskState, its intent variant in
// Intent, and one routing line each in reduce(), screenName() and pageSignature().
//
// Inactivity: the timer runs on every screen except Attract and OutOfOrder; it shows "Do you
// need more time?" as an overlay, and when the warning runs out everything typed is wiped and
// the kiosk returns to Attract in the default language.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kiosk/content.h"
#include "kiosk/hub_settings.h"
#include "kiosk/modes/resident_mode.h"
#include "kiosk/modes/staff_mode.h"

namespace kiosk {

// The screens the root owns; InMode shows the active mode's own screen.
enum class SessionScreen {
    Attract,     // "Touch the screen to start"
    Language,    // choose a language by its own name
    OutOfOrder,  // the kiosk cannot take forms (no pack, database unusable)
    InMode,      // the active mode's screen (resident: services, questions...)
};

enum class Mode { Resident, Staff };

struct FlowSettings {
    std::int64_t inactivityMillis = 120'000;          // quiet time before "Do you need more time?"
    std::int64_t warningMillis = 30'000;              // countdown on the warning (WCAG 2.2.1: at least 20 s)
    bool timeLimitEnabled = true;                     // off while a volunteer assists
    std::string defaultLanguage = kFallbackLanguage;  // language after each session
    int defaultTextSizePercent = 100;                 // text size each session starts with
    bool defaultHighContrast = false;                 // theme each session starts with
    std::string referencePrefix = "DEV";              // this kiosk's references (config)
    bool receiptPrinter = false;                      // a printer is configured (config "printer")
    // A volunteer signed in has no resident time limit; after this long with no touch at all
    // they are signed out and everything is wiped, so an unattended kiosk never stays signed in.
    std::int64_t staffIdleMillis = 10 * 60'000;
};

// Anonymous usage the kiosk counts for the admin's charts: never who, never what was typed.
enum class UsageKind {
    SessionStarted,
    ServiceStarted,
    CheckAnswersReached,
    FormSent,
    ReadAloudUsed,
    LargerTextUsed,
    HighContrastUsed
};
// Which once-per-session or once-per-form counts were made already.
struct UsageMarks {
    bool readAloud = false;
    bool largerText = false;
    bool highContrast = false;
    bool checkAnswers = false;  // for the form in progress
};

// Display, speech and keyboard choices belong to one resident: endSession() resets them.
struct SpeechChoices {
    bool readAloud = false;  // on: each new page is read out as it appears
    bool slow = false;
    int volumePercent = 100;  // 25 to 200 in steps of 25
    bool speakKeys = false;   // say each on-screen key as it is pressed
};
struct KeyboardChoices {
    bool alphabetical = false;  // A to Z instead of QWERTY
    bool shift = false;         // one capital, then back to small letters
    bool numbers = false;       // the 123 page in place of letters
    bool accents = false;       // the special-letters row, for names in any language
};

// Everything the screens draw from. Owned by the platform; changed only by reduce().
struct KioskState {
    const ContentPack* pack = nullptr;  // not owned; must outlive the state
    FlowSettings settings;

    SessionScreen screen = SessionScreen::Attract;
    Mode mode = Mode::Resident;
    ResidentState resident;
    StaffState staff;
    std::optional<StaffMember> staffMember;  // signed in on this kiosk now
    std::string language = kFallbackLanguage;
    // Where the language screen goes on: false at the start of a session (on to the mode's first
    // screen; Back returns to Attract), true when opened from a mode's screen (back to it).
    bool languageReturnsToMode = false;

    // Inactivity timer.
    std::int64_t lastActivityMillis = 0;
    bool timeoutWarning = false;  // overlay shown
    std::int64_t warningEndsMillis = 0;
    int warningSecondsLeft = 0;  // whole seconds, rounded up, for the countdown text
    int extensionsThisSession = 0;

    bool highContrast = false;
    int textSizePercent = 100;  // 100, 150 or 200
    SpeechChoices speech;
    KeyboardChoices keyboard;
    UsageMarks usage;

    // Whether the sync thread last reached the council (ConnectionChanged). It changes no page
    // and belongs to no session. The top bar shows it calmly for volunteers; residents are only
    // ever told that their form is kept and will be sent.
    bool online = false;

    // Increases whenever a different page is shown (screen, question page or address stage).
    // The UI scrolls the "content" window to the top when it sees a new value.
    std::uint64_t pageSerial = 0;
};

// "attract", "language", "out-of-order", or the active mode's screen ("services", "question"...).
const char* screenName(const KioskState& state);
// The resident screen showing, or nullopt when the root's own screen (or another mode) shows.
std::optional<ResidentScreen> residentScreen(const KioskState& state);

// The staff screen showing, or nullopt.
std::optional<StaffScreen> staffScreen(const KioskState& state);
// True while a volunteer is signed in: every screen shows "Assisted by <first name>".
bool volunteerAssisting(const KioskState& state);

// Intents that span modes.
struct Touched {};       // any finger down or key press (platform); restarts the inactivity timer
struct Tick {};          // a deadline from nextDeadlineMillis() came; nothing was tapped
struct Begin {};         // attract screen tapped
struct OpenLanguage {};  // "Language" in the top bar
struct ChooseLanguage {
    std::string code;
};
struct LeaveLanguage {};  // Back on the language screen
struct StartAgain {};     // top bar "Start again"
struct ExtendTime {};     // "I need more time"
struct ToggleHighContrast {};
struct SetTextSize {
    int percent = 100;
};                      // 100, 150 or 200
struct ReadAloud {};    // "Read aloud" / "Read again": switch reading on and read this page now
struct StopReading {};  // "Stop": silence now and stop reading new pages
struct ToggleSlowSpeech {};
struct VolumeDown {};
struct VolumeUp {};
struct ToggleSpeakKeys {};
struct ToggleKeyboardShift {};
struct ToggleKeyboardOrder {};    // QWERTY <-> A to Z
struct ToggleKeyboardNumbers {};  // letters <-> 123
struct ToggleKeyboardAccents {};
struct KeyboardTyped {};  // platform: a letter key was used, so a one-shot shift ends
struct SetOutOfOrder {
    bool outOfOrder = true;
};  // platform
struct SetTimeLimit {
    bool enabled = true;
};  // platform: off while a volunteer assists
struct ConnectionChanged {
    bool online = false;
};                         // platform: the sync thread's status
struct OpenStaffEntry {};  // platform: a 3-second press in the top-left corner
struct ApplyHubSettings {
    HubSettings settings;
};  // platform: the settings saved on this kiosk, at start

using Intent =
    std::variant<Touched, Tick, Begin, OpenLanguage, ChooseLanguage, LeaveLanguage, StartAgain, ExtendTime,
                 ToggleHighContrast, SetTextSize, ReadAloud, StopReading, ToggleSlowSpeech, VolumeDown,
                 VolumeUp, ToggleSpeakKeys, ToggleKeyboardShift, ToggleKeyboardOrder, ToggleKeyboardNumbers,
                 ToggleKeyboardAccents, KeyboardTyped, SetOutOfOrder, SetTimeLimit, ConnectionChanged,
                 OpenStaffEntry, ApplyHubSettings, ResidentIntent, StaffIntent>;

// Wipes any text an intent carries (what a resident typed is personal data).
void wipeIntent(Intent& intent);

// Commands the executor carries out after an intent, in the order given.
struct WipeTypedText {};  // forget the UI's own copies of typed text (answers were wiped)
struct SealForm {
    SealRequest request;
    std::string volunteerId;  // the signed-in volunteer's staff id; "" when unassisted
};                            // seal now; report SealSucceeded or SealFailed back
struct RebuildFonts {
    int textSizePercent = 100;
};                      // bake the font atlas at this size before the next frame
struct ResetSpeech {};  // a new resident: silence, normal speed and volume, forget what was said
struct StopSpeech {};   // "Stop": silence at once and read nothing that was waiting
struct ApplySpeechSettings {
    bool slow = false;
    int volumePercent = 100;
};
struct PageShown {
    bool readAloud = false;
};                             // a new page: stop the old one's speech; read this one when on
struct ReadPageAfterFrame {};  // "Read aloud": read what the next frame shows
struct WarningShown {
    bool readAloud = false;
};  // "Do you need more time?" appeared: read it when on
struct ErrorsShown {
    bool readAloud = false;
};  // Continue found problems on this page: read them when on

struct CountUsage {
    UsageKind kind = UsageKind::SessionStarted;
    std::string serviceId;  // "" for session-wide counts
    std::string language;
    bool assisted = false;
};
struct HubSettingsSaved {
    HubSettings settings;
};
struct LookUpReport {
    std::string reference;
};  // "Check on something I reported": answer with resident::ReportFound  // an admin saved settings: apply
    // what the platform owns (retention)

struct PrintReceipt {
    ReceiptRequest request;
};  // print in the background; answer with resident::ReceiptPrinted or ReceiptPrintFailed

using Command = std::variant<WipeTypedText, SealForm, RebuildFonts, ResetSpeech, StopSpeech,
                             ApplySpeechSettings, PageShown, ReadPageAfterFrame, WarningShown, ErrorsShown,
                             StaffRequest, CountUsage, HubSettingsSaved, LookUpReport, PrintReceipt>;
using Commands = std::vector<Command>;

// Applies one intent at nowMillis. Timeouts that fell due before nowMillis are applied first, so
// an intent arriving after the warning ran out lands on a fresh Attract screen.
Commands reduce(KioskState& state, const Intent& intent, std::int64_t nowMillis);

// When the loop must next send a Tick even if nobody touches the screen: the start of the
// warning, each second of its countdown, and its end. It depends only on the state, never on the
// time of asking: once a deadline is due it stays due (asked at that very millisecond or later,
// the answer is <= now) until a Tick at or after it is reduced, which moves it on. So a loop can
// simply ask after every wake-up and send a Tick whenever the answer is <= now. nullopt: nothing
// is timed (Attract, OutOfOrder, time limit off).
std::optional<std::int64_t> nextDeadlineMillis(const KioskState& state);

// Wipes any form and returns to Attract in the default language (used on timeout and Finish).
void endSession(KioskState& state);

// The first command of type T in `commands`, or nullptr.
template <typename T>
const T* findCommand(const Commands& commands) {
    for (const Command& command : commands)
        if (const T* found = std::get_if<T>(&command)) return found;
    return nullptr;
}

}  // namespace kiosk
