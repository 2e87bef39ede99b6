// The commands behind kioskctl, one function each, so main() only parses options.
// Every command prints to stdout, explains failures on stderr, and returns the exit code.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "kiosk/config.h"
#include "store/outbox_store.h"

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
// Anonymous usage statistics of the last `days` UTC days: a short readable summary, or the CSV
// described in include/store/usage_stats.h.
int runStats(const CommonOptions& options, bool asCsv, int days);

// Device keys, export bundles and the out-of-band delivery they make possible.
int runDeviceShow(const CommonOptions& options);
int runExport(const CommonOptions& options, const std::filesystem::path& folder);
int runBundleVerify(const std::filesystem::path& bundleFile);
int runBundleOpen(const std::filesystem::path& bundleFile, const std::filesystem::path& councilKeyFile);
int runBundleDeliver(const CommonOptions& options, const std::filesystem::path& bundleFile);
int runMarkDelivered(const CommonOptions& options, const std::filesystem::path& bundleFile);

// The config file with --data-dir applied, or nullopt after saying on stderr what is wrong.
std::optional<KioskConfig> loadConfigOrExplain(const CommonOptions& options);
// Where the kiosk's database is, and whose it is, for any store class's open().
store::StoreOptions storeOptions(const KioskConfig& config);

// Staff and audit (kioskctl_staff.cpp). The PIN or passphrase is read from the terminal with echo
// off, or as two lines from stdin when it is not a terminal; never from the command line.
int runStaffAdd(const CommonOptions& options, const std::string& role, const std::string& name);
int runStaffList(const CommonOptions& options);
int runStaffUnlock(const CommonOptions& options, const std::string& staffId);
int runAuditVerify(const CommonOptions& options);
int runAuditShow(const CommonOptions& options, int limit);
// Appends an audit row for an admin action made with kioskctl (actor "kioskctl:<user>"); false
// after saying on stderr why it could not.
bool auditFromCommandLine(const CommonOptions& options, const std::string& action, const std::string& detail);

// Open311 GeoReport v2 servers (kioskctl_open311.cpp); GETs only. The api key, when a server wants
// it, is read from the first line of a file and never printed.
struct Open311Options {
    std::string jurisdictionId;
    std::optional<std::filesystem::path> apiKeyFile;
};
// The server's services: code, name, group and whether it defines questions (metadata).
int runOpen311Services(const std::string& baseUrl, const Open311Options& options);
// A draft form, services.json entry and destination mapping for one service, as JSON on stdout.
int runOpen311Draft(const std::string& baseUrl, const std::string& serviceCode,
                    const Open311Options& options);

}  // namespace kiosk::tools
