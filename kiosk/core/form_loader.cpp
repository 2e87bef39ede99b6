// Reading one form file: pages, questions, choices, conditions and messages, with every
// problem recorded. Forms are checked strictly (unknown fields are reported) because a typo
// in a question silently changes what residents are asked.
#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "answer_rules.h"
#include "pack_reader.h"

namespace kiosk::pack {
namespace {

const std::vector<std::string> kFormFields = {"id", "version", "title", "pages", "confirmation"};
const std::vector<std::string> kPageFields = {"id", "question", "showWhen"};
const std::vector<std::string> kQuestionFields = {
    "type", "label", "hint", "errorName", "required", "minLength", "maxLength",
    "min",  "max",   "date", "pattern",   "choices",  "messages"};
const std::vector<std::string> kChoiceFields = {"value", "label", "hint"};
const std::vector<std::string> kConditionFields = {"question", "equals", "notEquals", "includes", "answered"};
const std::vector<std::string> kConfirmationFields = {"title", "whatHappensNext"};
const std::vector<std::string> kMessageKinds = {"required", "too-long",  "too-short", "too-small",
                                                "too-big",  "pattern",   "format",    "not-real-date",
                                                "not-past", "not-future"};

bool hasChoices(QuestionType type) {
    return type == QuestionType::OneChoice || type == QuestionType::SeveralChoices;
}

// Length limits and patterns apply to answers typed as free text.
bool isFreeText(QuestionType type) {
    return type == QuestionType::ShortText || type == QuestionType::LongText || type == QuestionType::Email ||
           type == QuestionType::UkPhone;
}

// "a date question", "an address question".
std::string withArticle(QuestionType type) {
    const std::string name = questionTypeName(type);
    const bool vowel = name[0] == 'a' || name[0] == 'e';
    return (vowel ? "an " : "a ") + name;
}

std::vector<std::string> allTypeNames() {
    std::vector<std::string> names;
    for (int i = 0; i <= static_cast<int>(QuestionType::Address); ++i) {
        names.emplace_back(questionTypeName(static_cast<QuestionType>(i)));
    }
    return names;
}

void readChoices(const json& questionJson, const std::string& path, FileChecker& checker,
                 Question& question) {
    const json* choices = checker.array(questionJson, path, "choices", false);
    const std::string choicesPath = childPath(path, "choices");
    if (!hasChoices(question.type)) {
        if (choices) {
            checker.problem(choicesPath, "This is " + withArticle(question.type) +
                                             " question, which has no choices. Remove \"choices\" or use "
                                             "one-choice or several-choices.");
        }
        return;
    }
    if (!choices || choices->empty()) {
        if (choices || !questionJson.contains("choices")) {  // a wrong type was reported already
            checker.problem(choicesPath, "This is " + withArticle(question.type) +
                                             " question, which needs choices. Add \"choices\": [{\"value\": "
                                             "..., \"label\": {\"en\": ...}}].");
        }
        return;
    }
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < choices->size(); ++i) {
        const json& choiceJson = (*choices)[i];
        const std::string choicePath = childPath(choicesPath, i);
        if (!choiceJson.is_object()) {
            checker.problem(choicePath, "Each choice must be an object with \"value\" and \"label\".");
            continue;
        }
        checker.unknownKeys(choiceJson, choicePath, "a choice", kChoiceFields);
        Choice choice;
        choice.value = checker.string(choiceJson, choicePath, "value", true).value_or("");
        choice.label = checker.localText(choiceJson, choicePath, "label", true);
        choice.hint = checker.localText(choiceJson, choicePath, "hint", false);
        if (choiceJson.contains("value") && choiceJson["value"].is_string() && choice.value.empty()) {
            checker.problem(childPath(choicePath, "value"),
                            "A choice value cannot be empty. Give it a short stable value.");
        }
        if (!choice.value.empty()) {
            if (auto earlier = seen.find(choice.value); earlier != seen.end()) {
                checker.problem(childPath(choicePath, "value"),
                                "Duplicate choice value '" + excerpt(choice.value) + "': also used at " +
                                    childPath(choicesPath, earlier->second) +
                                    ". Give each choice its own value.");
            } else {
                seen[choice.value] = i;
            }
        }
        question.choices.push_back(std::move(choice));
    }
}

void readLimits(const json& questionJson, const std::string& path, FileChecker& checker, Question& question) {
    const auto notFor = [&](const char* key, const char* useWith) {
        if (questionJson.contains(key)) {
            checker.problem(childPath(path, key), std::string("\"") + key + "\" does not apply to " +
                                                      withArticle(question.type) + " question. " + useWith);
        }
    };
    if (isFreeText(question.type)) {
        const auto lengthField = [&](const char* key) -> std::optional<int> {
            auto value = checker.integer(questionJson, path, key, false);
            if (!value) return std::nullopt;
            if (*value < 0 || *value > 100000) {
                checker.problem(childPath(path, key),
                                std::string("\"") + key + "\" must be between 0 and 100000.");
                return std::nullopt;
            }
            return static_cast<int>(*value);
        };
        question.minLength = lengthField("minLength");
        question.maxLength = lengthField("maxLength");
        if (question.minLength && question.maxLength && *question.minLength > *question.maxLength) {
            checker.problem(childPath(path, "minLength"),
                            "\"minLength\" (" + std::to_string(*question.minLength) +
                                ") is more than \"maxLength\" (" + std::to_string(*question.maxLength) +
                                "). Make it smaller.");
        }
        if (auto pattern = checker.string(questionJson, path, "pattern", false)) {
            const std::string patternPath = childPath(path, "pattern");
            if (pattern->size() > answers::kMaxPatternLength) {
                checker.problem(patternPath, "The pattern is " + std::to_string(pattern->size()) +
                                                 " characters long; the limit is " +
                                                 std::to_string(answers::kMaxPatternLength) +
                                                 ". Shorten it: it only needs to describe one answer.");
            } else {
                try {
                    answers::compilePattern(*pattern);
                    question.pattern = *pattern;
                } catch (const std::regex_error& error) {
                    if (error.code() == std::regex_constants::error_complexity) {
                        checker.problem(patternPath,
                                        "The pattern uses a back-reference (like \\1), which kiosk "
                                        "patterns cannot use. Write the pattern without one.");
                    } else {
                        checker.problem(patternPath,
                                        std::string("The pattern cannot be used as a regular expression (") +
                                            error.what() + "). Check its brackets and backslashes.");
                    }
                }
            }
        }
    } else {
        notFor("minLength", "Use it with text questions.");
        notFor("maxLength", "Use it with text questions.");
        notFor("pattern", "Use it with text questions.");
    }
    if (question.type == QuestionType::WholeNumber) {
        question.minValue = checker.integer(questionJson, path, "min", false);
        question.maxValue = checker.integer(questionJson, path, "max", false);
        if (question.minValue && question.maxValue && *question.minValue > *question.maxValue) {
            checker.problem(childPath(path, "min"),
                            "\"min\" (" + std::to_string(*question.minValue) + ") is more than \"max\" (" +
                                std::to_string(*question.maxValue) + "). Make it smaller.");
        }
    } else {
        notFor("min", "Use it with whole-number questions.");
        notFor("max", "Use it with whole-number questions.");
    }
    if (question.type == QuestionType::Date) {
        if (auto rule = checker.string(questionJson, path, "date", false)) {
            if (*rule == "any") {
                question.dateRule = DateRule::Any;
            } else if (*rule == "past") {
                question.dateRule = DateRule::MustBePast;
            } else if (*rule == "future") {
                question.dateRule = DateRule::MustBeFuture;
            } else {
                checker.problem(childPath(path, "date"),
                                "Unknown date rule '" + excerpt(*rule) + "'. Use one of: any, past, future.");
            }
        }
    } else {
        notFor("date", "Use it with date questions.");
    }
}

Question readQuestion(const json& questionJson, const std::string& path, FileChecker& checker) {
    Question question;
    checker.unknownKeys(questionJson, path, "a question", kQuestionFields);
    if (auto typeName = checker.string(questionJson, path, "type", true)) {
        if (auto type = questionTypeFromName(*typeName)) {
            question.type = *type;
        } else {
            checker.problem(childPath(path, "type"), "Unknown question type '" + excerpt(*typeName) +
                                                         "'. Use one of: " + joinWords(allTypeNames()) + ".");
        }
    }
    question.label = checker.localText(questionJson, path, "label", true);
    question.hint = checker.localText(questionJson, path, "hint", false);
    question.errorName = checker.localText(questionJson, path, "errorName", false);
    question.required = checker.boolean(questionJson, path, "required", false).value_or(true);
    readChoices(questionJson, path, checker, question);
    readLimits(questionJson, path, checker, question);
    if (const json* messages = checker.object(questionJson, path, "messages", false)) {
        const std::string messagesPath = childPath(path, "messages");
        checker.unknownKeys(*messages, messagesPath, "messages (a kind of error)", kMessageKinds);
        for (const auto& [kind, text] : messages->items()) {
            if (std::find(kMessageKinds.begin(), kMessageKinds.end(), kind) == kMessageKinds.end()) continue;
            question.messages[kind] = checker.localTextValue(text, childPath(messagesPath, kind));
        }
    }
    return question;
}

struct EarlierQuestion {
    const Question* question;
};

void readConditions(const json& pageJson, const std::string& path,
                    const std::map<std::string, EarlierQuestion>& questionsById,
                    const std::set<std::string>& allPageIds, FileChecker& checker, Page& page) {
    const json* conditions = checker.array(pageJson, path, "showWhen", false);
    if (!conditions) return;
    const std::string listPath = childPath(path, "showWhen");
    for (std::size_t i = 0; i < conditions->size(); ++i) {
        const json& conditionJson = (*conditions)[i];
        const std::string conditionPath = childPath(listPath, i);
        if (!conditionJson.is_object()) {
            checker.problem(
                conditionPath,
                "Each condition must be an object like {\"question\": \"bins\", \"equals\": \"refuse\"}.");
            continue;
        }
        checker.unknownKeys(conditionJson, conditionPath, "a condition", kConditionFields);
        Condition condition;
        auto questionId = checker.string(conditionJson, conditionPath, "question", true);
        int kinds = 0;
        for (const char* key : {"equals", "notEquals", "includes", "answered"})
            kinds += conditionJson.contains(key) ? 1 : 0;
        if (kinds != 1) {
            checker.problem(
                conditionPath,
                "A condition needs exactly one of \"equals\", \"notEquals\", \"includes\" or \"answered\".");
            continue;
        }
        if (conditionJson.contains("answered")) {
            condition.kind = Condition::Kind::Answered;
            auto answered = checker.boolean(conditionJson, conditionPath, "answered", true);
            if (answered && !*answered) {
                checker.problem(childPath(conditionPath, "answered"),
                                "Use \"answered\": true; a condition cannot ask for an unanswered question.");
            }
        } else {
            const char* key = conditionJson.contains("equals")      ? "equals"
                              : conditionJson.contains("notEquals") ? "notEquals"
                                                                    : "includes";
            condition.kind = std::string(key) == "equals"      ? Condition::Kind::Equals
                             : std::string(key) == "notEquals" ? Condition::Kind::NotEquals
                                                               : Condition::Kind::Includes;
            condition.value = checker.string(conditionJson, conditionPath, key, true).value_or("");
        }
        if (!questionId) continue;
        condition.questionId = *questionId;
        const std::string questionPath = childPath(conditionPath, "question");
        const auto found = questionsById.find(*questionId);
        if (found == questionsById.end()) {
            if (allPageIds.count(*questionId)) {
                checker.problem(questionPath, "Question '" + excerpt(*questionId) +
                                                  "' is not on an earlier page. A condition can only use the "
                                                  "answer to a question on an earlier page.");
            } else {
                checker.problem(questionPath, "No question with id '" + excerpt(*questionId) +
                                                  "' in this form. Use the id of a page before this one.");
            }
            continue;
        }
        const Question& target = *found->second.question;
        if (condition.kind == Condition::Kind::Includes && target.type != QuestionType::SeveralChoices) {
            checker.problem(childPath(conditionPath, "includes"),
                            "\"includes\" works only with several-choices questions; '" +
                                excerpt(*questionId) + "' is " + withArticle(target.type) +
                                " question. Use \"equals\" instead.");
            continue;
        }
        if ((condition.kind == Condition::Kind::Equals || condition.kind == Condition::Kind::NotEquals) &&
            (target.type == QuestionType::SeveralChoices || target.type == QuestionType::Address)) {
            checker.problem(conditionPath,
                            std::string("\"equals\" and \"notEquals\" do not work with ") +
                                questionTypeName(target.type) + " questions. " +
                                (target.type == QuestionType::SeveralChoices ? "Use \"includes\"."
                                                                             : "Use \"answered\"."));
            continue;
        }
        if (condition.kind != Condition::Kind::Answered) {
            std::vector<std::string> values;
            for (const auto& choice : target.choices) values.push_back(choice.value);
            if (target.type == QuestionType::YesNo) values = {"yes", "no"};
            const bool checkable = hasChoices(target.type) || target.type == QuestionType::YesNo;
            if (checkable && !values.empty() &&
                std::find(values.begin(), values.end(), condition.value) == values.end()) {
                const char* key = condition.kind == Condition::Kind::Equals      ? "equals"
                                  : condition.kind == Condition::Kind::NotEquals ? "notEquals"
                                                                                 : "includes";
                checker.problem(childPath(conditionPath, key),
                                "Question '" + excerpt(*questionId) + "' has no choice '" +
                                    excerpt(condition.value) + "'. Use one of: " + joinWords(values) + ".");
                continue;
            }
        }
        page.showWhen.push_back(std::move(condition));
    }
}

}  // namespace

std::optional<Form> readForm(const json& root, FileChecker& checker) {
    if (!root.is_object()) {
        checker.problem("", "A form file must hold one JSON object with \"id\", \"title\" and \"pages\".");
        return std::nullopt;
    }
    checker.unknownKeys(root, "", "a form", kFormFields);
    Form form;
    form.id = checker.string(root, "", "id", true).value_or("");
    if (auto version = checker.integer(root, "", "version", true)) {
        if (*version < 1 || *version > 1'000'000'000) {
            checker.problem("/version", "\"version\" must be a whole number from 1 upwards.");
        } else {
            form.version = static_cast<int>(*version);
        }
    }
    form.title = checker.localText(root, "", "title", true);
    if (const json* confirmation = checker.object(root, "", "confirmation", false)) {
        checker.unknownKeys(*confirmation, "/confirmation", "the confirmation", kConfirmationFields);
        form.confirmationTitle = checker.localText(*confirmation, "/confirmation", "title", true);
        form.whatHappensNext = checker.localText(*confirmation, "/confirmation", "whatHappensNext", false);
    }
    const json* pages = checker.array(root, "", "pages", true);
    if (pages && pages->empty())
        checker.problem("/pages", "A form needs at least one page. Add a page with a question.");
    if (!pages) return form;

    form.pages.reserve(pages->size());  // questionsById points into this vector
    std::map<std::string, EarlierQuestion> questionsById;
    std::map<std::string, std::size_t> pageIndexById;
    std::set<std::string> allPageIds;
    for (const json& pageJson : *pages) {
        if (pageJson.is_object() && pageJson.contains("id") && pageJson["id"].is_string()) {
            allPageIds.insert(pageJson["id"].get<std::string>());
        }
    }
    for (std::size_t i = 0; i < pages->size(); ++i) {
        const json& pageJson = (*pages)[i];
        const std::string path = childPath("/pages", i);
        if (!pageJson.is_object()) {
            checker.problem(path, "Each page must be an object with \"id\" and \"question\".");
            continue;
        }
        checker.unknownKeys(pageJson, path, "a page", kPageFields);
        Page page;
        page.id = checker.string(pageJson, path, "id", true).value_or("");
        if (pageJson.contains("id") && pageJson["id"].is_string() && page.id.empty()) {
            checker.problem(childPath(path, "id"),
                            "A page id cannot be empty. Give the page a short id, like \"bins\".");
        }
        if (const json* questionJson = checker.object(pageJson, path, "question", true)) {
            page.question = readQuestion(*questionJson, childPath(path, "question"), checker);
        }
        page.question.id = page.id;
        readConditions(pageJson, path, questionsById, allPageIds, checker, page);
        if (!page.id.empty()) {
            if (auto earlier = pageIndexById.find(page.id); earlier != pageIndexById.end()) {
                checker.problem(childPath(path, "id"),
                                "Duplicate page id '" + excerpt(page.id) + "': also used at " +
                                    childPath("/pages", earlier->second) + ". Give each page its own id.");
            } else {
                pageIndexById[page.id] = i;
            }
        }
        form.pages.push_back(std::move(page));
        if (!form.pages.back().id.empty() && !questionsById.count(form.pages.back().id)) {
            questionsById[form.pages.back().id] = EarlierQuestion{&form.pages.back().question};
        }
    }
    return form;
}

}  // namespace kiosk::pack
