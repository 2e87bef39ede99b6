// Benchmark hooks (bench_hooks.h).
#include "bench_hooks.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>

namespace kiosk::drivers {
namespace {

// CPU time of this thread: on a shared machine it shows what a frame costs apart from the time
// spent waiting for a core.
double threadCpuMillis() {
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

// Percentiles by rank on the sorted samples: with a few hundred frames p99 is one of the
// slowest few, which is what a resident would notice as a stutter.
double percentile(const std::vector<double>& sorted, double fraction) {
    if (sorted.empty()) return 0;
    const auto rank = static_cast<std::size_t>(fraction * static_cast<double>(sorted.size() - 1) + 0.5);
    return sorted[std::min(rank, sorted.size() - 1)];
}

std::string benchFrames(platform::ScriptSteps& steps, const std::string& text) {
    int count = 0;
    try {
        count = std::stoi(text);
    } catch (const std::exception&) {
    }
    if (count < 1 || count > 1'000'000) return "bench-frames needs a frame count, not '" + text + "'";
    // A still pointer over the page keeps hover real without pressing anything; moving it one
    // pixel each frame makes sure no frame can be a cheap repeat of the last.
    float x = 0, y = 0;
    steps.pageCentre(x, y);
    std::vector<double> millis, cpuMillis;
    millis.reserve(static_cast<std::size_t>(count));
    cpuMillis.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        const double cpuStart = threadCpuMillis();
        const auto start = std::chrono::steady_clock::now();
        steps.frameWithPointerAt(x + static_cast<float>(i % 2), y);
        const std::chrono::duration<double, std::milli> spent = std::chrono::steady_clock::now() - start;
        millis.push_back(spent.count());
        cpuMillis.push_back(threadCpuMillis() - cpuStart);
    }
    std::sort(millis.begin(), millis.end());
    std::sort(cpuMillis.begin(), cpuMillis.end());
    std::printf(
        "bench-frames screen=%s frames=%d p50-ms=%.3f p99-ms=%.3f max-ms=%.3f cpu-p50-ms=%.3f "
        "cpu-p99-ms=%.3f\n",
        screenName(steps.app().state), count, percentile(millis, 0.50), percentile(millis, 0.99),
        millis.back(), percentile(cpuMillis, 0.50), percentile(cpuMillis, 0.99));
    std::fflush(stdout);
    steps.settle();
    return {};
}

std::string reportMemory(platform::ScriptSteps& steps, const std::string&) {
    const long kilobytes = readPssKilobytes();
    if (kilobytes < 0) return "cannot read Pss from /proc/self/smaps_rollup";
    std::printf("pss-kb %ld screen=%s\n", kilobytes, screenName(steps.app().state));
    std::fflush(stdout);
    return {};
}

}  // namespace

long readPssKilobytes() {
    std::ifstream rollup("/proc/self/smaps_rollup");
    std::string field;
    while (rollup >> field) {
        if (field == "Pss:") {
            long kilobytes = -1;
            rollup >> kilobytes;
            return kilobytes;
        }
    }
    return -1;
}

std::vector<platform::ScriptCommand> benchmarkScriptCommands() {
    return {{"bench-frames", true, benchFrames}, {"report-memory", false, reportMemory}};
}

void reportFirstFrameWhenAsked(platform::KioskApp& app, std::chrono::steady_clock::time_point processStart) {
    const char* value = std::getenv("KIOSK_REPORT_FIRST_FRAME");
    if (!value || std::strcmp(value, "1") != 0) return;
    app.afterFirstFrame = [processStart] {
        const std::chrono::duration<double, std::milli> elapsed =
            std::chrono::steady_clock::now() - processStart;
        std::fprintf(stderr, "first-frame-ms %.2f\n", elapsed.count());
        std::fflush(stderr);
    };
}

}  // namespace kiosk::drivers
