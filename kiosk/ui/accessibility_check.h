// Accessibility checks on one rendered frame, against the numbers in DESIGN.md section 3:
//   - text contrast 4.5:1 (7:1 in high contrast), measured between the colour the text was drawn
//     in and the background actually rendered under it (the commonest pixel in its box), and the
//     text colour must really be on screen there;
//   - control boundaries 3:1 against the pixels just outside the control;
//   - every tappable target at least 15 mm in both directions, none overlapping another, with
//     at least 1 mm between neighbours;
//   - no text cut off by the edge of its window or the screen, and no text overlapping other text
//     or a control it does not belong to.
// Works from the FrameRecord and the frame's pixels only, so it runs on every screen the headless
// runner shows, and a test can feed it a deliberately broken frame.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "kiosk/ui/frame_record.h"

namespace kiosk::ui {

// What was on screen: RGB bytes, row by row.
struct FramePixels {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb;
};

struct AccessibilityRules {
    float pixelsPerMm = 3.78f;
    bool highContrast = false;  // 7:1 for text instead of 4.5:1
    float minimumTargetMm = 15.0f;
    float minimumGapMm = 1.0f;
    // Items before this index are covered (by the timeout warning) and cannot be seen or tapped.
    std::size_t firstItem = 0;
};

struct AccessibilityProblem {
    std::string label;  // the item, as the resident sees it
    std::string what;   // "contrast 3.1:1, needs 4.5:1"
};

// WCAG 2.x relative luminance contrast ratio of two sRGB colours (0xRRGGBB).
double contrastRatio(std::uint32_t rgbA, std::uint32_t rgbB);

std::vector<AccessibilityProblem> checkAccessibility(const FrameRecord& record, const FramePixels& pixels,
                                                     const AccessibilityRules& rules);

}  // namespace kiosk::ui
