// open311-server's command line on top of ServerProcess.
#include "open311_server_process.h"

namespace kiosk::sync::testing {

Result<std::unique_ptr<ServerProcess>> startOpen311Server(const Open311ServerOptions& options) {
    const auto portFile = options.workDirectory / "open311-server.port";
    std::vector<std::string> arguments = {options.executable.string(),
                                          "--port",
                                          "0",
                                          "--port-file",
                                          portFile.string(),
                                          "--data-dir",
                                          options.dataDirectory.string(),
                                          "--api-key",
                                          options.apiKey};
    if (options.keepState) {
        arguments.push_back("--state-file");
        arguments.push_back((options.workDirectory / "open311-state.json").string());
    }
    arguments.insert(arguments.end(), options.faults.begin(), options.faults.end());
    return ServerProcess::start(std::move(arguments), portFile, "open311-server");
}

}  // namespace kiosk::sync::testing
