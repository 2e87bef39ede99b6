// Read aloud: turning a FrameRecord into the words the kiosk says, in the order GOV.UK pages are
// meant to be read (problems first, the question, its hint, the content, the choices, the button).
#include "kiosk/ui/read_aloud.h"

#include <algorithm>
#include <array>
#include <numeric>
#include <set>

namespace kiosk::ui {
namespace {

using Kind = RecordedItem::Kind;
using Role = RecordedItem::Role;

enum class SpeechGroup { Errors, Headings, Hints, Body, Choices, Buttons, Silent };

// The order the groups are said in; Silent is never said.
constexpr std::array kSpokenGroups = {SpeechGroup::Errors, SpeechGroup::Headings, SpeechGroup::Hints,
                                      SpeechGroup::Body,   SpeechGroup::Choices,  SpeechGroup::Buttons};

SpeechGroup groupOf(const RecordedItem& item) {
    if (item.kind == Kind::Key || item.role == Role::Chrome) return SpeechGroup::Silent;
    // An error is said first whatever draws it: the summary draws its messages as links.
    if (item.role == Role::Error) return SpeechGroup::Errors;
    switch (item.kind) {
        case Kind::Button:
            return SpeechGroup::Buttons;
        case Kind::Choice:
        case Kind::Tile:
        case Kind::Link:
            return SpeechGroup::Choices;
        case Kind::Text:
        case Kind::TextInput:
        case Kind::Key:
            break;
    }
    switch (item.role) {
        case Role::Heading:
            return SpeechGroup::Headings;
        case Role::Hint:
            return SpeechGroup::Hints;
        case Role::Body:
        case Role::Reference:
        case Role::Error:
        case Role::Chrome:
            break;
    }
    return SpeechGroup::Body;
}

// Line breaks in wrapped labels ("1 Acorn Way,\nOakhurst") and doubled spaces would otherwise make
// the same words drawn twice look different, and espeak-ng pauses oddly on them.
std::string collapseWhitespace(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    bool pendingSpace = false;
    for (const char c : text) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (space) {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace) out.push_back(' ');
        pendingSpace = false;
        out.push_back(c);
    }
    return out;
}

}  // namespace

std::vector<Utterance> composeSpeechFrom(const FrameRecord& record, std::size_t firstItem,
                                         const PageSpeechOptions& options) {
    const std::vector<RecordedItem>& items = record.items;
    std::vector<std::size_t> order(items.size() - std::min(firstItem, items.size()));
    std::iota(order.begin(), order.end(), std::min(firstItem, items.size()));
    // Stable, so items drawn at the same place (or hand-built without positions) keep their order.
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (items[a].y != items[b].y) return items[a].y < items[b].y;
        return items[a].x < items[b].x;
    });

    std::vector<Utterance> speech;
    std::set<std::string> said;
    auto say = [&](const std::string& text, bool spellOut) {
        std::string words = collapseWhitespace(text);
        if (words.empty() || !said.insert(words).second) return;
        speech.push_back(Utterance{std::move(words), spellOut, {}});
    };

    const bool anyError = std::any_of(order.begin(), order.end(), [&](std::size_t i) {
        return groupOf(items[i]) == SpeechGroup::Errors && !collapseWhitespace(items[i].label).empty();
    });
    if (anyError) say(options.problemTitle, false);

    for (const SpeechGroup group : kSpokenGroups) {
        if (group == SpeechGroup::Errors && !anyError) continue;
        for (const std::size_t i : order) {
            if (groupOf(items[i]) != group) continue;
            say(items[i].label, items[i].role == Role::Reference);
        }
    }
    return speech;
}

std::vector<Utterance> composePageSpeech(const FrameRecord& record, const PageSpeechOptions& options) {
    return composeSpeechFrom(record, 0, options);
}

std::vector<Utterance> composeTimeoutWarningSpeech(const FrameRecord& record,
                                                   const PageSpeechOptions& options) {
    const auto& items = record.items;
    for (std::size_t i = items.size(); i-- > 0;) {
        if (items[i].role == Role::Heading && groupOf(items[i]) == SpeechGroup::Headings)
            return composeSpeechFrom(record, i, options);
    }
    return {};
}

}  // namespace kiosk::ui
