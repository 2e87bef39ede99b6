// The receipt drawn as a page: a ReceiptContent (kiosk/receipt.h) laid out on A4 at 300 dpi in
// grey levels, with text shaped by HarfBuzz and drawn by FreeType from Noto Sans (Noto Sans
// Devanagari for Nepali), and the QR code from libqrencode, at least 30 mm across. Printers get
// it as a PNG (image/png through cups-filters).
//
// It uses no SDL and no ImGui, so it runs on the printing thread while the screen carries on.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "kiosk/receipt.h"
#include "kiosk/result.h"

namespace kiosk::platform {

struct ReceiptPage {
    int width = 0;   // pixels
    int height = 0;  // pixels
    int dotsPerInch = 300;
    std::vector<std::uint8_t> grey;  // width * height, row by row; 255 is white paper
};

// Fails (a sentence for the log) only when a font file cannot be read or the QR code cannot be made.
Result<ReceiptPage> drawReceiptPage(const ReceiptContent& receipt, const std::filesystem::path& fontDirectory,
                                    int dotsPerInch = 300);

// The page as PNG bytes, with its resolution recorded (pHYs), so filters print it actual size.
std::string encodePng(const ReceiptPage& page);

}  // namespace kiosk::platform
