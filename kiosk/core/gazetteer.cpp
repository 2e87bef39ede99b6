// UK postcode normalisation and the in-memory address gazetteer (postcode -> addresses),
// indexed so a lookup stays fast with a whole district's addresses loaded.
#include <cctype>

#include "kiosk/content.h"

namespace kiosk {
namespace {

bool isLetter(char c) {
    return c >= 'A' && c <= 'Z';
}
bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

// Outward code shapes of the UK format: A9, A99, AA9, AA99, A9A, AA9A (A letter, 9 digit).
bool isOutwardCode(const std::string& code) {
    const auto shaped = [&](const char* shape) {
        if (code.size() != std::char_traits<char>::length(shape)) return false;
        for (std::size_t i = 0; i < code.size(); ++i) {
            if (shape[i] == 'A' ? !isLetter(code[i]) : !isDigit(code[i])) return false;
        }
        return true;
    };
    return shaped("A9") || shaped("A99") || shaped("AA9") || shaped("AA99") || shaped("A9A") ||
           shaped("AA9A");
}

}  // namespace

std::optional<std::string> normaliseUkPostcode(const std::string& text) {
    std::string compact;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isspace(byte)) continue;
        if (!std::isalnum(byte)) return std::nullopt;
        compact += static_cast<char>(std::toupper(byte));
    }
    if (compact.size() < 5 || compact.size() > 7) return std::nullopt;
    const std::string outward = compact.substr(0, compact.size() - 3);
    const std::string inward = compact.substr(compact.size() - 3);
    // GIR 0AA is the one historic postcode outside the pattern (Girobank).
    const bool girobank = outward == "GIR" && inward == "0AA";
    if (!girobank) {
        if (!isOutwardCode(outward)) return std::nullopt;
        if (!isDigit(inward[0]) || !isLetter(inward[1]) || !isLetter(inward[2])) return std::nullopt;
    }
    return outward + " " + inward;
}

void Gazetteer::add(Address address) {
    if (auto normalised = normaliseUkPostcode(address.postcode)) address.postcode = *normalised;
    const std::size_t index = addresses_.size();
    byPostcode_[address.postcode].push_back(index);
    byUprn_.emplace(address.uprn, index);  // the first address with a UPRN wins; the loader reports repeats
    addresses_.push_back(std::move(address));
}

std::vector<const Address*> Gazetteer::lookup(const std::string& postcode) const {
    std::vector<const Address*> matches;
    const auto normalised = normaliseUkPostcode(postcode);
    if (!normalised) return matches;
    const auto found = byPostcode_.find(*normalised);
    if (found == byPostcode_.end()) return matches;
    matches.reserve(found->second.size());
    for (std::size_t index : found->second) matches.push_back(&addresses_[index]);
    return matches;
}

const Address* Gazetteer::findByUprn(const std::string& uprn) const {
    const auto found = byUprn_.find(uprn);
    return found == byUprn_.end() ? nullptr : &addresses_[found->second];
}

}  // namespace kiosk
