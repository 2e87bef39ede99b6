// kiosk-bench: shared types. Each benchmark appends Figures; kiosk_bench.cpp prints them as one
// table and writes them as JSON. Targets are DESIGN.md section 7's.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::bench {

enum class Better { Lower, Higher };

struct Figure {
    std::string key;    // JSON name, e.g. "seal.p99_ms"
    std::string label;  // table text
    double value = 0;
    std::string unit;
    std::optional<double> target;  // none: shown for context, no PASS/MISS
    Better better = Better::Lower;
    // A plain implementation of the same work, measured side by side; ratio = value / reference.
    std::optional<double> reference;
    std::string referenceLabel;
    std::string note;

    bool passes() const { return !target || (better == Better::Lower ? value < *target : value > *target); }
    std::optional<double> ratio() const {
        if (!reference || *reference == 0) return std::nullopt;
        return value / *reference;
    }
};

struct BenchOptions {
    bool quick = false;     // small counts, no windowed parts: the CTest smoke test
    bool windowed = false;  // an X display is there (Xvfb) and windowed parts were not turned off
    std::filesystem::path workDirectory;
    std::filesystem::path kiosk;  // council-kiosk-drivers (council-kiosk with the benchmark hooks)
    std::filesystem::path kioskctl;
    std::filesystem::path fakeCouncil;  // fake-council
    std::filesystem::path samplePack;   // assets/packs/sample-district
    std::vector<std::string> only;      // benchmark names to run; empty: all

    bool wants(const std::string& name) const;
};

// Each adds its figures; a benchmark that cannot run throws std::runtime_error with the reason.
void benchStartup(const BenchOptions& options, std::vector<Figure>& figures);
void benchMemory(const BenchOptions& options, std::vector<Figure>& figures);
void benchIdle(const BenchOptions& options, std::vector<Figure>& figures);
void benchFrames(const BenchOptions& options, std::vector<Figure>& figures);
void benchSeal(const BenchOptions& options, std::vector<Figure>& figures);
void benchDelivery(const BenchOptions& options, std::vector<Figure>& figures);
void benchContent(const BenchOptions& options, std::vector<Figure>& figures);
void benchStaff(const BenchOptions& options, std::vector<Figure>& figures);

}  // namespace kiosk::bench
