// FakeCouncilProcess: fake-council's command line on top of ServerProcess.
#include "fake_council_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>

namespace kiosk::sync::testing {

Result<std::unique_ptr<FakeCouncilProcess>> FakeCouncilProcess::start(const FakeCouncilOptions& options) {
    const auto keyFile = options.workDirectory / "council-secret.key";
    const auto portFile = options.workDirectory / "fake-council.port";
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
    auto server = ServerProcess::start(std::move(arguments), portFile, "fake-council");
    if (!server) return server.error();
    return std::unique_ptr<FakeCouncilProcess>(new FakeCouncilProcess(std::move(server.value())));
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
