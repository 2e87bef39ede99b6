// ServerProcess: a test server started as a child process on a free loopback port (it writes the
// port to a file once listening), read over HTTP, and stopped within a bounded time. Shared by
// the fake council (fake_council_process.h) and the Open311 replay server
// (open311_server_process.h).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kiosk/result.h"

namespace kiosk::sync::testing {

class ServerProcess {
public:
    // Spawns arguments[0] with the rest, and waits (at most 10 s) until portFile holds a port.
    // `name` is used in error messages.
    static Result<std::unique_ptr<ServerProcess>> start(std::vector<std::string> arguments,
                                                        const std::filesystem::path& portFile,
                                                        const std::string& name);
    ~ServerProcess();  // stops the server if still running
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int port() const { return port_; }
    std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }

    // GET a JSON document from the server, e.g. "/admin/requests".
    Result<nlohmann::json> getJson(const std::string& path) const;

    // SIGTERM, then SIGKILL if it has not exited within 5 s; always reaps the child.
    void stop();

private:
    ServerProcess(pid_t pid, int port) : pid_(pid), port_(port) {}
    pid_t pid_;
    int port_;
};

}  // namespace kiosk::sync::testing
