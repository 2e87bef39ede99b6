// FrameRecord: what one frame put on screen, in words and rectangles.
// Screens record every piece of text and every tappable control as they draw it. The headless
// script runner uses it to tap a control by its label and to check that text is on screen;
// accessibility checks use it to measure target sizes. ImGui itself cannot answer "where is the
// Continue button?", so the kiosk keeps its own list.
#pragma once

#include <string>
#include <vector>

namespace kiosk::ui {

struct RecordedItem {
    enum class Kind { Text, Button, Link, Choice, TextInput, Tile };
    Kind kind = Kind::Text;
    std::string label;  // visible text, UTF-8
    float x = 0, y = 0, width = 0, height = 0;  // screen pixels
    bool tappable = false;
};

struct FrameRecord {
    std::vector<RecordedItem> items;

    void clear() { items.clear(); }
    void add(RecordedItem item) { items.push_back(std::move(item)); }

    // The first tappable item whose label equals `label` exactly, else the first whose label
    // contains it; nullptr when none.
    const RecordedItem* findTappable(const std::string& label) const {
        for (const auto& item : items)
            if (item.tappable && item.label == label) return &item;
        for (const auto& item : items)
            if (item.tappable && item.label.find(label) != std::string::npos) return &item;
        return nullptr;
    }

    bool containsText(const std::string& text) const {
        for (const auto& item : items)
            if (item.label.find(text) != std::string::npos) return true;
        return false;
    }
};

}  // namespace kiosk::ui
