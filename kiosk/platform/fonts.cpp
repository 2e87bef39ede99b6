// Builds the font atlas. Glyph ranges are kept to what the kiosk's languages need, because
// each baked size costs texture memory (the large sizes dominate).
#include "kiosk/platform/fonts.h"

#include <imgui.h>

#include <cmath>
#include <fstream>

namespace kiosk::platform {
namespace {

// Latin-1, Latin Extended-A (Polish), Latin Extended-B (Romanian comma-below letters and the
// rest of the block), general punctuation (dashes, quotes, bullet), currency signs.
const ImWchar kTextRanges[] = {
    0x0020, 0x00FF, 0x0100, 0x017F, 0x0180, 0x024F, 0x2000, 0x206F, 0x20A0, 0x20BF, 0,
};
// The big sizes show headings and titles: same scripts, without the rarely used Latin
// Extended-B letters other than Romanian's.
const ImWchar kLargeRanges[] = {
    0x0020, 0x00FF, 0x0100, 0x017F, 0x0218, 0x021B, 0x2010, 0x2027, 0,
};
// References are Crockford base32 with hyphens: digits, capitals and a few separators.
const ImWchar kReferenceRanges[] = {
    0x0020, 0x0020, 0x002D, 0x002D, 0x0030, 0x0039, 0x0041, 0x005A, 0,
};

bool readable(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return in.good();
}

ImFont* addFont(const std::filesystem::path& file, float size, const ImWchar* ranges) {
    ImFontConfig config;
    // Whole-pixel glyph positions and no horizontal oversampling: the software renderer samples
    // the atlas without filtering, so this is both the sharpest text and the smallest atlas.
    config.OversampleH = 1;
    config.OversampleV = 1;
    config.PixelSnapH = true;
    return ImGui::GetIO().Fonts->AddFontFromFileTTF(file.c_str(), size, &config, ranges);
}

}  // namespace

FontSizes fontSizesFor(float pixelsPerMm, float textScale) {
    FontSizes sizes;
    sizes.body = std::ceil(kBodyCapHeightMm * pixelsPerMm * textScale / kNotoCapHeightPerPixelSize);
    sizes.heading = std::round(sizes.body * 1.5f);
    sizes.headingLarge = std::round(sizes.body * 2.0f);
    sizes.reference = std::round(sizes.body * 2.6f);
    return sizes;
}

bool loadKioskFonts(const std::filesystem::path& directory, float pixelsPerMm, ui::UiFonts& fonts,
                    std::string& error, float textScale) {
    const auto regular = directory / "NotoSans-Regular.ttf";
    const auto bold = directory / "NotoSans-Bold.ttf";
    for (const auto& file : {regular, bold}) {
        if (!readable(file)) {
            error = "The font file " + file.string() +
                    " is missing. Install the Debian package fonts-noto-core, or pass --font-dir.";
            return false;
        }
    }
    const FontSizes sizes = fontSizesFor(pixelsPerMm, textScale);
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    // The atlas is as tall as its glyphs need, not rounded up to a power of two: the renderer
    // keeps a 4-byte texel for every atlas pixel, so the rounding cost megabytes of memory.
    io.Fonts->Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
    fonts.body = addFont(regular, sizes.body, kTextRanges);  // first font added is ImGui's default
    fonts.bodyBold = addFont(bold, sizes.body, kTextRanges);
    fonts.heading = addFont(bold, sizes.heading, kTextRanges);
    fonts.headingLarge = addFont(bold, sizes.headingLarge, kLargeRanges);
    fonts.reference = addFont(bold, sizes.reference, kReferenceRanges);
    if (!fonts.body || !fonts.bodyBold || !fonts.heading || !fonts.headingLarge || !fonts.reference ||
        !io.Fonts->Build()) {
        error = "The fonts in " + directory.string() + " could not be read. Reinstall fonts-noto-core.";
        return false;
    }
    return true;
}

}  // namespace kiosk::platform
