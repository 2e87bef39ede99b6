// Fault-injecting SQLite VFS: a thin wrapper whose file methods forward to the real VFS's
// files unless a fault switch is on.
#include "fault_vfs.h"

#include <sqlite3.h>
#include <unistd.h>

#include <catch2/catch.hpp>

namespace kiosk::store::test {
namespace {

FaultSwitches g_switches;
sqlite3_vfs* g_realVfs = nullptr;
sqlite3_vfs g_faultVfs;

// The real file lives directly after our header in the same allocation.
struct FaultFile {
    sqlite3_file base;
    sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

sqlite3_file* realOf(sqlite3_file* file) {
    return reinterpret_cast<FaultFile*>(file)->real();
}

int faultClose(sqlite3_file* f) {
    return realOf(f)->pMethods->xClose(realOf(f));
}
int faultRead(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
    return realOf(f)->pMethods->xRead(realOf(f), buffer, amount, offset);
}
int faultWrite(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
    if (g_switches.failWrites) return SQLITE_IOERR_WRITE;
    return realOf(f)->pMethods->xWrite(realOf(f), buffer, amount, offset);
}
int faultTruncate(sqlite3_file* f, sqlite3_int64 size) {
    return realOf(f)->pMethods->xTruncate(realOf(f), size);
}
int faultSync(sqlite3_file* f, int flags) {
    if (g_switches.failSyncs) return SQLITE_IOERR_FSYNC;
    if (g_switches.exitOnSync) _exit(0);  // no destructors, no SQLite cleanup, as in a crash
    return realOf(f)->pMethods->xSync(realOf(f), flags);
}
int faultFileSize(sqlite3_file* f, sqlite3_int64* size) {
    return realOf(f)->pMethods->xFileSize(realOf(f), size);
}
int faultLock(sqlite3_file* f, int level) {
    return realOf(f)->pMethods->xLock(realOf(f), level);
}
int faultUnlock(sqlite3_file* f, int level) {
    return realOf(f)->pMethods->xUnlock(realOf(f), level);
}
int faultCheckReservedLock(sqlite3_file* f, int* out) {
    return realOf(f)->pMethods->xCheckReservedLock(realOf(f), out);
}
int faultFileControl(sqlite3_file* f, int op, void* arg) {
    return realOf(f)->pMethods->xFileControl(realOf(f), op, arg);
}
int faultSectorSize(sqlite3_file* f) {
    return realOf(f)->pMethods->xSectorSize(realOf(f));
}
int faultDeviceCharacteristics(sqlite3_file* f) {
    return realOf(f)->pMethods->xDeviceCharacteristics(realOf(f));
}
int faultShmMap(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return realOf(f)->pMethods->xShmMap(realOf(f), page, size, extend, out);
}
int faultShmLock(sqlite3_file* f, int offset, int n, int flags) {
    return realOf(f)->pMethods->xShmLock(realOf(f), offset, n, flags);
}
void faultShmBarrier(sqlite3_file* f) {
    realOf(f)->pMethods->xShmBarrier(realOf(f));
}
int faultShmUnmap(sqlite3_file* f, int deleteFlag) {
    return realOf(f)->pMethods->xShmUnmap(realOf(f), deleteFlag);
}
// Memory-mapped reads would bypass xRead; refusing them keeps every access visible here.
int faultFetch(sqlite3_file*, sqlite3_int64, int, void** out) {
    *out = nullptr;
    return SQLITE_OK;
}
int faultUnfetch(sqlite3_file*, sqlite3_int64, void*) {
    return SQLITE_OK;
}

const sqlite3_io_methods kFaultMethods = {
    3,
    faultClose,
    faultRead,
    faultWrite,
    faultTruncate,
    faultSync,
    faultFileSize,
    faultLock,
    faultUnlock,
    faultCheckReservedLock,
    faultFileControl,
    faultSectorSize,
    faultDeviceCharacteristics,
    faultShmMap,
    faultShmLock,
    faultShmBarrier,
    faultShmUnmap,
    faultFetch,
    faultUnfetch,
};

int faultOpen(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* outFlags) {
    auto* wrapper = reinterpret_cast<FaultFile*>(file);
    wrapper->base.pMethods = nullptr;
    int rc = g_realVfs->xOpen(g_realVfs, name, wrapper->real(), flags, outFlags);
    if (rc == SQLITE_OK && wrapper->real()->pMethods != nullptr) wrapper->base.pMethods = &kFaultMethods;
    return rc;
}
int faultDelete(sqlite3_vfs*, const char* name, int syncDir) {
    return g_realVfs->xDelete(g_realVfs, name, syncDir);
}
int faultAccess(sqlite3_vfs*, const char* name, int flags, int* out) {
    return g_realVfs->xAccess(g_realVfs, name, flags, out);
}
int faultFullPathname(sqlite3_vfs*, const char* name, int size, char* out) {
    return g_realVfs->xFullPathname(g_realVfs, name, size, out);
}
int faultRandomness(sqlite3_vfs*, int size, char* out) {
    return g_realVfs->xRandomness(g_realVfs, size, out);
}
int faultSleep(sqlite3_vfs*, int micros) {
    return g_realVfs->xSleep(g_realVfs, micros);
}
int faultCurrentTime(sqlite3_vfs*, double* out) {
    return g_realVfs->xCurrentTime(g_realVfs, out);
}
int faultGetLastError(sqlite3_vfs*, int size, char* out) {
    return g_realVfs->xGetLastError(g_realVfs, size, out);
}
int faultCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
    return g_realVfs->xCurrentTimeInt64(g_realVfs, out);
}

}  // namespace

FaultVfsScope::FaultVfsScope() {
    g_switches = FaultSwitches{};
    g_realVfs = sqlite3_vfs_find(nullptr);
    REQUIRE(g_realVfs != nullptr);
    g_faultVfs = sqlite3_vfs{};
    g_faultVfs.iVersion = 2;
    g_faultVfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + g_realVfs->szOsFile;
    g_faultVfs.mxPathname = g_realVfs->mxPathname;
    g_faultVfs.zName = "kiosk-test-fault";
    g_faultVfs.xOpen = faultOpen;
    g_faultVfs.xDelete = faultDelete;
    g_faultVfs.xAccess = faultAccess;
    g_faultVfs.xFullPathname = faultFullPathname;
    g_faultVfs.xRandomness = faultRandomness;
    g_faultVfs.xSleep = faultSleep;
    g_faultVfs.xCurrentTime = faultCurrentTime;
    g_faultVfs.xGetLastError = faultGetLastError;
    g_faultVfs.xCurrentTimeInt64 = faultCurrentTimeInt64;
    REQUIRE(sqlite3_vfs_register(&g_faultVfs, 1) == SQLITE_OK);
}

FaultVfsScope::~FaultVfsScope() {
    sqlite3_vfs_unregister(&g_faultVfs);
    sqlite3_vfs_register(g_realVfs, 1);
}

FaultSwitches& FaultVfsScope::switches() {
    return g_switches;
}

}  // namespace kiosk::store::test
