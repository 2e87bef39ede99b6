// Pixel checks on screens rendered by the real council-kiosk in headless mode: the colours the
// GOV.UK Design System residents know, and touch targets and text at their physical sizes on
// the assumed 23.8-inch 1080p panel. Runs the program (it owns a window system and a global
// ImGui context), then reads its PNG screenshots and the JSON dumps of its frame records.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <stb/stb_image.h>

namespace {

namespace fs = std::filesystem;

struct Rgb {
    int r = 0, g = 0, b = 0;
    bool operator==(const Rgb&) const = default;
};

Rgb hex(std::uint32_t value) {
    return {static_cast<int>(value >> 16 & 0xFF), static_cast<int>(value >> 8 & 0xFF), static_cast<int>(value & 0xFF)};
}

bool near(const Rgb& a, const Rgb& b, int tolerance = 3) {
    return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance && std::abs(a.b - b.b) <= tolerance;
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
    // Share of pixels in a rectangle that are near a colour.
    double share(const nlohmann::json& item, const Rgb& colour) const {
        int matching = 0, total = 0;
        for (int y = int(item["y"].get<float>()); y < int(item["y"].get<float>() + item["height"].get<float>()); ++y)
            for (int x = int(item["x"].get<float>()); x < int(item["x"].get<float>() + item["width"].get<float>()); ++x) {
                ++total;
                if (near(at(x, y), colour)) ++matching;
            }
        return total ? double(matching) / total : 0;
    }
};

nlohmann::json readJson(const fs::path& file) {
    std::ifstream in(file);
    REQUIRE(in.good());
    return nlohmann::json::parse(in);
}

const nlohmann::json* findItem(const nlohmann::json& dump, const std::string& label) {
    for (const auto& item : dump["items"])
        if (item["label"] == label) return &item;
    return nullptr;
}

// Renders every screen once for the whole test run.
const fs::path& renderedScreens() {
    static const fs::path directory = [] {
        const fs::path out = fs::path(KIOSK_TEST_WORK_DIR) / "render";
        fs::remove_all(out);
        fs::create_directories(out / "data");
        const std::string command = std::string(KIOSK_BINARY) + " --headless --size 1920x1080 --no-sync --config " +
                                    KIOSK_E2E_CONFIG + " --data-dir " + (out / "data").string() + " --script " +
                                    KIOSK_RENDER_SCRIPT + " --screenshots " + out.string() + " 2>" +
                                    (out / "stderr.txt").string();
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
    const auto dump = readJson(dir / "attract.json");
    REQUIRE(shot.width == 1920);
    REQUIRE(shot.height == 1080);
    CHECK(near(shot.at(5, 5), kGovukBlack));                     // top bar
    CHECK(near(shot.at(40, shot.height - 40), kWhite));          // page
    CHECK(near(shot.at(shot.width - 40, shot.height / 2), kWhite));
    // The whole screen is the target, so "Start now" is drawn but not recorded: look for its
    // green in the middle of the lower half instead.
    const nlohmann::json middle = {{"x", 600}, {"y", 540}, {"width", 720}, {"height", 200}};
    CHECK(shot.share(middle, kGovukGreen) > 0.1);
}

TEST_CASE("Continue is a GOV.UK green button at least 15 mm tall", "[render]") {
    const fs::path& dir = renderedScreens();
    const Screenshot shot(dir / "question.png");
    const auto dump = readJson(dir / "question.json");
    const float pixelsPerMm = dump["pixelsPerMm"];
    const auto* button = findItem(dump, "Find address");
    REQUIRE(button != nullptr);
    CHECK((*button)["height"].get<float>() >= 15 * pixelsPerMm - 1);
    // Mostly green with white text; the bottom edge is the darker shadow.
    CHECK(shot.share(*button, kGovukGreen) > 0.6);
}

TEST_CASE("every tappable control is at least 15 mm tall", "[render]") {
    const fs::path& dir = renderedScreens();
    for (const char* name : {"attract", "question", "question-error", "check-answers", "confirmation"}) {
        const auto dump = readJson(dir / (std::string(name) + ".json"));
        const float minimum = 15 * dump["pixelsPerMm"].get<float>() - 1;
        for (const auto& item : dump["items"]) {
            if (!item["tappable"].get<bool>()) continue;
            INFO(name << ": \"" << item["label"].get<std::string>() << "\" is " << item["height"].get<float>()
                      << " px tall, minimum " << minimum);
            CHECK(item["height"].get<float>() >= minimum);
        }
    }
}

TEST_CASE("the error summary is outlined in GOV.UK red", "[render]") {
    const fs::path& dir = renderedScreens();
    const Screenshot shot(dir / "question-error.png");
    const auto dump = readJson(dir / "question-error.json");
    const auto* title = findItem(dump, "There is a problem");
    REQUIRE(title != nullptr);
    // Walk left from the title to the summary's border.
    const int y = int((*title)["y"].get<float>() + (*title)["height"].get<float>() / 2);
    bool foundRed = false;
    for (int x = int((*title)["x"].get<float>()); x > 0 && !foundRed; --x) foundRed = near(shot.at(x, y), kGovukRed, 8);
    CHECK(foundRed);
}

TEST_CASE("the reference number sits on the green confirmation panel in large type", "[render]") {
    const fs::path& dir = renderedScreens();
    const Screenshot shot(dir / "confirmation.png");
    const auto dump = readJson(dir / "confirmation.json");
    const nlohmann::json* reference = nullptr;
    for (const auto& item : dump["items"])
        if (item["label"].get<std::string>().rfind("E2E-", 0) == 0) reference = &item;
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
    const auto dump = readJson(dir / "check-answers.json");
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
