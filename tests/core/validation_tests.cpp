// Validation wording, table by table: GOV.UK messages for every question type, pack messages
// and catalogue templates taking precedence, and no errors for optional questions left empty.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <functional>

#include "kiosk/form_session.h"

using namespace kiosk;

namespace {

const std::filesystem::path kData = KIOSK_CORE_TEST_DATA;

// 2026-01-01, the VirtualClock's default start.
const std::int64_t kToday = ukCalendarDay(VirtualClock().nowMillis());

LocalText english(const std::string& text) {
    return LocalText{{{"en", text}}};
}

Question makeQuestion(QuestionType type, const std::string& label, const std::string& errorName = "") {
    Question question;
    question.id = "q";
    question.type = type;
    question.label = english(label);
    if (!errorName.empty()) question.errorName = english(errorName);
    question.choices = {{"sofa", english("Sofa"), {}}, {"fridge", english("Fridge"), {}}};
    return question;
}

AnswerInput text(const std::string& value) {
    AnswerInput input;
    input.text = value;
    return input;
}

AnswerInput date(const std::string& day, const std::string& month, const std::string& year) {
    AnswerInput input;
    input.date = {day, month, year};
    return input;
}

struct Case {
    const char* name;
    Question question;
    AnswerInput input;
    std::vector<FieldError> expected;
    AddressStage stage = AddressStage::Postcode;
};

std::string shown(const std::vector<FieldError>& errors) {
    std::string text;
    for (const auto& error : errors) text += "[" + error.field + "] " + error.message + "\n";
    return text;
}

void checkCases(const ContentPack& pack, const std::vector<Case>& cases, const std::string& language = "en") {
    for (const auto& c : cases) {
        INFO(c.name);
        const auto errors = validateAnswer(pack, c.question, c.input, language, c.stage, kToday);
        CHECK(shown(errors) == shown(c.expected));
    }
}

Question with(Question question, const std::function<void(Question&)>& change) {
    change(question);
    return question;
}

const ContentPack& testPack() {
    static const ContentPack pack = [] {
        auto result = loadContentPack(kData / "valid-pack");
        REQUIRE(result.pack);
        return std::move(*result.pack);
    }();
    return pack;
}

}  // namespace

TEST_CASE("the UK calendar day follows GMT and BST") {
    CHECK(ukCalendarDay(1'767'225'600'000) == 20454);  // 2026-01-01 00:00 UTC
    CHECK(ukCalendarDay(1'767'225'599'999) == 20453);  // one millisecond earlier
    // 2026-06-30 23:30 UTC is 00:30 on 1 July in London (BST).
    CHECK(ukCalendarDay(1'782'862'200'000) == 20635);
    // 2026-12-31 23:30 UTC is still 31 December in London (GMT).
    CHECK(ukCalendarDay(1'798'759'800'000) == 20818);
}

TEST_CASE("text answers: required, length and pattern messages") {
    const ContentPack pack;
    const Question name = makeQuestion(QuestionType::ShortText, "What is your full name?");
    const Question limited =
        with(makeQuestion(QuestionType::ShortText, "Name", "your name"), [](Question& q) {
            q.minLength = 3;
            q.maxLength = 5;
        });
    const Question insurance = with(
        makeQuestion(QuestionType::ShortText, "National Insurance number", "your National Insurance number"),
        [](Question& q) { q.pattern = "[A-Z]{2}[0-9]{6}[A-D]"; });
    checkCases(
        pack, {
                  {"empty, label gives the name", name, text(""), {{"", "Enter your full name"}}},
                  {"spaces only count as empty", name, text("   "), {{"", "Enter your full name"}}},
                  {"answered", name, text("Ada Lovelace"), {}},
                  {"too long", limited, text("Elizabeth"), {{"", "Your name must be 5 characters or fewer"}}},
                  {"too short", limited, text("Al"), {{"", "Your name must be 3 characters or more"}}},
                  {"length counts characters, not bytes", limited, text("Żółć"), {}},
                  {"pattern not matched",
                   insurance,
                   text("QQ12"),
                   {{"", "Enter your National Insurance number in the correct format"}}},
                  {"pattern matched", insurance, text("QQ123456C"), {}},
                  {"What's is removed",
                   makeQuestion(QuestionType::ShortText, "What's your town?"),
                   text(""),
                   {{"", "Enter your town"}}},
                  {"What are is removed",
                   makeQuestion(QuestionType::LongText, "What are your reasons?"),
                   text(""),
                   {{"", "Enter your reasons"}}},
                  {"plain label is lower-cased",
                   makeQuestion(QuestionType::Email, "Email address"),
                   text(""),
                   {{"", "Enter email address"}}},
                  {"abbreviations keep their capitals",
                   makeQuestion(QuestionType::ShortText, "UPRN"),
                   text(""),
                   {{"", "Enter UPRN"}}},
              });
}

TEST_CASE("whole numbers: format and range messages") {
    const ContentPack pack;
    const Question bags = makeQuestion(QuestionType::WholeNumber, "How many bags?", "the number of bags");
    const Question between = with(bags, [](Question& q) {
        q.minValue = 1;
        q.maxValue = 10;
    });
    const Question atLeast = with(bags, [](Question& q) { q.minValue = 1; });
    const Question atMost = with(bags, [](Question& q) { q.maxValue = 5; });
    checkCases(
        pack,
        {
            {"empty", bags, text(""), {{"", "Enter the number of bags"}}},
            {"words", bags, text("two"), {{"", "The number of bags must be a whole number"}}},
            {"decimal", bags, text("2.5"), {{"", "The number of bags must be a whole number"}}},
            {"too many digits",
             bags,
             text("12345678901234567890"),
             {{"", "The number of bags must be a whole number"}}},
            {"below a range", between, text("0"), {{"", "The number of bags must be between 1 and 10"}}},
            {"above a range", between, text("11"), {{"", "The number of bags must be between 1 and 10"}}},
            {"in range with spaces", between, text(" 10 "), {}},
            {"too small", atLeast, text("-3"), {{"", "The number of bags must be 1 or more"}}},
            {"too big", atMost, text("1,000"), {{"", "The number of bags must be 5 or fewer"}}},
            {"commas allowed", bags, text("1,000"), {}},
        });
}

TEST_CASE("email, phone and postcode formats") {
    const ContentPack pack;
    const Question email = makeQuestion(QuestionType::Email, "What is your email address?");
    const Question phone = makeQuestion(QuestionType::UkPhone, "What is your phone number?");
    const Question postcode = makeQuestion(QuestionType::UkPostcode, "What is your postcode?");
    const std::string emailMessage = "Enter an email address in the correct format, like name@example.com";
    const std::string phoneMessage = "Enter a phone number, like 01632 960 001 or 07700 900 982";
    checkCases(pack, {
                         {"email empty", email, text(""), {{"", "Enter your email address"}}},
                         {"email without domain", email, text("name@"), {{"", emailMessage}}},
                         {"email without @", email, text("name.example.com"), {{"", emailMessage}}},
                         {"email with a space", email, text("na me@example.com"), {{"", emailMessage}}},
                         {"email with two @", email, text("a@b@example.com"), {{"", emailMessage}}},
                         {"email", email, text(" name@example.co.uk "), {}},
                         {"phone empty", phone, text(""), {{"", "Enter your phone number"}}},
                         {"phone too short", phone, text("12345"), {{"", phoneMessage}}},
                         {"phone with letters", phone, text("01632 96O 001"), {{"", phoneMessage}}},
                         {"phone not starting with 0", phone, text("16329600011"), {{"", phoneMessage}}},
                         {"phone too long", phone, text("016329600011"), {{"", phoneMessage}}},
                         {"landline", phone, text("01632 960 001"), {}},
                         {"mobile", phone, text("07700 900982"), {}},
                         {"international", phone, text("+44 7700 900 982"), {}},
                         {"international with (0)", phone, text("+44 (0)1632 960001"), {}},
                         {"brackets and hyphens", phone, text("(01632) 960-001"), {}},
                         {"postcode empty", postcode, text(""), {{"", "Enter your postcode"}}},
                         {"postcode partial", postcode, text("ME14"), {{"", "Enter a full UK postcode"}}},
                         {"postcode", postcode, text("me14 1aa"), {}},
                     });
}

TEST_CASE("choices and yes-no ask to select") {
    const ContentPack pack;
    const Question item = makeQuestion(QuestionType::OneChoice, "What do you want us to collect?",
                                       "what you want us to collect");
    const Question bins = makeQuestion(QuestionType::SeveralChoices, "Which bins were missed?");
    const Question outside =
        makeQuestion(QuestionType::YesNo, "Will the items be outside?", "if the items will be outside");
    AnswerInput ticked;
    ticked.selected = {"fridge", "sofa"};
    AnswerInput unknown;
    unknown.selected = {"piano"};
    checkCases(
        pack,
        {
            {"one-choice empty", item, text(""), {{"", "Select what you want us to collect"}}},
            {"one-choice not offered", item, text("piano"), {{"", "Select what you want us to collect"}}},
            {"one-choice", item, text("sofa"), {}},
            {"several-choices empty: label gives the name",
             bins,
             AnswerInput{},
             {{"", "Select which bins were missed"}}},
            {"several-choices not offered", bins, unknown, {{"", "Select which bins were missed"}}},
            {"several-choices", bins, ticked, {}},
            {"yes-no empty", outside, text(""), {{"", "Select if the items will be outside"}}},
            {"yes-no", outside, text("no"), {}},
        });
}

TEST_CASE("dates: missing parts, real dates, past and future") {
    const ContentPack pack;
    const Question missed =
        with(makeQuestion(QuestionType::Date, "When was your bin missed?", "the date your bin was missed"),
             [](Question& q) { q.dateRule = DateRule::MustBePast; });
    const Question collect =
        with(makeQuestion(QuestionType::Date, "When should we collect it?", "the collection date"),
             [](Question& q) { q.dateRule = DateRule::MustBeFuture; });
    checkCases(pack, {
                         {"empty", missed, date("", "", ""), {{"", "Enter the date your bin was missed"}}},
                         {"no month",
                          missed,
                          date("3", "", "2025"),
                          {{"month", "The date your bin was missed must include a month"}}},
                         {"no day",
                          missed,
                          date("", "3", "2025"),
                          {{"day", "The date your bin was missed must include a day"}}},
                         {"no year",
                          missed,
                          date("3", "3", " "),
                          {{"year", "The date your bin was missed must include a year"}}},
                         {"no day and year",
                          missed,
                          date("", "3", ""),
                          {{"day", "The date your bin was missed must include a day and year"}}},
                         {"no month and year",
                          missed,
                          date("3", "", ""),
                          {{"month", "The date your bin was missed must include a month and year"}}},
                         {"30 February",
                          missed,
                          date("30", "2", "2024"),
                          {{"", "The date your bin was missed must be a real date"}}},
                         {"29 February in a leap year", missed, date("29", "2", "2024"), {}},
                         {"29 February otherwise",
                          missed,
                          date("29", "2", "2025"),
                          {{"", "The date your bin was missed must be a real date"}}},
                         {"month 13",
                          missed,
                          date("1", "13", "2025"),
                          {{"", "The date your bin was missed must be a real date"}}},
                         {"two-digit year",
                          missed,
                          date("1", "1", "25"),
                          {{"", "The date your bin was missed must be a real date"}}},
                         {"letters",
                          missed,
                          date("1st", "1", "2025"),
                          {{"", "The date your bin was missed must be a real date"}}},
                         {"past: tomorrow",
                          missed,
                          date("2", "1", "2026"),
                          {{"", "The date your bin was missed must be today or in the past"}}},
                         {"past: today", missed, date("1", "1", "2026"), {}},
                         {"past: with leading zeros", missed, date("03", "03", "2025"), {}},
                         {"future: today",
                          collect,
                          date("1", "1", "2026"),
                          {{"", "The collection date must be in the future"}}},
                         {"future: yesterday",
                          collect,
                          date("31", "12", "2025"),
                          {{"", "The collection date must be in the future"}}},
                         {"future: tomorrow", collect, date("2", "1", "2026"), {}},
                     });
}

TEST_CASE("address stages: postcode, pick from the list, manual entry") {
    const ContentPack& pack = testPack();
    const Question address = makeQuestion(QuestionType::Address, "What is the address?", "the address");
    AnswerInput input;
    const auto at = [&](std::string postcode, std::string uprn = "") {
        AnswerInput a;
        a.address.postcode = std::move(postcode);
        a.address.chosenUprn = std::move(uprn);
        return a;
    };
    AnswerInput manual;
    AnswerInput manualDone;
    manualDone.address = {"", "", true, "1 New Road", "", "Maidstone", "me14 1aa"};
    AnswerInput manualBadPostcode = manualDone;
    manualBadPostcode.address.manualPostcode = "ME1";
    checkCases(
        pack,
        {
            {"no postcode", address, at(""), {{"postcode", "Enter a postcode"}}, AddressStage::Postcode},
            {"partial postcode",
             address,
             at("ME14"),
             {{"postcode", "Enter a full UK postcode"}},
             AddressStage::Postcode},
            {"no addresses there",
             address,
             at("me14 9zz"),
             {{"postcode",
               "We could not find any addresses for ME14 9ZZ. Check the postcode or enter the address "
               "yourself"}},
             AddressStage::Postcode},
            {"postcode found", address, at("ME144AA"), {}, AddressStage::Postcode},
            {"nothing picked",
             address,
             at("ME14 4AA"),
             {{"address", "Select an address"}},
             AddressStage::PickAddress},
            {"picked from another postcode",
             address,
             at("ME14 4AA", "200000000010"),
             {{"address", "Select an address"}},
             AddressStage::PickAddress},
            {"picked", address, at("ME14 4AA", "200000000002"), {}, AddressStage::PickAddress},
            {"manual empty",
             address,
             manual,
             {{"line1", "Enter address line 1, typically the building and street"},
              {"town", "Enter town or city"},
              {"manualPostcode", "Enter a postcode"}},
             AddressStage::Manual},
            {"manual bad postcode",
             address,
             manualBadPostcode,
             {{"manualPostcode", "Enter a full UK postcode"}},
             AddressStage::Manual},
            {"manual", address, manualDone, {}, AddressStage::Manual},
        });
}

TEST_CASE("optional questions left empty give no errors") {
    const ContentPack& pack = testPack();
    for (int i = 0; i <= static_cast<int>(QuestionType::Address); ++i) {
        const auto type = static_cast<QuestionType>(i);
        INFO(questionTypeName(type));
        Question question = makeQuestion(type, "Anything else?");
        question.required = false;
        question.minLength = 3;
        question.minValue = 1;
        CHECK(validateAnswer(pack, question, AnswerInput{}, "en", AddressStage::Postcode, kToday).empty());
        question.required = true;
        CHECK_FALSE(
            validateAnswer(pack, question, AnswerInput{}, "en", AddressStage::Postcode, kToday).empty());
    }
}

TEST_CASE("a pack message for the kind wins over the template") {
    const ContentPack pack;
    Question item = makeQuestion(QuestionType::ShortText, "What is the item?");
    item.maxLength = 4;
    item.messages["required"] = english("Tell us what the item is");
    item.messages["too-long"] = LocalText{
        {{"en", "Describe the item in {max} characters or fewer"}, {"pl", "Opisz w {max} znakach"}}};
    checkCases(pack, {
                         {"required", item, text(""), {{"", "Tell us what the item is"}}},
                         {"too long, English",
                          item,
                          text("A big wardrobe"),
                          {{"", "Describe the item in 4 characters or fewer"}}},
                     });
    checkCases(pack, {{"too long, Polish", item, text("A big wardrobe"), {{"", "Opisz w 4 znakach"}}}}, "pl");
    checkCases(pack,
               {{"no Romanian: English pack message", item, text(""), {{"", "Tell us what the item is"}}}},
               "ro");
}

TEST_CASE("catalogue templates are used in the resident's language") {
    const ContentPack& pack = testPack();  // strings.json: error.required.select in English and Polish
    Question bins = makeQuestion(QuestionType::SeveralChoices, "Which bins were missed?");
    bins.errorName = LocalText{{{"en", "which bins were missed"}, {"pl", "pojemniki"}}};
    checkCases(pack, {{"Polish template and name", bins, AnswerInput{}, {{"", "Wybierz pojemniki"}}}}, "pl");
    checkCases(pack, {{"English template", bins, AnswerInput{}, {{"", "Select which bins were missed"}}}},
               "en");
    // No Polish for "error.required.enter" in the pack: the built-in English default is used.
    Question name = makeQuestion(QuestionType::ShortText, "What is your name?", "your name");
    checkCases(pack, {{"English default", name, text(""), {{"", "Enter your name"}}}}, "pl");
}

TEST_CASE("no message uses words GOV.UK tells us not to use") {
    const ContentPack& pack = testPack();
    std::vector<std::string> messages;
    for (int i = 0; i <= static_cast<int>(QuestionType::Address); ++i) {
        Question question = makeQuestion(static_cast<QuestionType>(i), "What is it?");
        question.minLength = 5;
        question.maxLength = 6;
        question.minValue = 5;
        question.maxValue = 6;
        question.dateRule = DateRule::MustBeFuture;
        question.pattern = "x+";
        for (const AnswerInput& input : {text(""), text("a"), text("1234567"), text("zz9"), date("1", "", ""),
                                         date("40", "1", "2020"), date("1", "1", "2020")}) {
            for (auto stage : {AddressStage::Postcode, AddressStage::PickAddress, AddressStage::Manual}) {
                for (const auto& error : validateAnswer(pack, question, input, "en", stage, kToday))
                    messages.push_back(error.message);
            }
        }
    }
    REQUIRE(messages.size() > 30);
    for (auto message : messages) {
        std::transform(message.begin(), message.end(), message.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        INFO(message);
        for (const char* banned : {"please", "sorry", "valid", "oops", "error"})
            CHECK(message.find(banned) == std::string::npos);
    }
}

TEST_CASE("a pattern that would backtrack for ever answers at once") {
    // With a backtracking matcher "(a|aa)*b" tries every way of splitting the a's: about 10^20
    // ways for this answer, so Continue would never return and the kiosk would freeze.
    const ContentPack& pack = testPack();
    Question question = makeQuestion(QuestionType::ShortText, "What is the reference?", "the reference");
    question.pattern = "(a|aa)*b";
    const std::string answer(100, 'a');
    const auto errors = validateAnswer(pack, question, text(answer), "en", AddressStage::Postcode, kToday);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].message == "Enter the reference in the correct format");
    CHECK(validateAnswer(pack, question, text(answer + "b"), "en", AddressStage::Postcode, kToday).empty());

    question.pattern = "(a*)*$";  // nested repetition, the other classic
    const auto nested =
        validateAnswer(pack, question, text(answer + "!"), "en", AddressStage::Postcode, kToday);
    CHECK(nested.size() == 1);
}
