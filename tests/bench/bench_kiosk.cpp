// kiosk-bench: figures taken from the real council-kiosk program. Start-up to the first frame
// (headless and in an X window), memory, frame times on heavy screens, and idle CPU and wake-ups
// of a windowed kiosk. Headless runs use the kiosk's script hooks (bench-frames,
// report-memory; see kiosk/platform/script_runner.h) and KIOSK_REPORT_FIRST_FRAME (main.cpp).
#include <signal.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "../sync/fake_council_process.h"
#include "bench.h"
#include "bench_support.h"

namespace kiosk::bench {
namespace {

using namespace std::chrono_literals;

// Headless runs choose this panel DPI on their own; windowed runs are given it so their layout
// matches the headless dumps that tell the benchmark where to click.
constexpr const char* kPanelDpi = "92.56";

struct KioskFiles {
    std::filesystem::path config;
    std::filesystem::path dataDirectory;
    CouncilKeys keys;
};

// A kiosk configuration without sync, for headless runs.
KioskFiles headlessKiosk(const BenchOptions& options, const std::string& name) {
    KioskFiles files;
    const auto home = options.workDirectory / name;
    std::filesystem::remove_all(home);
    files.dataDirectory = home / "data";
    files.keys = makeCouncilKeys();
    files.config =
        writeKioskConfig(home / "kiosk.json", options.samplePack, files.dataDirectory, files.keys, "");
    return files;
}

std::vector<std::string> headlessCommand(const BenchOptions& options, const KioskFiles& files) {
    return {options.kiosk.string(),
            "--headless",
            "--no-sync",
            "--size",
            "1920x1080",
            "--config",
            files.config.string(),
            "--data-dir",
            files.dataDirectory.string()};
}

// Runs a headless script; returns the kiosk's stdout. Throws with the kiosk's stderr on failure.
std::string runHeadlessScript(const BenchOptions& options, const KioskFiles& files, const std::string& name,
                              const std::string& script, const std::vector<std::string>& extraArguments,
                              std::chrono::milliseconds timeout) {
    const auto scriptFile = options.workDirectory / (name + ".txt");
    writeTextFile(scriptFile, script);
    auto command = headlessCommand(options, files);
    command.insert(command.end(), extraArguments.begin(), extraArguments.end());
    command.push_back("--script");
    command.push_back(scriptFile.string());
    return runChecked(command, timeout);
}

double parseFirstFrameMillis(const std::string& line) {
    std::istringstream words(line);
    std::string label;
    double millis = -1;
    words >> label >> millis;
    if (millis < 0) throw std::runtime_error("unreadable first-frame line: " + line);
    return millis;
}

struct StartupSample {
    double fromSpawnMillis = 0;  // posix_spawn to the line on the pipe: includes the dynamic loader
    double fromMainMillis = 0;   // what the kiosk itself measured from the top of main
    double cpuMillis = 0;        // CPU time of all its threads by then: unaffected by waiting for a core
};

StartupSample timeStartup(const std::vector<std::string>& command, ChildProcess** keep = nullptr,
                          std::unique_ptr<ChildProcess>* owner = nullptr) {
    auto child = std::make_unique<ChildProcess>(
        command, std::map<std::string, std::string>{{"KIOSK_REPORT_FIRST_FRAME", "1"}});
    const auto line = child->waitForStderrLine("first-frame-ms", 30s);
    if (!line) {
        child->stop();
        throw std::runtime_error("council-kiosk printed no first-frame line: " +
                                 child->err().substr(0, 2000));
    }
    StartupSample sample;
    sample.cpuMillis = readCounters(child->pid()).cpuSecondsScheduled * 1000.0;
    sample.fromSpawnMillis =
        std::chrono::duration<double, std::milli>(line->second - child->startedAt()).count();
    sample.fromMainMillis = parseFirstFrameMillis(line->first);
    if (owner) {
        if (keep) *keep = child.get();
        *owner = std::move(child);
    } else {
        child->stop();
    }
    return sample;
}

Figure figure(std::string key, std::string label, double value, std::string unit,
              std::optional<double> target, Better better = Better::Lower, std::string note = "") {
    Figure result;
    result.key = std::move(key);
    result.label = std::move(label);
    result.value = value;
    result.unit = std::move(unit);
    result.target = target;
    result.better = better;
    result.note = std::move(note);
    return result;
}

// ---- windowed kiosk under X -----------------------------------------------------------------

struct ClickTarget {
    std::string label;
    float x = 0;
    float y = 0;
};

// Where each control on the way to a question page is, from headless dumps of the same layout.
std::vector<ClickTarget> findClickTargets(const BenchOptions& options, const KioskFiles& files,
                                          const std::vector<std::string>& labels) {
    const auto dumps = options.workDirectory / "click-dumps";
    std::filesystem::remove_all(dumps);
    std::filesystem::create_directories(dumps);
    std::string script;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        script += "dump step-" + std::to_string(i) + "\n";
        script += "tap \"" + labels[i] + "\"\n";
    }
    runHeadlessScript(options, files, "click-path", script, {"--screenshots", dumps.string()}, 60s);
    std::vector<ClickTarget> targets;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const auto document =
            nlohmann::json::parse(readTextFile(dumps / ("step-" + std::to_string(i) + ".json")));
        bool found = false;
        for (const auto& item : document.at("items")) {
            if (!item.value("tappable", false) || item.value("label", "") != labels[i]) continue;
            targets.push_back({labels[i], item.at("x").get<float>() + item.at("width").get<float>() / 2,
                               item.at("y").get<float>() + item.at("height").get<float>() / 2});
            found = true;
            break;
        }
        if (!found) throw std::runtime_error("no tappable \"" + labels[i] + "\" in the headless dump");
    }
    return targets;
}

std::string windowId() {
    for (int attempt = 0; attempt < 50; ++attempt) {
        try {
            std::string id = runChecked({"/usr/bin/xdotool", "search", "--name", "^Council Kiosk$"}, 5s);
            id = id.substr(0, id.find('\n'));
            if (!id.empty()) return id;
        } catch (const std::runtime_error&) {
        }
        std::this_thread::sleep_for(100ms);
    }
    throw std::runtime_error("the kiosk window did not appear on the X display");
}

// A hash of the whole X screen, to confirm a click changed what is shown.
std::string screenHash() {
    return runChecked({"/bin/sh", "-c", "xwd -root -silent | md5sum"}, 20s);
}

void click(const std::string& window, const ClickTarget& target) {
    runChecked(
        {"/usr/bin/xdotool", "mousemove", "--window", window, std::to_string(static_cast<int>(target.x)),
         std::to_string(static_cast<int>(target.y)), "click", "1"},
        10s);
}

struct IdleSample {
    double cpuPercentScheduled = 0;
    double cpuPercentStat = 0;
    double wakeupsPerSecond = 0;
    int threads = 0;
};

IdleSample sampleIdle(pid_t pid, std::chrono::seconds window) {
    const ProcessCounters before = readCounters(pid);
    const auto start = Clock::now();
    std::this_thread::sleep_for(window);
    const ProcessCounters after = readCounters(pid);
    const double seconds = millisSince(start) / 1000.0;
    IdleSample sample;
    sample.cpuPercentScheduled = 100.0 * (after.cpuSecondsScheduled - before.cpuSecondsScheduled) / seconds;
    sample.cpuPercentStat = 100.0 * (after.cpuSecondsFromStat - before.cpuSecondsFromStat) / seconds;
    sample.wakeupsPerSecond = static_cast<double>(after.contextSwitches - before.contextSwitches) / seconds;
    sample.threads = after.threads;
    return sample;
}

void addIdleFigures(std::vector<Figure>& figures, const std::string& key, const std::string& what,
                    const IdleSample& sample, std::chrono::seconds window) {
    char note[160];
    std::snprintf(note, sizeof note, "%ld s window; /proc/PID/stat utime+stime says %.3f %%; %d threads",
                  static_cast<long>(window.count()), sample.cpuPercentStat, sample.threads);
    figures.push_back(figure("idle." + key + "_cpu_percent", "idle CPU, " + what, sample.cpuPercentScheduled,
                             "%", 0.2, Better::Lower, note));
    figures.push_back(figure("idle." + key + "_wakeups_per_s", "wake-ups, " + what, sample.wakeupsPerSecond,
                             "/s", std::nullopt, Better::Lower, "context switches of all threads"));
}

}  // namespace

// ---- start-up -------------------------------------------------------------------------------

void benchStartup(const BenchOptions& options, std::vector<Figure>& figures) {
    const KioskFiles files = headlessKiosk(options, "startup-headless");
    const int runs = options.quick ? 3 : 9;
    timeStartup(headlessCommand(options, files));  // warms the page cache: fonts, pack, libraries
    std::vector<double> fromSpawn, fromMain, cpu;
    for (int i = 0; i < runs; ++i) {
        const StartupSample sample = timeStartup(headlessCommand(options, files));
        fromSpawn.push_back(sample.fromSpawnMillis);
        fromMain.push_back(sample.fromMainMillis);
        cpu.push_back(sample.cpuMillis);
    }
    figures.push_back(figure("startup.headless_first_frame_ms", "start-up to first frame, headless",
                             median(fromSpawn), "ms", 150, Better::Lower,
                             "median of " + std::to_string(runs) + ", process spawn to first frame"));
    figures.push_back(figure("startup.headless_main_to_first_frame_ms", "  of which main() to first frame",
                             median(fromMain), "ms", std::nullopt));
    figures.push_back(figure("startup.headless_cpu_to_first_frame_ms",
                             "  CPU time to first frame (all threads)", median(cpu), "ms", std::nullopt,
                             Better::Lower, "waiting for a core excluded"));

    if (!options.windowed) return;
    const auto home = options.workDirectory / "startup-windowed";
    std::filesystem::remove_all(home);
    const CouncilKeys keys = makeCouncilKeys();
    const auto config = writeKioskConfig(home / "kiosk.json", options.samplePack, home / "data", keys, "");
    const std::vector<std::string> command = {
        options.kiosk.string(), "--config", config.string(), "--no-sync",
        "--renderer",           "software", "--dpi",         kPanelDpi};
    timeStartup(command);
    std::vector<double> windowedSpawn, windowedMain, windowedCpu;
    const int windowedRuns = 5;
    for (int i = 0; i < windowedRuns; ++i) {
        const StartupSample sample = timeStartup(command);
        windowedSpawn.push_back(sample.fromSpawnMillis);
        windowedMain.push_back(sample.fromMainMillis);
        windowedCpu.push_back(sample.cpuMillis);
    }
    figures.push_back(
        figure("startup.windowed_first_frame_ms", "start-up to first frame, X window (Xvfb)",
               median(windowedSpawn), "ms", 150, Better::Lower,
               "median of " + std::to_string(windowedRuns) + ", spawn to first frame presented"));
    figures.push_back(figure("startup.windowed_main_to_first_frame_ms", "  of which main() to first frame",
                             median(windowedMain), "ms", std::nullopt));
    figures.push_back(figure("startup.windowed_cpu_to_first_frame_ms",
                             "  CPU time to first frame (all threads)", median(windowedCpu), "ms",
                             std::nullopt, Better::Lower, "waiting for a core excluded"));
}

// ---- memory ---------------------------------------------------------------------------------

void benchMemory(const BenchOptions& options, std::vector<Figure>& figures) {
    const KioskFiles files = headlessKiosk(options, "memory");
    const int changes = options.quick ? 100 : 10'000;
    // Services tiles and a service's start page, over and over: the two screens a resident
    // moves between most, each change a new page with its own text.
    std::string script = "report-memory\ntap \"Touch the screen to start\"\ntap \"English\"\n";
    for (int i = 0; i < changes / 2; ++i) script += "tap \"Report a missed bin collection\"\ntap \"Back\"\n";
    script += "expect-screen services\nreport-memory\n";
    const auto start = Clock::now();
    const std::string out = runHeadlessScript(options, files, "memory-churn", script, {}, 1800s);
    const double seconds = millisSince(start) / 1000.0;
    const auto reports = linesStartingWith(out, "pss-kb ");
    if (reports.size() != 2)
        throw std::runtime_error("expected two pss-kb lines from the kiosk, got: " + out);
    const double startMb = std::stod(reports[0].substr(7)) / 1024.0;
    const double endMb = std::stod(reports[1].substr(7)) / 1024.0;
    figures.push_back(
        figure("memory.headless_pss_after_start_mb", "PSS after start, headless", startMb, "MB", 40));
    char note[120];
    std::snprintf(note, sizeof note, "%d changes in %.0f s; growth %+.2f MB", changes, seconds,
                  endMb - startMb);
    figures.push_back(figure("memory.headless_pss_after_changes_mb",
                             "PSS after " + std::to_string(changes) + " screen changes", endMb, "MB", 40,
                             Better::Lower, note));
}

// ---- frame times ----------------------------------------------------------------------------

void benchFrames(const BenchOptions& options, std::vector<Figure>& figures) {
    const KioskFiles files = headlessKiosk(options, "frames");
    const int frames = options.quick ? 30 : 600;
    const std::string count = std::to_string(frames);
    const std::string script =
        "tap \"Touch the screen to start\"\n"
        "tap \"English\"\n"
        "expect-screen services\n"
        "bench-frames " +
        count +
        "\n"
        "tap \"Ask for housing advice\"\n"
        "tap \"Start now\"\n"
        "tap \"I am homeless or about to be\"\n"
        "tap \"Continue\"\n"
        "tap \"Yes\"\n"
        "tap \"Continue\"\n"
        "expect \"Tell us about your situation\"\n"
        "tap \"Tell us about your situation\"\n"
        "type \"My landlord has asked me to leave by the end of the month. I live with my two children and "
        "my mother, who uses a wheelchair. We have nowhere else to go and the council flat we were offered "
        "last year is up three flights of stairs with no lift. I work part time at the library.\"\n"
        "expect-screen question\n"
        "bench-frames " +
        count + "\n";
    const std::string out = runHeadlessScript(options, files, "frames", script, {"--text-size", "200"}, 600s);
    const auto reports = linesStartingWith(out, "bench-frames ");
    if (reports.size() != 2)
        throw std::runtime_error("expected two bench-frames lines from the kiosk, got: " + out);
    const struct {
        const char* key;
        const char* what;
    } screens[] = {{"services_200", "services tiles, 200 % text"},
                   {"long_text_keyboard_200", "long-text question + keyboard, 200 %"}};
    for (std::size_t i = 0; i < 2; ++i) {
        const auto p50 = fieldValue(reports[i], "p50-ms");
        const auto p99 = fieldValue(reports[i], "p99-ms");
        const auto max = fieldValue(reports[i], "max-ms");
        const auto cpuP99 = fieldValue(reports[i], "cpu-p99-ms");
        if (!p50 || !p99 || !max || !cpuP99)
            throw std::runtime_error("unreadable bench-frames line: " + reports[i]);
        const std::string key = std::string("frames.") + screens[i].key;
        figures.push_back(
            figure(key + "_p50_ms", std::string("frame p50, ") + screens[i].what, *p50, "ms", std::nullopt));
        char note[120];
        std::snprintf(note, sizeof note, "1920x1080 software, %d frames, max %.2f ms, present excluded",
                      frames, *max);
        figures.push_back(figure(key + "_p99_ms", std::string("frame p99, ") + screens[i].what, *p99, "ms", 8,
                                 Better::Lower, note));
        // Wall time includes waiting for a core on a shared machine; CPU time does not.
        figures.push_back(figure(key + "_cpu_p99_ms", "  its CPU time p99 (no waiting for a core)", *cpuP99,
                                 "ms", std::nullopt));
    }
}

// ---- idle CPU and wake-ups, windowed --------------------------------------------------------

void benchIdle(const BenchOptions& options, std::vector<Figure>& figures) {
    if (!options.windowed) return;
    const auto home = options.workDirectory / "idle";
    std::filesystem::remove_all(home);
    std::filesystem::create_directories(home);
    const CouncilKeys keys = generateKeysWithKioskctl(options.kioskctl, home / "keys");

    // The kiosk syncs as in a library: the council answers, nothing is waiting.
    const auto council = startCouncil(options.fakeCouncil, home, keys);
    const auto config =
        writeKioskConfig(home / "kiosk.json", options.samplePack, home / "data", keys, council->baseUrl());

    KioskFiles headless{config, home / "headless-data", keys};
    const std::vector<std::string> path = {"Touch the screen to start", "English",
                                           "Report a missed bin collection", "Start now", "Postcode"};
    const auto targets = findClickTargets(options, headless, path);

    std::unique_ptr<ChildProcess> kiosk;
    ChildProcess* running = nullptr;
    timeStartup(
        {options.kiosk.string(), "--config", config.string(), "--renderer", "software", "--dpi", kPanelDpi},
        &running, &kiosk);
    const std::string window = windowId();
    const auto windowSeconds = std::chrono::seconds(options.quick ? 3 : 20);

    std::this_thread::sleep_for(3s);  // the first sync round and the frames after start are over
    figures.push_back(figure("memory.windowed_pss_after_start_mb", "PSS after start, X window (Xvfb)",
                             static_cast<double>(pssKilobytes(running->pid())) / 1024.0, "MB", 40));
    addIdleFigures(figures, "attract", "attract screen", sampleIdle(running->pid(), windowSeconds),
                   windowSeconds);

    // Through language and services to the first question; the Postcode box is clicked last.
    std::string before = screenHash();
    for (std::size_t i = 0; i + 1 < targets.size(); ++i) {
        click(window, targets[i]);
        std::this_thread::sleep_for(800ms);
        const std::string after = screenHash();
        if (after == before)
            throw std::runtime_error("clicking \"" + targets[i].label + "\" changed nothing on screen");
        before = after;
    }
    // Park the pointer off the controls, as a finger lifted away leaves it.
    runChecked({"/usr/bin/xdotool", "mousemove", "--window", window, "5", "1075"}, 10s);
    std::this_thread::sleep_for(2s);
    addIdleFigures(figures, "question", "question page", sampleIdle(running->pid(), windowSeconds),
                   windowSeconds);

    click(window, targets.back());
    runChecked({"/usr/bin/xdotool", "mousemove", "--window", window, "5", "1075"}, 10s);
    std::this_thread::sleep_for(2s);
    const IdleSample focused = sampleIdle(running->pid(), windowSeconds);
    addIdleFigures(figures, "question_focused", "question, text box focused", focused, windowSeconds);
    if (screenHash() == before)
        throw std::runtime_error("clicking the Postcode box changed nothing on screen");

    kiosk->stop();
    council->stop();
}

}  // namespace kiosk::bench
