// Headless script runner (see script_runner.h for the language).
//
// Input is injected the way Dear ImGui 1.86 expects it (no event queue before 1.87): set
// io.MousePos / io.MouseDown / io.KeysDown and io.AddInputCharactersUTF8 before a frame. A tap
// is a frame with the pointer over the target, a frame with the button down, a frame with it up,
// then the pointer lifts away (touch has no hover) and frames are drawn until the screen is still.
#include "kiosk/platform/script_runner.h"

#include <SDL.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "kiosk/ui/accessibility_check.h"

namespace kiosk::platform {
namespace {

// ---- parsing --------------------------------------------------------------------------------

struct Command {
    int line = 0;
    std::string verb;
    std::string argument;  // unquoted string or the bare word/number
};

bool parseQuoted(const std::string& text, std::size_t& position, std::string& out) {
    if (position >= text.size() || text[position] != '"') return false;
    ++position;
    out.clear();
    while (position < text.size()) {
        const char c = text[position++];
        if (c == '"') return true;
        if (c == '\\' && position < text.size()) {
            const char escaped = text[position++];
            out += escaped == 'n' ? '\n' : escaped;
        } else {
            out += c;
        }
    }
    return false;  // no closing quote
}

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string::npos) return "";
    const auto last = text.find_last_not_of(" \t\r");
    return text.substr(first, last - first + 1);
}

bool verbTakesString(const std::string& verb) {
    return verb == "tap" || verb == "type" || verb == "keys" || verb == "expect" || verb == "expect-not" ||
           verb == "expect-spoken";
}

bool knownVerb(const std::string& verb) {
    return verbTakesString(verb) || verb == "key" || verb == "wait" || verb == "drag" || verb == "shot" ||
           verb == "hold-corner" || verb == "dump" || verb == "expect-screen";
}

const ScriptCommand* findExtra(const std::vector<ScriptCommand>& extras, const std::string& verb) {
    for (const ScriptCommand& extra : extras)
        if (extra.verb == verb) return &extra;
    return nullptr;
}

bool parseScript(const std::filesystem::path& file, const std::vector<ScriptCommand>& extras,
                 std::vector<Command>& commands, std::string& error) {
    std::ifstream in(file);
    if (!in) {
        error = "cannot read the script " + file.string();
        return false;
    }
    std::string raw;
    int lineNumber = 0;
    while (std::getline(in, raw)) {
        ++lineNumber;
        const std::string line = trim(raw);
        if (line.empty() || line[0] == '#') continue;
        Command command;
        command.line = lineNumber;
        const auto space = line.find_first_of(" \t");
        command.verb = line.substr(0, space);
        const std::string rest = space == std::string::npos ? "" : trim(line.substr(space));
        auto fail = [&](const std::string& why) {
            error = file.string() + ":" + std::to_string(lineNumber) + ": " + why;
            return false;
        };
        const ScriptCommand* extra = findExtra(extras, command.verb);
        if (!knownVerb(command.verb) && !extra) return fail("unknown command '" + command.verb + "'");
        if (verbTakesString(command.verb)) {
            std::size_t position = 0;
            if (!parseQuoted(rest, position, command.argument))
                return fail(command.verb + " needs a \"quoted\" argument");
            const std::string after = trim(rest.substr(position));
            if (!after.empty() && after[0] != '#') return fail("unexpected text after the quoted argument");
        } else if (extra && !extra->takesArgument) {
            if (!rest.empty() && rest[0] != '#') return fail(command.verb + " takes no argument");
        } else {
            command.argument = rest;
            if (command.argument.empty()) return fail(command.verb + " needs an argument");
        }
        commands.push_back(std::move(command));
    }
    return true;
}

// ---- driving the UI -------------------------------------------------------------------------

const ImVec2 kNoPointer(-FLT_MAX, -FLT_MAX);

struct HeadlessInput {
    ImVec2 pointer = kNoPointer;
    bool down = false;
};

struct Runner {
    KioskApp& app;
    VirtualClock& clock;
    std::filesystem::path scriptName;
    std::optional<std::filesystem::path> screenshots;
    HeadlessInput input;
    int line = 0;
    bool checkAccessibility = false;
    std::string lastCheckedScreen{};      // what the accessibility check last looked at
    std::string accessibilityFailure{};   // problems found while settling, reported by run()
    std::function<void()> beforeFrame{};  // HeadlessGestures: the soak advances its clock here

    bool frame() {
        if (beforeFrame) beforeFrame();
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = input.pointer;
        io.MouseDown[0] = input.down;
        refreshConnectionStatus(app);
        refreshAssistSwitch(app);
        // The virtual clock does not move while a PIN is checked: wait for the answer.
        collectStaffReports(app, true);
        // Nor while a receipt prints: the next frame shows whether it printed.
        collectReceiptReports(app, true);
        // And a council status lookup: its answer shows on the next frame.
        collectCouncilStatus(app, true);
        return drawFrame(app);
    }

    // Draws until a frame changes nothing, so the record describes the settled screen.
    void settle() {
        input.pointer = kNoPointer;
        input.down = false;
        for (int i = 0; i < 10; ++i) {
            const bool changed = frame();
            if (!changed && i >= 1) break;
        }
        if (checkAccessibility) checkScreen();
    }

    // A screen is "new" when anything recorded on it differs: checking each once keeps runs fast.
    std::string screenKey() const {
        std::string key = screenName(app.state);
        key += "|" + std::to_string(app.state.textSizePercent) + (app.state.highContrast ? "|hc" : "|std");
        for (const auto& item : app.record.items) {
            key += "|" + item.label;
            key += std::to_string(static_cast<int>(item.x)) + "," + std::to_string(static_cast<int>(item.y));
        }
        return key;
    }

    void checkScreen() {
        std::string key = screenKey();
        if (key == lastCheckedScreen) return;
        lastCheckedScreen = std::move(key);
        ui::FramePixels pixels;
        pixels.width = static_cast<int>(app.ui.screenWidth);
        pixels.height = static_cast<int>(app.ui.screenHeight);
        pixels.rgb.resize(static_cast<std::size_t>(pixels.width) * pixels.height * 3);
        if (SDL_RenderReadPixels(app.display.renderer, nullptr, SDL_PIXELFORMAT_RGB24, pixels.rgb.data(),
                                 pixels.width * 3) != 0)
            return;
        ui::AccessibilityRules rules;
        rules.pixelsPerMm = app.ui.pixelsPerMm;
        rules.highContrast = app.state.highContrast;
        rules.firstItem = app.ui.overlayFirstItem;
        const auto problems = ui::checkAccessibility(app.record, pixels, rules);
        if (problems.empty() || !accessibilityFailure.empty()) return;
        accessibilityFailure = "accessibility: " + std::to_string(problems.size()) +
                               " problem(s) on screen \"" + screenName(app.state) + "\" at " +
                               std::to_string(app.state.textSizePercent) + "% text, " +
                               (app.state.highContrast ? "high contrast" : "standard colours") + ":";
        for (const auto& problem : problems)
            accessibilityFailure += "\n  \"" + problem.label + "\": " + problem.what;
    }

    std::string visibleSummary() const {
        std::string summary;
        int shown = 0;
        for (const auto& item : app.record.items) {
            if (item.label.empty()) continue;
            if (shown == 14) {
                summary += ", ...";
                break;
            }
            summary += (shown++ ? ", \"" : "\"") + item.label + "\"";
        }
        return summary.empty() ? "(nothing recorded)" : summary;
    }

    int fail(const std::string& what) {
        std::fprintf(stderr, "%s:%d: %s on screen \"%s\", visible: %s\n", scriptName.c_str(), line,
                     what.c_str(), screenName(app.state), visibleSummary().c_str());
        if (screenshots) {
            std::string ignored;
            saveScreenshotPng(app.display, *screenshots / ("FAILED-line-" + std::to_string(line) + ".png"),
                              ignored);
        }
        return 1;
    }

    ImGuiWindow* contentWindow() const {
        ImGuiWindow* window = ImGui::FindWindowByName("content");
        return (window && window->WasActive) ? window : nullptr;
    }

    // A resident would scroll to a control below the fold; so does the runner, by setting the
    // content window's scroll directly (the `drag` command tests real finger scrolling).
    const ui::RecordedItem* findAndReveal(const std::string& label) {
        if (const ui::RecordedItem* item = app.record.findControl(label, false)) {
            ImGuiWindow* window = contentWindow();
            if (!window) return item;
            const ImRect itemRect(item->x, item->y, item->x + item->width, item->y + item->height);
            const ImRect screen(0, 0, app.ui.screenWidth, app.ui.screenHeight);
            const ImRect visible = window->InnerClipRect;
            // Items outside the content window (top bar, action bar, overlay) are visible as drawn.
            for (const char* name : {"overlay", "topbar", "actionbar"}) {
                ImGuiWindow* other = ImGui::FindWindowByName(name);
                if (item->tappable && other && other->WasActive && other->Rect().Contains(itemRect))
                    return item;
            }
            if (item->tappable && screen.Contains(itemRect) &&
                (!itemRect.Overlaps(window->Rect()) || visible.Contains(itemRect)))
                return item;
            const float delta = itemRect.GetCenter().y - visible.GetCenter().y;
            ImGui::SetScrollY(window, ImClamp(window->Scroll.y + delta, 0.0f, window->ScrollMax.y));
            settle();
            return app.record.findTappable(label);
        }
        // Not drawn at all: screens may skip what is scrolled out of sight. Page through.
        ImGuiWindow* window = contentWindow();
        if (!window || window->ScrollMax.y <= 0) return nullptr;
        const float page = std::max(1.0f, window->InnerClipRect.GetHeight() * 0.8f);
        for (float scroll = 0; scroll <= window->ScrollMax.y + page; scroll += page) {
            ImGui::SetScrollY(window, std::min(scroll, window->ScrollMax.y));
            settle();
            if (const ui::RecordedItem* item = app.record.findTappable(label)) return item;
            window = contentWindow();
            if (!window) break;
        }
        return nullptr;
    }

    int tap(const std::string& label) {
        const ui::RecordedItem* item = findAndReveal(label);
        // At large text the page hides its main button while the keyboard is up; a resident
        // closes the keyboard with Done to reach it, and so does the runner.
        if (const ui::RecordedItem* done = item ? nullptr : findKey("done")) {
            tapItem(*done);
            item = findAndReveal(label);
        }
        if (!item) return fail("nothing to tap labelled \"" + label + "\"");
        tapItem(*item);
        return 0;
    }

    void tapItem(const ui::RecordedItem& item) {
        tapAt(ImVec2(item.x + item.width / 2, item.y + item.height / 2));
    }

    void tapAt(const ImVec2& centre) {
        dispatch(app, Intent{Touched{}});
        input.pointer = centre;
        input.down = false;
        frame();
        input.down = true;
        frame();
        input.down = false;
        frame();
        settle();
    }

    const ui::RecordedItem* findKey(const std::string& value) const {
        for (const auto& item : app.record.items)
            if (item.kind == ui::RecordedItem::Kind::Key && item.tappable && item.value == value)
                return &item;
        return nullptr;
    }

    // Finds the key that types `value`, as a resident would: on this page of the keyboard, else
    // after Shift, else on the 123 page (and back again afterwards).
    const ui::RecordedItem* revealKey(const std::string& value) {
        if (const auto* key = findKey(value)) return key;
        for (const char* toggle : {"shift", "numbers"}) {
            const auto* other = findKey(toggle);
            if (!other) continue;
            tapItem(*other);
            if (const auto* key = findKey(value)) return key;
            if (const auto* back = findKey(toggle)) tapItem(*back);
        }
        return nullptr;
    }

    int keys(const std::string& text) {
        if (!findKey("done"))
            return fail("no on-screen keyboard is showing for keys \"" + text + "\" (tap a text box)");
        for (std::size_t i = 0; i < text.size();) {
            std::size_t length = 1;
            const auto lead = static_cast<unsigned char>(text[i]);
            if (lead >= 0xF0)
                length = 4;
            else if (lead >= 0xE0)
                length = 3;
            else if (lead >= 0xC0)
                length = 2;
            const std::string character = text.substr(i, length);
            i += length;
            const std::string value = character == " " ? "space" : character;
            const ui::RecordedItem* key = revealKey(value);
            if (!key) return fail("no on-screen key types \"" + character + "\"");
            tapItem(*key);
        }
        return 0;
    }

    // Speech runs on its own thread: wait (in real time) until it has said everything asked of it.
    int expectSpoken(const std::string& text) {
        if (!app.speech.engine || !app.speech.engine->available()) return fail("read-aloud is not available");
        app.speech.engine->waitUntilQuiet(std::chrono::seconds(20));
        std::string heard;
        for (const auto& record : app.speech.engine->history()) {
            if (record.text.find(text) != std::string::npos) return 0;
            heard += (heard.empty() ? "\"" : ", \"") + record.text + "\"";
        }
        return fail("expected read-aloud to say \"" + text + "\"; it said " +
                    (heard.empty() ? "nothing" : heard));
    }

    int type(const std::string& text) {
        if (!ImGui::GetIO().WantTextInput)
            return fail("no text box has focus for type \"" + text + "\" (tap it first)");
        dispatch(app, Intent{Touched{}});
        ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
        frame();
        settle();
        return 0;
    }

    int key(const std::string& name) {
        static const std::pair<const char*, SDL_Scancode> kKeys[] = {
            {"Backspace", SDL_SCANCODE_BACKSPACE},
            {"Enter", SDL_SCANCODE_RETURN},
            {"Tab", SDL_SCANCODE_TAB},
            {"Escape", SDL_SCANCODE_ESCAPE},
            {"Delete", SDL_SCANCODE_DELETE},
            {"Left", SDL_SCANCODE_LEFT},
            {"Right", SDL_SCANCODE_RIGHT},
            {"Home", SDL_SCANCODE_HOME},
            {"End", SDL_SCANCODE_END},
        };
        for (const auto& [keyName, scancode] : kKeys) {
            if (name != keyName) continue;
            dispatch(app, Intent{Touched{}});
            ImGuiIO& io = ImGui::GetIO();
            io.KeysDown[scancode] = true;
            frame();
            io.KeysDown[scancode] = false;
            frame();
            settle();
            return 0;
        }
        return fail("unknown key '" + name + "'");
    }

    int wait(const std::string& text) {
        double seconds = 0;
        try {
            seconds = std::stod(text);
        } catch (const std::exception&) {
            return fail("wait needs a number of seconds, not '" + text + "'");
        }
        waitSeconds(seconds);
        return 0;
    }

    void waitSeconds(double seconds) {
        const std::int64_t target = clock.nowMillis() + static_cast<std::int64_t>(seconds * 1000);
        // Step from deadline to deadline so each countdown second and the timeout itself are seen
        // exactly as a waiting resident would see them.
        for (int guard = 0; guard < 100000; ++guard) {
            const auto deadline = nextDeadlineMillis(app.state);
            if (!deadline || *deadline > target) break;
            clock.setMillis(std::max(clock.nowMillis(), *deadline));
            if (!dispatchDueTicks(app)) break;
            settle();
        }
        // Frames drawn on the way may have moved the clock on (HeadlessGestures): never go back.
        clock.setMillis(std::max(clock.nowMillis(), target));
        dispatchDueTicks(app);
        settle();
    }

    // The hidden staff entry: a finger held still near the top-left corner for SECONDS.
    int holdCorner(const std::string& text) {
        double seconds = 0;
        try {
            seconds = std::stod(text);
        } catch (const std::exception&) {
            return fail("hold-corner needs a number of seconds, not '" + text + "'");
        }
        dispatch(app, Intent{Touched{}});
        input.pointer = ImVec2(app.ui.mm(4), app.ui.mm(4));
        input.down = true;
        const std::int64_t end = clock.nowMillis() + static_cast<std::int64_t>(seconds * 1000);
        frame();
        while (clock.nowMillis() < end) {
            clock.setMillis(std::min(end, clock.nowMillis() + 250));
            frame();
        }
        input.down = false;
        frame();
        settle();
        return 0;
    }

    int drag(const std::string& text) {
        float millimetres = 0;
        try {
            millimetres = std::stof(text);
        } catch (const std::exception&) {
            return fail("drag needs a distance in millimetres, not '" + text + "'");
        }
        dragBy(millimetres);
        return 0;
    }

    void dragBy(float millimetres) {
        ImVec2 start(app.ui.screenWidth / 2, app.ui.screenHeight / 2);
        if (ImGuiWindow* window = contentWindow()) start = window->InnerClipRect.GetCenter();
        const float distance = app.ui.mm(millimetres);
        dispatch(app, Intent{Touched{}});
        input.pointer = start;
        input.down = true;
        frame();
        constexpr int kSteps = 8;
        for (int step = 1; step <= kSteps; ++step) {
            input.pointer = ImVec2(start.x, start.y + distance * step / kSteps);
            frame();
        }
        input.down = false;
        frame();
        settle();
    }

    int shot(const std::string& name) {
        if (!screenshots) return 0;  // screenshots were not asked for
        std::string error;
        if (!saveScreenshotPng(app.display, *screenshots / (name + ".png"), error)) return fail(error);
        return 0;
    }

    // The frame record as JSON, so pixel and target-size checks can find controls by label.
    int dump(const std::string& name) {
        if (!screenshots) return 0;
        nlohmann::json items = nlohmann::json::array();
        for (const auto& item : app.record.items) {
            items.push_back({{"kind", static_cast<int>(item.kind)},
                             {"label", item.label},
                             {"x", item.x},
                             {"y", item.y},
                             {"width", item.width},
                             {"height", item.height},
                             {"tappable", item.tappable}});
        }
        const nlohmann::json document = {{"screen", screenName(app.state)},
                                         {"pixelsPerMm", app.ui.pixelsPerMm},
                                         {"width", app.ui.screenWidth},
                                         {"height", app.ui.screenHeight},
                                         {"items", items}};
        std::ofstream out(*screenshots / (name + ".json"));
        out << document.dump(1) << "\n";
        return out ? 0 : fail("could not write " + name + ".json");
    }

    const std::vector<ScriptCommand>* extras = nullptr;  // the driver program's own commands

    int runExtra(const ScriptCommand& extra, const std::string& argument);

    int run(const Command& command) {
        line = command.line;
        const std::string& verb = command.verb;
        const std::string& argument = command.argument;
        if (verb == "tap") return tap(argument);
        if (verb == "type") return type(argument);
        if (verb == "keys") return keys(argument);
        if (verb == "expect-spoken") return expectSpoken(argument);
        if (verb == "key") return key(argument);
        if (verb == "wait") return wait(argument);
        if (verb == "hold-corner") return holdCorner(argument);
        if (verb == "drag") return drag(argument);
        if (verb == "shot") return shot(argument);
        if (verb == "dump") return dump(argument);
        if (const ScriptCommand* extra = extras ? findExtra(*extras, verb) : nullptr)
            return runExtra(*extra, argument);
        if (verb == "expect")
            return app.record.containsText(argument) ? 0 : fail("expected \"" + argument + "\"");
        if (verb == "expect-not")
            return app.record.containsText(argument) ? fail("did not expect \"" + argument + "\"") : 0;
        if (verb == "expect-screen")
            return argument == screenName(app.state) ? 0 : fail("expected screen \"" + argument + "\"");
        return fail("unknown command '" + verb + "'");
    }
};

}  // namespace

namespace {

// What an extra command sees of the runner (ScriptSteps in script_runner.h).
class RunnerSteps : public ScriptSteps {
public:
    explicit RunnerSteps(Runner& runner) : runner_(runner) {}
    KioskApp& app() override { return runner_.app; }
    void frameWithPointerAt(float x, float y) override {
        runner_.input.pointer = ImVec2(x, y);
        runner_.input.down = false;
        runner_.frame();
    }
    void pageCentre(float& x, float& y) override {
        ImVec2 centre(runner_.app.ui.screenWidth / 2, runner_.app.ui.screenHeight / 2);
        if (ImGuiWindow* window = runner_.contentWindow()) centre = window->InnerClipRect.GetCenter();
        x = centre.x;
        y = centre.y;
    }
    void settle() override { runner_.settle(); }

private:
    Runner& runner_;
};

int Runner::runExtra(const ScriptCommand& extra, const std::string& argument) {
    RunnerSteps steps(*this);
    const std::string failure = extra.run(steps, argument);
    return failure.empty() ? 0 : fail(failure);
}

// Each gesture borrows a Runner for its duration: the runner keeps no state between gestures
// (every one ends with the pointer lifted and the screen settled).
Runner borrowRunner(KioskApp& app, VirtualClock& clock, const std::function<void()>& beforeFrame) {
    Runner runner{app, clock, "(headless gestures)", std::nullopt, {}, 0};
    runner.beforeFrame = beforeFrame;
    return runner;
}

}  // namespace

void HeadlessGestures::settle() {
    borrowRunner(app_, clock_, beforeFrame_).settle();
}
void HeadlessGestures::tapAt(float x, float y) {
    borrowRunner(app_, clock_, beforeFrame_).tapAt(ImVec2(x, y));
}
void HeadlessGestures::drag(float millimetres) {
    borrowRunner(app_, clock_, beforeFrame_).dragBy(millimetres);
}
void HeadlessGestures::wait(double seconds) {
    borrowRunner(app_, clock_, beforeFrame_).waitSeconds(seconds);
}

bool HeadlessGestures::type(const std::string& text) {
    if (!ImGui::GetIO().WantTextInput) return false;
    return borrowRunner(app_, clock_, beforeFrame_).type(text) == 0;
}

bool HeadlessGestures::pressKey(const std::string& name) {
    return borrowRunner(app_, clock_, beforeFrame_).key(name) == 0;
}

int runScript(KioskApp& app, VirtualClock& clock, const std::filesystem::path& script,
              const std::optional<std::filesystem::path>& screenshotDirectory, bool checkAccessibility,
              const std::vector<ScriptCommand>& extraCommands) {
    std::vector<Command> commands;
    std::string error;
    if (!parseScript(script, extraCommands, commands, error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 2;
    }
    Runner runner{app, clock, script.filename(), screenshotDirectory, {}, 0};
    runner.checkAccessibility = checkAccessibility;
    runner.extras = &extraCommands;
    runner.settle();
    for (const Command& command : commands) {
        if (runner.run(command) != 0) return 1;
        if (!runner.accessibilityFailure.empty()) return runner.fail(runner.accessibilityFailure);
    }
    std::fprintf(stderr, "%s: %zu commands passed\n", script.filename().c_str(), commands.size());
    return 0;
}

int runHeadlessSnapshot(KioskApp& app, const std::optional<std::filesystem::path>& screenshotDirectory) {
    VirtualClock unused;
    Runner runner{app, unused, "(no script)", screenshotDirectory, {}, 0};
    runner.settle();
    return runner.shot("start");
}

}  // namespace kiosk::platform
