// HarfBuzzTextEngine: the platform's ShapedTextEngine. Nepali lines are split into runs by
// script, shaped with HarfBuzz (Noto Sans Devanagari for Devanagari, Noto Sans for Latin
// letters and digits such as a postcode), rasterised by glyph index with FreeType into a glyph
// atlas of its own, and drawn as one textured quad per glyph through the SDL_Renderer backend.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kiosk/ui/text.h"

struct SDL_Renderer;
struct SDL_Texture;
struct hb_blob_t;
struct hb_face_t;
struct hb_font_t;
struct hb_buffer_t;
struct FT_LibraryRec_;
struct FT_FaceRec_;
struct FT_SizeRec_;

namespace kiosk::platform {

class HarfBuzzTextEngine final : public ui::ShapedTextEngine {
public:
    enum class Shaping {
        Full,
        // One nominal glyph per code point, placed one after another, which is what Dear ImGui
        // draws on its own. Only for proving that a check notices text that was not shaped.
        OneGlyphPerCodePoint,
    };

    struct Options {
        Shaping shaping = Shaping::Full;
        // Side of the square atlas texture (4 bytes a texel). 1024 fits several hundred glyphs
        // at the kiosk's text sizes; tests shrink it to force the atlas to start again.
        int atlasSize = 1024;
        std::size_t cachedLines = 256;  // shaped lines kept; a screen redraws the same few
    };

    struct Created {
        std::unique_ptr<HarfBuzzTextEngine> engine;  // null on failure
        std::string error;                           // a sentence for the log when engine is null
    };

    // Loads Noto Sans and Noto Sans Devanagari (regular and bold) from fontDirectory. The
    // renderer must outlive the engine.
    static Created create(const std::filesystem::path& fontDirectory, SDL_Renderer* renderer);
    static Created create(const std::filesystem::path& fontDirectory, SDL_Renderer* renderer,
                          const Options& options);

    ~HarfBuzzTextEngine() override;
    HarfBuzzTextEngine(const HarfBuzzTextEngine&) = delete;
    HarfBuzzTextEngine& operator=(const HarfBuzzTextEngine&) = delete;

    ImVec2 measureLine(const ui::TextStyle& style, std::string_view utf8) override;
    void drawLine(ImDrawList* drawList, const ui::TextStyle& style, ImVec2 topLeft, ImU32 colour,
                  std::string_view utf8) override;

    // How many times the atlas has filled and started again; for tests and the log.
    int atlasRestarts() const { return atlasRestarts_; }

private:
    // The four font files, in this order.
    enum FontIndex : std::uint8_t { LatinRegular, LatinBold, DevanagariRegular, DevanagariBold, kFontCount };

    struct FontFile {
        hb_blob_t* blob = nullptr;  // the mapped file, shared by HarfBuzz and FreeType
        hb_face_t* face = nullptr;
        FT_FaceRec_* ftFace = nullptr;
        int unitsPerEm = 1000;
        int ascender = 0;   // hhea, font units
        int descender = 0;  // hhea, font units, positive downwards
    };

    // One font file at one em size: the HarfBuzz font shapes, the FreeType size rasterises.
    struct SizedFont {
        hb_font_t* font = nullptr;
        FT_SizeRec_* ftSize = nullptr;
    };

    // Vertical metrics of one style, in whole pixels.
    struct LineMetrics {
        std::int32_t emPixels26 = 0;  // em size in 1/64 pixel, the same for both scripts
        int ascent = 0;               // top of the box to the baseline
        int descent = 0;              // baseline to the bottom of the box
    };

    struct PlacedGlyph {
        std::uint32_t glyph = 0;
        FontIndex font = LatinRegular;
        std::int32_t x26 = 0;  // pen position plus HarfBuzz offset, 1/64 pixel
        std::int32_t y26 = 0;  // upwards from the baseline, 1/64 pixel
    };

    struct ShapedLine {
        std::vector<PlacedGlyph> glyphs;
        std::int32_t advance26 = 0;
        LineMetrics metrics;
    };

    struct GlyphKey {
        std::uint32_t glyph = 0;
        std::int32_t emPixels26 = 0;
        FontIndex font = LatinRegular;
        bool operator==(const GlyphKey&) const = default;
    };
    struct GlyphKeyHash {
        std::size_t operator()(const GlyphKey& key) const;
    };

    // Where a rasterised glyph sits in the atlas, and how it hangs off the pen position.
    struct AtlasGlyph {
        SDL_Texture* page = nullptr;  // null for glyphs with no ink (spaces)
        int x = 0, y = 0, width = 0, height = 0;
        int left = 0;  // bitmap left of the pen
        int top = 0;   // bitmap top above the baseline
    };

    // The page retired when the atlas filled, kept until the frame that drew from it is shown.
    struct RetiredPage {
        SDL_Texture* page = nullptr;
        int frame = 0;
    };

    struct Quad {
        SDL_Texture* page = nullptr;
        ImVec2 min, max, uvMin, uvMax;
    };

    HarfBuzzTextEngine(SDL_Renderer* renderer, const Options& options);

    bool loadFont(FontIndex index, const std::filesystem::path& file, std::string& error);
    LineMetrics metricsFor(const ui::TextStyle& style) const;
    SizedFont& sizedFont(FontIndex font, std::int32_t emPixels26);
    const ShapedLine& shapedLine(const ui::TextStyle& style, std::string_view utf8);
    void shapeInto(ShapedLine& line, const ui::TextStyle& style, std::string_view utf8);
    void appendRun(ShapedLine& line, FontIndex font, std::string_view utf8, std::size_t start,
                   std::size_t length);
    const AtlasGlyph* atlasGlyph(const GlyphKey& key);
    bool reserveAtlasSpace(int width, int height, int& x, int& y);
    bool startAtlasPage();
    void releaseRetiredPages();

    SDL_Renderer* renderer_ = nullptr;
    Options options_;
    FT_LibraryRec_* freetype_ = nullptr;
    FontFile fonts_[kFontCount];
    std::unordered_map<std::uint64_t, SizedFont> sizedFonts_;  // key: font index and em size
    hb_buffer_t* buffer_ = nullptr;                            // reused for every shaping call

    // Least recently used first; the map points into the list.
    std::list<std::pair<std::string, ShapedLine>> lines_;
    std::unordered_map<std::string_view, std::list<std::pair<std::string, ShapedLine>>::iterator> lineIndex_;
    std::string keyScratch_;  // lookup key built here so a cache hit allocates nothing

    // Glyph atlas: one texture page filled shelf by shelf, left to right.
    SDL_Texture* page_ = nullptr;
    int shelfX_ = 0, shelfY_ = 0, shelfHeight_ = 0;
    std::unordered_map<GlyphKey, AtlasGlyph, GlyphKeyHash> glyphs_;
    std::vector<RetiredPage> retiredPages_;
    std::vector<unsigned char> uploadScratch_;
    std::vector<Quad> quadScratch_;  // reused by drawLine, which runs for every line every frame
    int atlasRestarts_ = 0;
};

}  // namespace kiosk::platform
