// Drawing the receipt page (receipt_page.h).
//
// [SECTION] Fonts and shaping
// [SECTION] Layout
// [SECTION] PNG
#include "kiosk/platform/receipt_page.h"

#include <ft2build.h>
#include <hb-ft.h>
#include <hb.h>
#include <qrencode.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <array>
#include <cmath>
#include FT_FREETYPE_H

namespace kiosk::platform {
namespace {

// ---------------------------------------------------------------------------------------------
// [SECTION] Fonts and shaping
// ---------------------------------------------------------------------------------------------

enum FontIndex { LatinRegular, LatinBold, DevanagariRegular, DevanagariBold, kFontCount };

constexpr const char* kFontFiles[kFontCount] = {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
                                                "NotoSansDevanagari-Regular.ttf",
                                                "NotoSansDevanagari-Bold.ttf"};

bool isDevanagari(std::uint32_t cp) {
    return (cp >= 0x0900 && cp <= 0x097F) || (cp >= 0xA8E0 && cp <= 0xA8FF) ||
           (cp >= 0x1CD0 && cp <= 0x1CFF) || cp == 0x200C || cp == 0x200D;
}

// Spaces and punctuation take the script of the text around them (as on screen: shaped_text.cpp).
bool isNeutral(std::uint32_t cp) {
    if (cp < 0x80) return !((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'));
    return cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x206F && cp != 0x200C && cp != 0x200D);
}

// Decodes one UTF-8 character at `at`, moving past it; bad bytes read as U+FFFD.
std::uint32_t nextCodePoint(const std::string& text, std::size_t& at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    int length = lead < 0x80           ? 1
                 : (lead >> 5) == 0x6  ? 2
                 : (lead >> 4) == 0xE  ? 3
                 : (lead >> 3) == 0x1E ? 4
                                       : 0;
    if (length == 0 || at + static_cast<std::size_t>(length) > text.size()) {
        ++at;
        return 0xFFFD;
    }
    std::uint32_t cp = length == 1 ? lead : lead & (0x7F >> length);
    for (int i = 1; i < length; ++i) cp = (cp << 6) | (byte(at + static_cast<std::size_t>(i)) & 0x3F);
    at += static_cast<std::size_t>(length);
    return cp;
}

struct Glyph {
    FontIndex font = LatinRegular;
    std::uint32_t index = 0;
    int x26 = 0, y26 = 0;  // pen position plus offset, 1/64 pixel; y upwards
};

struct ShapedText {
    std::vector<Glyph> glyphs;
    int advance26 = 0;
};

class Typesetter {
public:
    ~Typesetter() {
        for (auto& font : fonts_) {
            if (font.hb) hb_font_destroy(font.hb);
            if (font.ft) FT_Done_Face(font.ft);
        }
        if (buffer_) hb_buffer_destroy(buffer_);
        if (library_) FT_Done_FreeType(library_);
    }

    bool open(const std::filesystem::path& directory, std::string& error) {
        if (FT_Init_FreeType(&library_) != 0) {
            library_ = nullptr;
            error = "The receipt cannot be drawn: the FreeType library did not start.";
            return false;
        }
        for (int i = 0; i < kFontCount; ++i) {
            const std::filesystem::path file = directory / kFontFiles[i];
            if (FT_New_Face(library_, file.c_str(), 0, &fonts_[i].ft) != 0) {
                fonts_[i].ft = nullptr;
                error = "The receipt cannot be drawn: the font " + file.string() +
                        " is missing or unreadable (Debian package fonts-noto-core).";
                return false;
            }
            fonts_[i].hb = hb_ft_font_create_referenced(fonts_[i].ft);
        }
        buffer_ = hb_buffer_create();
        return true;
    }

    // Every font at `pixels` per em.
    void setSize(float pixels) {
        if (pixels == size_) return;
        size_ = pixels;
        for (auto& font : fonts_) {
            FT_Set_Char_Size(font.ft, 0, static_cast<FT_F26Dot6>(std::lround(pixels * 64)), 72, 72);
            hb_ft_font_changed(font.hb);
        }
    }
    float size() const { return size_; }
    // Noto Sans's line height for the size: ascent plus descent, in pixels.
    int ascent() const { return static_cast<int>(fonts_[LatinRegular].ft->size->metrics.ascender >> 6); }
    int lineHeight() const {
        // Devanagari needs more room above and below than Latin: take the taller of the two.
        int height = 0;
        for (const FontIndex font : {LatinRegular, DevanagariRegular})
            height = std::max<int>(height, static_cast<int>(fonts_[font].ft->size->metrics.height >> 6));
        return height;
    }

    ShapedText shape(const std::string& text, bool bold) {
        ShapedText shaped;
        // Split into runs by script; neutral characters join the run they are in.
        std::size_t at = 0, runStart = 0;
        int runScript = -1;  // -1 not yet known, 0 Latin, 1 Devanagari
        while (at < text.size()) {
            const std::size_t start = at;
            const std::uint32_t cp = nextCodePoint(text, at);
            if (isNeutral(cp)) continue;
            const int script = isDevanagari(cp) ? 1 : 0;
            if (runScript == -1) runScript = script;
            if (script != runScript) {
                appendRun(shaped, text.substr(runStart, start - runStart), runScript, bold);
                runStart = start;
                runScript = script;
            }
        }
        if (runStart < text.size()) appendRun(shaped, text.substr(runStart), std::max(runScript, 0), bold);
        return shaped;
    }

    FT_Face face(FontIndex font) const { return fonts_[font].ft; }

private:
    void appendRun(ShapedText& shaped, const std::string& run, int script, bool bold) {
        const FontIndex font =
            script == 1 ? (bold ? DevanagariBold : DevanagariRegular) : (bold ? LatinBold : LatinRegular);
        hb_buffer_reset(buffer_);
        hb_buffer_add_utf8(buffer_, run.data(), static_cast<int>(run.size()), 0,
                           static_cast<int>(run.size()));
        hb_buffer_guess_segment_properties(buffer_);
        hb_shape(fonts_[font].hb, buffer_, nullptr, 0);
        unsigned count = 0;
        const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buffer_, &count);
        const hb_glyph_position_t* position = hb_buffer_get_glyph_positions(buffer_, &count);
        for (unsigned i = 0; i < count; ++i) {
            shaped.glyphs.push_back(Glyph{font, info[i].codepoint, shaped.advance26 + position[i].x_offset,
                                          position[i].y_offset});
            shaped.advance26 += position[i].x_advance;
        }
    }

    struct Font {
        FT_Face ft = nullptr;
        hb_font_t* hb = nullptr;
    };
    FT_Library library_ = nullptr;
    std::array<Font, kFontCount> fonts_{};
    hb_buffer_t* buffer_ = nullptr;
    float size_ = 0;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] Layout
// ---------------------------------------------------------------------------------------------

constexpr std::uint8_t kInk = 0;        // black
constexpr std::uint8_t kQuietInk = 70;  // labels: dark grey, still crisp on a thermal or laser printer

class PageWriter {
public:
    PageWriter(ReceiptPage& page, Typesetter& type) : page_(page), type_(type) {}

    int mm(float millimetres) const {
        return static_cast<int>(std::lround(millimetres * static_cast<float>(page_.dotsPerInch) / 25.4f));
    }
    float points(float pt) const { return pt * static_cast<float>(page_.dotsPerInch) / 72.0f; }

    void fill(int x, int y, int width, int height, std::uint8_t value) {
        const int x0 = std::clamp(x, 0, page_.width), x1 = std::clamp(x + width, 0, page_.width);
        const int y0 = std::clamp(y, 0, page_.height), y1 = std::clamp(y + height, 0, page_.height);
        for (int row = y0; row < y1; ++row)
            std::fill(page_.grey.begin() + row * page_.width + x0,
                      page_.grey.begin() + row * page_.width + x1, value);
    }

    // Draws one shaped line with its baseline at `baseline`.
    void drawShaped(const ShapedText& shaped, int left, int baseline, std::uint8_t ink) {
        for (const Glyph& glyph : shaped.glyphs) {
            FT_Face face = type_.face(glyph.font);
            if (FT_Load_Glyph(face, glyph.index, FT_LOAD_DEFAULT) != 0) continue;
            if (FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL) != 0) continue;
            const FT_Bitmap& bitmap = face->glyph->bitmap;
            const int originX = left + ((glyph.x26 + 32) >> 6) + face->glyph->bitmap_left;
            const int originY = baseline - ((glyph.y26 + 32) >> 6) - face->glyph->bitmap_top;
            for (unsigned row = 0; row < bitmap.rows; ++row) {
                const int y = originY + static_cast<int>(row);
                if (y < 0 || y >= page_.height) continue;
                for (unsigned column = 0; column < bitmap.width; ++column) {
                    const int x = originX + static_cast<int>(column);
                    if (x < 0 || x >= page_.width) continue;
                    const int coverage = bitmap.buffer[row * static_cast<unsigned>(bitmap.pitch) + column];
                    std::uint8_t& pixel = page_.grey[static_cast<std::size_t>(y * page_.width + x)];
                    const int inked = 255 - (coverage * (255 - ink)) / 255;
                    pixel = static_cast<std::uint8_t>(std::min<int>(pixel, inked));
                }
            }
        }
    }

    // Word-wrapped text from the cursor down, across `width`; '\n' starts a new line.
    void paragraph(const std::string& text, float pt, bool bold, std::uint8_t ink, int left, int width) {
        type_.setSize(points(pt));
        const int lineHeight = type_.lineHeight();
        const int spaceWidth = type_.shape(" ", bold).advance26;
        std::size_t start = 0;
        while (start <= text.size()) {
            std::size_t end = text.find('\n', start);
            if (end == std::string::npos) end = text.size();
            wrapLine(text.substr(start, end - start), bold, ink, left, width, lineHeight, spaceWidth);
            start = end + 1;
        }
    }

    void space(float millimetres) { cursor += mm(millimetres); }

    int cursor = 0;  // top of the next line, pixels

private:
    void wrapLine(const std::string& line, bool bold, std::uint8_t ink, int left, int width, int lineHeight,
                  int spaceWidth26) {
        std::vector<ShapedText> words;
        std::size_t at = 0;
        while (at < line.size()) {
            const std::size_t space = line.find(' ', at);
            const std::size_t end = space == std::string::npos ? line.size() : space;
            if (end > at) words.push_back(type_.shape(line.substr(at, end - at), bold));
            at = end + 1;
        }
        const int ascent = std::max(type_.ascent(), lineHeight * 3 / 4);
        std::size_t first = 0;
        do {
            int used26 = 0;
            std::size_t last = first;
            while (last < words.size()) {
                const int extra = (last > first ? spaceWidth26 : 0) + words[last].advance26;
                if (last > first && ((used26 + extra) >> 6) > width) break;
                used26 += extra;
                ++last;
            }
            int pen26 = 0;
            for (std::size_t i = first; i < last; ++i) {
                drawShaped(words[i], left + (pen26 >> 6), cursor + ascent, ink);
                pen26 += words[i].advance26 + spaceWidth26;
            }
            cursor += lineHeight;
            first = last;
        } while (first < words.size());
    }

    ReceiptPage& page_;
    Typesetter& type_;
};

bool drawQr(ReceiptPage& page, const std::string& text, int left, int top, int side) {
    QRcode* code = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
    if (!code) return false;
    constexpr int kQuietModules = 4;
    const int span = code->width + 2 * kQuietModules;
    const int module = std::max(1, side / span);  // whole pixels per module: sharp edges
    for (int row = 0; row < code->width; ++row)
        for (int column = 0; column < code->width; ++column) {
            if ((code->data[row * code->width + column] & 1) == 0) continue;
            const int x = left + (column + kQuietModules) * module, y = top + (row + kQuietModules) * module;
            for (int dy = 0; dy < module; ++dy)
                std::fill_n(page.grey.begin() + (y + dy) * page.width + x, module, std::uint8_t{0});
        }
    QRcode_free(code);
    return true;
}

}  // namespace

Result<ReceiptPage> drawReceiptPage(const ReceiptContent& receipt, const std::filesystem::path& fontDirectory,
                                    int dotsPerInch) {
    Typesetter type;
    std::string error;
    if (!type.open(fontDirectory, error)) return Error{ErrorCode::Missing, error};

    ReceiptPage page;
    page.dotsPerInch = dotsPerInch;
    page.width = static_cast<int>(std::lround(210.0 / 25.4 * dotsPerInch));  // A4
    page.height = static_cast<int>(std::lround(297.0 / 25.4 * dotsPerInch));
    page.grey.assign(static_cast<std::size_t>(page.width) * static_cast<std::size_t>(page.height), 255);

    PageWriter writer(page, type);
    const int left = writer.mm(25);
    const int width = page.width - 2 * left;
    writer.cursor = writer.mm(22);

    // Council name over a rule, as on a council letter.
    writer.paragraph(receipt.councilName, 15, true, kInk, left, width);
    writer.space(2);
    writer.fill(left, writer.cursor, width, writer.mm(0.6f), kInk);
    writer.space(8);

    if (!receipt.title.empty()) {
        writer.paragraph(receipt.title, 22, true, kInk, left, width);
        writer.space(6);
    }
    if (!receipt.serviceTitle.empty()) {
        writer.paragraph(receipt.serviceLabel, 11, false, kQuietInk, left, width);
        writer.paragraph(receipt.serviceTitle, 13, false, kInk, left, width);
        writer.space(5);
    }

    // The reference in a box, large: it is what the resident will read out on the phone.
    const int boxTop = writer.cursor;
    const int padding = writer.mm(5);
    const int border = writer.mm(0.8f);
    writer.cursor += padding;
    writer.paragraph(receipt.referenceLabel, 12, false, kInk, left + padding, width - 2 * padding);
    writer.space(1);
    writer.paragraph(receipt.reference, 30, true, kInk, left + padding, width - 2 * padding);
    writer.cursor += padding;
    const int boxBottom = writer.cursor;
    writer.fill(left, boxTop, width, border, kInk);
    writer.fill(left, boxBottom - border, width, border, kInk);
    writer.fill(left, boxTop, border, boxBottom - boxTop, kInk);
    writer.fill(left + width - border, boxTop, border, boxBottom - boxTop, kInk);
    writer.space(5);

    writer.paragraph(receipt.sentLabel, 11, false, kQuietInk, left, width);
    writer.paragraph(receipt.sentAt, 13, false, kInk, left, width);
    writer.space(8);

    // The QR code (40 mm, quiet zone included) with its hint beside it.
    const int qrSide = writer.mm(40);
    const int qrTop = writer.cursor;
    if (!drawQr(page, receipt.qrText, left - writer.mm(3), qrTop, qrSide))
        return Error{ErrorCode::InvalidArgument, "The receipt's QR code could not be made."};
    writer.cursor = qrTop + writer.mm(8);
    const int hintLeft = left + qrSide + writer.mm(4);
    writer.paragraph(receipt.qrHint, 12, false, kInk, hintLeft, left + width - hintLeft);
    writer.cursor = std::max(writer.cursor, qrTop + qrSide);
    writer.space(6);

    for (const ReceiptSection& section : receipt.sections) {
        writer.paragraph(section.heading, 14, true, kInk, left, width);
        writer.space(1.5f);
        writer.paragraph(section.body, 12, false, kInk, left, width);
        writer.space(6);
    }
    return page;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] PNG
// ---------------------------------------------------------------------------------------------

namespace {

std::uint32_t crc32(const unsigned char* data, std::size_t size) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < size; ++i) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return crc ^ 0xFFFFFFFFu;
}

void appendBigEndian(std::string& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

}  // namespace

std::string encodePng(const ReceiptPage& page) {
    std::string png;
    stbi_write_png_to_func(
        [](void* context, void* data, int size) {
            static_cast<std::string*>(context)->append(static_cast<const char*>(data),
                                                       static_cast<std::size_t>(size));
        },
        &png, page.width, page.height, 1, page.grey.data(), page.width);
    // stb writes no resolution: add a pHYs chunk after IHDR (8-byte signature + 25-byte IHDR).
    constexpr std::size_t kAfterHeader = 33;
    if (png.size() < kAfterHeader) return {};
    const auto perMetre = static_cast<std::uint32_t>(std::lround(page.dotsPerInch / 0.0254));
    std::string chunk = "pHYs";
    appendBigEndian(chunk, perMetre);
    appendBigEndian(chunk, perMetre);
    chunk.push_back(1);  // unit: metre
    std::string framed;
    appendBigEndian(framed, 9);
    framed += chunk;
    appendBigEndian(framed, crc32(reinterpret_cast<const unsigned char*>(chunk.data()), chunk.size()));
    png.insert(kAfterHeader, framed);
    return png;
}

}  // namespace kiosk::platform
