// Tests of the kiosk flow reducer (include/kiosk/kiosk_flow.h), without a window: the resident's
// journey, validation on Continue, Back and Change, the inactivity timer and its warning, sealing
// success and failure, and language changes.
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "flow_test_pack.h"
#include "kiosk/kiosk_flow.h"

using namespace kiosk;
using Kind = Intent::Kind;

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

    Effects apply(const Intent& intent) { return reduce(state, intent, now); }
    Effects apply(Kind kind, std::string value = {}) { return apply(Intent::of(kind, std::move(value))); }
    Effects edit(const std::string& field, const std::string& value) { return apply(Intent::edit(field, value)); }
    Effects tickAt(std::int64_t at) {
        now = at;
        return apply(Kind::Tick);
    }
    // Nobody touches the screen: the warning appears, then runs out.
    Effects timeOut() {
        tickAt(now + kInactivity);
        return tickAt(now + kWarning);
    }

    std::string pageId() const {
        REQUIRE(state.form);
        REQUIRE(state.screen == Screen::Question);
        return state.form->currentPage().id;
    }

    void toFirstQuestion(const std::string& service = "missed-bin") {
        apply(Kind::Begin);
        apply(Kind::ChooseLanguage, "en");
        apply(Kind::ChooseService, service);
        apply(Kind::StartForm);
    }

    // Address by lookup, refuse bin only (so the conditional page stays hidden), a name.
    void answerMissedBin() {
        toFirstQuestion();
        edit("postcode", "me14 4aa");
        apply(Kind::Continue);
        apply(Kind::ChooseAddress, "200000000002");
        apply(Kind::Continue);
        apply(Kind::ToggleChoice, "refuse");
        apply(Kind::Continue);
        edit("text", "Ada Lovelace");
        apply(Kind::Continue);
    }
};

}  // namespace

TEST_CASE("A resident goes from the attract screen to a confirmation with a reference", "[flow]") {
    Flow flow;
    KioskState& state = flow.state;
    REQUIRE(state.screen == Screen::Attract);

    flow.apply(Kind::Begin);
    REQUIRE(state.screen == Screen::Language);
    flow.apply(Kind::ChooseLanguage, "en");
    REQUIRE(state.screen == Screen::Services);
    flow.apply(Kind::ChooseService, "missed-bin");
    REQUIRE(state.screen == Screen::ServiceStart);
    REQUIRE(state.serviceId == "missed-bin");
    REQUIRE(state.form == nullptr);
    flow.apply(Kind::StartForm);
    REQUIRE(state.form != nullptr);
    REQUIRE(flow.pageId() == "address");
    REQUIRE(state.form->addressStage() == AddressStage::Postcode);

    flow.edit("postcode", "me14 4aa");
    flow.apply(Kind::Continue);
    REQUIRE(state.form->addressStage() == AddressStage::PickAddress);
    REQUIRE(state.form->addressMatches().size() == 3);
    flow.apply(Kind::ChooseAddress, "200000000002");
    flow.apply(Kind::Continue);
    REQUIRE(flow.pageId() == "bins");
    REQUIRE(state.form->pageNumber() == 2);
    flow.apply(Kind::ToggleChoice, "refuse");
    flow.apply(Kind::Continue);
    REQUIRE(flow.pageId() == "name");  // "details" only shows for recycling
    flow.edit("text", "Ada Lovelace");
    flow.apply(Kind::Continue);
    REQUIRE(state.screen == Screen::CheckAnswers);
    REQUIRE(state.form->checkAnswers("en").size() == 3);

    const Effects sent = flow.apply(Kind::Send);
    REQUIRE(sent.seal.has_value());
    REQUIRE(state.sealPending);
    CHECK(sent.seal->serviceId == "missed-bin");
    CHECK(sent.seal->formId == "missed-bin");
    CHECK(sent.seal->formVersion == 3);
    CHECK(sent.seal->language == "en");
    CHECK(sent.seal->destination == "kiosk-api");
    const auto json = nlohmann::json::parse(sent.seal->answersJson);
    CHECK(json["service"] == "missed-bin");
    REQUIRE(json["answers"].size() == 3);
    CHECK(json["answers"][0]["id"] == "address");
    CHECK(json["answers"][0]["value"]["uprn"] == "200000000002");
    CHECK(json["answers"][1]["id"] == "bins");
    CHECK(json["answers"][1]["value"] == nlohmann::json::array({"refuse"}));
    CHECK(json["answers"][2]["value"] == "Ada Lovelace");

    const Effects sealed = flow.apply(Kind::SealSucceeded, "SD1-0A4G-7RX");
    CHECK_FALSE(sealed.seal.has_value());
    REQUIRE(state.screen == Screen::Confirmation);
    CHECK(state.reference == "SD1-0A4G-7RX");
    CHECK(state.confirmedServiceId == "missed-bin");
    CHECK(state.form == nullptr);
    CHECK_FALSE(state.sealPending);

    const Effects finished = flow.apply(Kind::Finish);
    CHECK(finished.sessionEnded);
    CHECK(state.screen == Screen::Attract);
    CHECK(state.reference.empty());
}

TEST_CASE("Continue with a required answer missing shows errors and keeps the page", "[flow]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.apply(Kind::Continue);
    REQUIRE(flow.state.screen == Screen::Question);
    REQUIRE(flow.pageId() == "address");
    REQUIRE_FALSE(flow.state.form->errors().empty());
    CHECK(flow.state.form->errors().front().field == "postcode");

    SECTION("what was typed stays after a failed Continue") {
        flow.edit("postcode", "not a postcode");
        flow.apply(Kind::Continue);
        CHECK(flow.state.form->addressStage() == AddressStage::Postcode);
        CHECK(flow.state.form->draft().address.postcode == "not a postcode");
        CHECK_FALSE(flow.state.form->errors().empty());
    }
    SECTION("an empty several-choices page names what to select") {
        flow.edit("postcode", "ME14 4AA");
        flow.apply(Kind::Continue);
        flow.apply(Kind::ChooseAddress, "200000000001");
        flow.apply(Kind::Continue);
        REQUIRE(flow.pageId() == "bins");
        flow.apply(Kind::Continue);
        REQUIRE(flow.pageId() == "bins");
        REQUIRE(flow.state.form->errors().size() == 1);
        CHECK(flow.state.form->errors().front().message.rfind("Select", 0) == 0);
    }
}

TEST_CASE("Back from the first question returns to the service start page", "[flow]") {
    Flow flow;
    flow.toFirstQuestion();
    const auto serial = flow.state.pageSerial;
    const Effects back = flow.apply(Kind::Back);
    CHECK(back.pageChanged);
    CHECK(flow.state.pageSerial == serial + 1);
    REQUIRE(flow.state.screen == Screen::ServiceStart);
    CHECK(flow.state.form != nullptr);  // "Start now" carries on where they were

    flow.apply(Kind::Back);
    CHECK(flow.state.screen == Screen::Services);
    CHECK(flow.state.form == nullptr);  // left the service: nothing of it stays in memory
    CHECK(flow.state.serviceId.empty());
}

TEST_CASE("Back steps through address stages before leaving the question", "[flow]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.edit("postcode", "ME14 4AA");
    flow.apply(Kind::Continue);
    flow.apply(Kind::ChooseManualAddress);
    REQUIRE(flow.state.form->addressStage() == AddressStage::Manual);
    flow.apply(Kind::Back);
    CHECK(flow.state.form->addressStage() == AddressStage::PickAddress);
    flow.apply(Kind::Back);
    CHECK(flow.state.form->addressStage() == AddressStage::Postcode);
    CHECK(flow.state.screen == Screen::Question);
}

TEST_CASE("Change from check answers returns to check answers after Continue", "[flow]") {
    Flow flow;
    flow.answerMissedBin();
    REQUIRE(flow.state.screen == Screen::CheckAnswers);

    flow.apply(Kind::Change, "name");
    REQUIRE(flow.pageId() == "name");
    CHECK(flow.state.form->draft().text == "Ada Lovelace");
    flow.edit("text", "Grace Hopper");
    flow.apply(Kind::Continue);
    REQUIRE(flow.state.screen == Screen::CheckAnswers);
    const auto rows = flow.state.form->checkAnswers("en");
    REQUIRE(rows.size() == 3);
    CHECK(rows[2].pageId == "name");
    CHECK(rows[2].answer == "Grace Hopper");

    SECTION("Back while changing also returns to check answers") {
        flow.apply(Kind::Change, "name");
        REQUIRE(flow.state.screen == Screen::Question);
        flow.apply(Kind::Back);
        CHECK(flow.state.screen == Screen::CheckAnswers);
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
    CHECK(flow.state.form != nullptr);
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
        flow.apply(Kind::Touched);
        flow.apply(Kind::Continue);
        CHECK(flow.state.timeoutWarning);
        CHECK(flow.state.form->errors().empty());
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
    flow.apply(Kind::Tick);
    CHECK(flow.state.warningSecondsLeft == 29);
    CHECK(nextDeadlineMillis(flow.state) == second + 1'000);

    SECTION("a loop that only asks on waking sees every second of the countdown and the end") {
        std::vector<int> shown{30, 29};
        for (int guard = 0; guard < 100 && flow.state.timeoutWarning; ++guard) {
            const auto deadline = nextDeadlineMillis(flow.state);
            REQUIRE(deadline.has_value());
            flow.now = *deadline;  // wakes exactly on time
            REQUIRE(nextDeadlineMillis(flow.state) <= flow.now);
            flow.apply(Kind::Tick);
            if (flow.state.timeoutWarning) shown.push_back(flow.state.warningSecondsLeft);
        }
        std::vector<int> expected;
        for (int seconds = 30; seconds >= 1; --seconds) expected.push_back(seconds);
        CHECK(shown == expected);
        CHECK(flow.state.screen == Screen::Attract);
        CHECK(flow.now == kStart + kInactivity + kWarning);
    }
}

TEST_CASE("Touches keep the session alive", "[flow][timeout]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.now = kStart + 100'000;
    flow.apply(Kind::Touched);
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
        flow.apply(Kind::ExtendTime);
        REQUIRE_FALSE(flow.state.timeoutWarning);
        CHECK(flow.state.extensionsThisSession == i);
        CHECK(flow.state.lastActivityMillis == flow.now);
        CHECK(nextDeadlineMillis(flow.state) == flow.now + kInactivity);
        lastActivity = flow.now;
    }
    CHECK(flow.state.screen == Screen::Question);
    REQUIRE(flow.state.form != nullptr);
    CHECK(flow.state.form->draft().address.postcode == "ME14 4AA");
}

TEST_CASE("When the warning runs out everything is wiped and the kiosk starts over", "[flow][timeout]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.apply(Kind::OpenLanguage);
    flow.apply(Kind::ChooseLanguage, "pl");
    flow.edit("postcode", "ME14 4AA");
    REQUIRE(flow.state.language == "pl");

    flow.tickAt(kStart + kInactivity);
    REQUIRE(flow.state.timeoutWarning);
    const Effects end = flow.tickAt(kStart + kInactivity + kWarning);
    CHECK(end.sessionEnded);
    CHECK(end.pageChanged);
    CHECK(flow.state.screen == Screen::Attract);
    CHECK(flow.state.form == nullptr);
    CHECK(flow.state.language == "en");
    CHECK(flow.state.serviceId.empty());
    CHECK_FALSE(flow.state.timeoutWarning);
    CHECK(flow.state.extensionsThisSession == 0);
    CHECK_FALSE(nextDeadlineMillis(flow.state).has_value());

    SECTION("a tap that arrives after the end lands on a fresh start") {
        flow.now += 1'000;
        flow.apply(Kind::Continue);
        CHECK(flow.state.screen == Screen::Attract);
        CHECK(flow.state.form == nullptr);
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
    CHECK(flow.state.screen == Screen::Question);
    CHECK(flow.state.form != nullptr);
}

TEST_CASE("The attract screen has no timer", "[flow][timeout]") {
    Flow flow;
    CHECK_FALSE(nextDeadlineMillis(flow.state).has_value());
    flow.tickAt(kStart + 5 * kInactivity);
    CHECK_FALSE(flow.state.timeoutWarning);
    flow.apply(Kind::Begin);
    CHECK(nextDeadlineMillis(flow.state) == flow.now + kInactivity);
}

TEST_CASE("A failed seal keeps the answers and Send works again", "[flow][seal]") {
    Flow flow;
    flow.answerMissedBin();
    REQUIRE(flow.apply(Kind::Send).seal.has_value());
    CHECK_FALSE(flow.apply(Kind::Send).seal.has_value());  // a second tap while sealing does nothing

    flow.apply(Kind::SealFailed, "disk_full");
    REQUIRE(flow.state.screen == Screen::SealFailed);
    REQUIRE(flow.state.form != nullptr);
    CHECK_FALSE(flow.state.sealPending);
    CHECK(flow.state.form->checkAnswers("en").size() == 3);

    const Effects again = flow.apply(Kind::Send);
    REQUIRE(again.seal.has_value());
    CHECK(nlohmann::json::parse(again.seal->answersJson)["answers"][2]["value"] == "Ada Lovelace");
    flow.apply(Kind::SealSucceeded, "SD1-0000-001");
    CHECK(flow.state.screen == Screen::Confirmation);
    CHECK(flow.state.reference == "SD1-0000-001");
    CHECK(flow.state.form == nullptr);

    SECTION("Back from the failure returns to check answers") {
        Flow other;
        other.answerMissedBin();
        other.apply(Kind::Send);
        other.apply(Kind::SealFailed);
        other.apply(Kind::Back);
        CHECK(other.state.screen == Screen::CheckAnswers);
    }
}

TEST_CASE("A seal result without a pending send is ignored", "[flow][seal]") {
    Flow flow;
    flow.answerMissedBin();
    flow.apply(Kind::SealSucceeded, "SD1-FAKE");
    CHECK(flow.state.screen == Screen::CheckAnswers);
    CHECK(flow.state.reference.empty());
    CHECK(flow.state.form != nullptr);
}

TEST_CASE("Changing language keeps the answers and returns to the same page", "[flow][language]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.edit("postcode", "ME14 4AA");
    flow.apply(Kind::Continue);
    flow.apply(Kind::ChooseAddress, "200000000003");
    flow.apply(Kind::Continue);
    flow.apply(Kind::ToggleChoice, "recycling");
    REQUIRE(flow.pageId() == "bins");

    flow.apply(Kind::OpenLanguage);
    REQUIRE(flow.state.screen == Screen::Language);
    flow.apply(Kind::ChooseLanguage, "pl");
    REQUIRE(flow.state.screen == Screen::Question);
    CHECK(flow.state.language == "pl");
    CHECK(flow.pageId() == "bins");
    CHECK(flow.state.form->draft().selected == std::vector<std::string>{"recycling"});

    flow.apply(Kind::Continue);
    CHECK(flow.pageId() == "details");  // the recycling page appears for recycling
    SECTION("an unknown language is refused") {
        flow.apply(Kind::OpenLanguage);
        flow.apply(Kind::ChooseLanguage, "xx");
        CHECK(flow.state.screen == Screen::Language);
        CHECK(flow.state.language == "pl");
    }
}

TEST_CASE("Start again wipes the form and shows the services", "[flow]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.edit("postcode", "ME14 4AA");
    flow.apply(Kind::StartAgain);
    CHECK(flow.state.screen == Screen::Services);
    CHECK(flow.state.form == nullptr);
    CHECK(flow.state.serviceId.empty());
    CHECK(flow.state.language == "en");
}

// Found by the soak test: Back, Back from a form (through services and the language screen) ended
// the session without saying so, and the platform kept the form's text in Dear ImGui's buffers
// and the read-aloud history and volume for the next resident.
TEST_CASE("Back to the attract screen ends the session as a timeout does", "[flow]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.edit("postcode", "ME14 4AA");
    flow.apply(Kind::StartAgain);
    flow.apply(Kind::VolumeUp);
    CHECK_FALSE(flow.apply(Kind::Back).sessionEnded);  // services -> language
    CHECK(flow.state.screen == Screen::Language);
    const Effects backToAttract = flow.apply(Kind::Back);
    CHECK(flow.state.screen == Screen::Attract);
    CHECK(backToAttract.sessionEnded);
    CHECK(flow.state.speech.volumePercent == 100);
    CHECK(flow.state.form == nullptr);
}

TEST_CASE("Typing does not count as a new page, moving on does", "[flow]") {
    Flow flow;
    flow.toFirstQuestion();
    const auto serial = flow.state.pageSerial;
    const Effects typed = flow.edit("postcode", "ME1");
    CHECK_FALSE(typed.pageChanged);
    CHECK(flow.state.pageSerial == serial);
    flow.edit("postcode", "ME14 4AA");
    const Effects moved = flow.apply(Kind::Continue);
    CHECK(moved.pageChanged);  // the address list is a new page on screen
    CHECK(flow.state.pageSerial == serial + 1);
}

TEST_CASE("Yes/no and optional questions in the housing form", "[flow]") {
    Flow flow;
    flow.toFirstQuestion("housing-advice");
    REQUIRE(flow.pageId() == "homeless");
    flow.apply(Kind::SelectChoice, "no");
    flow.apply(Kind::Continue);
    REQUIRE(flow.pageId() == "phone");
    flow.apply(Kind::Continue);  // optional, left empty
    REQUIRE(flow.state.screen == Screen::CheckAnswers);
    const auto rows = flow.state.form->checkAnswers("en");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].answer == "No");
    CHECK(rows[1].answer == "Not provided");
}

TEST_CASE("Out of order wipes the session and blocks starting", "[flow]") {
    Flow flow;
    flow.toFirstQuestion();
    const Effects broken = flow.apply(Kind::SetOutOfOrder, "1");
    CHECK(broken.sessionEnded);
    CHECK(flow.state.screen == Screen::OutOfOrder);
    CHECK(flow.state.form == nullptr);
    flow.apply(Kind::Begin);
    CHECK(flow.state.screen == Screen::OutOfOrder);
    CHECK_FALSE(nextDeadlineMillis(flow.state).has_value());
    flow.apply(Kind::SetOutOfOrder, "0");
    CHECK(flow.state.screen == Screen::Attract);
}

TEST_CASE("Read aloud on the out-of-order page does not carry over to the repaired kiosk", "[flow][speech]") {
    Flow flow;
    flow.apply(Kind::SetOutOfOrder, "1");
    const Effects read = flow.apply(Kind::ReadAloud);
    CHECK(read.readPageNow);
    CHECK(flow.state.speech.readAloud);
    CHECK(flow.state.screen == Screen::OutOfOrder);
    const Effects repaired = flow.apply(Kind::SetOutOfOrder, "0");
    CHECK(repaired.sessionEnded);
    CHECK(flow.state.screen == Screen::Attract);
    CHECK_FALSE(flow.state.speech.readAloud);
}

TEST_CASE("Screen names are stable for scripts and logs", "[flow]") {
    CHECK(std::string(screenName(Screen::CheckAnswers)) == "check-answers");
    CHECK(std::string(screenName(Screen::SealFailed)) == "seal-failed");
    CHECK(std::string(screenName(Screen::Attract)) == "attract");
}

TEST_CASE("Text size and contrast change on any page and reset for the next resident", "[flow][access]") {
    Flow flow;
    flow.toFirstQuestion();
    const auto serial = flow.state.pageSerial;
    Effects effects = flow.apply(Kind::SetTextSize, "200");
    CHECK(effects.textSizeChanged);
    CHECK(flow.state.textSizePercent == 200);
    CHECK(flow.state.pageSerial == serial);  // the same page, only bigger
    CHECK_FALSE(flow.apply(Kind::SetTextSize, "200").textSizeChanged);
    CHECK_FALSE(flow.apply(Kind::SetTextSize, "175").textSizeChanged);  // only the three steps
    CHECK(flow.state.textSizePercent == 200);
    flow.apply(Kind::ToggleHighContrast);
    CHECK(flow.state.highContrast);

    flow.apply(Kind::StartAgain);
    CHECK(flow.state.textSizePercent == 200);  // still the same resident
    flow.timeOut();
    CHECK(flow.state.screen == Screen::Attract);
    CHECK(flow.state.textSizePercent == 100);
    CHECK_FALSE(flow.state.highContrast);
}

TEST_CASE("Read aloud reads now and then every new page until Stop", "[flow][speech]") {
    Flow flow;
    flow.toFirstQuestion();
    Effects effects = flow.apply(Kind::ReadAloud);
    CHECK(effects.readPageNow);
    CHECK(flow.state.speech.readAloud);
    effects = flow.apply(Kind::Back);
    CHECK(effects.pageChanged);  // the platform reads the new page because readAloud is on
    effects = flow.apply(Kind::StopReading);
    CHECK(effects.stopSpeech);
    CHECK_FALSE(flow.state.speech.readAloud);
}

TEST_CASE("Speed and volume stay within bounds and reset after the session", "[flow][speech]") {
    Flow flow;
    flow.toFirstQuestion();
    CHECK(flow.apply(Kind::ToggleSlowSpeech).speechSettingsChanged);
    CHECK(flow.state.speech.slow);
    for (int i = 0; i < 20; ++i) flow.apply(Kind::VolumeUp);
    CHECK(flow.state.speech.volumePercent == 200);
    for (int i = 0; i < 20; ++i) flow.apply(Kind::VolumeDown);
    CHECK(flow.state.speech.volumePercent == 25);  // never silent by accident
    flow.apply(Kind::ToggleSpeakKeys);
    CHECK(flow.state.speech.speakKeys);

    flow.apply(Kind::StartAgain);
    flow.apply(Kind::ChooseService, "missed-bin");
    flow.apply(Kind::StartForm);
    const Effects effects = flow.timeOut();
    CHECK(effects.sessionEnded);
    CHECK_FALSE(flow.state.speech.slow);
    CHECK(flow.state.speech.volumePercent == 100);
    CHECK_FALSE(flow.state.speech.speakKeys);
    CHECK_FALSE(flow.state.speech.readAloud);
}

TEST_CASE("Continue with a problem reports the errors so they can be read out", "[flow][speech]") {
    Flow flow;
    flow.toFirstQuestion();
    const Effects effects = flow.apply(Kind::Continue);  // no postcode
    CHECK(effects.errorsShown);
    CHECK_FALSE(effects.pageChanged);
    flow.edit("postcode", "me14 4aa");
    CHECK_FALSE(flow.apply(Kind::Continue).errorsShown);
}

TEST_CASE("The warning appearing is reported once so it can be read out", "[flow][speech][timeout]") {
    Flow flow;
    flow.toFirstQuestion();
    CHECK(flow.tickAt(flow.now + kInactivity).warningShown);
    CHECK_FALSE(flow.tickAt(flow.now + 1000).warningShown);
}

TEST_CASE("Keyboard choices: shift is one-shot, the rest stay until the session ends", "[flow][keyboard]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.apply(Kind::ToggleKeyboardShift);
    CHECK(flow.state.keyboard.shift);
    flow.apply(Kind::KeyboardTyped);
    CHECK_FALSE(flow.state.keyboard.shift);
    flow.apply(Kind::ToggleKeyboardOrder);
    flow.apply(Kind::ToggleKeyboardAccents);
    flow.apply(Kind::ToggleKeyboardNumbers);
    CHECK(flow.state.keyboard.alphabetical);
    CHECK(flow.state.keyboard.accents);
    CHECK(flow.state.keyboard.numbers);
    flow.apply(Kind::StartAgain);
    CHECK(flow.state.keyboard.alphabetical);
    flow.timeOut();
    CHECK_FALSE(flow.state.keyboard.alphabetical);
    CHECK_FALSE(flow.state.keyboard.accents);
    CHECK_FALSE(flow.state.keyboard.numbers);
}

TEST_CASE("The admin switch turns the time limit off and on while a session runs", "[flow][timeout]") {
    Flow flow;
    flow.toFirstQuestion();
    flow.apply(Kind::SetTimeLimit, "0");
    flow.tickAt(flow.now + 10 * kInactivity);
    CHECK_FALSE(flow.state.timeoutWarning);
    CHECK(flow.state.screen == Screen::Question);
    flow.apply(Kind::SetTimeLimit, "1");
    CHECK_FALSE(flow.tickAt(flow.now + kInactivity - 1).warningShown);
    CHECK(flow.tickAt(flow.now + 1).warningShown);  // a whole quiet time after the switch, not at once
}
