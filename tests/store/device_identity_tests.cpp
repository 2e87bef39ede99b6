// The kiosk's device keys: made once with private permissions, the same on every later start,
// and a damaged file refused and left as it is rather than silently replaced.
#include <sodium.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>

#include "kiosk/base64.h"
#include "store/device_identity.h"
#include "store_test_support.h"

using namespace kiosk::store;
using namespace kiosk::store::test;

namespace {

unsigned permissionsOf(const std::filesystem::path& file) {
    struct stat status {};
    REQUIRE(::stat(file.c_str(), &status) == 0);
    return status.st_mode & 0777;
}

void writeBytes(const std::filesystem::path& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
}

}  // namespace

TEST_CASE("device keys are created once, private, and the same on every later start", "[store][device]") {
    TemporaryDirectory directory;
    const auto dataDirectory = directory.path() / "data";
    auto first = loadOrCreateDeviceIdentity(dataDirectory);
    REQUIRE(first.ok());
    for (const char* name : {kDeviceSigningKeyFile, kDeviceEncryptionKeyFile}) {
        const auto file = dataDirectory / name;
        REQUIRE(std::filesystem::exists(file));
        CHECK(permissionsOf(file) == 0600);
        CHECK(std::filesystem::file_size(file) == 64);
    }
    // No temporary file is left beside them.
    int files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dataDirectory)) ++files;
    CHECK(files == 2);

    const std::string signingFileBefore = readFileBytes(dataDirectory / kDeviceSigningKeyFile);
    auto second = loadOrCreateDeviceIdentity(dataDirectory);
    REQUIRE(second.ok());
    CHECK(second->signingPublicKeyBase64() == first->signingPublicKeyBase64());
    CHECK(second->encryptionPublicKeyBase64() == first->encryptionPublicKeyBase64());
    CHECK(second->fingerprint() == first->fingerprint());
    CHECK(readFileBytes(dataDirectory / kDeviceSigningKeyFile) == signingFileBefore);
    CHECK(std::regex_match(first->fingerprint(),
                           std::regex("[0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4}")));
    CHECK(first->signingPublicKeyBase64() != first->encryptionPublicKeyBase64());

    // Another kiosk gets other keys.
    TemporaryDirectory otherDirectory;
    auto other = loadOrCreateDeviceIdentity(otherDirectory.path());
    REQUIRE(other.ok());
    CHECK(other->fingerprint() != first->fingerprint());
}

TEST_CASE("the device signs with the key it shows and can open what was sealed to it", "[store][device]") {
    TemporaryDirectory directory;
    auto identity = loadOrCreateDeviceIdentity(directory.path());
    REQUIRE(identity.ok());
    const std::string message = "manifest bytes";
    const std::string signature = identity->sign(message);
    REQUIRE(signature.size() == DeviceIdentity::kSignatureBytes);
    const auto publicKey = kiosk::decodeBase64(identity->signingPublicKeyBase64());
    REQUIRE(publicKey.has_value());
    REQUIRE(publicKey->size() == 32);
    CHECK(crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature.data()),
                                      reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                      reinterpret_cast<const unsigned char*>(publicKey->data())) == 0);
    const std::string changed = "manifest byteS";
    CHECK(crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(signature.data()),
                                      reinterpret_cast<const unsigned char*>(changed.data()), changed.size(),
                                      reinterpret_cast<const unsigned char*>(publicKey->data())) != 0);

    const std::string secret = "kept for later";
    std::string box(secret.size() + crypto_box_SEALBYTES, '\0');
    crypto_box_seal(reinterpret_cast<unsigned char*>(box.data()),
                    reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                    identity->encryptionPublicKey().data());
    std::string opened(secret.size(), '\0');
    REQUIRE(crypto_box_seal_open(reinterpret_cast<unsigned char*>(opened.data()),
                                 reinterpret_cast<const unsigned char*>(box.data()), box.size(),
                                 identity->encryptionPublicKey().data(),
                                 identity->encryptionSecretKey()) == 0);
    CHECK(opened == secret);
}

TEST_CASE("a damaged or wrongly sized key file is refused and left as it is", "[store][device]") {
    TemporaryDirectory directory;
    REQUIRE(loadOrCreateDeviceIdentity(directory.path()).ok());
    const char* name = GENERATE(kDeviceSigningKeyFile, kDeviceEncryptionKeyFile);
    const auto file = directory.path() / name;
    const std::string original = readFileBytes(file);
    REQUIRE(original.size() == 64);

    SECTION("cut short") {
        writeBytes(file, original.substr(0, 40));
    }
    SECTION("one byte too many") {
        writeBytes(file, original + "x");
    }
    SECTION("a flipped bit in the secret half") {
        std::string damaged = original;
        damaged[3] = static_cast<char>(damaged[3] ^ 0x10);
        writeBytes(file, damaged);
    }
    SECTION("a flipped bit in the public half") {
        std::string damaged = original;
        damaged[50] = static_cast<char>(damaged[50] ^ 0x01);
        writeBytes(file, damaged);
    }
    const std::string damagedBytes = readFileBytes(file);
    auto loaded = loadOrCreateDeviceIdentity(directory.path());
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.error().code == kiosk::ErrorCode::KeyFileDamaged);
    CHECK(loaded.error().message.find(name) != std::string::npos);
    CHECK(readFileBytes(file) == damagedBytes);  // not replaced
}
