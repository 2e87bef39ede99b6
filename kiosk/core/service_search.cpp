// Service search for the "What do you need help with?" screen: matches the words a resident
// types against titles, synonyms and descriptions in their language and in English.
#include <algorithm>
#include <cctype>

#include "kiosk/content.h"

namespace kiosk {
namespace {

void appendUtf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Lower case for the scripts of our first languages (Latin with Polish and Romanian letters,
// Cyrillic); Devanagari has no case. Enough for search, not a full Unicode case fold.
char32_t lowerCase(char32_t cp) {
    if (cp >= 'A' && cp <= 'Z') return cp + 0x20;
    if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
    if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177) || (cp >= 0x218 && cp <= 0x21B)) {
        return (cp % 2 == 0) ? cp + 1 : cp;
    }
    if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) return (cp % 2 == 1) ? cp + 1 : cp;
    if (cp == 0x178) return 0xFF;
    if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;
    if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
    return cp;
}

std::string foldCase(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
        if (i + length > text.size()) length = 1;
        char32_t cp = length == 1 ? lead : (lead & (0xFF >> (length + 1)));
        for (std::size_t k = 1; k < length; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        appendUtf8(out, lowerCase(cp));
        i += length;
    }
    return out;
}

std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> result;
    std::string current;
    for (char c : foldCase(text)) {
        const auto byte = static_cast<unsigned char>(c);
        const bool separator =
            byte < 0x80 && !std::isalnum(byte);  // bytes of other scripts are word characters
        if (separator) {
            if (!current.empty()) result.push_back(std::move(current));
            current.clear();
        } else {
            current += c;
        }
    }
    if (!current.empty()) result.push_back(std::move(current));
    return result;
}

struct Candidate {
    const Service* service;
    std::size_t order;
    int wordsMatched = 0;
    int titleMatches = 0;
    int synonymMatches = 0;
    int descriptionMatches = 0;
};

}  // namespace

std::vector<const Service*> searchServices(const ContentPack& pack, const std::string& query,
                                           const std::string& language) {
    const std::vector<std::string> queryWords = words(query);
    std::vector<const Service*> result;
    if (queryWords.empty()) {
        for (const auto& service : pack.services) result.push_back(&service);
        return result;
    }
    std::vector<Candidate> candidates;
    for (std::size_t i = 0; i < pack.services.size(); ++i) {
        const Service& service = pack.services[i];
        // The resident's language first, English too: many residents search in English words.
        std::string title = foldCase(service.title.in(language));
        std::string description = foldCase(service.description.in(language));
        std::string synonyms;
        if (language != kFallbackLanguage) {
            title += "\n" + foldCase(service.title.in(kFallbackLanguage));
            description += "\n" + foldCase(service.description.in(kFallbackLanguage));
        }
        for (const auto& code : {language, std::string(kFallbackLanguage)}) {
            if (auto found = service.synonyms.find(code); found != service.synonyms.end()) {
                for (const auto& word : found->second) synonyms += "\n" + foldCase(word);
            }
        }
        Candidate candidate{&service, i};
        for (const auto& word : queryWords) {
            const bool inTitle = title.find(word) != std::string::npos;
            const bool inSynonyms = synonyms.find(word) != std::string::npos;
            const bool inDescription = description.find(word) != std::string::npos;
            candidate.titleMatches += inTitle;
            candidate.synonymMatches += inSynonyms;
            candidate.descriptionMatches += inDescription;
            candidate.wordsMatched += (inTitle || inSynonyms || inDescription);
        }
        if (candidate.wordsMatched > 0) candidates.push_back(candidate);
    }
    std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
        if (a.wordsMatched != b.wordsMatched) return a.wordsMatched > b.wordsMatched;
        if (a.titleMatches != b.titleMatches) return a.titleMatches > b.titleMatches;
        if (a.synonymMatches != b.synonymMatches) return a.synonymMatches > b.synonymMatches;
        if (a.descriptionMatches != b.descriptionMatches) return a.descriptionMatches > b.descriptionMatches;
        return a.order < b.order;
    });
    for (const auto& candidate : candidates) result.push_back(candidate.service);
    return result;
}

}  // namespace kiosk
