// StaffDesk: what staff mode asks of the kiosk's storage (command_executor.h StaffServices).
// Staff accounts and sign-in, the audit log, hub settings, help records, usage counts, the
// device keys and USB export, each on its own store connection.
//
// Everything answers at once on the UI thread (small local reads and one-row writes) except the
// PIN check: Argon2id takes 0.1-1 s on purpose, so it runs on a thread of its own with its own
// connection, and its answer waits in a queue until the UI thread collects it
// (collectStaffReports in the loop and the headless runner).
#pragma once

#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/config.h"
#include "kiosk/platform/command_executor.h"
#include "store/audit_log.h"
#include "store/device_identity.h"
#include "store/help_log.h"
#include "store/settings_store.h"
#include "store/staff_store.h"
#include "store/usage_stats.h"

namespace kiosk::platform {

class OutboxSealer;

class StaffDesk : public StaffServices {
public:
    // usbRoots: where USB sticks are mounted (/media, /run/media); each folder under them that is
    // a mount point is offered for export (with listAllFolders, every folder: tests).
    StaffDesk(const KioskConfig& config, const Clock& clock, OutboxSealer* outbox,
              std::vector<std::filesystem::path> usbRoots, bool listAllFolders = false);
    ~StaffDesk() override;

    // Opens the stores and the device keys (made at first start); problems go to stderr and the
    // staff screens then say signing in is not working. Returns the hub settings to apply.
    HubSettings open();

    void handle(StaffRequest& request, const ReportIntent& report) override;
    void countUsage(const CountUsage& usage) override;
    void applySettings(const HubSettings& settings) override;

    // Answers finished on the check thread, for the UI thread to dispatch. waitForChecks: first
    // let a check in flight finish (the headless runner, whose clock does not move on its own).
    std::vector<Intent> takeReports(bool waitForChecks);
    bool checking() const { return check_.valid(); }

    QueueView queueView();  // connection and queue, as the admin's queue screen shows them
    store::StaffStore* staffStore() { return staff_.get(); }
    store::AuditLog* auditLog() { return audit_.get(); }

private:
    void startCheck(const std::string& staffId, std::string secret);
    void audit(const std::string& actor, const std::string& action, const std::string& detail);
    UsageView usageView();
    AuditView auditView(bool verify);
    std::vector<ExportFolder> exportFolders();
    std::vector<StaffListEntry> accountList();
    staff::ActionDone exportTo(const std::string& actor, const std::string& folder);
    staff::ActionDone exportUsage(const std::string& actor, const std::string& folder);
    std::string lookUp(const std::string& reference);
    std::string councilPublicKey() const;
    store::StoreOptions storeOptions() const;

    const KioskConfig& config_;
    const Clock& clock_;
    OutboxSealer* outbox_;
    std::vector<std::filesystem::path> usbRoots_;
    bool listAllFolders_;
    HubSettings fromConfig_;
    std::vector<std::string> languages_;
    std::unique_ptr<store::StaffStore> staff_;
    std::unique_ptr<store::StaffStore> checkStaff_;  // used only by the check thread
    std::unique_ptr<store::AuditLog> audit_;
    std::unique_ptr<store::SettingsStore> settings_;
    std::unique_ptr<store::HelpLog> help_;
    std::unique_ptr<store::UsageStats> usage_;
    std::optional<store::DeviceIdentity> identity_;
    std::future<void> check_;
    std::mutex reportsMutex_;
    std::vector<Intent> reports_;

public:
    bool volunteerAssistingFlag = false;  // `kioskctl assist on`: counted forms are assisted
    void setLanguages(std::vector<std::string> codes) { languages_ = std::move(codes); }
};

}  // namespace kiosk::platform
