// KioskApp: everything the running kiosk holds, in one struct, and the steps of its loop that
// are the same windowed and headless: set-up, one frame, applying intents, sealing.
//
// Ownership: the pack outlives the state (state.pack points into it); the outbox store and the
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
#include "kiosk/platform/display.h"
#include "kiosk/platform/drag_scroll.h"
#include "kiosk/platform/keyboard_input.h"
#include "kiosk/platform/options.h"
#include "kiosk/platform/shaped_text.h"
#include "kiosk/platform/speech.h"
#include "kiosk/ui/frame_record.h"
#include "kiosk/ui/ui_context.h"
#include "store/outbox_store.h"
#include "sync/sync_worker.h"

struct ImGuiIO;
struct SDL_Texture;

namespace kiosk::platform {

struct KioskApp {
    KioskConfig config;
    const Clock* clock = nullptr;  // SystemClock windowed, VirtualClock headless
    bool headless = false;

    std::optional<ContentPack> pack;  // empty when the pack is broken: OutOfOrder
    KioskState state;

    std::unique_ptr<store::OutboxStore> outbox;     // null when the database cannot open
    std::unique_ptr<sync::SyncWorker> syncWorker;   // null when sync is off

    Display display;
    std::unique_ptr<HarfBuzzTextEngine> shaper;  // Devanagari text; null when its fonts are missing
    // Read aloud. The sink is declared first so it outlives the engine that writes to it:
    // SDL audio windowed, a memory buffer headless (scripts check what was said).
    std::unique_ptr<AudioSink> audioSink;
    std::unique_ptr<SpeechEngine> speech;
    bool readAfterFrame = false;    // read the page out once the frame showing it has been drawn
    bool volunteerAssisting = false;  // the assist flag file was there at the last look
    ui::UiContext ui;
    ui::FrameRecord record;         // what the last frame showed
    DragScroller dragScroller;
    KeyboardTapFilter keyboardTaps;
    bool backspaceHeld = false;     // an on-screen Delete is being pressed for one frame
    std::vector<Intent> intents;    // appended by screens during a frame, applied after it
    bool themeHighContrast = false; // theme currently applied
    int fontTextSize = 100;         // text size the font atlas was built for
    std::string fontDirectory;
    bool imguiStarted = false;      // context created
    bool backendsStarted = false;   // SDL platform (windowed) and SDL_Renderer backends initialised
    bool fontPixelsReleased = false;
    SDL_Texture* fontTexture = nullptr;  // the font atlas, made by the app (see createFontTexture)
    long framesDrawn = 0;
    // False: build the frame (ImGui, screens, frame record) but skip the software rasteriser.
    // Only the soak test turns it off, to run a million frames in minutes (soak_driver.h).
    bool rasterise = true;
    // Set when KIOSK_REPORT_FIRST_FRAME=1 (see main.cpp): the first presented frame prints its
    // time since this instant to stderr, for the start-up benchmark.
    std::optional<std::chrono::steady_clock::time_point> reportFirstFrameFrom;
};

// Reads the config and applies command-line overrides. Error: a sentence for stderr.
Result<KioskConfig> loadKioskConfig(const CommandLineOptions& options);

// Loads the pack (problems go to stderr), opens the outbox, sets up the state. Never fails: a
// broken pack shows OutOfOrder, a database that cannot open makes Send fail visibly.
void prepareKiosk(KioskApp& app, const Clock& clock, bool headless);

// Opens the display, starts Dear ImGui with the kiosk's fonts and theme. False with a sentence
// in `error` when the kiosk cannot show anything.
bool startInterface(KioskApp& app, const CommandLineOptions& options, std::string& error);
void stopInterface(KioskApp& app);

// Stops and joins the delivery thread, if one runs.
void stopSync(KioskApp& app);

// Hands one intent to the reducer and carries out its effects (sealing, then the seal's result).
void dispatch(KioskApp& app, const Intent& intent);

// Builds, renders and presents one frame, then applies the intents the screens emitted.
// Headless callers fill ImGui's input before calling; windowed, the SDL backend does it here and
// `adjustInput` may then correct it (touch has no hover). Returns true when any intent was
// applied (the screen may now differ: draw again).
bool drawFrame(KioskApp& app, const std::function<void(ImGuiIO&)>& adjustInput = {});

// Copies the sync thread's "reached the council" flag into state.online for the top bar. True
// when it changed, so a sleeping loop draws again. Nothing to do when sync is off.
bool refreshConnectionStatus(KioskApp& app);

// Follows `kioskctl assist on|off` (the volunteer-assisting flag file): true when it changed.
bool refreshAssistSwitch(KioskApp& app);

// Dispatches a Tick when the flow's next deadline has come: true when it did.
bool dispatchDueTicks(KioskApp& app);

}  // namespace kiosk::platform
