// HarfBuzz shaping, FreeType rasterising and the glyph atlas behind HarfBuzzTextEngine.
//
// [SECTION] Fonts and metrics
// [SECTION] Itemising and shaping
// [SECTION] Glyph atlas
// [SECTION] Drawing
#include "kiosk/platform/shaped_text.h"

#include <SDL.h>
#include <ft2build.h>

#include <algorithm>
#include <cmath>
#include FT_FREETYPE_H
#include FT_SIZES_H
#include FT_TRUETYPE_TABLES_H
#include <hb.h>

namespace kiosk::platform {
namespace {

// HarfBuzz positions and FreeType metrics are both in 1/64 pixel here; rounding goes to the
// nearest whole pixel (C++20 shifts negative values arithmetically, so this floors correctly).
int roundToPixel(std::int32_t value26) {
    return (value26 + 32) >> 6;
}

bool isDevanagari(hb_codepoint_t cp) {
    return (cp >= 0x0900 && cp <= 0x097F)     // Devanagari
           || (cp >= 0xA8E0 && cp <= 0xA8FF)  // Devanagari Extended
           || (cp >= 0x1CD0 && cp <= 0x1CFF)  // Vedic Extensions
           || cp == 0x200C || cp == 0x200D;   // ZWNJ and ZWJ choose between Devanagari forms
}

// Spaces and punctuation belong to no script: they take the font of the text around them, so
// the space between two Nepali words is Noto Sans Devanagari's space and word spacing matches
// what HarfBuzz expects. Digits are not neutral: Latin digits come from Noto Sans.
bool isNeutral(hb_codepoint_t cp) {
    if (cp < 0x80) return !((cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z'));
    return cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x206F && cp != 0x200C && cp != 0x200D);
}

enum class RunScript : std::uint8_t { Neutral, Latin, Devanagari };

}  // namespace

// ---------------------------------------------------------------------------------------------
// [SECTION] Fonts and metrics
// ---------------------------------------------------------------------------------------------

std::size_t HarfBuzzTextEngine::GlyphKeyHash::operator()(const GlyphKey& key) const {
    const std::uint64_t packed =
        (static_cast<std::uint64_t>(key.glyph) << 32) ^
        (static_cast<std::uint64_t>(static_cast<std::uint32_t>(key.emPixels26)) << 2) ^
        static_cast<std::uint64_t>(key.font);
    return std::hash<std::uint64_t>{}(packed);
}

HarfBuzzTextEngine::Created HarfBuzzTextEngine::create(const std::filesystem::path& fontDirectory,
                                                       SDL_Renderer* renderer) {
    return create(fontDirectory, renderer, Options{});
}

HarfBuzzTextEngine::Created HarfBuzzTextEngine::create(const std::filesystem::path& fontDirectory,
                                                       SDL_Renderer* renderer, const Options& options) {
    Created created;
    if (!renderer) {
        created.error = "Nepali text cannot be drawn: there is no renderer to draw it with.";
        return created;
    }
    std::unique_ptr<HarfBuzzTextEngine> engine(new HarfBuzzTextEngine(renderer, options));
    if (FT_Init_FreeType(&engine->freetype_) != 0) {
        engine->freetype_ = nullptr;
        created.error = "Nepali text cannot be drawn: the FreeType library did not start.";
        return created;
    }
    const struct {
        FontIndex index;
        const char* file;
    } files[] = {
        {LatinRegular, "NotoSans-Regular.ttf"},
        {LatinBold, "NotoSans-Bold.ttf"},
        {DevanagariRegular, "NotoSansDevanagari-Regular.ttf"},
        {DevanagariBold, "NotoSansDevanagari-Bold.ttf"},
    };
    for (const auto& font : files) {
        if (!engine->loadFont(font.index, fontDirectory / font.file, created.error)) return created;
    }
    engine->buffer_ = hb_buffer_create();
    if (!hb_buffer_allocation_successful(engine->buffer_)) {
        created.error = "Nepali text cannot be drawn: HarfBuzz could not allocate its buffer.";
        return created;
    }
    created.engine = std::move(engine);
    return created;
}

HarfBuzzTextEngine::HarfBuzzTextEngine(SDL_Renderer* renderer, const Options& options)
    : renderer_(renderer), options_(options) {}

HarfBuzzTextEngine::~HarfBuzzTextEngine() {
    for (auto& [key, sized] : sizedFonts_) {
        hb_font_destroy(sized.font);
        if (sized.ftSize) FT_Done_Size(sized.ftSize);
    }
    for (auto& font : fonts_) {
        if (font.ftFace) FT_Done_Face(font.ftFace);
        hb_face_destroy(font.face);
        hb_blob_destroy(font.blob);
    }
    if (freetype_) FT_Done_FreeType(freetype_);
    hb_buffer_destroy(buffer_);
    for (const auto& retired : retiredPages_) SDL_DestroyTexture(retired.page);
    if (page_) SDL_DestroyTexture(page_);
}

bool HarfBuzzTextEngine::loadFont(FontIndex index, const std::filesystem::path& file, std::string& error) {
    const std::string missing = "The font file " + file.string() +
                                " is missing, so Nepali text cannot be drawn. Install the Debian package "
                                "fonts-noto-core, or pass --font-dir.";
    std::error_code ignored;
    if (!std::filesystem::is_regular_file(file, ignored)) {
        error = missing;
        return false;
    }
    FontFile& font = fonts_[index];
    // One mapping of the file serves both libraries: HarfBuzz reads the tables, FreeType the
    // outlines.
    font.blob = hb_blob_create_from_file_or_fail(file.c_str());
    if (!font.blob || hb_blob_get_length(font.blob) == 0) {
        error = missing;
        return false;
    }
    font.face = hb_face_create(font.blob, 0);
    unsigned int length = 0;
    const char* data = hb_blob_get_data(font.blob, &length);
    if (FT_New_Memory_Face(freetype_, reinterpret_cast<const FT_Byte*>(data), static_cast<FT_Long>(length), 0,
                           &font.ftFace) != 0 ||
        !FT_IS_SCALABLE(font.ftFace)) {
        if (font.ftFace) FT_Done_Face(font.ftFace);
        font.ftFace = nullptr;
        error = "The font file " + file.string() + " could not be read. Reinstall fonts-noto-core.";
        return false;
    }
    // Dear ImGui reads hhea for its sizes (stb_truetype), so the same table is used here.
    const auto* hhea = static_cast<const TT_HoriHeader*>(FT_Get_Sfnt_Table(font.ftFace, FT_SFNT_HHEA));
    font.unitsPerEm = font.ftFace->units_per_EM;
    font.ascender = hhea ? hhea->Ascender : font.ftFace->ascender;
    font.descender = -(hhea ? hhea->Descender : font.ftFace->descender);
    if (font.unitsPerEm <= 0 || font.ascender + font.descender <= 0) {
        error = "The font file " + file.string() + " has no usable metrics. Reinstall fonts-noto-core.";
        return false;
    }
    return true;
}

HarfBuzzTextEngine::LineMetrics HarfBuzzTextEngine::metricsFor(const ui::TextStyle& style) const {
    const FontFile& latin = fonts_[style.bold ? LatinBold : LatinRegular];
    const FontFile& devanagari = fonts_[style.bold ? DevanagariBold : DevanagariRegular];
    const float pixelSize = std::max(style.pixelSize, 1.0f);
    // pixelSize is Dear ImGui's font size, Noto Sans's ascent plus descent; both scripts use the
    // em that gives, so Nepali sits at the size of the English beside it.
    const double emPixels = double(pixelSize) * latin.unitsPerEm / (latin.ascender + latin.descender);
    LineMetrics metrics;
    metrics.emPixels26 = static_cast<std::int32_t>(std::lround(emPixels * 64.0));
    // Dear ImGui puts the baseline at floor(ascent * scale + 1) below the top; using the same
    // figure keeps a shaped line level with Latin text Dear ImGui draws at the same y.
    const int latinAscent = static_cast<int>(std::floor(latin.ascender * emPixels / latin.unitsPerEm + 1.0));
    const int latinDescent = static_cast<int>(std::ceil(pixelSize - latinAscent));
    // Noto Sans Devanagari reaches lower than Noto Sans (below-base forms, u and uu signs): the
    // box grows so nothing is cut off by a clip rectangle or the next line's background.
    const double devanagariScale = emPixels / devanagari.unitsPerEm;
    metrics.ascent =
        std::max(latinAscent, static_cast<int>(std::ceil(devanagari.ascender * devanagariScale)));
    metrics.descent =
        std::max(latinDescent, static_cast<int>(std::ceil(devanagari.descender * devanagariScale)));
    return metrics;
}

HarfBuzzTextEngine::SizedFont& HarfBuzzTextEngine::sizedFont(FontIndex font, std::int32_t emPixels26) {
    const std::uint64_t key =
        (static_cast<std::uint64_t>(font) << 32) | static_cast<std::uint32_t>(emPixels26);
    auto found = sizedFonts_.find(key);
    if (found != sizedFonts_.end()) return found->second;
    SizedFont sized;
    // Scale in 1/64 pixel and no hinting: HarfBuzz's own metrics, as hb-view lays text out.
    sized.font = hb_font_create(fonts_[font].face);
    hb_font_set_scale(sized.font, emPixels26, emPixels26);
    const unsigned ppem = static_cast<unsigned>(roundToPixel(emPixels26));
    hb_font_set_ppem(sized.font, ppem, ppem);
    // A FreeType face holds one active size; one FT_Size per em size lets styles alternate
    // without rescaling the face on every glyph.
    FT_Face face = fonts_[font].ftFace;
    if (FT_New_Size(face, &sized.ftSize) == 0) {
        FT_Activate_Size(sized.ftSize);
        if (FT_Set_Char_Size(face, emPixels26, emPixels26, 72, 72) != 0) {
            FT_Done_Size(sized.ftSize);
            sized.ftSize = nullptr;
        }
    } else {
        sized.ftSize = nullptr;
    }
    return sizedFonts_.emplace(key, sized).first->second;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Itemising and shaping
// ---------------------------------------------------------------------------------------------

const HarfBuzzTextEngine::ShapedLine& HarfBuzzTextEngine::shapedLine(const ui::TextStyle& style,
                                                                     std::string_view utf8) {
    keyScratch_.clear();
    keyScratch_.append(reinterpret_cast<const char*>(&style.pixelSize), sizeof style.pixelSize);
    keyScratch_.push_back(style.bold ? 'b' : 'r');
    keyScratch_.append(utf8);
    auto found = lineIndex_.find(std::string_view(keyScratch_));
    if (found != lineIndex_.end()) {
        lines_.splice(lines_.end(), lines_, found->second);  // now the most recently used
        return found->second->second;
    }
    while (!lines_.empty() && lines_.size() >= std::max<std::size_t>(options_.cachedLines, 1)) {
        lineIndex_.erase(std::string_view(lines_.front().first));
        lines_.pop_front();
    }
    lines_.emplace_back(keyScratch_, ShapedLine{});
    auto entry = std::prev(lines_.end());
    lineIndex_.emplace(std::string_view(entry->first), entry);
    shapeInto(entry->second, style, utf8);
    return entry->second;
}

void HarfBuzzTextEngine::shapeInto(ShapedLine& line, const ui::TextStyle& style, std::string_view utf8) {
    line.metrics = metricsFor(style);
    if (utf8.empty()) return;
    const FontIndex latin = style.bold ? LatinBold : LatinRegular;
    const FontIndex devanagari = style.bold ? DevanagariBold : DevanagariRegular;

    // HarfBuzz decodes the UTF-8 (invalid bytes become U+FFFD) and gives each code point's byte
    // offset as its cluster, which is where each run starts and ends.
    hb_buffer_clear_contents(buffer_);
    hb_buffer_add_utf8(buffer_, utf8.data(), static_cast<int>(utf8.size()), 0, static_cast<int>(utf8.size()));
    unsigned int count = 0;
    const hb_glyph_info_t* infos = hb_buffer_get_glyph_infos(buffer_, &count);
    std::vector<RunScript> scripts(count);
    std::vector<std::uint32_t> starts(count);
    for (unsigned int i = 0; i < count; ++i) {
        const hb_codepoint_t cp = infos[i].codepoint;
        scripts[i] = isDevanagari(cp) ? RunScript::Devanagari
                     : isNeutral(cp)  ? RunScript::Neutral
                                      : RunScript::Latin;
        starts[i] = infos[i].cluster;
    }
    // A neutral character joins the run before it (or, at the start, the run after it), as
    // long as that run's font has a glyph for it.
    RunScript previous = RunScript::Neutral;
    for (unsigned int i = 0; i < count; ++i) {
        if (scripts[i] != RunScript::Neutral) {
            previous = scripts[i];
            continue;
        }
        RunScript chosen = previous;
        if (chosen == RunScript::Neutral) {
            for (unsigned int j = i + 1; j < count && chosen == RunScript::Neutral; ++j) chosen = scripts[j];
        }
        if (chosen == RunScript::Devanagari &&
            FT_Get_Char_Index(fonts_[devanagari].ftFace, infos[i].codepoint) == 0)
            chosen = RunScript::Latin;
        scripts[i] = chosen == RunScript::Neutral ? RunScript::Latin : chosen;
    }
    for (unsigned int i = 0; i < count;) {
        unsigned int end = i + 1;
        while (end < count && scripts[end] == scripts[i]) ++end;
        const std::size_t startByte = starts[i];
        const std::size_t endByte = end < count ? starts[end] : utf8.size();
        appendRun(line, scripts[i] == RunScript::Devanagari ? devanagari : latin, utf8, startByte,
                  endByte - startByte);
        i = end;
    }
}

void HarfBuzzTextEngine::appendRun(ShapedLine& line, FontIndex font, std::string_view utf8, std::size_t start,
                                   std::size_t length) {
    SizedFont& sized = sizedFont(font, line.metrics.emPixels26);
    hb_buffer_clear_contents(buffer_);
    // The whole line goes in as context so shaping at a run's edge sees its neighbours.
    hb_buffer_add_utf8(buffer_, utf8.data(), static_cast<int>(utf8.size()), static_cast<unsigned>(start),
                       static_cast<int>(length));
    hb_buffer_set_direction(buffer_, HB_DIRECTION_LTR);
    if (font == DevanagariRegular || font == DevanagariBold) {
        hb_buffer_set_script(buffer_, HB_SCRIPT_DEVANAGARI);
        // Nepali, not Hindi: Noto Sans Devanagari has Nepali forms (locl) for some letters.
        hb_buffer_set_language(buffer_, hb_language_from_string("ne", -1));
    }
    hb_buffer_guess_segment_properties(buffer_);
    unsigned int flags = HB_BUFFER_FLAG_DEFAULT;
    if (start == 0) flags |= HB_BUFFER_FLAG_BOT;
    if (start + length == utf8.size()) flags |= HB_BUFFER_FLAG_EOT;
    hb_buffer_set_flags(buffer_, static_cast<hb_buffer_flags_t>(flags));

    unsigned int count = 0;
    if (options_.shaping == Shaping::OneGlyphPerCodePoint) {
        const hb_glyph_info_t* infos = hb_buffer_get_glyph_infos(buffer_, &count);
        for (unsigned int i = 0; i < count; ++i) {
            hb_codepoint_t glyph = 0;
            hb_font_get_nominal_glyph(sized.font, infos[i].codepoint, &glyph);
            line.glyphs.push_back({glyph, font, line.advance26, 0});
            line.advance26 += hb_font_get_glyph_h_advance(sized.font, glyph);
        }
        return;
    }
    hb_shape(sized.font, buffer_, nullptr, 0);
    const hb_glyph_info_t* infos = hb_buffer_get_glyph_infos(buffer_, &count);
    const hb_glyph_position_t* positions = hb_buffer_get_glyph_positions(buffer_, &count);
    for (unsigned int i = 0; i < count; ++i) {
        line.glyphs.push_back(
            {infos[i].codepoint, font, line.advance26 + positions[i].x_offset, positions[i].y_offset});
        line.advance26 += positions[i].x_advance;
    }
}

ImVec2 HarfBuzzTextEngine::measureLine(const ui::TextStyle& style, std::string_view utf8) {
    const ShapedLine& line = shapedLine(style, utf8);
    return ImVec2(static_cast<float>(line.advance26) / 64.0f,
                  static_cast<float>(line.metrics.ascent + line.metrics.descent));
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Glyph atlas
// ---------------------------------------------------------------------------------------------

bool HarfBuzzTextEngine::startAtlasPage() {
    const int size = options_.atlasSize;
    page_ = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC, size, size);
    if (!page_) return false;
    // The same format and blending as the Dear ImGui font texture, so the backend's vertex
    // colour tints white glyphs to the text colour. Quads map texels 1:1, so no filtering.
    SDL_SetTextureBlendMode(page_, SDL_BLENDMODE_BLEND);
    SDL_SetTextureScaleMode(page_, SDL_ScaleModeNearest);
    std::vector<unsigned char> clear(static_cast<std::size_t>(size) * size * 4, 0);
    SDL_UpdateTexture(page_, nullptr, clear.data(), size * 4);
    shelfX_ = shelfY_ = shelfHeight_ = 0;
    glyphs_.clear();
    return true;
}

bool HarfBuzzTextEngine::reserveAtlasSpace(int width, int height, int& x, int& y) {
    // One empty texel around every glyph, so sampling at a quad's edge never picks up a
    // neighbour.
    const int size = options_.atlasSize;
    const int paddedWidth = width + 1, paddedHeight = height + 1;
    if (paddedWidth > size || paddedHeight > size) return false;
    if (shelfX_ + paddedWidth > size) {
        shelfY_ += shelfHeight_;
        shelfX_ = 0;
        shelfHeight_ = 0;
    }
    if (shelfY_ + paddedHeight > size) return false;
    x = shelfX_;
    y = shelfY_;
    shelfX_ += paddedWidth;
    shelfHeight_ = std::max(shelfHeight_, paddedHeight);
    return true;
}

void HarfBuzzTextEngine::releaseRetiredPages() {
    if (retiredPages_.empty()) return;
    const int frame = ImGui::GetCurrentContext() ? ImGui::GetFrameCount() : 0;
    std::erase_if(retiredPages_, [&](const RetiredPage& retired) {
        if (retired.frame >= frame) return false;
        SDL_DestroyTexture(retired.page);
        return true;
    });
}

const HarfBuzzTextEngine::AtlasGlyph* HarfBuzzTextEngine::atlasGlyph(const GlyphKey& key) {
    auto found = glyphs_.find(key);
    if (found != glyphs_.end()) return &found->second;
    if (!page_ && !startAtlasPage()) return nullptr;

    SizedFont& sized = sizedFont(key.font, key.emPixels26);
    if (!sized.ftSize) return nullptr;
    FT_Activate_Size(sized.ftSize);
    FT_Face face = fonts_[key.font].ftFace;
    // Unhinted outlines, as hb-view (cairo with hinting off) draws them: hinting would move
    // stems to whole pixels and disagree with HarfBuzz's unhinted advances.
    if (FT_Load_Glyph(face, key.glyph, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0 ||
        FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL) != 0)
        return nullptr;
    const FT_Bitmap& bitmap = face->glyph->bitmap;
    AtlasGlyph glyph;
    glyph.width = static_cast<int>(bitmap.width);
    glyph.height = static_cast<int>(bitmap.rows);
    glyph.left = face->glyph->bitmap_left;
    glyph.top = face->glyph->bitmap_top;
    if (glyph.width == 0 || glyph.height == 0 || bitmap.pixel_mode != FT_PIXEL_MODE_GRAY)
        return &glyphs_.emplace(key, glyph).first->second;  // nothing to draw, such as a space

    if (!reserveAtlasSpace(glyph.width, glyph.height, glyph.x, glyph.y)) {
        // Full: start a fresh page. Quads already emitted this frame still point at the old
        // one, so it lives until the next frame instead of being cleared under them.
        retiredPages_.push_back({page_, ImGui::GetCurrentContext() ? ImGui::GetFrameCount() : 0});
        page_ = nullptr;
        ++atlasRestarts_;
        if (!startAtlasPage() || !reserveAtlasSpace(glyph.width, glyph.height, glyph.x, glyph.y))
            return nullptr;  // larger than a whole page: not drawn
    }
    glyph.page = page_;
    uploadScratch_.resize(static_cast<std::size_t>(glyph.width) * glyph.height * 4);
    for (int row = 0; row < glyph.height; ++row) {
        const unsigned char* source = bitmap.buffer + static_cast<std::ptrdiff_t>(row) * bitmap.pitch;
        unsigned char* target = uploadScratch_.data() + static_cast<std::size_t>(row) * glyph.width * 4;
        for (int column = 0; column < glyph.width; ++column) {
            target[column * 4 + 0] = 255;
            target[column * 4 + 1] = 255;
            target[column * 4 + 2] = 255;
            target[column * 4 + 3] = source[column];
        }
    }
    const SDL_Rect area{glyph.x, glyph.y, glyph.width, glyph.height};
    SDL_UpdateTexture(page_, &area, uploadScratch_.data(), glyph.width * 4);
    return &glyphs_.emplace(key, glyph).first->second;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Drawing
// ---------------------------------------------------------------------------------------------

void HarfBuzzTextEngine::drawLine(ImDrawList* drawList, const ui::TextStyle& style, ImVec2 topLeft,
                                  ImU32 colour, std::string_view utf8) {
    if (!drawList || utf8.empty()) return;
    releaseRetiredPages();
    const ShapedLine& line = shapedLine(style, utf8);
    // Every glyph is rounded to a whole pixel, so each texel lands on exactly one screen pixel.
    // Rounding happens after adding the line's own start, so a run drawn on its own at the
    // advance of the text before it lands on the same pixels as inside the whole line.
    const std::int32_t originX26 = static_cast<std::int32_t>(std::lround(topLeft.x * 64.0f));
    const int baselineY = static_cast<int>(std::floor(topLeft.y + 0.5f)) + line.metrics.ascent;
    const float texel = 1.0f / static_cast<float>(options_.atlasSize);

    // Looked up before any quad is emitted: a page that fills part-way through the line
    // changes texture, and each texture needs its own draw command.
    std::vector<Quad>& quads = quadScratch_;
    quads.clear();
    for (const PlacedGlyph& placed : line.glyphs) {
        const AtlasGlyph* glyph = atlasGlyph({placed.glyph, line.metrics.emPixels26, placed.font});
        if (!glyph || !glyph->page) continue;
        const float x = static_cast<float>(roundToPixel(originX26 + placed.x26) + glyph->left);
        const float y = static_cast<float>(baselineY - roundToPixel(placed.y26) - glyph->top);
        quads.push_back({glyph->page, ImVec2(x, y), ImVec2(x + glyph->width, y + glyph->height),
                         ImVec2(glyph->x * texel, glyph->y * texel),
                         ImVec2((glyph->x + glyph->width) * texel, (glyph->y + glyph->height) * texel)});
    }
    for (std::size_t first = 0; first < quads.size();) {
        std::size_t end = first + 1;
        while (end < quads.size() && quads[end].page == quads[first].page) ++end;
        const int count = static_cast<int>(end - first);
        drawList->PushTextureID(static_cast<ImTextureID>(quads[first].page));
        drawList->PrimReserve(count * 6, count * 4);
        for (std::size_t i = first; i < end; ++i)
            drawList->PrimRectUV(quads[i].min, quads[i].max, quads[i].uvMin, quads[i].uvMax, colour);
        drawList->PopTextureID();
        first = end;
    }
}

}  // namespace kiosk::platform
