// Tests of the kiosk flow reducer (include/kiosk/kiosk_flow.h), without a window: the resident's
// journey, validation on Continue, Back and Change, the inactivity timer and its warning, sealing
// success and failure, and language changes.
#include <catch2/catch.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "flow_test_pack.h"
#include "kiosk/kiosk_flow.h"
#include "kiosk/reference.h"

using namespace kiosk;

namespace {

constexpr std::int64_t kStart = 1'767'225'600'000;  // 2026-01-01 00:00 UTC
constexpr std::int64_t kInactivity = 120'000;
constexpr std::int64_t kWarning = 30'000;

struct Flow {
    ContentPack pack = testing::makeFlowTestPack();
    KioskState state;
    std::int64_t now = kStart;

    Flow() {
        state.pack = &pack;
        state.settings.inactivityMillis = kInactivity;
        state.settings.warningMillis = kWarning;
    }
    Flow(const Flow&) = delete;

    Commands apply(const Intent& intent) { return reduce(state, intent, now); }
    // Back as the screens emit it: the language screen's own, or the resident mode's.
    Commands back() {
        if (state.screen == SessionScreen::Language) return apply(LeaveLanguage{});
        return apply(resident::Back{});
    }
    // The answer boxes by the names the question screen gives them.
    Commands edit(const std::string& box, const std::string& value) {
        using resident::Field;
        static const std::map<std::string, Field> fields = {{"text", Field::Text},
                                                            {"day", Field::Day},
                                                            {"month", Field::Month},
                                                            {"year", Field::Year},
                                                            {"postcode", Field::Postcode},
                                                            {"line1", Field::Line1},
                                                            {"line2", Field::Line2},
                                                            {"town", Field::Town},
                                                            {"manualPostcode", Field::ManualPostcode}};
        return apply(resident::EditField{fields.at(box), value});
    }
    Commands tickAt(std::int64_t at) {
        now = at;
        return apply(Tick{});
    }
    // Nobody touches the screen: the warning appears, then runs out.
    Commands timeOut() {
        tickAt(now + kInactivity);
        return tickAt(now + kWarning);
    }

    std::string pageId() const {
        REQUIRE(state.resident.form);
        REQUIRE(std::string(screenName(state)) == "question");
        return state.resident.form->currentPage().id;
    }

    void toFirstQuestion(const std::string& service = "missed-bin") {
        apply(Begin{});
        apply(ChooseLanguage{"en"});
        apply(resident::ChooseService{service});
        apply(resident::StartForm{});
    }

    // Address by lookup, refuse bin only (so the conditional page stays hidden), a name.
    void answerMissedBin() {
        toFirstQuestion();
        edit("postcode", "me14 4aa");
        apply(resident::Continue{});
        apply(resident::ChooseAddress{"200000000002"});
        apply(resident::Continue{});
        apply(resident::ToggleChoice{"refuse"});
        apply(resident::Continue{});
        edit("text", "Ada Lovelace");
        apply(resident::Continue{});
    }
};

}  // namespace

TEST_CASE("A resident goes from the attract screen to a confirmation with a reference", "[flow]") {
    Flow flow;
    KioskState& state = flow.state;
    REQUIRE(std::string(screenName(state)) == "attract");

    flow.apply(Begin{});
    REQUIRE(std::string(screenName(state)) == "language");
    flow.apply(ChooseLanguage{"en"});
    REQUIRE(std::string(screenName(state)) == "services");
    flow.apply(resident::ChooseService{"missed-bin"});
    REQUIRE(std::string(screenName(state)) == "service-start");
    REQUIRE(state.resident.serviceId == "missed-bin");
    REQUIRE(state.resident.form == nullptr);
    flow.apply(resident::StartForm{});
    REQUIRE(state.resident.form != nullptr);
    REQUIRE(flow.pageId() == "address");
    REQUIRE(state.resident.form->addressStage() == AddressStage::Postcode);

    flow.edit("postcode", "me14 4aa");
    flow.apply(resident::Continue{});
    REQUIRE(state.resident.form->addressStage() == AddressStage::PickAddress);
    REQUIRE(state.resident.form->addressMatches().size() == 3);
    flow.apply(resident::ChooseAddress{"200000000002"});
    flow.apply(resident::Continue{});
    REQUIRE(flow.pageId() == "bins");
    REQUIRE(state.resident.form->pageNumber() == 2);
    flow.apply(resident::ToggleChoice{"refuse"});
    flow.apply(resident::Continue{});
    REQUIRE(flow.pageId() == "name");  // "details" only shows for recycling
    flow.edit("text", "Ada Lovelace");
    flow.apply(resident::Continue{});
    REQUIRE(std::string(screenName(state)) == "check-answers");
    REQUIRE(state.resident.form->checkAnswers("en").size() == 3);

    const Commands sent = flow.apply(resident::Send{});
    const SealForm* seal = findCommand<SealForm>(sent);
    REQUIRE(seal != nullptr);
    REQUIRE(state.resident.sealPending);
    CHECK(seal->request.serviceId == "missed-bin");
    CHECK(seal->request.formId == "missed-bin");
    CHECK(seal->request.formVersion == 3);
    CHECK(seal->request.language == "en");
    CHECK(seal->request.destination == "kiosk-api");
    const auto json = nlohmann::json::parse(seal->request.answersJson);
    CHECK(json["service"] == "missed-bin");
    REQUIRE(json["answers"].size() == 3);
    CHECK(json["answers"][0]["id"] == "address");
    CHECK(json["answers"][0]["value"]["uprn"] == "200000000002");
    CHECK(json["answers"][1]["id"] == "bins");
    CHECK(json["answers"][1]["value"] == nlohmann::json::array({"refuse"}));
    CHECK(json["answers"][2]["value"] == "Ada Lovelace");

    const Commands sealed = flow.apply(resident::SealSucceeded{"SD1-0A4G-7RX"});
    CHECK(findCommand<SealForm>(sealed) == nullptr);
    REQUIRE(std::string(screenName(state)) == "confirmation");
    CHECK(state.resident.reference == "SD1-0A4G-7RX");
    CHECK(state.resident.confirmedServiceId == "missed-bin");
    CHECK(state.resident.form == nullptr);
    CHECK_FALSE(state.resident.sealPending);

    const Commands finished = flow.apply(resident::Finish{});
    CHECK(findCommand<ResetSpeech>(finished) != nullptr);
    CHECK(std::string(screenName(state)) == "attract");
    CHECK(state.resident.reference.empty());
}

TEST_CASE("Continue with a required answer missing shows errors and keeps the page", "[flow]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.apply(resident::Continue{});
    REQUIRE(std::string(screenName(flow.state)) == "question");
    REQUIRE(flow.pageId() == "address");
    REQUIRE_FALSE(flow.state.resident.form->errors().empty());
    CHECK(flow.state.resident.form->errors().front().field == "postcode");

    SECTION("what was typed stays after a failed Continue") {
        flow.edit("postcode", "not a postcode");
        flow.apply(resident::Continue{});
        CHECK(flow.state.resident.form->addressStage() == AddressStage::Postcode);
        CHECK(flow.state.resident.form->draft().address.postcode == "not a postcode");
        CHECK_FALSE(flow.state.resident.form->errors().empty());
    }
    SECTION("an empty several-choices page names what to select") {
        flow.edit("postcode", "ME14 4AA");
        flow.apply(resident::Continue{});
        flow.apply(resident::ChooseAddress{"200000000001"});
        flow.apply(resident::Continue{});
        REQUIRE(flow.pageId() == "bins");
        flow.apply(resident::Continue{});
        REQUIRE(flow.pageId() == "bins");
        REQUIRE(flow.state.resident.form->errors().size() == 1);
        CHECK(flow.state.resident.form->errors().front().message.rfind("Select", 0) == 0);
    }
}

TEST_CASE("Back from the first question returns to the service start page", "[flow]") {
    Flow flow;
    flow.toFirstQuestion();
    const auto serial = flow.state.pageSerial;
    const Commands back = flow.back();
    CHECK(findCommand<PageShown>(back) != nullptr);
    CHECK(flow.state.pageSerial == serial + 1);
    REQUIRE(std::string(screenName(flow.state)) == "service-start");
    CHECK(flow.state.resident.form != nullptr);  // "Start now" carries on where they were

    flow.back();
    CHECK(std::string(screenName(flow.state)) == "services");
    CHECK(flow.state.resident.form == nullptr);  // left the service: nothing of it stays in memory
    CHECK(flow.state.resident.serviceId.empty());
}

TEST_CASE("Back steps through address stages before leaving the question", "[flow]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.edit("postcode", "ME14 4AA");
    flow.apply(resident::Continue{});
    flow.apply(resident::ChooseManualAddress{});
    REQUIRE(flow.state.resident.form->addressStage() == AddressStage::Manual);
    flow.back();
    CHECK(flow.state.resident.form->addressStage() == AddressStage::PickAddress);
    flow.back();
    CHECK(flow.state.resident.form->addressStage() == AddressStage::Postcode);
    CHECK(std::string(screenName(flow.state)) == "question");
}

TEST_CASE("Change from check answers returns to check answers after Continue", "[flow]") {
    Flow flow;
    flow.answerMissedBin();
    REQUIRE(std::string(screenName(flow.state)) == "check-answers");

    flow.apply(resident::Change{"name"});
    REQUIRE(flow.pageId() == "name");
    CHECK(flow.state.resident.form->draft().text == "Ada Lovelace");
    flow.edit("text", "Grace Hopper");
    flow.apply(resident::Continue{});
    REQUIRE(std::string(screenName(flow.state)) == "check-answers");
    const auto rows = flow.state.resident.form->checkAnswers("en");
    REQUIRE(rows.size() == 3);
    CHECK(rows[2].pageId == "name");
    CHECK(rows[2].answer == "Grace Hopper");

    SECTION("Back while changing also returns to check answers") {
        flow.apply(resident::Change{"name"});
        REQUIRE(std::string(screenName(flow.state)) == "question");
        flow.back();
        CHECK(std::string(screenName(flow.state)) == "check-answers");
    }
}

TEST_CASE("No touch for the inactivity time shows the warning with a countdown", "[flow][timeout]") {
    Flow flow;
    flow.toFirstQuestion();
    REQUIRE(nextDeadlineMillis(flow.state) == kStart + kInactivity);

    flow.tickAt(kStart + kInactivity - 1);
    CHECK_FALSE(flow.state.timeoutWarning);

    flow.tickAt(kStart + kInactivity);
    REQUIRE(flow.state.timeoutWarning);
    CHECK(flow.state.warningSecondsLeft == 30);
    CHECK(flow.state.warningEndsMillis == kStart + kInactivity + kWarning);
    CHECK(flow.state.resident.form != nullptr);
    // While the warning shows, the loop wakes every second to redraw the countdown.
    CHECK(nextDeadlineMillis(flow.state) == kStart + kInactivity + 1'000);

    flow.tickAt(kStart + kInactivity + 1'000);
    CHECK(flow.state.warningSecondsLeft == 29);
    flow.now = kStart + kInactivity + 1'500;
    CHECK(nextDeadlineMillis(flow.state) == kStart + kInactivity + 2'000);
    flow.tickAt(kStart + kInactivity + kWarning - 400);
    CHECK(flow.state.warningSecondsLeft == 1);
    CHECK(nextDeadlineMillis(flow.state) == kStart + kInactivity + kWarning);

    SECTION("a touch on the dimmed page does not dismiss it") {
        flow.apply(Touched{});
        flow.apply(resident::Continue{});
        CHECK(flow.state.timeoutWarning);
        CHECK(flow.state.resident.form->errors().empty());
    }
}

TEST_CASE("A deadline asked for at its own millisecond is still due", "[flow][timeout]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.tickAt(kStart + kInactivity);
    REQUIRE(flow.state.warningSecondsLeft == 30);
    const std::int64_t second = kStart + kInactivity + 1'000;
    // A loop that slept until the deadline asks again when it wakes, at exactly that moment: the
    // answer must be that same moment (due now), not the second after it.
    flow.now = second;
    CHECK(nextDeadlineMillis(flow.state) == second);
    // Still due when the loop wakes late, until the Tick is handled.
    flow.now = second + 250;
    CHECK(nextDeadlineMillis(flow.state) == second);
    flow.apply(Tick{});
    CHECK(flow.state.warningSecondsLeft == 29);
    CHECK(nextDeadlineMillis(flow.state) == second + 1'000);

    SECTION("a loop that only asks on waking sees every second of the countdown and the end") {
        std::vector<int> shown{30, 29};
        for (int guard = 0; guard < 100 && flow.state.timeoutWarning; ++guard) {
            const auto deadline = nextDeadlineMillis(flow.state);
            REQUIRE(deadline.has_value());
            flow.now = *deadline;  // wakes exactly on time
            REQUIRE(nextDeadlineMillis(flow.state) <= flow.now);
            flow.apply(Tick{});
            if (flow.state.timeoutWarning) shown.push_back(flow.state.warningSecondsLeft);
        }
        std::vector<int> expected;
        for (int seconds = 30; seconds >= 1; --seconds) expected.push_back(seconds);
        CHECK(shown == expected);
        CHECK(std::string(screenName(flow.state)) == "attract");
        CHECK(flow.now == kStart + kInactivity + kWarning);
    }
}

TEST_CASE("Touches keep the session alive", "[flow][timeout]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.now = kStart + 100'000;
    flow.apply(Touched{});
    CHECK(nextDeadlineMillis(flow.state) == kStart + 100'000 + kInactivity);
    flow.tickAt(kStart + kInactivity + 5'000);
    CHECK_FALSE(flow.state.timeoutWarning);
}

TEST_CASE("I need more time works again and again", "[flow][timeout]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.edit("postcode", "ME14 4AA");
    std::int64_t lastActivity = flow.now;
    for (int i = 1; i <= 12; ++i) {
        flow.tickAt(lastActivity + kInactivity);
        REQUIRE(flow.state.timeoutWarning);
        flow.now += 20'000;  // the resident takes 20 s to notice
        flow.apply(ExtendTime{});
        REQUIRE_FALSE(flow.state.timeoutWarning);
        CHECK(flow.state.extensionsThisSession == i);
        CHECK(flow.state.lastActivityMillis == flow.now);
        CHECK(nextDeadlineMillis(flow.state) == flow.now + kInactivity);
        lastActivity = flow.now;
    }
    CHECK(std::string(screenName(flow.state)) == "question");
    REQUIRE(flow.state.resident.form != nullptr);
    CHECK(flow.state.resident.form->draft().address.postcode == "ME14 4AA");
}

TEST_CASE("When the warning runs out everything is wiped and the kiosk starts over", "[flow][timeout]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.apply(OpenLanguage{});
    flow.apply(ChooseLanguage{"pl"});
    flow.edit("postcode", "ME14 4AA");
    REQUIRE(flow.state.language == "pl");

    flow.tickAt(kStart + kInactivity);
    REQUIRE(flow.state.timeoutWarning);
    const Commands end = flow.tickAt(kStart + kInactivity + kWarning);
    CHECK(findCommand<ResetSpeech>(end) != nullptr);
    CHECK(findCommand<PageShown>(end) != nullptr);
    CHECK(std::string(screenName(flow.state)) == "attract");
    CHECK(flow.state.resident.form == nullptr);
    CHECK(flow.state.language == "en");
    CHECK(flow.state.resident.serviceId.empty());
    CHECK_FALSE(flow.state.timeoutWarning);
    CHECK(flow.state.extensionsThisSession == 0);
    CHECK_FALSE(nextDeadlineMillis(flow.state).has_value());

    SECTION("a tap that arrives after the end lands on a fresh start") {
        flow.now += 1'000;
        flow.apply(resident::Continue{});
        CHECK(std::string(screenName(flow.state)) == "attract");
        CHECK(flow.state.resident.form == nullptr);
    }
}

TEST_CASE("A late loop still gives the resident the whole warning", "[flow][timeout]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.tickAt(kStart + kInactivity + 10'000);
    REQUIRE(flow.state.timeoutWarning);
    CHECK(flow.state.warningEndsMillis == flow.now + kWarning);
    CHECK(flow.state.warningSecondsLeft == 30);
}

TEST_CASE("With the time limit off no warning ever shows", "[flow][timeout]") {
    Flow flow;
    flow.state.settings.timeLimitEnabled = false;
    flow.toFirstQuestion();
    CHECK_FALSE(nextDeadlineMillis(flow.state).has_value());
    flow.tickAt(kStart + 10 * kInactivity);
    CHECK_FALSE(flow.state.timeoutWarning);
    flow.tickAt(kStart + 1'000 * kInactivity);
    CHECK_FALSE(flow.state.timeoutWarning);
    CHECK(std::string(screenName(flow.state)) == "question");
    CHECK(flow.state.resident.form != nullptr);
}

TEST_CASE("The attract screen has no timer", "[flow][timeout]") {
    Flow flow;
    CHECK_FALSE(nextDeadlineMillis(flow.state).has_value());
    flow.tickAt(kStart + 5 * kInactivity);
    CHECK_FALSE(flow.state.timeoutWarning);
    flow.apply(Begin{});
    CHECK(nextDeadlineMillis(flow.state) == flow.now + kInactivity);
}

TEST_CASE("A failed seal keeps the answers and Send works again", "[flow][seal]") {
    Flow flow;
    flow.answerMissedBin();
    REQUIRE(findCommand<SealForm>(flow.apply(resident::Send{})) != nullptr);
    CHECK(findCommand<SealForm>(flow.apply(resident::Send{})) ==
          nullptr);  // a second tap while sealing does nothing

    flow.apply(resident::SealFailed{kiosk::ErrorCode::DiskFull});
    REQUIRE(std::string(screenName(flow.state)) == "seal-failed");
    REQUIRE(flow.state.resident.form != nullptr);
    CHECK_FALSE(flow.state.resident.sealPending);
    CHECK(flow.state.resident.form->checkAnswers("en").size() == 3);

    const Commands again = flow.apply(resident::Send{});
    const SealForm* seal = findCommand<SealForm>(again);
    REQUIRE(seal != nullptr);
    CHECK(nlohmann::json::parse(seal->request.answersJson)["answers"][2]["value"] == "Ada Lovelace");
    flow.apply(resident::SealSucceeded{"SD1-0000-001"});
    CHECK(std::string(screenName(flow.state)) == "confirmation");
    CHECK(flow.state.resident.reference == "SD1-0000-001");
    CHECK(flow.state.resident.form == nullptr);

    SECTION("Back from the failure returns to check answers") {
        Flow other;
        other.answerMissedBin();
        other.apply(resident::Send{});
        other.apply(resident::SealFailed{});
        other.back();
        CHECK(std::string(screenName(other.state)) == "check-answers");
    }
}

TEST_CASE("A seal result without a pending send is ignored", "[flow][seal]") {
    Flow flow;
    flow.answerMissedBin();
    flow.apply(resident::SealSucceeded{"SD1-FAKE"});
    CHECK(std::string(screenName(flow.state)) == "check-answers");
    CHECK(flow.state.resident.reference.empty());
    CHECK(flow.state.resident.form != nullptr);
}

TEST_CASE("Changing language keeps the answers and returns to the same page", "[flow][language]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.edit("postcode", "ME14 4AA");
    flow.apply(resident::Continue{});
    flow.apply(resident::ChooseAddress{"200000000003"});
    flow.apply(resident::Continue{});
    flow.apply(resident::ToggleChoice{"recycling"});
    REQUIRE(flow.pageId() == "bins");

    flow.apply(OpenLanguage{});
    REQUIRE(std::string(screenName(flow.state)) == "language");
    flow.apply(ChooseLanguage{"pl"});
    REQUIRE(std::string(screenName(flow.state)) == "question");
    CHECK(flow.state.language == "pl");
    CHECK(flow.pageId() == "bins");
    CHECK(flow.state.resident.form->draft().selected == std::vector<std::string>{"recycling"});

    flow.apply(resident::Continue{});
    CHECK(flow.pageId() == "details");  // the recycling page appears for recycling
    SECTION("an unknown language is refused") {
        flow.apply(OpenLanguage{});
        flow.apply(ChooseLanguage{"xx"});
        CHECK(std::string(screenName(flow.state)) == "language");
        CHECK(flow.state.language == "pl");
    }
}

TEST_CASE("Start again wipes the form and shows the services", "[flow]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.edit("postcode", "ME14 4AA");
    flow.apply(StartAgain{});
    CHECK(std::string(screenName(flow.state)) == "services");
    CHECK(flow.state.resident.form == nullptr);
    CHECK(flow.state.resident.serviceId.empty());
    CHECK(flow.state.language == "en");
}

// Found by the soak test: Back, Back from a form (through services and the language screen) ended
// the session without saying so, and the platform kept the form's text in Dear ImGui's buffers
// and the read-aloud history and volume for the next resident.
TEST_CASE("Back to the attract screen ends the session as a timeout does", "[flow]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.edit("postcode", "ME14 4AA");
    flow.apply(StartAgain{});
    flow.apply(VolumeUp{});
    CHECK(findCommand<ResetSpeech>(flow.back()) == nullptr);  // services -> language
    CHECK(std::string(screenName(flow.state)) == "language");
    const Commands backToAttract = flow.back();
    CHECK(std::string(screenName(flow.state)) == "attract");
    CHECK(findCommand<ResetSpeech>(backToAttract) != nullptr);
    CHECK(flow.state.speech.volumePercent == 100);
    CHECK(flow.state.resident.form == nullptr);
}

TEST_CASE("Typing does not count as a new page, moving on does", "[flow]") {
    Flow flow;
    flow.toFirstQuestion();
    const auto serial = flow.state.pageSerial;
    const Commands typed = flow.edit("postcode", "ME1");
    CHECK(findCommand<PageShown>(typed) == nullptr);
    CHECK(flow.state.pageSerial == serial);
    flow.edit("postcode", "ME14 4AA");
    const Commands moved = flow.apply(resident::Continue{});
    CHECK(findCommand<PageShown>(moved) != nullptr);  // the address list is a new page on screen
    CHECK(flow.state.pageSerial == serial + 1);
}

TEST_CASE("Yes/no and optional questions in the housing form", "[flow]") {
    Flow flow;
    flow.toFirstQuestion("housing-advice");
    REQUIRE(flow.pageId() == "homeless");
    flow.apply(resident::SelectChoice{"no"});
    flow.apply(resident::Continue{});
    REQUIRE(flow.pageId() == "phone");
    flow.apply(resident::Continue{});  // optional, left empty
    REQUIRE(std::string(screenName(flow.state)) == "check-answers");
    const auto rows = flow.state.resident.form->checkAnswers("en");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].answer == "No");
    CHECK(rows[1].answer == "Not provided");
}

TEST_CASE("Out of order wipes the session and blocks starting", "[flow]") {
    Flow flow;
    flow.toFirstQuestion();
    const Commands broken = flow.apply(SetOutOfOrder{true});
    CHECK(findCommand<ResetSpeech>(broken) != nullptr);
    CHECK(std::string(screenName(flow.state)) == "out-of-order");
    CHECK(flow.state.resident.form == nullptr);
    flow.apply(Begin{});
    CHECK(std::string(screenName(flow.state)) == "out-of-order");
    CHECK_FALSE(nextDeadlineMillis(flow.state).has_value());
    flow.apply(SetOutOfOrder{false});
    CHECK(std::string(screenName(flow.state)) == "attract");
}

TEST_CASE("Read aloud on the out-of-order page does not carry over to the repaired kiosk", "[flow][speech]") {
    Flow flow;
    flow.apply(SetOutOfOrder{true});
    const Commands read = flow.apply(ReadAloud{});
    CHECK(findCommand<ReadPageAfterFrame>(read) != nullptr);
    CHECK(flow.state.speech.readAloud);
    CHECK(std::string(screenName(flow.state)) == "out-of-order");
    const Commands repaired = flow.apply(SetOutOfOrder{false});
    CHECK(findCommand<ResetSpeech>(repaired) != nullptr);
    CHECK(std::string(screenName(flow.state)) == "attract");
    CHECK_FALSE(flow.state.speech.readAloud);
}

TEST_CASE("Screen names are stable for scripts and logs", "[flow]") {
    CHECK(std::string(residentScreenName(ResidentScreen::CheckAnswers)) == "check-answers");
    CHECK(std::string(residentScreenName(ResidentScreen::SealFailed)) == "seal-failed");
    KioskState state;
    CHECK(std::string(screenName(state)) == "attract");
}

TEST_CASE("Text size and contrast change on any page and reset for the next resident", "[flow][access]") {
    Flow flow;
    flow.toFirstQuestion();
    const auto serial = flow.state.pageSerial;
    Commands effects = flow.apply(SetTextSize{200});
    CHECK(findCommand<RebuildFonts>(effects) != nullptr);
    CHECK(flow.state.textSizePercent == 200);
    CHECK(flow.state.pageSerial == serial);  // the same page, only bigger
    CHECK(findCommand<RebuildFonts>(flow.apply(SetTextSize{200})) == nullptr);
    CHECK(findCommand<RebuildFonts>(flow.apply(SetTextSize{175})) == nullptr);  // only the three steps
    CHECK(flow.state.textSizePercent == 200);
    flow.apply(ToggleHighContrast{});
    CHECK(flow.state.highContrast);

    flow.apply(StartAgain{});
    CHECK(flow.state.textSizePercent == 200);  // still the same resident
    flow.timeOut();
    CHECK(std::string(screenName(flow.state)) == "attract");
    CHECK(flow.state.textSizePercent == 100);
    CHECK_FALSE(flow.state.highContrast);
}

TEST_CASE("Read aloud reads now and then every new page until Stop", "[flow][speech]") {
    Flow flow;
    flow.toFirstQuestion();
    Commands effects = flow.apply(ReadAloud{});
    CHECK(findCommand<ReadPageAfterFrame>(effects) != nullptr);
    CHECK(flow.state.speech.readAloud);
    effects = flow.back();
    CHECK(findCommand<PageShown>(effects) !=
          nullptr);  // the platform reads the new page because readAloud is on
    effects = flow.apply(StopReading{});
    CHECK(findCommand<StopSpeech>(effects) != nullptr);
    CHECK_FALSE(flow.state.speech.readAloud);
}

TEST_CASE("Speed and volume stay within bounds and reset after the session", "[flow][speech]") {
    Flow flow;
    flow.toFirstQuestion();
    CHECK(findCommand<ApplySpeechSettings>(flow.apply(ToggleSlowSpeech{})) != nullptr);
    CHECK(flow.state.speech.slow);
    for (int i = 0; i < 20; ++i) flow.apply(VolumeUp{});
    CHECK(flow.state.speech.volumePercent == 200);
    for (int i = 0; i < 20; ++i) flow.apply(VolumeDown{});
    CHECK(flow.state.speech.volumePercent == 25);  // never silent by accident
    flow.apply(ToggleSpeakKeys{});
    CHECK(flow.state.speech.speakKeys);

    flow.apply(StartAgain{});
    flow.apply(resident::ChooseService{"missed-bin"});
    flow.apply(resident::StartForm{});
    const Commands effects = flow.timeOut();
    CHECK(findCommand<ResetSpeech>(effects) != nullptr);
    CHECK_FALSE(flow.state.speech.slow);
    CHECK(flow.state.speech.volumePercent == 100);
    CHECK_FALSE(flow.state.speech.speakKeys);
    CHECK_FALSE(flow.state.speech.readAloud);
}

TEST_CASE("Continue with a problem reports the errors so they can be read out", "[flow][speech]") {
    Flow flow;
    flow.toFirstQuestion();
    const Commands effects = flow.apply(resident::Continue{});  // no postcode
    CHECK(findCommand<ErrorsShown>(effects) != nullptr);
    CHECK(findCommand<PageShown>(effects) == nullptr);
    flow.edit("postcode", "me14 4aa");
    CHECK(findCommand<ErrorsShown>(flow.apply(resident::Continue{})) == nullptr);
}

TEST_CASE("The warning appearing is reported once so it can be read out", "[flow][speech][timeout]") {
    Flow flow;
    flow.toFirstQuestion();
    CHECK(findCommand<WarningShown>(flow.tickAt(flow.now + kInactivity)) != nullptr);
    CHECK(findCommand<WarningShown>(flow.tickAt(flow.now + 1000)) == nullptr);
}

TEST_CASE("Keyboard choices: shift is one-shot, the rest stay until the session ends", "[flow][keyboard]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.apply(ToggleKeyboardShift{});
    CHECK(flow.state.keyboard.shift);
    flow.apply(KeyboardTyped{});
    CHECK_FALSE(flow.state.keyboard.shift);
    flow.apply(ToggleKeyboardOrder{});
    flow.apply(ToggleKeyboardAccents{});
    flow.apply(ToggleKeyboardNumbers{});
    CHECK(flow.state.keyboard.alphabetical);
    CHECK(flow.state.keyboard.accents);
    CHECK(flow.state.keyboard.numbers);
    flow.apply(StartAgain{});
    CHECK(flow.state.keyboard.alphabetical);
    flow.timeOut();
    CHECK_FALSE(flow.state.keyboard.alphabetical);
    CHECK_FALSE(flow.state.keyboard.accents);
    CHECK_FALSE(flow.state.keyboard.numbers);
}

TEST_CASE("The admin switch turns the time limit off and on while a session runs", "[flow][timeout]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.apply(SetTimeLimit{false});
    flow.tickAt(flow.now + 10 * kInactivity);
    CHECK_FALSE(flow.state.timeoutWarning);
    CHECK(std::string(screenName(flow.state)) == "question");
    flow.apply(SetTimeLimit{true});
    CHECK(findCommand<WarningShown>(flow.tickAt(flow.now + kInactivity - 1)) == nullptr);
    CHECK(findCommand<WarningShown>(flow.tickAt(flow.now + 1)) !=
          nullptr);  // a whole quiet time after the switch, not at once
}

TEST_CASE("The root routes a mode's intents only while that mode's screen shows", "[flow][modes]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.edit("postcode", "ME14 4AA");
    flow.apply(OpenLanguage{});
    REQUIRE(std::string(screenName(flow.state)) == "language");
    REQUIRE(!residentScreen(flow.state).has_value());
    // A stale tap from the page underneath changes nothing while the language screen shows.
    flow.apply(resident::Continue{});
    flow.edit("postcode", "XX1 1XX");
    CHECK(flow.state.resident.form->draft().address.postcode == "ME14 4AA");
    CHECK(flow.state.resident.screen == ResidentScreen::Question);
    // Choosing a language goes back to the mode's own screen, as it was.
    flow.apply(ChooseLanguage{"pl"});
    CHECK(residentScreen(flow.state) == ResidentScreen::Question);
    CHECK(flow.state.resident.form->draft().address.postcode == "ME14 4AA");
}

TEST_CASE("The connection status reaches the state without counting as a touch", "[flow][modes]") {
    Flow flow;
    flow.toFirstQuestion();
    const std::int64_t lastTouch = flow.state.lastActivityMillis;
    flow.now += 60'000;
    const Commands commands = flow.apply(ConnectionChanged{true});
    CHECK(flow.state.online);
    CHECK(flow.state.lastActivityMillis == lastTouch);
    CHECK(commands.empty());
    // The warning still comes when the quiet time since the last touch is over.
    flow.tickAt(lastTouch + kInactivity);
    CHECK(flow.state.timeoutWarning);
}

TEST_CASE("Commands come in the order the executor must carry them out", "[flow][modes]") {
    Flow flow;
    flow.answerMissedBin();
    REQUIRE(std::string(screenName(flow.state)) == "check-answers");
    flow.apply(ReadAloud{});
    const Commands sealed = flow.apply(resident::SealSucceeded{"SD1-0000-001"});
    // Not sealing: a seal result without a pending Send is ignored, but still forgets typed text.
    REQUIRE(!sealed.empty());
    CHECK(std::holds_alternative<WipeTypedText>(sealed.front()));
    flow.apply(resident::Send{});
    const Commands confirmed = flow.apply(resident::SealSucceeded{"SD1-0000-002"});
    REQUIRE(confirmed.size() == 3);
    CHECK(std::holds_alternative<WipeTypedText>(confirmed[0]));
    // The form counts as sent for the usage charts: its service, never its answers.
    const auto* counted = std::get_if<CountUsage>(&confirmed[1]);
    REQUIRE(counted != nullptr);
    CHECK(counted->kind == UsageKind::FormSent);
    CHECK(counted->serviceId == "missed-bin");
    const auto* shown = std::get_if<PageShown>(&confirmed[2]);
    REQUIRE(shown != nullptr);
    CHECK(shown->readAloud);  // reading is on: the confirmation is read out
    // The end of the session: typed text goes first, then the voice resets, and nothing of the
    // session is read.
    const Commands finished = flow.apply(resident::Finish{});
    REQUIRE(finished.size() >= 2);
    CHECK(std::holds_alternative<WipeTypedText>(finished[0]));
    CHECK(findCommand<ResetSpeech>(finished) != nullptr);
    CHECK(findCommand<ReadPageAfterFrame>(finished) == nullptr);
    const auto* after = findCommand<PageShown>(finished);
    REQUIRE(after != nullptr);
    CHECK_FALSE(after->readAloud);
}

TEST_CASE("Checking a report: the check character catches a typo before anything is looked up",
          "[flow][report]") {
    Flow flow;
    flow.state.settings.referencePrefix = "SD1";
    flow.apply(Begin{});
    flow.apply(ChooseLanguage{"en"});
    flow.apply(resident::OpenCheckReport{});
    REQUIRE(std::string(screenName(flow.state)) == "check-report");

    Commands checked = flow.apply(resident::CheckReport{});
    CHECK(flow.state.resident.reportError == "report.error-empty");
    CHECK(findCommand<LookUpReport>(checked) == nullptr);

    const std::string good = formatReference("SD1", 42);
    std::string typo = good;
    typo.back() = typo.back() == 'A' ? 'B' : 'A';  // one wrong character
    flow.apply(resident::EditReportReference{typo});
    checked = flow.apply(resident::CheckReport{});
    CHECK(flow.state.resident.reportError == "report.error-typo");
    CHECK(findCommand<LookUpReport>(checked) == nullptr);

    // A long paste stays whole (cutting it under the text box's feet asserts in Dear ImGui) and
    // simply fails the check.
    flow.apply(resident::EditReportReference{std::string(300, '7')});
    CHECK(flow.state.resident.reportReference.size() == 300);
    checked = flow.apply(resident::CheckReport{});
    CHECK(flow.state.resident.reportError == "report.error-typo");

    flow.apply(resident::EditReportReference{good});
    checked = flow.apply(resident::CheckReport{});
    CHECK(flow.state.resident.reportError.empty());
    const LookUpReport* lookUp = findCommand<LookUpReport>(checked);
    REQUIRE(lookUp != nullptr);
    CHECK(lookUp->reference == good);

    flow.apply(resident::ReportFound{ReportStatus{ReportState::Sent, "COUNCIL-77", good, std::nullopt}});
    REQUIRE(flow.state.resident.reportStatus);
    CHECK(flow.state.resident.reportStatus->state == ReportState::Sent);
    CHECK(flow.state.resident.reportStatus->councilReference == "COUNCIL-77");
    CHECK_FALSE(flow.state.resident.reportStatus->council);

    // The council's own status arrives a moment later; an answer about another reference (one
    // the resident checked before) is not shown against this one.
    flow.apply(resident::CouncilStatusFound{"SDC1-0000-00X", CouncilStatus{CouncilProgress::Closed, 5}});
    CHECK_FALSE(flow.state.resident.reportStatus->council);
    flow.apply(
        resident::CouncilStatusFound{good, CouncilStatus{CouncilProgress::InProgress, 1'796'000'000'000}});
    REQUIRE(flow.state.resident.reportStatus->council);
    CHECK(flow.state.resident.reportStatus->council->progress == CouncilProgress::InProgress);
    CHECK(flow.state.resident.reportStatus->council->updatedAtMillis == 1'796'000'000'000);

    // Back forgets what was typed and found; the end of the session does too.
    flow.apply(resident::Back{});
    CHECK(std::string(screenName(flow.state)) == "services");
    CHECK(flow.state.resident.reportReference.empty());
    CHECK_FALSE(flow.state.resident.reportStatus);
}
