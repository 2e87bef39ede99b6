// kioskctl staff and audit commands: adding an account (the first admin comes from here),
// listing and unlocking accounts, and checking or showing the audit log.
#include <pwd.h>
#include <signal.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <ctime>
#include <iomanip>
#include <iostream>

#include "kiosk/clock.h"
#include "kioskctl_commands.h"
#include "store/audit_log.h"
#include "store/staff_store.h"

namespace kiosk::tools {
namespace {

constexpr std::size_t kMaxSecretBytes = 512;

// A secret that is wiped when it goes out of scope. Read byte by byte from the file descriptor,
// so no stdio or iostream buffer keeps a copy, and the buffer never reallocates.
class SecretLine {
public:
    SecretLine() { text_.reserve(kMaxSecretBytes + 1); }
    ~SecretLine() { sodium_memzero(text_.data(), text_.capacity()); }
    SecretLine(const SecretLine&) = delete;
    SecretLine& operator=(const SecretLine&) = delete;

    // False at end of input before a line, or when the line is too long to be a secret.
    bool read(int fd) {
        char c = 0;
        bool any = false;
        while (::read(fd, &c, 1) == 1) {
            any = true;
            if (c == '\n') break;
            if (text_.size() == kMaxSecretBytes) return false;
            text_.push_back(c);
        }
        sodium_memzero(&c, sizeof c);
        if (!text_.empty() && text_.back() == '\r') text_.pop_back();
        return any;
    }
    const std::string& text() const { return text_; }

private:
    std::string text_;
};

termios savedTerminal;

void restoreTerminalAndExit(int signal) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &savedTerminal);
    _exit(128 + signal);
}

// Prompts on stderr with echo off when stdin is a terminal; reads a line from stdin either way.
bool readSecret(const std::string& prompt, SecretLine& into) {
    if (!isatty(STDIN_FILENO)) return into.read(STDIN_FILENO);
    std::cerr << prompt << std::flush;
    if (tcgetattr(STDIN_FILENO, &savedTerminal) != 0) return false;
    termios quiet = savedTerminal;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    // Ctrl-C while typing must not leave the terminal without echo.
    struct sigaction restore {
    }, previousInt{}, previousTerm{};
    restore.sa_handler = restoreTerminalAndExit;
    sigaction(SIGINT, &restore, &previousInt);
    sigaction(SIGTERM, &restore, &previousTerm);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    const bool got = into.read(STDIN_FILENO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &savedTerminal);
    sigaction(SIGINT, &previousInt, nullptr);
    sigaction(SIGTERM, &previousTerm, nullptr);
    return got;
}

// Who is acting, for the audit log: the command line and the system account running it.
std::string commandLineActor() {
    const passwd* user = getpwuid(geteuid());
    return std::string("kioskctl:") + (user && user->pw_name ? user->pw_name : std::to_string(geteuid()));
}

std::unique_ptr<store::StaffStore> openStaffOrExplain(const CommonOptions& options) {
    auto config = loadConfigOrExplain(options);
    if (!config) return nullptr;
    auto staff = store::StaffStore::open(storeOptions(*config));
    if (!staff) {
        std::cerr << "kioskctl: cannot open the kiosk database: " << staff.error().message << "\n";
        return nullptr;
    }
    return std::move(staff.value());
}

std::unique_ptr<store::AuditLog> openAuditOrExplain(const CommonOptions& options) {
    auto config = loadConfigOrExplain(options);
    if (!config) return nullptr;
    auto audit = store::AuditLog::open(storeOptions(*config));
    if (!audit) {
        std::cerr << "kioskctl: cannot open the kiosk database: " << audit.error().message << "\n";
        return nullptr;
    }
    return std::move(audit.value());
}

std::string utcTime(std::int64_t millis) {
    return formatUtc(millis, "%Y-%m-%d %H:%M:%SZ");
}

}  // namespace

bool auditFromCommandLine(const CommonOptions& options, const std::string& action,
                          const std::string& detail) {
    auto audit = openAuditOrExplain(options);
    if (!audit) return false;
    SystemClock clock;
    if (auto written = audit->append(commandLineActor(), action, detail, clock.nowMillis()); !written) {
        std::cerr << "kioskctl: the audit log could not record this: " << written.error().message << "\n";
        return false;
    }
    return true;
}

int runStaffAdd(const CommonOptions& options, const std::string& roleName, const std::string& name) {
    const store::StaffRole role = roleName == "admin" ? store::StaffRole::Admin : store::StaffRole::Volunteer;
    const char* secretName = role == store::StaffRole::Admin ? "passphrase" : "PIN";
    auto staff = openStaffOrExplain(options);
    if (!staff) return 1;

    SecretLine first, second;
    const std::string prompt = role == store::StaffRole::Admin
                                   ? "Passphrase for " + name + " (at least 10 characters): "
                                   : "PIN for " + name + " (4 to 8 digits): ";
    if (!readSecret(prompt, first) ||
        !readSecret(std::string("Type the ") + secretName + " again: ", second)) {
        std::cerr << "kioskctl: enter the " << secretName << " twice, one line each; nothing was saved.\n";
        return 1;
    }
    if (first.text() != second.text()) {
        std::cerr << "kioskctl: the two " << secretName
                  << "s are different; nothing was saved. Run the command again.\n";
        return 1;
    }
    SystemClock clock;
    auto added = staff->addAccount(name, role, first.text(), commandLineActor(), clock.nowMillis());
    if (!added) {
        std::cerr << "kioskctl: " << added.error().message << " Nothing was saved.\n";
        return 1;
    }
    std::cout << "Added " << store::staffRoleName(added->role) << " '" << added->name << "' as "
              << added->staffId << ".\n";
    return 0;
}

int runStaffList(const CommonOptions& options) {
    auto staff = openStaffOrExplain(options);
    if (!staff) return 1;
    const auto accounts = staff->accounts();
    if (accounts.empty()) {
        std::cout << "No staff accounts yet. Add the first admin with:\n"
                     "  kioskctl staff add --role admin --name NAME --config FILE\n";
        return 0;
    }
    std::cout << "Staff accounts (" << accounts.size() << "):\n";
    for (const auto& account : accounts) {
        std::cout << "  " << account.staffId << "  " << std::left << std::setw(10)
                  << store::staffRoleName(account.role) << " " << account.name;
        if (account.disabled) std::cout << "  [disabled]";
        if (account.locked) {
            std::cout << "  [locked after " << account.failedAttempts
                      << " wrong tries: kioskctl staff unlock " << account.staffId << "]";
        } else if (account.failedAttempts > 0) {
            std::cout << "  [" << account.failedAttempts << " wrong tries in a row]";
        }
        std::cout << "\n";
    }
    if (!staff->hasAdmin())
        std::cout << "No admin can sign in: add one with kioskctl staff add --role admin.\n";
    return 0;
}

int runStaffUnlock(const CommonOptions& options, const std::string& staffId) {
    auto staff = openStaffOrExplain(options);
    if (!staff) return 1;
    SystemClock clock;
    if (auto unlocked = staff->unlock(staffId, commandLineActor(), clock.nowMillis()); !unlocked) {
        std::cerr << "kioskctl: " << unlocked.error().message << "\n";
        return 1;
    }
    const auto account = staff->account(staffId);
    std::cout << "Unlocked '" << (account ? account->name : staffId) << "' (" << staffId
              << "): they can sign in again.\n";
    return 0;
}

int runAuditVerify(const CommonOptions& options) {
    auto audit = openAuditOrExplain(options);
    if (!audit) return 1;
    const store::AuditVerification result = audit->verify();
    if (result.ok) {
        std::cout << "Audit log intact: " << result.rowsChecked
                  << (result.rowsChecked == 1 ? " entry" : " entries") << "\n";
        return 0;
    }
    std::cout
        << "Audit log NOT intact: " << result.problem << "\n"
        << "Keep a copy of the database file as it is and report it to the council's security contact.\n";
    return 1;
}

int runAuditShow(const CommonOptions& options, int limit) {
    auto audit = openAuditOrExplain(options);
    if (!audit) return 1;
    const auto entries = audit->newest(limit);
    if (entries.empty()) {
        std::cout << "The audit log is empty.\n";
        return 0;
    }
    for (const auto& entry : entries) {
        std::cout << std::right << std::setw(6) << entry.sequence << "  " << utcTime(entry.atMillis) << "  "
                  << std::left << std::setw(18) << entry.actor << " " << std::setw(18) << entry.action << " "
                  << entry.detail << "\n";
    }
    return 0;
}

}  // namespace kiosk::tools
