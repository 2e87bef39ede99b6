// Standard Webhooks 1.0 signatures, so a council can verify kiosk requests with an
// off-the-shelf library: webhook-signature: v1,<base64(HMAC-SHA256(secret, id.timestamp.body))>.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiosk::sync {

// "whsec_<base64>" -> raw key bytes. A secret without the prefix is taken as base64 too.
// nullopt when the text is not base64 or holds no key bytes at all.
std::optional<std::vector<unsigned char>> decodeWebhookSecret(const std::string& secret);

// Returns "v1,<base64 signature>".
std::string signWebhook(const std::vector<unsigned char>& key, const std::string& messageId,
                        std::int64_t timestampSeconds, const std::string& body);

// Checks one of the space-separated "v1,..." signatures in a header, in constant time.
bool verifyWebhook(const std::vector<unsigned char>& key, const std::string& messageId,
                   std::int64_t timestampSeconds, const std::string& body,
                   const std::string& signatureHeader);

}  // namespace kiosk::sync
