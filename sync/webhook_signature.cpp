// Standard Webhooks signing and verification with libsodium's HMAC-SHA256.
#include "sync/webhook_signature.h"

#include <sodium.h>

#include <array>
#include <sstream>

namespace kiosk::sync {
namespace {

std::string toBase64(const unsigned char* data, std::size_t size) {
    std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // drop the terminating NUL sodium writes
    return out;
}

std::array<unsigned char, crypto_auth_hmacsha256_BYTES> hmac(const std::vector<unsigned char>& key,
                                                            const std::string& message) {
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, key.data(), key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size());
    crypto_auth_hmacsha256_final(&state, mac.data());
    return mac;
}

std::string signedContent(const std::string& messageId, std::int64_t timestampSeconds,
                          const std::string& body) {
    return messageId + "." + std::to_string(timestampSeconds) + "." + body;
}

}  // namespace

std::optional<std::vector<unsigned char>> decodeWebhookSecret(const std::string& secret) {
    if (sodium_init() < 0) return std::nullopt;
    std::string encoded = secret.rfind("whsec_", 0) == 0 ? secret.substr(6) : secret;
    std::vector<unsigned char> key(encoded.size());
    std::size_t length = 0;
    if (encoded.empty() ||
        sodium_base642bin(key.data(), key.size(), encoded.data(), encoded.size(), nullptr, &length, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        return std::nullopt;
    }
    key.resize(length);
    return key;
}

std::string signWebhook(const std::vector<unsigned char>& key, const std::string& messageId,
                        std::int64_t timestampSeconds, const std::string& body) {
    const auto mac = hmac(key, signedContent(messageId, timestampSeconds, body));
    return "v1," + toBase64(mac.data(), mac.size());
}

bool verifyWebhook(const std::vector<unsigned char>& key, const std::string& messageId,
                   std::int64_t timestampSeconds, const std::string& body, const std::string& signatureHeader) {
    const std::string expected = signWebhook(key, messageId, timestampSeconds, body);
    std::istringstream candidates(signatureHeader);
    std::string candidate;
    bool matched = false;
    while (candidates >> candidate) {
        if (candidate.size() == expected.size() &&
            sodium_memcmp(candidate.data(), expected.data(), expected.size()) == 0) {
            matched = true;
        }
    }
    return matched;
}

}  // namespace kiosk::sync
