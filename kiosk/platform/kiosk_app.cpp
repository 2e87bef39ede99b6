// KioskApp set-up and the frame/intent/seal steps shared by the windowed loop and the headless
// script runner.
//
// Sealing runs on the UI thread on purpose: it is one local SQLite transaction (about 1 ms with
// WAL and synchronous=FULL), and doing it inline means the resident never sees a half-sent state
// and the answers are wiped before the next frame is drawn. Delivery, which can take seconds,
// stays on the sync thread.
#include "kiosk/platform/kiosk_app.h"

#include <malloc.h>

#include <cfloat>
#include <cstddef>
#include <cstdio>
#include <system_error>
#include <vector>

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_internal.h>
#include <imgui_impl_sdlrenderer.h>

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
    std::fprintf(stderr, "council-kiosk: showing the out-of-order screen until a working pack is installed.\n");
}

void openOutbox(KioskApp& app) {
    std::error_code ignored;
    std::filesystem::create_directories(app.config.dataDirectory, ignored);
    store::StoreOptions options;
    options.databaseFile = sync::databasePath(app.config);  // the file the sync worker opens too
    options.kioskId = app.config.kioskId;
    options.referencePrefix = app.config.referencePrefix;
    options.councilPublicKeyBase64 = app.config.council.publicKeyBase64;
    auto opened = store::OutboxStore::open(options);
    if (opened) {
        app.outbox = std::move(opened.value());
    } else {
        std::fprintf(stderr,
                     "council-kiosk: the database %s cannot be opened (%s: %s). Forms cannot be sent "
                     "until this is fixed.\n",
                     options.databaseFile.c_str(), opened.error().code.c_str(), opened.error().message.c_str());
    }
}

void sealSubmission(KioskApp& app, SealRequest& request) {
    store::SubmissionToSeal submission;
    submission.serviceId = request.serviceId;
    submission.formId = request.formId;
    submission.formVersion = request.formVersion;
    submission.language = request.language;
    submission.destination = request.destination;
    submission.assisted = app.volunteerAssisting;  // volunteer sign-in (and an id) is not built yet
    submission.answersJson = request.answersJson;

    // A database that could not open at start-up (the disk was full, the data directory not
    // yet mounted or writable) is tried again at every Send: once staff free space or fix the
    // permissions, the next resident's form goes through without restarting the kiosk.
    if (!app.outbox) openOutbox(app);
    Intent outcome;
    if (!app.outbox) {
        outcome = Intent::of(Intent::Kind::SealFailed, "no_database");
    } else {
        static const auto destinations = sync::destinationsFromConfig(app.config);  // built once: app.config never changes
        auto sealed = sync::sealForDestination(*app.outbox, destinations, submission, app.clock->nowMillis());
        if (sealed) {
            outcome = Intent::of(Intent::Kind::SealSucceeded, sealed->reference);
        } else {
            // The store's messages carry no answers; they say what failed on disk.
            std::fprintf(stderr, "council-kiosk: a form could not be sealed (%s: %s).\n",
                         sealed.error().code.c_str(), sealed.error().message.c_str());
            outcome = Intent::of(Intent::Kind::SealFailed, sealed.error().code);
        }
    }
    wipeString(submission.answersJson);
    wipeString(request.answersJson);
    const bool succeeded = outcome.kind == Intent::Kind::SealSucceeded;
    dispatch(app, outcome);
    if (succeeded && app.syncWorker) app.syncWorker->wake();
}

// The font atlas as an SDL texture, made here rather than by the SDL_Renderer backend: the
// backend converts the whole atlas to a fresh RGBA buffer and then copies that into the
// texture, touching 16 MB of new memory at start (1024x2048 at 100 % text); with the texture
// written in place start-up took about 35 ms less on a VM where every new page faults
// expensively. The software renderer's texture is
// written in place instead, from the 8-bit atlas ImGui already holds.
void createFontTexture(KioskApp& app) {
    ImGuiIO& io = ImGui::GetIO();
    unsigned char* alpha = nullptr;
    int width = 0, height = 0;
    io.Fonts->GetTexDataAsAlpha8(&alpha, &width, &height);
    const auto fill = [&](unsigned char* pixels, int pitch) {
        for (int y = 0; y < height; ++y) {
            auto* row = reinterpret_cast<ImU32*>(pixels + static_cast<std::ptrdiff_t>(y) * pitch);
            const unsigned char* source = alpha + static_cast<std::ptrdiff_t>(y) * width;
            for (int x = 0; x < width; ++x) row[x] = IM_COL32(255, 255, 255, source[x]);  // as ImGui's RGBA32
        }
    };
    const bool inPlace = app.display.software;
    app.fontTexture = SDL_CreateTexture(app.display.renderer, SDL_PIXELFORMAT_RGBA32,
                                        inPlace ? SDL_TEXTUREACCESS_STREAMING : SDL_TEXTUREACCESS_STATIC, width,
                                        height);
    if (!app.fontTexture) {
        std::fprintf(stderr, "council-kiosk: the font texture could not be made: %s\n", SDL_GetError());
        return;
    }
    void* locked = nullptr;
    int pitch = 0;
    if (inPlace && SDL_LockTexture(app.fontTexture, nullptr, &locked, &pitch) == 0) {
        fill(static_cast<unsigned char*>(locked), pitch);
        SDL_UnlockTexture(app.fontTexture);
    } else {
        std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * height * 4);
        fill(pixels.data(), width * 4);
        SDL_UpdateTexture(app.fontTexture, nullptr, pixels.data(), width * 4);
    }
    SDL_SetTextureBlendMode(app.fontTexture, SDL_BLENDMODE_BLEND);
    io.Fonts->SetTexID(app.fontTexture);
}

void destroyFontTexture(KioskApp& app) {
    if (!app.fontTexture) return;
    ImGui::GetIO().Fonts->SetTexID(nullptr);
    SDL_DestroyTexture(app.fontTexture);
    app.fontTexture = nullptr;
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
        return Error{"config_invalid", "The configuration gives no dataDirectory; set it or pass --data-dir."};
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
    openOutbox(app);

    app.state.pack = app.pack ? &*app.pack : nullptr;
    app.state.settings.inactivityMillis = static_cast<std::int64_t>(app.config.session.inactivitySeconds) * 1000;
    app.state.settings.warningMillis = static_cast<std::int64_t>(app.config.session.warningSeconds) * 1000;
    app.state.settings.timeLimitEnabled = app.config.session.timeLimitEnabled;
    app.state.lastActivityMillis = clock.nowMillis();
    if (!app.state.pack) dispatch(app, Intent::of(Intent::Kind::SetOutOfOrder, "1"));
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
    app.fontDirectory = options.fontDirectory.value_or(kDefaultFontDirectory);
    if (!loadKioskFonts(app.fontDirectory, app.ui.pixelsPerMm, app.ui.fonts, error)) return false;
    // Without the Devanagari fonts the kiosk still serves every other language; Nepali text
    // would then draw as boxes, so say so loudly for whoever installs it.
    auto shaped = HarfBuzzTextEngine::create(app.fontDirectory, app.display.renderer);
    if (!shaped.engine) std::fprintf(stderr, "council-kiosk: %s\n", shaped.error.c_str());
    app.shaper = std::move(shaped.engine);
    app.ui.shaper = app.shaper.get();
    if (app.headless)
        app.audioSink = std::make_unique<BufferAudioSink>();
    else
        app.audioSink = std::make_unique<SdlAudioSink>();

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
    createFontTexture(app);

    app.themeHighContrast = app.state.highContrast;
    ui::applyKioskTheme(app.themeHighContrast, app.ui);
    std::fprintf(stderr, "council-kiosk: %dx%d, %.1f dpi, renderer %s\n", width, height, dpi,
                 app.display.rendererName.c_str());
    return true;
}

void stopInterface(KioskApp& app) {
    if (app.backendsStarted) {
        destroyFontTexture(app);
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
    app.speech.reset();
    app.audioSink.reset();
    closeDisplay(app.display);
}

void stopSync(KioskApp& app) {
    if (!app.syncWorker) return;
    app.syncWorker->stop();
    app.syncWorker.reset();
}

void dispatch(KioskApp& app, const Intent& intent) {
    const std::int64_t now = app.clock->nowMillis();
    Effects effects = reduce(app.state, intent, now);
    // Whenever the reducer has wiped the answers, ImGui's own copies of typed text go too.
    if (effects.sessionEnded || intent.kind == Intent::Kind::StartAgain || intent.kind == Intent::Kind::SealSucceeded)
        wipeImGuiTextState();
    if (effects.seal) sealSubmission(app, *effects.seal);
    if (!app.speech) return;
    if (effects.sessionEnded) {
        // The next resident starts in silence at the normal speed and volume; what was said
        // (which may have included answers) is forgotten.
        app.speech->resetForNewSession();
        app.readAfterFrame = false;
        return;
    }
    if (effects.stopSpeech) {
        app.speech->stop();
        app.readAfterFrame = false;
    }
    if (effects.speechSettingsChanged) {
        app.speech->setSlow(app.state.speech.slow);
        app.speech->setVolumePercent(app.state.speech.volumePercent);
    }
    if (effects.pageChanged) {
        app.speech->stop();  // never go on reading a page that has gone
        if (app.state.speech.readAloud) app.readAfterFrame = true;
    }
    if (effects.readPageNow || ((effects.warningShown || effects.errorsShown) && app.state.speech.readAloud))
        app.readAfterFrame = true;
}

bool refreshConnectionStatus(KioskApp& app) {
    if (!app.syncWorker) return false;
    const bool online = app.syncWorker->status().online;
    if (online == app.state.online) return false;
    app.state.online = online;
    return true;
}

bool refreshAssistSwitch(KioskApp& app) {
    std::error_code ignored;
    const bool assisting = std::filesystem::exists(volunteerAssistingFlag(app.config), ignored);
    if (assisting == app.volunteerAssisting) return false;
    app.volunteerAssisting = assisting;
    // With nobody assisting, the configured limit applies again (it may be off for this kiosk).
    const bool limit = !assisting && app.config.session.timeLimitEnabled;
    dispatch(app, Intent::of(Intent::Kind::SetTimeLimit, limit ? "1" : "0"));
    return true;
}

bool dispatchDueTicks(KioskApp& app) {
    const auto deadline = nextDeadlineMillis(app.state);
    if (!deadline || *deadline > app.clock->nowMillis()) return false;
    dispatch(app, Intent::of(Intent::Kind::Tick));
    return true;
}

namespace {

// Text size changed: bake the atlas again at the new size. Only three sizes exist and a resident
// changes size rarely, so rebuilding (tens of milliseconds) beats keeping every size in memory.
void rebuildFonts(KioskApp& app) {
    destroyFontTexture(app);
    std::string error;
    const float scale = static_cast<float>(app.state.textSizePercent) / 100.0f;
    if (!loadKioskFonts(app.fontDirectory, app.ui.pixelsPerMm, app.ui.fonts, error, scale)) {
        // The files were there at start; if they vanished, keep going at the size that worked.
        std::fprintf(stderr, "council-kiosk: %s\n", error.c_str());
        loadKioskFonts(app.fontDirectory, app.ui.pixelsPerMm, app.ui.fonts, error,
                       static_cast<float>(app.fontTextSize) / 100.0f);
        app.state.textSizePercent = app.fontTextSize;
    }
    app.fontTextSize = app.state.textSizePercent;
    createFontTexture(app);
    app.fontPixelsReleased = false;  // released again once this frame has drawn
}

// Types an on-screen key into the text box being edited, as a physical key would arrive.
void useKeyboardKey(KioskApp& app, ImGuiIO& io, const std::string& value) {
    const KeyboardLayout layout = ui::keyboardLayoutFor(app.state, app.ui.keyboardMode);
    const Key* key = findKey(layout, value);
    if (!key) return;
    switch (key->action) {
    case KeyAction::Type:
        io.AddInputCharactersUTF8(key->text.c_str());
        if (app.state.keyboard.shift) dispatch(app, Intent::of(Intent::Kind::KeyboardTyped));
        break;
    case KeyAction::Space: io.AddInputCharacter(' '); break;
    case KeyAction::Delete:
        // Held for exactly one frame: ImGui deletes one character, as for a short key press.
        io.KeysDown[SDL_SCANCODE_BACKSPACE] = true;
        app.backspaceHeld = true;
        break;
    case KeyAction::Done: ImGui::ClearActiveID(); break;
    case KeyAction::Shift: dispatch(app, Intent::of(Intent::Kind::ToggleKeyboardShift)); break;
    case KeyAction::ToggleOrder: dispatch(app, Intent::of(Intent::Kind::ToggleKeyboardOrder)); break;
    case KeyAction::ToggleNumbers: dispatch(app, Intent::of(Intent::Kind::ToggleKeyboardNumbers)); break;
    case KeyAction::ToggleAccents: dispatch(app, Intent::of(Intent::Kind::ToggleKeyboardAccents)); break;
    case KeyAction::Blank: break;
    }
    if (app.speech && app.state.speech.speakKeys) {
        ui::Utterance echo;
        echo.text = key->labelKey.empty() ? key->label : ui::tr(app.state, key->labelKey.c_str());
        if (key->action == KeyAction::Space) echo.text = ui::tr(app.state, ui::keys::kKeyboardSpace);
        app.speech->say({echo}, app.state.language);
    }
    dispatch(app, Intent::of(Intent::Kind::Touched));
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
    if (app.state.textSizePercent != app.fontTextSize) rebuildFonts(app);

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
    if (app.framesDrawn == 1 && app.reportFirstFrameFrom) {
        const std::chrono::duration<double, std::milli> elapsed =
            std::chrono::steady_clock::now() - *app.reportFirstFrameFrom;
        std::fprintf(stderr, "first-frame-ms %.2f\n", elapsed.count());
        std::fflush(stderr);
    }
    // Read aloud starts once the first frame is on screen: starting espeak-ng and probing the
    // audio devices took 20-120 ms, which would otherwise be spent in front of a blank screen.
    // Nothing can ask for speech before a frame has been drawn.
    if (!app.speech && app.audioSink) app.speech = std::make_unique<SpeechEngine>(*app.audioSink);

    if (!app.fontPixelsReleased) {
        // The renderer has its own copy of the atlas now; the CPU-side pixels (several MB at
        // kiosk font sizes) are not needed again.
        io.Fonts->ClearTexData();
        app.fontPixelsReleased = true;
    }

    if (app.readAfterFrame && app.speech) {
        app.readAfterFrame = false;
        ui::PageSpeechOptions options;
        options.problemTitle = ui::tr(app.state, ui::keys::kErrorSummaryTitle);
        app.speech->say(app.state.timeoutWarning ? ui::composeSpeechFrom(app.record, app.ui.overlayFirstItem, options)
                                                 : ui::composePageSpeech(app.record, options),
                        app.state.language);
    }

    // Intents are applied after the frame, never while screens are reading the state.
    std::vector<Intent> emitted;
    emitted.swap(app.intents);
    for (const Intent& intent : emitted) dispatch(app, intent);
    for (Intent& intent : emitted) wipeString(intent.value);  // typed text is personal data
    // The keyboard coming or going resizes the page, which the next frame lays out.
    return !emitted.empty() || keyUsed || app.ui.keyboardShown != keyboardWasShown || app.backspaceHeld ||
           scrollPending || textInputLagging;
}

}  // namespace kiosk::platform
