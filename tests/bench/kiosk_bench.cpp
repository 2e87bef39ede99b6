// kiosk-bench: measures the figures DESIGN.md section 7 sets targets for, prints one table
// (figure, reference measured beside it, ratio, target, PASS/MISS) and writes the same as JSON.
//
// Usage: kiosk-bench [--quick] [--json FILE] [--work-dir DIR] [--only a,b,...] [--no-window]
//   --quick      small counts and no windowed parts (the CTest smoke test)
//   --only       startup, memory, frames, idle, seal, delivery, content, staff
//   --no-window  skip the parts that need an X display even when DISPLAY is set
// Windowed parts (start-up in a window, idle CPU) run only when DISPLAY is set: run it under
// xvfb-run, as tests/bench/run_benchmarks.sh does. A benchmark that cannot run is reported and
// makes the exit status 1; a figure that misses its target does not (these are not tests).
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "bench.h"
#include "bench_support.h"

namespace kiosk::bench {

bool BenchOptions::wants(const std::string& name) const {
    if (only.empty()) return true;
    for (const auto& wanted : only)
        if (wanted == name) return true;
    return false;
}

namespace {

std::string formatNumber(double value) {
    char text[32];
    const double magnitude = std::fabs(value);
    if (magnitude >= 1000)
        std::snprintf(text, sizeof text, "%.0f", value);
    else if (magnitude >= 10)
        std::snprintf(text, sizeof text, "%.1f", value);
    else if (magnitude >= 0.1)
        std::snprintf(text, sizeof text, "%.2f", value);
    else
        std::snprintf(text, sizeof text, "%.4f", value);
    return text;
}

std::string withUnit(double value, const std::string& unit) {
    return formatNumber(value) + (unit == "%" || unit == "/s" ? "" : " ") + unit;
}

void printTable(const std::vector<Figure>& figures) {
    std::printf("%-46s %13s %24s %7s %11s  %-6s %s\n", "figure", "measured", "reference", "ratio", "target",
                "result", "notes");
    std::printf("%s\n", std::string(130, '-').c_str());
    for (const auto& figure : figures) {
        const std::string reference =
            figure.reference ? withUnit(*figure.reference, figure.unit) + " " + figure.referenceLabel : "";
        const auto ratio = figure.ratio();
        const std::string target = figure.target ? std::string(figure.better == Better::Lower ? "< " : "> ") +
                                                       withUnit(*figure.target, figure.unit)
                                                 : "";
        const char* result = figure.target ? (figure.passes() ? "PASS" : "MISS") : "";
        std::printf("%-46s %13s %24s %7s %11s  %-6s %s\n", figure.label.c_str(),
                    withUnit(figure.value, figure.unit).c_str(), reference.c_str(),
                    ratio ? (formatNumber(*ratio) + "x").c_str() : "", target.c_str(), result,
                    figure.note.c_str());
    }
}

nlohmann::json optionalNumber(const std::optional<double>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

void writeJson(const std::filesystem::path& file, const BenchOptions& options,
               const std::vector<Figure>& figures, const std::map<std::string, std::string>& errors,
               const std::string& startedAt) {
    nlohmann::json out;
    for (const auto& figure : figures) {
        out[figure.key] = {
            {"label", figure.label},
            {"value", figure.value},
            {"unit", figure.unit},
            {"target", optionalNumber(figure.target)},
            {"better", figure.better == Better::Lower ? "lower" : "higher"},
            {"pass", figure.target ? nlohmann::json(figure.passes()) : nlohmann::json(nullptr)},
            {"reference", optionalNumber(figure.reference)},
            {"referenceLabel", figure.referenceLabel},
            {"ratio", optionalNumber(figure.ratio())},
            {"note", figure.note},
        };
    }
    double load[3] = {0, 0, 0};
    if (getloadavg(load, 3) < 0) load[0] = -1;
    const nlohmann::json document = {
        {"schema", 1},
        {"mode", options.quick ? "quick" : "full"},
        {"startedAt", startedAt},
        {"machine", {{"cpus", std::thread::hardware_concurrency()}, {"loadAverage1m", load[0]}}},
        {"windowed", options.windowed},
        {"figures", out},
        {"errors", errors},
    };
    writeTextFile(file, document.dump(2) + "\n");
}

std::string utcNow() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::vector<std::string> splitList(const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream stream(text);
    std::string part;
    while (std::getline(stream, part, ','))
        if (!part.empty()) parts.push_back(part);
    return parts;
}

int usage(const char* problem) {
    std::fprintf(stderr,
                 "kiosk-bench: %s\nUsage: kiosk-bench [--quick] [--json FILE] [--work-dir DIR] [--only LIST] "
                 "[--no-window]\n  LIST: startup,memory,frames,idle,seal,delivery,content,staff\n",
                 problem);
    return 2;
}

}  // namespace
}  // namespace kiosk::bench

int main(int argc, char** argv) {
    using namespace kiosk::bench;
    BenchOptions options;
    std::filesystem::path jsonFile = "benchmark.json";
    options.workDirectory = "bench-work";
    options.kiosk = KIOSK_BENCH_KIOSK;
    options.kioskctl = KIOSK_BENCH_KIOSKCTL;
    options.fakeCouncil = KIOSK_BENCH_FAKE_COUNCIL;
    options.samplePack = KIOSK_BENCH_SAMPLE_PACK;
    bool noWindow = false;
    for (int i = 1; i < argc; ++i) {
        const std::string argument = argv[i];
        const auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
        if (argument == "--quick") {
            options.quick = true;
        } else if (argument == "--no-window") {
            noWindow = true;
        } else if (argument == "--json" || argument == "--work-dir" || argument == "--only") {
            const char* given = value();
            if (!given) return usage((argument + " needs a value").c_str());
            if (argument == "--json")
                jsonFile = given;
            else if (argument == "--work-dir")
                options.workDirectory = given;
            else
                options.only = splitList(given);
        } else {
            return usage(("unknown option " + argument).c_str());
        }
    }
    const char* display = std::getenv("DISPLAY");
    options.windowed = !options.quick && !noWindow && display && *display;
    options.workDirectory = std::filesystem::absolute(options.workDirectory);
    std::filesystem::create_directories(options.workDirectory);

    const struct {
        const char* name;
        std::function<void(const BenchOptions&, std::vector<Figure>&)> run;
    } benchmarks[] = {
        {"startup", benchStartup}, {"memory", benchMemory}, {"frames", benchFrames},
        {"idle", benchIdle},       {"seal", benchSeal},     {"delivery", benchDelivery},
        {"content", benchContent}, {"staff", benchStaff},
    };
    const std::string startedAt = utcNow();
    std::vector<Figure> figures;
    std::map<std::string, std::string> errors;
    for (const auto& benchmark : benchmarks) {
        if (!options.wants(benchmark.name)) continue;
        if (std::string(benchmark.name) == "idle" && !options.windowed) {
            std::fprintf(stderr, "kiosk-bench: idle skipped (%s)\n",
                         options.quick ? "--quick" : "no X display: run under xvfb-run");
            continue;
        }
        std::fprintf(stderr, "kiosk-bench: %s...\n", benchmark.name);
        const auto start = Clock::now();
        try {
            benchmark.run(options, figures);
        } catch (const std::exception& error) {
            errors[benchmark.name] = error.what();
            std::fprintf(stderr, "kiosk-bench: %s failed: %s\n", benchmark.name, error.what());
        }
        std::fprintf(stderr, "kiosk-bench: %s took %.1f s\n", benchmark.name, millisSince(start) / 1000.0);
    }

    double load[3] = {0, 0, 0};
    getloadavg(load, 3);
    std::printf("Council Kiosk benchmarks, %s mode, %u CPUs, load average %.2f, %s\n\n",
                options.quick ? "quick" : "full", std::thread::hardware_concurrency(), load[0],
                startedAt.c_str());
    printTable(figures);
    for (const auto& [name, message] : errors)
        std::printf("\nFAILED %s: %s\n", name.c_str(), message.c_str());
    writeJson(jsonFile, options, figures, errors, startedAt);
    std::printf("\nWrote %s\n", std::filesystem::absolute(jsonFile).c_str());
    return errors.empty() ? 0 : 1;
}
