// FakeCouncilProcess: posix_spawn, port-file handshake, bounded shutdown.
#include "fake_council_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
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

Result<std::unique_ptr<FakeCouncilProcess>> FakeCouncilProcess::start(const FakeCouncilOptions& options) {
    const auto keyFile = options.workDirectory / "council-secret.key";
    const auto portFile = options.workDirectory / "fake-council.port";
    std::filesystem::remove(portFile);
    {
        std::ofstream out(keyFile, std::ios::trunc);
        out << options.secretKeyBase64 << "\n";
    }

    std::vector<std::string> arguments = {options.executable.string(),
                                          "--port",
                                          "0",
                                          "--port-file",
                                          portFile.string(),
                                          "--secret-key-file",
                                          keyFile.string(),
                                          "--device-token",
                                          options.deviceToken,
                                          "--webhook-secret",
                                          options.webhookSecret};
    if (options.keepState) {
        arguments.push_back("--state-file");
        arguments.push_back((options.workDirectory / "fake-council-state.json").string());
    }
    arguments.insert(arguments.end(), options.faults.begin(), options.faults.end());
    std::vector<char*> argv;
    for (auto& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);

    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
        return failure("could not start " + options.executable.string());
    }

    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (std::chrono::steady_clock::now() < deadline) {
        std::ifstream in(portFile);
        int port = 0;
        if (in >> port && port > 0)
            return std::unique_ptr<FakeCouncilProcess>(new FakeCouncilProcess(pid, port));
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            return failure("fake-council exited during start-up with status " + std::to_string(status));
        }
        std::this_thread::sleep_for(10ms);
    }
    kill(pid, SIGKILL);
    reapWithin(pid, 5s);
    return failure("fake-council did not write its port file within 10 s");
}

FakeCouncilProcess::~FakeCouncilProcess() {
    stop();
}

void FakeCouncilProcess::stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    if (!reapWithin(pid_, 5s)) {
        kill(pid_, SIGKILL);
        reapWithin(pid_, 5s);
    }
    pid_ = 0;
}

Result<nlohmann::json> FakeCouncilProcess::getJson(const std::string& path) const {
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

int unusedLoopbackPort() {
    const int socketFd = socket(AF_INET, SOCK_STREAM, 0);
    if (socketFd < 0) return 0;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    int port = 0;
    if (bind(socketFd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
        getsockname(socketFd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
        port = ntohs(address.sin_port);
    }
    close(socketFd);
    return port;
}

}  // namespace kiosk::sync::testing
