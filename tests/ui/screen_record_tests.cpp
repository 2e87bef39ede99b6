// Screens drawn through Dear ImGui without a renderer: each frame's FrameRecord is checked for
// what a resident must see and for touch target sizes (15 mm minimum, DESIGN.md section 3).
// Pixels are checked by the headless runner's screenshots (tests/e2e); this checks the layout.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <imgui.h>
#include <imgui_internal.h>

#include "kiosk/kiosk_flow.h"
#include "kiosk/platform/fonts.h"
#include "kiosk/ui/kiosk_ui.h"

using namespace kiosk;
using Kind = Intent::Kind;

namespace {

constexpr std::int64_t kNow = 1'767'225'600'000;

struct ScreenHarness {
    ContentPack pack;
    KioskState state;
    ui::FrameRecord record;
    ui::UiContext ui;
    std::int64_t now = kNow;

    ScreenHarness() {
        PackLoadResult loaded = loadContentPack(std::string(KIOSK_SOURCE_DIR) + "/assets/packs/sample-district");
        REQUIRE(loaded.pack.has_value());
        pack = std::move(*loaded.pack);
        state.pack = &pack;

        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        ui.pixelsPerMm = 96.0f / 25.4f;
        ui.screenWidth = 1920;
        ui.screenHeight = 1080;
        ui.record = &record;
        std::string error;
        REQUIRE(platform::loadKioskFonts(platform::kDefaultFontDirectory, ui.pixelsPerMm, ui.fonts, error));
        unsigned char* pixels = nullptr;
        int width = 0, height = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);  // builds the atlas; nothing is uploaded
        io.DisplaySize = ImVec2(ui.screenWidth, ui.screenHeight);
        io.DeltaTime = 1.0f / 60.0f;
        ui::applyKioskTheme(false, ui);
    }
    ~ScreenHarness() { ImGui::DestroyContext(); }
    ScreenHarness(const ScreenHarness&) = delete;

    // Two frames: the first lays windows out, the second is what a resident sees.
    std::vector<Intent> draw() {
        std::vector<Intent> intents;
        for (int frame = 0; frame < 2; ++frame) {
            intents.clear();
            ImGui::NewFrame();
            record.clear();
            ui::drawKioskFrame(state, ui, intents);
            ImGui::Render();
        }
        return intents;
    }

    void apply(Kind kind, std::string value = {}) { reduce(state, Intent::of(kind, std::move(value)), now); }

    // Every control a finger can reach is at least 15 mm in both directions.
    void checkTargets() {
        const float minimum = ui.mm(15) - 0.5f;
        int tappable = 0;
        for (const auto& item : record.items) {
            if (!item.tappable) continue;
            ++tappable;
            INFO(screenName(state.screen) << ": \"" << item.label << "\" " << item.width << "x" << item.height);
            CHECK(item.height >= minimum);
            CHECK(item.width >= minimum);
        }
        CHECK(tappable > 0);
    }
};

}  // namespace

TEST_CASE("Every screen of a journey shows its words and has large targets", "[screens]") {
    ScreenHarness harness;
    auto& record = harness.record;

    harness.draw();
    CHECK(harness.state.screen == Screen::Attract);
    CHECK(record.findTappable("Touch the screen to start") != nullptr);
    harness.checkTargets();

    harness.apply(Kind::Begin);
    harness.draw();
    CHECK(record.containsText("Choose your language"));
    CHECK(record.findTappable("English") != nullptr);
    harness.checkTargets();

    harness.apply(Kind::ChooseLanguage, "en");
    harness.draw();
    CHECK(record.containsText("What do you need help with?"));
    CHECK(record.findTappable("Search") != nullptr);
    CHECK(record.findTappable("Report a missed bin collection") != nullptr);
    CHECK(record.findTappable("Language") != nullptr);
    CHECK(record.findTappable("Start again") == nullptr);  // nothing to start again yet
    harness.checkTargets();

    harness.apply(Kind::ChooseService, "missed-bin");
    harness.draw();
    CHECK(record.findTappable("Start now") != nullptr);
    CHECK(record.findTappable("Start again") != nullptr);
    harness.checkTargets();

    harness.apply(Kind::StartForm);
    harness.apply(Kind::Continue);  // nothing typed
    harness.draw();
    CHECK(record.containsText("There is a problem"));
    CHECK(record.containsText("Question 1 of"));
    CHECK(record.findTappable("Find address") != nullptr);
    CHECK(record.findTappable("I cannot find my address") != nullptr);
    CHECK(record.findTappable("Next") == nullptr);
    harness.checkTargets();

    harness.apply(Kind::ChooseManualAddress);
    harness.draw();
    CHECK(record.findTappable("Address line 1") != nullptr);
    CHECK(record.findTappable("Town or city") != nullptr);
    CHECK(record.findTappable("Continue") != nullptr);
    harness.checkTargets();
}

TEST_CASE("What was typed is still in the box after a failed Continue", "[screens]") {
    ScreenHarness harness;
    harness.apply(Kind::Begin);
    harness.apply(Kind::ChooseLanguage, "en");
    harness.apply(Kind::ChooseService, "missed-bin");
    harness.apply(Kind::StartForm);
    reduce(harness.state, Intent::edit("postcode", "ME99 9ZZ"), harness.now);
    harness.apply(Kind::Continue);
    harness.draw();
    REQUIRE_FALSE(harness.state.form->errors().empty());
    CHECK(harness.state.form->draft().address.postcode == "ME99 9ZZ");
    CHECK(harness.record.containsText("There is a problem"));
    // The first error shows twice: in the summary (a link) and beside the field.
    const std::string message = harness.state.form->errors().front().message;
    int shown = 0;
    for (const auto& item : harness.record.items)
        if (item.label == message) ++shown;
    CHECK(shown == 2);
}

TEST_CASE("The timeout warning offers one large button with the countdown", "[screens]") {
    ScreenHarness harness;
    harness.apply(Kind::Begin);
    harness.now += 120'000;
    harness.apply(Kind::Tick);
    REQUIRE(harness.state.timeoutWarning);
    const auto intents = harness.draw();
    CHECK(intents.empty());
    CHECK(harness.record.containsText("Do you need more time?"));
    CHECK(harness.record.containsText("Your answers will be cleared in 30 seconds."));
    const auto* button = harness.record.findTappable("I need more time");
    REQUIRE(button != nullptr);
    CHECK(button->height >= harness.ui.mm(15));
}

TEST_CASE("The confirmation shows the reference and what happens next", "[screens]") {
    ScreenHarness harness;
    harness.state.screen = Screen::Confirmation;
    harness.state.confirmedServiceId = "missed-bin";
    harness.state.reference = "SD1-0A4G-7RX";
    harness.draw();
    CHECK(harness.record.containsText("Your reference number"));
    CHECK(harness.record.containsText("SD1-0A4G-7RX"));
    CHECK(harness.record.containsText("What happens next"));
    // Finish may sit below the fold on a 1080-line panel: scrolled to the end, it can be tapped.
    ImGui::SetScrollY(ImGui::FindWindowByName("content"), 100000.0f);
    harness.draw();
    CHECK(harness.record.findTappable("Finish") != nullptr);
    harness.checkTargets();
}

TEST_CASE("Out of order reads well even without a pack", "[screens]") {
    ScreenHarness harness;
    harness.state.pack = nullptr;
    harness.state.screen = Screen::OutOfOrder;
    const auto intents = harness.draw();
    CHECK(intents.empty());
    CHECK(harness.record.containsText("This kiosk is not working right now"));
    CHECK(harness.record.containsText("Ask a member of staff for help."));
}
