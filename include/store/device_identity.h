// DeviceIdentity: the kiosk's own keys, made at first start and kept in the data directory.
//
//   device-signing.key     Ed25519 (libsodium crypto_sign): signs export bundles, so a council
//                          can tell which kiosk wrote one and that nobody changed it since.
//   device-encryption.key  X25519 (crypto_box): for what the kiosk must read back later
//                          (destinations whose bytes are encrypted to the device at rest).
//
// Each file is 64 raw bytes, mode 0600: the secret key followed by its public key (for
// Ed25519 libsodium's secret key already is seed || public key). The public half lets a load
// prove the file is whole: a file whose halves do not match, or of any other size, is refused
// with "key_file_damaged" and never replaced, since a new key would orphan what the old one
// signed or encrypted. Secrets live in sodium_malloc'd memory (guarded, wiped when freed) and
// are never printed.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "kiosk/result.h"

namespace kiosk::store {

inline constexpr const char* kDeviceSigningKeyFile = "device-signing.key";
inline constexpr const char* kDeviceEncryptionKeyFile = "device-encryption.key";

class DeviceIdentity {
public:
    static constexpr std::size_t kSignatureBytes = 64;
    static constexpr std::size_t kEncryptionSecretKeyBytes = 32;

    DeviceIdentity(DeviceIdentity&&) noexcept;
    DeviceIdentity& operator=(DeviceIdentity&&) noexcept;
    ~DeviceIdentity();

    std::string signingPublicKeyBase64() const;
    std::string encryptionPublicKeyBase64() const;
    const std::array<unsigned char, 32>& signingPublicKey() const { return signingPublicKey_; }
    const std::array<unsigned char, 32>& encryptionPublicKey() const { return encryptionPublicKey_; }
    // First 8 bytes of SHA-256 of the signing public key, upper-case hex in groups of 4:
    // "3F9A 1C2B 77D0 E4A1". For people comparing a bundle with the kiosk's screen.
    std::string fingerprint() const;

    // Ed25519 detached signature (64 bytes) over exactly these bytes.
    std::string sign(std::string_view bytes) const;

    // The X25519 secret key (32 bytes), valid while this identity lives. Never log or print it.
    const unsigned char* encryptionSecretKey() const;

private:
    struct Secrets;
    DeviceIdentity();
    friend Result<DeviceIdentity> loadOrCreateDeviceIdentity(const std::filesystem::path& dataDirectory);

    struct SecretsDeleter {
        void operator()(Secrets* secrets) const;
    };
    std::unique_ptr<Secrets, SecretsDeleter> secrets_;
    std::array<unsigned char, 32> signingPublicKey_{};
    std::array<unsigned char, 32> encryptionPublicKey_{};
};

// Loads both keys from dataDirectory, creating any that is absent (and the directory itself).
// A new file is written under a temporary name (O_CREAT|O_EXCL, 0600), fsynced, renamed without
// replacing anything, and the directory fsynced. Error codes: "key_file_damaged" (wrong size or
// halves that do not match), "read_only", "disk_full", "io_error", "unreadable",
// "crypto_unavailable".
Result<DeviceIdentity> loadOrCreateDeviceIdentity(const std::filesystem::path& dataDirectory);

// The fingerprint of any Ed25519 public key, as DeviceIdentity::fingerprint() writes it.
std::string signingKeyFingerprint(const std::array<unsigned char, 32>& signingPublicKey);

}  // namespace kiosk::store
