// kiosk-bench helpers: posix_spawn with pipes, percentiles, /proc readers, keys and configs.
#include "bench_support.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "kiosk/base64.h"

extern char** environ;

namespace kiosk::bench {

double millisSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

Summary summarise(std::vector<double> samples) {
    Summary summary;
    if (samples.empty()) return summary;
    std::sort(samples.begin(), samples.end());
    const auto at = [&](double fraction) {
        const auto rank = static_cast<std::size_t>(fraction * static_cast<double>(samples.size() - 1) + 0.5);
        return samples[std::min(rank, samples.size() - 1)];
    };
    summary.p50 = at(0.50);
    summary.p99 = at(0.99);
    summary.max = samples.back();
    summary.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(samples.size());
    return summary;
}

double median(std::vector<double> samples) {
    return summarise(std::move(samples)).p50;
}

// ---- child processes ------------------------------------------------------------------------

ChildProcess::ChildProcess(const std::vector<std::string>& arguments,
                           const std::map<std::string, std::string>& extraEnvironment) {
    int outPipe[2], errPipe[2];
    if (pipe2(outPipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    if (pipe2(errPipe, O_CLOEXEC) != 0) {
        close(outPipe[0]);
        close(outPipe[1]);
        throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

    std::vector<std::string> environment;
    for (char** entry = environ; *entry; ++entry) {
        const std::string text = *entry;
        const std::string name = text.substr(0, text.find('='));
        if (!extraEnvironment.count(name)) environment.push_back(text);
    }
    for (const auto& [name, value] : extraEnvironment) environment.push_back(name + "=" + value);
    std::vector<std::string> argumentCopies = arguments;
    std::vector<char*> argv, envp;
    for (auto& argument : argumentCopies) argv.push_back(argument.data());
    argv.push_back(nullptr);
    for (auto& entry : environment) envp.push_back(entry.data());
    envp.push_back(nullptr);

    startedAt_ = Clock::now();
    const int spawned = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(outPipe[1]);
    close(errPipe[1]);
    outFd_ = outPipe[0];
    errFd_ = errPipe[0];
    if (spawned != 0) {
        close(outFd_);
        close(errFd_);
        throw std::runtime_error("cannot start " + arguments.front() + ": " + std::strerror(spawned));
    }
}

ChildProcess::~ChildProcess() {
    if (!reaped_) stop();
    if (outFd_ >= 0) close(outFd_);
    if (errFd_ >= 0) close(errFd_);
}

bool ChildProcess::pump(int timeoutMillis) {
    pollfd fds[2];
    int count = 0;
    if (outFd_ >= 0) fds[count++] = {outFd_, POLLIN, 0};
    if (errFd_ >= 0) fds[count++] = {errFd_, POLLIN, 0};
    if (count == 0) return false;
    if (poll(fds, static_cast<nfds_t>(count), timeoutMillis) <= 0) return true;
    char buffer[65536];
    for (int i = 0; i < count; ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        const ssize_t got = read(fds[i].fd, buffer, sizeof buffer);
        const bool isOut = fds[i].fd == outFd_;
        if (got > 0) {
            (isOut ? out_ : err_).append(buffer, static_cast<std::size_t>(got));
        } else {
            close(fds[i].fd);
            (isOut ? outFd_ : errFd_) = -1;
        }
    }
    return outFd_ >= 0 || errFd_ >= 0;
}

std::optional<std::pair<std::string, Clock::time_point>> ChildProcess::waitForStderrLine(
    const std::string& prefix, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (true) {
        std::size_t end;
        while ((end = err_.find('\n', errScanned_)) != std::string::npos) {
            const std::string line = err_.substr(errScanned_, end - errScanned_);
            errScanned_ = end + 1;
            if (line.rfind(prefix, 0) == 0) return std::make_pair(line, Clock::now());
        }
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return std::nullopt;
        if (!pump(static_cast<int>(std::min<long long>(left, 100)))) {
            if (err_.find('\n', errScanned_) == std::string::npos) return std::nullopt;
        }
    }
}

int ChildProcess::finish(std::chrono::milliseconds timeout) {
    if (reaped_) return status_;
    const auto deadline = Clock::now() + timeout;
    bool killed = false;
    while (true) {
        int status = 0;
        const pid_t done = waitpid(pid_, &status, WNOHANG);
        if (done == pid_) {
            while (pump(50)) {
            }
            reaped_ = true;
            status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            return status_;
        }
        if (!killed && Clock::now() > deadline) {
            kill(pid_, SIGKILL);
            killed = true;
        }
        if (!pump(20)) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

int ChildProcess::stop() {
    if (reaped_) return status_;
    kill(pid_, SIGTERM);
    return finish(std::chrono::seconds(5));
}

std::string runChecked(const std::vector<std::string>& arguments, std::chrono::milliseconds timeout,
                       const std::map<std::string, std::string>& extraEnvironment) {
    ChildProcess child(arguments, extraEnvironment);
    const int status = child.finish(timeout);
    if (status != 0) {
        throw std::runtime_error(arguments.front() + " exited with status " + std::to_string(status) + ": " +
                                 child.err().substr(0, 2000));
    }
    return child.out();
}

// ---- /proc ----------------------------------------------------------------------------------

long pssKilobytes(pid_t pid) {
    std::ifstream rollup("/proc/" + std::to_string(pid) + "/smaps_rollup");
    std::string field;
    while (rollup >> field) {
        if (field == "Pss:") {
            long kilobytes = -1;
            rollup >> kilobytes;
            return kilobytes;
        }
    }
    throw std::runtime_error("cannot read Pss of process " + std::to_string(pid));
}

ProcessCounters readCounters(pid_t pid) {
    ProcessCounters counters;
    const std::filesystem::path base = "/proc/" + std::to_string(pid);
    {
        // The command name in field 2 may hold spaces: count fields after its closing bracket.
        const std::string stat = readTextFile(base / "stat");
        std::istringstream fields(stat.substr(stat.rfind(')') + 2));
        std::string field;
        long utime = 0, stime = 0;
        for (int index = 3; fields >> field; ++index) {
            if (index == 14) utime = std::stol(field);
            if (index == 15) {
                stime = std::stol(field);
                break;
            }
        }
        counters.cpuSecondsFromStat =
            static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
    std::error_code error;
    for (const auto& task : std::filesystem::directory_iterator(base / "task", error)) {
        std::ifstream schedstat(task.path() / "schedstat");
        double nanoseconds = 0;
        if (schedstat >> nanoseconds) counters.cpuSecondsScheduled += nanoseconds / 1e9;
        std::ifstream status(task.path() / "status");
        std::string line;
        while (std::getline(status, line)) {
            if (line.rfind("voluntary_ctxt_switches:", 0) == 0 ||
                line.rfind("nonvoluntary_ctxt_switches:", 0) == 0)
                counters.contextSwitches += std::stol(line.substr(line.find(':') + 1));
        }
        ++counters.threads;
    }
    return counters;
}

// ---- keys and configuration -----------------------------------------------------------------

namespace {

std::string toBase64(const unsigned char* data, std::size_t size) {
    return encodeBase64(std::string_view(reinterpret_cast<const char*>(data), size));
}

std::string trimmed(std::string text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
    return text;
}

std::string newWebhookSecret() {
    unsigned char key[24];
    randombytes_buf(key, sizeof key);
    return "whsec_" + toBase64(key, sizeof key);
}

}  // namespace

CouncilKeys makeCouncilKeys() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium did not initialise");
    unsigned char publicKey[crypto_box_PUBLICKEYBYTES];
    unsigned char secretKey[crypto_box_SECRETKEYBYTES];
    crypto_box_keypair(publicKey, secretKey);
    return {toBase64(publicKey, sizeof publicKey), toBase64(secretKey, sizeof secretKey), newWebhookSecret()};
}

CouncilKeys generateKeysWithKioskctl(const std::filesystem::path& kioskctl,
                                     const std::filesystem::path& directory) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium did not initialise");
    std::filesystem::remove_all(directory);
    runChecked({kioskctl.string(), "keys", "generate", "--out-dir", directory.string()},
               std::chrono::seconds(30));
    return {trimmed(readTextFile(directory / "council.pub")),
            trimmed(readTextFile(directory / "council.key")), newWebhookSecret()};
}

std::filesystem::path writeKioskConfig(const std::filesystem::path& file, const std::filesystem::path& pack,
                                       const std::filesystem::path& dataDirectory, const CouncilKeys& keys,
                                       const std::string& apiBaseUrl) {
    const nlohmann::json config = {
        {"kioskId", "bench-kiosk-1"},
        {"referencePrefix", "BEN"},
        {"packDirectory", std::filesystem::absolute(pack).string()},
        {"dataDirectory", std::filesystem::absolute(dataDirectory).string()},
        {"council",
         {{"apiBaseUrl", apiBaseUrl},
          {"publicKey", keys.publicKeyBase64},
          {"deviceToken", kDeviceToken},
          {"webhookSecret", keys.webhookSecret}}},
        // The first round straight away, so an idle measurement does not catch it.
        {"network", {{"firstSyncMaxDelaySeconds", 0}}},
        {"display", {{"fullscreen", false}, {"width", 1920}, {"height", 1080}}},
    };
    std::filesystem::create_directories(dataDirectory);
    writeTextFile(file, config.dump(2) + "\n");
    return file;
}

void writeTextFile(const std::filesystem::path& file, const std::string& text) {
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + file.string());
}

std::string readTextFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> linesStartingWith(const std::string& text, const std::string& prefix) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(prefix, 0) == 0) lines.push_back(line);
    return lines;
}

std::optional<double> fieldValue(const std::string& line, const std::string& name) {
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
        if (word.rfind(name + "=", 0) != 0) continue;
        try {
            return std::stod(word.substr(name.size() + 1));
        } catch (const std::exception&) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

std::unique_ptr<sync::testing::FakeCouncilProcess> startCouncil(const std::filesystem::path& executable,
                                                                const std::filesystem::path& directory,
                                                                const CouncilKeys& keys) {
    std::filesystem::create_directories(directory);
    sync::testing::FakeCouncilOptions councilOptions;
    councilOptions.executable = executable;
    councilOptions.workDirectory = directory;
    councilOptions.secretKeyBase64 = keys.secretKeyBase64;
    councilOptions.deviceToken = kDeviceToken;
    councilOptions.webhookSecret = keys.webhookSecret;
    auto council = sync::testing::FakeCouncilProcess::start(councilOptions);
    if (!council) throw std::runtime_error(council.error().message);
    return std::move(council.value());
}

}  // namespace kiosk::bench
