// Pixel checks on screens rendered by the real council-kiosk in headless mode: the colours the
// GOV.UK Design System residents know, and touch targets and text at their physical sizes on
// the assumed 23.8-inch 1080p panel. Runs the program (it owns a window system and a global
// ImGui context), then reads its PNG screenshots and the JSON dumps of its frame records.
#include <stb/stb_image.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Rgb {
    int r = 0, g = 0, b = 0;
    bool operator==(const Rgb&) const = default;
};

Rgb hex(std::uint32_t value) {
    return {static_cast<int>(value >> 16 & 0xFF), static_cast<int>(value >> 8 & 0xFF),
            static_cast<int>(value & 0xFF)};
}

bool near(const Rgb& a, const Rgb& b, int tolerance = 3) {
    return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance &&
           std::abs(a.b - b.b) <= tolerance;
}

struct Screenshot {
    int width = 0, height = 0;
    std::vector<unsigned char> pixels;

    explicit Screenshot(const fs::path& file) {
        int channels = 0;
        unsigned char* data = stbi_load(file.c_str(), &width, &height, &channels, 3);
        REQUIRE(data != nullptr);
        pixels.assign(data, data + static_cast<std::size_t>(width) * height * 3);
        stbi_image_free(data);
    }
    Rgb at(int x, int y) const {
        const unsigned char* p = &pixels[(static_cast<std::size_t>(y) * width + x) * 3];
        return {p[0], p[1], p[2]};
    }
    // Share of pixels in a rectangle that are near a colour. The rectangle must hold pixels and lie
    // on the screenshot: an empty or off-screen item would otherwise measure nothing.
    double share(const nlohmann::json& item, const Rgb& colour) const {
        const int x0 = int(item.at("x").get<float>()), y0 = int(item.at("y").get<float>());
        const int x1 = int(item.at("x").get<float>() + item.at("width").get<float>());
        const int y1 = int(item.at("y").get<float>() + item.at("height").get<float>());
        INFO("rectangle " << x0 << "," << y0 << " to " << x1 << "," << y1 << " on " << width << "x"
                          << height);
        REQUIRE(x0 >= 0);
        REQUIRE(y0 >= 0);
        REQUIRE(x1 <= width);
        REQUIRE(y1 <= height);
        REQUIRE(x1 > x0);
        REQUIRE(y1 > y0);
        int matching = 0;
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x)
                if (near(at(x, y), colour)) ++matching;
        return double(matching) / (double(x1 - x0) * (y1 - y0));
    }
};

nlohmann::json readJson(const fs::path& file) {
    std::ifstream in(file);
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
}

// A frame dump written by render-checks.txt: it must be of the screen the test means and record
// something, or every check on its items would hold for nothing.
nlohmann::json readDump(const fs::path& dir, const std::string& name, const std::string& screen) {
    INFO("dump " << name << ".json");
    nlohmann::json dump = readJson(dir / (name + ".json"));
    REQUIRE(dump.at("screen") == screen);
    REQUIRE(dump.at("items").is_array());
    REQUIRE_FALSE(dump.at("items").empty());
    REQUIRE(dump.at("pixelsPerMm").get<float>() > 0);
    return dump;
}

const nlohmann::json* findItem(const nlohmann::json& dump, const std::string& label) {
    for (const auto& item : dump.at("items"))
        if (item["label"] == label) return &item;
    return nullptr;
}

// Renders every screen once for the whole test run.
const fs::path& renderedScreens() {
    static const fs::path directory = [] {
        const fs::path out = fs::path(KIOSK_TEST_WORK_DIR) / "render";
        fs::remove_all(out);
        fs::create_directories(out / "data");
        const std::string command =
            std::string(KIOSK_BINARY) + " --headless --size 1920x1080 --no-sync --config " +
            KIOSK_E2E_CONFIG + " --data-dir " + (out / "data").string() + " --script " + KIOSK_RENDER_SCRIPT +
            " --screenshots " + out.string() + " 2>" + (out / "stderr.txt").string();
        REQUIRE(std::system(command.c_str()) == 0);
        return out;
    }();
    return directory;
}

const Rgb kWhite = hex(0xFFFFFF);
const Rgb kGovukGreen = hex(0x00703C);
const Rgb kGovukBlack = hex(0x0B0C0C);
const Rgb kGovukRed = hex(0xD4351C);

}  // namespace

TEST_CASE("the attract screen has a white page, a black top bar and a green start button", "[render]") {
    const fs::path& dir = renderedScreens();
    const Screenshot shot(dir / "attract.png");
    readDump(dir, "attract", "attract");
    REQUIRE(shot.width == 1920);
    REQUIRE(shot.height == 1080);
    CHECK(near(shot.at(5, 5), kGovukBlack));             // top bar
    CHECK(near(shot.at(40, shot.height - 40), kWhite));  // page
    CHECK(near(shot.at(shot.width - 40, shot.height / 2), kWhite));
    // The whole screen is the target, so "Start now" is drawn but not recorded: look for its
    // green in the middle of the lower half instead.
    const nlohmann::json middle = {{"x", 600}, {"y", 540}, {"width", 720}, {"height", 200}};
    CHECK(shot.share(middle, kGovukGreen) > 0.1);
}

TEST_CASE("The main button is a GOV.UK green button at least 15 mm tall", "[render]") {
    const fs::path& dir = renderedScreens();
    const Screenshot shot(dir / "question.png");
    // The first page asks for a postcode, so its main button is "Find address".
    const auto dump = readDump(dir, "question", "question");
    const float pixelsPerMm = dump["pixelsPerMm"];
    const auto* button = findItem(dump, "Find address");
    REQUIRE(button != nullptr);
    CHECK((*button)["height"].get<float>() >= 15 * pixelsPerMm - 1);
    // Mostly green with white text; the bottom edge is the darker shadow.
    CHECK(shot.share(*button, kGovukGreen) > 0.6);
}

TEST_CASE("every tappable control is at least 15 mm tall", "[render]") {
    const fs::path& dir = renderedScreens();
    // Each dump and the screen it shows; every one of them has controls, so each must give some.
    const std::pair<const char*, const char*> dumps[] = {{"attract", "attract"},
                                                         {"question", "question"},
                                                         {"question-error", "question"},
                                                         {"check-answers", "check-answers"},
                                                         {"confirmation", "confirmation"}};
    for (const auto& [name, screen] : dumps) {
        const auto dump = readDump(dir, name, screen);
        const float minimum = 15 * dump.at("pixelsPerMm").get<float>() - 1;
        int tappable = 0;
        for (const auto& item : dump.at("items")) {
            if (!item.at("tappable").get<bool>()) continue;
            ++tappable;
            INFO(name << ": \"" << item.at("label").get<std::string>() << "\" is "
                      << item.at("height").get<float>() << " px tall, minimum " << minimum);
            CHECK(item.at("height").get<float>() >= minimum);
        }
        INFO(name << ".json records no tappable control");
        CHECK(tappable > 0);
    }
}

TEST_CASE("the error summary is outlined in GOV.UK red", "[render]") {
    const fs::path& dir = renderedScreens();
    const Screenshot shot(dir / "question-error.png");
    const auto dump = readDump(dir, "question-error", "question");
    const auto* title = findItem(dump, "There is a problem");
    REQUIRE(title != nullptr);
    // Walk left from the title to the summary's border.
    const int y = int((*title)["y"].get<float>() + (*title)["height"].get<float>() / 2);
    bool foundRed = false;
    for (int x = int((*title)["x"].get<float>()); x > 0 && !foundRed; --x)
        foundRed = near(shot.at(x, y), kGovukRed, 8);
    CHECK(foundRed);
}

TEST_CASE("the reference number sits on the green confirmation panel in large type", "[render]") {
    const fs::path& dir = renderedScreens();
    const Screenshot shot(dir / "confirmation.png");
    const auto dump = readDump(dir, "confirmation", "confirmation");
    const nlohmann::json* reference = nullptr;
    for (const auto& item : dump.at("items"))
        if (item.at("label").get<std::string>().rfind("E2E-", 0) == 0) reference = &item;
    REQUIRE(reference != nullptr);
    const float pixelsPerMm = dump["pixelsPerMm"];
    // The reference font is 2.6 times the body size, whose capitals are 4.8 mm: over 12 mm of caps.
    CHECK((*reference)["height"].get<float>() >= 12 * pixelsPerMm);
    const double green = shot.share(*reference, kGovukGreen);
    const double white = shot.share(*reference, kWhite);
    CHECK(green > 0.4);
    CHECK(white > 0.1);
}

TEST_CASE("Send is on screen on a long check answers page, with a cue that there is more", "[render]") {
    const fs::path& dir = renderedScreens();
    const Screenshot shot(dir / "check-answers.png");
    const auto dump = readDump(dir, "check-answers", "check-answers");
    const auto* send = findItem(dump, "Send");
    REQUIRE(send != nullptr);
    CHECK((*send)["tappable"].get<bool>());
    CHECK((*send)["y"].get<float>() + (*send)["height"].get<float>() <= shot.height);
    CHECK(shot.share(*send, kGovukGreen) > 0.6);
    // The answers go on below the fold, and the page says so on a faded white strip.
    const auto* cue = findItem(dump, "Scroll down for more");
    REQUIRE(cue != nullptr);
    CHECK((*cue)["y"].get<float>() < (*send)["y"].get<float>());
    CHECK(shot.share(*cue, kWhite) > 0.6);
    // The action bar is white, with a thin grey line between it and the page.
    const int barLine = [&] {
        for (int y = int((*send)["y"].get<float>()) - 1; y > shot.height / 2; --y)
            if (!near(shot.at(40, y), kWhite)) return y;
        return -1;
    }();
    REQUIRE(barLine > 0);
    CHECK(near(shot.at(40, barLine), hex(0xB1B4B6), 8));
    CHECK(near(shot.at(40, barLine + 4), kWhite));
}
