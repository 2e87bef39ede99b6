// Text drawing for every widget.
//
// Dear ImGui 1.86 draws one glyph per code point. That is right for Latin scripts and wrong for
// Devanagari (Nepali), where vowel signs reorder and consonants join into conjuncts. So every
// widget measures and draws text through measureText()/drawText() here: strings that need
// shaping go to the ShapedTextEngine the platform provides (HarfBuzz shaping, FreeType glyphs,
// its own glyph-index atlas); all other strings keep Dear ImGui's own path.
#pragma once

#include <imgui.h>

#include <string_view>

namespace kiosk::ui {

struct UiContext;

// Which face and size a piece of text uses. pixelSize is the Dear ImGui font size (ascent plus
// descent of Noto Sans, not the em), so shaped text matches the Latin text beside it.
struct TextStyle {
    float pixelSize = 0;
    bool bold = false;
};

// Shapes and draws single lines. Implemented in the platform layer; widgets never see HarfBuzz.
class ShapedTextEngine {
public:
    virtual ~ShapedTextEngine() = default;
    // Advance width and line height of one unwrapped line.
    virtual ImVec2 measureLine(const TextStyle& style, std::string_view utf8) = 0;
    // Draws one line whose box (as measureLine gives it) starts at topLeft.
    virtual void drawLine(ImDrawList* drawList, const TextStyle& style, ImVec2 topLeft, ImU32 colour,
                          std::string_view utf8) = 0;
};

// True when the string holds a code point Dear ImGui cannot draw correctly on its own
// (Devanagari and its extensions).
bool needsShaping(std::string_view utf8);

enum class TextAlign { Left, Centre };

// Size of the text wrapped at wrapWidth (0: no wrapping except at '\n').
ImVec2 measureText(const UiContext& ui, ImFont* font, std::string_view text, float wrapWidth = 0);

// Draws the text with its top-left at pos, wrapped at wrapWidth (0: only at '\n'); with Centre,
// each line is centred in wrapWidth. Returns the size drawn, the same as measureText().
ImVec2 drawText(const UiContext& ui, ImDrawList* drawList, ImFont* font, ImVec2 pos, ImU32 colour,
                std::string_view text, float wrapWidth = 0, TextAlign align = TextAlign::Left);

}  // namespace kiosk::ui
