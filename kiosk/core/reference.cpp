// Reference numbers: Crockford base32 of the kiosk's sequence number, a check character,
// grouped for reading aloud: "MK1-0015-NM7C" is the prefix, then the symbols in groups of four.
//
// Shape: PREFIX-BODY, where BODY is the sequence in Crockford base32, zero-padded to at least
// 7 symbols (more when the number needs them, up to 13 for 64 bits), followed by one check
// symbol, split into groups of 4 from the left (the last group may be shorter):
//   sequence 1        -> MK1-0000-001Y     (7 symbols + check)
//   sequence 1234567  -> MK1-0015-NM7C
//   sequence 2^35     -> MK1-1000-0000-Z   (8 symbols + check)
//
// The check symbol is Luhn mod N with N = 32 over the body's symbols. It catches every
// single-symbol mistake and every swap of two neighbouring symbols except 0 <-> Z. Crockford's
// own scheme uses mod 37 with the extra symbols * ~ $ = U, which we avoid: they cannot be read
// aloud or typed on a phone keypad, and a resident would have to say "tilde" to a call centre.
// Mod 32 keeps every character of the reference in the same readable alphabet.
//
// The prefix is not covered by the check: it names the kiosk and is compared as typed.
#include "kiosk/reference.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace kiosk {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr int kBase = 32;
constexpr std::size_t kMinimumSymbols = 7;
constexpr std::size_t kGroupSize = 4;

int symbolValue(char c) {
    for (int i = 0; i < kBase; ++i) {
        if (kAlphabet[i] == c) return i;
    }
    return -1;
}

// Doubling every second symbol from the right, as in Luhn's original, with N = 32.
int luhnSum(const std::vector<int>& values, bool checkIncluded) {
    int factor = checkIncluded ? 1 : 2;
    int sum = 0;
    for (auto it = values.rbegin(); it != values.rend(); ++it) {
        int addend = factor * *it;
        factor = factor == 2 ? 1 : 2;
        sum += addend / kBase + addend % kBase;
    }
    return sum % kBase;
}

std::string cleanPrefix(const std::string& prefix) {
    std::string clean;
    for (char c : prefix) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte)) clean += static_cast<char>(std::toupper(byte));
    }
    return clean;
}

// What a person may type for a symbol: Crockford's look-alikes read as the digits they resemble.
char readAs(char c) {
    switch (c) {
        case 'O':
            return '0';
        case 'I':
        case 'L':
            return '1';
        default:
            return c;
    }
}

std::string readAsAll(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), readAs);
    return text;
}

}  // namespace

std::string formatReference(const std::string& prefix, std::uint64_t sequence) {
    std::vector<int> values;
    do {
        values.push_back(static_cast<int>(sequence % kBase));
        sequence /= kBase;
    } while (sequence > 0);
    while (values.size() < kMinimumSymbols) values.push_back(0);
    std::reverse(values.begin(), values.end());
    values.push_back((kBase - luhnSum(values, false)) % kBase);

    std::string reference = cleanPrefix(prefix);
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i % kGroupSize == 0 && !reference.empty()) reference += '-';
        reference += kAlphabet[values[i]];
    }
    return reference;
}

std::optional<std::uint64_t> parseReference(const std::string& prefix, const std::string& text) {
    std::string typed;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isspace(byte) || c == '-') continue;
        typed += static_cast<char>(std::toupper(byte));
    }
    const std::string expectedPrefix = cleanPrefix(prefix);
    if (typed.size() < expectedPrefix.size() ||
        readAsAll(typed.substr(0, expectedPrefix.size())) != readAsAll(expectedPrefix)) {
        return std::nullopt;
    }
    const std::string body = readAsAll(typed.substr(expectedPrefix.size()));
    if (body.size() < kMinimumSymbols + 1) return std::nullopt;

    std::vector<int> values;
    for (char c : body) {
        const int value = symbolValue(c);
        if (value < 0) return std::nullopt;
        values.push_back(value);
    }
    if (luhnSum(values, true) != 0) return std::nullopt;

    std::uint64_t sequence = 0;
    for (std::size_t i = 0; i + 1 < values.size(); ++i) {
        if (sequence > (UINT64_MAX - static_cast<std::uint64_t>(values[i])) / kBase) return std::nullopt;
        sequence = sequence * kBase + static_cast<std::uint64_t>(values[i]);
    }
    // Only the canonical spelling is accepted (no extra leading zeros), so each sequence has
    // exactly one reference.
    if (values.size() - 1 > kMinimumSymbols && values.front() == 0) return std::nullopt;
    return sequence;
}

std::string spellReference(const std::string& reference) {
    std::string spoken;
    for (char c : reference) {
        if (c == '-') {
            spoken += ",";
            continue;
        }
        if (std::isspace(static_cast<unsigned char>(c))) continue;
        if (!spoken.empty()) spoken += ' ';
        spoken += c;
    }
    return spoken;
}

}  // namespace kiosk
