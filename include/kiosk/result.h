// Result<T>: the value-or-error type used across the domain, store and sync layers.
// Errors in code are values; exceptions are kept for programming mistakes and for
// third-party libraries at the edges, which are caught and turned into Results there.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace kiosk {

// What kind of error: code compares kinds, never text. errorCodeName() gives each a stable
// snake_case name ("disk_full") for logs, scripts and kioskctl's JSON.
enum class ErrorCode {
    // configuration and files
    ConfigInvalid,    // the config file is not valid JSON or a setting is wrong
    ConfigMissing,    // no config file there
    Unreadable,       // a file exists but cannot be read
    TooBig,           // a file is larger than the kiosk accepts
    Missing,          // a file the pack needs is not there
    InvalidArgument,  // a caller passed a value the function cannot take
    // storage
    DiskFull,           // SQLITE_FULL, ENOSPC
    ReadOnly,           // read-only file system, permissions
    IoError,            // the disk failed a read or write
    Busy,               // another connection held the write lock past busy_timeout
    DatabaseError,      // anything else SQLite reports
    SchemaTooNew,       // the database was made by a newer kiosk
    CryptoUnavailable,  // libsodium failed to start
    NotFound,           // no such submission
    NotWaiting,         // the submission already reached another final state
    InvalidSubmission,  // a metadata field cannot be written (not UTF-8), or no encoder
    // delivery
    NoCouncilKey,              // the council public key is missing or malformed
    UnknownDestination,        // a service names a destination the config does not have
    UnknownDestinationType,    // a configured destination has a type this build does not know
    DestinationNotConfigured,  // a destination lacks an address or credentials it needs to send
    NoDatabase,                // the kiosk's database could not be opened
    // device keys and export bundles
    KeyFileDamaged,        // a device key file has the wrong size or does not hold a matching key pair
    ExportFolderMissing,   // the export folder is not there, or went away mid-export (USB stick pulled)
    BundleInvalid,         // an export bundle is malformed, tampered with or wrongly signed
    BundleCannotBeOpened,  // an export bundle item does not open with the given council key
    // staff and settings
    InvalidSecret,     // a PIN or passphrase does not meet the rules; the message says which
    InvalidStaffName,  // a staff name is empty, too long or has control characters
    StaffNameTaken,    // another account already has that name
    LastAdmin,         // the change would leave the kiosk without an admin who can sign in
    InvalidSetting,    // a hub setting is out of range; nothing was saved
};

const char* errorCodeName(ErrorCode code);  // "disk_full", "not_waiting", ...

struct Error {
    ErrorCode code = ErrorCode::InvalidArgument;
    std::string message;  // sentence for logs and admins; never contains personal data
};

// [[nodiscard]]: a Result thrown away is an error nobody handled. Status is a Result too; a call
// whose outcome truly does not matter says so where it is made.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Error error) : state_(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(state_); }
    explicit operator bool() const { return ok(); }

    T& value() { return std::get<T>(state_); }
    const T& value() const { return std::get<T>(state_); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }

    const Error& error() const { return std::get<Error>(state_); }

private:
    std::variant<T, Error> state_;
};

// For operations that return nothing on success.
struct Done {};
using Status = Result<Done>;

}  // namespace kiosk
