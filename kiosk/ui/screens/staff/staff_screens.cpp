// Staff mode's screens: which one draws for state.staff.screen, and what every admin page shares.
#include "kiosk/ui/screens/staff/staff_screens.h"

#include <imgui.h>

#include <ctime>

#include "kiosk/clock.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

void drawStaffScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    switch (state.staff.screen) {
        case StaffScreen::ChooseName:
            drawChooseNameScreen(state, ui, intents);
            break;
        case StaffScreen::EnterSecret:
        case StaffScreen::Checking:
            drawEnterSecretScreen(state, ui, intents);
            break;
        case StaffScreen::VolunteerHome:
            drawVolunteerHomeScreen(state, ui, intents);
            break;
        case StaffScreen::RecordHelp:
            drawRecordHelpScreen(state, ui, intents);
            break;
        case StaffScreen::HelpRecorded:
            drawHelpRecordedScreen(state, ui, intents);
            break;
        case StaffScreen::LookUpReference:
            drawLookUpReferenceScreen(state, ui, intents);
            break;
        case StaffScreen::AdminQueue:
            drawAdminQueueScreen(state, ui, intents);
            break;
        case StaffScreen::AdminContent:
            drawAdminContentScreen(state, ui, intents);
            break;
        case StaffScreen::AdminUsage:
            drawAdminUsageScreen(state, ui, intents);
            break;
        case StaffScreen::AdminSettings:
            drawAdminSettingsScreen(state, ui, intents);
            break;
        case StaffScreen::AdminStaff:
            drawAdminStaffScreen(state, ui, intents);
            break;
        case StaffScreen::AdminAddStaff:
        case StaffScreen::AdminResetPin:
            drawAdminStaffFormScreen(state, ui, intents);
            break;
        case StaffScreen::AdminAudit:
            drawAdminAuditScreen(state, ui, intents);
            break;
        case StaffScreen::AdminExport:
            drawAdminExportScreen(state, ui, intents);
            break;
    }
}

namespace {

struct Section {
    StaffScreen screen;
    const char* label;
};
constexpr Section kSections[] = {
    {StaffScreen::AdminQueue, "Queue"},   {StaffScreen::AdminContent, "Content"},
    {StaffScreen::AdminUsage, "Usage"},   {StaffScreen::AdminSettings, "Settings"},
    {StaffScreen::AdminStaff, "Staff"},   {StaffScreen::AdminAudit, "Audit log"},
    {StaffScreen::AdminExport, "Export"},
};

bool sectionShowing(StaffScreen section, StaffScreen showing) {
    if (section == StaffScreen::AdminStaff)
        return showing == StaffScreen::AdminStaff || showing == StaffScreen::AdminAddStaff ||
               showing == StaffScreen::AdminResetPin;
    return section == showing;
}

}  // namespace

void beginAdminPage(const KioskState& state, UiContext& ui, Intents& intents, const std::string& heading) {
    beginContent(ui, kWideColumnMm, state.pageSerial);
    const float available = ImGui::GetContentRegionAvail().x;
    float rowUsed = 0;
    for (const Section& section : kSections) {
        const bool current = sectionShowing(section.screen, state.staff.screen);
        // Buttons flow left to right and wrap, so 200 % text still shows every section.
        const float guess = ImGui::CalcTextSize(section.label).x + ui.mm(14);
        if (rowUsed > 0 && rowUsed + guess > available)
            rowUsed = 0;
        else if (rowUsed > 0)
            ImGui::SameLine(0, ui.mm(3));
        const bool tapped = current ? primaryButton(ui, section.label) : secondaryButton(ui, section.label);
        rowUsed += ImGui::GetItemRectSize().x + ui.mm(3);
        if (tapped && !current) intents.push_back(Intent{staff::OpenAdminScreen{section.screen}});
    }
    if (rowUsed > 0) ImGui::SameLine(0, ui.mm(3));
    if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize("Sign out").x + ui.mm(14)) ImGui::NewLine();
    if (secondaryButton(ui, "Sign out")) intents.push_back(Intent{staff::SignOut{}});
    verticalSpace(ui, 4);
    headingText(ui, heading);
    staffNotice(state, ui);
}

void staffNotice(const KioskState& state, UiContext& ui) {
    if (state.staff.notice.empty()) return;
    if (state.staff.noticeIsError) {
        errorSummary(ui, "There is a problem", {FieldError{"", state.staff.notice}});
    } else {
        // Wrapped bold text: a file name in it can be long, and it must never be cut off.
        subheadingText(ui, state.staff.notice);
        verticalSpace(ui, 2);
    }
}

std::string ageText(std::int64_t thenMillis, std::int64_t nowMillis) {
    const std::int64_t minutes = std::max<std::int64_t>(0, (nowMillis - thenMillis) / 60'000);
    if (minutes < 1) return "just now";
    if (minutes < 60) return std::to_string(minutes) + (minutes == 1 ? " minute ago" : " minutes ago");
    const std::int64_t hours = minutes / 60;
    if (hours < 48) return std::to_string(hours) + (hours == 1 ? " hour ago" : " hours ago");
    return std::to_string(hours / 24) + " days ago";
}

std::string dateTimeText(std::int64_t millis) {
    return formatUtc(millis, "%e %b %Y %H:%M");
}

}  // namespace kiosk::ui
