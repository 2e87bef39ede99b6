// Charts for the admin's usage screen, drawn with ImDrawList: plain bars in the link blue on the
// page colour, values written out in full, no legends to decode.
#include <imgui.h>

#include <algorithm>

#include "kiosk/ui/widgets.h"
#include "kiosk/ui/widgets_internal.h"

namespace kiosk::ui {
namespace {

using detail::textSize;

// Axis labels and values are drawn, not recorded: the chart is recorded once, as the summary
// that read-aloud says and scripts search, and it covers them. They are the page's own text
// colour on the page, like body text.
void chartText(UiContext& ui, ImDrawList* draw, ImFont* font, ImVec2 pos, const std::string& text) {
    drawText(ui, draw, font, pos, palette().text, text);
}

std::string summaryOf(const std::string& title, const std::vector<ChartBar>& bars) {
    std::string summary = title + ":";
    for (const ChartBar& bar : bars) summary += " " + bar.label + " " + std::to_string(bar.value) + ",";
    if (!bars.empty()) summary.pop_back();
    return summary;
}

void recordSummary(UiContext& ui, const std::string& summary, ImVec2 min, ImVec2 max) {
    ItemLook look;
    look.role = RecordedItem::Role::Body;
    look.text = palette().text;
    look.background = palette().page;
    recordItem(ui, RecordedItem::Kind::Text, summary, min, max, false, look);
}

}  // namespace

void columnChart(UiContext& ui, const std::string& title, const std::vector<ChartBar>& bars, float heightMm,
                 int labelEvery) {
    subheadingText(ui, title);
    const Palette& p = palette();
    ImFont* font = fontOr(ui.fonts.body);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    const float valueHeight = textSize(ui, font, "0").y;
    const float plotHeight = ui.mm(heightMm);
    const float baseline = origin.y + valueHeight + plotHeight;
    int most = 1;
    for (const ChartBar& bar : bars) most = std::max(most, bar.value);
    const float slot = bars.empty() ? width : width / static_cast<float>(bars.size());
    const float gap = std::max(2.0f, slot * 0.2f);
    draw->AddLine(ImVec2(origin.x, baseline), ImVec2(origin.x + width, baseline), p.secondaryText,
                  std::max(1.0f, ui.mm(0.4f)));
    float labelBottom = baseline;
    for (std::size_t i = 0; i < bars.size(); ++i) {
        const ChartBar& bar = bars[i];
        const float left = origin.x + slot * static_cast<float>(i) + gap * 0.5f;
        const float right = left + slot - gap;
        const float top = baseline - plotHeight * static_cast<float>(bar.value) / static_cast<float>(most);
        if (bar.value > 0) draw->AddRectFilled(ImVec2(left, top), ImVec2(right, baseline), p.link);
        // Values only where they fit, and always for the tallest bar.
        const std::string value = std::to_string(bar.value);
        const ImVec2 valueSize = textSize(ui, font, value);
        if (bar.value > 0 && valueSize.x <= slot)
            chartText(ui, draw, font, ImVec2((left + right - valueSize.x) * 0.5f, top - valueSize.y), value);
        if (labelEvery > 0 && i % static_cast<std::size_t>(labelEvery) == 0) {
            const ImVec2 labelSize = textSize(ui, font, bar.label);
            const ImVec2 at(std::min(left, origin.x + width - labelSize.x), baseline + ui.mm(1));
            chartText(ui, draw, font, at, bar.label);
            labelBottom = std::max(labelBottom, at.y + labelSize.y);
        }
    }
    const ImVec2 end(origin.x + width, labelBottom + ui.mm(2));
    recordSummary(ui, summaryOf(title, bars), origin, end);
    ImGui::Dummy(ImVec2(width, end.y - origin.y));
    verticalSpace(ui, 4);
}

void barList(UiContext& ui, const std::string& title, const std::vector<ChartBar>& bars) {
    subheadingText(ui, title);
    const Palette& p = palette();
    ImFont* font = fontOr(ui.fonts.body);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    float labelWidth = 0;
    for (const ChartBar& bar : bars) labelWidth = std::max(labelWidth, textSize(ui, font, bar.label).x);
    labelWidth = std::min(labelWidth + ui.mm(4), width * 0.45f);
    int most = 1;
    for (const ChartBar& bar : bars) most = std::max(most, bar.value);
    const float valueRoom = textSize(ui, font, "00000").x;
    const float plotWidth = std::max(ui.mm(10), width - labelWidth - valueRoom - ui.mm(3));
    const float rowHeight = textSize(ui, font, "Ag").y + ui.mm(3);
    float y = origin.y;
    for (const ChartBar& bar : bars) {
        chartText(ui, draw, font, ImVec2(origin.x, y), bar.label);
        const float barLeft = origin.x + labelWidth;
        const float barRight = barLeft + plotWidth * static_cast<float>(bar.value) / static_cast<float>(most);
        if (bar.value > 0)
            draw->AddRectFilled(ImVec2(barLeft, y + ui.mm(0.8f)),
                                ImVec2(barRight, y + rowHeight - ui.mm(2.2f)), p.link);
        chartText(ui, draw, font, ImVec2(barRight + ui.mm(2), y), std::to_string(bar.value));
        y += rowHeight;
    }
    if (bars.empty()) {
        chartText(ui, draw, font, ImVec2(origin.x, y), "Nothing yet");
        y += rowHeight;
    }
    recordSummary(ui, summaryOf(title, bars), origin, ImVec2(origin.x + width, y));
    ImGui::Dummy(ImVec2(width, y - origin.y));
    verticalSpace(ui, 4);
}

}  // namespace kiosk::ui
