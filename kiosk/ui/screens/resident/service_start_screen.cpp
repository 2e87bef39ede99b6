// Service start page (GOV.UK "start page"): what the service does, what you need, how long it
// takes, a green "Start now" button, and other ways to do it.
#include <imgui.h>

#include "kiosk/ui/screens/resident/resident_screens.h"
#include "kiosk/ui/string_keys.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {
namespace {

void section(UiContext& ui, const std::string& heading, const LocalText& text, const std::string& language) {
    if (text.empty()) return;
    subheadingText(ui, heading);
    bodyText(ui, text.in(language));
    verticalSpace(ui, 2);
}

}  // namespace

void drawServiceStartScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    beginContent(ui, kFormColumnMm, state.pageSerial);
    if (backLink(ui, tr(state, keys::kBack))) intents.push_back(Intent{resident::Back{}});
    const Service* service = state.pack ? state.pack->findService(state.resident.serviceId) : nullptr;
    if (service) {
        const std::string& language = state.language;
        headingText(ui, service->title.in(language));
        if (!service->startPage.summary.empty()) {
            bodyText(ui, service->startPage.summary.in(language));
            verticalSpace(ui, 2);
        }
        section(ui, tr(state, keys::kStartYouWillNeed), service->startPage.youWillNeed, language);
        section(ui, tr(state, keys::kStartTimeToComplete), service->startPage.timeToComplete, language);
        verticalSpace(ui, 2);
        if (primaryButton(ui, tr(state, keys::kStartButton), 0, true))
            intents.push_back(Intent{resident::StartForm{}});
        verticalSpace(ui, 6);
        section(ui, tr(state, keys::kStartOtherWays), service->startPage.otherWays, language);
    }
    endContent(ui);
}

}  // namespace kiosk::ui
