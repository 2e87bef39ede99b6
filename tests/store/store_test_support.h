// Shared fixtures for the store tests: a temporary directory that removes itself, a council
// key pair, store options and sample submissions, and helpers that read the database back.
#pragma once

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "store/outbox_store.h"

namespace kiosk::store::test {

// 2026-11-25T10:15:00Z
constexpr std::int64_t kSealTimeMillis = 1'795'601'700'000;

class TemporaryDirectory {
public:
    TemporaryDirectory();
    ~TemporaryDirectory();
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

struct CouncilKeyPair {
    std::array<unsigned char, 32> publicKey{};
    std::array<unsigned char, 32> secretKey{};
    std::string publicKeyBase64;
};
CouncilKeyPair makeCouncilKeyPair();
const CouncilKeyPair& testCouncilKeyPair();  // one pair for the whole test run

// Stands in for a destination adapter (tests/sync tests the real ones): seals the answers to
// the council key, and writes a compact JSON body with every SealContext field and the sealed
// box as payload.ciphertext (base64). It records nothing else, so the store tests show the store
// keeps exactly the bytes it is given.
PayloadEncoder testEncoder(const CouncilKeyPair& council = testCouncilKeyPair());

struct StoreFixture {
    TemporaryDirectory directory;
    const CouncilKeyPair& council = testCouncilKeyPair();
    StoreOptions options;
    StoreFixture();
    std::unique_ptr<OutboxStore> openStore() const;  // REQUIREs success
};

// Answers containing `marker`, so tests can look for the plaintext in the database files.
SubmissionToSeal sampleSubmission(const std::string& marker = "Flat 4, 17 Marigold Terrace");

// Opens a sealed box with the council's secret key; "" when it does not open.
std::string openSealedBox(const std::string& ciphertext, const CouncilKeyPair& council);
std::string base64Decode(const std::string& text);

std::string readFileBytes(const std::filesystem::path& file);  // "" when the file does not exist
// True when `needle` occurs in the database file or its -wal file.
bool databaseFilesContain(const std::filesystem::path& databaseFile, const std::string& needle);

// Single-value queries on a raw connection.
std::string queryText(sqlite3* db, const std::string& sql);
std::int64_t queryInt(sqlite3* db, const std::string& sql);
std::string integrityCheck(sqlite3* db);              // "ok" when the file is sound
int executeSql(sqlite3* db, const std::string& sql);  // primary result code (SQLITE_CONSTRAINT, ...)

}  // namespace kiosk::store::test
