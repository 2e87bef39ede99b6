// Fuzz target: base64 as the kiosk reads keys, secrets and signatures from configuration.
//
// Input: any bytes, taken both as text to decode and as bytes to encode. Decoding then encoding
// must give text that decodes to the same bytes, and encoding must always decode back.
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "kiosk/base64.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);

    if (const auto decoded = kiosk::decodeBase64(input)) {
        FUZZ_CHECK(decoded->size() <= input.size());
        const std::string again = kiosk::encodeBase64(*decoded);
        FUZZ_CHECK(kiosk::decodeBase64(again) == decoded);
    }
    const std::string encoded = kiosk::encodeBase64(input);
    FUZZ_CHECK(encoded.size() == (size + 2) / 3 * 4);
    FUZZ_CHECK(kiosk::decodeBase64(encoded) == std::optional<std::string>(input));
    return 0;
}
