// Content pack loading: the valid test pack loads completely; every broken pack reports each
// problem with the right file, JSON path and wording; hostile files never crash the loader.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <random>

#include "kiosk/content.h"

using kiosk::loadContentPack;
using kiosk::PackProblem;
namespace fs = std::filesystem;

namespace {

const fs::path kData = KIOSK_CORE_TEST_DATA;

// A copy of a test pack in a fresh temporary directory, so a test can break one file.
class TempPack {
public:
    explicit TempPack(const std::string& source = "valid-pack") {
        static int counter = 0;
        directory_ = fs::temp_directory_path() /
                     ("kiosk-core-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
        fs::remove_all(directory_);
        fs::copy(kData / source, directory_, fs::copy_options::recursive);
    }
    ~TempPack() {
        std::error_code ignored;
        fs::remove_all(directory_, ignored);
    }
    const fs::path& path() const { return directory_; }
    void write(const std::string& file, const std::string& bytes) const {
        std::ofstream out(directory_ / file, std::ios::binary | std::ios::trunc);
        out << bytes;
    }
    std::string read(const std::string& file) const {
        std::ifstream in(directory_ / file, std::ios::binary);
        return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }

private:
    fs::path directory_;
};

bool hasProblem(const std::vector<PackProblem>& problems, const PackProblem& expected) {
    for (const auto& problem : problems) {
        if (problem.file == expected.file && problem.jsonPath == expected.jsonPath &&
            problem.message == expected.message) {
            return true;
        }
    }
    return false;
}

std::string listProblems(const std::vector<PackProblem>& problems) {
    std::string text;
    for (const auto& problem : problems) text += kiosk::describe(problem) + "\n";
    return text;
}

}  // namespace

TEST_CASE("the valid test pack loads with every file read") {
    const auto result = loadContentPack(kData / "valid-pack");
    INFO(listProblems(result.problems));
    REQUIRE(result.problems.empty());
    REQUIRE(result.pack.has_value());
    const kiosk::ContentPack& pack = *result.pack;

    CHECK(pack.packId == "core-tests");
    CHECK(pack.version == 3);
    CHECK(pack.sample);
    REQUIRE(pack.languages.size() == 2);
    CHECK(pack.languages[1].code == "pl");
    CHECK(pack.languages[1].nativeName == "Polski");
    REQUIRE(pack.councils.size() == 2);
    CHECK(pack.findCouncil("county")->name.in("en") == "Test County Council");

    REQUIRE(pack.services.size() == 3);
    const kiosk::Service* missedBin = pack.findService("missed-bin");
    REQUIRE(missedBin);
    CHECK(missedBin->title.in("pl") == "Zgłoś nieodebrane śmieci");
    CHECK(missedBin->icon == "bin");
    CHECK(missedBin->synonyms.at("en").size() == 3);
    CHECK(missedBin->startPage.timeToComplete.in("en") == "It takes about 3 minutes.");
    CHECK(missedBin->destination == "kiosk-api");
    CHECK(pack.findService("bulky-waste")->destination == "kiosk-api");  // the default

    const kiosk::Form* form = pack.findForm("missed-bin");
    REQUIRE(form);
    CHECK(form->version == 2);
    REQUIRE(form->pages.size() == 5);
    CHECK(form->pages[1].question.type == kiosk::QuestionType::SeveralChoices);
    CHECK(form->pages[1].question.choices.size() == 3);
    REQUIRE(form->pages[2].showWhen.size() == 1);
    CHECK(form->pages[2].showWhen[0].kind == kiosk::Condition::Kind::Includes);
    CHECK(form->pages[2].showWhen[0].questionId == "bins");
    CHECK(form->pages[2].question.required == false);
    CHECK(form->pages[2].question.maxLength == 20);
    CHECK(form->pages[3].question.dateRule == kiosk::DateRule::MustBePast);
    CHECK(form->pages[3].question.id == "missed-on");
    CHECK(form->confirmationTitle.in("en") == "Missed bin reported");

    const kiosk::Form* bulky = pack.findForm("bulky-waste");
    REQUIRE(bulky);
    CHECK(bulky->pages[2].question.minValue == 1);
    CHECK(bulky->pages[2].question.maxValue == 5);
    CHECK(bulky->pages[1].question.messages.at("required").in("en") == "Tell us what the item is");

    CHECK(pack.gazetteer.size() == 4);
    CHECK(pack.gazetteer.lookup("me144aa").size() == 3);
    CHECK(pack.text("answer.yes", "pl") == "Tak");
}

TEST_CASE("localised text falls back to English, then to nothing") {
    kiosk::LocalText text;
    CHECK(text.in("pl").empty());
    text.byLanguage = {{"en", "Bin"}, {"pl", "Kosz"}, {"ro", ""}};
    CHECK(text.in("pl") == "Kosz");
    CHECK(text.in("ne") == "Bin");
    CHECK(text.in("ro") == "Bin");  // an empty translation is not a translation
}

TEST_CASE("catalogue text falls back to English, then to the key") {
    const auto result = loadContentPack(kData / "valid-pack");
    REQUIRE(result.pack);
    CHECK(result.pack->text("start.title", "pl") == "Dotknij ekranu, aby rozpocząć");
    CHECK(result.pack->text("answer.not-provided", "ne") == "Not provided");
    CHECK(result.pack->text("no.such.key", "pl") == "no.such.key");
}

TEST_CASE("a JSON syntax error is reported with line and column") {
    const auto result = loadContentPack(kData / "broken-syntax");
    CHECK_FALSE(result.pack);
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].file == "services.json");
    CHECK(result.problems[0].jsonPath == "");
    CHECK(result.problems[0].message ==
          "This is not well-formed JSON at line 3, column 3: unexpected '{'; expected ']'. "
          "Check for a missing comma, quote or bracket near there.");
}

TEST_CASE("every problem in a broken form is reported with its path") {
    const auto result = loadContentPack(kData / "broken-form");
    CHECK_FALSE(result.pack);
    INFO(listProblems(result.problems));
    const std::string file = "forms/broken.json";
    const std::vector<PackProblem> expected = {
        {file, "/pages/0/question/type",
         "Unknown question type 'dropdown'. Use one of: short-text, long-text, whole-number, date, "
         "one-choice, "
         "several-choices, yes-no, email, uk-phone, uk-postcode, address."},
        {file, "/pages/1/question/lable", "Unknown field \"lable\" in a question. Did you mean \"label\"?"},
        {file, "/pages/1/question/label",
         "Add the required field \"label\" (text in each language, at least {\"en\": \"...\"})."},
        {file, "/pages/1/question/choices",
         "This is a one-choice question, which needs choices. Add \"choices\": [{\"value\": ..., \"label\": "
         "{\"en\": ...}}]."},
        {file, "/pages/2/question/label",
         "English text is missing. Add \"en\": English is shown when a language has no text."},
        {file, "/pages/3/question/minLength",
         "\"minLength\" (10) is more than \"maxLength\" (5). Make it smaller."},
        {file, "/pages/3/id", "Duplicate page id 'town': also used at /pages/2. Give each page its own id."},
        {file, "/pages/4/question/min", "\"min\" (5) is more than \"max\" (1). Make it smaller."},
        {file, "/pages/4/showWhen/0/question",
         "Question 'later' is not on an earlier page. A condition can only use the answer to a question on "
         "an earlier page."},
        {file, "/pages/5/showWhen/0/includes",
         "\"includes\" works only with several-choices questions; 'colour' is a one-choice question. Use "
         "\"equals\" instead."},
        {file, "/pages/6/question/maxLength",
         "\"maxLength\" does not apply to a yes-no question. Use it with text questions."},
        // A page that depends on itself is a cycle: ruled out by the same earlier-page rule.
        {file, "/pages/6/showWhen/0/question",
         "Question 'later' is not on an earlier page. A condition can only use the answer to a question on "
         "an earlier page."},
        {file, "/pages/7/question/required", "\"required\" must be true or false, not text."},
        {file, "/pages/7/question/choices/1/value",
         "Duplicate choice value 'a': also used at /pages/7/question/choices/0. Give each choice its own "
         "value."},
        {file, "/pages/7/showWhen/0/question",
         "No question with id 'nobody' in this form. Use the id of a page before this one."},
    };
    for (const auto& problem : expected) {
        INFO(problem.jsonPath << ": " << problem.message);
        CHECK(hasProblem(result.problems, problem));
    }
    // The regular expression library words its own part; the rest is ours.
    const auto pattern =
        std::find_if(result.problems.begin(), result.problems.end(),
                     [](const PackProblem& p) { return p.jsonPath == "/pages/3/question/pattern"; });
    REQUIRE(pattern != result.problems.end());
    CHECK_THAT(pattern->message, Catch::StartsWith("The pattern cannot be used as a regular expression (") &&
                                     Catch::EndsWith("). Check its brackets and backslashes."));
    CHECK(result.problems.size() == expected.size() + 1);
}

TEST_CASE("references between files, duplicates and the gazetteer are checked") {
    const auto result = loadContentPack(kData / "broken-references");
    CHECK_FALSE(result.pack);
    INFO(listProblems(result.problems));
    const std::vector<PackProblem> expected = {
        {"manifest.json", "/files/forms/1",
         "The file 'forms/missing.json' is listed here but is missing from the pack. Add the file or remove "
         "it from the list."},
        {"manifest.json", "/files/forms/2",
         "'../outside.json' is not a path inside the pack. Use a relative path, like "
         "\"forms/missed-bin.json\"."},
        {"strings.json", "/greeting",
         "English text is missing. Add \"en\": English is shown when a language has no text."},
        {"services.json", "/services/1/id",
         "Duplicate service id 'first': also used at /services/0. Give each service its own id."},
        {"services.json", "/services/2/council",
         "Unknown council 'kent'. Use one of the council ids in manifest.json: borough."},
        {"services.json", "/services/2/form",
         "No form with id 'nope'. Add a form file with that id to files.forms in manifest.json, or fix the "
         "id."},
        {"services.json", "/services/3/icon",
         "Unknown icon 'bins'. Did you mean 'bin'? Use one of: bin, recycling, fly-tipping, bulky-waste, "
         "house, moving, "
         "council-tax, housing, pothole, street-light, parking, info."},
        {"gazetteer.json", "/addresses/1/uprn",
         "Duplicate UPRN '100': also used at /addresses/0. Each address needs its own UPRN."},
        {"gazetteer.json", "/addresses/2/postcode",
         "'ME14' is not shaped like a UK postcode. Use the full postcode, like \"ME14 1AA\"."},
        {"gazetteer.json", "/addresses/3/uprn", "\"uprn\" must be text, not a number."},
    };
    for (const auto& problem : expected) {
        INFO(problem.file << " " << problem.jsonPath << ": " << problem.message);
        CHECK(hasProblem(result.problems, problem));
    }
    CHECK(result.problems.size() == expected.size());
}

TEST_CASE("a pack directory without a manifest says so") {
    const auto result = loadContentPack(kData / "no-such-pack");
    CHECK_FALSE(result.pack);
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].file == "manifest.json");
    CHECK(result.problems[0].message == "The file is missing. Add manifest.json to the pack.");
}

TEST_CASE("bytes that are not UTF-8 are reported with their position") {
    TempPack pack;
    pack.write("strings.json", "{\n  \"answer.yes\": {\"en\": \"Y\xC3\x28s\"}\n}\n");
    const auto result = loadContentPack(pack.path());
    CHECK_FALSE(result.pack);
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].file == "strings.json");
    CHECK(result.problems[0].message ==
          "Line 2, column 26 has bytes that are not UTF-8 text. Save the file with UTF-8 encoding.");
}

TEST_CASE("UTF-16 surrogates written as UTF-8 are refused") {
    TempPack pack;
    pack.write("strings.json", "{\"answer.yes\": {\"en\": \"\xED\xA0\x80\"}}");
    const auto result = loadContentPack(pack.path());
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].message ==
          "Line 1, column 24 has bytes that are not UTF-8 text. Save the file with UTF-8 encoding.");
}

TEST_CASE("deep nesting is refused before parsing") {
    TempPack pack;
    // Brackets inside strings do not count; only the structure's depth does.
    const std::string deep =
        "{\"hint\": \"[[[[[[\", \"x\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
    pack.write("forms/bulky-waste.json", deep);
    const auto result = loadContentPack(pack.path());
    CHECK_FALSE(result.pack);
    INFO(listProblems(result.problems));
    // Then the two services using that form point at a form that could not be read.
    REQUIRE(result.problems.size() == 3);
    CHECK(result.problems[1].jsonPath == "/services/1/form");
    CHECK(result.problems[0].file == "forms/bulky-waste.json");
    CHECK(result.problems[0].message ==
          "Lists and objects are nested more than 64 levels deep at line 1, column 88. Check the brackets in "
          "the file.");
}

TEST_CASE("a file over the size limit is refused without reading it") {
    TempPack pack;
    fs::resize_file(pack.path() / "gazetteer.json", 60u * 1024u * 1024u);  // sparse: quick to make
    const auto result = loadContentPack(pack.path());
    CHECK_FALSE(result.pack);
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].file == "gazetteer.json");
    CHECK(result.problems[0].message ==
          "The file is 60 MB; the limit is 50 MB. Remove what the kiosk does not need or split the data.");
}

TEST_CASE("wrong types and missing manifest fields are reported") {
    TempPack pack;
    pack.write("manifest.json",
               R"({"packId": 7, "version": "1", "languages": [{"code": "pl", "nativeName": "Polski"}],
        "councils": [], "files": {"forms": []}})");
    const auto result = loadContentPack(pack.path());
    INFO(listProblems(result.problems));
    CHECK(
        hasProblem(result.problems, {"manifest.json", "/packId", "\"packId\" must be text, not a number."}));
    CHECK(hasProblem(result.problems,
                     {"manifest.json", "/version", "\"version\" must be a whole number, not text."}));
    CHECK(hasProblem(result.problems, {"manifest.json", "/languages",
                                       "Add English ({\"code\": \"en\", \"nativeName\": \"English\"}): it is "
                                       "the fallback for every other language."}));
    CHECK(hasProblem(result.problems,
                     {"manifest.json", "/councils", "Add at least one council, with \"id\" and \"name\"."}));
    CHECK(hasProblem(result.problems, {"manifest.json", "/files/services",
                                       "Add the required field \"services\" (the file name)."}));
    CHECK(result.problems.size() == 5);
}

TEST_CASE("a condition on a choice the question does not have is reported") {
    TempPack pack;
    std::string form = pack.read("forms/bulky-waste.json");
    const std::string from = R"("equals": "other")";
    form.replace(form.find(from), from.size(), R"("equals": "othr")");
    pack.write("forms/bulky-waste.json", form);
    const auto result = loadContentPack(pack.path());
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].file == "forms/bulky-waste.json");
    CHECK(result.problems[0].jsonPath == "/pages/1/showWhen/0/equals");
    CHECK(result.problems[0].message ==
          "Question 'item' has no choice 'othr'. Use one of: sofa, fridge, other.");
}

TEST_CASE("two form files with the same id are reported") {
    TempPack pack;
    std::string form = pack.read("forms/bulky-waste.json");
    const std::string from = R"("id": "bulky-waste")";
    form.replace(form.find(from), from.size(), R"("id": "missed-bin")");
    pack.write("forms/bulky-waste.json", form);
    const auto result = loadContentPack(pack.path());
    INFO(listProblems(result.problems));
    CHECK(hasProblem(
        result.problems,
        {"forms/bulky-waste.json", "/id",
         "Duplicate form id 'missed-bin': also used by forms/missed-bin.json. Give each form its own id."}));
    // The services that used "bulky-waste" now point at nothing.
    CHECK(hasProblem(result.problems, {"services.json", "/services/1/form",
                                       "No form with id 'bulky-waste'. Add a form file with that id to "
                                       "files.forms in manifest.json, or fix the id."}));
    CHECK(result.problems.size() == 3);
}

TEST_CASE("a long list of the same mistake is cut short") {
    TempPack pack;
    std::string addresses = "{\"addresses\": [";
    for (int i = 0; i < 150; ++i) {
        if (i) addresses += ",";
        addresses += R"({"uprn": ")" + std::to_string(1000 + i) +
                     R"(", "lines": ["1 Road"], "town": "T", "postcode": "nowhere"})";
    }
    pack.write("gazetteer.json", addresses + "]}");
    const auto result = loadContentPack(pack.path());
    REQUIRE(result.problems.size() == 101);
    CHECK(result.problems[0].jsonPath == "/addresses/0/postcode");
    CHECK(result.problems[100].message ==
          "50 more problems in this file are not listed. Fix the ones above and check again.");
}

TEST_CASE("damaged files never crash the loader") {
    // Truncations and byte flips of every valid file: each load either succeeds or explains.
    const std::vector<std::string> files = {"manifest.json",          "strings.json",
                                            "services.json",          "forms/missed-bin.json",
                                            "forms/bulky-waste.json", "gazetteer.json"};
    std::mt19937 random(20260101);
    int broken = 0;
    for (int round = 0; round < 300; ++round) {
        TempPack pack;
        const std::string file = files[random() % files.size()];
        std::string bytes = pack.read(file);
        if (round % 2 == 0) {
            bytes.resize(random() % bytes.size());
        } else {
            for (int flips = 0; flips < 3; ++flips)
                bytes[random() % bytes.size()] = static_cast<char>(random() % 256);
        }
        pack.write(file, bytes);
        kiosk::PackLoadResult result;
        REQUIRE_NOTHROW(result = loadContentPack(pack.path()));
        CHECK(result.pack.has_value() == result.problems.empty());
        for (const auto& problem : result.problems) CHECK_FALSE(problem.message.empty());
        broken += result.pack ? 0 : 1;
    }
    CHECK(broken > 200);
}

namespace {

// The valid test pack's files as the in-memory loader takes them.
kiosk::PackFiles validPackFiles() {
    kiosk::PackFiles files;
    const fs::path root = kData / "valid-pack";
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        files[entry.path().lexically_relative(root).generic_string()] =
            std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
    return files;
}

}  // namespace

TEST_CASE("a pack held in memory loads exactly as the same files in a directory") {
    const auto fromDirectory = loadContentPack(kData / "valid-pack");
    const auto fromMemory = loadContentPack(validPackFiles());
    INFO(listProblems(fromMemory.problems));
    REQUIRE(fromMemory.pack);
    REQUIRE(fromDirectory.pack);
    CHECK(fromMemory.pack->packId == fromDirectory.pack->packId);
    CHECK(fromMemory.pack->services.size() == fromDirectory.pack->services.size());
    CHECK(fromMemory.pack->forms.size() == 2);
    CHECK(fromMemory.pack->findForm("missed-bin")->pages.size() == 5);
    CHECK(fromMemory.pack->gazetteer.lookup("ME14 4AA").size() == 3);
    CHECK(fromMemory.pack->text("answer.yes", "pl") == "Tak");
}

TEST_CASE("a pack in memory reports missing, oversized and outside files like a directory does") {
    SECTION("no manifest") {
        const auto result = loadContentPack(kiosk::PackFiles{});
        REQUIRE(result.problems.size() == 1);
        CHECK(result.problems[0].file == "manifest.json");
        CHECK(result.problems[0].message == "The file is missing. Add manifest.json to the pack.");
    }
    SECTION("a listed form that is not there, and one that is not inside the pack") {
        auto files = validPackFiles();
        files.erase("forms/bulky-waste.json");
        std::string& manifest = files["manifest.json"];
        const std::string from = R"("forms/bulky-waste.json"])";
        manifest.replace(manifest.find(from), from.size(), R"("./forms/bulky-waste.json", "../x.json"])");
        files["../x.json"] = "{}";  // must never be read, even when present
        const auto result = loadContentPack(files);
        INFO(listProblems(result.problems));
        CHECK(
            hasProblem(result.problems, {"manifest.json", "/files/forms/1",
                                         "The file './forms/bulky-waste.json' is listed here but is missing "
                                         "from the pack. Add the file or remove it from the list."}));
        CHECK(hasProblem(result.problems, {"manifest.json", "/files/forms/2",
                                           "'../x.json' is not a path inside the pack. Use a relative path, "
                                           "like \"forms/missed-bin.json\"."}));
    }
    SECTION("a path written with ./ finds the file") {
        auto files = validPackFiles();
        std::string& manifest = files["manifest.json"];
        const std::string from = R"("strings": "strings.json")";
        manifest.replace(manifest.find(from), from.size(), R"("strings": "./strings.json")");
        const auto result = loadContentPack(files);
        INFO(listProblems(result.problems));
        CHECK(result.pack);
    }
    SECTION("a file over the size limit") {
        auto files = validPackFiles();
        files["gazetteer.json"] = std::string(51u * 1024u * 1024u, ' ');
        const auto result = loadContentPack(files);
        REQUIRE(result.problems.size() == 1);
        CHECK(result.problems[0].file == "gazetteer.json");
        CHECK(
            result.problems[0].message ==
            "The file is 51 MB; the limit is 50 MB. Remove what the kiosk does not need or split the data.");
    }
}

TEST_CASE("pages whose conditions point at each other are reported, never followed") {
    // "a" shows when "b" is answered and "b" when "a" is: only the earlier-page rule can
    // break such a cycle, so the loader must name the forward reference.
    auto files = validPackFiles();
    files["forms/missed-bin.json"] = R"({"id": "missed-bin", "version": 1, "title": {"en": "Cycle"},
        "pages": [
          {"id": "a", "showWhen": [{"question": "b", "answered": true}],
           "question": {"type": "short-text", "label": {"en": "A"}}},
          {"id": "b", "showWhen": [{"question": "a", "answered": true}],
           "question": {"type": "short-text", "label": {"en": "B"}}}]})";
    const auto result = loadContentPack(files);
    INFO(listProblems(result.problems));
    CHECK_FALSE(result.pack);
    CHECK(hasProblem(result.problems,
                     {"forms/missed-bin.json", "/pages/0/showWhen/0/question",
                      "Question 'b' is not on an earlier page. A condition can only use the answer to a "
                      "question on an earlier page."}));
    CHECK(result.problems.size() == 1);
}

TEST_CASE("a megabytes-long unknown field is reported without a suggestion, quickly") {
    // Looking for a typo used to build an edit-distance table with a row per character of the
    // key: for this key, millions of rows for each allowed field name.
    auto files = validPackFiles();
    std::string& form = files["forms/missed-bin.json"];
    const std::string from = R"("type": "uk-phone")";
    form.replace(form.find(from), from.size(),
                 from + ", \"" + std::string(8u * 1024u * 1024u, 'x') + "\": 1");
    const auto started = std::chrono::steady_clock::now();
    const auto result = loadContentPack(files);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(20));
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].file == "forms/missed-bin.json");
    CHECK_THAT(result.problems[0].message,
               Catch::StartsWith("Unknown field \"xxx") && Catch::Contains("Fields allowed: type, label,"));
}

TEST_CASE("a problem quotes at most 60 characters of the pack's own text and 20 list items") {
    const std::string sixty(60, 'x');
    SECTION("a long unknown field: in the message and in the path") {
        auto files = validPackFiles();
        std::string& form = files["forms/missed-bin.json"];
        const std::string from = R"("type": "uk-phone")";
        form.replace(form.find(from), from.size(), from + ", \"" + std::string(5000, 'x') + "\": 1");
        const auto result = loadContentPack(files);
        REQUIRE(result.problems.size() == 1);
        CHECK(result.problems[0].jsonPath == "/pages/4/question/" + sixty + "...");
        CHECK_THAT(result.problems[0].message,
                   Catch::StartsWith("Unknown field \"" + sixty + "...\" in a question."));
    }
    SECTION("a long question type, cut between characters") {
        auto files = validPackFiles();
        std::string& form = files["forms/missed-bin.json"];
        const std::string from = R"("type": "uk-phone")";
        std::string type;
        for (int i = 0; i < 1000; ++i) type += "\u0142";  // "ł", two bytes in UTF-8
        form.replace(form.find(from), from.size(), "\"type\": \"" + type + "\"");
        const auto result = loadContentPack(files);
        REQUIRE(result.problems.size() == 1);
        std::string expected;
        for (int i = 0; i < 60; ++i) expected += "\xC5\x82";
        CHECK_THAT(result.problems[0].message,
                   Catch::StartsWith("Unknown question type '" + expected + "...'."));
    }
    SECTION("a condition on a question with many choices lists twenty of them") {
        auto files = validPackFiles();
        std::string& form = files["forms/bulky-waste.json"];
        std::string choices;
        for (int i = 0; i < 30; ++i) {
            choices += (i ? ", " : "") + std::string(R"({"value": "c)") + std::to_string(i) +
                       R"(", "label": {"en": "C"}})";
        }
        const std::string from = R"({"value": "sofa")";
        form.replace(form.find(from), 0, choices + ", ");
        const auto result = loadContentPack(files);
        INFO(listProblems(result.problems));
        REQUIRE(result.problems.empty());  // the condition names "other", which is still offered

        const std::string condition = R"("equals": "other")";
        form.replace(form.find(condition), condition.size(), R"("equals": "nothing")");
        const auto broken = loadContentPack(files);
        REQUIRE(broken.problems.size() == 1);
        CHECK_THAT(broken.problems[0].message,
                   Catch::Contains("Use one of: c0, c1, c2,") && Catch::EndsWith("c19, and 13 more."));
    }
}

TEST_CASE("patterns that are too long or use back-references are refused with a reason") {
    const auto withPattern = [](const std::string& pattern) {
        auto files = validPackFiles();
        std::string& form = files["forms/missed-bin.json"];
        const std::string from = R"("type": "uk-phone")";
        form.replace(form.find(from), from.size(), from + ", \"pattern\": \"" + pattern + "\"");
        return loadContentPack(files);
    };
    SECTION("deep brackets: the regular expression compiler recurses per bracket and term") {
        const auto result = withPattern(std::string(30000, '(') + std::string(30000, ')'));
        REQUIRE(result.problems.size() == 1);
        CHECK(result.problems[0].jsonPath == "/pages/4/question/pattern");
        CHECK(result.problems[0].message ==
              "The pattern is 60000 characters long; the limit is 500. Shorten it: it only needs to describe "
              "one answer.");
    }
    SECTION("a back-reference") {
        const auto result = withPattern(R"(([0-9])\\1)");
        REQUIRE(result.problems.size() == 1);
        CHECK(result.problems[0].message ==
              "The pattern uses a back-reference (like \\1), which kiosk patterns cannot use. Write the "
              "pattern without one.");
    }
    SECTION("a long pattern within the limit is fine") {
        const auto result = withPattern("^(0[1-9]|[1-9][0-9])" + std::string(400, '.') + "$");
        INFO(listProblems(result.problems));
        CHECK(result.pack);
    }
}
