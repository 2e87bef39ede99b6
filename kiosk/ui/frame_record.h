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
    enum class Kind { Text, Button, Link, Choice, TextInput, Tile, Key };
    // What the text is for, so read-aloud can say a page in order and skip the chrome.
    enum class Role { Body, Heading, Hint, Error, Reference, Chrome };
    Kind kind = Kind::Text;
    Role role = Role::Body;
    std::string label;  // visible text, UTF-8
    std::string value;  // Key: what the key types or does ("a", "backspace", "shift", "done")
    float x = 0, y = 0, width = 0, height = 0;  // screen pixels
    bool tappable = false;
    // For the accessibility checks: the colours the item was drawn in (0 when not applicable)
    // and the extent of its own text, which must fit inside the item.
    unsigned textColour = 0;        // ImU32, as drawn
    unsigned backgroundColour = 0;  // what the text and the control sit on
    unsigned boundaryColour = 0;    // the control's visible edge (border or fill); 0: text only
    float textWidth = 0, textHeight = 0;
    // The part of the screen its window shows (the item may be scrolled partly out of it).
    float clipX0 = 0, clipY0 = 0, clipX1 = 0, clipY1 = 0;
};

struct FrameRecord {
    std::vector<RecordedItem> items;

    void clear() { items.clear(); }
    void add(RecordedItem item) { items.push_back(std::move(item)); }

    // The control a script or test means by `label`: an exact label first, then a label that
    // begins with it as a whole part ("1 Acorn Way" for "1 Acorn Way, Oakhurst", never for
    // "11 Acorn Way"), then one that contains it; the first drawn wins a tie. Controls scrolled
    // out of sight are found too unless tappableOnly. nullptr when none matches.
    const RecordedItem* findControl(const std::string& label, bool tappableOnly) const {
        const RecordedItem* best = nullptr;
        int bestRank = 0;
        for (const auto& item : items) {
            if (item.kind == RecordedItem::Kind::Text || (tappableOnly && !item.tappable)) continue;
            const int rank = matchRank(item.label, label);
            if (rank > bestRank) {
                best = &item;
                bestRank = rank;
            }
        }
        return best;
    }

    const RecordedItem* findTappable(const std::string& label) const { return findControl(label, true); }

    bool containsText(const std::string& text) const {
        for (const auto& item : items)
            if (item.label.find(text) != std::string::npos) return true;
        return false;
    }

private:
    static int matchRank(const std::string& itemLabel, const std::string& wanted) {
        if (wanted.empty()) return 0;
        if (itemLabel == wanted) return 3;
        if (itemLabel.rfind(wanted, 0) == 0) {
            const char next = itemLabel[wanted.size()];
            if (next == ',' || next == '\n' || next == ' ') return 2;
        }
        return itemLabel.find(wanted) != std::string::npos ? 1 : 0;
    }
};

}  // namespace kiosk::ui
