// Screens drawn through Dear ImGui without a renderer: each frame's FrameRecord is checked for
// what a resident must see and for touch target sizes (15 mm minimum, DESIGN.md section 3).
// Pixels are checked by the headless runner's screenshots (tests/e2e); this checks the layout.
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cfloat>
#include <cmath>
#include <iterator>
#include <string>
#include <vector>

#include "kiosk/kiosk_flow.h"
#include "kiosk/platform/fonts.h"
#include "kiosk/platform/kiosk_app.h"
#include "kiosk/ui/kiosk_ui.h"
#include "kiosk/ui/onscreen_keyboard.h"
#include "kiosk/ui/widgets.h"

using namespace kiosk;

namespace {

constexpr std::int64_t kNow = 1'767'225'600'000;

struct ScreenHarness {
    ContentPack pack;
    KioskState state;
    ui::FrameRecord record;
    ui::UiContext ui;
    std::int64_t now = kNow;

    // textScale: the text size the fonts are baked at (1, 1.5 or 2), as the kiosk rebuilds them.
    explicit ScreenHarness(float textScale = 1.0f) {
        PackLoadResult loaded =
            loadContentPack(std::string(KIOSK_SOURCE_DIR) + "/assets/packs/sample-district");
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
        REQUIRE(platform::loadKioskFonts(platform::kDefaultFontDirectory, ui.pixelsPerMm, ui.fonts, error,
                                         textScale));
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

    void apply(const Intent& intent) { reduce(state, intent, now); }

    // Every control a finger can reach is at least 15 mm in both directions.
    void checkTargets() {
        const float minimum = ui.mm(15) - 0.5f;
        int tappable = 0;
        for (const auto& item : record.items) {
            if (!item.tappable) continue;
            ++tappable;
            INFO(screenName(state) << ": \"" << item.label << "\" " << item.width << "x" << item.height);
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
    CHECK(std::string(screenName(harness.state)) == "attract");
    CHECK(record.findTappable("Touch the screen to start") != nullptr);
    harness.checkTargets();

    harness.apply(Begin{});
    harness.draw();
    CHECK(record.containsText("Choose your language"));
    CHECK(record.findTappable("English") != nullptr);
    harness.checkTargets();

    harness.apply(ChooseLanguage{"en"});
    harness.draw();
    CHECK(record.containsText("What do you need help with?"));
    CHECK(record.findTappable("Search") != nullptr);
    CHECK(record.findTappable("Report a missed bin collection") != nullptr);
    CHECK(record.findTappable("Language") != nullptr);
    CHECK(record.findTappable("Start again") == nullptr);  // nothing to start again yet
    harness.checkTargets();

    harness.apply(resident::ChooseService{"missed-bin"});
    harness.draw();
    CHECK(record.findTappable("Start now") != nullptr);
    CHECK(record.findTappable("Start again") != nullptr);
    harness.checkTargets();

    harness.apply(resident::StartForm{});
    harness.apply(resident::Continue{});  // nothing typed
    harness.draw();
    CHECK(record.containsText("There is a problem"));
    CHECK(record.containsText("Question 1 of"));
    CHECK(record.findTappable("Find address") != nullptr);
    // Below the fold once the error summary is shown: drawn, reached by scrolling.
    CHECK(record.findControl("I cannot find my address", false) != nullptr);
    CHECK(record.findTappable("Next") == nullptr);
    harness.checkTargets();

    harness.apply(resident::ChooseManualAddress{});
    harness.draw();
    CHECK(record.findTappable("Address line 1") != nullptr);
    CHECK(record.findTappable("Town or city") != nullptr);
    CHECK(record.findTappable("Continue") != nullptr);
    harness.checkTargets();
}

TEST_CASE("What was typed is still in the box after a failed Continue", "[screens]") {
    ScreenHarness harness;
    harness.apply(Begin{});
    harness.apply(ChooseLanguage{"en"});
    harness.apply(resident::ChooseService{"missed-bin"});
    harness.apply(resident::StartForm{});
    harness.apply(resident::EditField{resident::Field::Postcode, "ME99 9ZZ"});
    harness.apply(resident::Continue{});
    harness.draw();
    REQUIRE_FALSE(harness.state.resident.form->errors().empty());
    CHECK(harness.state.resident.form->draft().address.postcode == "ME99 9ZZ");
    CHECK(harness.record.containsText("There is a problem"));
    // The first error shows twice: in the summary (a link) and beside the field.
    const std::string message = harness.state.resident.form->errors().front().message;
    int shown = 0;
    for (const auto& item : harness.record.items)
        if (item.label == message) ++shown;
    CHECK(shown == 2);
}

TEST_CASE("The timeout warning offers one large button with the countdown", "[screens]") {
    ScreenHarness harness;
    harness.apply(Begin{});
    harness.now += 120'000;
    harness.apply(Tick{});
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
    harness.state.screen = SessionScreen::InMode;
    harness.state.resident.screen = ResidentScreen::Confirmation;
    harness.state.resident.confirmedServiceId = "missed-bin";
    harness.state.resident.reference = "SD1-0A4G-7RX";
    harness.draw();
    CHECK(harness.record.containsText("Your reference number"));
    CHECK(harness.record.containsText("SD1-0A4G-7RX"));
    CHECK(harness.record.containsText("What happens next"));
    harness.checkTargets();
}

TEST_CASE("The main button stays on screen however long the page, with a cue to scroll",
          "[screens][actionbar]") {
    ScreenHarness harness;
    harness.state.screen = SessionScreen::InMode;
    harness.state.resident.screen = ResidentScreen::Confirmation;
    harness.state.resident.confirmedServiceId = "missed-bin";
    harness.state.resident.reference = "SD1-0A4G-7RX";
    // 768 lines: the confirmation page is far taller than the screen.
    harness.ui.screenHeight = 768;
    ImGui::GetIO().DisplaySize = ImVec2(harness.ui.screenWidth, harness.ui.screenHeight);
    harness.draw();

    ImGuiWindow* content = ImGui::FindWindowByName("content");
    ImGuiWindow* bar = ImGui::FindWindowByName("actionbar");
    REQUIRE(content != nullptr);
    REQUIRE(bar != nullptr);
    REQUIRE(content->ScrollMax.y > 0);  // the page does go on below
    CHECK(content->Scroll.y == 0);
    // Finish can be tapped without scrolling, inside the bar, which sits below the content.
    const auto* finish = harness.record.findTappable("Finish");
    REQUIRE(finish != nullptr);
    CHECK(finish->y >= bar->Pos.y);
    CHECK(finish->y + finish->height <= harness.ui.screenHeight);
    CHECK(content->Pos.y + content->Size.y <= bar->Pos.y + 0.5f);
    // The Finish button lines up with the reading column of the page above it.
    float columnLeft = harness.ui.screenWidth;
    for (const auto& item : harness.record.items)
        if (item.label == "What happens next") columnLeft = item.x;
    CHECK(finish->x == Approx(columnLeft).margin(1.0));
    // Only one Finish: the button moved, it was not copied.
    int finishes = 0;
    for (const auto& item : harness.record.items)
        if (item.label == "Finish") ++finishes;
    CHECK(finishes == 1);

    // More below: the cue shows, above the bar, inside the content window.
    const ui::RecordedItem* cue = nullptr;
    for (const auto& item : harness.record.items)
        if (item.label == "Scroll down for more") cue = &item;
    REQUIRE(cue != nullptr);
    CHECK_FALSE(cue->tappable);
    CHECK(cue->y + cue->height <= content->Pos.y + content->Size.y);
    CHECK(cue->y > content->Pos.y + content->Size.y * 0.75f);

    // Scrolled to the end, the cue goes and the button is still there.
    ImGui::SetScrollY(content, 100000.0f);
    harness.draw();
    CHECK_FALSE(harness.record.containsText("Scroll down for more"));
    CHECK(harness.record.findTappable("Finish") != nullptr);
    harness.checkTargets();
}

TEST_CASE("A short page has no scroll cue", "[screens][actionbar]") {
    ScreenHarness harness;
    harness.apply(Begin{});
    harness.apply(ChooseLanguage{"en"});
    harness.apply(resident::ChooseService{"missed-bin"});
    harness.apply(resident::StartForm{});
    harness.draw();
    CHECK(harness.record.findTappable("Find address") != nullptr);
    CHECK_FALSE(harness.record.containsText("Scroll down for more"));
}

namespace {

// The postcode page of the missed bin form with read-aloud on (two rows of tools at large text),
// the resident's finger on the Postcode box, and the keyboard up.
struct TypingPage {
    ScreenHarness& harness;

    explicit TypingPage(ScreenHarness& h, const char* textSize) : harness(h) {
        harness.apply(Begin{});
        harness.apply(ChooseLanguage{"en"});
        harness.apply(SetTextSize{std::stoi(textSize)});
        harness.apply(ReadAloud{});
        harness.apply(resident::ChooseService{"missed-bin"});
        harness.apply(resident::StartForm{});
        frame(kAway, false);
        frame(kAway, false);
    }

    inline static const ImVec2 kAway{-FLT_MAX, -FLT_MAX};

    void frame(ImVec2 pointer, bool down) {
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = pointer;
        io.MouseDown[0] = down;
        ImGui::NewFrame();
        harness.record.clear();
        std::vector<Intent> intents;
        ui::drawKioskFrame(harness.state, harness.ui, intents);
        ImGui::Render();
        for (const Intent& intent : intents) reduce(harness.state, intent, harness.now);
    }

    void tapPostcodeBox() {
        // At large text the box starts below the fold: the resident drags it into view first.
        if (const auto* below = harness.record.findControl("Postcode", false); below && !below->tappable) {
            ImGuiWindow* content = ImGui::FindWindowByName(ui::kContentWindowName);
            REQUIRE(content != nullptr);
            ImGui::SetScrollY(content, content->Scroll.y + (below->y - content->InnerClipRect.GetCenter().y));
            frame(kAway, false);
            frame(kAway, false);
        }
        const auto* box = harness.record.findTappable("Postcode");
        REQUIRE(box != nullptr);
        REQUIRE(box->kind == ui::RecordedItem::Kind::TextInput);
        const ImVec2 centre(box->x + box->width / 2, box->y + box->height / 2);
        frame(centre, false);
        frame(centre, true);
        frame(centre, false);
        for (int i = 0; i < 3; ++i) frame(kAway, false);  // the keyboard comes up and the page settles
    }

    // What the keyboard's Done key does (kiosk_app.cpp): the edit ends, the keyboard goes.
    void done() {
        ImGui::ClearActiveID();
        for (int i = 0; i < 3; ++i) frame(kAway, false);
    }

    const ui::RecordedItem* text(const std::string& label) const {
        for (const auto& item : harness.record.items)
            if (item.kind == ui::RecordedItem::Kind::Text && item.label == label) return &item;
        return nullptr;
    }
};

}  // namespace

TEST_CASE("Typing at 200 % text keeps the box and its label above the keyboard, Find address waits for Done",
          "[screens][keyboard][actionbar]") {
    ScreenHarness harness(2.0f);
    TypingPage page(harness, "200");
    const auto& record = harness.record;
    REQUIRE(harness.state.textSizePercent == 200);
    REQUIRE(record.findTappable("Find address") != nullptr);
    REQUIRE(record.findTappable("High contrast") != nullptr);  // on the tools bar's second row
    CHECK_FALSE(harness.ui.keyboardShown);

    page.tapPostcodeBox();
    REQUIRE(harness.ui.keyboardShown);
    CHECK(harness.ui.compactForTyping);
    // The main button and the second row of tools wait for Done; the speech tools stay.
    CHECK(record.findControl("Find address", false) == nullptr);
    CHECK(record.findControl("High contrast", false) == nullptr);
    CHECK(record.findTappable("Stop") != nullptr);
    // The box and its label show whole between the tools bar and the keyboard.
    ImGuiWindow* keyboard = ImGui::FindWindowByName(ui::kKeyboardWindowName);
    ImGuiWindow* content = ImGui::FindWindowByName(ui::kContentWindowName);
    REQUIRE((keyboard && content));
    const auto* box = record.findTappable("Postcode");
    const auto* label = page.text("Postcode");
    REQUIRE((box && label));
    CHECK(box->y + box->height <= keyboard->Pos.y);
    CHECK(content->Pos.y + content->Size.y <= keyboard->Pos.y + 0.5f);
    CHECK(label->y >= content->InnerClipRect.Min.y);
    CHECK(box->y + box->height <= content->InnerClipRect.Max.y);
    // No "Scroll down for more" fading over the little page left.
    CHECK_FALSE(record.containsText("Scroll down for more"));

    page.done();
    CHECK_FALSE(harness.ui.keyboardShown);
    CHECK_FALSE(harness.ui.compactForTyping);
    CHECK(record.findTappable("Find address") != nullptr);
    CHECK(record.findTappable("High contrast") != nullptr);
    CHECK(ImGui::FindWindowByName(ui::kKeyboardWindowName)->Active == false);
}

TEST_CASE("Typing at 100 % text keeps the main button and every tool in sight",
          "[screens][keyboard][actionbar]") {
    ScreenHarness harness;
    TypingPage page(harness, "100");
    page.tapPostcodeBox();
    REQUIRE(harness.ui.keyboardShown);
    CHECK_FALSE(harness.ui.compactForTyping);
    CHECK(harness.record.findTappable("Find address") != nullptr);
    CHECK(harness.record.findTappable("High contrast") != nullptr);
}

TEST_CASE("Text boxes grow with the text size so a year fits its box at 200 %", "[screens][date]") {
    for (const float scale : {1.0f, 2.0f}) {
        ScreenHarness harness(scale);
        harness.ui.textScale = scale;
        ImGui::NewFrame();
        harness.record.clear();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(harness.ui.screenWidth, harness.ui.screenHeight));
        ImGui::Begin(ui::kContentWindowName);
        std::vector<ui::FieldChange> changes;
        ui::dateBoxes(harness.ui, {"Day", "Month", "Year"}, DateInput{"20", "1", "2026"}, {}, changes);
        ImGui::End();
        ImGui::Render();
        const auto* year = harness.record.findControl("Year", false);
        REQUIRE(year != nullptr);
        const float boxWidth = year->width;
        const float digits = ui::measureText(harness.ui, harness.ui.fonts.body, "2026").x;
        INFO("text size " << scale << ": year box " << boxWidth << " px, \"2026\" " << digits << " px");
        // The year and the box's padding on both sides, with room to spare for the caret.
        CHECK(boxWidth >= digits + harness.ui.mm(6) + harness.ui.mm(3));
    }
}

TEST_CASE("Out of order reads well even without a pack", "[screens]") {
    ScreenHarness harness;
    harness.state.pack = nullptr;
    harness.state.screen = SessionScreen::OutOfOrder;
    const auto intents = harness.draw();
    CHECK(intents.empty());
    CHECK(harness.record.containsText("This kiosk is not working right now"));
    CHECK(harness.record.containsText("Ask a member of staff for help."));
}

TEST_CASE("The top bar shows the connection calmly, online and offline", "[screens][connection]") {
    ScreenHarness harness;
    harness.apply(Begin{});
    harness.apply(ChooseLanguage{"en"});

    // Offline is how every kiosk starts, and what headless runs (no sync) always show.
    REQUIRE_FALSE(harness.state.online);
    harness.draw();
    const auto* offline = harness.record.findControl("Working offline", false);
    CHECK(offline == nullptr);  // words, not a control: nothing to tap
    CHECK(harness.record.containsText("Working offline"));
    CHECK_FALSE(harness.record.containsText("Connected"));

    harness.state.online = true;
    harness.draw();
    CHECK(harness.record.containsText("Connected"));
    CHECK_FALSE(harness.record.containsText("Working offline"));

    // It sits in the top bar, left of the Language button, and never covers it.
    const ui::RecordedItem* words = nullptr;
    for (const auto& item : harness.record.items)
        if (item.label == "Connected") words = &item;
    REQUIRE(words != nullptr);
    const auto* language = harness.record.findTappable("Language");
    REQUIRE(language != nullptr);
    CHECK(words->y + words->height <= harness.ui.mm(24));
    CHECK(words->x + words->width < language->x);

    // Nothing is said about sync problems to the resident: no alarming words anywhere.
    for (const auto& item : harness.record.items) {
        INFO(item.label);
        CHECK(item.label.find("error") == std::string::npos);
        CHECK(item.label.find("failed") == std::string::npos);
    }

    // The dot is drawn in the top bar's draw list in a soft green when online and not at all
    // in red; offline it is a grey ring.
    auto topBarColours = [&] {
        std::vector<ImU32> colours;
        ImGuiWindow* bar = ImGui::FindWindowByName("topbar");
        REQUIRE(bar != nullptr);
        for (const ImDrawVert& vertex : bar->DrawList->VtxBuffer)
            colours.push_back(vertex.col | IM_COL32_A_MASK);
        return colours;
    };
    const ImU32 softGreen = IM_COL32(0x6C, 0xC5, 0x92, 0xFF);
    const ImU32 grey = IM_COL32(0xB1, 0xB4, 0xB6, 0xFF);
    const ImU32 govukRed = IM_COL32(0xD4, 0x35, 0x1C, 0xFF);
    auto has = [](const std::vector<ImU32>& colours, ImU32 colour) {
        return std::find(colours.begin(), colours.end(), colour) != colours.end();
    };
    auto online = topBarColours();
    CHECK(has(online, softGreen));
    CHECK_FALSE(has(online, govukRed));
    harness.state.online = false;
    harness.draw();
    auto offlineColours = topBarColours();
    CHECK(has(offlineColours, grey));
    CHECK_FALSE(has(offlineColours, softGreen));
    CHECK_FALSE(has(offlineColours, govukRed));
}

namespace {

// True when the box recorded as `label` has a red border: red vertices along its right edge,
// where neither the error message nor the group's red bar are drawn.
bool hasRedBorder(const ui::FrameRecord& record, const std::string& label) {
    const ui::RecordedItem* box = record.findControl(label, false);
    REQUIRE(box != nullptr);
    ImGuiWindow* content = ImGui::FindWindowByName("content");
    REQUIRE(content != nullptr);
    const ImU32 red = IM_COL32(0xD4, 0x35, 0x1C, 0);
    const float right = box->x + box->width;
    int found = 0;
    for (const ImDrawVert& vertex : content->DrawList->VtxBuffer) {
        if ((vertex.col & ~IM_COL32_A_MASK) != red || (vertex.col & IM_COL32_A_MASK) == 0) continue;
        if (std::abs(vertex.pos.x - right) < 4 && vertex.pos.y > box->y &&
            vertex.pos.y < box->y + box->height)
            ++found;
    }
    return found > 0;
}

}  // namespace

TEST_CASE("Date errors mark all three boxes for a wrong date, only the missing ones otherwise",
          "[screens][date]") {
    ScreenHarness harness;
    auto edit = [&](resident::Field field, const char* value) {
        harness.apply(resident::EditField{field, value});
    };
    harness.apply(Begin{});
    harness.apply(ChooseLanguage{"en"});
    harness.apply(resident::ChooseService{"missed-bin"});
    harness.apply(resident::StartForm{});
    edit(resident::Field::Postcode, "ME14 1AA");
    harness.apply(resident::Continue{});
    harness.apply(resident::ChooseAddress{"900000100001"});
    harness.apply(resident::Continue{});
    harness.apply(resident::ToggleChoice{"refuse"});
    harness.apply(resident::Continue{});
    REQUIRE(harness.state.resident.form->currentPage().id == "collection-date");

    harness.draw();
    CHECK_FALSE(hasRedBorder(harness.record, "Day"));
    CHECK_FALSE(hasRedBorder(harness.record, "Month"));
    CHECK_FALSE(hasRedBorder(harness.record, "Year"));

    SECTION("not a real date: all three") {
        edit(resident::Field::Day, "30");
        edit(resident::Field::Month, "2");
        edit(resident::Field::Year, "2024");
        harness.apply(resident::Continue{});
        harness.draw();
        CHECK(harness.record.containsText("must be a real date"));
        CHECK(hasRedBorder(harness.record, "Day"));
        CHECK(hasRedBorder(harness.record, "Month"));
        CHECK(hasRedBorder(harness.record, "Year"));
    }
    SECTION("in the future when it must be past: all three") {
        edit(resident::Field::Day, "1");
        edit(resident::Field::Month, "1");
        edit(resident::Field::Year, "2030");
        harness.apply(resident::Continue{});
        harness.draw();
        CHECK(harness.record.containsText("today or in the past"));
        CHECK(hasRedBorder(harness.record, "Day"));
        CHECK(hasRedBorder(harness.record, "Month"));
        CHECK(hasRedBorder(harness.record, "Year"));
    }
    SECTION("nothing entered: all three") {
        harness.apply(resident::Continue{});
        harness.draw();
        CHECK(hasRedBorder(harness.record, "Day"));
        CHECK(hasRedBorder(harness.record, "Month"));
        CHECK(hasRedBorder(harness.record, "Year"));
    }
    SECTION("month missing: only the month") {
        edit(resident::Field::Day, "3");
        edit(resident::Field::Year, "2025");
        harness.apply(resident::Continue{});
        harness.draw();
        CHECK(harness.record.containsText("must include a month"));
        CHECK_FALSE(hasRedBorder(harness.record, "Day"));
        CHECK(hasRedBorder(harness.record, "Month"));
        CHECK_FALSE(hasRedBorder(harness.record, "Year"));
    }
    SECTION("day and year missing: those two") {
        edit(resident::Field::Month, "3");
        harness.apply(resident::Continue{});
        harness.draw();
        CHECK(harness.record.containsText("must include a day and year"));
        CHECK(hasRedBorder(harness.record, "Day"));
        CHECK_FALSE(hasRedBorder(harness.record, "Month"));
        CHECK(hasRedBorder(harness.record, "Year"));
    }
}

namespace {

// Whether Dear ImGui's own text-editing state still holds `secret`, in UTF-8 or as ImWchar.
bool imguiStillHolds(const std::string& secret) {
    ImGuiContext& g = *ImGui::GetCurrentContext();
    const auto inChars = [&](const ImVector<char>& buffer) {
        const std::string bytes(buffer.Data ? buffer.Data : "",
                                static_cast<std::size_t>(buffer.Capacity > 0 ? buffer.Capacity : 0));
        return bytes.find(secret) != std::string::npos;
    };
    std::vector<ImWchar> wide(secret.begin(), secret.end());  // the secret is ASCII
    const ImVector<ImWchar>& textW = g.InputTextState.TextW;
    const bool inWide = textW.Data && std::search(textW.Data, textW.Data + textW.Capacity, wide.begin(),
                                                  wide.end()) != textW.Data + textW.Capacity;
    // Deleted characters live on in the undo records.
    const auto& undo = g.InputTextState.Stb.undostate.undo_char;
    const bool inUndo =
        std::search(std::begin(undo), std::end(undo), wide.begin(), wide.end()) != std::end(undo);
    return inWide || inUndo || inChars(g.InputTextState.TextA) || inChars(g.InputTextState.InitialTextA) ||
           inChars(g.ClipboardHandlerData);
}

}  // namespace

TEST_CASE("When a session ends, ImGui forgets the text that was typed", "[screens][privacy]") {
    ScreenHarness harness;
    VirtualClock clock;
    clock.setMillis(kNow);
    platform::KioskApp app;
    app.clock = &clock;
    app.state.pack = &harness.pack;
    app.state.lastActivityMillis = kNow;
    platform::dispatch(app, Intent{Begin{}});
    platform::dispatch(app, Intent{ChooseLanguage{"en"}});
    REQUIRE(std::string(screenName(app.state)) == "services");

    auto frame = [&](ImVec2 pointer, bool down) {
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = pointer;
        io.MouseDown[0] = down;
        ImGui::NewFrame();
        harness.record.clear();
        std::vector<Intent> intents;
        ui::drawKioskFrame(app.state, harness.ui, intents);
        ImGui::Render();
        for (const Intent& intent : intents) platform::dispatch(app, intent);
    };
    const ImVec2 away(-FLT_MAX, -FLT_MAX);
    frame(away, false);
    frame(away, false);
    const auto* search = harness.record.findTappable("Search");
    REQUIRE(search != nullptr);
    const ImVec2 centre(search->x + search->width / 2, search->y + search->height / 2);
    frame(centre, false);
    frame(centre, true);
    frame(centre, false);
    REQUIRE(ImGui::GetIO().WantTextInput);

    const std::string secret = "Zqxv Privet 4417";
    ImGui::GetIO().AddInputCharactersUTF8(secret.c_str());
    frame(away, false);
    frame(away, false);
    REQUIRE(app.state.resident.searchText == secret);
    // As if it had been copied: the clipboard holds it too.
    ImGui::SetClipboardText(secret.c_str());
    REQUIRE(imguiStillHolds(secret));  // without a wipe it would stay

    SECTION("Start again") {
        platform::dispatch(app, Intent{StartAgain{}});
        CHECK(app.state.resident.searchText.empty());
    }
    SECTION("the time limit runs out") {
        clock.setMillis(kNow + app.state.settings.inactivityMillis);
        platform::dispatch(app, Intent{Tick{}});
        REQUIRE(app.state.timeoutWarning);
        CHECK(imguiStillHolds(secret));  // a warning alone wipes nothing
        clock.setMillis(kNow + app.state.settings.inactivityMillis + app.state.settings.warningMillis);
        platform::dispatch(app, Intent{Tick{}});
        REQUIRE(std::string(screenName(app.state)) == "attract");
    }
    CHECK_FALSE(imguiStillHolds(secret));
    // The box let go, so the next frames neither bring the text back nor keep a box in focus.
    frame(away, false);
    frame(away, false);
    CHECK_FALSE(imguiStillHolds(secret));
    CHECK_FALSE(ImGui::GetIO().WantTextInput);
}

TEST_CASE("The admin queue says how many forms may have reached the council twice", "[screens][staff]") {
    ScreenHarness harness;
    harness.state.screen = SessionScreen::InMode;
    harness.state.mode = Mode::Staff;
    harness.state.staffMember = StaffMember{"st-1", "Ada Admin", StaffRole::Admin};
    harness.state.staff.screen = StaffScreen::AdminQueue;
    harness.state.staff.queue.delivered = 12;
    harness.draw();
    CHECK(harness.record.containsText("Forms sent"));
    CHECK_FALSE(harness.record.containsText("Possibly sent twice"));  // none: no row to worry anyone

    harness.state.staff.queue.possibleDuplicates = 3;
    harness.draw();
    CHECK(harness.record.containsText("Possibly sent twice"));
    CHECK(harness.record.containsText("3 (the council's system could not be asked"));
}
