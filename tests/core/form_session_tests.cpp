// FormSession: walking through forms with conditions, Back, check answers, Change, the address
// stages, typed answer JSON, hidden answers left out, and wiping.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "kiosk/form_session.h"

using namespace kiosk;
using Json = nlohmann::json;

namespace {

const std::filesystem::path kData = KIOSK_CORE_TEST_DATA;

const ContentPack& testPack() {
    static const ContentPack pack = [] {
        auto result = loadContentPack(kData / "valid-pack");
        REQUIRE(result.pack);
        return std::move(*result.pack);
    }();
    return pack;
}

// 10 March 2026, 12:00 UTC.
constexpr std::int64_t kTenthOfMarch = 1'773'144'000'000;

struct Fixture {
    explicit Fixture(const std::string& serviceId) : clock(kTenthOfMarch) {
        const ContentPack& pack = testPack();
        const Service* service = pack.findService(serviceId);
        REQUIRE(service);
        const Form* form = pack.findForm(service->formId);
        REQUIRE(form);
        session = std::make_unique<FormSession>(pack, *service, *form, clock);
    }
    VirtualClock clock;
    std::unique_ptr<FormSession> session;
};

std::string pageId(const FormSession& session) {
    return session.position() == FormSession::Position::CheckAnswers ? "check-answers"
                                                                     : session.currentPage().id;
}

std::vector<std::string> rowIds(const std::vector<SummaryRow>& rows) {
    std::vector<std::string> ids;
    for (const auto& row : rows) ids.push_back(row.pageId);
    return ids;
}

const SummaryRow& row(const std::vector<SummaryRow>& rows, const std::string& id) {
    for (const auto& r : rows) {
        if (r.pageId == id) return r;
    }
    FAIL("no row " << id);
    throw std::logic_error("unreachable");
}

Json answer(const std::string& json, const std::string& id) {
    const Json document = Json::parse(json);
    for (const auto& a : document.at("answers")) {
        if (a.at("id") == id) return a;
    }
    return nullptr;
}

// Address page: look up ME14 4AA and pick the second address.
void answerAddress(FormSession& s) {
    s.draft().address.postcode = "me144aa";
    REQUIRE(s.continueFromPage("en"));
    s.draft().address.chosenUprn = "200000000002";
    REQUIRE(s.continueFromPage("en"));
}

}  // namespace

TEST_CASE("a walk through the missed bin form with a condition, Back and check answers") {
    Fixture f("missed-bin");
    FormSession& s = *f.session;
    CHECK(s.position() == FormSession::Position::Question);
    CHECK(pageId(s) == "address");
    CHECK(s.addressStage() == AddressStage::Postcode);
    CHECK(s.pageNumber() == 1);
    CHECK(s.visiblePageCount() == 4);  // "details" shows only when recycling was missed
    CHECK_FALSE(s.back());             // the UI shows the start page instead

    answerAddress(s);
    CHECK(pageId(s) == "bins");
    CHECK(s.pageNumber() == 2);

    CHECK_FALSE(s.continueFromPage("en"));
    REQUIRE(s.errors().size() == 1);
    CHECK(s.errors()[0].message == "Select which bins were missed");
    // The resident switches to Polish with the error showing: it is said again in Polish.
    s.restateErrors("pl");
    REQUIRE(s.errors().size() == 1);
    const std::string restated = s.errors()[0].message;
    CHECK(restated.rfind("Wybierz", 0) == 0);
    CHECK_FALSE(s.continueFromPage("pl"));  // what Continue would have said in Polish
    CHECK(s.errors()[0].message == restated);
    s.restateErrors("en");
    CHECK(s.errors()[0].message == "Select which bins were missed");

    s.draft().selected = {"recycling", "refuse"};
    REQUIRE(s.continueFromPage("en"));
    CHECK(s.errors().empty());
    CHECK(pageId(s) == "details");
    CHECK(s.visiblePageCount() == 5);
    CHECK(s.pageNumber() == 3);

    s.draft().text = "The lid was stuck";
    REQUIRE(s.continueFromPage("en"));
    CHECK(pageId(s) == "missed-on");

    REQUIRE(s.back());
    CHECK(pageId(s) == "details");
    CHECK(s.draft().text == "The lid was stuck");  // pre-filled with the saved answer
    REQUIRE(s.continueFromPage("en"));

    s.draft().date = {"3", "3", "2026"};
    REQUIRE(s.continueFromPage("en"));
    CHECK(pageId(s) == "phone");
    REQUIRE(s.continueFromPage("en"));  // optional, left empty
    CHECK(s.position() == FormSession::Position::CheckAnswers);
    CHECK(s.pageNumber() == 0);

    const auto rows = s.checkAnswers("en");
    CHECK(rowIds(rows) == std::vector<std::string>{"address", "bins", "details", "missed-on", "phone"});
    CHECK(row(rows, "address").question == "What is the address of the missed collection?");
    CHECK(row(rows, "address").answer == "2 Acorn Way\nBearsted\nMaidstone\nME14 4AA");
    CHECK(row(rows, "bins").answer == "General rubbish (black bin)\nRecycling (green bin)");  // pack order
    CHECK(row(rows, "details").answer == "The lid was stuck");
    CHECK(row(rows, "missed-on").answer == "3 March 2026");
    CHECK(row(rows, "phone").answer == "Not provided");

    const auto polish = s.checkAnswers("pl");
    CHECK(row(polish, "bins").question == "Które pojemniki?");
    CHECK(row(polish, "missed-on").answer == "3 marca 2026");
    CHECK(row(polish, "phone").answer == "Nie podano");

    // From check answers, Back returns to the last page.
    REQUIRE(s.back());
    CHECK(pageId(s) == "phone");
    REQUIRE(s.back());
    CHECK(pageId(s) == "missed-on");
    CHECK(s.draft().date.day == "3");
}

TEST_CASE("answers JSON is typed and complete") {
    Fixture f("missed-bin");
    FormSession& s = *f.session;
    answerAddress(s);
    s.draft().selected = {"recycling", "refuse"};
    REQUIRE(s.continueFromPage("en"));
    s.draft().text = "  Lid stuck ";
    REQUIRE(s.continueFromPage("en"));
    s.draft().date = {"03", "3", "2026"};
    REQUIRE(s.continueFromPage("en"));
    s.draft().text = "07700 900982";
    REQUIRE(s.continueFromPage("en"));
    REQUIRE(s.position() == FormSession::Position::CheckAnswers);

    const std::string text = s.answersJson("pl");
    const Json document = Json::parse(text);
    CHECK(document.at("service") == "missed-bin");
    CHECK(document.at("form") == "missed-bin");
    CHECK(document.at("formVersion") == 2);
    CHECK(document.at("language") == "pl");
    CHECK(document.at("answers").size() == 5);

    const Json address = answer(text, "address");
    CHECK(address.at("question") ==
          "What is the address of the missed collection?");  // English for the council
    CHECK(address.at("type") == "address");
    CHECK(address.at("value") == Json{{"uprn", "200000000002"},
                                      {"lines", {"2 Acorn Way", "Bearsted"}},
                                      {"town", "Maidstone"},
                                      {"postcode", "ME14 4AA"},
                                      {"latitude", 51.2702},
                                      {"longitude", 0.5724}});
    CHECK(answer(text, "bins").at("value") == Json{"refuse", "recycling"});
    CHECK(answer(text, "details").at("value") == "Lid stuck");
    CHECK(answer(text, "missed-on").at("value") == "2026-03-03");
    CHECK(answer(text, "phone").at("value") == "07700 900982");
}

TEST_CASE("Change returns to check answers, and answers hidden by a change are not sent") {
    Fixture f("missed-bin");
    FormSession& s = *f.session;
    answerAddress(s);
    s.draft().selected = {"refuse", "recycling"};
    REQUIRE(s.continueFromPage("en"));
    s.draft().text = "Lid stuck";
    REQUIRE(s.continueFromPage("en"));
    s.draft().date = {"1", "3", "2026"};
    REQUIRE(s.continueFromPage("en"));
    REQUIRE(s.continueFromPage("en"));
    REQUIRE(s.position() == FormSession::Position::CheckAnswers);

    s.change("missed-on");
    CHECK(pageId(s) == "missed-on");
    CHECK(s.draft().date.day == "1");
    s.draft().date = {"2", "3", "2026"};
    REQUIRE(s.continueFromPage("en"));
    CHECK(s.position() == FormSession::Position::CheckAnswers);  // not on to "phone"
    CHECK(row(s.checkAnswers("en"), "missed-on").answer == "2 March 2026");

    // Recycling no longer missed: the details page and its answer disappear.
    s.change("bins");
    s.draft().selected = {"refuse"};
    REQUIRE(s.continueFromPage("en"));
    CHECK(s.position() == FormSession::Position::CheckAnswers);
    CHECK(rowIds(s.checkAnswers("en")) == std::vector<std::string>{"address", "bins", "missed-on", "phone"});
    CHECK(answer(s.answersJson("en"), "details").is_null());
    CHECK(s.answersJson("en").find("Lid stuck") == std::string::npos);
    CHECK(s.visiblePageCount() == 4);

    // Changed back: the kept answer returns without asking again.
    s.change("bins");
    s.draft().selected = {"refuse", "recycling"};
    REQUIRE(s.continueFromPage("en"));
    CHECK(s.position() == FormSession::Position::CheckAnswers);
    CHECK(row(s.checkAnswers("en"), "details").answer == "Lid stuck");

    // Back from a page opened with Change goes to check answers without saving.
    s.change("missed-on");
    s.draft().date = {"9", "3", "2026"};
    REQUIRE(s.back());
    CHECK(s.position() == FormSession::Position::CheckAnswers);
    CHECK(row(s.checkAnswers("en"), "missed-on").answer == "2 March 2026");

    // A hidden page cannot be opened with Change.
    s.change("bins");
    s.draft().selected = {"garden"};
    REQUIRE(s.continueFromPage("en"));
    s.change("details");
    CHECK(s.position() == FormSession::Position::CheckAnswers);
}

TEST_CASE("a Change that reveals a new page asks it before check answers") {
    Fixture f("missed-bin");
    FormSession& s = *f.session;
    answerAddress(s);
    s.draft().selected = {"garden"};
    REQUIRE(s.continueFromPage("en"));
    CHECK(pageId(s) == "missed-on");
    s.draft().date = {"1", "3", "2026"};
    REQUIRE(s.continueFromPage("en"));
    REQUIRE(s.continueFromPage("en"));
    REQUIRE(s.position() == FormSession::Position::CheckAnswers);

    s.change("bins");
    s.draft().selected = {"garden", "recycling"};
    REQUIRE(s.continueFromPage("en"));
    CHECK(pageId(s) == "details");
    REQUIRE(s.continueFromPage("en"));  // optional, left empty
    CHECK(s.position() == FormSession::Position::CheckAnswers);
    CHECK(row(s.checkAnswers("en"), "details").answer == "Not provided");
    CHECK(answer(s.answersJson("en"), "details").at("value").is_null());
}

TEST_CASE("address: postcode, pick, Back between stages") {
    Fixture f("missed-bin");
    FormSession& s = *f.session;
    CHECK_FALSE(s.continueFromPage("en"));
    REQUIRE(s.errors().size() == 1);
    CHECK(s.errors()[0].field == "postcode");
    CHECK(s.errors()[0].message == "Enter a postcode");

    s.draft().address.postcode = "ME14 9ZZ";
    CHECK_FALSE(s.continueFromPage("en"));
    CHECK(s.errors()[0].message ==
          "We could not find any addresses for ME14 9ZZ. Check the postcode or enter the address yourself");
    CHECK(s.draft().address.postcode == "ME14 9ZZ");  // kept as typed

    s.draft().address.postcode = "me14 4aa";
    REQUIRE(s.continueFromPage("en"));
    CHECK(s.errors().empty());
    CHECK(s.addressStage() == AddressStage::PickAddress);
    CHECK(pageId(s) == "address");
    CHECK(s.draft().address.postcode == "ME14 4AA");
    const auto matches = s.addressMatches();
    REQUIRE(matches.size() == 3);
    CHECK(matches[2]->lines[0] == "Flat 1");

    CHECK_FALSE(s.continueFromPage("en"));
    CHECK(s.errors()[0].field == "address");
    CHECK(s.errors()[0].message == "Select an address");

    REQUIRE(s.back());
    CHECK(s.addressStage() == AddressStage::Postcode);
    CHECK(s.errors().empty());
    s.draft().address.postcode = "ME15 6JQ";
    REQUIRE(s.continueFromPage("en"));
    s.draft().address.chosenUprn = "200000000010";
    REQUIRE(s.continueFromPage("en"));
    CHECK(pageId(s) == "bins");

    // Back to the address page shows the list with the choice made.
    REQUIRE(s.back());
    CHECK(pageId(s) == "address");
    CHECK(s.addressStage() == AddressStage::PickAddress);
    CHECK(s.draft().address.chosenUprn == "200000000010");
    CHECK(s.addressMatches().size() == 1);
}

TEST_CASE("address: I cannot find my address") {
    Fixture f("missed-bin");
    FormSession& s = *f.session;
    s.draft().address.postcode = "me14 9zz";
    CHECK_FALSE(s.continueFromPage("en"));
    s.chooseManualAddress();
    CHECK(s.addressStage() == AddressStage::Manual);
    CHECK(s.errors().empty());
    CHECK(s.draft().address.manualPostcode == "ME14 9ZZ");  // carried over from the lookup

    CHECK_FALSE(s.continueFromPage("en"));
    REQUIRE(s.errors().size() == 2);
    CHECK(s.errors()[0].field == "line1");
    CHECK(s.errors()[1].field == "town");

    s.draft().address.line1 = "1 New Road";
    s.draft().address.line2 = " ";
    s.draft().address.town = "Maidstone";
    REQUIRE(s.continueFromPage("en"));
    CHECK(pageId(s) == "bins");

    REQUIRE(s.back());
    CHECK(pageId(s) == "address");
    CHECK(s.addressStage() == AddressStage::Manual);
    CHECK(s.draft().address.line1 == "1 New Road");
    REQUIRE(s.back());
    CHECK(s.addressStage() == AddressStage::Postcode);
    CHECK_FALSE(s.back());

    s.chooseManualAddress();
    REQUIRE(s.continueFromPage("en"));
    s.draft().selected = {"refuse"};
    REQUIRE(s.continueFromPage("en"));
    s.draft().date = {"9", "3", "2026"};
    REQUIRE(s.continueFromPage("en"));
    REQUIRE(s.continueFromPage("en"));
    REQUIRE(s.position() == FormSession::Position::CheckAnswers);
    CHECK(row(s.checkAnswers("en"), "address").answer == "1 New Road\nMaidstone\nME14 9ZZ");
    CHECK(answer(s.answersJson("en"), "address").at("value") ==
          Json{{"manual", true}, {"lines", {"1 New Road"}}, {"town", "Maidstone"}, {"postcode", "ME14 9ZZ"}});
}

TEST_CASE("the bulky waste form: equals condition, numbers, yes-no, future dates") {
    Fixture f("bulky-waste");
    FormSession& s = *f.session;
    s.draft().text = "other";
    REQUIRE(s.continueFromPage("en"));
    CHECK(pageId(s) == "other-item");
    CHECK_FALSE(s.continueFromPage("en"));
    CHECK(s.errors()[0].message == "Tell us what the item is");  // the pack's own message
    s.draft().text = "Piano";
    REQUIRE(s.continueFromPage("en"));

    CHECK(pageId(s) == "count");
    s.draft().text = "9";
    CHECK_FALSE(s.continueFromPage("en"));
    CHECK(s.errors()[0].message == "The number of items must be between 1 and 5");
    s.draft().text = "2";
    REQUIRE(s.continueFromPage("en"));

    CHECK(pageId(s) == "collect-on");
    s.draft().date = {"10", "3", "2026"};  // today
    CHECK_FALSE(s.continueFromPage("en"));
    CHECK(s.errors()[0].message == "The collection date must be in the future");
    f.clock.setMillis(kTenthOfMarch - 86'400'000);  // the clock is read on Continue
    REQUIRE(s.continueFromPage("en"));

    s.draft().text = "yes";
    REQUIRE(s.continueFromPage("en"));
    s.draft().text = "ada@example.com";
    REQUIRE(s.continueFromPage("en"));
    s.draft().text = "me15 6jq";
    REQUIRE(s.continueFromPage("en"));
    REQUIRE(s.position() == FormSession::Position::CheckAnswers);

    const auto rows = s.checkAnswers("pl");
    CHECK(row(rows, "item").answer == "Something else");
    CHECK(row(rows, "outside").answer == "Tak");
    CHECK(row(rows, "postcode").answer == "ME15 6JQ");
    const std::string text = s.answersJson("en");
    CHECK(answer(text, "item").at("value") == "other");
    CHECK(answer(text, "count").at("value") == 2);
    CHECK(answer(text, "count").at("value").is_number_integer());
    CHECK(answer(text, "outside").at("value") == true);
    CHECK(answer(text, "collect-on").at("value") == "2026-03-10");
    CHECK(answer(text, "postcode").at("value") == "ME15 6JQ");

    // A different choice hides "other-item", and its answer is not sent.
    s.change("item");
    s.draft().text = "sofa";
    REQUIRE(s.continueFromPage("en"));
    CHECK(s.position() == FormSession::Position::CheckAnswers);
    CHECK(answer(s.answersJson("en"), "other-item").is_null());
    CHECK(s.answersJson("en").find("Piano") == std::string::npos);
    CHECK(row(s.checkAnswers("en"), "outside").answer == "Yes");
}

TEST_CASE("wipe zeroes and removes every answer, draft and error") {
    Fixture f("missed-bin");
    FormSession& s = *f.session;
    answerAddress(s);
    s.draft().selected = {"recycling"};
    REQUIRE(s.continueFromPage("en"));
    const std::string secret(200, 'S');  // long enough to live on the heap
    s.draft().text = secret + secret;    // too long for this page: kept in the draft with an error
    CHECK_FALSE(s.continueFromPage("en"));
    REQUIRE_FALSE(s.errors().empty());
    const char* buffer = s.draft().text.data();
    const std::size_t capacity = s.draft().text.capacity();

    s.wipe();
    CHECK(s.wiped());
    CHECK(s.draft().text.empty());
    CHECK(s.draft().selected.empty());
    CHECK(s.draft().address.postcode.empty());
    CHECK(s.draft().address.chosenUprn.empty());
    CHECK(s.errors().empty());
    CHECK(s.checkAnswers("en").empty());
    CHECK(s.answersJson("en") == "{}");
    // The string kept its buffer, and every byte of it is now zero.
    REQUIRE(s.draft().text.data() == buffer);
    CHECK(std::all_of(buffer, buffer + capacity, [](char c) { return c == '\0'; }));

    s.draft().text = "typed after the wipe";
    CHECK_FALSE(s.continueFromPage("en"));
    CHECK_FALSE(s.back());
    s.change("bins");
    CHECK(s.checkAnswers("en").empty());
}
