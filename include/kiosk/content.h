// Content model: what a council's content pack says about its services, forms, strings
// and addresses, and the loader that reads and validates a pack directory as a whole.
//
// Pack directory layout (JSON, UTF-8; the format is described in assets/README.md and
// assets/schema/content-pack.schema.json):
//   manifest.json    pack id, version, council, languages, list of the other files
//   strings.json     UI string catalogue: key -> {language: text}
//   services.json    service catalogue
//   forms/*.json     one form per file
//   gazetteer.json   postcode -> addresses (UPRN, lines, coordinates)
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/result.h"

namespace kiosk {

inline constexpr const char* kFallbackLanguage = "en";

// A visible string in every language the pack has; English is the fallback, never blank.
struct LocalText {
    std::map<std::string, std::string> byLanguage;

    const std::string& in(const std::string& language) const;  // falls back to "en", then ""
    bool empty() const { return byLanguage.empty(); }
};

enum class QuestionType {
    ShortText,       // "short-text"
    LongText,        // "long-text"
    WholeNumber,     // "whole-number"
    Date,            // "date": day, month, year boxes
    OneChoice,       // "one-choice": radios
    SeveralChoices,  // "several-choices": checkboxes
    YesNo,           // "yes-no"
    Email,           // "email"
    UkPhone,         // "uk-phone"
    UkPostcode,      // "uk-postcode"
    Address,         // "address": postcode lookup, pick from list, or manual entry
};

const char* questionTypeName(QuestionType type);
std::optional<QuestionType> questionTypeFromName(const std::string& name);  // "short-text" -> ShortText

enum class DateRule { Any, MustBePast, MustBeFuture };  // "any" | "past" | "future"

struct Choice {
    std::string value;  // stable value stored in the answer
    LocalText label;
    LocalText hint;
};

struct Question {
    std::string id;
    QuestionType type = QuestionType::ShortText;
    LocalText label;  // the page heading
    LocalText hint;
    LocalText errorName;  // noun phrase for generated errors: "your postcode" -> "Enter your postcode"
    std::vector<Choice> choices;
    bool required = true;
    std::optional<int> minLength;
    std::optional<int> maxLength;
    std::optional<std::int64_t> minValue;
    std::optional<std::int64_t> maxValue;
    DateRule dateRule = DateRule::Any;
    std::optional<std::string> pattern;  // ECMAScript regex the whole answer must match
    // Pack-supplied error messages by kind: "required", "too-long", "too-short", "too-small",
    // "too-big", "pattern", "format", "not-real-date", "not-past", "not-future".
    std::map<std::string, LocalText> messages;
};

// A page is shown only when every condition holds for the answers given so far.
struct Condition {
    enum class Kind { Equals, NotEquals, Includes, Answered };
    std::string questionId;
    Kind kind = Kind::Equals;
    std::string value;  // unused for Answered
};

struct Page {
    std::string id;
    Question question;  // one question per page
    std::vector<Condition> showWhen;
};

struct Form {
    std::string id;
    int version = 1;
    LocalText title;
    std::vector<Page> pages;
    LocalText confirmationTitle;  // e.g. "Missed bin reported"
    LocalText whatHappensNext;
};

struct StartPage {
    LocalText summary;         // what this service does
    LocalText youWillNeed;     // what you need
    LocalText timeToComplete;  // how long it takes
    LocalText otherWays;       // other ways to do it (phone, in person)
};

struct Service {
    std::string id;
    LocalText title;
    LocalText description;
    std::string icon;  // icon name drawn by the UI, e.g. "bin", "house"
    std::map<std::string, std::vector<std::string>> synonyms;  // language -> search words
    std::string council;      // owning council id from the manifest's councils
    std::string destination;  // a configured destination's name: "kiosk-api", "open311", "email"...
    // "destinationSettings" as JSON text: per destination type, how this service maps onto it
    // (an Open311 service code and attributes, a mailbox...). "{}" when the pack gives none.
    std::string destinationSettings = "{}";
    std::string formId;
    StartPage startPage;
};

struct Address {
    std::string uprn;
    std::vector<std::string> lines;  // first line is the street address
    std::string town;
    std::string postcode;  // normalised: "ME14 1AA"
    double latitude = 0;
    double longitude = 0;

    std::string singleLine() const;  // "12 Acorn Way, Bearsted, Maidstone ME14 4AA"
};

// Upper-cases, trims and puts a single space before the inward code: " me141aa" -> "ME14 1AA".
// Returns nullopt when the text is not shaped like a UK postcode.
std::optional<std::string> normaliseUkPostcode(const std::string& text);

class Gazetteer {
public:
    void add(Address address);
    // Addresses at a postcode in any spacing or case, in the order the pack gave them.
    std::vector<const Address*> lookup(const std::string& postcode) const;
    const Address* findByUprn(const std::string& uprn) const;
    std::size_t size() const { return addresses_.size(); }

private:
    std::vector<Address> addresses_;
    std::map<std::string, std::vector<std::size_t>> byPostcode_;
    std::map<std::string, std::size_t> byUprn_;
};

struct Council {
    std::string id;
    LocalText name;
    LocalText contact;  // phone, address, opening hours
    // Where a resident can follow up a report, with "{reference}" where the reference goes, e.g.
    // "https://council.example/track?ref={reference}". The confirmation's QR code carries it;
    // "" when the council has none (the QR code then holds the reference alone).
    std::string trackingUrl;
};

struct Language {
    std::string code;        // "en", "pl", "ro", "ne"
    std::string nativeName;  // "English", "Polski", "Română", "नेपाली"
};

// A kind of help a volunteer records ("Set up an email account"); the id travels, not the title.
struct HelpTopic {
    std::string id;  // "email-account"
    std::string title;
};

struct ContentPack {
    std::string packId;
    std::int64_t version = 0;
    bool sample = false;  // sample data, not a real council's
    std::vector<Language> languages;
    std::vector<Council> councils;
    std::map<std::string, LocalText> strings;  // UI string catalogue
    std::vector<Service> services;
    std::map<std::string, Form> forms;
    std::vector<HelpTopic> helpTopics;
    Gazetteer gazetteer;

    const Service* findService(const std::string& id) const;
    const Form* findForm(const std::string& id) const;
    const Council* findCouncil(const std::string& id) const;
    // A catalogue string in a language, falling back to English, then to the key itself
    // (so a missing string is visible to testers rather than blank).
    std::string text(const std::string& key, const std::string& language) const;
};

// One problem found in a pack, precise enough for an admin to fix it.
struct PackProblem {
    std::string file;      // relative to the pack directory, e.g. "forms/missed-bin.json"
    std::string jsonPath;  // JSON Pointer-like path, e.g. "/pages/2/question/type"
    std::string message;  // what is wrong and what to do: "Unknown question type 'dropdown'. Use one of: ..."
};

std::string describe(const PackProblem& problem);  // "forms/missed-bin.json /pages/2: ..."

struct PackLoadResult {
    std::optional<ContentPack> pack;    // set only when problems is empty
    std::vector<PackProblem> problems;  // every problem found, not just the first
};

// Reads and validates a whole pack: JSON syntax, required fields, unknown question types,
// references between files (service -> form, condition -> earlier question, council ids),
// duplicate ids, English text present for every visible string, regex patterns compile.
PackLoadResult loadContentPack(const std::filesystem::path& directory);

// A pack's files held in memory, by path inside the pack ("manifest.json", "forms/missed-bin.json").
using PackFiles = std::map<std::string, std::string>;

// The same checks for a pack that is not in a directory (a downloaded bundle, a test's pack):
// a file the manifest lists but `files` lacks is reported as missing from the pack.
PackLoadResult loadContentPack(const PackFiles& files);

// Services matching the words of a search ("bin", "council tax"), best first. Each word is
// matched case-insensitively, as part of a word, against the title, description and synonyms
// in the chosen language and in English. Services matching more of the words come first; among
// those, a match in the title beats one in the synonyms, which beats one in the description;
// ties keep pack order. An empty or blank query returns every service in pack order.
std::vector<const Service*> searchServices(const ContentPack& pack, const std::string& query,
                                           const std::string& language);

}  // namespace kiosk
