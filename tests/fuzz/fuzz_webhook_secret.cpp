// Fuzz target: Standard Webhooks secrets and signature headers.
//
// Input: pieces separated by NUL bytes: the secret as written in the kiosk config
// ("whsec_<base64>"), then a message id, a timestamp, a body and a signature header. Whatever the
// secret decodes to must sign a message that the same key verifies, and a signature header from
// anywhere must be checked without crashing.
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "sync/webhook_signature.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace kiosk;
    const auto pieces = fuzz::splitInput(data, size, '\0');
    const auto key = sync::decodeWebhookSecret(fuzz::piece(pieces, 0));
    if (!key) return 0;

    const std::string& id = fuzz::piece(pieces, 1);
    // Any 64-bit value, negative ones included: unsigned arithmetic wraps, the conversion keeps the bits.
    std::uint64_t bits = 0;
    for (char c : fuzz::piece(pieces, 2)) bits = bits * 31 + static_cast<unsigned char>(c);
    const auto timestamp = static_cast<std::int64_t>(bits);
    const std::string& body = fuzz::piece(pieces, 3);
    const std::string& header = fuzz::piece(pieces, 4);

    const std::string signature = sync::signWebhook(*key, id, timestamp, body);
    FUZZ_CHECK(signature.rfind("v1,", 0) == 0);
    FUZZ_CHECK(sync::verifyWebhook(*key, id, timestamp, body, signature));
    FUZZ_CHECK(sync::verifyWebhook(*key, id, timestamp, body, header + " " + signature));
    const bool headerVerifies = sync::verifyWebhook(*key, id, timestamp, body, header);
    // Only a header that carries the exact signature can verify.
    if (headerVerifies) FUZZ_CHECK(header.find(signature) != std::string::npos);
    FUZZ_CHECK(!sync::verifyWebhook(*key, id, timestamp, body + "x", signature));
    return 0;
}
