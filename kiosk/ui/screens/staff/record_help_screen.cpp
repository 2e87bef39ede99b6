// Record help given: a digital inclusion record for the hub. Topic (from the content pack),
// minutes, outcome and, if wanted, the language used. Nothing about the resident and no free
// text, so nothing personal can be written down by mistake.
#include <imgui.h>

#include "kiosk/ui/screens/staff/staff_screens.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {
namespace {

constexpr int kMinuteChoices[] = {5, 10, 15, 30, 45, 60, 90};

struct Outcome {
    const char* id;
    const char* label;
};
constexpr Outcome kOutcomes[] = {
    {"done", "Done"}, {"partly_done", "Partly done"}, {"referred", "Referred elsewhere"}};

}  // namespace

void drawRecordHelpScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    const HelpDraft& help = state.staff.help;
    beginContent(ui, kFormColumnMm, state.pageSerial, true);
    if (backLink(ui, "Back")) intents.push_back(Intent{staff::OpenVolunteerHome{}});
    headingText(ui, "Record help given");
    hintText(ui, "Do not record anything about who you helped.");
    if (!state.staff.helpProblems.empty()) {
        std::vector<FieldError> errors;
        for (const auto& problem : state.staff.helpProblems) errors.push_back({"", problem});
        errorSummary(ui, "There is a problem", errors);
    }

    subheadingText(ui, "What did you help with?");
    if (state.pack)
        for (const HelpTopic& topic : state.pack->helpTopics)
            if (radioRow(ui, "topic-" + topic.id, topic.title, "", help.topic == topic.id))
                intents.push_back(Intent{staff::SetHelpTopic{topic.id}});
    verticalSpace(ui, 3);

    subheadingText(ui, "How long did it take?");
    for (int minutes : kMinuteChoices) {
        const std::string label = std::to_string(minutes) + " minutes";
        if (radioRow(ui, "minutes-" + std::to_string(minutes), label, "", help.minutes == minutes))
            intents.push_back(Intent{staff::SetHelpMinutes{minutes}});
    }
    verticalSpace(ui, 3);

    subheadingText(ui, "How did it go?");
    for (const Outcome& outcome : kOutcomes)
        if (radioRow(ui, std::string("outcome-") + outcome.id, outcome.label, "", help.outcome == outcome.id))
            intents.push_back(Intent{staff::SetHelpOutcome{outcome.id}});
    verticalSpace(ui, 3);

    subheadingText(ui, "Language used (optional)");
    if (radioRow(ui, "language-none", "Not recorded", "", help.language.empty()))
        intents.push_back(Intent{staff::SetHelpLanguage{""}});
    if (state.pack)
        for (const Language& language : state.pack->languages)
            if (radioRow(ui, "language-" + language.code, language.nativeName, "",
                         help.language == language.code))
                intents.push_back(Intent{staff::SetHelpLanguage{language.code}});
    endContent(ui);
    if (actionBar(ui, kFormColumnMm, "Save record")) intents.push_back(Intent{staff::SaveHelp{}});
}

void drawHelpRecordedScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    beginContent(ui, kFormColumnMm, state.pageSerial);
    confirmationPanel(ui, "Help recorded", "", "");
    verticalSpace(ui, 3);
    bodyText(ui, "Thank you. The record is kept on this kiosk and sent to the council with the forms.");
    verticalSpace(ui, 3);
    if (primaryButton(ui, "Done")) intents.push_back(Intent{staff::OpenVolunteerHome{}});
    endContent(ui);
}

}  // namespace kiosk::ui
