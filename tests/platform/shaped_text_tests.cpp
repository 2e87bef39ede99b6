// HarfBuzzTextEngine drawn through the real SDL_Renderer backend, headless, and compared with
// hb-view's rendering of the same Nepali text in the same font and size. A second engine that
// draws one glyph per code point (what Dear ImGui does alone) must fail the same comparison, so
// the comparison is known to notice text that was not shaped.
//
// Rendered and reference images land in <build>/tests/ui/shaped_text/<shaped|unshaped|...>/ for
// a person to look at, each folder with a scores.txt holding its comparisons' figures.
#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdlrenderer.h>
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "kiosk/platform/display.h"
#include "kiosk/platform/fonts.h"
#include "kiosk/platform/shaped_text.h"

using kiosk::platform::HarfBuzzTextEngine;
using kiosk::ui::TextStyle;

namespace {

const std::filesystem::path kFontDirectory = kiosk::platform::kDefaultFontDirectory;
const std::filesystem::path kOutputRoot = KIOSK_TEST_OUTPUT_DIR;
constexpr const char* kHbView = KIOSK_TEST_HB_VIEW;

// Em of 40 px. The engine takes Dear ImGui's size, Noto Sans's ascent plus descent (1362/1000 em).
constexpr int kEmPixels = 40;
constexpr float kPixelSize = kEmPixels * 1362.0f / 1000.0f;
constexpr int kCanvasWidth = 800;
constexpr int kCanvasHeight = 160;
const ImVec2 kTextOrigin(20, 20);

// Thresholds, from measurements (scores.txt). Shaped, every string's ink box matched exactly,
// its mean difference was at most 0.0024 and no band was off by more than 0.8 px; unshaped,
// the mean difference was 0.097 or more, with 3 or more bands disagreeing. FreeType's light
// hinting instead of none already gives 0.008 to 0.015, so this also holds the hinting to
// hb-view's.
constexpr int kBoxTolerance = 2;             // px, ink box width and height
constexpr double kMaxMeanDifference = 0.01;  // mean |grey difference| over the union box
constexpr double kBandTolerance = 0.25;      // a band's ink may differ by this fraction...
constexpr double kBandSlack = 3.0;           // ...plus this many fully inked pixels
constexpr int kBandWidth = kEmPixels / 5;    // 8 px: narrower than any Devanagari letter

struct GreyImage {
    int width = 0;
    int height = 0;
    std::vector<unsigned char> pixels;  // 0 black .. 255 white

    int at(int x, int y) const {
        if (x < 0 || y < 0 || x >= width || y >= height) return 255;
        return pixels[static_cast<std::size_t>(y) * width + x];
    }
};

bool savePng(const GreyImage& image, const std::filesystem::path& file) {
    std::filesystem::create_directories(file.parent_path());
    return stbi_write_png(file.c_str(), image.width, image.height, 1, image.pixels.data(), image.width) != 0;
}

GreyImage loadPng(const std::filesystem::path& file) {
    GreyImage image;
    int channels = 0;
    unsigned char* data = stbi_load(file.c_str(), &image.width, &image.height, &channels, 1);
    if (!data) return GreyImage{};
    image.pixels.assign(data, data + static_cast<std::size_t>(image.width) * image.height);
    stbi_image_free(data);
    return image;
}

// hb-view with the same font, em size and language as the engine, black on white. The margin
// matters: hb-view sizes its image by the advances, so without one a final virama or a u sign
// that hangs past the last advance is cut off.
GreyImage hbViewReference(const std::filesystem::path& folder, const std::string& text,
                          const std::string& fontFile, const std::string& name, const char* language,
                          const char* script) {
    std::filesystem::create_directories(folder);
    const auto textFile = folder / (name + ".txt");
    const auto pngFile = folder / (name + "-hb-view.png");
    {
        std::ofstream out(textFile, std::ios::binary);
        out << text;  // no newline: hb-view would draw a second, empty line
    }
    std::ostringstream command;
    command << kHbView << " --font-file='" << (kFontDirectory / fontFile).string()
            << "' --font-size=" << kEmPixels
            << " --margin=16 --background=FFFFFF --foreground=000000 --language=" << language
            << " --script=" << script << " -O png -o '" << pngFile.string() << "' --text-file='"
            << textFile.string() << "'";
    if (std::system(command.str().c_str()) != 0) return GreyImage{};
    return loadPng(pngFile);
}

// SDL's software renderer on an offscreen surface (as the kiosk's headless mode) with Dear
// ImGui and its SDL_Renderer backend drawing each frame.
class RenderHarness {
public:
    RenderHarness() {
        kiosk::platform::DisplayRequest request;
        request.headless = true;
        request.width = kCanvasWidth;
        request.height = kCanvasHeight;
        opened_ = kiosk::platform::openDisplay(request, display_, error_);
        if (!opened_) return;
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        ImFontConfig config;  // as kiosk/platform/fonts.cpp bakes its fonts
        config.OversampleH = 1;
        config.OversampleV = 1;
        config.PixelSnapH = true;
        notoSans_ = io.Fonts->AddFontFromFileTTF((kFontDirectory / "NotoSans-Regular.ttf").c_str(),
                                                 kPixelSize, &config);
        io.Fonts->Build();  // so text can be measured before the first frame
        ImGui_ImplSDLRenderer_Init(display_.renderer);
    }
    ~RenderHarness() {
        if (!opened_) return;
        ImGui_ImplSDLRenderer_Shutdown();
        ImGui::DestroyContext();
        kiosk::platform::closeDisplay(display_);
    }
    RenderHarness(const RenderHarness&) = delete;
    RenderHarness& operator=(const RenderHarness&) = delete;

    bool opened() const { return opened_; }
    const std::string& error() const { return error_; }
    SDL_Renderer* renderer() const { return display_.renderer; }
    ImFont* notoSans() const { return notoSans_; }

    // One whole frame: draw() adds to the background draw list, then the backend renders it
    // onto white and the pixels are read back.
    template <typename Draw>
    GreyImage frame(Draw&& draw) {
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(kCanvasWidth, kCanvasHeight);
        io.DeltaTime = 1.0f / 60.0f;
        ImGui_ImplSDLRenderer_NewFrame();
        ImGui::NewFrame();
        draw(ImGui::GetBackgroundDrawList());
        ImGui::Render();
        SDL_SetRenderDrawColor(display_.renderer, 255, 255, 255, 255);
        SDL_RenderClear(display_.renderer);
        ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
        std::vector<unsigned char> rgb(static_cast<std::size_t>(kCanvasWidth) * kCanvasHeight * 3);
        GreyImage image;
        if (SDL_RenderReadPixels(display_.renderer, nullptr, SDL_PIXELFORMAT_RGB24, rgb.data(),
                                 kCanvasWidth * 3) != 0)
            return image;
        image.width = kCanvasWidth;
        image.height = kCanvasHeight;
        image.pixels.resize(static_cast<std::size_t>(kCanvasWidth) * kCanvasHeight);
        for (std::size_t i = 0; i < image.pixels.size(); ++i)
            image.pixels[i] = static_cast<unsigned char>((rgb[i * 3] + rgb[i * 3 + 1] + rgb[i * 3 + 2]) / 3);
        return image;
    }

    GreyImage drawLine(HarfBuzzTextEngine& engine, const std::string& text, bool bold = false) {
        return frame([&](ImDrawList* drawList) {
            engine.drawLine(drawList, TextStyle{kPixelSize, bold}, kTextOrigin, IM_COL32(0, 0, 0, 255), text);
        });
    }

private:
    kiosk::platform::Display display_;
    bool opened_ = false;
    std::string error_;
    ImFont* notoSans_ = nullptr;
};

struct InkBox {
    int left = 0, top = 0, right = -1, bottom = -1;  // inclusive; empty when right < left
    bool empty() const { return right < left; }
    int width() const { return right - left + 1; }
    int height() const { return bottom - top + 1; }
};

// Pixels darker than mid-grey; fainter anti-aliasing at the edges does not count.
InkBox inkBox(const GreyImage& image) {
    InkBox box{image.width, image.height, -1, -1};
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x)
            if (image.at(x, y) < 128) {
                box.left = std::min(box.left, x);
                box.right = std::max(box.right, x);
                box.top = std::min(box.top, y);
                box.bottom = std::max(box.bottom, y);
            }
    if (box.right < 0) return InkBox{};
    return box;
}

struct Comparison {
    InkBox rendered, reference;
    double meanDifference = 1.0;  // 0 identical .. 1 black against white everywhere
    int bands = 0;
    int bandsDisagreeing = 0;
    double worstBand = 0;  // largest band ink difference, in fully inked pixels

    bool boxesAgree() const {
        return !rendered.empty() && !reference.empty() &&
               std::abs(rendered.width() - reference.width()) <= kBoxTolerance &&
               std::abs(rendered.height() - reference.height()) <= kBoxTolerance;
    }
    bool matches() const {
        return boxesAgree() && meanDifference <= kMaxMeanDifference && bandsDisagreeing == 0;
    }

    std::string describe() const {
        char line[256];
        std::snprintf(line, sizeof line,
                      "box %dx%d vs %dx%d, mean difference %.4f, bands disagreeing %d of %d (worst %.1f px)",
                      rendered.width(), rendered.height(), reference.width(), reference.height(),
                      meanDifference, bandsDisagreeing, bands, worstBand);
        return line;
    }
};

// Lines the two images up by the top-left corners of their ink boxes, then compares grey levels
// over the union of the boxes and the amount of ink in each column band: a vowel sign on the
// wrong side of its consonant, or a half-form drawn as a full letter with a virama, moves ink
// between bands even when the totals match.
Comparison compareInk(const GreyImage& rendered, const GreyImage& reference) {
    Comparison result;
    result.rendered = inkBox(rendered);
    result.reference = inkBox(reference);
    if (result.rendered.empty() || result.reference.empty()) return result;
    const int width = std::max(result.rendered.width(), result.reference.width());
    const int height = std::max(result.rendered.height(), result.reference.height());
    const auto renderedAt = [&](int x, int y) {
        return rendered.at(result.rendered.left + x, result.rendered.top + y);
    };
    const auto referenceAt = [&](int x, int y) {
        return reference.at(result.reference.left + x, result.reference.top + y);
    };

    double total = 0;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) total += std::abs(renderedAt(x, y) - referenceAt(x, y));
    result.meanDifference = total / (255.0 * width * height);

    for (int bandLeft = 0; bandLeft < width; bandLeft += kBandWidth) {
        double renderedInk = 0, referenceInk = 0;
        for (int x = bandLeft; x < std::min(width, bandLeft + kBandWidth); ++x)
            for (int y = 0; y < height; ++y) {
                renderedInk += (255 - renderedAt(x, y)) / 255.0;
                referenceInk += (255 - referenceAt(x, y)) / 255.0;
            }
        const double difference = std::abs(renderedInk - referenceInk);
        ++result.bands;
        result.worstBand = std::max(result.worstBand, difference);
        if (difference > kBandTolerance * std::max(renderedInk, referenceInk) + kBandSlack)
            ++result.bandsDisagreeing;
    }
    return result;
}

// One folder of images and a scores.txt per test case, so test cases can run side by side.
class OutputFolder {
public:
    explicit OutputFolder(const std::string& name) : path_(kOutputRoot / name) {
        std::filesystem::create_directories(path_);
        scores_.open(path_ / "scores.txt", std::ios::trunc);
    }
    const std::filesystem::path& path() const { return path_; }
    void record(const std::string& name, const std::string& text, const Comparison& comparison) {
        scores_ << name << "\t" << text << "\t" << comparison.describe() << "\t"
                << (comparison.matches() ? "match" : "DIFFERENT") << "\n";
        scores_.flush();
    }

private:
    std::filesystem::path path_;
    std::ofstream scores_;
};

struct Sample {
    const char* name;
    const char* text;
    // Shaping changes the picture. Plain syllables such as नेपाली come out nearly the same
    // drawn one glyph per code point, so they cannot show that unshaped text is caught.
    bool unshapedLooksDifferent;
};

// Conjuncts (क्ष, त्र, प्र, श्न, स्थ, ज्न),
// the i sign that is written before its consonant (कि, निर्माण),
// reph (र् above: कार्यालय, निर्माण),
// eyelash ra (ra, virama, ZWJ, ya),
// a word-final virama (परिषद्, खोज्नुहोस्)
// and plain words with o and e signs.
const Sample kSamples[] = {
    {"household-waste", "घरको फोहोर उठाइएन", false},
    {"nepali", "नेपाली", false},
    {"area", "क्षेत्र", true},
    {"question", "प्रश्न", true},
    {"local-council", "स्थानीय परिषद्", true},
    {"find-address", "ठेगाना खोज्नुहोस्", true},
    {"ki", "कि", true},
    {"eyelash-ra", "र्\u200dय", true},
    {"office", "कार्यालय", true},
    {"construction", "निर्माण", true},
};

// For a person: the engine's ink (top), hb-view's (middle) and their difference (bottom, dark
// where they disagree), lined up as compareInk() lines them up and magnified three times.
bool saveSideBySide(const GreyImage& rendered, const GreyImage& reference,
                    const std::filesystem::path& file) {
    const InkBox a = inkBox(rendered), b = inkBox(reference);
    if (a.empty() || b.empty()) return false;
    constexpr int kPad = 4, kZoom = 3;
    const int width = std::max(a.width(), b.width()) + 2 * kPad;
    const int height = std::max(a.height(), b.height()) + 2 * kPad;
    GreyImage out;
    out.width = width * kZoom;
    out.height = (3 * height + 2) * kZoom;
    out.pixels.assign(static_cast<std::size_t>(out.width) * out.height, 160);
    for (int row = 0; row < 3; ++row)
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x) {
                const int ours = rendered.at(a.left - kPad + x, a.top - kPad + y);
                const int theirs = reference.at(b.left - kPad + x, b.top - kPad + y);
                const int value = row == 0 ? ours : row == 1 ? theirs : 255 - std::abs(ours - theirs);
                for (int zy = 0; zy < kZoom; ++zy)
                    for (int zx = 0; zx < kZoom; ++zx) {
                        const int outY = (row * (height + 1) + y) * kZoom + zy;
                        out.pixels[static_cast<std::size_t>(outY) * out.width + x * kZoom + zx] =
                            static_cast<unsigned char>(value);
                    }
            }
    return savePng(out, file);
}

Comparison compareWithHbView(RenderHarness& harness, HarfBuzzTextEngine& engine, OutputFolder& output,
                             const Sample& sample, bool bold = false) {
    const std::string name = std::string(sample.name) + (bold ? "-bold" : "");
    const GreyImage reference = hbViewReference(
        output.path(), sample.text, bold ? "NotoSansDevanagari-Bold.ttf" : "NotoSansDevanagari-Regular.ttf",
        name, "ne", "deva");
    REQUIRE(reference.width > 0);
    const GreyImage rendered = harness.drawLine(engine, sample.text, bold);
    REQUIRE(rendered.width > 0);
    CHECK(savePng(rendered, output.path() / (name + "-engine.png")));
    CHECK(saveSideBySide(rendered, reference, output.path() / (name + "-compare.png")));
    const Comparison comparison = compareInk(rendered, reference);
    output.record(name, sample.text, comparison);
    return comparison;
}

HarfBuzzTextEngine::Created makeEngine(RenderHarness& harness,
                                       HarfBuzzTextEngine::Options options = HarfBuzzTextEngine::Options{}) {
    return HarfBuzzTextEngine::create(kFontDirectory, harness.renderer(), options);
}

}  // namespace

TEST_CASE("Shaped Nepali matches hb-view's rendering of the same text", "[shaped_text]") {
    RenderHarness harness;
    REQUIRE(harness.opened());
    auto created = makeEngine(harness);
    INFO(created.error);
    REQUIRE(created.engine);
    OutputFolder output("shaped");
    for (const Sample& sample : kSamples) {
        const Comparison comparison = compareWithHbView(harness, *created.engine, output, sample);
        INFO(sample.name << ": " << comparison.describe());
        CHECK(comparison.matches());
    }
    // Bold comes from Noto Sans Devanagari Bold, not a smeared regular.
    for (const Sample& sample : {kSamples[1], kSamples[4]}) {
        const Comparison comparison = compareWithHbView(harness, *created.engine, output, sample, true);
        INFO(sample.name << " bold: " << comparison.describe());
        CHECK(comparison.matches());
    }
}

TEST_CASE("Unshaped rendering is detected as different", "[shaped_text]") {
    RenderHarness harness;
    REQUIRE(harness.opened());
    HarfBuzzTextEngine::Options options;
    options.shaping = HarfBuzzTextEngine::Shaping::OneGlyphPerCodePoint;
    auto created = makeEngine(harness, options);
    REQUIRE(created.engine);
    OutputFolder output("unshaped");
    for (const Sample& sample : kSamples) {
        const Comparison comparison = compareWithHbView(harness, *created.engine, output, sample);
        INFO(sample.name << ": " << comparison.describe());
        if (sample.unshapedLooksDifferent) CHECK_FALSE(comparison.matches());
    }
}

TEST_CASE("Latin text matches hb-view and sits where Dear ImGui puts it", "[shaped_text]") {
    RenderHarness harness;
    REQUIRE(harness.opened());
    REQUIRE(harness.notoSans());
    auto created = makeEngine(harness);
    REQUIRE(created.engine);
    const std::string postcode = "ME14 1AA";
    OutputFolder output("latin");

    const GreyImage reference =
        hbViewReference(output.path(), postcode, "NotoSans-Regular.ttf", "postcode", "en", "latn");
    REQUIRE(reference.width > 0);
    const GreyImage shaped = harness.drawLine(*created.engine, postcode);
    CHECK(savePng(shaped, output.path() / "postcode-engine.png"));
    const Comparison comparison = compareInk(shaped, reference);
    output.record("postcode", postcode, comparison);
    INFO("against hb-view: " << comparison.describe());
    CHECK(comparison.matches());

    // Dear ImGui's own drawing of the same text at the same size and origin: the same baseline
    // (no descenders here, so the ink's bottom row) and cap height. Dear ImGui rounds each
    // advance to a whole pixel and does not kern, so widths may differ by a few pixels.
    const GreyImage imgui = harness.frame([&](ImDrawList* drawList) {
        drawList->AddText(harness.notoSans(), kPixelSize, kTextOrigin, IM_COL32(0, 0, 0, 255),
                          postcode.c_str());
    });
    CHECK(savePng(imgui, output.path() / "postcode-imgui.png"));
    const InkBox ours = inkBox(shaped), theirs = inkBox(imgui);
    INFO("engine ink " << ours.left << "," << ours.top << " to " << ours.right << "," << ours.bottom
                       << "; Dear ImGui " << theirs.left << "," << theirs.top << " to " << theirs.right << ","
                       << theirs.bottom);
    CHECK(std::abs(ours.bottom - theirs.bottom) <= 1);
    CHECK(std::abs(ours.top - theirs.top) <= 1);
    CHECK(std::abs(ours.left - theirs.left) <= 1);
    CHECK(std::abs(ours.right - theirs.right) <= 4);
}

TEST_CASE("A Nepali line with a Latin postcode measures as the sum of its runs", "[shaped_text]") {
    RenderHarness harness;
    REQUIRE(harness.opened());
    auto created = makeEngine(harness);
    REQUIRE(created.engine);
    HarfBuzzTextEngine& engine = *created.engine;
    const TextStyle style{kPixelSize, false};

    // Spaces join the run before them, so these are the three runs the engine shapes.
    const std::string devanagariRun = "घरको ठेगाना ";
    const std::string latinRun = "ME14 1AA ";
    const std::string tail = "हो";
    const ImVec2 whole = engine.measureLine(style, devanagariRun + latinRun + tail);
    const float sum = engine.measureLine(style, devanagariRun).x + engine.measureLine(style, latinRun).x +
                      engine.measureLine(style, tail).x;
    INFO("whole " << whole.x << " px, runs " << sum << " px");
    CHECK(std::abs(whole.x - sum) <= 1.0f);

    // The postcode is Noto Sans at the em Dear ImGui's Latin uses: its width agrees with Dear
    // ImGui's (which rounds each of its 9 advances to a whole pixel).
    const float imguiWidth = harness.notoSans()->CalcTextSizeA(kPixelSize, 1e9f, 0, latinRun.c_str()).x;
    INFO("postcode run " << engine.measureLine(style, latinRun).x << " px, Dear ImGui " << imguiWidth
                         << " px");
    CHECK(std::abs(engine.measureLine(style, latinRun).x - imguiWidth) <= 4.5f);

    // The line box holds Devanagari's lowest marks: taller than Dear ImGui's Latin line, and
    // the same for every string so lines of a paragraph are evenly spaced.
    CHECK(whole.y >= kPixelSize);
    CHECK(whole.y >= std::ceil(kEmPixels * (896 + 408) / 1000.0f));
    CHECK(engine.measureLine(style, " ").y == whole.y);

    // Drawn, the postcode's ink starts where the Devanagari run's advance ends, on the same rows.
    const GreyImage mixed = harness.drawLine(engine, devanagariRun + latinRun + tail);
    CHECK(savePng(mixed, kOutputRoot / "mixed" / "mixed-engine.png"));
    const GreyImage postcodeAlone = harness.frame([&](ImDrawList* drawList) {
        const ImVec2 at(kTextOrigin.x + engine.measureLine(style, devanagariRun).x, kTextOrigin.y);
        engine.drawLine(drawList, style, at, IM_COL32(0, 0, 0, 255), latinRun);
    });
    const InkBox alone = inkBox(postcodeAlone);
    REQUIRE_FALSE(alone.empty());
    // The same columns of the whole line (a space either side keeps the Devanagari out) hold
    // the same pixels: same rows, since both scripts share one baseline, and same columns,
    // since glyphs are rounded to pixels from their absolute position.
    GreyImage postcodeColumns = mixed;
    for (int y = 0; y < postcodeColumns.height; ++y)
        for (int x = 0; x < postcodeColumns.width; ++x)
            if (x < alone.left - 3 || x > alone.right + 3)
                postcodeColumns.pixels[static_cast<std::size_t>(y) * postcodeColumns.width + x] = 255;
    const InkBox inLine = inkBox(postcodeColumns);
    INFO("postcode alone " << alone.left << "," << alone.top << " to " << alone.right << "," << alone.bottom
                           << "; in the line " << inLine.left << "," << inLine.top << " to " << inLine.right
                           << "," << inLine.bottom);
    CHECK(inLine.left == alone.left);
    CHECK(inLine.right == alone.right);
    CHECK(inLine.top == alone.top);
    CHECK(inLine.bottom == alone.bottom);
    int pixelsDiffering = 0;
    for (int y = alone.top; y <= alone.bottom; ++y)
        for (int x = alone.left; x <= alone.right; ++x)
            pixelsDiffering += mixed.at(x, y) != postcodeAlone.at(x, y);
    CHECK(pixelsDiffering == 0);
}

TEST_CASE("Tall and deep Devanagari stays inside the line box", "[shaped_text]") {
    RenderHarness harness;
    REQUIRE(harness.opened());
    auto created = makeEngine(harness);
    REQUIRE(created.engine);
    // Reph over a long i sign, conjuncts that reach below the line (ट्ठ, द्ध, ड्ड, ह्र, ङ्ग), u,
    // uu and ri signs below, candrabindu above.
    const std::string deep = "र्कि र्की ट्ठ द्ध ड्ड ह्र कृ रु हू ङ्ग आँ खोज्नुहोस्";
    for (const bool bold : {false, true}) {
        const TextStyle style{kPixelSize, bold};
        const ImVec2 box = created.engine->measureLine(style, deep);
        const GreyImage image = harness.drawLine(*created.engine, deep, bold);
        CHECK(savePng(image, kOutputRoot / "line-box" / (bold ? "deep-bold-engine.png" : "deep-engine.png")));
        // Any ink at all, not just dark pixels: a clip rectangle would cut faint edges too.
        int top = image.height, bottom = -1;
        for (int y = 0; y < image.height; ++y)
            for (int x = 0; x < image.width; ++x)
                if (image.at(x, y) < 255) {
                    top = std::min(top, y);
                    bottom = std::max(bottom, y);
                }
        INFO("line box " << kTextOrigin.y << " to " << kTextOrigin.y + box.y << ", ink rows " << top << " to "
                         << bottom << (bold ? " (bold)" : ""));
        CHECK(top >= kTextOrigin.y);
        CHECK(bottom < kTextOrigin.y + box.y);
        CHECK(bottom > kTextOrigin.y + box.y - kEmPixels / 4);  // the box is not wastefully deep
    }
}

TEST_CASE("A full glyph atlas starts again without changing what is drawn", "[shaped_text]") {
    RenderHarness harness;
    REQUIRE(harness.opened());
    auto roomy = makeEngine(harness);
    HarfBuzzTextEngine::Options options;
    options.atlasSize = 128;  // a handful of 40 px glyphs
    options.cachedLines = 2;
    auto cramped = makeEngine(harness, options);
    REQUIRE(roomy.engine);
    REQUIRE(cramped.engine);
    for (int frame = 0; frame < 2; ++frame) {
        for (const Sample& sample : kSamples) {
            const GreyImage expected = harness.drawLine(*roomy.engine, sample.text);
            const GreyImage actual = harness.drawLine(*cramped.engine, sample.text);
            INFO(sample.name << " in pass " << frame);
            CHECK(actual.pixels == expected.pixels);
        }
    }
    CHECK(cramped.engine->atlasRestarts() > 0);
    CHECK(roomy.engine->atlasRestarts() == 0);
}

TEST_CASE("A missing font directory is a clear error", "[shaped_text]") {
    RenderHarness harness;
    REQUIRE(harness.opened());
    auto created = HarfBuzzTextEngine::create("/nonexistent/fonts", harness.renderer());
    CHECK_FALSE(created.engine);
    CHECK_THAT(created.error,
               Catch::Contains("/nonexistent/fonts/NotoSans") && Catch::Contains("fonts-noto-core"));

    auto noRenderer = HarfBuzzTextEngine::create(kFontDirectory, nullptr);
    CHECK_FALSE(noRenderer.engine);
    CHECK_FALSE(noRenderer.error.empty());
}

TEST_CASE("Shaping and drawing cost per line", "[.][shaped_text][benchmark]") {
    RenderHarness harness;
    REQUIRE(harness.opened());
    auto created = makeEngine(harness);
    REQUIRE(created.engine);
    HarfBuzzTextEngine& engine = *created.engine;
    const TextStyle style{kPixelSize, false};
    using Clock = std::chrono::steady_clock;
    const auto microseconds = [](Clock::duration d) {
        return std::chrono::duration<double, std::micro>(d).count();
    };

    // Cold: each string shaped for the first time in a fresh size.
    auto start = Clock::now();
    int shaped = 0;
    for (int size = 0; size < 20; ++size)
        for (const Sample& sample : kSamples) {
            engine.measureLine(TextStyle{kPixelSize + size, false}, sample.text);
            ++shaped;
        }
    const double cold = microseconds(Clock::now() - start) / shaped;

    // Warm: the per-frame cost once lines and glyphs are cached (quads only, no rendering).
    harness.drawLine(engine, kSamples[0].text);
    ImGui::GetIO().DisplaySize = ImVec2(kCanvasWidth, kCanvasHeight);
    ImGui_ImplSDLRenderer_NewFrame();
    ImGui::NewFrame();
    for (const Sample& sample : kSamples)
        engine.drawLine(ImGui::GetBackgroundDrawList(), style, kTextOrigin, 0xFF000000, sample.text);
    start = Clock::now();
    constexpr int kRepeats = 200;
    for (int i = 0; i < kRepeats; ++i)
        for (const Sample& sample : kSamples)
            engine.drawLine(ImGui::GetBackgroundDrawList(), style, kTextOrigin, 0xFF000000, sample.text);
    const double warm = microseconds(Clock::now() - start) / (kRepeats * std::size(kSamples));
    ImGui::Render();
    std::printf("shaping a new line: %.1f us; drawing a cached line: %.2f us\n", cold, warm);
    SUCCEED();
}
