// kiosk-bench helpers: child processes with piped output, percentiles, /proc readers and the
// keys and configuration a benchmark kiosk needs.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../sync/fake_council_process.h"

namespace kiosk::bench {

using Clock = std::chrono::steady_clock;

double millisSince(Clock::time_point start);

struct Summary {
    double p50 = 0;
    double p99 = 0;
    double max = 0;
    double mean = 0;
};
// Percentiles by rank on the sorted samples.
Summary summarise(std::vector<double> samples);
double median(std::vector<double> samples);

// A child process whose stdout and stderr come back through pipes.
class ChildProcess {
public:
    // Throws std::runtime_error when the program cannot be started.
    ChildProcess(const std::vector<std::string>& arguments,
                 const std::map<std::string, std::string>& extraEnvironment);
    ~ChildProcess();  // stops the child if it still runs
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    Clock::time_point startedAt() const { return startedAt_; }

    // Reads stderr until a line starting with `prefix` arrives; returns the line and when it was
    // read, or nullopt at end of output or after `timeout`.
    std::optional<std::pair<std::string, Clock::time_point>> waitForStderrLine(
        const std::string& prefix, std::chrono::milliseconds timeout);
    // Reads both pipes to their end and reaps the child; the exit status (128+signal when
    // killed). Gives up with SIGKILL after `timeout`.
    int finish(std::chrono::milliseconds timeout);
    // SIGTERM, then SIGKILL after 5 s; reaps the child. Returns what finish() returns.
    int stop();

    const std::string& out() const { return out_; }
    const std::string& err() const { return err_; }

private:
    bool pump(int timeoutMillis);  // reads what is ready; false when both pipes are closed
    pid_t pid_ = 0;
    int outFd_ = -1;
    int errFd_ = -1;
    Clock::time_point startedAt_;
    std::string out_;
    std::string err_;
    std::size_t errScanned_ = 0;
    bool reaped_ = false;
    int status_ = 0;
};

// Runs a command to completion; throws when it does not exit 0, with its stderr.
std::string runChecked(const std::vector<std::string>& arguments, std::chrono::milliseconds timeout,
                       const std::map<std::string, std::string>& extraEnvironment = {});

// Proportional set size of a process in kB, from /proc/PID/smaps_rollup.
long pssKilobytes(pid_t pid);

// CPU time and context switches of every thread of a process.
struct ProcessCounters {
    double cpuSecondsFromStat = 0;   // utime+stime of /proc/PID/stat (clock ticks)
    double cpuSecondsScheduled = 0;  // sum of /proc/PID/task/*/schedstat (nanoseconds)
    long contextSwitches = 0;        // voluntary + nonvoluntary, summed over threads
    int threads = 0;
};
ProcessCounters readCounters(pid_t pid);

struct CouncilKeys {
    std::string publicKeyBase64;
    std::string secretKeyBase64;
    std::string webhookSecret;  // whsec_<base64>
};
CouncilKeys makeCouncilKeys();
// The pair `kioskctl keys generate` writes, as the developer kiosk does (installer/dev.sh).
CouncilKeys generateKeysWithKioskctl(const std::filesystem::path& kioskctl,
                                     const std::filesystem::path& directory);

inline constexpr const char* kDeviceToken = "bench-device-token";

// A fake council signing with `keys` and accepting kDeviceToken, working in `directory`;
// throws when it does not start.
std::unique_ptr<sync::testing::FakeCouncilProcess> startCouncil(const std::filesystem::path& executable,
                                                                const std::filesystem::path& directory,
                                                                const CouncilKeys& keys);

// Writes a kiosk configuration for the sample pack; apiBaseUrl may be "" (no sync).
std::filesystem::path writeKioskConfig(const std::filesystem::path& file, const std::filesystem::path& pack,
                                       const std::filesystem::path& dataDirectory, const CouncilKeys& keys,
                                       const std::string& apiBaseUrl);

void writeTextFile(const std::filesystem::path& file, const std::string& text);
std::string readTextFile(const std::filesystem::path& file);

// Every line of `text` that starts with `prefix`.
std::vector<std::string> linesStartingWith(const std::string& text, const std::string& prefix);
// The number after "name=" in a line of "name=value" words; nullopt when absent.
std::optional<double> fieldValue(const std::string& line, const std::string& name);

}  // namespace kiosk::bench
