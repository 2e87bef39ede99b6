// Base64 (standard alphabet, padded) as the kiosk writes keys, ciphertexts and signatures.
// One implementation, over libsodium, for the store, the sync layer, kioskctl and the tests.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kiosk {

std::string encodeBase64(std::string_view bytes);

// Spaces, tabs and line ends are skipped, so a key pasted with a trailing newline still
// decodes. nullopt when the text is not base64.
std::optional<std::string> decodeBase64(std::string_view text);

}  // namespace kiosk
