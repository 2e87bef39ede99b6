// The printed receipt's page (receipt_page.h) and the printer's answer when CUPS cannot be
// reached (receipt_printer.h). Printing through a real cupsd is tests/system/receipt_printing.sh.
#include <stb/stb_image.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <variant>

#include "kiosk/platform/fonts.h"
#include "kiosk/platform/receipt_page.h"
#include "kiosk/platform/receipt_printer.h"

using namespace kiosk;
using namespace kiosk::platform;

namespace {

const ContentPack& samplePack() {
    static const ContentPack pack = [] {
        PackLoadResult loaded =
            loadContentPack(std::string(KIOSK_SOURCE_DIR) + "/assets/packs/sample-district");
        REQUIRE(loaded.problems.empty());
        return std::move(*loaded.pack);
    }();
    return pack;
}

ReceiptContent receiptIn(const std::string& language) {
    return buildReceipt(samplePack(),
                        ReceiptRequest{"SD1-0A4G-7RX", "missed-bin", language, 1'773'482'700'000});
}

// Share of pixels darker than mid-grey in a rectangle, 0 to 1.
double inkIn(const ReceiptPage& page, int left, int top, int width, int height) {
    long dark = 0;
    for (int y = top; y < top + height; ++y)
        for (int x = left; x < left + width; ++x)
            if (page.grey[static_cast<std::size_t>(y * page.width + x)] < 128) ++dark;
    return static_cast<double>(dark) / (static_cast<double>(width) * height);
}

}  // namespace

TEST_CASE("A receipt page is A4 at 300 dpi with ink inside its margins only", "[receipt]") {
    auto page = drawReceiptPage(receiptIn("en"), kDefaultFontDirectory);
    REQUIRE(page.ok());
    CHECK(page->width == 2480);
    CHECK(page->height == 3508);
    const double whole = inkIn(*page, 0, 0, page->width, page->height);
    CHECK(whole > 0.01);
    CHECK(whole < 0.3);
    const int margin = 200;  // 17 mm: the page's margins are 22 mm and more, the QR's quiet zone included
    CHECK(inkIn(*page, 0, 0, margin, page->height) == 0.0);
    CHECK(inkIn(*page, page->width - margin, 0, margin, page->height) == 0.0);
    CHECK(inkIn(*page, 0, 0, page->width, margin) == 0.0);
}

TEST_CASE("A Nepali receipt is drawn in Nepali, not as the English page", "[receipt]") {
    auto english = drawReceiptPage(receiptIn("en"), kDefaultFontDirectory);
    auto nepali = drawReceiptPage(receiptIn("ne"), kDefaultFontDirectory);
    REQUIRE(english.ok());
    REQUIRE(nepali.ok());
    CHECK(english->grey != nepali->grey);
    CHECK(inkIn(*nepali, 0, 0, nepali->width, nepali->height) > 0.01);
}

TEST_CASE("The receipt's PNG keeps its size and says it is 300 dpi", "[receipt]") {
    auto page = drawReceiptPage(receiptIn("en"), kDefaultFontDirectory);
    REQUIRE(page.ok());
    const std::string png = encodePng(*page);
    REQUIRE(png.size() > 50);
    CHECK(png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
    CHECK(png.compare(37, 4, "pHYs") == 0);
    const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(png[at]); };
    const unsigned perMetre = (byte(41) << 24) | (byte(42) << 16) | (byte(43) << 8) | byte(44);
    CHECK(perMetre == 11811);  // 300 dpi
    int width = 0, height = 0, channels = 0;
    unsigned char* decoded =
        stbi_load_from_memory(reinterpret_cast<const unsigned char*>(png.data()),
                              static_cast<int>(png.size()), &width, &height, &channels, 1);
    REQUIRE(decoded != nullptr);
    CHECK(width == page->width);
    CHECK(height == page->height);
    CHECK(std::equal(page->grey.begin(), page->grey.end(), decoded));
    stbi_image_free(decoded);
}

TEST_CASE("Without its fonts the receipt says which package they come from", "[receipt]") {
    auto page = drawReceiptPage(receiptIn("en"), "/nonexistent/fonts");
    REQUIRE_FALSE(page.ok());
    CHECK(page.error().message.find("fonts-noto-core") != std::string::npos);
}

TEST_CASE("A print server that cannot be reached answers that the receipt failed", "[receipt]") {
    ReceiptPrinter printer(KioskConfig::Printer{"hub-receipts", "/nonexistent/cups.sock"},
                           kDefaultFontDirectory);
    printer.print(receiptIn("en"));
    const std::vector<Intent> reports = printer.takeReports(true);
    REQUIRE(reports.size() == 1);
    const auto* residentIntent = std::get_if<ResidentIntent>(&reports[0]);
    REQUIRE(residentIntent != nullptr);
    const auto* failed = std::get_if<resident::ReceiptPrintFailed>(residentIntent);
    REQUIRE(failed != nullptr);
    CHECK(failed->reference == "SD1-0A4G-7RX");
    CHECK(printer.takeReports(true).empty());
}
