// The app shell (kiosk_app.h): set-up, the frame, and dispatching intents, shared by the
// windowed loop and the headless script runner.
#include "kiosk/platform/kiosk_app.h"

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>
#include <imgui_internal.h>
#include <malloc.h>

#include <cfloat>
#include <cstddef>
#include <cstdio>
#include <system_error>
#include <vector>

#include "kiosk/platform/fonts.h"
#include "kiosk/platform/software_draw.h"
#include "kiosk/platform/text_state_wipe.h"
#include "kiosk/secure_wipe.h"
#include "kiosk/ui/kiosk_ui.h"
#include "kiosk/ui/read_aloud.h"
#include "kiosk/ui/screens/screens.h"
#include "kiosk/ui/string_keys.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::platform {
namespace {

constexpr int kLargeAllocationBytes = 256 * 1024;

// A 23.8-inch 1920x1080 panel, the common hub kiosk size: 2202.9 px across a 23.8" diagonal.
constexpr double kAssumedPanelDpi = 92.56;

double chooseDpi(const KioskApp& app, const CommandLineOptions& options) {
    if (options.dpi) return *options.dpi;
    if (app.config.display.dpiOverride > 0) return app.config.display.dpiOverride;
    // Headless runs must not depend on the machine they run on; X servers without a real
    // monitor report made-up DPIs, so implausible values fall back to the assumed panel too.
    const double reported = app.display.panelDpi;
    if (app.headless || reported < 50 || reported > 400) return kAssumedPanelDpi;
    return reported;
}

void printPackProblems(const std::filesystem::path& directory, const std::vector<PackProblem>& problems) {
    std::fprintf(stderr, "council-kiosk: the content pack in %s cannot be used (%zu problem%s):\n",
                 directory.c_str(), problems.size(), problems.size() == 1 ? "" : "s");
    for (const auto& problem : problems) std::fprintf(stderr, "  %s\n", describe(problem).c_str());
    std::fprintf(stderr,
                 "council-kiosk: showing the out-of-order screen until a working pack is installed.\n");
}

}  // namespace

Result<KioskConfig> loadKioskConfig(const CommandLineOptions& options) {
    auto loaded = loadConfig(options.configFile);
    if (!loaded) return loaded;
    KioskConfig& config = loaded.value();
    if (options.packDirectory) config.packDirectory = *options.packDirectory;
    if (options.dataDirectory) config.dataDirectory = *options.dataDirectory;
    if (options.fullscreen) config.display.fullscreen = true;
    if (options.dpi) config.display.dpiOverride = *options.dpi;
    if (config.dataDirectory.empty())
        return Error{ErrorCode::ConfigInvalid,
                     "The configuration gives no dataDirectory; set it or pass --data-dir."};
    return loaded;
}

void prepareKiosk(KioskApp& app, const Clock& clock, bool headless) {
    app.clock = &clock;
    app.headless = headless;

    auto loaded = loadContentPack(app.config.packDirectory);
    if (loaded.problems.empty() && loaded.pack) {
        app.pack = std::move(loaded.pack);
    } else {
        if (loaded.problems.empty())
            loaded.problems.push_back({"manifest.json", "", "The pack could not be read."});
        printPackProblems(app.config.packDirectory, loaded.problems);
    }
    app.outbox = std::make_unique<OutboxSealer>(app.config, clock);
    app.outbox->open();
    app.executor.setSealer(app.outbox.get());
    app.outbox->setPack(app.pack ? &*app.pack : nullptr);

    app.state.pack = app.pack ? &*app.pack : nullptr;
    app.state.settings.inactivityMillis =
        static_cast<std::int64_t>(app.config.session.inactivitySeconds) * 1000;
    app.state.settings.warningMillis = static_cast<std::int64_t>(app.config.session.warningSeconds) * 1000;
    app.state.settings.timeLimitEnabled = app.config.session.timeLimitEnabled;
    app.state.settings.referencePrefix = app.config.referencePrefix;
    app.state.lastActivityMillis = clock.nowMillis();

    app.staffDesk =
        std::make_unique<StaffDesk>(app.config, clock, app.outbox.get(), app.usbRoots, app.usbRootsListAll);
    std::vector<std::string> languages;
    if (app.pack)
        for (const Language& language : app.pack->languages) languages.push_back(language.code);
    app.staffDesk->setLanguages(languages);
    const HubSettings settings = app.staffDesk->open();
    // The saved retention reaches the purge job, which starts with the sync thread after this.
    app.config.retention.deliveredPayloadDays = settings.retentionDays;
    app.executor.setStaff(app.staffDesk.get());
    if (!app.config.printer.name.empty()) {
        app.receiptPrinter = std::make_unique<ReceiptPrinter>(app.config.printer, kDefaultFontDirectory);
        app.state.settings.receiptPrinter = true;
    }
    app.executor.setReceiptPrinting(app.state.pack, app.receiptPrinter.get());
    dispatch(app, Intent{ApplyHubSettings{settings}});
    endSession(app.state);  // the first session starts from the saved defaults too
    if (!app.state.pack) dispatch(app, Intent{SetOutOfOrder{true}});
}

bool startInterface(KioskApp& app, const CommandLineOptions& options, std::string& error) {
    DisplayRequest request;
    request.headless = app.headless;
    request.fullscreen = app.config.display.fullscreen;
    request.width = app.headless ? options.headlessWidth : app.config.display.width;
    request.height = app.headless ? options.headlessHeight : app.config.display.height;
    request.renderer = options.renderer;
    if (!openDisplay(request, app.display, error)) return false;

    const double dpi = chooseDpi(app, options);
    app.ui.pixelsPerMm = static_cast<float>(dpi / 25.4);
    int width = 0, height = 0;
    displayOutputSize(app.display, width, height);
    app.ui.screenWidth = static_cast<float>(width);
    app.ui.screenHeight = static_cast<float>(height);
    app.ui.record = &app.record;
    // A finger wobbles; 3 mm of travel before a press becomes a scroll keeps taps reliable.
    app.dragScroller.thresholdPixels = app.ui.mm(3.0f);
    app.cornerHold.cornerPixels = app.ui.mm(15.0f);

    // A kiosk runs all day. glibc raises its mmap threshold whenever a large block is freed, so
    // after one resident's 200 % font atlas the next atlases came from the heap and its high-water
    // mark stayed: in a soak, PSS on the attract screen settled at 71 MB instead of 44-58 MB. A
    // fixed threshold keeps large buffers in mappings of their own, given back whole when freed;
    // the price is page faults on the next text-size change, a few milliseconds.
    mallopt(M_MMAP_THRESHOLD, kLargeAllocationBytes);
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    app.imguiStarted = true;
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // nothing about a session may persist, not even window positions
    io.LogFilename = nullptr;
    // A steady caret: it never disappears for a third of the time in front of someone looking for
    // it, it does not flicker, and an idle page with a box in focus costs no redraws at all.
    io.ConfigInputTextCursorBlink = false;
    app.fonts.directory = options.fontDirectory.value_or(kDefaultFontDirectory);
    if (!loadKioskFonts(app.fonts.directory, app.ui.pixelsPerMm, app.ui.fonts, error)) return false;
    // Without the Devanagari fonts the kiosk still serves every other language; Nepali text
    // would then draw as boxes, so say so loudly for whoever installs it.
    auto shaped = HarfBuzzTextEngine::create(app.fonts.directory, app.display.renderer);
    if (!shaped.engine) std::fprintf(stderr, "council-kiosk: %s\n", shaped.error.c_str());
    app.shaper = std::move(shaped.engine);
    app.ui.shaper = app.shaper.get();
    if (app.headless)
        app.speech.sink = std::make_unique<BufferAudioSink>();
    else
        app.speech.sink = std::make_unique<SdlAudioSink>();

    if (app.display.window) {
        ImGui_ImplSDL2_InitForSDLRenderer(app.display.window);
    } else {
        // Headless: no platform backend; the script runner sets input itself. Key codes follow
        // the SDL backend's (scancodes) so `key Backspace` means the same in both modes.
        io.KeyMap[ImGuiKey_Tab] = SDL_SCANCODE_TAB;
        io.KeyMap[ImGuiKey_LeftArrow] = SDL_SCANCODE_LEFT;
        io.KeyMap[ImGuiKey_RightArrow] = SDL_SCANCODE_RIGHT;
        io.KeyMap[ImGuiKey_UpArrow] = SDL_SCANCODE_UP;
        io.KeyMap[ImGuiKey_DownArrow] = SDL_SCANCODE_DOWN;
        io.KeyMap[ImGuiKey_Home] = SDL_SCANCODE_HOME;
        io.KeyMap[ImGuiKey_End] = SDL_SCANCODE_END;
        io.KeyMap[ImGuiKey_Delete] = SDL_SCANCODE_DELETE;
        io.KeyMap[ImGuiKey_Backspace] = SDL_SCANCODE_BACKSPACE;
        io.KeyMap[ImGuiKey_Space] = SDL_SCANCODE_SPACE;
        io.KeyMap[ImGuiKey_Enter] = SDL_SCANCODE_RETURN;
        io.KeyMap[ImGuiKey_Escape] = SDL_SCANCODE_ESCAPE;
        io.DisplaySize = ImVec2(app.ui.screenWidth, app.ui.screenHeight);
    }
    ImGui_ImplSDLRenderer_Init(app.display.renderer);
    app.backendsStarted = true;
    app.fonts.createTexture(app.display);
    // A session may start at a larger size (--text-size): the first frame bakes it.
    app.fonts.wantTextSize(app.state.textSizePercent);

    app.themeHighContrast = app.state.highContrast;
    ui::applyKioskTheme(app.themeHighContrast, app.ui);
    std::fprintf(stderr, "council-kiosk: %dx%d, %.1f dpi, renderer %s\n", width, height, dpi,
                 app.display.rendererName.c_str());
    return true;
}

void stopInterface(KioskApp& app) {
    if (app.backendsStarted) {
        app.fonts.destroyTexture();
        ImGui_ImplSDLRenderer_Shutdown();
        if (app.display.window) ImGui_ImplSDL2_Shutdown();
        app.backendsStarted = false;
    }
    if (app.imguiStarted) {
        ImGui::DestroyContext();
        app.imguiStarted = false;
    }
    app.ui.shaper = nullptr;
    app.shaper.reset();  // its glyph textures belong to the renderer: free them first
    app.speech.engine.reset();
    app.speech.sink.reset();
    closeDisplay(app.display);
}

void startSync(KioskApp& app, const Clock& clock) {
    if (app.outbox) app.outbox->startSync(clock);
}

void stopSync(KioskApp& app) {
    if (app.outbox) app.outbox->stopSync();
}

void dispatch(KioskApp& app, const Intent& intent) {
    Commands commands = reduce(app.state, intent, app.clock->nowMillis());
    app.executor.execute(commands, [&app](const Intent& reported) { dispatch(app, reported); });
}

bool refreshConnectionStatus(KioskApp& app) {
    if (!app.outbox || !app.outbox->syncRunning()) return false;
    const bool online = app.outbox->syncStatus().online;
    if (online == app.state.online) return false;
    dispatch(app, Intent{ConnectionChanged{online}});
    return true;
}

bool refreshAssistSwitch(KioskApp& app) {
    std::error_code ignored;
    const bool assisting = std::filesystem::exists(volunteerAssistingFlag(app.config), ignored);
    if (assisting == app.volunteerAssisting) return false;
    app.volunteerAssisting = assisting;
    if (app.outbox) app.outbox->volunteerAssisting = assisting;
    if (app.staffDesk) app.staffDesk->volunteerAssistingFlag = assisting;
    // With nobody assisting, the configured limit applies again (it may be off for this kiosk).
    const bool limit = !assisting && app.config.session.timeLimitEnabled;
    dispatch(app, Intent{SetTimeLimit{limit}});
    return true;
}

bool refreshAdminQueue(KioskApp& app) {
    if (!app.staffDesk || staffScreen(app.state) != StaffScreen::AdminQueue) return false;
    const std::int64_t now = app.clock->nowMillis();
    if (now - app.adminQueueRefreshedMillis < 1000) return false;
    app.adminQueueRefreshedMillis = now;
    QueueView fresh = app.staffDesk->queueView();
    const QueueView& shown = app.state.staff.queue;
    if (fresh.waiting == shown.waiting && fresh.delivered == shown.delivered &&
        fresh.heldBack == shown.heldBack && fresh.online == shown.online &&
        fresh.lastError == shown.lastError && fresh.helpSessionsWaiting == shown.helpSessionsWaiting)
        return false;
    staff::AdminViewLoaded loaded;
    loaded.queue = std::move(fresh);
    dispatch(app, Intent{StaffIntent{std::move(loaded)}});
    return true;
}

bool collectStaffReports(KioskApp& app, bool waitForChecks) {
    if (!app.staffDesk) return false;
    const std::vector<Intent> reports = app.staffDesk->takeReports(waitForChecks);
    for (const Intent& report : reports) dispatch(app, report);
    return !reports.empty();
}

bool collectReceiptReports(KioskApp& app, bool waitForJobs) {
    if (!app.receiptPrinter) return false;
    const std::vector<Intent> reports = app.receiptPrinter->takeReports(waitForJobs);
    for (const Intent& report : reports) dispatch(app, report);
    return !reports.empty();
}

bool collectCouncilStatus(KioskApp& app, bool waitForLookups) {
    if (!app.outbox) return false;
    const std::vector<Intent> reports = app.outbox->takeStatusReports(waitForLookups);
    for (const Intent& report : reports) dispatch(app, report);
    return !reports.empty();
}

bool dispatchDueTicks(KioskApp& app) {
    const auto deadline = nextDeadlineMillis(app.state);
    if (!deadline || *deadline > app.clock->nowMillis()) return false;
    dispatch(app, Intent{Tick{}});
    return true;
}

namespace {

// Types an on-screen key into the text box being edited, as a physical key would arrive.
void useKeyboardKey(KioskApp& app, ImGuiIO& io, const std::string& value) {
    const KeyboardLayout layout = ui::keyboardLayoutFor(app.state, app.ui.keyboardMode);
    const Key* key = findKey(layout, value);
    if (!key) return;
    switch (key->action) {
        case KeyAction::Type:
            io.AddInputCharactersUTF8(key->text.c_str());
            if (app.state.keyboard.shift) dispatch(app, Intent{KeyboardTyped{}});
            break;
        case KeyAction::Space:
            io.AddInputCharacter(' ');
            break;
        case KeyAction::Delete:
            // Held for exactly one frame: ImGui deletes one character, as for a short key press.
            io.KeysDown[SDL_SCANCODE_BACKSPACE] = true;
            app.backspaceHeld = true;
            break;
        case KeyAction::Done:
            ImGui::ClearActiveID();
            break;
        case KeyAction::Shift:
            dispatch(app, Intent{ToggleKeyboardShift{}});
            break;
        case KeyAction::ToggleOrder:
            dispatch(app, Intent{ToggleKeyboardOrder{}});
            break;
        case KeyAction::ToggleNumbers:
            dispatch(app, Intent{ToggleKeyboardNumbers{}});
            break;
        case KeyAction::ToggleAccents:
            dispatch(app, Intent{ToggleKeyboardAccents{}});
            break;
        case KeyAction::Blank:
            break;
    }
    if (app.speech.engine && app.state.speech.speakKeys) {
        ui::Utterance echo;
        echo.text = key->labelKey.empty() ? key->label : ui::tr(app.state, key->labelKey.c_str());
        if (key->action == KeyAction::Space) echo.text = ui::tr(app.state, ui::keys::kKeyboardSpace);
        app.speech.engine->say({echo}, app.state.language);
    }
    dispatch(app, Intent{Touched{}});
}

}  // namespace

bool drawFrame(KioskApp& app, const std::function<void(ImGuiIO&)>& adjustInput) {
    ImGuiIO& io = ImGui::GetIO();
    if (app.display.window) {
        ImGui_ImplSDL2_NewFrame();
        int width = 0, height = 0;
        displayOutputSize(app.display, width, height);
        app.ui.screenWidth = static_cast<float>(width);
        app.ui.screenHeight = static_cast<float>(height);
    } else {
        io.DisplaySize = ImVec2(app.ui.screenWidth, app.ui.screenHeight);
        io.DeltaTime = 1.0f / 60.0f;  // frames, not wall time: headless runs are repeatable
    }
    if (adjustInput) adjustInput(io);
    // ImGui_ImplSDLRenderer_NewFrame is not called: all it does is make the backend's own font
    // texture, and the app has made one already.
    if (app.backspaceHeld) {
        io.KeysDown[SDL_SCANCODE_BACKSPACE] = false;
        app.backspaceHeld = false;
    }
    bool keyUsed = false;
    const bool staffEntry = app.cornerHold.filterInput(io, app.clock->nowMillis());
    if (staffEntry) dispatch(app, Intent{OpenStaffEntry{}});
    if (const auto key = app.keyboardTaps.filter(io, app.record)) {
        useKeyboardKey(app, io, *key);
        keyUsed = true;
    }
    app.ui.pressedKey = app.keyboardTaps.pressedKey();
    app.dragScroller.filterInput(io);
    if (app.state.highContrast != app.themeHighContrast) {
        app.themeHighContrast = app.state.highContrast;
        ui::applyKioskTheme(app.themeHighContrast, app.ui);
    }
    app.fonts.rebuildIfWanted(app.display, app.ui);

    ImGui::NewFrame();
    app.record.clear();
    app.intents.clear();
    const bool keyboardWasShown = app.ui.keyboardShown;
    ui::drawKioskFrame(app.state, app.ui, app.intents);
    ImGui::Render();
    // A scroll asked for during this frame (a text box brought into view above the keyboard) is
    // only applied when the next frame begins: until that frame is drawn, the screen is stale.
    const ImGuiWindow* content = ImGui::FindWindowByName(ui::kContentWindowName);
    const bool scrollPending = content && content->ScrollTarget.y != FLT_MAX;
    // io.WantTextInput only takes up what this frame did when the next frame begins (and a long
    // text box out of sight for a frame did not say at all): draw that frame, so the screen's
    // caret wake-ups and the headless runner's typing see the box being typed into.
    const bool textInputLagging = io.WantTextInput != (GImGui->WantTextInputNextFrame == 1);

    if (app.rasterise) {
        SDL_SetRenderDrawColor(app.display.renderer, 255, 255, 255, 255);
        SDL_RenderClear(app.display.renderer);
        if (app.display.software)
            renderDrawDataSoftware(app.display.renderer, ImGui::GetDrawData());
        else
            ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
        if (app.display.window) SDL_RenderPresent(app.display.renderer);
    }
    ++app.framesDrawn;
    if (app.framesDrawn == 1 && app.afterFirstFrame) app.afterFirstFrame();
    // Nothing can ask for speech before a frame has been drawn (SpeechOutput).
    app.speech.startEngine();
    app.fonts.releasePixelsAfterFrame();

    if (app.speech.pageReadWanted()) {
        ui::PageSpeechOptions options;
        options.problemTitle = ui::tr(app.state, ui::keys::kErrorSummaryTitle);
        app.speech.readPendingPage(app.state.timeoutWarning
                                       ? ui::composeSpeechFrom(app.record, app.ui.overlayFirstItem, options)
                                       : ui::composePageSpeech(app.record, options),
                                   app.state.language);
    }

    // Intents are applied after the frame, never while screens are reading the state.
    std::vector<Intent> emitted;
    emitted.swap(app.intents);
    for (const Intent& intent : emitted) dispatch(app, intent);
    for (Intent& intent : emitted) wipeIntent(intent);  // typed text is personal data
    // The keyboard coming or going resizes the page, which the next frame lays out.
    return !emitted.empty() || keyUsed || staffEntry || app.ui.keyboardShown != keyboardWasShown ||
           app.backspaceHeld || scrollPending || textInputLagging;
}

}  // namespace kiosk::platform
