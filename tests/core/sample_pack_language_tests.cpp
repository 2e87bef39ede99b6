// The sample pack speaks every language its manifest lists: each text a resident can see
// (services, start pages, questions, choices, messages, confirmations, councils and the whole
// UI catalogue) has its own text in each language, not just the English fallback, and each
// translated catalogue template keeps the placeholders the kiosk fills in. Nepali text is
// written in Devanagari and is never English left in place.
#include <catch2/catch.hpp>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "kiosk/content.h"

using kiosk::ContentPack;
using kiosk::LocalText;

namespace {

const ContentPack& samplePack() {
    static const ContentPack pack = [] {
        kiosk::PackLoadResult loaded = kiosk::loadContentPack(KIOSK_SAMPLE_PACK);
        std::string problems;
        for (const auto& problem : loaded.problems) problems += kiosk::describe(problem) + "\n";
        INFO(problems);
        REQUIRE(loaded.pack);
        return std::move(*loaded.pack);
    }();
    return pack;
}

// One visible text and where it lives, for the failure message.
struct VisibleText {
    std::string where;
    const LocalText* text;
};

// Every text a resident can see. Optional texts the pack leaves out (no hint, no errorName)
// have no English either and are skipped by the callers.
std::vector<VisibleText> visibleTexts(const ContentPack& pack) {
    std::vector<VisibleText> texts;
    for (const auto& council : pack.councils) {
        texts.push_back({"council " + council.id + " name", &council.name});
        texts.push_back({"council " + council.id + " contact", &council.contact});
    }
    for (const auto& service : pack.services) {
        const std::string at = "service " + service.id + " ";
        texts.push_back({at + "title", &service.title});
        texts.push_back({at + "description", &service.description});
        texts.push_back({at + "start page summary", &service.startPage.summary});
        texts.push_back({at + "start page what you need", &service.startPage.youWillNeed});
        texts.push_back({at + "start page how long", &service.startPage.timeToComplete});
        texts.push_back({at + "start page other ways", &service.startPage.otherWays});
    }
    for (const auto& [formId, form] : pack.forms) {
        const std::string at = "form " + formId + " ";
        texts.push_back({at + "title", &form.title});
        texts.push_back({at + "confirmation title", &form.confirmationTitle});
        texts.push_back({at + "what happens next", &form.whatHappensNext});
        for (const auto& page : form.pages) {
            const std::string question = at + "page " + page.id + " ";
            texts.push_back({question + "label", &page.question.label});
            texts.push_back({question + "hint", &page.question.hint});
            texts.push_back({question + "errorName", &page.question.errorName});
            for (const auto& choice : page.question.choices) {
                texts.push_back({question + "choice " + choice.value + " label", &choice.label});
                texts.push_back({question + "choice " + choice.value + " hint", &choice.hint});
            }
            for (const auto& [kind, message] : page.question.messages)
                texts.push_back({question + "message " + kind, &message});
        }
    }
    for (const auto& [key, text] : pack.strings) texts.push_back({"strings.json " + key, &text});
    return texts;
}

const std::string& english(const LocalText& text) {
    static const std::string none;
    const auto found = text.byLanguage.find(kiosk::kFallbackLanguage);
    return found == text.byLanguage.end() ? none : found->second;
}

// "{Name} must be {max} characters" -> {"max", "name"}. {Name} is {name} with a capital first
// letter (the kiosk fills both with the question's errorName), so a translation may use either:
// Polish and Romanian sentences often put the name in the middle.
std::set<std::string> placeholders(const std::string& text) {
    static const std::regex placeholder(R"(\{([A-Za-z]+)\})");
    std::set<std::string> names;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), placeholder); it != std::sregex_iterator();
         ++it) {
        std::string name = (*it)[1];
        if (name == "Name") name = "name";
        names.insert(name);
    }
    return names;
}

// Whether the text has at least one letter of the Devanagari block (U+0900 to U+097F). In
// UTF-8 those are E0 A4 xx and E0 A5 xx; E0 is always a lead byte, so a byte search is exact.
bool hasDevanagari(const std::string& text) {
    return text.find("\xE0\xA4") != std::string::npos || text.find("\xE0\xA5") != std::string::npos;
}

// Devanagari digits U+0966 to U+096F (E0 A5 A6 to E0 A5 AF).
bool hasDevanagariDigit(const std::string& text) {
    for (std::size_t at = text.find("\xE0\xA5"); at != std::string::npos;
         at = text.find("\xE0\xA5", at + 1)) {
        if (at + 2 < text.size()) {
            const auto last = static_cast<unsigned char>(text[at + 2]);
            if (last >= 0xA6 && last <= 0xAF) return true;
        }
    }
    return false;
}

// Nepali texts that may stay exactly as in English, with no Devanagari: council names (proper
// nouns, kept as the council writes them) and key labels that read the same in every language.
const std::set<std::string> kNepaliSameAsEnglish = {
    "Sample District Council", "Sample County Council", "QWERTY", "ABC", "123", "{percent}%",
};

}  // namespace

TEST_CASE("The sample pack offers English, Polish, Romanian and Nepali", "[sample-pack][languages]") {
    const ContentPack& pack = samplePack();
    std::vector<std::string> codes;
    for (const auto& language : pack.languages) {
        codes.push_back(language.code);
        CHECK_FALSE(language.nativeName.empty());
        // Each language is listed by its own name, so a resident can find it without English.
        if (language.code == "ne")
            CHECK(language.nativeName ==
                  "\xE0\xA4\xA8\xE0\xA5\x87\xE0\xA4\xAA\xE0\xA4\xBE\xE0\xA4\xB2\xE0\xA5\x80");
    }
    CHECK(codes == std::vector<std::string>{"en", "pl", "ro", "ne"});
}

TEST_CASE("Every visible text in the sample pack has text in every language", "[sample-pack][languages]") {
    const ContentPack& pack = samplePack();
    REQUIRE(pack.languages.size() > 1);
    std::size_t checked = 0;
    for (const auto& [where, text] : visibleTexts(pack)) {
        if (english(*text).empty()) continue;  // an optional text the pack does not use
        for (const auto& language : pack.languages) {
            INFO(where << " in '" << language.code << "' (English: \"" << english(*text) << "\")");
            const auto found = text->byLanguage.find(language.code);
            CHECK(found != text->byLanguage.end());
            if (found != text->byLanguage.end()) CHECK_FALSE(found->second.empty());
            ++checked;
        }
    }
    // The walk must have reached the pack: catalogue, services, forms and councils.
    CHECK(checked > 4 * 300);
}

TEST_CASE("Translated catalogue templates keep their placeholders", "[sample-pack][languages]") {
    const ContentPack& pack = samplePack();
    std::size_t translatedTemplates = 0;
    for (const auto& [key, text] : pack.strings) {
        const std::set<std::string> wanted = placeholders(english(text));
        for (const auto& [language, translated] : text.byLanguage) {
            if (!wanted.empty() && language != kiosk::kFallbackLanguage) ++translatedTemplates;
            INFO("strings.json " << key << " in '" << language << "': \"" << translated << "\"");
            const std::set<std::string> found = placeholders(translated);
            for (const auto& name : wanted) {
                INFO("placeholder {" << name << "}");
                CHECK(found.count(name) == 1);
            }
            // A placeholder the English does not have would be shown to residents as typed.
            for (const auto& name : found) {
                INFO("unexpected placeholder {" << name << "}");
                CHECK(wanted.count(name) == 1);
            }
        }
    }
    // The catalogue's templates with placeholders, each in Polish, Romanian and Nepali: without
    // them the loop above would check nothing.
    CHECK(translatedTemplates > 3 * 20);
}

TEST_CASE("Romanian text uses comma-below letters and no text apologises or pleads",
          "[sample-pack][languages]") {
    const ContentPack& pack = samplePack();
    // Cedilla forms (U+015E, U+015F, U+0162, U+0163) are the old, wrong Romanian letters.
    const std::vector<std::string> cedillas = {"\xC5\x9E", "\xC5\x9F", "\xC5\xA2", "\xC5\xA3"};
    // GOV.UK: never "please" or "sorry"; the same holds in translation. Nepali: kripaya
    // ("please"), maaf and kshama ("sorry", "forgive"), amaanya ("invalid").
    const std::vector<std::pair<std::string, std::string>> banned = {
        {"pl", "prosz\xC4\x99"},
        {"pl", "Prosz\xC4\x99"},
        {"pl", "przepraszam"},
        {"pl", "Przepraszam"},
        {"ro", "v\xC4\x83 rug\xC4\x83m"},
        {"ro", "V\xC4\x83 rug\xC4\x83m"},
        {"ro", "ne pare r\xC4\x83u"},
        {"ro", "Ne pare r\xC4\x83u"},
        {"ne", "\xE0\xA4\x95\xE0\xA5\x83\xE0\xA4\xAA\xE0\xA4\xAF\xE0\xA4\xBE"},
        {"ne", "\xE0\xA4\xAE\xE0\xA4\xBE\xE0\xA4\xAB"},
        {"ne", "\xE0\xA4\x95\xE0\xA5\x8D\xE0\xA4\xB7\xE0\xA4\xAE\xE0\xA4\xBE"},
        {"ne", "\xE0\xA4\x85\xE0\xA4\xAE\xE0\xA4\xBE\xE0\xA4\xA8\xE0\xA5\x8D\xE0\xA4\xAF"},
    };
    std::map<std::string, std::size_t> checkedByLanguage;
    for (const auto& [where, text] : visibleTexts(pack)) {
        for (const auto& [language, translated] : text->byLanguage) {
            INFO(where << " in '" << language << "': \"" << translated << "\"");
            if (language == "ro")
                for (const auto& letter : cedillas) CHECK(translated.find(letter) == std::string::npos);
            for (const auto& [bannedLanguage, word] : banned)
                if (language == bannedLanguage) CHECK(translated.find(word) == std::string::npos);
            ++checkedByLanguage[language];
        }
    }
    // Each language's texts were really there to search.
    for (const char* language : {"pl", "ro", "ne"}) {
        INFO(language);
        CHECK(checkedByLanguage[language] > 300);
    }
}

TEST_CASE("Nepali text is written in Devanagari, is not left in English and keeps placeholders",
          "[sample-pack][languages]") {
    const ContentPack& pack = samplePack();
    std::size_t checked = 0;
    for (const auto& [where, text] : visibleTexts(pack)) {
        const std::string& en = english(*text);
        if (en.empty()) continue;  // an optional text the pack does not use
        const auto found = text->byLanguage.find("ne");
        INFO(where << " (English: \"" << en << "\")");
        REQUIRE(found != text->byLanguage.end());
        const std::string& ne = found->second;
        INFO("Nepali: \"" << ne << "\"");
        CHECK_FALSE(ne.empty());
        const bool allowed = kNepaliSameAsEnglish.count(ne) == 1;
        // Names and key labels aside, Nepali must read as Nepali...
        if (!allowed) CHECK(hasDevanagari(ne));
        // ...and must not be the English copied across.
        if (ne == en) CHECK(allowed);
        // Numbers use Western digits, as the resident types them and the kiosk prints them
        // (dates, counts, phone numbers, postcodes).
        CHECK_FALSE(hasDevanagariDigit(ne));
        // The same placeholders as the English, no more and no fewer.
        CHECK(placeholders(ne) == placeholders(en));
        ++checked;
    }
    CHECK(checked > 300);
}
