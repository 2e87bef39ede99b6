// StaffDesk (staff_desk.h): each staff request as calls on the stores, answered as intents.
#include "kiosk/platform/staff_desk.h"

#include <SDL.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>

#include "kiosk/clock.h"
#include "kiosk/platform/kiosk_services.h"
#include "kiosk/secure_wipe.h"
#include "store/export_bundle.h"
#include "store/usb_folder.h"
#include "sync/outbox_delivery.h"

namespace kiosk::platform {
namespace {

StaffRole domainRole(store::StaffRole role) {
    return role == store::StaffRole::Admin ? StaffRole::Admin : StaffRole::Volunteer;
}

SignInResult domainResult(store::SignInOutcome::Kind kind) {
    using Kind = store::SignInOutcome::Kind;
    switch (kind) {
        case Kind::SignedIn:
            return SignInResult::SignedIn;
        case Kind::WrongSecret:
            return SignInResult::WrongSecret;
        case Kind::MustWait:
            return SignInResult::MustWait;
        case Kind::Locked:
            return SignInResult::Locked;
        case Kind::Disabled:
            return SignInResult::Disabled;
        case Kind::UnknownAccount:
        case Kind::Unavailable:
            break;
    }
    return SignInResult::Unavailable;
}

store::UsageEventKind storeKind(UsageKind kind) {
    switch (kind) {
        case UsageKind::SessionStarted:
            return store::UsageEventKind::SessionStarted;
        case UsageKind::ServiceStarted:
            return store::UsageEventKind::ServiceStarted;
        case UsageKind::CheckAnswersReached:
            return store::UsageEventKind::CheckAnswersReached;
        case UsageKind::FormSent:
            return store::UsageEventKind::FormSent;
        case UsageKind::ReadAloudUsed:
            return store::UsageEventKind::ReadAloudUsed;
        case UsageKind::LargerTextUsed:
            return store::UsageEventKind::LargerTextUsed;
        case UsageKind::HighContrastUsed:
            return store::UsageEventKind::HighContrastUsed;
    }
    return store::UsageEventKind::SessionStarted;
}

std::vector<NamedCount> named(const std::vector<store::NamedCount>& counts) {
    std::vector<NamedCount> out;
    out.reserve(counts.size());
    for (const auto& count : counts) out.push_back({count.name, count.count});
    return out;
}

std::string dayAndTime(std::int64_t millis) {
    return formatUtc(millis, "%e %b %Y at %H:%M");
}

// The loop sleeps in SDL_WaitEventTimeout: an empty user event wakes it for the check's answer.
void wakeLoop() {
    if (SDL_WasInit(SDL_INIT_EVENTS) == 0) return;
    SDL_Event event{};
    event.type = SDL_USEREVENT;
    SDL_PushEvent(&event);
}

bool isMountPoint(const std::filesystem::path& folder) {
    struct stat self {
    }, parent{};
    if (::stat(folder.c_str(), &self) != 0 || ::stat(folder.parent_path().c_str(), &parent) != 0)
        return false;
    return self.st_dev != parent.st_dev;
}

}  // namespace

StaffDesk::StaffDesk(const KioskConfig& config, const Clock& clock, OutboxSealer* outbox,
                     std::vector<std::filesystem::path> usbRoots, bool listAllFolders)
    : config_(config),
      clock_(clock),
      outbox_(outbox),
      usbRoots_(std::move(usbRoots)),
      listAllFolders_(listAllFolders),
      fromConfig_(hubSettingsFromConfig(config)) {}

StaffDesk::~StaffDesk() {
    if (check_.valid()) check_.wait();
}

store::StoreOptions StaffDesk::storeOptions() const {
    store::StoreOptions options;
    options.databaseFile = sync::databasePath(config_);
    options.kioskId = config_.kioskId;
    options.referencePrefix = config_.referencePrefix;
    return options;
}

HubSettings StaffDesk::open() {
    const store::StoreOptions options = storeOptions();
    const auto report = [](const char* what, const Error& error) {
        std::fprintf(stderr, "council-kiosk: %s could not open (%s: %s).\n", what, errorCodeName(error.code),
                     error.message.c_str());
    };
    if (auto opened = store::StaffStore::open(options))
        staff_ = std::move(opened.value());
    else
        report("staff accounts", opened.error());
    if (auto opened = store::StaffStore::open(options)) checkStaff_ = std::move(opened.value());
    if (auto opened = store::AuditLog::open(options))
        audit_ = std::move(opened.value());
    else
        report("the audit log", opened.error());
    if (auto opened = store::SettingsStore::open(options)) settings_ = std::move(opened.value());
    if (auto opened = store::HelpLog::open(options)) help_ = std::move(opened.value());
    if (auto opened = store::UsageStats::open(options)) usage_ = std::move(opened.value());
    if (auto identity = store::loadOrCreateDeviceIdentity(config_.dataDirectory))
        identity_.emplace(std::move(identity.value()));
    else
        report("the device keys", identity.error());
    return settings_ ? settings_->load(fromConfig_) : fromConfig_;
}

void StaffDesk::audit(const std::string& actor, const std::string& action, const std::string& detail) {
    if (!audit_) return;
    if (auto written = audit_->append(actor, action, detail, clock_.nowMillis()); !written)
        std::fprintf(stderr, "council-kiosk: an audit entry could not be written (%s).\n",
                     errorCodeName(written.error().code));
}

std::vector<StaffListEntry> StaffDesk::accountList() {
    std::vector<StaffListEntry> list;
    if (!staff_) return list;
    for (const auto& account : staff_->accounts())
        list.push_back(
            {account.staffId, account.name, domainRole(account.role), account.disabled, account.locked});
    return list;
}

void StaffDesk::startCheck(const std::string& staffId, std::string secret) {
    if (check_.valid()) check_.wait();  // one at a time; the screen shows "Checking" meanwhile
    const std::int64_t now = clock_.nowMillis();
    check_ = std::async(std::launch::async, [this, staffId, secret = std::move(secret), now]() mutable {
        staff::SignInChecked checked{SignInResult::Unavailable, std::nullopt, 0, 0};
        if (checkStaff_) {
            const store::SignInOutcome outcome = checkStaff_->signIn(staffId, secret, now);
            checked.result = domainResult(outcome.kind);
            checked.retryAtMillis = outcome.retryAtMillis;
            checked.triesBeforeLock = outcome.triesBeforeLock;
            if (outcome.account)
                checked.member = StaffMember{outcome.account->staffId, outcome.account->name,
                                             domainRole(outcome.account->role)};
        }
        wipeString(secret);
        {
            std::lock_guard lock(reportsMutex_);
            reports_.emplace_back(std::in_place_type<StaffIntent>, std::move(checked));
        }
        wakeLoop();
    });
}

std::vector<Intent> StaffDesk::takeReports(bool waitForChecks) {
    if (check_.valid() &&
        (waitForChecks || check_.wait_for(std::chrono::seconds(0)) == std::future_status::ready)) {
        check_.get();
    }
    std::lock_guard lock(reportsMutex_);
    std::vector<Intent> taken;
    taken.swap(reports_);
    return taken;
}

QueueView StaffDesk::queueView() {
    QueueView view;
    view.loadedAtMillis = clock_.nowMillis();
    if (outbox_) {
        view.syncRunning = outbox_->syncRunning();
        if (view.syncRunning) {
            const sync::SyncStatus status = outbox_->syncStatus();
            view.online = status.online;
            view.lastSuccessMillis = status.lastContactMillis;
        }
    }
    store::OutboxStore* store = outbox_ ? outbox_->store() : nullptr;
    if (store) {
        const store::QueueCounts counts = store->counts();
        view.waiting = counts.waiting;
        view.delivered = counts.delivered;
        view.heldBack = counts.heldBack;
        view.deliveredOutOfBand = counts.deliveredOutOfBand;
        view.possibleDuplicates = counts.possibleDuplicates;
        view.oldestWaitingCreatedAtMillis = counts.oldestWaitingCreatedAtMillis;
        view.lastError = store->lastError();
        for (const auto& record : store->heldBack(50))
            view.heldBackItems.push_back({record.submissionId, record.reference, record.serviceId,
                                          record.councilMessage, record.createdAtMillis});
    }
    if (help_) view.helpSessionsWaiting = help_->counts().waiting;
    return view;
}

UsageView StaffDesk::usageView() {
    UsageView view;
    if (!usage_) return view;
    const store::UsageSummary summary = usage_->summary(clock_.nowMillis(), 30);
    for (const auto& day : summary.formsSentPerDay) view.sentPerDay.push_back({day.date, day.count});
    view.sentPerService = named(summary.sentByService);
    view.sentPerLanguage = named(summary.sentByLanguage);
    for (const auto& funnel : summary.funnel)
        view.funnels.push_back({funnel.serviceId, funnel.started, funnel.reachedCheckAnswers, funnel.sent});
    view.sent = summary.formsSent;
    view.sentAssisted = summary.formsSentAssisted;
    view.sessions = summary.sessions;
    view.sessionsReadAloud = summary.sessionsWithReadAloud;
    view.sessionsLargerText = summary.sessionsWithLargerText;
    view.sessionsHighContrast = summary.sessionsWithHighContrast;
    view.helpByTopic = named(summary.helpSessionsByTopic);
    return view;
}

AuditView StaffDesk::auditView(bool verify) {
    AuditView view;
    if (!audit_) {
        view.intact = false;
        view.verification = "The audit log cannot be read on this kiosk.";
        return view;
    }
    for (const auto& entry : audit_->newest(50))
        view.newest.push_back({entry.sequence, entry.atMillis, entry.actor, entry.action, entry.detail});
    if (verify) {
        const store::AuditVerification checked = audit_->verify();
        view.intact = checked.ok;
        view.verification =
            checked.ok ? "Audit log intact: " + std::to_string(checked.rowsChecked) + " entries checked."
                       : checked.problem;
    }
    return view;
}

std::vector<ExportFolder> StaffDesk::exportFolders() {
    std::vector<ExportFolder> folders;
    std::error_code error;
    const auto offer = [&](const std::filesystem::path& folder) {
        if (!std::filesystem::is_directory(folder, error)) return;
        if (!listAllFolders_ && !isMountPoint(folder)) return;
        folders.push_back({folder.string(), folder.filename().string()});
    };
    for (const auto& root : usbRoots_) {
        for (const auto& entry : std::filesystem::directory_iterator(root, error)) {
            if (!entry.is_directory(error)) continue;
            if (listAllFolders_ || isMountPoint(entry.path())) {
                offer(entry.path());
                continue;
            }
            // /media/<user>/<stick> and /run/media/<user>/<stick>
            for (const auto& inner : std::filesystem::directory_iterator(entry.path(), error))
                offer(inner.path());
        }
    }
    std::sort(folders.begin(), folders.end(), [](auto& a, auto& b) { return a.label < b.label; });
    return folders;
}

std::string StaffDesk::councilPublicKey() const {
    if (!config_.council.publicKeyBase64.empty()) return config_.council.publicKeyBase64;
    for (const auto& destination : config_.destinations)
        if (auto key = destination.settings.find("publicKey"); key != destination.settings.end())
            return key->second;
    return {};
}

staff::ActionDone StaffDesk::exportTo(const std::string& actor, const std::string& folder) {
    store::OutboxStore* store = outbox_ ? outbox_->store() : nullptr;
    if (!store || !identity_)
        return {false, "Export is not working on this kiosk: its database or keys cannot be used.", {}};
    auto written =
        store::exportUndelivered(*store, *identity_, councilPublicKey(), folder, clock_.nowMillis());
    if (!written) {
        audit(actor, "export_failed", std::string(errorCodeName(written.error().code)));
        return {false, written.error().message, {}};
    }
    if (written->itemCount == 0) return {true, "Nothing to export: every form has been sent.", {}};
    const std::string name = written->file.filename().string();
    const std::string forms =
        std::to_string(written->itemCount) + (written->itemCount == 1 ? " form" : " forms");
    audit(actor, "export", forms + " to " + name);
    return {true, "Exported " + forms + " to " + name + ". Give the stick to the council.", {}};
}

staff::ActionDone StaffDesk::exportUsage(const std::string& actor, const std::string& folder) {
    if (!usage_) return {false, "Usage figures cannot be read on this kiosk at the moment.", {}};
    const std::int64_t now = clock_.nowMillis();
    const std::string stem = "council-kiosk-usage-" + config_.kioskId + "-" + store::utcDate(now);
    auto written = store::writeToFolder(folder, stem, ".csv", usage_->csv(now, 30));
    if (!written) return {false, written.error().message, {}};
    const std::string name = written->filename().string();
    audit(actor, "usage_exported", name);
    return {true, "Saved the usage figures to " + name + ".", {}};
}

std::string StaffDesk::lookUp(const std::string& reference) {
    store::OutboxStore* store = outbox_ ? outbox_->store() : nullptr;
    if (!store) return "References cannot be looked up on this kiosk at the moment.";
    const auto found = store->findByReference(reference);
    if (!found) return "No form with that reference was made on this kiosk. Check the letters and numbers.";
    const std::string made = "Made on " + dayAndTime(found->createdAtMillis) + ". ";
    switch (found->state) {
        case store::SubmissionState::Sealed:
            return found->reference + ": waiting to be sent. " + made +
                   "It is kept safely and goes to the council when the network is back.";
        case store::SubmissionState::Delivered:
            return found->reference + ": sent to the council on " + dayAndTime(found->deliveredAtMillis) +
                   ". " +
                   (found->councilReference.empty()
                        ? ""
                        : "The council's reference is " + found->councilReference + ".");
        case store::SubmissionState::HeldBack:
            return found->reference + ": held back. The council said: " + found->councilMessage +
                   " An admin can try it again.";
        case store::SubmissionState::DeliveredOutOfBand:
            return found->reference + ": delivered to the council by export. " + made;
    }
    return found->reference;
}

void StaffDesk::handle(StaffRequest& request, const ReportIntent& report) {
    const std::int64_t now = clock_.nowMillis();
    const auto done = [&](staff::ActionDone action) { report(Intent{StaffIntent{std::move(action)}}); };
    const auto fromStatus = [&](const Status& status, const std::string& success) {
        if (status) return staff::ActionDone{true, success, {}};
        return staff::ActionDone{false, status.error().message, {status.error().message}};
    };
    std::visit(
        [&](auto& r) {
            using T = std::decay_t<decltype(r)>;
            if constexpr (std::is_same_v<T, staff_request::LoadAccounts>) {
                report(Intent{StaffIntent{staff::StaffListLoaded{accountList()}}});
            } else if constexpr (std::is_same_v<T, staff_request::CheckSecret>) {
                startCheck(r.staffId, r.secret);
            } else if constexpr (std::is_same_v<T, staff_request::RecordSignOut>) {
                if (staff_) (void)staff_->recordSignOut(r.staffId, r.reason, now);
            } else if constexpr (std::is_same_v<T, staff_request::RecordHelp>) {
                if (!help_)
                    return done({false, "Help records cannot be kept on this kiosk at the moment.", {}});
                auto recorded = help_->record(
                    {r.volunteerId, r.help.topic, r.help.minutes, r.help.outcome, r.help.language}, now);
                if (!recorded) return done({false, recorded.error().message, {}});
                if (outbox_) outbox_->wakeSync();
                done({true, "Help recorded", {}});
            } else if constexpr (std::is_same_v<T, staff_request::LookUpReference>) {
                report(Intent{StaffIntent{staff::ReferenceLookedUp{lookUp(r.reference)}}});
            } else if constexpr (std::is_same_v<T, staff_request::LoadAdminView>) {
                staff::AdminViewLoaded loaded;
                switch (r.screen) {
                    case StaffScreen::AdminQueue:
                        loaded.queue = queueView();
                        break;
                    case StaffScreen::AdminUsage:
                        loaded.usage = usageView();
                        break;
                    case StaffScreen::AdminAudit:
                        loaded.audit = auditView(false);
                        break;
                    case StaffScreen::AdminSettings:
                        loaded.settings = settings_ ? settings_->load(fromConfig_) : fromConfig_;
                        break;
                    case StaffScreen::AdminStaff:
                        loaded.accounts = accountList();
                        break;
                    case StaffScreen::AdminExport:
                        loaded.exportFolders = exportFolders();
                        break;
                    default:
                        break;
                }
                report(Intent{StaffIntent{std::move(loaded)}});
            } else if constexpr (std::is_same_v<T, staff_request::RetryHeldBack>) {
                store::OutboxStore* store = outbox_ ? outbox_->store() : nullptr;
                if (!store)
                    return done({false, "The queue cannot be changed on this kiosk at the moment.", {}});
                const Status retried = store->retryHeldBack(r.submissionId, now);
                if (retried) {
                    audit(r.actor, "retry_held_back", r.submissionId);
                    outbox_->wakeSync();
                }
                done(fromStatus(retried, "The form is back in the queue and will be sent again."));
            } else if constexpr (std::is_same_v<T, staff_request::SyncNow>) {
                int rescheduled = 0;
                if (store::OutboxStore* store = outbox_ ? outbox_->store() : nullptr)
                    if (auto due = store->makeWaitingDueNow(now)) rescheduled += *due;
                if (help_)
                    if (auto due = help_->makeWaitingDueNow(now)) rescheduled += *due;
                audit(r.actor, "sync_now", std::to_string(rescheduled) + " waiting");
                if (outbox_) outbox_->wakeSync();
                done({true,
                      rescheduled == 0 ? "Nothing is waiting to be sent."
                                       : "Sending now: " + std::to_string(rescheduled) + " waiting.",
                      {}});
            } else if constexpr (std::is_same_v<T, staff_request::SaveSettings>) {
                const std::vector<std::string> problems = validateHubSettings(r.settings, languages_);
                if (!problems.empty()) return done({false, "The settings were not saved.", problems});
                if (!settings_)
                    return done({false, "Settings cannot be saved on this kiosk at the moment.", {}});
                const Status saved = settings_->save(r.settings, fromConfig_, languages_, r.actor, now);
                done(fromStatus(saved, "Settings saved"));
            } else if constexpr (std::is_same_v<T, staff_request::AddVolunteer>) {
                if (!staff_)
                    return done({false, "Accounts cannot be changed on this kiosk at the moment.", {}});
                auto added = staff_->addAccount(r.name, store::StaffRole::Volunteer, r.pin, r.actor, now);
                if (!added) return done({false, added.error().message, {added.error().message}});
                done({true, firstName(added->name) + " can now sign in with their PIN.", {}});
            } else if constexpr (std::is_same_v<T, staff_request::ResetPin>) {
                if (!staff_)
                    return done({false, "Accounts cannot be changed on this kiosk at the moment.", {}});
                done(fromStatus(staff_->resetSecret(r.staffId, r.pin, r.actor, now),
                                "The PIN has been changed."));
            } else if constexpr (std::is_same_v<T, staff_request::SetDisabled>) {
                if (!staff_)
                    return done({false, "Accounts cannot be changed on this kiosk at the moment.", {}});
                done(fromStatus(staff_->setDisabled(r.staffId, r.disabled, r.actor, now),
                                r.disabled ? "The account is switched off." : "The account is switched on."));
            } else if constexpr (std::is_same_v<T, staff_request::Unlock>) {
                if (!staff_)
                    return done({false, "Accounts cannot be changed on this kiosk at the moment.", {}});
                done(fromStatus(staff_->unlock(r.staffId, r.actor, now), "The account is unlocked."));
            } else if constexpr (std::is_same_v<T, staff_request::VerifyAudit>) {
                staff::AdminViewLoaded loaded;
                loaded.audit = auditView(true);
                report(Intent{StaffIntent{std::move(loaded)}});
            } else if constexpr (std::is_same_v<T, staff_request::ExportTo>) {
                done(exportTo(r.actor, r.folder));
            } else if constexpr (std::is_same_v<T, staff_request::ExportUsage>) {
                done(exportUsage(r.actor, r.folder));
            }
        },
        request);
}

void StaffDesk::countUsage(const CountUsage& usage) {
    if (!usage_) return;
    store::UsageEvent event{storeKind(usage.kind), usage.serviceId, usage.language,
                            usage.assisted || volunteerAssistingFlag};
    if (auto recorded = usage_->record(event, clock_.nowMillis()); !recorded)
        std::fprintf(stderr, "council-kiosk: a usage count could not be kept (%s).\n",
                     errorCodeName(recorded.error().code));
}

void StaffDesk::applySettings(const HubSettings&) {
    // The flow applied the session defaults already; retention is read by the purge job at the
    // next start (README "Settings").
}

}  // namespace kiosk::platform
