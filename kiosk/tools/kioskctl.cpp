// kioskctl: the admin and test command line for Council Kiosk.
//   kioskctl status [--json]       queue counts by state and the last delivery error
//   kioskctl sync --once           try every waiting submission now (backoff or not), then exit
//   kioskctl keys generate         make a council key pair for development and tests
//   kioskctl pack lint PATH        check a content pack and explain each problem
//   kioskctl assist on|off         a volunteer is assisting: session time limit off / back on
//   kioskctl stats [--csv] [--days N]  anonymous usage statistics: a summary, or CSV for a spreadsheet
//   kioskctl device show           this kiosk's id, public keys and key fingerprint
//   kioskctl export --to FOLDER    write every undelivered form to one signed bundle (USB stick)
//   kioskctl bundle verify FILE    check a bundle's signature and every item in it
//   kioskctl bundle open FILE --council-key KEYFILE   decrypt a bundle's answers to JSON lines
//   kioskctl bundle deliver FILE   send a bundle's forms to the council API from any machine
//   kioskctl mark-delivered --bundle FILE   the council confirmed a bundle: never send those again
// status, sync, assist, stats, device, export, bundle deliver and mark-delivered take --config FILE
// and --data-dir DIR.
//   kioskctl staff add|list|unlock staff accounts; add asks for the PIN or passphrase twice
//   kioskctl audit verify|show     check the audit log's hash chain, show the newest entries
// status, sync, assist, staff and audit take --config FILE and --data-dir DIR.
//   kioskctl open311 services URL  a council Open311 server's services
//   kioskctl open311 draft URL CODE  a draft form and destination mapping for one Open311 service
#include <CLI/CLI.hpp>

#include "kioskctl_commands.h"

int main(int argc, char** argv) {
    CLI::App app{"kioskctl: look after a Council Kiosk"};
    app.require_subcommand(1);

    kiosk::tools::CommonOptions common;
    std::string dataDirectory;
    auto addCommon = [&](CLI::App* command) {
        command->add_option("--config", common.configFile, "Kiosk configuration file (JSON)")
            ->required()
            ->check(CLI::ExistingFile);
        command->add_option("--data-dir", dataDirectory,
                            "Use this data directory instead of the configured one");
    };

    bool asJson = false;
    auto* status = app.add_subcommand("status", "Show the outbox: waiting, delivered and held back");
    addCommon(status);
    status->add_flag("--json", asJson, "Print JSON for scripts and monitoring");

    bool once = false;
    auto* sync = app.add_subcommand("sync", "Deliver waiting submissions to the council");
    addCommon(sync);
    sync->add_flag("--once", once, "Deliver everything due now, then exit")->required();

    std::string keysDirectory = ".";
    auto* keys = app.add_subcommand("keys", "Council encryption keys");
    keys->require_subcommand(1);
    auto* generate = keys->add_subcommand("generate", "Make a council key pair (for development and tests)");
    generate->add_option("--out-dir", keysDirectory, "Where to write council.pub and council.key");

    std::string packDirectory;
    auto* pack = app.add_subcommand("pack", "Content packs");
    pack->require_subcommand(1);
    auto* lint = pack->add_subcommand("lint", "Check a content pack and explain each problem");
    lint->add_option("path", packDirectory, "Pack directory")->required();

    std::string assistState;
    auto* assist =
        app.add_subcommand("assist", "A volunteer is assisting: turn the session time limit off or on");
    addCommon(assist);
    assist->add_option("state", assistState, "on or off")->required()->check(CLI::IsMember({"on", "off"}));

    bool statsAsCsv = false;
    int statsDays = 30;
    auto* stats =
        app.add_subcommand("stats", "Anonymous usage statistics: a summary, or CSV for a spreadsheet");
    addCommon(stats);
    stats->add_flag("--csv", statsAsCsv, "Print CSV (one row per day and counter) instead of a summary");
    stats->add_option("--days", statsDays, "How many UTC days up to today (default 30)")
        ->check(CLI::Range(1, 3660));
    auto* device = app.add_subcommand("device", "This kiosk's own keys");
    device->require_subcommand(1);
    auto* deviceShow = device->add_subcommand("show", "Print the kiosk id, public keys and fingerprint");
    addCommon(deviceShow);

    std::string exportFolder;
    auto* exportCommand = app.add_subcommand(
        "export", "Write every undelivered form to one signed bundle file (for a USB stick)");
    addCommon(exportCommand);
    exportCommand->add_option("--to", exportFolder, "Folder to write the bundle into")->required();

    std::string bundleFile;
    std::string councilKeyFile;
    auto* bundle = app.add_subcommand("bundle", "Exported bundles: check, open and deliver them");
    bundle->require_subcommand(1);
    auto* verify = bundle->add_subcommand("verify", "Check a bundle's signature and every item in it");
    verify->add_option("file", bundleFile, "Bundle file")->required()->check(CLI::ExistingFile);
    auto* open = bundle->add_subcommand("open", "Decrypt a bundle's answers to JSON lines (council only)");
    open->add_option("file", bundleFile, "Bundle file")->required()->check(CLI::ExistingFile);
    open->add_option("--council-key", councilKeyFile, "The council's secret key file (council.key)")
        ->required()
        ->check(CLI::ExistingFile);
    auto* deliver = bundle->add_subcommand("deliver", "Send a bundle's forms to the council API");
    deliver->add_option("file", bundleFile, "Bundle file")->required()->check(CLI::ExistingFile);
    addCommon(deliver);

    auto* markDelivered = app.add_subcommand(
        "mark-delivered", "The council confirmed it received a bundle: mark its forms delivered out of band");
    addCommon(markDelivered);
    markDelivered->add_option("--bundle", bundleFile, "The bundle the council received")
        ->required()
        ->check(CLI::ExistingFile);
    std::string staffRole, staffName, staffId;
    auto* staff = app.add_subcommand("staff", "Volunteer and admin accounts");
    staff->require_subcommand(1);
    auto* staffAdd = staff->add_subcommand("add", "Add an account; asks for the PIN or passphrase twice");
    addCommon(staffAdd);
    staffAdd->add_option("--role", staffRole, "volunteer (PIN) or admin (passphrase)")
        ->required()
        ->check(CLI::IsMember({"volunteer", "admin"}));
    staffAdd->add_option("--name", staffName, "The person's name as staff will see it")->required();
    auto* staffList = staff->add_subcommand("list", "List accounts: names, roles, disabled or locked");
    addCommon(staffList);
    auto* staffUnlock = staff->add_subcommand("unlock", "Unlock an account after too many wrong tries");
    addCommon(staffUnlock);
    staffUnlock->add_option("id", staffId, "Staff id from `kioskctl staff list`")->required();

    int auditLimit = 20;
    auto* audit = app.add_subcommand("audit", "The audit log of staff actions");
    audit->require_subcommand(1);
    auto* auditVerify =
        audit->add_subcommand("verify", "Check that no audit entry was changed, removed or reordered");
    addCommon(auditVerify);
    auto* auditShow = audit->add_subcommand("show", "Show the newest audit entries");
    addCommon(auditShow);
    auditShow->add_option("--limit", auditLimit, "How many entries")->check(CLI::Range(1, 100000));

    std::string open311Url, open311ServiceCode, open311ApiKeyFile;
    kiosk::tools::Open311Options open311Options;
    auto* open311 = app.add_subcommand("open311", "Council Open311 GeoReport v2 servers (read only)");
    open311->require_subcommand(1);
    auto addOpen311 = [&](CLI::App* command) {
        command
            ->add_option("url", open311Url, "The server's base URL, e.g. https://example.gov.uk/open311/v2/")
            ->required();
        command->add_option("--jurisdiction-id", open311Options.jurisdictionId, "Sent as jurisdiction_id");
        command
            ->add_option("--api-key-file", open311ApiKeyFile, "File whose first line is the api_key to send")
            ->check(CLI::ExistingFile);
    };
    auto* open311Services = open311->add_subcommand("services", "List the server's services");
    addOpen311(open311Services);
    auto* open311Draft = open311->add_subcommand(
        "draft", "Print a draft form for a service, to edit before it goes in a pack");
    addOpen311(open311Draft);
    open311Draft->add_option("service_code", open311ServiceCode, "The Open311 service_code")->required();

    CLI11_PARSE(app, argc, argv);
    if (!open311ApiKeyFile.empty()) open311Options.apiKeyFile = open311ApiKeyFile;
    if (!dataDirectory.empty()) common.dataDirectory = dataDirectory;

    if (status->parsed()) return kiosk::tools::runStatus(common, asJson);
    if (sync->parsed()) return kiosk::tools::runSyncOnce(common);
    if (generate->parsed()) return kiosk::tools::runKeysGenerate(keysDirectory);
    if (lint->parsed()) return kiosk::tools::runPackLint(packDirectory);
    if (assist->parsed()) return kiosk::tools::runAssist(common, assistState == "on");
    if (stats->parsed()) return kiosk::tools::runStats(common, statsAsCsv, statsDays);
    if (deviceShow->parsed()) return kiosk::tools::runDeviceShow(common);
    if (exportCommand->parsed()) return kiosk::tools::runExport(common, exportFolder);
    if (verify->parsed()) return kiosk::tools::runBundleVerify(bundleFile);
    if (open->parsed()) return kiosk::tools::runBundleOpen(bundleFile, councilKeyFile);
    if (deliver->parsed()) return kiosk::tools::runBundleDeliver(common, bundleFile);
    if (markDelivered->parsed()) return kiosk::tools::runMarkDelivered(common, bundleFile);
    if (staffAdd->parsed()) return kiosk::tools::runStaffAdd(common, staffRole, staffName);
    if (staffList->parsed()) return kiosk::tools::runStaffList(common);
    if (staffUnlock->parsed()) return kiosk::tools::runStaffUnlock(common, staffId);
    if (auditVerify->parsed()) return kiosk::tools::runAuditVerify(common);
    if (auditShow->parsed()) return kiosk::tools::runAuditShow(common, auditLimit);
    if (open311Services->parsed()) return kiosk::tools::runOpen311Services(open311Url, open311Options);
    if (open311Draft->parsed())
        return kiosk::tools::runOpen311Draft(open311Url, open311ServiceCode, open311Options);
    return 2;
}
