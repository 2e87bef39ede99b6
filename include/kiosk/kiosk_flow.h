// Kiosk flow: which screen a resident sees and what happens when they tap something.
//
// Screens are functions of a KioskState; while drawing they append Intents. After the frame the
// platform loop hands each intent to reduce(), which changes the state and returns Effects the
// platform carries out (seal a submission in the store, end the session's speech...). reduce()
// never touches SDL, ImGui, SQLite or curl, so the whole journey is unit-tested without a window.
//
// The services screen filters with searchServices() from content.h.
//
// Journey: Attract -> Language -> Services -> ServiceStart -> Question (one per page, address
// questions in stages) -> CheckAnswers -> Send -> Confirmation | SealFailed. The inactivity timer
// runs on every screen except Attract and OutOfOrder; it shows "Do you need more time?" as an
// overlay, and when the warning runs out everything typed is wiped and the kiosk returns to
// Attract in the default language.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/clock.h"
#include "kiosk/content.h"
#include "kiosk/form_session.h"

namespace kiosk {

enum class Screen {
    Attract,       // "Touch the screen to start"
    Language,      // choose a language by its own name
    Services,      // tiles and search
    ServiceStart,  // what you need, how long it takes, "Start now"
    Question,      // the current page of state.form
    CheckAnswers,  // summary list with Change links and Send
    Confirmation,  // green panel with the reference number
    SealFailed,    // the form could not be kept safely; answers are still in memory
    OutOfOrder,    // the kiosk cannot take forms (no pack, database unusable)
};

const char* screenName(Screen screen);  // "attract", "language", ... for logs and scripts

struct FlowSettings {
    std::int64_t inactivityMillis = 120'000;  // quiet time before "Do you need more time?"
    std::int64_t warningMillis = 30'000;      // countdown on the warning (WCAG 2.2.1: at least 20 s)
    bool timeLimitEnabled = true;             // off while a volunteer assists
    std::string defaultLanguage = kFallbackLanguage;  // language after each session
    int defaultTextSizePercent = 100;                 // text size each session starts with
    bool defaultHighContrast = false;                 // theme each session starts with
};

// Everything the screens draw from. Owned by the platform loop; changed only by reduce().
struct KioskState {
    const ContentPack* pack = nullptr;  // not owned; must outlive the state
    FlowSettings settings;

    Screen screen = Screen::Attract;
    std::string language = kFallbackLanguage;
    // Where ChooseLanguage and Back go from the language screen. Attract means the session has
    // just begun: choosing goes on to Services, Back returns to Attract.
    Screen languageReturnScreen = Screen::Attract;
    std::string searchText;                          // services screen search box
    std::string serviceId;                           // chosen service (ServiceStart onwards)
    std::unique_ptr<FormSession> form;               // answers in memory; nullptr when none
    // The form's clock ("today" for date questions). reduce() sets it to the nowMillis it is
    // given, so the whole flow runs on the platform's clock; a pointer so the state can move.
    std::unique_ptr<VirtualClock> formClock = std::make_unique<VirtualClock>();
    bool sealPending = false;  // Send was tapped and the store has not answered: ignore repeats

    // Confirmation: the form has been wiped, so the screen reads titles from the pack by service.
    std::string reference;            // "MK1-0A4G-7RX"
    std::string confirmedServiceId;

    // Inactivity timer.
    std::int64_t lastActivityMillis = 0;
    bool timeoutWarning = false;            // overlay shown
    std::int64_t warningEndsMillis = 0;
    int warningSecondsLeft = 0;             // whole seconds, rounded up, for the countdown text
    int extensionsThisSession = 0;

    // Display, speech and keyboard choices belong to one resident: endSession() resets them.
    bool highContrast = false;
    int textSizePercent = 100;  // 100, 150 or 200
    struct Speech {
        bool readAloud = false;  // on: each new page is read out as it appears
        bool slow = false;
        int volumePercent = 100;  // 25 to 200 in steps of 25
        bool speakKeys = false;   // say each on-screen key as it is pressed
    } speech;
    struct Keyboard {
        bool alphabetical = false;  // A to Z instead of QWERTY
        bool shift = false;         // one capital, then back to small letters
        bool numbers = false;       // the 123 page in place of letters
        bool accents = false;       // the special-letters row, for names in any language
    } keyboard;

    // Whether the sync thread last reached the council. Copied in by the platform from the sync
    // status, not by reduce(): it changes no page and belongs to no session. The top bar shows it
    // calmly for volunteers; residents are only ever told that their form is kept and will be sent.
    bool online = false;

    // Increases whenever a different page is shown (screen, question page or address stage).
    // The UI scrolls the "content" window to the top when it sees a new value.
    std::uint64_t pageSerial = 0;
};

// What screens emit. One struct with a kind and small payload keeps the reducer a single switch.
struct Intent {
    enum class Kind {
        Touched,           // any finger down or key press (platform); restarts the inactivity timer
        Tick,              // a deadline from nextDeadlineMillis() came; nothing was tapped
        Begin,             // attract screen tapped
        OpenLanguage,      // "Language" in the top bar
        ChooseLanguage,    // value: language code
        SetSearchText,     // value: the search box's text
        ChooseService,     // value: service id (a tile)
        StartForm,         // "Start now" on the service start page
        EditField,         // field: see below; value: new text
        SelectChoice,      // value: choice value for one-choice; "yes"/"no" for yes-no
        ToggleChoice,      // value: choice value for several-choices
        ChooseAddress,     // value: UPRN picked from the list
        ChooseManualAddress,  // "I cannot find my address"
        Continue,          // "Continue" and "Find address"
        Back,
        Change,            // value: page id from check answers
        Send,              // check answers "Send" and "Try again" after a failed seal
        SealSucceeded,     // platform: value = reference
        SealFailed,        // platform: the store refused (disk full, ...); value = error code, never shown
        Finish,            // confirmation "Finish"
        StartAgain,        // top bar "Start again"
        ExtendTime,        // "I need more time"
        ToggleHighContrast,
        SetTextSize,       // value: "100", "150" or "200"
        ReadAloud,         // "Read aloud" / "Read again": switch reading on and read this page now
        StopReading,       // "Stop": silence now and stop reading new pages
        ToggleSlowSpeech,
        VolumeDown,
        VolumeUp,
        ToggleSpeakKeys,
        ToggleKeyboardShift,
        ToggleKeyboardOrder,    // QWERTY <-> A to Z
        ToggleKeyboardNumbers,  // letters <-> 123
        ToggleKeyboardAccents,
        KeyboardTyped,     // platform: a letter key was used, so a one-shot shift ends
        SetOutOfOrder,     // platform: value "1" out of order, "0" working again
        SetTimeLimit,      // platform, from the admin switch: value "1" on, "0" off (volunteer assisting)
    };

    Kind kind = Kind::Touched;
    std::string field;  // EditField: "text", "day", "month", "year", "postcode", "line1", "line2",
                        // "town", "manualPostcode"
    std::string value;

    static Intent of(Kind kind, std::string value = {}) { return Intent{kind, {}, std::move(value)}; }
    static Intent edit(std::string field, std::string value) {
        return Intent{Kind::EditField, std::move(field), std::move(value)};
    }
};

// What the platform must do after an intent.
struct SealRequest {
    std::string serviceId;
    std::string formId;
    int formVersion = 1;
    std::string language;
    std::string destination;
    std::string answersJson;  // plaintext: the platform wipes it once sealed
};

struct Effects {
    std::optional<SealRequest> seal;  // seal now, then reduce SealSucceeded or SealFailed
    bool sessionEnded = false;        // stop speech, reset volume and text size, forget keyboard state
    bool pageChanged = false;         // a new page is on screen: read it aloud if reading is on
    bool readPageNow = false;         // "Read aloud" was tapped: read the page on screen
    bool stopSpeech = false;          // silence at once
    bool speechSettingsChanged = false;  // speed or volume changed: apply to the voice
    bool textSizeChanged = false;     // rebuild the fonts at the new size
    bool warningShown = false;        // "Do you need more time?" just appeared: read it if reading is on
    bool errorsShown = false;         // Continue found problems on this page: read them if reading is on
};

// Applies one intent at nowMillis. Timeouts that fell due before nowMillis are applied first, so
// an intent arriving after the warning ran out lands on a fresh Attract screen.
Effects reduce(KioskState& state, const Intent& intent, std::int64_t nowMillis);

// When the loop must next send a Tick even if nobody touches the screen: the start of the
// warning, each second of its countdown, and its end. It depends only on the state, never on the
// time of asking: once a deadline is due it stays due (asked at that very millisecond or later,
// the answer is <= now) until a Tick at or after it is reduced, which moves it on. So a loop can
// simply ask after every wake-up and send a Tick whenever the answer is <= now. nullopt: nothing
// is timed (Attract, OutOfOrder, time limit off).
std::optional<std::int64_t> nextDeadlineMillis(const KioskState& state);

// Wipes any form and returns to Attract in the default language (used on timeout and Finish).
void endSession(KioskState& state);

}  // namespace kiosk
