// The cryptographic and wire-format half of sealing, kept apart from SQLite: the council key,
// the submission UUID, the sealed box and the request body that every delivery attempt resends.
// Private to kiosk/store.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "kiosk/result.h"
#include "store/outbox_store.h"

namespace kiosk::store {

using CouncilPublicKey = std::array<unsigned char, 32>;

// Decodes the configured key (base64, standard alphabet, 32 bytes). Error "no_council_key"
// when it is missing, malformed, the wrong length or all zeros.
Result<CouncilPublicKey> decodeCouncilPublicKey(const std::string& base64);

// Random (version 4) UUID in RFC 4122 text form, lower case: "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
std::string newSubmissionId();

// "2026-11-25T10:15:00Z" (UTC, whole seconds).
std::string formatUtcTimestamp(std::int64_t millisSinceEpoch);

// libsodium sealed box of the plaintext to the council key; only the council can open it.
std::string sealToCouncil(std::string_view plaintext, const CouncilPublicKey& key);

// Everything in the POST body except the ciphertext, fixed at sealing.
struct RequestEnvelope {
    std::string submissionId;
    std::string reference;
    std::string kioskId;
    std::int64_t createdAtMillis = 0;
};

// Compact JSON body that the sync layer POSTs unchanged on every attempt. Error
// "invalid_submission" when a metadata field cannot be written as JSON (not UTF-8).
Result<std::string> buildRequestBody(const RequestEnvelope& envelope, const SubmissionToSeal& submission,
                                     std::string_view ciphertext);

}  // namespace kiosk::store
