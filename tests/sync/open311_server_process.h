// Open311ServerProcess: the Open311 replay server (tests/open311_server) as a child process on a
// free loopback port, for tests that deliver to a real GeoReport v2 server.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "server_process.h"

namespace kiosk::sync::testing {

struct Open311ServerOptions {
    std::filesystem::path executable;     // path of open311-server
    std::filesystem::path workDirectory;  // port and state files go here
    std::filesystem::path dataDirectory;  // services.json and services/CODE.json
    std::string apiKey = "test";
    std::vector<std::string> faults;  // e.g. {"--reset-after-commit", "1"}
    bool keepState = false;           // --state-file in workDirectory, so a restart keeps the reports
};

// Spawns the server and waits (at most 10 s) until it listens.
Result<std::unique_ptr<ServerProcess>> startOpen311Server(const Open311ServerOptions& options);

}  // namespace kiosk::sync::testing
