// Staff mode's screens (include/kiosk/modes/staff_mode.h), one file each, and the pieces they
// share. English only for now (README "Staff on the kiosk").
#pragma once

#include <string>

#include "kiosk/ui/screens/screens.h"

namespace kiosk::ui {

void drawStaffScreen(const KioskState& state, UiContext& ui, Intents& intents);

void drawChooseNameScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawEnterSecretScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawVolunteerHomeScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawRecordHelpScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawHelpRecordedScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawLookUpReferenceScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawAdminQueueScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawAdminContentScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawAdminUsageScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawAdminSettingsScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawAdminStaffScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawAdminStaffFormScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawAdminAuditScreen(const KioskState& state, UiContext& ui, Intents& intents);
void drawAdminExportScreen(const KioskState& state, UiContext& ui, Intents& intents);

// Opens the admin page: the console's sections as a row of buttons (the current one green), then
// the heading. Close with endContent().
void beginAdminPage(const KioskState& state, UiContext& ui, Intents& intents, const std::string& heading);
// "Settings saved" and the like: green for done, red for a failure, nothing when empty.
void staffNotice(const KioskState& state, UiContext& ui);
// "3 hours ago", "2 days ago", from the state's clock-free millisecond times.
std::string ageText(std::int64_t thenMillis, std::int64_t nowMillis);
// "7 Dec 2026 14:05" in UTC, for the audit log and the queue.
std::string dateTimeText(std::int64_t millis);

}  // namespace kiosk::ui
