// Reference numbers: format, round trips, tolerant reading, and what the check symbol catches.
#include <catch2/catch.hpp>
#include <random>
#include <set>

#include "kiosk/reference.h"

using kiosk::formatReference;
using kiosk::parseReference;

namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string withoutHyphens(const std::string& text) {
    std::string result;
    for (char c : text) {
        if (c != '-') result += c;
    }
    return result;
}

}  // namespace

TEST_CASE("references have the documented shape") {
    CHECK(formatReference("MK1", 0) == "MK1-0000-0000");
    CHECK(formatReference("MK1", 1) == "MK1-0000-001Y");
    CHECK(formatReference("MK1", 32) == "MK1-0000-010Z");
    CHECK(formatReference("mk1", 1) == "MK1-0000-001Y");  // prefix upper-cased
    // 7 symbols hold numbers below 32^7; bigger numbers get more symbols, grouped in fours.
    CHECK(formatReference("MK1", 34359738367ULL) == "MK1-ZZZZ-ZZZ7");
    CHECK(formatReference("MK1", 34359738368ULL) == "MK1-1000-0000-Z");
    CHECK(formatReference("MK1", UINT64_MAX) == "MK1-FZZZ-ZZZZ-ZZZZ-ZE");
    CHECK(formatReference("", 1) == "0000-001Y");
}

TEST_CASE("references read back for every sequence from 0 to 100000") {
    for (std::uint64_t sequence = 0; sequence <= 100000; ++sequence) {
        const auto reference = formatReference("MK1", sequence);
        const auto parsed = parseReference("MK1", reference);
        if (!parsed || *parsed != sequence) {
            FAIL("sequence " << sequence << " -> " << reference);
        }
    }
    SUCCEED();
}

TEST_CASE("references read back for random 64-bit sequences") {
    std::mt19937_64 random(42);
    for (int i = 0; i < 100000; ++i) {
        const std::uint64_t sequence = random() >> (random() % 64);
        const auto parsed = parseReference("DEV", formatReference("DEV", sequence));
        REQUIRE(parsed);
        REQUIRE(*parsed == sequence);
    }
    CHECK(parseReference("DEV", formatReference("DEV", UINT64_MAX)) == UINT64_MAX);
}

TEST_CASE("reading a reference tolerates case, spaces, hyphens and look-alikes") {
    const std::string reference = formatReference("MK1", 1234567);
    REQUIRE(reference == "MK1-0015-NM7C");
    CHECK(parseReference("MK1", "mk1-0015-nm7c") == 1234567u);
    CHECK(parseReference("MK1", " MK1 0015 NM7C ") == 1234567u);
    CHECK(parseReference("MK1", "MK10015NM7C") == 1234567u);
    CHECK(parseReference("MK1", "MKI-OO15-NM7C") == 1234567u);  // I for 1 in the prefix, O for 0
    CHECK(parseReference("MK1", "MKL-0015-NM7C") == 1234567u);
    CHECK(parseReference("mk1", "MK1-0015-NM7C") == 1234567u);
}

TEST_CASE("reading a reference refuses what is not one") {
    CHECK_FALSE(parseReference("MK1", ""));
    CHECK_FALSE(parseReference("MK1", "MK1"));
    CHECK_FALSE(parseReference("MK1", "MK2-0015-NM7C"));  // another kiosk
    CHECK_FALSE(parseReference("MK1", "MK1-0015-NM7D"));  // wrong check symbol
    CHECK_FALSE(parseReference("MK1", "MK1-0015-NM7"));   // check symbol missing
    CHECK_FALSE(parseReference("MK1", "MK1-0015-UM7C"));  // U is not in the alphabet
    CHECK_FALSE(parseReference("MK1", "MK1-0015-NM7C*"));
    CHECK_FALSE(parseReference("MK1", "MK1-000-0001"));  // fewer than 7 symbols before the check
    // 13 symbols of Z (2^65 - 1) with a correct check symbol: more than 64 bits.
    CHECK_FALSE(parseReference("MK1", "MK1-ZZZZ-ZZZZ-ZZZZ-ZD"));
    // Extra leading zeros would give a second spelling of the same number.
    const std::string padded = "MK1-0" + withoutHyphens(formatReference("", 1234567));
    CHECK_FALSE(parseReference("MK1", padded));
}

TEST_CASE("every single-symbol mistake is caught") {
    std::mt19937_64 random(7);
    std::vector<std::uint64_t> sequences = {0, 1, 31, 32, 1234567, 34359738367ULL, UINT64_MAX};
    for (int i = 0; i < 200; ++i) sequences.push_back(random() >> (random() % 64));
    int mistakes = 0;
    for (std::uint64_t sequence : sequences) {
        const std::string body = withoutHyphens(formatReference("", sequence));
        for (std::size_t position = 0; position < body.size(); ++position) {
            for (const char* symbol = kAlphabet; *symbol; ++symbol) {
                if (*symbol == body[position]) continue;
                std::string mistaken = body;
                mistaken[position] = *symbol;
                ++mistakes;
                const auto parsed = parseReference("", mistaken);
                if (parsed) FAIL(body << " misread as " << mistaken);
            }
        }
    }
    CHECK(mistakes > 50000);
}

TEST_CASE("swapping neighbouring symbols is caught, except 0 and Z") {
    std::mt19937_64 random(11);
    int swaps = 0, caught = 0, missed = 0;
    for (int i = 0; i < 20000; ++i) {
        const std::string body = withoutHyphens(formatReference("", random() >> (random() % 64)));
        for (std::size_t position = 0; position + 1 < body.size(); ++position) {
            const char a = body[position], b = body[position + 1];
            if (a == b) continue;
            std::string swapped = body;
            std::swap(swapped[position], swapped[position + 1]);
            ++swaps;
            if (!parseReference("", swapped)) {
                ++caught;
            } else {
                // The one blind spot of Luhn mod 32: 0 and Z (0 and 31) swap unseen.
                const bool zeroAndZ = (a == '0' && b == 'Z') || (a == 'Z' && b == '0');
                if (!zeroAndZ) FAIL("swap missed in " << body << " at " << position);
                ++missed;
            }
        }
    }
    CHECK(swaps > 130000);
    CHECK(caught + missed == swaps);
    CHECK(missed * 100 < swaps);
}

TEST_CASE("distinct sequences give distinct references") {
    std::set<std::uint64_t> sequences;
    for (std::uint64_t sequence = 0; sequence < 50000; ++sequence) sequences.insert(sequence);
    std::mt19937_64 random(3);
    while (sequences.size() < 100000) sequences.insert(random() >> (random() % 64));
    std::set<std::string> references;
    for (std::uint64_t sequence : sequences) references.insert(formatReference("MK1", sequence));
    CHECK(references.size() == sequences.size());
}

TEST_CASE("references are spelled out in groups for reading aloud") {
    CHECK(kiosk::spellReference("MK1-0015-NM7C") == "M K 1, 0 0 1 5, N M 7 C");
    CHECK(kiosk::spellReference("0000-001Y") == "0 0 0 0, 0 0 1 Y");
}
