// Pieces of the export bundle format shared by the writer (export_bundle.cpp) and the reader
// (bundle_reader.cpp). Private to kiosk/store; docs/export-bundle.md describes the format.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::store::bundle {

inline constexpr const char* kManifestFormat = "council-kiosk-export-manifest";
inline constexpr const char* kBundleEncryptionNone = "none";
inline constexpr const char* kBundleEncryptionSealedBox = "x25519-sealed-box";

std::string sha256Hex(std::string_view bytes);            // lower-case hex
std::string utcTimestamp(std::int64_t millisSinceEpoch);  // "2026-11-25T10:15:00Z"

// A base64 X25519 or Ed25519 key of exactly 32 bytes that is not all zeros.
std::optional<std::array<unsigned char, 32>> decodeKey32(const std::string& base64);

}  // namespace kiosk::store::bundle
