// The on-screen keyboard drawn through Dear ImGui without a renderer, checked through its
// FrameRecord: key sizes and gaps in millimetres (DESIGN.md section 3), everything on screen at
// 1920x1080 and 1280x800, labels that fit at 100 % and 200 % text, contrast in both palettes,
// and the keys and values the layout asked for.
#include <imgui.h>
#include <imgui_internal.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "kiosk/keyboard_layout.h"
#include "kiosk/platform/fonts.h"
#include "kiosk/ui/kiosk_ui.h"
#include "kiosk/ui/onscreen_keyboard.h"
#include "kiosk/ui/widgets.h"

using namespace kiosk;
using ui::RecordedItem;

namespace {

constexpr float kPixelsPerMm = 92.6f / 25.4f;  // a 24" 1920x1080 panel

using Catalogue = std::map<std::string, std::string>;

const Catalogue kEnglish = {
    {"keyboard.done", "Done"},
    {"keyboard.space", "Space"},
    {"keyboard.shift", "Shift"},
    {"keyboard.delete", "Delete"},
    {"keyboard.letters", "ABC"},
    {"keyboard.numbers", "123"},
    {"keyboard.layout-abc", "A to Z"},
    {"keyboard.layout-qwerty", "QWERTY"},
    {"keyboard.accents", "Special letters"},
};
const Catalogue kPolish = {
    {"keyboard.done", "Gotowe"},
    {"keyboard.space", "Spacja"},
    {"keyboard.shift", "Shift"},
    {"keyboard.delete", "Usuń"},
    {"keyboard.letters", "ABC"},
    {"keyboard.numbers", "123"},
    {"keyboard.layout-abc", "Od A do Z"},
    {"keyboard.layout-qwerty", "QWERTY"},
    {"keyboard.accents", "Polskie litery"},
};
const Catalogue kRomanian = {
    {"keyboard.done", "Gata"},
    {"keyboard.space", "Spa\u021Biu"},
    {"keyboard.shift", "Majuscul\u0103"},
    {"keyboard.delete", "\u0218terge"},
    {"keyboard.letters", "ABC"},
    {"keyboard.numbers", "123"},
    {"keyboard.layout-abc", "De la A la Z"},
    {"keyboard.layout-qwerty", "QWERTY"},
    {"keyboard.accents", "Litere speciale"},
};
// Far longer than any real translation, so rows must give up width, wrap and finally break.
const Catalogue kLongWords = {
    {"keyboard.done", "Finished typing"},
    {"keyboard.space", "Space between words"},
    {"keyboard.shift", "Capital letter"},
    {"keyboard.delete", "Delete the last letter"},
    {"keyboard.letters", "Back to letters"},
    {"keyboard.numbers", "Numbers and symbols"},
    {"keyboard.layout-abc", "Letters in alphabetical order"},
    {"keyboard.layout-qwerty", "Letters in keyboard order"},
    {"keyboard.accents", "Special letters with accents"},
};

ui::KeyLabelLookup lookupIn(const Catalogue& catalogue) {
    return [&catalogue](const char* key) {
        const auto found = catalogue.find(key);
        return found == catalogue.end() ? std::string() : found->second;
    };
}

// WCAG 2.x contrast, written out again here so the test does not trust the code it checks.
double linear(unsigned value) {
    const double c = value / 255.0;
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
double luminance(unsigned colour) {
    return 0.2126 * linear(colour & 0xFF) + 0.7152 * linear((colour >> 8) & 0xFF) +
           0.0722 * linear((colour >> 16) & 0xFF);
}
double contrast(unsigned a, unsigned b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

struct ScreenSize {
    float width, height;
};

struct KeyboardHarness {
    ui::FrameRecord record;
    ui::UiContext ui;
    bool highContrast = false;

    // textScale 2 bakes the fonts twice as large, as the 200 % text size does, while
    // millimetres stay millimetres.
    KeyboardHarness(ScreenSize screen, float textScale, bool highContrastTheme = false)
        : highContrast(highContrastTheme) {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        ui.pixelsPerMm = kPixelsPerMm;
        ui.screenWidth = screen.width;
        ui.screenHeight = screen.height;
        ui.record = &record;
        std::string error;
        REQUIRE(platform::loadKioskFonts(platform::kDefaultFontDirectory, kPixelsPerMm * textScale, ui.fonts,
                                         error));
        unsigned char* pixels = nullptr;
        int width = 0, height = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);  // builds the atlas; nothing is uploaded
        io.DisplaySize = ImVec2(ui.screenWidth, ui.screenHeight);
        io.DeltaTime = 1.0f / 60.0f;
        ui::applyKioskTheme(highContrast, ui);
    }
    ~KeyboardHarness() {
        ImGui::DestroyContext();
        ui::usePalette(false);
    }
    KeyboardHarness(const KeyboardHarness&) = delete;

    void draw(const KeyboardLayout& layout, const ui::KeyLabelLookup& label,
              const std::string& pressed = {}) {
        ImGui::NewFrame();
        record.clear();
        ui::drawOnscreenKeyboard(ui, layout, label, pressed);
        ImGui::Render();
    }

    std::vector<RecordedItem> keys() const {
        std::vector<RecordedItem> keys;
        for (const auto& item : record.items)
            if (item.kind == RecordedItem::Kind::Key) keys.push_back(item);
        return keys;
    }

    const RecordedItem* key(const std::string& value) const {
        for (const auto& item : record.items)
            if (item.kind == RecordedItem::Kind::Key && item.value == value) return &item;
        return nullptr;
    }

    float mmOf(float pixels) const { return pixels / ui.pixelsPerMm; }

    // Every rule the drawn keyboard must keep, as sentences; empty when it keeps them all.
    std::vector<std::string> problems(const KeyboardLayout& layout, const ui::KeyLabelLookup& label) const {
        std::vector<std::string> found;
        const auto fail = [&](const RecordedItem& item, const std::string& what) {
            std::ostringstream out;
            out << "key \"" << item.label << "\" (" << item.value << ") at " << item.x << "," << item.y << " "
                << item.width << "x" << item.height << ": " << what;
            found.push_back(out.str());
        };
        const auto drawn = keys();

        // The keys and values the layout asked for, in order.
        std::vector<std::pair<std::string, std::string>> expected, actual;
        for (const auto& row : layout.rows)
            for (const auto& key : row) {
                if (key.action == KeyAction::Blank) continue;
                const std::string text =
                    key.action == KeyAction::Type ? key.label : label(key.labelKey.c_str());
                expected.emplace_back(keyValue(key), text);
            }
        for (const auto& item : drawn) actual.emplace_back(item.value, item.label);
        if (expected != actual) found.push_back("the drawn keys differ from the layout's");

        const float height = ui::keyboardHeight(ui, layout, label);
        if (height > ui.screenHeight) found.push_back("the keyboard is taller than the screen");
        const double contrastNeeded = highContrast ? 7.0 : 4.5;
        for (const auto& item : drawn) {
            if (!item.tappable) fail(item, "not tappable");
            if (item.width < ui.mm(18) - 1 || item.height < ui.mm(18) - 1) fail(item, "smaller than 18 mm");
            if (item.x < 0 || item.y < 0 || item.x + item.width > ui.screenWidth ||
                item.y + item.height > ui.screenHeight)
                fail(item, "off the screen");
            if (item.y < ui.screenHeight - height) fail(item, "above the height keyboardHeight() reported");
            if (item.textWidth <= 0 || item.textWidth > item.width - 2 * ui.mm(2))
                fail(item, "label " + std::to_string(item.textWidth) + " px wide does not fit");
            if (item.textHeight <= 0 || item.textHeight > item.height - 2 * ui.mm(1.5f))
                fail(item, "label " + std::to_string(item.textHeight) + " px tall does not fit");
            if (item.role != RecordedItem::Role::Chrome) fail(item, "not recorded as chrome");
            if (contrast(item.textColour, item.backgroundColour) < contrastNeeded)
                fail(item, "text contrast too low");
            if (item.boundaryColour == 0 || contrast(item.boundaryColour, item.backgroundColour) < 3.0)
                fail(item, "edge contrast below 3:1");
        }
        // Gaps of at least 2 mm between every two keys, so a finger between them hits neither.
        for (std::size_t a = 0; a < drawn.size(); ++a)
            for (std::size_t b = a + 1; b < drawn.size(); ++b) {
                const auto& p = drawn[a];
                const auto& q = drawn[b];
                const float dx = std::max(q.x - (p.x + p.width), p.x - (q.x + q.width));
                const float dy = std::max(q.y - (p.y + p.height), p.y - (q.y + q.height));
                if (std::max(dx, dy) < ui.mm(2) - 0.5f)
                    fail(p, "closer than 2 mm to \"" + q.label + "\" (" +
                                std::to_string(mmOf(std::max(dx, dy))) + " mm)");
            }
        return found;
    }
};

std::string joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const auto& line : lines) text += line + "\n";
    return text;
}

std::string describe(KeyboardMode mode, LetterOrder order, const std::string& language, bool shift,
                     bool numbers, bool accents) {
    std::ostringstream out;
    out << "mode " << static_cast<int>(mode) << (order == LetterOrder::Qwerty ? " qwerty " : " a-z ")
        << language << (shift ? " shift" : "") << (numbers ? " numbers" : "") << (accents ? " accents" : "");
    return out.str();
}

constexpr KeyboardMode kAllModes[] = {KeyboardMode::Text, KeyboardMode::Email, KeyboardMode::Number,
                                      KeyboardMode::Phone, KeyboardMode::Date};

void checkEveryLayout(ScreenSize screen, float textScale, bool highContrast) {
    KeyboardHarness harness(screen, textScale, highContrast);
    const std::pair<const char*, const Catalogue*> languages[] = {
        {"en", &kEnglish}, {"pl", &kPolish}, {"ro", &kRomanian}};
    int drawnLayouts = 0;
    for (auto mode : kAllModes)
        for (auto order : {LetterOrder::Qwerty, LetterOrder::Alphabetical})
            for (const auto& [language, catalogue] : languages)
                for (bool shift : {false, true})
                    for (bool numbers : {false, true})
                        for (bool accents : {false, true}) {
                            const auto layout = layoutFor(mode, order, language, shift, numbers, accents);
                            const auto label = lookupIn(*catalogue);
                            harness.draw(layout, label);
                            const auto problems = harness.problems(layout, label);
                            INFO(screen.width << "x" << screen.height << " text " << textScale * 100 << " % "
                                              << describe(mode, order, language, shift, numbers, accents));
                            INFO(joined(problems));
                            CHECK(problems.empty());
                            CHECK(harness.keys().size() >= 12);
                            ++drawnLayouts;
                        }
    CHECK(drawnLayouts == 240);
}

}  // namespace

TEST_CASE("Every layout fits a 1920x1080 screen with large keys at 100 % text", "[keyboard]") {
    checkEveryLayout({1920, 1080}, 1.0f, false);
}

TEST_CASE("Every layout fits a 1920x1080 screen at 200 % text", "[keyboard]") {
    checkEveryLayout({1920, 1080}, 2.0f, false);
}

TEST_CASE("Every layout fits a 1280x800 screen at 100 % and 200 % text", "[keyboard]") {
    checkEveryLayout({1280, 800}, 1.0f, false);
    checkEveryLayout({1280, 800}, 2.0f, false);
}

TEST_CASE("Every layout keeps 7:1 text contrast in the high-contrast palette", "[keyboard]") {
    checkEveryLayout({1920, 1080}, 1.0f, true);
}

TEST_CASE("Keys grow with the text size instead of clipping their labels", "[keyboard]") {
    const auto layout = layoutFor(KeyboardMode::Text, LetterOrder::Qwerty, "en", false, false, true);
    struct Sizes {
        float letterWidth, letterHeight, deleteWidth;
    };
    const auto measure = [&](float textScale) {
        KeyboardHarness harness({1920, 1080}, textScale);
        harness.draw(layout, lookupIn(kEnglish));
        const RecordedItem* q = harness.key("q");
        const RecordedItem* del = harness.key("delete");
        REQUIRE((q && del));
        INFO(joined(harness.problems(layout, lookupIn(kEnglish))));
        CHECK(harness.problems(layout, lookupIn(kEnglish)).empty());
        return Sizes{harness.mmOf(q->width), harness.mmOf(q->height), harness.mmOf(del->width)};
    };
    const Sizes normal = measure(1.0f);
    const Sizes large = measure(2.0f);
    // At 100 % text the millimetres set the size, not the letters: 20 mm wide where the screen
    // has room, 18 mm tall to leave room for the page.
    CHECK(normal.letterWidth == Approx(20).margin(0.3));
    CHECK(normal.letterHeight == Approx(18).margin(0.3));
    // At 200 % the letters still fit 20 mm across, but the keys grow taller, and word keys wider.
    CHECK(large.letterWidth >= normal.letterWidth);
    CHECK(large.letterHeight > normal.letterHeight * 1.2f);
    CHECK(large.deleteWidth > normal.deleteWidth * 1.5f);
}

TEST_CASE("Long labels wrap and rows break rather than leave the screen's width", "[keyboard]") {
    const auto label = lookupIn(kLongWords);
    const auto layout = layoutFor(KeyboardMode::Text, LetterOrder::Qwerty, "en", false, false, false);
    const auto lines = [](const KeyboardHarness& harness) {
        std::vector<float> tops;
        for (const auto& item : harness.keys())
            if (std::find(tops.begin(), tops.end(), item.y) == tops.end()) tops.push_back(item.y);
        return tops.size();
    };
    const float lineHeight100 = [&] {
        KeyboardHarness harness({1280, 800}, 1.0f);
        harness.draw(layout, label);
        INFO(joined(harness.problems(layout, label)));
        CHECK(harness.problems(layout, label).empty());
        CHECK(lines(harness) == layout.rows.size());  // wrapping alone is enough here
        return ui::fontOr(harness.ui.fonts.bodyBold)->FontSize;
    }();
    const RecordedItem* accents = nullptr;
    // 200 % text on a narrow panel: even wrapped, the bottom row is wider than the screen. The
    // panel is taller than a real 1280x800 one only so that the broken row still fits below.
    KeyboardHarness harness({1280, 1024}, 2.0f);
    harness.draw(layout, label);
    INFO(joined(harness.problems(layout, label)));
    CHECK(harness.problems(layout, label).empty());
    CHECK(lines(harness) > layout.rows.size());
    accents = harness.key("accents");
    REQUIRE(accents != nullptr);
    CHECK(accents->textHeight > ui::fontOr(harness.ui.fonts.bodyBold)->FontSize * 1.5f);  // wrapped
    CHECK(ui::fontOr(harness.ui.fonts.bodyBold)->FontSize > lineHeight100 * 1.8f);
}

TEST_CASE("The held key is drawn in the focus yellow and Shift shows when it is on", "[keyboard]") {
    KeyboardHarness harness({1920, 1080}, 1.0f);
    const auto layout = layoutFor(KeyboardMode::Text, LetterOrder::Qwerty, "pl", true, false, true);
    harness.draw(layout, lookupIn(kPolish), "Ł");
    const auto& p = ui::palette();
    int yellow = 0;
    for (const auto& item : harness.keys())
        if (item.backgroundColour == p.focus) {
            ++yellow;
            CHECK(item.value == "Ł");
            CHECK(item.textColour == p.focusText);
        }
    CHECK(yellow == 1);
    const RecordedItem* shift = harness.key("shift");
    REQUIRE(shift != nullptr);
    CHECK(shift->label == "Shift");
    CHECK(shift->backgroundColour == p.inputBorder);  // inverted while on
    const RecordedItem* letter = harness.key("Q");
    REQUIRE(letter != nullptr);
    CHECK(letter->backgroundColour == p.page);
    const RecordedItem* done = harness.key("done");
    REQUIRE(done != nullptr);
    CHECK(done->label == "Gotowe");
    CHECK(done->backgroundColour == p.primary);

    // Let go: the same keys are drawn again, none of them yellow.
    const std::size_t keysWhileHeld = harness.keys().size();
    harness.draw(layout, lookupIn(kPolish), "");
    CHECK(harness.keys().size() == keysWhileHeld);
    for (const auto& item : harness.keys()) CHECK(item.backgroundColour != p.focus);
}

TEST_CASE("The numeric pad keeps its columns and Done spans the pad", "[keyboard]") {
    KeyboardHarness harness({1920, 1080}, 1.0f);
    for (auto mode : {KeyboardMode::Number, KeyboardMode::Phone, KeyboardMode::Date}) {
        const auto layout = layoutFor(mode, LetterOrder::Qwerty, "en", false, false, false);
        harness.draw(layout, lookupIn(kEnglish));
        const RecordedItem* one = harness.key("1");
        const RecordedItem* three = harness.key("3");
        const RecordedItem* seven = harness.key("7");
        const RecordedItem* zero = harness.key("0");
        const RecordedItem* two = harness.key("2");
        const RecordedItem* del = harness.key("delete");
        const RecordedItem* done = harness.key("done");
        REQUIRE((one && three && seven && zero && two && del && done));
        CHECK(seven->x == Approx(one->x).margin(1));
        CHECK(zero->x == Approx(two->x).margin(1));
        CHECK(del->x + del->width == Approx(three->x + three->width).margin(1));
        CHECK(done->x + done->width == Approx(three->x + three->width).margin(1));
        // Digits on a pad are wider than letter keys: 1.5 units.
        CHECK(harness.mmOf(one->width) > 25);
        if (mode == KeyboardMode::Phone) {
            const RecordedItem* plus = harness.key("+");
            const RecordedItem* space = harness.key("space");
            REQUIRE((plus && space));
            CHECK(plus->x == Approx(one->x).margin(1));
            CHECK(space->x == Approx(one->x).margin(1));
        } else {
            CHECK(done->x == Approx(one->x).margin(1));
        }
    }
}

TEST_CASE("The keyboard stays in front and leaves the text box being edited active", "[keyboard]") {
    KeyboardHarness harness({1920, 1080}, 1.0f);
    const auto layout = layoutFor(KeyboardMode::Text, LetterOrder::Qwerty, "en", false, false, false);
    const auto label = lookupIn(kEnglish);
    std::string text = "SW1A";
    ImGuiID inputId = 0;
    // A page window that covers the whole screen, as the content window does, with a text box.
    const auto frame = [&](bool withKeyboard, bool focusBox) {
        ImGui::NewFrame();
        harness.record.clear();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(harness.ui.screenWidth, harness.ui.screenHeight));
        ImGui::Begin(ui::kContentWindowName, nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                         ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus);
        if (focusBox) ImGui::SetKeyboardFocusHere();
        ImGui::InputText("##postcode", &text);
        inputId = ImGui::GetItemID();
        ImGui::End();
        if (withKeyboard) ui::drawOnscreenKeyboard(harness.ui, layout, label, "");
        ImGui::Render();
    };
    frame(false, false);
    frame(false, true);
    frame(false, false);
    REQUIRE(inputId != 0);
    REQUIRE(ImGui::GetActiveID() == inputId);  // the resident tapped the box

    for (int i = 0; i < 3; ++i) frame(true, false);  // the keyboard appears
    CHECK(ImGui::GetActiveID() == inputId);
    CHECK(harness.key("done") != nullptr);

    // In front of the page even after something raised the page window: nothing of the page
    // may show through or over the keys.
    ImGuiWindow* keyboard = ImGui::FindWindowByName(ui::kKeyboardWindowName);
    ImGuiWindow* content = ImGui::FindWindowByName(ui::kContentWindowName);
    REQUIRE((keyboard && content));
    const auto& windows = GImGui->Windows;
    const auto at = [&](ImGuiWindow* window) {
        return std::find(windows.begin(), windows.end(), window) - windows.begin();
    };
    CHECK(at(keyboard) > at(content));
    ImGui::BringWindowToDisplayFront(content);
    REQUIRE(at(keyboard) < at(content));
    frame(true, false);
    CHECK(at(keyboard) > at(content));
    CHECK(ImGui::GetActiveID() == inputId);
    CHECK(keyboard->Pos.y ==
          Approx(harness.ui.screenHeight - ui::keyboardHeight(harness.ui, layout, label)).margin(1));
    CHECK(keyboard->Size.x == Approx(harness.ui.screenWidth));
}
