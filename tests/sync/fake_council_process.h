// FakeCouncilProcess: starts the fake-council test server as a child process on a free loopback
// port, reads its admin endpoints, and stops it. For any test that needs a council to talk to.
#pragma once

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "kiosk/result.h"
#include "server_process.h"

namespace kiosk::sync::testing {

struct FakeCouncilOptions {
    std::filesystem::path executable;     // path of fake-council
    std::filesystem::path workDirectory;  // key, port and state files go here
    std::string secretKeyBase64;          // council X25519 secret key
    std::string deviceToken;
    std::string webhookSecret;        // whsec_<base64>
    std::vector<std::string> faults;  // extra flags, e.g. {"--fail-first", "2"}
    bool keepState = false;           // --state-file in workDirectory, so a restart keeps dedup state
};

class FakeCouncilProcess {
public:
    // Spawns the server and waits (at most 10 s) until it has written its port file.
    static Result<std::unique_ptr<FakeCouncilProcess>> start(const FakeCouncilOptions& options);

    int port() const { return server_->port(); }
    std::string baseUrl() const { return server_->baseUrl(); }

    // GET a JSON document from the server, e.g. "/admin/received" or "/admin/stats".
    Result<nlohmann::json> getJson(const std::string& path) const { return server_->getJson(path); }

    // SIGTERM, then SIGKILL if it has not exited within 5 s; always reaps the child.
    void stop() { server_->stop(); }

private:
    explicit FakeCouncilProcess(std::unique_ptr<ServerProcess> server) : server_(std::move(server)) {}
    std::unique_ptr<ServerProcess> server_;
};

// A loopback port with nothing listening on it (bound, read, and released again).
int unusedLoopbackPort();

}  // namespace kiosk::sync::testing
