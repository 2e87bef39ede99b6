// Small pieces of the content model: localised text lookup with English fallback, question
// type names, address formatting, pack lookups and problem descriptions.
#include "kiosk/content.h"

#include <algorithm>
#include <array>

namespace kiosk {
namespace {

// Indexed by QuestionType; the names are the pack format's "type" values.
constexpr std::array<const char*, 11> kQuestionTypeNames = {
    "short-text", "long-text", "whole-number", "date",        "one-choice", "several-choices",
    "yes-no",     "email",     "uk-phone",     "uk-postcode", "address",
};

}  // namespace

const std::string& LocalText::in(const std::string& language) const {
    static const std::string kEmpty;
    if (auto found = byLanguage.find(language); found != byLanguage.end() && !found->second.empty()) {
        return found->second;
    }
    if (auto english = byLanguage.find(kFallbackLanguage); english != byLanguage.end())
        return english->second;
    return kEmpty;
}

const char* questionTypeName(QuestionType type) {
    const auto index = static_cast<std::size_t>(type);
    return index < kQuestionTypeNames.size() ? kQuestionTypeNames[index] : "unknown";
}

std::optional<QuestionType> questionTypeFromName(const std::string& name) {
    for (std::size_t i = 0; i < kQuestionTypeNames.size(); ++i) {
        if (name == kQuestionTypeNames[i]) return static_cast<QuestionType>(i);
    }
    return std::nullopt;
}

std::string Address::singleLine() const {
    std::string text;
    for (const auto& line : lines) {
        if (line.empty()) continue;
        if (!text.empty()) text += ", ";
        text += line;
    }
    if (!town.empty()) {
        if (!text.empty()) text += ", ";
        text += town;
    }
    if (!postcode.empty()) {
        if (!text.empty()) text += " ";
        text += postcode;
    }
    return text;
}

const Service* ContentPack::findService(const std::string& id) const {
    auto found = std::find_if(services.begin(), services.end(), [&](const Service& s) { return s.id == id; });
    return found == services.end() ? nullptr : &*found;
}

const Form* ContentPack::findForm(const std::string& id) const {
    auto found = forms.find(id);
    return found == forms.end() ? nullptr : &found->second;
}

const Council* ContentPack::findCouncil(const std::string& id) const {
    auto found = std::find_if(councils.begin(), councils.end(), [&](const Council& c) { return c.id == id; });
    return found == councils.end() ? nullptr : &*found;
}

std::string ContentPack::text(const std::string& key, const std::string& language) const {
    auto found = strings.find(key);
    if (found == strings.end()) return key;
    const std::string& text = found->second.in(language);
    return text.empty() ? key : text;
}

std::string describe(const PackProblem& problem) {
    std::string text = problem.file;
    if (!problem.jsonPath.empty()) text += " " + problem.jsonPath;
    return text + ": " + problem.message;
}

}  // namespace kiosk
