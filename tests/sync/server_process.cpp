// ServerProcess: posix_spawn, port-file handshake, bounded shutdown.
#include "server_process.h"

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "sync/transport.h"

extern char** environ;

namespace kiosk::sync::testing {
namespace {

using namespace std::chrono_literals;

Error failure(const std::string& message) {
    return Error{kiosk::ErrorCode::IoError, message};
}

// Waits up to `timeout` for the child to exit; true when it has been reaped.
bool reapWithin(pid_t pid, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        const pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid || done < 0) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

}  // namespace

Result<std::unique_ptr<ServerProcess>> ServerProcess::start(std::vector<std::string> arguments,
                                                            const std::filesystem::path& portFile,
                                                            const std::string& name) {
    std::filesystem::remove(portFile);
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);

    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
        return failure("could not start " + arguments.front());
    }

    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
        std::ifstream in(portFile);
        int port = 0;
        if (in >> port && port > 0) return std::unique_ptr<ServerProcess>(new ServerProcess(pid, port));
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            return failure(name + " exited during start-up with status " + std::to_string(status));
        }
        std::this_thread::sleep_for(10ms);
    }
    kill(pid, SIGKILL);
    reapWithin(pid, 5s);
    return failure(name + " did not write its port file within 10 s");
}

ServerProcess::~ServerProcess() {
    stop();
}

void ServerProcess::stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    if (!reapWithin(pid_, 5s)) {
        kill(pid_, SIGKILL);
        reapWithin(pid_, 5s);
    }
    pid_ = 0;
}

Result<nlohmann::json> ServerProcess::getJson(const std::string& path) const {
    KioskConfig::Network network;
    network.connectTimeoutSeconds = 2;
    network.totalTimeoutSeconds = 5;
    CurlTransport transport(network);
    HttpRequest request;
    request.method = "GET";
    request.url = baseUrl() + path;
    const HttpResponse response = transport.send(request);
    if (!response.transportOk) return failure("GET " + path + ": " + response.transportError);
    if (response.status != 200) return failure("GET " + path + ": HTTP " + std::to_string(response.status));
    auto parsed = nlohmann::json::parse(response.body, nullptr, false);
    if (parsed.is_discarded()) return failure("GET " + path + ": not JSON");
    return parsed;
}

}  // namespace kiosk::sync::testing
