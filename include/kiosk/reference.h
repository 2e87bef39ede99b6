// Reference numbers residents leave with: generated offline, short, unambiguous when read
// aloud. Crockford base32 (no I, L, O, U) of a per-kiosk sequence number, a check character,
// and the kiosk's prefix: "MK1-0015-NM7C" (sequence 1234567; see kiosk/core/reference.cpp for
// the grouping and the check symbol). The store hands out sequence numbers in the same
// transaction that seals a form, so a reference is never repeated on one kiosk.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kiosk {

// prefix: 1-6 letters/digits from config. sequence: from the store's persistent counter.
std::string formatReference(const std::string& prefix, std::uint64_t sequence);

// Accepts what a resident or officer might type back: any case, spaces or hyphens, and the
// Crockford look-alikes (O->0, I/L->1). Returns the sequence when the check character matches.
std::optional<std::uint64_t> parseReference(const std::string& prefix, const std::string& text);

// "MK1-0015-NM7C" -> "M K 1, 0 0 1 5, N M 7 C": symbols spaced, groups separated, for read-aloud.
std::string spellReference(const std::string& reference);

}  // namespace kiosk
