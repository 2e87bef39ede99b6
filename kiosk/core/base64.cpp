// Base64 over libsodium's constant-time codec (keys pass through here).
#include "kiosk/base64.h"

#include <sodium.h>

namespace kiosk {

std::string encodeBase64(std::string_view bytes) {
    const std::size_t capacity = sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    std::string text(capacity, '\0');
    sodium_bin2base64(text.data(), capacity, reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    text.resize(capacity - 1);  // the capacity counts the terminating NUL
    return text;
}

std::optional<std::string> decodeBase64(std::string_view text) {
    std::string bytes(text.size(), '\0');
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                          text.size(), " \t\r\n", &length, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    bytes.resize(length);
    return bytes;
}

}  // namespace kiosk
