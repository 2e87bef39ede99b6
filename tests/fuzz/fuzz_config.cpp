// Fuzz target: the kiosk configuration file.
//
// Input: the file's text. Either it is refused with a reason, or what configToJson writes for the
// result reads back to the same configuration (kioskctl writes configurations that way).
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "kiosk/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const std::filesystem::path file = "/etc/council-kiosk/kiosk.json";
    const auto config = kiosk::configFromJson(text, file);
    if (!config) {
        FUZZ_CHECK(config.error().code == kiosk::ErrorCode::ConfigInvalid);
        FUZZ_CHECK(!config.error().message.empty());
        return 0;
    }
    const std::string written = kiosk::configToJson(*config);
    const auto again = kiosk::configFromJson(written, file);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(kiosk::configToJson(*again) == written);
    return 0;
}
