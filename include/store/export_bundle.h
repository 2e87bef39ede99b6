// Export bundle: every undelivered form of a kiosk in one signed file, for a USB stick.
//
// A kiosk may be offline for weeks. An admin exports what has not been delivered (sealed and
// held back) from the admin screen or `kioskctl export`; the council checks and delivers the
// bundle from any connected machine (`kioskctl bundle verify | open | deliver`), and once it has
// confirmed receipt the admin marks those forms delivered out of band on the kiosk
// (OutboxStore::markDeliveredOutOfBand). The file format is in docs/export-bundle.md.
//
// What protects it: each item's bytes are the ones stored at sealing; bytes that are not already
// sealed to the council (destinations that keep readable fields) are sealed to the council's
// key inside the bundle, so the file is useless without the council's secret key. A manifest
// (metadata, SHA-256 and size of every byte string) is signed with the kiosk's Ed25519 device
// key, so changes to any byte, a removed or added item, or a replaced key are found.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "kiosk/result.h"
#include "store/device_identity.h"
#include "store/outbox_store.h"

namespace kiosk::store {

inline constexpr const char* kBundleFormat = "council-kiosk-export";
inline constexpr int kBundleFormatVersion = 1;

struct ExportResult {
    std::filesystem::path file;  // empty when nothing was waiting (no file is written then)
    int itemCount = 0;
    std::uint64_t bytes = 0;                 // size of the bundle file
    std::vector<std::string> submissionIds;  // oldest first
};

// Seams for tests: called with the complete, synced temporary file just before it is renamed
// to its final name (a test removes the folder here, as a USB stick pulled at that moment).
struct ExportHooks {
    std::function<void(const std::filesystem::path& temporaryFile)> beforeRename;
};

// Writes one bundle of every sealed and held-back submission into `folder` (a mounted USB stick)
// as council-kiosk-export-<kiosk id>-<UTC time>.json. It is written under a hidden temporary
// name, fsynced, renamed and the folder fsynced, so a file with the final name is always
// complete. The database is only read. On any error the temporary file is removed when the
// folder is still there.
// Error codes: "export_folder_missing" (no such folder, or it went away mid-export),
// "read_only", "disk_full", "io_error", "invalid_argument" (not a folder), "no_council_key",
// "crypto_unavailable", "key_file_damaged" (an item kept under the device key does not open).
Result<ExportResult> exportUndelivered(OutboxStore& outbox, const DeviceIdentity& identity,
                                       const std::string& councilPublicKeyBase64,
                                       const std::filesystem::path& folder, std::int64_t nowMillis,
                                       const ExportHooks& hooks = {});

// The SHA-256 and size the manifest declares for one byte string.
struct DeclaredBytes {
    std::string sha256;  // lower-case hex
    std::uint64_t size = 0;
};

// One submission as the manifest describes it, with the bytes the file carries for it.
struct BundleItem {
    std::string submissionId;
    std::string reference;
    std::string serviceId;
    std::string formId;
    int formVersion = 1;
    std::string language;
    std::string destination;
    std::string protection;       // how the kiosk stored it: "sealed_to_council", "device_key", "none"
    bool sealedInBundle = false;  // true when the bundle sealed the bytes to the council
    std::string state;            // "sealed" or "held_back" at export time
    std::int64_t createdAtMillis = 0;
    DeclaredBytes requestBodyDeclared;
    DeclaredBytes sealedPayloadDeclared;
    bool bytesPresent = false;  // the file carries bytes for this item
    std::string requestBody;    // exactly as in the file (the kiosk's stored bytes unless sealedInBundle)
    std::string sealedPayload;
};

struct BundleContents {
    std::string kioskId;
    std::array<unsigned char, 32> deviceSigningPublicKey{};
    std::string deviceFingerprint;  // signingKeyFingerprint of the embedded key
    std::int64_t createdAtMillis = 0;
    int declaredItemCount = 0;
    std::vector<BundleItem> items;  // in manifest order
    // Bytes carried for submission ids the manifest does not list (each is a problem).
    std::vector<std::string> unlistedSubmissionIds;
    std::string manifestBytes;  // exactly as signed
    std::string signature;      // 64 bytes when well formed
    // What readBundle found wrong below the outer structure (a manifest that is not JSON, item
    // bytes that are not base64); findBundleProblems reports them with the rest.
    std::vector<std::string> readProblems;
};

// Reads and parses a bundle file without judging it. Error "bundle_invalid" when it is not a
// bundle at all (not JSON, another format or version, fields missing or of the wrong type),
// "unreadable" when the file cannot be read.
Result<BundleContents> readBundle(const std::filesystem::path& file);

// What is wrong with a bundle, each naming the part ("signature", "manifest") or the item
// (reference and submission id) and why. Empty when the bundle is sound.
std::vector<std::string> findBundleProblems(const BundleContents& bundle);
// The same as one value: error "bundle_invalid" listing every problem.
Status verifyBundle(const BundleContents& bundle);

// Verifies the bundle, then opens every item's answers with the council's X25519 secret key
// (base64, as `kioskctl keys generate` writes council.key). Returns one compact JSON object per
// submission (its manifest metadata, kioskId, and "answers" as JSON, or "answersText" when the
// answers are not JSON). Errors: "bundle_invalid", "no_council_key" (not a 32-byte base64 key),
// "bundle_cannot_be_opened" (an item does not open with this key; names the item).
Result<std::vector<std::string>> openBundle(const BundleContents& bundle,
                                            const std::string& councilSecretKeyBase64);

}  // namespace kiosk::store
