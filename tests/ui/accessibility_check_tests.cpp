// The accessibility checker must fail on what it is there to catch: each case builds a small
// frame (pixels and recorded items) that breaks one rule, and one that keeps them all.
#include <catch2/catch.hpp>

#include "kiosk/ui/accessibility_check.h"

using namespace kiosk::ui;

namespace {

constexpr float kPixelsPerMm = 4.0f;

unsigned imU32(std::uint32_t rgb) {  // 0xRRGGBB -> Dear ImGui's 0xAABBGGRR
    return 0xFF000000u | ((rgb & 0xFF) << 16) | (rgb & 0xFF00) | ((rgb >> 16) & 0xFF);
}

struct Frame {
    FramePixels pixels;
    FrameRecord record;

    Frame() {
        pixels.width = 400;
        pixels.height = 300;
        pixels.rgb.assign(static_cast<std::size_t>(pixels.width) * pixels.height * 3, 0xFF);  // white page
    }
    void fill(int x0, int y0, int x1, int y1, std::uint32_t rgb) {
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) {
                auto* p = &pixels.rgb[(static_cast<std::size_t>(y) * pixels.width + x) * 3];
                p[0] = static_cast<std::uint8_t>(rgb >> 16);
                p[1] = static_cast<std::uint8_t>(rgb >> 8);
                p[2] = static_cast<std::uint8_t>(rgb);
            }
    }
    // Text: a few solid strokes of `ink` in a box, on whatever is there.
    RecordedItem& text(const std::string& label, float x, float y, float w, float h, std::uint32_t ink) {
        for (int stroke = 0; stroke < 4; ++stroke)
            fill(static_cast<int>(x) + 4 + stroke * 10, static_cast<int>(y) + 2,
                 static_cast<int>(x) + 7 + stroke * 10, static_cast<int>(y + h) - 2, ink);
        RecordedItem item;
        item.kind = RecordedItem::Kind::Text;
        item.label = label;
        item.x = x, item.y = y, item.width = w, item.height = h;
        item.textColour = imU32(ink);
        item.textWidth = w, item.textHeight = h;
        item.clipX0 = 0, item.clipY0 = 0, item.clipX1 = 400, item.clipY1 = 300;
        record.add(item);
        return record.items.back();
    }
    RecordedItem& button(const std::string& label, float x, float y, float w, float h, std::uint32_t face,
                         std::uint32_t ink) {
        fill(static_cast<int>(x), static_cast<int>(y), static_cast<int>(x + w), static_cast<int>(y + h),
             face);
        RecordedItem& item = text(label, x, y, w, h, ink);
        item.kind = RecordedItem::Kind::Button;
        item.tappable = true;
        item.backgroundColour = imU32(face);
        item.boundaryColour = imU32(face);
        item.textWidth = w / 2;
        return item;
    }
    std::vector<AccessibilityProblem> check(bool highContrast = false) const {
        AccessibilityRules rules;
        rules.pixelsPerMm = kPixelsPerMm;
        rules.highContrast = highContrast;
        return checkAccessibility(record, pixels, rules);
    }
};

bool mentions(const std::vector<AccessibilityProblem>& problems, const std::string& label,
              const std::string& what) {
    for (const auto& problem : problems)
        if (problem.label == label && problem.what.find(what) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("WCAG contrast ratios match the published figures", "[access]") {
    CHECK(contrastRatio(0x000000, 0xFFFFFF) == Approx(21.0));
    CHECK(contrastRatio(0xFFFFFF, 0xFFFFFF) == Approx(1.0));
    CHECK(contrastRatio(0x505A5F, 0xFFFFFF) == Approx(7.0).epsilon(0.02));  // GOV.UK secondary text
    CHECK(contrastRatio(0x767676, 0xFFFFFF) == Approx(4.54).epsilon(0.01));
}

TEST_CASE("A frame that keeps every rule has no problems", "[access]") {
    Frame frame;
    frame.text("Heading", 20, 20, 200, 30, 0x0B0C0C);
    frame.button("Continue", 20, 100, 120, 80, 0x00703C, 0xFFFFFF);
    frame.button("Back", 160, 100, 80, 80, 0x0B0C0C, 0xFFFFFF);
    CHECK(frame.check().empty());
}

TEST_CASE("Pale text fails 4.5:1, and 7:1 in high contrast", "[access]") {
    Frame frame;
    frame.text("Pale hint", 20, 20, 200, 30, 0xAAAAAA);  // 2.3:1
    frame.text("Secondary", 20, 60, 200, 30, 0x6F777B);  // about 4.7:1: fine, but not for 7:1
    const auto standard = frame.check();
    CHECK(mentions(standard, "Pale hint", "text contrast"));
    CHECK_FALSE(mentions(standard, "Secondary", "text contrast"));
    CHECK(mentions(frame.check(true), "Secondary", "needs 7.00:1"));
}

TEST_CASE("Text drawn on a background other than the page is measured against what is really there",
          "[access]") {
    Frame frame;
    frame.fill(10, 10, 300, 60, 0x1D70B8);  // a blue band the widget did not mention
    frame.text("Dark on blue", 20, 20, 200, 30, 0x0B0C0C);
    CHECK(mentions(frame.check(), "Dark on blue", "text contrast"));
}

TEST_CASE("A control whose edge does not stand out 3:1 is reported", "[access]") {
    Frame frame;
    RecordedItem& faint = frame.button("Faint", 20, 100, 120, 80, 0xF3F2F1, 0x0B0C0C);
    faint.boundaryColour = imU32(0xDDDDDD);  // a pale edge around a pale face on white
    CHECK(mentions(frame.check(), "Faint", "boundary contrast"));
}

TEST_CASE("Small targets, touching targets and overlapping text are reported", "[access]") {
    Frame frame;
    frame.button("Tiny", 20, 20, 40, 40, 0x00703C, 0xFFFFFF);  // 10 mm at 4 px/mm
    frame.button("Left", 20, 100, 80, 80, 0x00703C, 0xFFFFFF);
    frame.button("Right", 101, 100, 80, 80, 0x00703C, 0xFFFFFF);  // 1 px apart
    frame.text("Caption", 200, 200, 150, 30, 0x0B0C0C);
    frame.text("Another caption", 260, 210, 120, 30, 0x0B0C0C);
    const auto problems = frame.check();
    CHECK(mentions(problems, "Tiny", "needs 15 mm"));
    CHECK(mentions(problems, "Left", "too close to \"Right\""));
    CHECK((mentions(problems, "Caption", "text overlaps") ||
           mentions(problems, "Another caption", "text overlaps")));
}

TEST_CASE("A label wider than its control, or text running off the screen, is reported", "[access]") {
    Frame frame;
    RecordedItem& squeezed = frame.button("A very long label", 20, 100, 80, 80, 0x00703C, 0xFFFFFF);
    squeezed.textWidth = 140;
    RecordedItem& wide = frame.text("Off the edge", 300, 20, 90, 30, 0x0B0C0C);
    wide.textWidth = 160;  // drawn wider than the screen has room for
    const auto problems = frame.check();
    CHECK(mentions(problems, "A very long label", "does not fit"));
    CHECK(mentions(problems, "Off the edge", "cut off"));
}
