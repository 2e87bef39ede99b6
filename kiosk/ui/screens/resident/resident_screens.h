// Resident mode's screens, one file each in this folder. resident_screens.cpp routes
// state.resident.screen to them; kiosk_ui.cpp calls drawResidentScreen while the mode shows.
#pragma once

#include "kiosk/ui/screens/screens.h"

namespace kiosk::ui {

void drawResidentScreen(const KioskState& state, UiContext& ui, Intents& intents);
// Whether the top bar offers "Start again" (where there is something to start again from).
bool residentShowsStartAgain(ResidentScreen screen);

void drawServicesScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawServiceStartScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawQuestionScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawCheckAnswersScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawConfirmationScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawSealFailedScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawCheckReportScreen(const KioskState& state, UiContext& ui, Intents& intents);

}  // namespace kiosk::ui
