// Seal failed: the kiosk could not keep the form safely (disk full, database unusable). Calm
// words, no technical detail; the answers are still in memory so "Try again" sends them again.
#include <imgui.h>

#include "kiosk/ui/screens/resident/resident_screens.h"
#include "kiosk/ui/string_keys.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

void drawSealFailedScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    beginContent(ui, kFormColumnMm, state.pageSerial);
    if (backLink(ui, tr(state, keys::kBack))) intents.push_back(Intent{resident::Back{}});
    headingText(ui, tr(state, keys::kSealFailedHeading));
    bodyText(ui, tr(state, keys::kSealFailedBody));
    verticalSpace(ui, 4);
    if (primaryButton(ui, tr(state, keys::kSealFailedRetry)) && !state.resident.sealPending)
        intents.push_back(Intent{resident::Send{}});
    endContent(ui);
}

}  // namespace kiosk::ui
