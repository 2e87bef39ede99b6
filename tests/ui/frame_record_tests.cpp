// FrameRecord lookups: scripts and tests name a control by its label, and a short label must
// find the control a person means, not a longer one that happens to contain it.
#include <catch2/catch.hpp>

#include "kiosk/ui/frame_record.h"

using kiosk::ui::FrameRecord;
using kiosk::ui::RecordedItem;

namespace {

RecordedItem control(const std::string& label, bool tappable = true) {
    RecordedItem item;
    item.kind = RecordedItem::Kind::Choice;
    item.label = label;
    item.tappable = tappable;
    return item;
}

}  // namespace

TEST_CASE("A label that is the first part of an address beats a longer address containing it",
          "[ui][record]") {
    FrameRecord record;
    record.add(control("11 Acorn Way, Oakhurst"));
    record.add(control("1 Acorn Way, Oakhurst"));
    const RecordedItem* found = record.findTappable("1 Acorn Way");
    REQUIRE(found != nullptr);
    CHECK(found->label == "1 Acorn Way, Oakhurst");
}

TEST_CASE("An exact label wins over a label that starts with it", "[ui][record]") {
    FrameRecord record;
    record.add(control("Yes, I know an address near it"));
    record.add(control("Yes"));
    REQUIRE(record.findTappable("Yes") != nullptr);
    CHECK(record.findTappable("Yes")->label == "Yes");
}

TEST_CASE("Text is never a control, and hidden controls are found only when asked", "[ui][record]") {
    FrameRecord record;
    RecordedItem heading;
    heading.label = "Continue";
    record.add(heading);
    record.add(control("Continue", false));
    CHECK(record.findTappable("Continue") == nullptr);
    const RecordedItem* hidden = record.findControl("Continue", false);
    REQUIRE(hidden != nullptr);
    CHECK(hidden->kind == RecordedItem::Kind::Choice);
    CHECK(record.findTappable("Something else") == nullptr);
    CHECK(record.containsText("Continue"));
}
