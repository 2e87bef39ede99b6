// Service tiles and the simple line icons on them, drawn with ImDrawList primitives so the
// kiosk needs no image files and the icons stay sharp at any panel DPI. Icons are drawn in a
// unit square (0..1) scaled to `size`, in one colour with round-ish strokes. Which service icons
// exist is decided in the domain layer (kiosk/icon_names.h); this file only draws them.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <iterator>

#include "kiosk/icon_names.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {
namespace {

struct Pen {
    ImDrawList* draw;
    ImVec2 origin;
    float size;
    ImU32 colour;
    float thickness;

    ImVec2 at(float x, float y) const { return ImVec2(origin.x + x * size, origin.y + y * size); }
    void line(float x1, float y1, float x2, float y2) const {
        draw->AddLine(at(x1, y1), at(x2, y2), colour, thickness);
    }
    void rect(float x1, float y1, float x2, float y2) const {
        draw->AddRect(at(x1, y1), at(x2, y2), colour, 0.0f, 0, thickness);
    }
    void filledRect(float x1, float y1, float x2, float y2) const {
        draw->AddRectFilled(at(x1, y1), at(x2, y2), colour);
    }
    void circle(float x, float y, float r) const {
        draw->AddCircle(at(x, y), r * size, colour, 32, thickness);
    }
    void dot(float x, float y, float r) const { draw->AddCircleFilled(at(x, y), r * size, colour, 20); }
    void polyline(std::initializer_list<ImVec2> unitPoints, bool closed = false) const {
        ImVec2 points[16];
        int count = 0;
        for (const ImVec2& p : unitPoints)
            if (count < 16) points[count++] = at(p.x, p.y);
        draw->AddPolyline(points, count, colour, closed ? ImDrawFlags_Closed : 0, thickness);
    }
    // 1.86 has no AddEllipse: a closed polyline through points on the ellipse.
    void ellipse(float x, float y, float rx, float ry) const {
        ImVec2 points[32];
        for (int i = 0; i < 32; ++i) {
            const float a = static_cast<float>(i) * 6.2831853f / 32.0f;
            points[i] = at(x + rx * std::cos(a), y + ry * std::sin(a));
        }
        draw->AddPolyline(points, 32, colour, ImDrawFlags_Closed, thickness);
    }
    void arc(float x, float y, float r, float fromRadians, float toRadians) const {
        draw->PathArcTo(at(x, y), r * size, fromRadians, toRadians, 24);
        draw->PathStroke(colour, 0, thickness);
    }
};

constexpr float kPi = 3.14159265f;

void wheelieBin(const Pen& pen) {
    pen.polyline({{0.22f, 0.28f}, {0.30f, 0.88f}, {0.70f, 0.88f}, {0.78f, 0.28f}}, true);
    pen.line(0.16f, 0.22f, 0.84f, 0.22f);  // lid
    pen.line(0.40f, 0.14f, 0.60f, 0.14f);  // handle
    pen.line(0.40f, 0.14f, 0.40f, 0.22f);
    pen.line(0.60f, 0.14f, 0.60f, 0.22f);
    pen.circle(0.34f, 0.90f, 0.05f);
    pen.circle(0.66f, 0.90f, 0.05f);
}

void recycling(const Pen& pen) {
    // Three chasing arrows around a circle.
    for (int i = 0; i < 3; ++i) {
        const float start = -kPi / 2 + i * 2 * kPi / 3 + 0.25f;
        const float end = start + 2 * kPi / 3 - 0.5f;
        pen.arc(0.5f, 0.52f, 0.32f, start, end);
        const ImVec2 tip(0.5f + 0.32f * std::cos(end), 0.52f + 0.32f * std::sin(end));
        const float a = end + kPi / 2;  // direction of travel
        const ImVec2 back(tip.x - 0.12f * std::cos(a), tip.y - 0.12f * std::sin(a));
        pen.polyline({{back.x + 0.08f * std::cos(a + kPi / 2), back.y + 0.08f * std::sin(a + kPi / 2)},
                      tip,
                      {back.x - 0.08f * std::cos(a + kPi / 2), back.y - 0.08f * std::sin(a + kPi / 2)}});
    }
}

void flyTipping(const Pen& pen) {
    // A tied bag and a box dumped on the ground.
    pen.polyline(
        {{0.18f, 0.86f}, {0.12f, 0.60f}, {0.22f, 0.42f}, {0.40f, 0.42f}, {0.50f, 0.60f}, {0.44f, 0.86f}},
        true);
    pen.polyline({{0.26f, 0.42f}, {0.31f, 0.32f}, {0.36f, 0.42f}});
    pen.rect(0.54f, 0.56f, 0.88f, 0.86f);
    pen.line(0.54f, 0.66f, 0.88f, 0.66f);
    pen.line(0.06f, 0.92f, 0.94f, 0.92f);
}

void bulkyWaste(const Pen& pen) {
    // A sofa.
    pen.rect(0.20f, 0.30f, 0.80f, 0.58f);
    pen.rect(0.10f, 0.50f, 0.90f, 0.74f);
    pen.rect(0.10f, 0.42f, 0.22f, 0.74f);
    pen.rect(0.78f, 0.42f, 0.90f, 0.74f);
    pen.line(0.16f, 0.74f, 0.16f, 0.84f);
    pen.line(0.84f, 0.74f, 0.84f, 0.84f);
}

void house(const Pen& pen) {
    pen.polyline({{0.10f, 0.48f}, {0.50f, 0.14f}, {0.90f, 0.48f}});
    pen.polyline({{0.20f, 0.40f}, {0.20f, 0.88f}, {0.80f, 0.88f}, {0.80f, 0.40f}});
    pen.rect(0.42f, 0.62f, 0.58f, 0.88f);
    pen.rect(0.28f, 0.50f, 0.38f, 0.60f);
    pen.rect(0.62f, 0.50f, 0.72f, 0.60f);
}

void moving(const Pen& pen) {
    // A removal van.
    pen.rect(0.06f, 0.30f, 0.60f, 0.74f);
    pen.polyline({{0.60f, 0.42f}, {0.80f, 0.42f}, {0.94f, 0.58f}, {0.94f, 0.74f}, {0.60f, 0.74f}});
    pen.line(0.66f, 0.48f, 0.78f, 0.48f);
    pen.circle(0.24f, 0.78f, 0.07f);
    pen.circle(0.76f, 0.78f, 0.07f);
}

void councilTax(const Pen& pen) {
    // A bill with a pound sign.
    pen.polyline({{0.22f, 0.10f}, {0.66f, 0.10f}, {0.80f, 0.24f}, {0.80f, 0.90f}, {0.22f, 0.90f}}, true);
    pen.arc(0.53f, 0.44f, 0.10f, kPi, 2 * kPi);
    pen.line(0.43f, 0.44f, 0.43f, 0.72f);
    pen.line(0.36f, 0.56f, 0.55f, 0.56f);
    pen.line(0.36f, 0.72f, 0.64f, 0.72f);
}

void housing(const Pen& pen) {
    // A house with a heart: help with a home.
    pen.polyline({{0.10f, 0.48f}, {0.50f, 0.14f}, {0.90f, 0.48f}});
    pen.polyline({{0.20f, 0.40f}, {0.20f, 0.88f}, {0.80f, 0.88f}, {0.80f, 0.40f}});
    pen.arc(0.42f, 0.56f, 0.08f, kPi, 2 * kPi);
    pen.arc(0.58f, 0.56f, 0.08f, kPi, 2 * kPi);
    pen.polyline({{0.34f, 0.56f}, {0.50f, 0.76f}, {0.66f, 0.56f}});
}

void pothole(const Pen& pen) {
    // A road with a hole in it.
    pen.line(0.20f, 0.10f, 0.06f, 0.90f);
    pen.line(0.80f, 0.10f, 0.94f, 0.90f);
    pen.line(0.50f, 0.12f, 0.50f, 0.24f);
    pen.line(0.50f, 0.32f, 0.50f, 0.42f);
    pen.ellipse(0.50f, 0.70f, 0.20f, 0.09f);
}

void streetLight(const Pen& pen) {
    pen.line(0.34f, 0.92f, 0.34f, 0.22f);
    pen.polyline({{0.34f, 0.22f}, {0.44f, 0.12f}, {0.66f, 0.12f}});
    pen.polyline({{0.56f, 0.12f}, {0.52f, 0.24f}, {0.80f, 0.24f}, {0.76f, 0.12f}});
    pen.line(0.60f, 0.32f, 0.58f, 0.38f);
    pen.line(0.72f, 0.32f, 0.74f, 0.38f);
    pen.line(0.22f, 0.92f, 0.46f, 0.92f);
}

void parking(const Pen& pen) {
    pen.rect(0.14f, 0.14f, 0.86f, 0.86f);
    pen.line(0.40f, 0.28f, 0.40f, 0.74f);
    pen.polyline({{0.40f, 0.28f}, {0.54f, 0.28f}});
    pen.arc(0.54f, 0.40f, 0.12f, -kPi / 2, kPi / 2);
    pen.line(0.40f, 0.52f, 0.54f, 0.52f);
}

void info(const Pen& pen) {
    pen.circle(0.5f, 0.5f, 0.40f);
    pen.dot(0.5f, 0.30f, 0.05f);
    pen.line(0.5f, 0.44f, 0.5f, 0.74f);
}

void globe(const Pen& pen) {
    pen.circle(0.5f, 0.5f, 0.44f);
    pen.ellipse(0.5f, 0.5f, 0.18f, 0.44f);
    pen.line(0.06f, 0.5f, 0.94f, 0.5f);
    pen.line(0.14f, 0.28f, 0.86f, 0.28f);
    pen.line(0.14f, 0.72f, 0.86f, 0.72f);
}

// Read aloud: a loudspeaker with two sound waves.
void speaker(const Pen& pen) {
    pen.polyline(
        {{0.10f, 0.38f}, {0.28f, 0.38f}, {0.50f, 0.18f}, {0.50f, 0.82f}, {0.28f, 0.62f}, {0.10f, 0.62f}},
        true);
    pen.arc(0.52f, 0.5f, 0.18f, -0.9f, 0.9f);
    pen.arc(0.52f, 0.5f, 0.34f, -0.9f, 0.9f);
}

void stopSquare(const Pen& pen) {
    pen.filledRect(0.22f, 0.22f, 0.78f, 0.78f);
}

// Text size: a small and a large letter A.
void letters(const Pen& pen) {
    pen.polyline({{0.04f, 0.86f}, {0.20f, 0.40f}, {0.36f, 0.86f}});
    pen.line(0.10f, 0.70f, 0.30f, 0.70f);
    pen.polyline({{0.42f, 0.86f}, {0.68f, 0.12f}, {0.94f, 0.86f}});
    pen.line(0.52f, 0.60f, 0.84f, 0.60f);
}

// High contrast: a circle half filled.
void contrast(const Pen& pen) {
    pen.circle(0.5f, 0.5f, 0.40f);
    pen.draw->PathArcTo(pen.at(0.5f, 0.5f), 0.40f * pen.size, -kPi * 0.5f, kPi * 0.5f, 24);
    pen.draw->PathFillConvex(pen.colour);
}

using IconDrawing = void (*)(const Pen&);

// One drawing per service icon, in the order of kiosk::kServiceIconNames (the names live only
// there): a name added to that list without a drawing here does not compile.
constexpr IconDrawing kServiceIconDrawings[] = {wheelieBin, recycling,   flyTipping, bulkyWaste,
                                                house,      moving,      councilTax, housing,
                                                pothole,    streetLight, parking,    info};
static_assert(std::size(kServiceIconDrawings) == kServiceIconNames.size(),
              "every service icon in kiosk/icon_names.h needs exactly one drawing here");
static_assert(std::none_of(std::begin(kServiceIconDrawings), std::end(kServiceIconDrawings),
                           [](IconDrawing drawing) { return drawing == nullptr; }));

}  // namespace

void drawIcon(ImDrawList* drawList, const std::string& name, ImVec2 topLeft, float size, ImU32 colour,
              float thickness) {
    const Pen pen{drawList, topLeft, size, colour, thickness};
    // Service icons come from the content pack; the others are the kiosk's own controls.
    if (const auto serviceIcon = serviceIconIndex(name)) {
        kServiceIconDrawings[*serviceIcon](pen);
        return;
    }
    if (name == "globe")
        globe(pen);
    else if (name == "speaker")
        speaker(pen);
    else if (name == "stop")
        stopSquare(pen);
    else if (name == "letters")
        letters(pen);
    else if (name == "contrast")
        contrast(pen);
    else
        info(pen);
}

namespace {
constexpr float kTilePaddingMm = 5;
constexpr float kTileIconMm = 18;
constexpr float kTileAccentMm = 1.2f;
}  // namespace

float serviceTileHeight(const UiContext& ui, const std::string& title, const std::string& description,
                        float width) {
    const float padding = ui.mm(kTilePaddingMm);
    const float textWidth = width - 2 * padding - ui.mm(kTileIconMm) - ui.mm(5);
    ImFont* titleFont = fontOr(ui.fonts.bodyBold);
    ImFont* bodyFont = fontOr(ui.fonts.body);
    const float titleHeight = measureText(ui, titleFont, title, textWidth).y;
    const float bodyHeight = measureText(ui, bodyFont, description, textWidth).y;
    const float textHeight = titleHeight + ui.mm(1.5f) + bodyHeight;
    return std::max(ui.mm(kTileIconMm), textHeight) + 2 * padding + ui.mm(kTileAccentMm);
}

bool serviceTile(UiContext& ui, const std::string& id, const std::string& icon, const std::string& title,
                 const std::string& description, float width, float height) {
    const Palette& p = palette();
    ImGui::PushID(id.c_str());
    const bool clicked = ImGui::InvisibleButton("##tile", ImVec2(width, height));
    const bool active = ImGui::IsItemActive();
    ImGui::PopID();
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImVec2 max = ImGui::GetItemRectMax();
    ImDrawList* draw = ImGui::GetWindowDrawList();

    const float border = std::max(2.0f, ui.mm(0.55f));
    const float accent = ui.mm(kTileAccentMm);
    draw->AddRectFilled(min, max, active ? p.focus : p.tile);
    // The edge is what marks the tile as a control, so it is drawn in the shadow grey (3:1).
    draw->AddRect(min, max, active ? p.focusText : p.secondaryShadow, 0.0f, 0, border);
    // A blue edge along the bottom marks every tile as something to press.
    draw->AddRectFilled(ImVec2(min.x, max.y - accent), max, active ? p.focusText : p.link);

    const float padding = ui.mm(kTilePaddingMm);
    const float iconSize = ui.mm(kTileIconMm);
    const ImU32 ink = active ? p.focusText : p.text;
    drawIcon(draw, icon, ImVec2(min.x + padding, min.y + padding), iconSize, active ? p.focusText : p.link,
             std::max(2.0f, ui.mm(0.8f)));

    const float textX = min.x + padding + iconSize + ui.mm(5);
    const float textWidth = max.x - padding - textX;
    ImFont* titleFont = fontOr(ui.fonts.bodyBold);
    ImFont* bodyFont = fontOr(ui.fonts.body);
    draw->PushClipRect(min, ImVec2(max.x, max.y - accent), true);
    const float titleY = min.y + padding;
    const ImVec2 titleSize =
        drawText(ui, draw, titleFont, ImVec2(textX, titleY), active ? p.focusText : p.link, title, textWidth);
    const ImVec2 bodySize = drawText(ui, draw, bodyFont, ImVec2(textX, titleY + titleSize.y + ui.mm(1.5f)),
                                     ink, description, textWidth);
    draw->PopClipRect();
    ItemLook look;
    look.text = active ? p.focusText : p.link;
    look.background = active ? p.focus : p.tile;
    look.boundary = active ? p.focusText : p.secondaryShadow;
    look.textSize = ImVec2(textX - min.x + std::max(titleSize.x, bodySize.x) + padding,
                           titleSize.y + ui.mm(1.5f) + bodySize.y + 2 * padding + accent);
    recordItem(ui, RecordedItem::Kind::Tile, title, min, max, true, look);
    ItemLook bodyLook;
    bodyLook.text = ink;
    bodyLook.background = look.background;
    bodyLook.textSize = bodySize;
    const ImVec2 bodyMin(textX, titleY + titleSize.y + ui.mm(1.5f));
    recordItem(ui, RecordedItem::Kind::Text, description, bodyMin,
               ImVec2(bodyMin.x + bodySize.x, bodyMin.y + bodySize.y), false, bodyLook);
    return clicked;
}

}  // namespace kiosk::ui
