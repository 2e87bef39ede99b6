// See accessibility_check.h. Colours in the record are ImU32 (0xAABBGGRR); pixels are RGB bytes.
#include "kiosk/ui/accessibility_check.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

namespace kiosk::ui {
namespace {

std::uint32_t rgbFromImU32(unsigned colour) {
    const unsigned r = colour & 0xFF, g = (colour >> 8) & 0xFF, b = (colour >> 16) & 0xFF;
    return (r << 16) | (g << 8) | b;
}

double channel(unsigned value) {
    const double c = value / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(std::uint32_t rgb) {
    return 0.2126 * channel((rgb >> 16) & 0xFF) + 0.7152 * channel((rgb >> 8) & 0xFF) +
           0.0722 * channel(rgb & 0xFF);
}

std::string ratioText(double ratio) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f:1", ratio);
    return text;
}

struct Box {
    float x0, y0, x1, y1;
    bool empty() const { return x1 <= x0 || y1 <= y0; }
    float area() const { return empty() ? 0.0f : (x1 - x0) * (y1 - y0); }
};

Box intersect(const Box& a, const Box& b) {
    return {std::max(a.x0, b.x0), std::max(a.y0, b.y0), std::min(a.x1, b.x1), std::min(a.y1, b.y1)};
}

Box boxOf(const RecordedItem& item) {
    return {item.x, item.y, item.x + item.width, item.y + item.height};
}

// The part of the item its window shows, within the screen.
Box visibleBox(const RecordedItem& item, const FramePixels& pixels) {
    Box box =
        intersect(boxOf(item), {0, 0, static_cast<float>(pixels.width), static_cast<float>(pixels.height)});
    if (item.clipX1 > item.clipX0) box = intersect(box, {item.clipX0, item.clipY0, item.clipX1, item.clipY1});
    return box;
}

bool contains(const Box& outer, const Box& inner, float slack) {
    return inner.x0 >= outer.x0 - slack && inner.y0 >= outer.y0 - slack && inner.x1 <= outer.x1 + slack &&
           inner.y1 <= outer.y1 + slack;
}

std::uint32_t pixelAt(const FramePixels& pixels, int x, int y) {
    const std::size_t at = (static_cast<std::size_t>(y) * pixels.width + x) * 3;
    return (std::uint32_t{pixels.rgb[at]} << 16) | (std::uint32_t{pixels.rgb[at + 1]} << 8) |
           pixels.rgb[at + 2];
}

// The colour counted most often; `none` when nothing was counted.
std::uint32_t mostFrequent(const std::unordered_map<std::uint32_t, int>& counts, std::uint32_t none) {
    std::uint32_t best = none;
    int bestCount = -1;
    for (const auto& [colour, count] : counts)
        if (count > bestCount) {
            best = colour;
            bestCount = count;
        }
    return best;
}

// The commonest colour among the pixels of `box` (text is thin, so this is what it sits on).
std::uint32_t commonestColour(const FramePixels& pixels, const Box& box) {
    std::unordered_map<std::uint32_t, int> counts;
    const int x0 = std::max(0, static_cast<int>(box.x0)),
              x1 = std::min(pixels.width, static_cast<int>(box.x1));
    const int y0 = std::max(0, static_cast<int>(box.y0)),
              y1 = std::min(pixels.height, static_cast<int>(box.y1));
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) ++counts[pixelAt(pixels, x, y)];
    return mostFrequent(counts, 0);
}

// The commonest colour in a ring `width` pixels wide just outside `box`.
std::uint32_t colourAround(const FramePixels& pixels, const Box& box, int gap, int width) {
    std::unordered_map<std::uint32_t, int> counts;
    const auto add = [&](int x, int y) {
        if (x >= 0 && y >= 0 && x < pixels.width && y < pixels.height) ++counts[pixelAt(pixels, x, y)];
    };
    const int x0 = static_cast<int>(box.x0) - gap, x1 = static_cast<int>(box.x1) + gap;
    const int y0 = static_cast<int>(box.y0) - gap, y1 = static_cast<int>(box.y1) + gap;
    for (int w = 1; w <= width; ++w) {
        for (int x = x0 - w; x <= x1 + w; ++x) {
            add(x, y0 - w);
            add(x, y1 + w);
        }
        for (int y = y0 - w; y <= y1 + w; ++y) {
            add(x0 - w, y);
            add(x1 + w, y);
        }
    }
    return mostFrequent(counts, 0xFFFFFF);
}

// True when a pixel close to `colour` is drawn inside the box: the text really is there in the
// colour the widget says (anti-aliasing leaves the stems' centres at full colour).
bool colourPresent(const FramePixels& pixels, const Box& box, std::uint32_t colour) {
    const int x0 = std::max(0, static_cast<int>(box.x0)),
              x1 = std::min(pixels.width, static_cast<int>(box.x1));
    const int y0 = std::max(0, static_cast<int>(box.y0)),
              y1 = std::min(pixels.height, static_cast<int>(box.y1));
    const auto near = [](std::uint32_t a, std::uint32_t b) {
        for (int shift : {0, 8, 16})
            if (std::abs(static_cast<int>((a >> shift) & 0xFF) - static_cast<int>((b >> shift) & 0xFF)) > 24)
                return false;
        return true;
    };
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x)
            if (near(pixelAt(pixels, x, y), colour)) return true;
    return false;
}

bool isControl(const RecordedItem& item) {
    return item.kind != RecordedItem::Kind::Text && item.tappable;
}

}  // namespace

double contrastRatio(std::uint32_t rgbA, std::uint32_t rgbB) {
    const double a = luminance(rgbA), b = luminance(rgbB);
    return (std::max(a, b) + 0.05) / (std::min(a, b) + 0.05);
}

std::vector<AccessibilityProblem> checkAccessibility(const FrameRecord& record, const FramePixels& pixels,
                                                     const AccessibilityRules& rules) {
    std::vector<AccessibilityProblem> problems;
    const auto report = [&problems](const RecordedItem& item, std::string what) {
        problems.push_back({item.label, std::move(what)});
    };
    const double textNeeds = rules.highContrast ? 7.0 : 4.5;
    const float minimumTarget = rules.minimumTargetMm * rules.pixelsPerMm - 0.5f;
    const float minimumGap = rules.minimumGapMm * rules.pixelsPerMm - 0.5f;

    std::vector<const RecordedItem*> items;
    for (std::size_t i = std::min(rules.firstItem, record.items.size()); i < record.items.size(); ++i) {
        const RecordedItem& item = record.items[i];
        // Scrolled out of sight (above or below) is not a problem: the resident scrolls to it.
        // Nothing scrolls sideways, so an item pushed off the side stays in and is reported.
        const float clipTop = std::max(0.0f, item.clipX1 > item.clipX0 ? item.clipY0 : 0.0f);
        const float clipBottom =
            std::min(static_cast<float>(pixels.height), item.clipX1 > item.clipX0 ? item.clipY1 : 1e9f);
        if (std::min(item.y + item.height, clipBottom) - std::max(item.y, clipTop) < 2.0f) continue;
        items.push_back(&item);
    }

    for (const RecordedItem* item : items) {
        const Box visible = visibleBox(*item, pixels);
        // An item mostly scrolled out of sight is judged on the screens where it is in view.
        const bool inView = visible.area() >= 0.6f * boxOf(*item).area();
        // Contrast of text, against what is really under it.
        if (inView && item->textColour != 0 && item->textWidth > 0 && !item->label.empty()) {
            Box textBox = boxOf(*item);
            if (item->kind != RecordedItem::Kind::Text) {  // the label sits centred-ish in the control
                textBox = visible;
            }
            textBox = intersect(textBox, visible);
            const std::uint32_t ink = rgbFromImU32(item->textColour);
            const std::uint32_t background = commonestColour(pixels, textBox);
            const double ratio = contrastRatio(ink, background);
            if (ratio < textNeeds)
                report(*item, "text contrast " + ratioText(ratio) + " against the background, needs " +
                                  ratioText(textNeeds));
            else if (textBox.area() >= 16 && !colourPresent(pixels, textBox, ink))
                report(*item, "text is not drawn in the colour it was given (covered or missing)");
        }
        // Control boundaries.
        if (inView && item->tappable && item->boundaryColour != 0) {
            const std::uint32_t boundary = rgbFromImU32(item->boundaryColour);
            const std::uint32_t around = colourAround(pixels, boxOf(*item), 2, 3);
            const std::uint32_t face = rgbFromImU32(item->backgroundColour);
            // The edge, or the face itself when it is a filled button, must stand out 3:1.
            const double ratio = std::max(contrastRatio(boundary, around),
                                          item->backgroundColour ? contrastRatio(face, around) : 0.0);
            if (ratio < 3.0)
                report(*item, "control boundary contrast " + ratioText(ratio) + ", needs 3.00:1");
        }
        // Target size.
        if (item->tappable && (item->width < minimumTarget || item->height < minimumTarget)) {
            char text[96];
            std::snprintf(text, sizeof text, "target %.1f x %.1f mm, needs %.0f mm both ways",
                          item->width / rules.pixelsPerMm, item->height / rules.pixelsPerMm,
                          rules.minimumTargetMm);
            report(*item, text);
        }
        // Text fits: inside its control, and not cut by the side of its window or the screen.
        if (item->kind != RecordedItem::Kind::Text && item->textWidth > 0 &&
            (item->textWidth > item->width + 1.0f || item->textHeight > item->height + 1.0f))
            report(*item, "label does not fit inside the control");
        const float right =
            item->x + std::max(item->width, item->kind == RecordedItem::Kind::Text ? item->textWidth : 0.0f);
        if ((item->textWidth > 0 || item->tappable) &&
            (item->x < std::max(0.0f, item->clipX1 > item->clipX0 ? item->clipX0 : 0.0f) - 1.0f ||
             right > std::min(static_cast<float>(pixels.width),
                              item->clipX1 > item->clipX0 ? item->clipX1 : 1e9f) +
                         1.0f))
            report(*item, "text is cut off at the side");
    }

    // Pairs: targets apart, text not on top of other things.
    for (std::size_t i = 0; i < items.size(); ++i) {
        for (std::size_t j = i + 1; j < items.size(); ++j) {
            const RecordedItem& a = *items[i];
            const RecordedItem& b = *items[j];
            const Box va = visibleBox(a, pixels), vb = visibleBox(b, pixels);
            if (isControl(a) && isControl(b)) {
                const float gapX = std::max(vb.x0 - va.x1, va.x0 - vb.x1);
                const float gapY = std::max(vb.y0 - va.y1, va.y0 - vb.y1);
                const float gap = std::max(gapX, gapY);
                if (gap < minimumGap)
                    report(a, gap < 0 ? "target overlaps \"" + b.label + "\""
                                      : "target too close to \"" + b.label + "\" (needs 1 mm between)");
                continue;
            }
            if (intersect(va, vb).area() <= 4.0f) continue;
            // Text inside the control it labels, or a control's parts, are meant to overlap.
            // (A control scrolled half out of sight is no longer tappable, but its text is still its own.)
            const bool aHolds = a.kind != RecordedItem::Kind::Text && contains(va, vb, 1.0f);
            const bool bHolds = b.kind != RecordedItem::Kind::Text && contains(vb, va, 1.0f);
            if (aHolds || bHolds) continue;
            if (a.kind == RecordedItem::Kind::Text || b.kind == RecordedItem::Kind::Text) {
                const bool aIsText = a.kind == RecordedItem::Kind::Text;
                const Box& text = aIsText ? va : vb;
                const Box& other = aIsText ? vb : va;
                char where[128];
                std::snprintf(where, sizeof where, " (text %.0f,%.0f-%.0f,%.0f; other %.0f,%.0f-%.0f,%.0f)",
                              text.x0, text.y0, text.x1, text.y1, other.x0, other.y0, other.x1, other.y1);
                report(aIsText ? a : b, "text overlaps \"" + (aIsText ? b.label : a.label) + "\"" + where);
            }
        }
    }
    return problems;
}

}  // namespace kiosk::ui
