// Widgets: the kiosk's small component library, drawn with Dear ImGui in the GOV.UK Design
// System's look (white page, black text, blue links, green start buttons, yellow focus).
//
// Every widget records what it drew in ui.record so the headless runner can tap it by label and
// accessibility checks can measure it. Touch first: nothing depends on hover; the pressed state
// is shown in yellow as GOV.UK shows focus; every target is at least 15 mm high.
//
// Page layout: topBar() draws the window "topbar"; beginContent()/endContent() wrap the window
// "content", which holds the page and is the one that scrolls. The platform's drag-to-scroll finds
// it with ImGui::FindWindowByName("content") (imgui_internal.h) and calls ImGui::SetScrollY(window, y).
// Pages whose main button must never scroll out of sight put it in actionBar(), the window
// "actionbar" fixed at the bottom of the screen, below the content window.
#pragma once

#include <imgui.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "kiosk/form_session.h"
#include "kiosk/ui/text.h"
#include "kiosk/ui/ui_context.h"

namespace kiosk::ui {

// Window names the platform may look up.
inline constexpr const char* kContentWindowName = "content";
inline constexpr const char* kTopBarWindowName = "topbar";
inline constexpr const char* kOverlayWindowName = "overlay";
inline constexpr const char* kActionBarWindowName = "actionbar";
inline constexpr const char* kToolsBarWindowName = "toolsbar";

struct Palette {
    ImU32 page;           // page background
    ImU32 text;           // #0B0C0C
    ImU32 secondaryText;  // hints and captions, #505A5F
    ImU32 link;           // #1D70B8
    ImU32 focus;          // #FFDD00
    ImU32 focusText;      // text on the focus colour
    ImU32 error;          // #D4351C
    ImU32 border;         // control boundaries, #B1B4B6 (3:1 against white)
    ImU32 inputBorder;    // #0B0C0C
    ImU32 primary;        // #00703C
    ImU32 primaryText;
    ImU32 primaryShadow;    // #002D18
    ImU32 secondary;        // #F3F2F1
    ImU32 secondaryText2;   // text on secondary buttons
    ImU32 secondaryShadow;  // #929191
    ImU32 panel;            // confirmation panel, #00703C
    ImU32 panelText;
    ImU32 tile;    // tile background
    ImU32 header;  // top bar, #0B0C0C
    ImU32 headerText;
    ImU32 headerAccent;  // blue line under the top bar
    ImU32 overlayDim;    // behind the timeout warning
    ImU32 headerMuted;   // quiet text in the top bar (the connection words)
    ImU32 onlineDot;     // connection dot when the council was reached; a soft green
    ImU32 offlineDot;    // connection ring when it was not; grey, never red
};

const Palette& palette();
void usePalette(bool highContrast);  // called by applyKioskTheme

// ---- layout ---------------------------------------------------------------------------------

float topBarHeight(const UiContext& ui);

struct TopBarActions {
    bool language = false;
    bool startAgain = false;
};

struct TopBarContent {
    std::string councilName;
    std::string languageLabel;    // shown when showLanguage
    std::string startAgainLabel;  // shown when showStartAgain
    bool showLanguage = true;
    bool showStartAgain = false;
    bool online = false;          // filled green dot when true, grey ring when false
    std::string connectionLabel;  // "Connected" / "Working offline"; nothing drawn when empty
    std::string assistedBy;       // "Assisted by Priya" while a volunteer is signed in; "" for none
};

// Council name on the left; the connection dot and its words, then "Language" and "Start again"
// on the right when asked for.
TopBarActions topBar(UiContext& ui, const TopBarContent& content);

// Opens the scrolling "content" window below the top bar with a centred reading column of
// columnMm millimetres. When pageSerial differs from the last frame's, the page scrolls to the top.
// withActionBar: the window stops above the action bar, which the screen draws after endContent().
void beginContent(UiContext& ui, float columnMm, std::uint64_t pageSerial, bool withActionBar = false);
// Closes the content window. While more of the page lies below, its bottom edge fades out under
// a still "Scroll down for more" cue (ui.scrollCueLabel), so nobody takes the fold for the end.
void endContent(UiContext& ui);
// Opens "content" as one still, whole-screen page with no top bar (attract, out of order);
// close it with ImGui::End().
void beginFullScreenPage(UiContext& ui);

// Height of the fixed action bar at the bottom of the screen.
float actionBarHeight(const UiContext& ui);
// The page a text box needs while it is typed into: its label, an error message, the box itself
// and a margin above and below. Less than this above the keyboard and the page goes compact
// (UiContext::compactForTyping).
float roomForTyping(const UiContext& ui);
// The fixed action bar: white, a thin line along its top, and the page's green main button on the
// left of the reading column (same columnMm as the content), so a resident who has never scrolled
// still sees it. Returns true when the button was tapped. Not drawn while ui.compactForTyping:
// the keyboard's Done brings it back, as a phone's keyboard covers a page's button until closed.
bool actionBar(UiContext& ui, float columnMm, const std::string& label);

void verticalSpace(const UiContext& ui, float millimetres);

// ---- text -----------------------------------------------------------------------------------

void headingText(UiContext& ui, const std::string& text);       // the page heading
void largeHeadingText(UiContext& ui, const std::string& text);  // attract, out of order
void subheadingText(UiContext& ui, const std::string& text);    // bold body size
void bodyText(UiContext& ui, const std::string& text);
void hintText(UiContext& ui, const std::string& text);     // grey, under headings and labels
void captionText(UiContext& ui, const std::string& text);  // "Question 2 of 5"

// Replaces "{name}" placeholders: fillTemplate("in {seconds} s", {{"seconds", "30"}}).
std::string fillTemplate(std::string text, const std::vector<std::pair<std::string, std::string>>& values);

// ---- buttons and links ----------------------------------------------------------------------

// width 0: fits the label (at least 50 mm). startArrow: GOV.UK's start button chevron.
bool primaryButton(UiContext& ui, const std::string& label, float width = 0, bool startArrow = false);
bool secondaryButton(UiContext& ui, const std::string& label, float width = 0);
// Blue underlined text on a 15 mm tall target. recordLabel names it for scripts when the visible
// text is ambiguous (GOV.UK's visually hidden text: "Change" -> "Change Which bins were missed?").
bool linkButton(UiContext& ui, const std::string& label, const std::string& recordLabel = {});
bool backLink(UiContext& ui, const std::string& label);  // chevron + black underlined "Back"

// ---- form controls --------------------------------------------------------------------------

// A whole-width row with a large circle (radio) or square (checkbox); the whole row is the target.
bool radioRow(UiContext& ui, const std::string& id, const std::string& label, const std::string& hint,
              bool selected);
bool checkboxRow(UiContext& ui, const std::string& id, const std::string& label, const std::string& hint,
                 bool checked);

// A labelled text box with a 2 px black border and a yellow focus ring. Returns true when the
// text changed; `value` then holds the new text.
struct TextBox {
    std::string fieldId;    // matches FieldError::field, so error summary links can find it
    std::string label;      // accessible name; drawn above the box when showLabel
    bool showLabel = true;  // false when the page heading is the label
    std::string hint;
    float widthMm = 0;         // at 100 % text, growing with the text size; 0: the whole column
    bool hasError = false;     // red border
    std::string errorMessage;  // shown above the box when not empty
    bool multiline = false;
    bool password = false;                       // shown as dots (a staff passphrase)
    KeyboardMode keyboard = KeyboardMode::Text;  // which on-screen keyboard it brings up
};
bool textInput(UiContext& ui, const TextBox& box, std::string& value);

struct DateBoxLabels {
    std::string day, month, year;
};

struct FieldChange {
    std::string field;
    std::string value;
};

// Which of the Day, Month, Year boxes get the red border: all three when the date is wrong as a
// whole (error field ""), only the empty ones when a part is missing (field "day"/"month"/"year").
std::array<bool, 3> dateBoxesInError(const std::vector<FieldError>& errors, const DateInput& value);

// Day, Month, Year boxes side by side, bordered in red as dateBoxesInError() says. Appends one
// change per edited box.
void dateBoxes(UiContext& ui, const DateBoxLabels& labels, const DateInput& value,
               const std::vector<FieldError>& errors, std::vector<FieldChange>& changes);

// ---- errors ---------------------------------------------------------------------------------

// Red-bordered box headed "There is a problem" with a link per error; tapping a link moves to the field.
void errorSummary(UiContext& ui, const std::string& title, const std::vector<FieldError>& errors);

// Starts a form group that gets the red left bar when it has an error; the message goes first.
void beginFieldGroup(UiContext& ui, const std::string& fieldId, bool hasError,
                     const std::string& errorMessage);
void endFieldGroup(UiContext& ui, bool hasError);

// Message of the error for `field`, "" when none.
std::string errorFor(const std::vector<FieldError>& errors, const std::string& field);

// ---- charts (admin usage) -------------------------------------------------------------------
struct ChartBar {
    std::string label;  // under the bar (a day) or beside it (a service)
    int value = 0;
};
// Vertical bars across the column, each value written above its bar, every labelEvery-th label
// under it. The whole chart is recorded as one text item saying its title and values, so it is
// read aloud and searchable in screenshots' dumps.
void columnChart(UiContext& ui, const std::string& title, const std::vector<ChartBar>& bars, float heightMm,
                 int labelEvery = 1);
// Horizontal bars, one row per item: label, bar, value.
void barList(UiContext& ui, const std::string& title, const std::vector<ChartBar>& bars);

// ---- panels, lists and tiles ----------------------------------------------------------------

// Green confirmation panel: title, "Your reference number", the reference in the large font.
void confirmationPanel(UiContext& ui, const std::string& title, const std::string& referenceLabel,
                       const std::string& reference);

struct SummaryListRow {
    std::string key;
    std::string value;
    std::string actionLabel;  // "Change"; "" for none
};

// GOV.UK summary list. Returns the index of the row whose action was tapped, or -1.
int summaryList(UiContext& ui, const std::vector<SummaryListRow>& rows);

// A tappable card: line icon, title, description.
bool serviceTile(UiContext& ui, const std::string& id, const std::string& icon, const std::string& title,
                 const std::string& description, float width, float height);

// Height a tile needs to show its whole title and description at this width.
float serviceTileHeight(const UiContext& ui, const std::string& title, const std::string& description,
                        float width);

// Simple line icons drawn with ImDrawList so no image files are needed. Unknown names draw "info".
void drawIcon(ImDrawList* drawList, const std::string& name, ImVec2 topLeft, float size, ImU32 colour,
              float thickness);

// How a recorded item looks, for the accessibility checks and read-aloud: its role, the colours
// it was drawn in and the size of its own text (which must fit inside the item).
struct ItemLook {
    RecordedItem::Role role = RecordedItem::Role::Body;
    ImU32 text = 0;
    ImU32 background = 0;
    ImU32 boundary = 0;  // 0: the item has no boundary of its own (plain text, a text link)
    ImVec2 textSize = ImVec2(0, 0);
};

// Records an item drawn by hand (for screens composing their own controls).
void recordItem(UiContext& ui, RecordedItem::Kind kind, const std::string& label, ImVec2 min, ImVec2 max,
                bool tappable, const ItemLook& look = {});

// Centred, word-wrapped text across the column (attract screen, panels, the timeout box).
// width 0: the rest of the column.
// background: what the text sits on (0: the page colour), for the accessibility checks.
void centredText(UiContext& ui, ImFont* font, const std::string& text, ImU32 colour, float width = 0,
                 ImU32 background = 0, RecordedItem::Role role = RecordedItem::Role::Body);

ImFont* fontOr(ImFont* font);  // the given font, or ImGui's default when the platform has none yet

}  // namespace kiosk::ui
