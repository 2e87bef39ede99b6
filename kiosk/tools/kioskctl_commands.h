// The commands behind kioskctl, one function each, so main() only parses options.
// Every command prints to stdout, explains failures on stderr, and returns the exit code.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "kiosk/config.h"

namespace kiosk::tools {

// Options every command shares: the config file and an optional data directory override.
struct CommonOptions {
    std::filesystem::path configFile;
    std::optional<std::filesystem::path> dataDirectory;
};

int runStatus(const CommonOptions& options, bool asJson);
int runSyncOnce(const CommonOptions& options);
int runKeysGenerate(const std::filesystem::path& outputDirectory);
int runPackLint(const std::filesystem::path& packDirectory);
int runAssist(const CommonOptions& options, bool on);

// The config file with --data-dir applied, or nullopt after saying on stderr what is wrong.
std::optional<KioskConfig> loadConfigOrExplain(const CommonOptions& options);

// Staff and audit (kioskctl_staff.cpp). The PIN or passphrase is read from the terminal with echo
// off, or as two lines from stdin when it is not a terminal; never from the command line.
int runStaffAdd(const CommonOptions& options, const std::string& role, const std::string& name);
int runStaffList(const CommonOptions& options);
int runStaffUnlock(const CommonOptions& options, const std::string& staffId);
int runAuditVerify(const CommonOptions& options);
int runAuditShow(const CommonOptions& options, int limit);

}  // namespace kiosk::tools
