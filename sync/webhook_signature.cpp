// Standard Webhooks signing and verification with libsodium's HMAC-SHA256.
#include "sync/webhook_signature.h"

#include <sodium.h>

#include <array>
#include <sstream>

#include "kiosk/base64.h"

namespace kiosk::sync {
namespace {

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
    const std::string_view encoded = std::string_view(secret).substr(secret.rfind("whsec_", 0) == 0 ? 6 : 0);
    const auto bytes = decodeBase64(encoded);
    // Blank or whitespace-only text decodes to no bytes: an HMAC with an empty key proves
    // nothing (anyone can compute it), so such a secret is as unusable as a missing one.
    if (!bytes || bytes->empty()) return std::nullopt;
    return std::vector<unsigned char>(bytes->begin(), bytes->end());
}

std::string signWebhook(const std::vector<unsigned char>& key, const std::string& messageId,
                        std::int64_t timestampSeconds, const std::string& body) {
    const auto mac = hmac(key, signedContent(messageId, timestampSeconds, body));
    return "v1," + encodeBase64(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

bool verifyWebhook(const std::vector<unsigned char>& key, const std::string& messageId,
                   std::int64_t timestampSeconds, const std::string& body,
                   const std::string& signatureHeader) {
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
