// Wrapping and drawing for both text paths. Lines are broken at spaces the same way for both,
// so a heading wraps the same whether it is English or Nepali.
#include "kiosk/ui/text.h"

#include <algorithm>
#include <cfloat>
#include <string>
#include <vector>

#include "kiosk/ui/ui_context.h"

namespace kiosk::ui {
namespace {

// Decodes one UTF-8 sequence at text[i]; invalid bytes come out as U+FFFD, one byte each.
char32_t decodeAt(std::string_view text, std::size_t& i) {
    const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
    const unsigned char lead = byte(i);
    int extra = 0;
    char32_t cp = 0;
    if (lead < 0x80) {
        ++i;
        return lead;
    }
    if ((lead & 0xE0) == 0xC0) {
        extra = 1;
        cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        extra = 2;
        cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        extra = 3;
        cp = lead & 0x07;
    } else {
        ++i;
        return 0xFFFD;
    }
    for (int k = 1; k <= extra; ++k) {
        if (i + k >= text.size() || (byte(i + k) & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    i += static_cast<std::size_t>(extra) + 1;
    return cp;
}

bool isShapedCodePoint(char32_t cp) {
    return (cp >= 0x0900 && cp <= 0x097F)      // Devanagari
           || (cp >= 0xA8E0 && cp <= 0xA8FF)   // Devanagari Extended
           || (cp >= 0x1CD0 && cp <= 0x1CFF);  // Vedic Extensions
}

TextStyle styleOf(const UiContext& ui, ImFont* font) {
    return TextStyle{font->FontSize, font != ui.fonts.body};
}

struct Line {
    std::string_view text;
    float width = 0;
};

float lineWidth(const UiContext& ui, ImFont* font, std::string_view text, bool shaped) {
    if (text.empty()) return 0;
    if (shaped) return ui.shaper->measureLine(styleOf(ui, font), text).x;
    return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, text.data(), text.data() + text.size()).x;
}

// Greedy word wrap at spaces; a word wider than the column stays whole on its own line.
std::vector<Line> wrapLines(const UiContext& ui, ImFont* font, std::string_view text, float wrapWidth,
                            bool shaped) {
    std::vector<Line> lines;
    std::size_t paragraphStart = 0;
    while (paragraphStart <= text.size()) {
        std::size_t paragraphEnd = text.find('\n', paragraphStart);
        if (paragraphEnd == std::string_view::npos) paragraphEnd = text.size();
        const std::string_view paragraph = text.substr(paragraphStart, paragraphEnd - paragraphStart);
        if (wrapWidth <= 0 || paragraph.empty()) {
            lines.push_back({paragraph, lineWidth(ui, font, paragraph, shaped)});
        } else {
            std::size_t lineStart = 0;
            while (lineStart < paragraph.size()) {
                std::size_t lineEnd = paragraph.size();
                float width = lineWidth(ui, font, paragraph.substr(lineStart), shaped);
                if (width > wrapWidth) {
                    // Take words while they fit.
                    std::size_t fitEnd = std::string_view::npos;
                    float fitWidth = 0;
                    std::size_t at = paragraph.find(' ', lineStart);
                    while (at != std::string_view::npos) {
                        const float w =
                            lineWidth(ui, font, paragraph.substr(lineStart, at - lineStart), shaped);
                        if (w > wrapWidth) break;
                        fitEnd = at;
                        fitWidth = w;
                        at = paragraph.find(' ', at + 1);
                    }
                    if (fitEnd == std::string_view::npos) {  // one long word: keep it whole
                        fitEnd = at == std::string_view::npos ? paragraph.size() : at;
                        fitWidth =
                            lineWidth(ui, font, paragraph.substr(lineStart, fitEnd - lineStart), shaped);
                    }
                    lineEnd = fitEnd;
                    width = fitWidth;
                }
                lines.push_back({paragraph.substr(lineStart, lineEnd - lineStart), width});
                lineStart = lineEnd;
                while (lineStart < paragraph.size() && paragraph[lineStart] == ' ') ++lineStart;
            }
        }
        if (paragraphEnd == text.size()) break;
        paragraphStart = paragraphEnd + 1;
    }
    return lines;
}

float lineHeight(const UiContext& ui, ImFont* font, bool shaped) {
    if (shaped) return ui.shaper->measureLine(styleOf(ui, font), " ").y;
    return font->FontSize;
}

}  // namespace

bool needsShaping(std::string_view utf8) {
    for (std::size_t i = 0; i < utf8.size();) {
        if (static_cast<unsigned char>(utf8[i]) < 0x80) {
            ++i;
            continue;
        }
        if (isShapedCodePoint(decodeAt(utf8, i))) return true;
    }
    return false;
}

ImVec2 measureText(const UiContext& ui, ImFont* font, std::string_view text, float wrapWidth) {
    if (!font) font = ImGui::GetFont();
    const bool shaped = ui.shaper && needsShaping(text);
    const auto lines = wrapLines(ui, font, text, wrapWidth, shaped);
    float width = 0;
    for (const auto& line : lines) width = std::max(width, line.width);
    return ImVec2(width, lineHeight(ui, font, shaped) * static_cast<float>(lines.size()));
}

ImVec2 drawText(const UiContext& ui, ImDrawList* drawList, ImFont* font, ImVec2 pos, ImU32 colour,
                std::string_view text, float wrapWidth, TextAlign align) {
    if (!font) font = ImGui::GetFont();
    const bool shaped = ui.shaper && needsShaping(text);
    const auto lines = wrapLines(ui, font, text, wrapWidth, shaped);
    const float height = lineHeight(ui, font, shaped);
    float width = 0;
    float y = pos.y;
    for (const auto& line : lines) {
        float x = pos.x;
        if (align == TextAlign::Centre && wrapWidth > 0) x += (wrapWidth - line.width) * 0.5f;
        if (!line.text.empty()) {
            if (shaped)
                ui.shaper->drawLine(drawList, styleOf(ui, font), ImVec2(x, y), colour, line.text);
            else
                drawList->AddText(font, font->FontSize, ImVec2(x, y), colour, line.text.data(),
                                  line.text.data() + line.text.size());
        }
        width = std::max(width, line.width);
        y += height;
    }
    return ImVec2(width, y - pos.y);
}

}  // namespace kiosk::ui
