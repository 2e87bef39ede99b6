// Fonts: Noto Sans baked into the Dear ImGui atlas at sizes derived from the panel's DPI, so
// body capitals are at least 4.8 mm tall on any screen (DESIGN.md section 3).
#pragma once

#include <filesystem>
#include <string>

#include "kiosk/ui/ui_context.h"

namespace kiosk::platform {

inline constexpr const char* kDefaultFontDirectory = "/usr/share/fonts/truetype/noto";
inline constexpr float kBodyCapHeightMm = 4.8f;

// Dear ImGui sizes a font by ascent + descent (hhea), not by the em: for Noto Sans that is
// 1069 + 293 = 1362 units against a cap height of 714, so capitals are 0.524 of the size.
inline constexpr float kNotoCapHeightPerPixelSize = 714.0f / 1362.0f;

struct FontSizes {
    float body = 0;
    float heading = 0;
    float headingLarge = 0;
    float reference = 0;
};

// textScale: the resident's text size (1, 1.5 or 2).
FontSizes fontSizesFor(float pixelsPerMm, float textScale = 1.0f);

// Adds the kiosk's fonts to the current ImGui context's atlas and fills `fonts`.
// Returns false with a sentence in `error` when a font file is missing or unreadable.
bool loadKioskFonts(const std::filesystem::path& directory, float pixelsPerMm, ui::UiFonts& fonts,
                    std::string& error, float textScale = 1.0f);

}  // namespace kiosk::platform
