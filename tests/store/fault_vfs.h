// A SQLite VFS shim for tests that passes everything to the platform VFS but can be told to
// fail writes or syncs, the way SQLite's own test VFS injects I/O errors. While a
// FaultVfsScope lives it is the default VFS, so stores opened meanwhile go through it.
#pragma once

namespace kiosk::store::test {

struct FaultSwitches {
    bool failWrites = false;  // xWrite returns SQLITE_IOERR_WRITE
    bool failSyncs = false;   // xSync returns SQLITE_IOERR_FSYNC
    bool exitOnSync = false;  // the process ends inside xSync: a crash mid-commit
};

class FaultVfsScope {
public:
    FaultVfsScope();
    ~FaultVfsScope();  // restores the platform VFS; close stores opened in scope first
    FaultVfsScope(const FaultVfsScope&) = delete;
    FaultVfsScope& operator=(const FaultVfsScope&) = delete;

    FaultSwitches& switches();
};

}  // namespace kiosk::store::test
