// Council key decoding, submission UUIDs, sealed boxes and the delivery request body.
#include "sealed_request.h"

#include <sodium.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "kiosk/base64.h"

namespace kiosk::store {

Result<CouncilPublicKey> decodeCouncilPublicKey(const std::string& base64) {
    CouncilPublicKey key{};
    size_t length = 0;
    const char* end = nullptr;
    // Whitespace is ignored so a key pasted into the config with a trailing newline still works.
    int rc = sodium_base642bin(key.data(), key.size(), base64.data(), base64.size(), " \t\r\n", &length, &end,
                               sodium_base64_VARIANT_ORIGINAL);
    bool consumedAll = end == base64.data() + base64.size();
    if (base64.empty() || rc != 0 || !consumedAll || length != key.size() ||
        sodium_is_zero(key.data(), key.size())) {
        return Error{
            "no_council_key",
            "The council public key is missing or is not a 32-byte base64 key; set council.publicKeyBase64 "
            "in the kiosk configuration."};
    }
    return key;
}

std::string newSubmissionId() {
    unsigned char bytes[16];
    randombytes_buf(bytes, sizeof bytes);
    bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
    bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    text.reserve(36);
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
        text += kHex[bytes[i] >> 4];
        text += kHex[bytes[i] & 0x0f];
    }
    return text;
}

std::string formatUtcTimestamp(std::int64_t millisSinceEpoch) {
    // Floor division so a (theoretical) pre-1970 clock still gives a valid calendar time.
    std::int64_t seconds = millisSinceEpoch / 1000;
    if (millisSinceEpoch % 1000 < 0) --seconds;
    std::time_t time = static_cast<std::time_t>(seconds);
    std::tm utc{};
    gmtime_r(&time, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

std::string sealToCouncil(std::string_view plaintext, const CouncilPublicKey& key) {
    std::string ciphertext(plaintext.size() + crypto_box_SEALBYTES, '\0');
    crypto_box_seal(reinterpret_cast<unsigned char*>(ciphertext.data()),
                    reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(), key.data());
    return ciphertext;
}

Result<std::string> buildRequestBody(const RequestEnvelope& envelope, const SubmissionToSeal& submission,
                                     std::string_view ciphertext) {
    nlohmann::json body = {
        {"submissionId", envelope.submissionId},
        {"reference", envelope.reference},
        {"kioskId", envelope.kioskId},
        {"serviceId", submission.serviceId},
        {"formId", submission.formId},
        {"formVersion", submission.formVersion},
        {"language", submission.language},
        {"assisted", submission.assisted},
        {"volunteerId",
         submission.volunteerId.empty() ? nlohmann::json(nullptr) : nlohmann::json(submission.volunteerId)},
        {"createdAt", formatUtcTimestamp(envelope.createdAtMillis)},
        {"payload", {{"encoding", "x25519-sealed-box"}, {"ciphertext", encodeBase64(ciphertext)}}},
    };
    try {
        return body.dump();
    } catch (const nlohmann::json::exception&) {
        return Error{
            "invalid_submission",
            "A submission field is not valid UTF-8 text; check the content pack's service and form ids."};
    }
}

}  // namespace kiosk::store
