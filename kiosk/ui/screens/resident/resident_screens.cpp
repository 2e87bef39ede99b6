// Resident mode's screens: which one draws for state.resident.screen, and what the top bar
// offers on each.
#include "kiosk/ui/screens/resident/resident_screens.h"

namespace kiosk::ui {

void drawResidentScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    switch (state.resident.screen) {
        case ResidentScreen::Services:
            drawServicesScreen(state, ui, intents);
            break;
        case ResidentScreen::ServiceStart:
            drawServiceStartScreen(state, ui, intents);
            break;
        case ResidentScreen::Question:
            drawQuestionScreen(state, ui, intents);
            break;
        case ResidentScreen::CheckAnswers:
            drawCheckAnswersScreen(state, ui, intents);
            break;
        case ResidentScreen::Confirmation:
            drawConfirmationScreen(state, ui, intents);
            break;
        case ResidentScreen::SealFailed:
            drawSealFailedScreen(state, ui, intents);
            break;
        case ResidentScreen::CheckReport:
            drawCheckReportScreen(state, ui, intents);
            break;
    }
}

bool residentShowsStartAgain(ResidentScreen screen) {
    return screen == ResidentScreen::ServiceStart || screen == ResidentScreen::Question ||
           screen == ResidentScreen::CheckAnswers || screen == ResidentScreen::SealFailed;
}

}  // namespace kiosk::ui
