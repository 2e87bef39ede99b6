// Saved answers turned into what people and councils read: the formatted text on the check
// answers page, and typed JSON values for the sealed submission.
#include <algorithm>
#include <cstdio>

#include "answer_rules.h"

namespace kiosk::answers {
namespace {

const char* const kEnglishMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                      "July",    "August",   "September", "October", "November", "December"};

std::string joinLines(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) {
        if (line.empty()) continue;
        if (!text.empty()) text += "\n";
        text += line;
    }
    return text;
}

// Several-choices answers are listed in the pack's order, whatever order they were ticked in.
std::vector<const Choice*> selectedChoices(const Question& question, const AnswerInput& input) {
    std::vector<const Choice*> chosen;
    for (const auto& choice : question.choices) {
        if (std::find(input.selected.begin(), input.selected.end(), choice.value) != input.selected.end()) {
            chosen.push_back(&choice);
        }
    }
    return chosen;
}

std::vector<std::string> manualLines(const AddressInput& address) {
    std::vector<std::string> lines{trim(address.line1)};
    if (!trim(address.line2).empty()) lines.push_back(trim(address.line2));
    return lines;
}

std::string postcodeOrAsTyped(const std::string& text) {
    return normaliseUkPostcode(text).value_or(trim(text));
}

}  // namespace

std::string formatAnswer(const ContentPack& pack, const Question& question, const AnswerInput& input,
                         const std::string& language) {
    if (isEmptyAnswer(question, input))
        return catalogueText(pack, "answer.not-provided", language, "Not provided");
    switch (question.type) {
        case QuestionType::WholeNumber: {
            auto number = parseWholeNumber(input.text);
            return number ? std::to_string(*number) : trim(input.text);
        }
        case QuestionType::UkPostcode:
            return postcodeOrAsTyped(input.text);
        case QuestionType::Date: {
            auto date = parseDate(input.date);
            if (!date)
                return trim(input.date.day) + "/" + trim(input.date.month) + "/" + trim(input.date.year);
            const std::string month = catalogueText(pack, "month." + std::to_string(date->month), language,
                                                    kEnglishMonths[date->month - 1]);
            return std::to_string(date->day) + " " + month + " " + std::to_string(date->year);
        }
        case QuestionType::OneChoice:
            for (const auto& choice : question.choices) {
                if (choice.value == trim(input.text)) return choice.label.in(language);
            }
            return trim(input.text);
        case QuestionType::SeveralChoices: {
            std::vector<std::string> labels;
            for (const Choice* choice : selectedChoices(question, input))
                labels.push_back(choice->label.in(language));
            return joinLines(labels);
        }
        case QuestionType::YesNo:
            return trim(input.text) == "yes" ? catalogueText(pack, "answer.yes", language, "Yes")
                                             : catalogueText(pack, "answer.no", language, "No");
        case QuestionType::Address: {
            const AddressInput& address = input.address;
            if (address.manual) {
                auto lines = manualLines(address);
                lines.push_back(trim(address.town));
                lines.push_back(postcodeOrAsTyped(address.manualPostcode));
                return joinLines(lines);
            }
            const Address* found = pack.gazetteer.findByUprn(address.chosenUprn);
            if (!found) return address.chosenUprn;
            auto lines = found->lines;
            lines.push_back(found->town);
            lines.push_back(found->postcode);
            return joinLines(lines);
        }
        default:
            return trim(input.text);
    }
}

nlohmann::json answerValue(const ContentPack& pack, const Question& question, const AnswerInput& input) {
    using nlohmann::json;
    if (isEmptyAnswer(question, input)) return nullptr;
    switch (question.type) {
        case QuestionType::WholeNumber: {
            auto number = parseWholeNumber(input.text);
            return number ? json(*number) : json(trim(input.text));
        }
        case QuestionType::UkPostcode:
            return postcodeOrAsTyped(input.text);
        case QuestionType::Date: {
            auto date = parseDate(input.date);
            if (!date) return nullptr;
            char text[16];
            std::snprintf(text, sizeof text, "%04d-%02d-%02d", date->year, date->month, date->day);
            return std::string(text);
        }
        case QuestionType::SeveralChoices: {
            json values = json::array();
            for (const Choice* choice : selectedChoices(question, input)) values.push_back(choice->value);
            return values;
        }
        case QuestionType::YesNo:
            return trim(input.text) == "yes";
        case QuestionType::Address: {
            const AddressInput& address = input.address;
            if (address.manual) {
                return json{{"manual", true},
                            {"lines", manualLines(address)},
                            {"town", trim(address.town)},
                            {"postcode", postcodeOrAsTyped(address.manualPostcode)}};
            }
            const Address* found = pack.gazetteer.findByUprn(address.chosenUprn);
            if (!found) return json{{"uprn", address.chosenUprn}};
            return json{{"uprn", found->uprn},         {"lines", found->lines},
                        {"town", found->town},         {"postcode", found->postcode},
                        {"latitude", found->latitude}, {"longitude", found->longitude}};
        }
        default:
            return trim(input.text);
    }
}

}  // namespace kiosk::answers
