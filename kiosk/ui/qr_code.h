// QR codes drawn by the kiosk (the confirmation page's receipt): libqrencode makes the modules,
// ImDrawList draws them as black squares on white with the standard 4-module quiet zone, in
// every theme, because phone cameras read dark-on-light.
#pragma once

#include <string>
#include <vector>

#include "kiosk/ui/ui_context.h"

namespace kiosk::ui {

struct QrModules {
    int width = 0;           // modules per side; 0 when the text could not be encoded
    std::vector<bool> dark;  // width * width, row by row
};
// Error correction level M (15 %): a scuffed or glare-struck screen still reads.
QrModules encodeQr(const std::string& text);

// Draws `text` as a QR code at least sideMm across (quiet zone included) at the cursor and
// records it as one item whose label is `label` (what read-aloud and scripts see).
void qrCode(UiContext& ui, const std::string& text, float sideMm, const std::string& label);

}  // namespace kiosk::ui
