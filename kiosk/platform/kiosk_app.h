// KioskApp: the app shell. It holds the flow's state, the services the executor drives, the
// window and the per-frame UI context, and runs the steps that are the same windowed and
// headless: set-up, one frame, dispatching intents.
//
//   intent -> reduce() (kiosk_flow.h) -> Commands -> CommandExecutor -> services
//
// Ownership: the pack outlives the state (state.pack points into it); the outbox sealer and the
// sync worker each own their own SQLite connection.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/clock.h"
#include "kiosk/config.h"
#include "kiosk/content.h"
#include "kiosk/kiosk_flow.h"
#include "kiosk/platform/command_executor.h"
#include "kiosk/platform/corner_hold.h"
#include "kiosk/platform/display.h"
#include "kiosk/platform/drag_scroll.h"
#include "kiosk/platform/font_atlas.h"
#include "kiosk/platform/keyboard_input.h"
#include "kiosk/platform/kiosk_services.h"
#include "kiosk/platform/options.h"
#include "kiosk/platform/receipt_printer.h"
#include "kiosk/platform/shaped_text.h"
#include "kiosk/platform/staff_desk.h"
#include "kiosk/ui/frame_record.h"
#include "kiosk/ui/ui_context.h"

struct ImGuiIO;

namespace kiosk::platform {

struct KioskApp {
    KioskApp() = default;
    KioskApp(const KioskApp&) = delete;
    KioskApp& operator=(const KioskApp&) = delete;

    KioskConfig config;
    const Clock* clock = nullptr;  // SystemClock windowed, VirtualClock headless
    bool headless = false;

    std::optional<ContentPack> pack;  // empty when the pack is broken: OutOfOrder
    KioskState state;

    // The services the executor drives (command_executor.h).
    std::unique_ptr<OutboxSealer> outbox;            // made by prepareKiosk
    std::unique_ptr<StaffDesk> staffDesk;            // made by prepareKiosk, after the outbox
    std::unique_ptr<ReceiptPrinter> receiptPrinter;  // made by prepareKiosk when a printer is configured
    // Where USB sticks are mounted, offered for export (--usb-root replaces them, listing every
    // folder under it, for tests and demos).
    std::vector<std::filesystem::path> usbRoots{"/media", "/run/media"};
    bool usbRootsListAll = false;
    SpeechOutput speech;
    FontAtlas fonts;
    ImGuiTypedText typedText;
    // Drives the services above (they live as long as the app; the app never moves).
    CommandExecutor executor{nullptr, &speech, &fonts, &typedText};
    bool volunteerAssisting = false;  // the assist flag file was there at the last look

    Display display;
    std::unique_ptr<HarfBuzzTextEngine> shaper;  // Devanagari text; null when its fonts are missing
    ui::UiContext ui;
    ui::FrameRecord record;  // what the last frame showed
    DragScroller dragScroller;
    CornerHold cornerHold;  // the hidden staff entry
    std::int64_t adminQueueRefreshedMillis = 0;
    KeyboardTapFilter keyboardTaps;
    bool backspaceHeld = false;      // an on-screen Delete is being pressed for one frame
    std::vector<Intent> intents;     // appended by screens during a frame, applied after it
    bool themeHighContrast = false;  // theme currently applied
    bool imguiStarted = false;       // context created
    bool backendsStarted = false;    // SDL platform (windowed) and SDL_Renderer backends initialised
    long framesDrawn = 0;
    // False: build the frame (ImGui, screens, frame record) but skip the software rasteriser.
    // Only the soak test turns it off, to run a million frames in minutes.
    bool rasterise = true;
    // Called once the first frame has been presented (the start-up benchmark's hook, set only
    // by council-kiosk-drivers: tests/drivers/bench_hooks.h).
    std::function<void()> afterFirstFrame;
};

// Reads the config and applies command-line overrides. Error: a sentence for stderr.
Result<KioskConfig> loadKioskConfig(const CommandLineOptions& options);

// Loads the pack (problems go to stderr), opens the outbox, sets up the state and the executor.
// Never fails: a broken pack shows OutOfOrder, a database that cannot open makes Send fail visibly.
void prepareKiosk(KioskApp& app, const Clock& clock, bool headless);

// Opens the display, starts Dear ImGui with the kiosk's fonts and theme. False with a sentence
// in `error` when the kiosk cannot show anything.
bool startInterface(KioskApp& app, const CommandLineOptions& options, std::string& error);
void stopInterface(KioskApp& app);

// Starts the delivery thread on `clock` (real time), and stops and joins it.
void startSync(KioskApp& app, const Clock& clock);
void stopSync(KioskApp& app);

// Hands one intent to the reducer and has the executor carry out its commands; an intent a
// command reports back (a seal's outcome) is dispatched in turn.
void dispatch(KioskApp& app, const Intent& intent);

// Builds, renders and presents one frame, then applies the intents the screens emitted.
// Headless callers fill ImGui's input before calling; windowed, the SDL backend does it here and
// `adjustInput` may then correct it (touch has no hover). Returns true when any intent was
// applied (the screen may now differ: draw again).
bool drawFrame(KioskApp& app, const std::function<void(ImGuiIO&)>& adjustInput = {});

// Reports a change in the sync thread's "reached the council" flag to the flow for the top
// bar. True when it changed, so a sleeping loop draws again. Nothing to do when sync is off.
bool refreshConnectionStatus(KioskApp& app);

// Follows `kioskctl assist on|off` (the volunteer-assisting flag file): true when it changed.
bool refreshAssistSwitch(KioskApp& app);

// Dispatches what the staff desk finished on its own thread (a PIN check): true when anything
// was. waitForChecks: first wait for a check in flight (headless runs).
bool collectStaffReports(KioskApp& app, bool waitForChecks = false);

// Dispatches the printer's answers (printed, or not working): true when there were any.
// waitForJobs: first wait for receipts in flight (headless runs).
bool collectReceiptReports(KioskApp& app, bool waitForJobs = false);
// The council's answers to "Check on something I reported" (OutboxSealer::takeStatusReports).
bool collectCouncilStatus(KioskApp& app, bool waitForLookups = false);

// While an admin looks at the queue screen, follows the sync thread's progress ("Send now"): at
// most once a second, new counts are dispatched when they changed. True when they did.
bool refreshAdminQueue(KioskApp& app);

// Dispatches a Tick when the flow's next deadline has come: true when it did.
bool dispatchDueTicks(KioskApp& app);

}  // namespace kiosk::platform
