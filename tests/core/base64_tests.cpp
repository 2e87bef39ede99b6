// Base64 as keys, ciphertexts and signatures are written: RFC 4648 vectors and tolerance of
// the whitespace a pasted key brings with it.
#include <catch2/catch.hpp>

#include "kiosk/base64.h"

using kiosk::decodeBase64;
using kiosk::encodeBase64;

TEST_CASE("Base64 matches the RFC 4648 test vectors both ways", "[base64]") {
    const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                           {"f", "Zg=="},
                                                           {"fo", "Zm8="},
                                                           {"foo", "Zm9v"},
                                                           {"foob", "Zm9vYg=="},
                                                           {"fooba", "Zm9vYmE="},
                                                           {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        CHECK(encodeBase64(plain) == encoded);
        CHECK(decodeBase64(encoded) == plain);
    }
}

TEST_CASE("Base64 decoding skips line ends and refuses what is not base64", "[base64]") {
    CHECK(decodeBase64("Zm9v\n") == std::string("foo"));
    CHECK(decodeBase64(" Zm9vYmFy\r\n") == std::string("foobar"));
    CHECK_FALSE(decodeBase64("Zm9v!").has_value());
    CHECK_FALSE(decodeBase64("Zm9").has_value());
    const std::string binary("\x00\xff\x10", 3);
    CHECK(decodeBase64(encodeBase64(binary)) == binary);
}
