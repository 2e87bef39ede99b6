// Admin: hub settings. Hub name, how long the kiosk waits before "Do you need more time?", the
// language, text size and contrast each session starts with, and how many days sent forms are
// kept. Saved together, checked first, and applied at once.
#include <imgui.h>

#include "kiosk/ui/screens/staff/staff_screens.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {
namespace {

void numberChoices(UiContext& ui, Intents& intents, const char* key,
                   const std::vector<std::pair<int, std::string>>& choices, int current) {
    for (const auto& [value, label] : choices)
        if (radioRow(ui, std::string(key) + "-" + std::to_string(value), label, "", current == value))
            intents.push_back(Intent{staff::SetSettingNumber{key, value}});
}

}  // namespace

void drawAdminSettingsScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    const HubSettings& settings = state.staff.settings;
    beginAdminPage(state, ui, intents, "Settings");
    if (!state.staff.settingsProblems.empty()) {
        std::vector<FieldError> errors;
        for (const auto& problem : state.staff.settingsProblems) errors.push_back({"", problem});
        errorSummary(ui, "There is a problem", errors);
    }
    TextBox name;
    name.fieldId = "hubName";
    name.label = "Hub name";
    name.hint = "Shown to staff, for example Oakhurst Library.";
    name.widthMm = 160;
    std::string value = settings.hubName;
    if (textInput(ui, name, value)) intents.push_back(Intent{staff::EditSettingText{"hubName", value}});
    verticalSpace(ui, 3);

    subheadingText(ui, "Time before \"Do you need more time?\"");
    numberChoices(ui, intents, "idleTimeoutSeconds",
                  {{60, "1 minute"}, {120, "2 minutes"}, {180, "3 minutes"}, {300, "5 minutes"}},
                  settings.idleTimeoutSeconds);
    verticalSpace(ui, 3);

    subheadingText(ui, "Language each session starts in");
    if (state.pack)
        for (const Language& language : state.pack->languages)
            if (radioRow(ui, "defaultLanguage-" + language.code, language.nativeName, "",
                         settings.defaultLanguage == language.code))
                intents.push_back(Intent{staff::SetDefaultLanguage{language.code}});
    verticalSpace(ui, 3);

    subheadingText(ui, "Text size each session starts with");
    numberChoices(ui, intents, "defaultTextSizePercent", {{100, "100%"}, {150, "150%"}, {200, "200%"}},
                  settings.defaultTextSizePercent);
    if (checkboxRow(ui, "defaultHighContrast", "Start each session in high contrast", "",
                    settings.defaultHighContrast))
        intents.push_back(
            Intent{staff::SetSettingFlag{"defaultHighContrast", !settings.defaultHighContrast}});
    verticalSpace(ui, 3);

    subheadingText(ui, "Keep sent forms on the kiosk for");
    numberChoices(ui, intents, "retentionDays", {{7, "7 days"}, {30, "30 days"}, {90, "90 days"}},
                  settings.retentionDays);
    verticalSpace(ui, 4);
    if (primaryButton(ui, "Save settings")) intents.push_back(Intent{staff::SaveSettings{}});
    endContent(ui);
}

}  // namespace kiosk::ui
