// QR codes (qr_code.h).
#include "kiosk/ui/qr_code.h"

#include <imgui.h>
#include <qrencode.h>

#include <cmath>

#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

QrModules encodeQr(const std::string& text) {
    QrModules modules;
    QRcode* code = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
    if (!code) return modules;
    modules.width = code->width;
    modules.dark.resize(static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width));
    for (std::size_t i = 0; i < modules.dark.size(); ++i) modules.dark[i] = (code->data[i] & 1) != 0;
    QRcode_free(code);
    return modules;
}

void qrCode(UiContext& ui, const std::string& text, float sideMm, const std::string& label) {
    const QrModules modules = encodeQr(text);
    if (modules.width == 0) return;
    constexpr int kQuietModules = 4;
    const int span = modules.width + 2 * kQuietModules;
    // Whole pixels per module keep every edge sharp for the camera.
    const float module = std::ceil(ui.mm(sideMm) / static_cast<float>(span));
    const float side = module * static_cast<float>(span);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 min(std::floor(origin.x), std::floor(origin.y));
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImU32 white = IM_COL32(255, 255, 255, 255);
    const ImU32 black = IM_COL32(0, 0, 0, 255);
    draw->AddRectFilled(min, ImVec2(min.x + side, min.y + side), white);
    for (int row = 0; row < modules.width; ++row) {
        for (int column = 0; column < modules.width; ++column) {
            if (!modules.dark[static_cast<std::size_t>(row * modules.width + column)]) continue;
            const ImVec2 topLeft(min.x + static_cast<float>(column + kQuietModules) * module,
                                 min.y + static_cast<float>(row + kQuietModules) * module);
            draw->AddRectFilled(topLeft, ImVec2(topLeft.x + module, topLeft.y + module), black);
        }
    }
    ItemLook look;
    look.role = RecordedItem::Role::Chrome;  // read-aloud says the reference itself, not the address
    recordItem(ui, RecordedItem::Kind::Text, label, min, ImVec2(min.x + side, min.y + side), false, look);
    ImGui::Dummy(ImVec2(side, side));
}

}  // namespace kiosk::ui
