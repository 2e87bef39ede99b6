// DeviceIdentity: creating, checking and loading the kiosk's key files (see the header for
// their layout), and signing with the Ed25519 key.
#include "store/device_identity.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

#include "kiosk/base64.h"

namespace kiosk::store {

struct DeviceIdentity::Secrets {
    unsigned char signing[crypto_sign_SECRETKEYBYTES];  // seed || public key
    unsigned char encryption[crypto_box_SECRETKEYBYTES];
};

void DeviceIdentity::SecretsDeleter::operator()(Secrets* secrets) const {
    sodium_free(secrets);  // wipes before freeing
}

namespace {

constexpr std::size_t kKeyFileBytes = 64;

static_assert(crypto_sign_SECRETKEYBYTES == kKeyFileBytes);
static_assert(crypto_box_SECRETKEYBYTES + crypto_box_PUBLICKEYBYTES == kKeyFileBytes);

// A plain-English error for a failed file operation on a key file.
Error fileError(int error, const std::string& action, const std::filesystem::path& file) {
    ErrorCode code = ErrorCode::IoError;
    if (error == EROFS || error == EACCES || error == EPERM) {
        code = ErrorCode::ReadOnly;
    } else if (error == ENOSPC || error == EDQUOT) {
        code = ErrorCode::DiskFull;
    }
    return Error{code, "Cannot " + action + " the device key file " + file.string() + " (" +
                           std::strerror(error) + "); check the data directory and its permissions."};
}

Error damaged(const std::filesystem::path& file, const std::string& why) {
    return Error{ErrorCode::KeyFileDamaged,
                 "The device key file " + file.string() + " is damaged (" + why +
                     "). It was left as it is: restore it from a backup, or move it away to make the kiosk "
                     "a new identity (bundles it signed will then show a different fingerprint)."};
}

// Holds a file descriptor and closes it on every path.
struct FileDescriptor {
    int fd = -1;
    ~FileDescriptor() {
        if (fd >= 0) ::close(fd);
    }
};

Status fsyncDirectory(const std::filesystem::path& directory) {
    FileDescriptor dir{::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (dir.fd < 0) return fileError(errno, "open the directory of", directory);
    if (::fsync(dir.fd) != 0) return fileError(errno, "sync the directory of", directory);
    return Done{};
}

// Reads the whole key file into `out` (which must hold kKeyFileBytes). false when the file
// does not exist.
Result<bool> readKeyFile(const std::filesystem::path& file, unsigned char* out) {
    FileDescriptor key{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
    if (key.fd < 0) {
        if (errno == ENOENT) return false;
        const int error = errno;
        if (error == EACCES) {
            return Error{ErrorCode::Unreadable, "Cannot read the device key file " + file.string() +
                                                    " (permission denied); run as the kiosk's user."};
        }
        return fileError(error, "open", file);
    }
    struct stat status {};
    if (::fstat(key.fd, &status) != 0) return fileError(errno, "read", file);
    if (!S_ISREG(status.st_mode)) return damaged(file, "it is not a regular file");
    if (status.st_size != static_cast<off_t>(kKeyFileBytes)) {
        return damaged(file,
                       std::to_string(status.st_size) + " bytes instead of " + std::to_string(kKeyFileBytes));
    }
    std::size_t done = 0;
    while (done < kKeyFileBytes) {
        const ssize_t got = ::read(key.fd, out + done, kKeyFileBytes - done);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return fileError(errno, "read", file);
        if (got == 0) return damaged(file, "it ended early");
        done += static_cast<std::size_t>(got);
    }
    return true;
}

// Writes a new key file without ever replacing one that exists. Returns false when another
// process created the file first (the caller then loads that one).
Result<bool> createKeyFile(const std::filesystem::path& file, const unsigned char* bytes) {
    const std::filesystem::path temporary =
        file.parent_path() / ("." + file.filename().string() + "." + std::to_string(::getpid()) + ".tmp");
    ::unlink(temporary.c_str());  // a leftover of this pid's crash; never a key in use
    {
        FileDescriptor out{::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)};
        if (out.fd < 0) return fileError(errno, "create", file);
        std::size_t done = 0;
        while (done < kKeyFileBytes) {
            const ssize_t wrote = ::write(out.fd, bytes + done, kKeyFileBytes - done);
            if (wrote < 0 && errno == EINTR) continue;
            if (wrote < 0) {
                const int error = errno;
                ::unlink(temporary.c_str());
                return fileError(error, "write", file);
            }
            done += static_cast<std::size_t>(wrote);
        }
        if (::fsync(out.fd) != 0) {
            const int error = errno;
            ::unlink(temporary.c_str());
            return fileError(error, "sync", file);
        }
    }
    if (::renameat2(AT_FDCWD, temporary.c_str(), AT_FDCWD, file.c_str(), RENAME_NOREPLACE) != 0) {
        const int error = errno;
        ::unlink(temporary.c_str());
        if (error == EEXIST) return false;
        return fileError(error, "create", file);
    }
    if (auto synced = fsyncDirectory(file.parent_path()); !synced) return synced.error();
    return true;
}

// Loads `file` into buffer, or makes a new key with `generate` and writes it when there is none.
template <typename Generate>
Status loadOrCreateKeyFile(const std::filesystem::path& file, unsigned char* buffer, Generate generate) {
    // Two rounds: when another process creates the file between our read and our rename, the
    // second round loads theirs.
    for (int round = 0; round < 2; ++round) {
        auto found = readKeyFile(file, buffer);
        if (!found) return found.error();
        if (*found) return Done{};
        generate(buffer);
        auto created = createKeyFile(file, buffer);
        if (!created) return created.error();
        if (*created) return Done{};
    }
    return Error{ErrorCode::IoError, "The device key file " + file.string() +
                                         " kept appearing and disappearing; is another program changing it?"};
}

std::string base64Of(const std::array<unsigned char, 32>& key) {
    return encodeBase64(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
}

}  // namespace

DeviceIdentity::DeviceIdentity() = default;
DeviceIdentity::DeviceIdentity(DeviceIdentity&&) noexcept = default;
DeviceIdentity& DeviceIdentity::operator=(DeviceIdentity&&) noexcept = default;
DeviceIdentity::~DeviceIdentity() = default;

std::string DeviceIdentity::signingPublicKeyBase64() const {
    return base64Of(signingPublicKey_);
}

std::string DeviceIdentity::encryptionPublicKeyBase64() const {
    return base64Of(encryptionPublicKey_);
}

std::string DeviceIdentity::fingerprint() const {
    return signingKeyFingerprint(signingPublicKey_);
}

std::string DeviceIdentity::sign(std::string_view bytes) const {
    std::string signature(crypto_sign_BYTES, '\0');
    crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()), nullptr,
                         reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                         secrets_->signing);
    return signature;
}

const unsigned char* DeviceIdentity::encryptionSecretKey() const {
    return secrets_->encryption;
}

std::string signingKeyFingerprint(const std::array<unsigned char, 32>& signingPublicKey) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, signingPublicKey.data(), signingPublicKey.size());
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string text;
    for (int i = 0; i < 8; ++i) {
        if (i > 0 && i % 2 == 0) text += ' ';
        text += kHex[digest[i] >> 4];
        text += kHex[digest[i] & 0x0F];
    }
    return text;
}

Result<DeviceIdentity> loadOrCreateDeviceIdentity(const std::filesystem::path& dataDirectory) {
    if (sodium_init() < 0) {
        return Error{ErrorCode::CryptoUnavailable,
                     "libsodium could not be initialised; the kiosk has no keys."};
    }
    std::error_code directoryError;
    std::filesystem::create_directories(dataDirectory, directoryError);
    if (directoryError) return fileError(directoryError.value(), "create the directory for", dataDirectory);

    DeviceIdentity identity;
    auto* secrets = static_cast<DeviceIdentity::Secrets*>(sodium_malloc(sizeof(DeviceIdentity::Secrets)));
    if (secrets == nullptr) {
        return Error{ErrorCode::CryptoUnavailable, "No memory could be locked for the device keys."};
    }
    identity.secrets_.reset(secrets);

    // Both files share one buffer in guarded memory: secret || public.
    auto* buffer = static_cast<unsigned char*>(sodium_malloc(kKeyFileBytes));
    if (buffer == nullptr) {
        return Error{ErrorCode::CryptoUnavailable, "No memory could be locked for the device keys."};
    }
    struct FreeBuffer {
        unsigned char* bytes;
        ~FreeBuffer() { sodium_free(bytes); }
    } freeBuffer{buffer};

    const std::filesystem::path signingFile = dataDirectory / kDeviceSigningKeyFile;
    auto signing = loadOrCreateKeyFile(signingFile, buffer, [](unsigned char* out) {
        unsigned char publicKey[crypto_sign_PUBLICKEYBYTES];
        crypto_sign_keypair(publicKey, out);  // libsodium's secret key is seed || public key
    });
    if (!signing) return signing.error();
    {
        // The file is seed || public key: the seed must give that public key again.
        unsigned char derivedPublic[crypto_sign_PUBLICKEYBYTES];
        unsigned char derivedSecret[crypto_sign_SECRETKEYBYTES];
        crypto_sign_seed_keypair(derivedPublic, derivedSecret, buffer);
        const bool matches =
            sodium_memcmp(derivedPublic, buffer + crypto_sign_SEEDBYTES, crypto_sign_PUBLICKEYBYTES) == 0;
        sodium_memzero(derivedSecret, sizeof derivedSecret);
        if (!matches) return damaged(signingFile, "its public key does not match its secret key");
        std::memcpy(secrets->signing, buffer, crypto_sign_SECRETKEYBYTES);
        std::memcpy(identity.signingPublicKey_.data(), derivedPublic, crypto_sign_PUBLICKEYBYTES);
    }

    const std::filesystem::path encryptionFile = dataDirectory / kDeviceEncryptionKeyFile;
    auto encryption = loadOrCreateKeyFile(encryptionFile, buffer, [](unsigned char* out) {
        crypto_box_keypair(out + crypto_box_SECRETKEYBYTES, out);
    });
    if (!encryption) return encryption.error();
    {
        unsigned char derivedPublic[crypto_box_PUBLICKEYBYTES];
        crypto_scalarmult_base(derivedPublic, buffer);
        if (sodium_memcmp(derivedPublic, buffer + crypto_box_SECRETKEYBYTES, crypto_box_PUBLICKEYBYTES) !=
            0) {
            return damaged(encryptionFile, "its public key does not match its secret key");
        }
        std::memcpy(secrets->encryption, buffer, crypto_box_SECRETKEYBYTES);
        std::memcpy(identity.encryptionPublicKey_.data(), derivedPublic, crypto_box_PUBLICKEYBYTES);
    }
    return identity;
}

}  // namespace kiosk::store
