// Writing an export bundle: the undelivered submissions, their exact stored bytes (sealed to
// the council when they are not already), the signed manifest, and the careful write onto a
// USB stick that may be read-only, full or pulled out at any moment.
#include "store/export_bundle.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <nlohmann/json.hpp>

#include "bundle_format.h"
#include "kiosk/base64.h"
#include "kiosk/clock.h"
#include "store/usb_folder.h"

namespace kiosk::store {
namespace bundle {

std::string sha256Hex(std::string_view bytes) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

std::string utcTimestamp(std::int64_t millisSinceEpoch) {
    return formatUtc(millisSinceEpoch, "%Y-%m-%dT%H:%M:%SZ");
}

std::optional<std::array<unsigned char, 32>> decodeKey32(const std::string& base64) {
    const auto bytes = decodeBase64(base64);
    if (!bytes || bytes->size() != 32) return std::nullopt;
    std::array<unsigned char, 32> key{};
    std::memcpy(key.data(), bytes->data(), key.size());
    if (sodium_is_zero(key.data(), key.size())) return std::nullopt;
    return key;
}

}  // namespace bundle

namespace {

using nlohmann::json;

std::string sealTo(const std::array<unsigned char, 32>& publicKey, std::string_view plaintext) {
    std::string ciphertext(plaintext.size() + crypto_box_SEALBYTES, '\0');
    crypto_box_seal(reinterpret_cast<unsigned char*>(ciphertext.data()),
                    reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                    publicKey.data());
    return ciphertext;
}

// Bytes kept under the kiosk's own X25519 key (a sealed box to it), opened for re-sealing to
// the council. nullopt when they do not open.
std::optional<std::string> openWithDeviceKey(const DeviceIdentity& identity, std::string_view ciphertext) {
    if (ciphertext.size() < crypto_box_SEALBYTES) return std::nullopt;
    std::string plaintext(ciphertext.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plaintext.data()),
                             reinterpret_cast<const unsigned char*>(ciphertext.data()), ciphertext.size(),
                             identity.encryptionPublicKey().data(), identity.encryptionSecretKey()) != 0) {
        return std::nullopt;
    }
    return plaintext;
}

// Kiosk ids are written by councils; only a safe subset goes into a file name on a FAT stick.
std::string fileNameSafe(const std::string& text) {
    std::string safe;
    for (char c : text) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                           c == '-' || c == '_';
        safe += plain ? c : '_';
    }
    return safe.empty() ? "kiosk" : safe;
}

std::string compactUtc(std::int64_t millisSinceEpoch) {
    return formatUtc(millisSinceEpoch, "%Y%m%dT%H%M%SZ");  // 20261125T101500Z
}

// Builds the whole bundle in memory: the manifest (signed) and the items' bytes.
Result<std::string> buildBundle(const std::vector<StoredSubmission>& stored, const DeviceIdentity& identity,
                                const std::array<unsigned char, 32>& councilKey, const std::string& kioskId,
                                std::int64_t nowMillis) {
    json manifestItems = json::array();
    json fileItems = json::array();
    for (const auto& item : stored) {
        const SubmissionRecord& record = item.record;
        std::string requestBody = item.requestBody;
        std::string sealedPayload = item.sealedPayload;
        const bool alreadySealed = item.protection == PayloadProtection::SealedToCouncil;
        if (item.protection == PayloadProtection::DeviceKey) {
            auto openedBody = openWithDeviceKey(identity, requestBody);
            auto openedPayload = openWithDeviceKey(identity, sealedPayload);
            if (!openedBody || !openedPayload) {
                return Error{ErrorCode::KeyFileDamaged, "Submission " + record.reference +
                                                            " does not open with this kiosk's device key, so "
                                                            "it cannot be exported. Nothing was written."};
            }
            requestBody = std::move(*openedBody);
            sealedPayload = std::move(*openedPayload);
        }
        if (!alreadySealed) {
            std::string plainBody = std::move(requestBody);
            std::string plainPayload = std::move(sealedPayload);
            requestBody = sealTo(councilKey, plainBody);
            sealedPayload = sealTo(councilKey, plainPayload);
            sodium_memzero(plainBody.data(), plainBody.size());
            sodium_memzero(plainPayload.data(), plainPayload.size());
        }
        manifestItems.push_back({
            {"submissionId", record.submissionId},
            {"reference", record.reference},
            {"serviceId", record.serviceId},
            {"formId", record.formId},
            {"formVersion", record.formVersion},
            {"language", record.language},
            {"destination", record.destination},
            {"protection", payloadProtectionName(item.protection)},
            {"bundleEncryption",
             alreadySealed ? bundle::kBundleEncryptionNone : bundle::kBundleEncryptionSealedBox},
            {"state", submissionStateName(record.state)},
            {"createdAt", bundle::utcTimestamp(record.createdAtMillis)},
            {"createdAtMillis", record.createdAtMillis},
            {"requestBody", {{"sha256", bundle::sha256Hex(requestBody)}, {"size", requestBody.size()}}},
            {"sealedPayload", {{"sha256", bundle::sha256Hex(sealedPayload)}, {"size", sealedPayload.size()}}},
        });
        fileItems.push_back({
            {"submissionId", record.submissionId},
            {"requestBody", encodeBase64(requestBody)},
            {"sealedPayload", encodeBase64(sealedPayload)},
        });
    }
    const json manifest = {
        {"format", bundle::kManifestFormat},
        {"formatVersion", kBundleFormatVersion},
        {"kioskId", kioskId},
        {"deviceSigningPublicKey", identity.signingPublicKeyBase64()},
        {"createdAt", bundle::utcTimestamp(nowMillis)},
        {"createdAtMillis", nowMillis},
        {"itemCount", stored.size()},
        {"items", std::move(manifestItems)},
    };
    std::string manifestBytes;
    try {
        manifestBytes = manifest.dump();
    } catch (const json::exception&) {
        return Error{
            ErrorCode::InvalidSubmission,
            "A stored submission has a field that is not valid UTF-8 text, so it cannot be exported."};
    }
    const json file = {
        {"format", kBundleFormat},
        {"formatVersion", kBundleFormatVersion},
        {"manifest", encodeBase64(manifestBytes)},
        {"signature", encodeBase64(identity.sign(manifestBytes))},
        {"items", std::move(fileItems)},
    };
    return file.dump(1) + "\n";
}

}  // namespace

Result<ExportResult> exportUndelivered(OutboxStore& outbox, const DeviceIdentity& identity,
                                       const std::string& councilPublicKeyBase64,
                                       const std::filesystem::path& folder, std::int64_t nowMillis,
                                       const ExportHooks& hooks) {
    if (sodium_init() < 0) {
        return Error{ErrorCode::CryptoUnavailable,
                     "libsodium could not be initialised; nothing was exported."};
    }
    const auto councilKey = bundle::decodeKey32(councilPublicKeyBase64);
    if (!councilKey) {
        return Error{ErrorCode::NoCouncilKey,
                     "The council public key is missing or is not a 32-byte base64 key; set "
                     "council.publicKeyBase64 in the kiosk configuration before exporting."};
    }
    if (auto usable = checkExportFolder(folder); !usable) return usable.error();

    std::vector<StoredSubmission> stored = outbox.undeliveredWithPayloads();
    ExportResult result;
    if (stored.empty()) return result;

    auto content = buildBundle(stored, identity, *councilKey, outbox.kioskId(), nowMillis);
    if (!content) return content.error();

    const std::string stem =
        "council-kiosk-export-" + fileNameSafe(outbox.kioskId()) + "-" + compactUtc(nowMillis);
    auto written = writeToFolder(folder, stem, ".json", *content, hooks.beforeRename);
    if (!written) return written.error();

    result.file = *written;
    result.itemCount = static_cast<int>(stored.size());
    result.bytes = content->size();
    for (const auto& item : stored) result.submissionIds.push_back(item.record.submissionId);
    return result;
}

}  // namespace kiosk::store
