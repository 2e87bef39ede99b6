// Validating one answer with GOV.UK error wording: say what to do; never "please", "sorry",
// "valid", "invalid" or "oops".
//
// Where a message comes from, first match wins:
//   1. the question's own message for that kind in the pack ("messages": {"required": ...});
//   2. the template in strings.json, in the resident's language, then English;
//   3. the built-in English default below.
// Templates may use {name} (the question's errorName, or a name made from its label),
// {Name} (the same with a capital first letter), {min}, {max} and {postcode}.
//
//   catalogue key                    pack kind       English default
//   error.required.enter             required        Enter {name}
//   error.required.select            required        Select {name}
//   error.too-long                   too-long        {Name} must be {max} characters or fewer
//   error.too-short                  too-short       {Name} must be {min} characters or more
//   error.whole-number               format          {Name} must be a whole number
//   error.too-small                  too-small       {Name} must be {min} or more
//   error.too-big                    too-big         {Name} must be {max} or fewer
//   error.between                    too-small/-big  {Name} must be between {min} and {max}
//   error.email                      format          Enter an email address in the correct format,
//                                                    like name@example.com
//   error.phone                      format          Enter a phone number, like 01632 960 001 or
//                                                    07700 900 982
//   error.postcode                   format          Enter a full UK postcode
//   error.pattern                    pattern         Enter {name} in the correct format
//   error.date.missing-day (also -month, -year, -day-month, -day-year, -month-year)
//                                    -               {Name} must include a day (a month, ...)
//   error.date.real                  not-real-date   {Name} must be a real date
//   error.date.not-past              not-past        {Name} must be today or in the past
//   error.date.not-future            not-future      {Name} must be in the future
//   error.address.postcode-required  required        Enter a postcode
//   error.address.not-found          -               We could not find any addresses for {postcode}.
//                                                    Check the postcode or enter the address yourself
//   error.address.select             -               Select an address
//   error.address.line1              -               Enter address line 1, typically the building
//                                                    and street
//   error.address.town               -               Enter town or city
//
// Date rules: "past" questions ask about something that has happened ("When was your bin
// missed?"), so today counts; "future" questions arrange something ("When should we collect
// it?"), which cannot be today, so today does not count.
#include <algorithm>
#include <cctype>

#include "answer_rules.h"

namespace kiosk {
namespace {

using answers::trim;

bool startsWithIgnoringCase(const std::string& text, const std::string& prefix) {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) !=
            std::tolower(static_cast<unsigned char>(prefix[i])))
            return false;
    }
    return true;
}

// "What is your postcode?" -> "your postcode"; "Which bins were missed?" -> "which bins were missed".
std::string nameFromLabel(const std::string& label) {
    std::string name = trim(label);
    while (!name.empty() && (name.back() == '?' || name.back() == ' ')) name.pop_back();
    for (const char* prefix : {"What is ", "What's ", "What are "}) {
        if (startsWithIgnoringCase(name, prefix)) {
            name = trim(name.substr(std::char_traits<char>::length(prefix)));
            break;
        }
    }
    // Lower-case the first letter unless the word is an abbreviation ("UPRN").
    if (name.size() >= 1 && std::isupper(static_cast<unsigned char>(name[0])) &&
        !(name.size() >= 2 && std::isupper(static_cast<unsigned char>(name[1])))) {
        name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
    }
    return name;
}

std::string capitalised(std::string text) {
    if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    return text;
}

void replaceAll(std::string& text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

// Builds messages for one question in one language.
class MessageMaker {
public:
    MessageMaker(const ContentPack& pack, const Question& question, const std::string& language)
        : pack_(pack), question_(question), language_(language) {}

    std::string name() const {
        if (auto own = question_.errorName.byLanguage.find(language_);
            own != question_.errorName.byLanguage.end() && !own->second.empty()) {
            return own->second;
        }
        // No name in this language: a name made from an English label reads well only in English.
        const std::string& english = question_.errorName.in(kFallbackLanguage);
        if (!english.empty()) return english;
        if (language_ == kFallbackLanguage || !question_.label.byLanguage.count(language_)) {
            return nameFromLabel(question_.label.in(kFallbackLanguage));
        }
        return question_.label.in(language_);
    }

    // packKind may be nullptr when the pack cannot override this message.
    std::string make(const char* packKind, const std::string& key, const char* englishDefault) const {
        std::string text;
        if (packKind) {
            if (auto own = question_.messages.find(packKind); own != question_.messages.end())
                text = own->second.in(language_);
        }
        if (text.empty()) text = answers::catalogueText(pack_, key, language_, englishDefault);
        const std::string questionName = name();
        replaceAll(text, "{name}", questionName);
        replaceAll(text, "{Name}", capitalised(questionName));
        replaceAll(text, "{min}", limit(question_.minLength, question_.minValue));
        replaceAll(text, "{max}", limit(question_.maxLength, question_.maxValue));
        replaceAll(text, "{postcode}", postcode_);
        return text;
    }

    void setPostcode(std::string postcode) { postcode_ = std::move(postcode); }

private:
    std::string limit(const std::optional<int>& length, const std::optional<std::int64_t>& value) const {
        if (question_.type == QuestionType::WholeNumber) return value ? std::to_string(*value) : "";
        return length ? std::to_string(*length) : "";
    }

    const ContentPack& pack_;
    const Question& question_;
    const std::string& language_;
    std::string postcode_;
};

bool isSelectType(QuestionType type) {
    return type == QuestionType::OneChoice || type == QuestionType::SeveralChoices ||
           type == QuestionType::YesNo;
}

// Matching time grows with the answer's length (see compilePattern), so very long answers are not
// matched against a pack pattern; such answers fail the pattern instead.
constexpr std::size_t kMaxPatternInput = 1000;

bool matchesPattern(const std::string& pattern, const std::string& text) {
    if (text.size() > kMaxPatternInput) return false;
    try {
        return std::regex_match(text, answers::compilePattern(pattern));
    } catch (const std::exception&) {
        return false;  // the loader rejects patterns that do not compile; this is a last guard
    }
}

std::vector<FieldError> validateDate(const Question& question, const DateInput& date, std::int64_t todayDays,
                                     const MessageMaker& messages) {
    const bool hasDay = !trim(date.day).empty(), hasMonth = !trim(date.month).empty(),
               hasYear = !trim(date.year).empty();
    if (!hasDay && !hasMonth && !hasYear) {
        if (!question.required) return {};
        return {{"", messages.make("required", "error.required.enter", "Enter {name}")}};
    }
    // A missing part names its box (the first, when two are missing) and the screen marks only the
    // empty boxes; a date wrong as a whole names none (field ""), and all three are marked (GOV.UK).
    if (!hasDay || !hasMonth || !hasYear) {
        std::string key = "error.date.missing";
        std::string english = "{Name} must include a ";
        std::vector<std::string> parts;
        if (!hasDay) parts.push_back("day");
        if (!hasMonth) parts.push_back("month");
        if (!hasYear) parts.push_back("year");
        for (const auto& part : parts) key += "-" + part;
        english += parts.size() == 1 ? parts[0] : parts[0] + " and " + parts[1];
        return {{parts[0], messages.make(nullptr, key, english.c_str())}};
    }
    const auto parsed = answers::parseDate(date);
    if (!parsed)
        return {{"", messages.make("not-real-date", "error.date.real", "{Name} must be a real date")}};
    const std::int64_t days = answers::daysFromCivil(parsed->year, parsed->month, parsed->day);
    if (question.dateRule == DateRule::MustBePast && days > todayDays) {
        return {
            {"", messages.make("not-past", "error.date.not-past", "{Name} must be today or in the past")}};
    }
    if (question.dateRule == DateRule::MustBeFuture && days <= todayDays) {
        return {{"", messages.make("not-future", "error.date.not-future", "{Name} must be in the future")}};
    }
    return {};
}

std::vector<FieldError> validateAddress(const ContentPack& pack, const Question& question,
                                        const AddressInput& address, AddressStage stage,
                                        MessageMaker& messages) {
    const auto postcodeProblem = [&](const std::string& text) -> std::optional<std::string> {
        if (trim(text).empty())
            return messages.make("required", "error.address.postcode-required", "Enter a postcode");
        if (!normaliseUkPostcode(text))
            return messages.make("format", "error.postcode", "Enter a full UK postcode");
        return std::nullopt;
    };
    switch (stage) {
        case AddressStage::Postcode: {
            if (trim(address.postcode).empty() && !question.required) return {};
            if (auto problem = postcodeProblem(address.postcode)) return {{"postcode", *problem}};
            const std::string postcode = *normaliseUkPostcode(address.postcode);
            if (pack.gazetteer.lookup(postcode).empty()) {
                messages.setPostcode(postcode);
                return {{"postcode", messages.make(nullptr, "error.address.not-found",
                                                   "We could not find any addresses for {postcode}. Check "
                                                   "the postcode or enter the address yourself")}};
            }
            return {};
        }
        case AddressStage::PickAddress: {
            for (const Address* match : pack.gazetteer.lookup(address.postcode)) {
                if (match->uprn == address.chosenUprn) return {};
            }
            return {{"address", messages.make(nullptr, "error.address.select", "Select an address")}};
        }
        case AddressStage::Manual: {
            std::vector<FieldError> errors;
            if (trim(address.line1).empty()) {
                errors.push_back(
                    {"line1", messages.make(nullptr, "error.address.line1",
                                            "Enter address line 1, typically the building and street")});
            }
            if (trim(address.town).empty()) {
                errors.push_back(
                    {"town", messages.make(nullptr, "error.address.town", "Enter town or city")});
            }
            if (auto problem = postcodeProblem(address.manualPostcode))
                errors.push_back({"manualPostcode", *problem});
            return errors;
        }
    }
    return {};
}

std::vector<FieldError> validateText(const Question& question, const std::string& typed,
                                     const MessageMaker& messages) {
    const std::string text = trim(typed);
    switch (question.type) {
        case QuestionType::WholeNumber: {
            const auto number = answers::parseWholeNumber(text);
            if (!number)
                return {{"", messages.make("format", "error.whole-number", "{Name} must be a whole number")}};
            const bool tooSmall = question.minValue && *number < *question.minValue;
            const bool tooBig = question.maxValue && *number > *question.maxValue;
            if (!tooSmall && !tooBig) return {};
            const char* kind = tooSmall ? "too-small" : "too-big";
            if (question.minValue && question.maxValue && !question.messages.count(kind)) {
                return {
                    {"", messages.make(nullptr, "error.between", "{Name} must be between {min} and {max}")}};
            }
            return {{"", tooSmall ? messages.make(kind, "error.too-small", "{Name} must be {min} or more")
                                  : messages.make(kind, "error.too-big", "{Name} must be {max} or fewer")}};
        }
        case QuestionType::UkPostcode:
            if (!normaliseUkPostcode(text))
                return {{"", messages.make("format", "error.postcode", "Enter a full UK postcode")}};
            return {};
        default:
            break;
    }
    const std::size_t length = answers::characterCount(text);
    if (question.maxLength && length > static_cast<std::size_t>(*question.maxLength)) {
        return {
            {"", messages.make("too-long", "error.too-long", "{Name} must be {max} characters or fewer")}};
    }
    if (question.minLength && length < static_cast<std::size_t>(*question.minLength)) {
        return {
            {"", messages.make("too-short", "error.too-short", "{Name} must be {min} characters or more")}};
    }
    if (question.type == QuestionType::Email && !answers::isEmailShaped(text)) {
        return {{"", messages.make("format", "error.email",
                                   "Enter an email address in the correct format, like name@example.com")}};
    }
    if (question.type == QuestionType::UkPhone && !answers::isUkPhoneNumber(text)) {
        return {{"", messages.make("format", "error.phone",
                                   "Enter a phone number, like 01632 960 001 or 07700 900 982")}};
    }
    if (question.pattern && !matchesPattern(*question.pattern, text)) {
        return {{"", messages.make("pattern", "error.pattern", "Enter {name} in the correct format")}};
    }
    return {};
}

}  // namespace

std::vector<FieldError> validateAnswer(const ContentPack& pack, const Question& question,
                                       const AnswerInput& input, const std::string& language,
                                       AddressStage stage, std::int64_t todayDays) {
    MessageMaker messages(pack, question, language);
    switch (question.type) {
        case QuestionType::Date:
            return validateDate(question, input.date, todayDays, messages);
        case QuestionType::Address:
            return validateAddress(pack, question, input.address, stage, messages);
        default:
            break;
    }
    if (answers::isEmptyAnswer(question, input)) {
        if (!question.required) return {};
        return {{"", isSelectType(question.type)
                         ? messages.make("required", "error.required.select", "Select {name}")
                         : messages.make("required", "error.required.enter", "Enter {name}")}};
    }
    if (question.type == QuestionType::OneChoice || question.type == QuestionType::SeveralChoices) {
        // A value the form does not offer can only come from a stale draft: ask again.
        std::vector<std::string> given = question.type == QuestionType::OneChoice
                                             ? std::vector<std::string>{trim(input.text)}
                                             : input.selected;
        for (const auto& value : given) {
            const bool offered = std::any_of(question.choices.begin(), question.choices.end(),
                                             [&](const Choice& choice) { return choice.value == value; });
            if (!offered) return {{"", messages.make("required", "error.required.select", "Select {name}")}};
        }
        return {};
    }
    if (question.type == QuestionType::YesNo) {
        const std::string value = trim(input.text);
        if (value != "yes" && value != "no")
            return {{"", messages.make("required", "error.required.select", "Select {name}")}};
        return {};
    }
    return validateText(question, input.text, messages);
}

}  // namespace kiosk
