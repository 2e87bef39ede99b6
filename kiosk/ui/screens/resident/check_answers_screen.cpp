// Check answers: GOV.UK summary list of every answer with a Change link ("Not provided" for
// skipped optional questions), then "Now send your form". Send sits in the fixed action bar, so it
// is on screen however many answers there are.
#include <imgui.h>

#include "kiosk/ui/screens/resident/resident_screens.h"
#include "kiosk/ui/string_keys.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {

void drawCheckAnswersScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    beginContent(ui, kFormColumnMm, state.pageSerial, true);
    if (!state.resident.form) {
        endContent(ui);
        return;
    }
    if (backLink(ui, tr(state, keys::kBack))) intents.push_back(Intent{resident::Back{}});
    headingText(ui, tr(state, keys::kCheckHeading));

    const std::vector<SummaryRow> answers = state.resident.form->checkAnswers(state.language);
    std::vector<SummaryListRow> rows;
    rows.reserve(answers.size());
    const std::string change = tr(state, keys::kCheckChange);
    for (const SummaryRow& answer : answers) rows.push_back({answer.question, answer.answer, change});
    const int tapped = summaryList(ui, rows);
    if (tapped >= 0 && !state.resident.sealPending)
        intents.push_back(Intent{resident::Change{answers[static_cast<std::size_t>(tapped)].pageId}});

    subheadingText(ui, tr(state, keys::kCheckSendHeading));
    bodyText(ui, tr(state, keys::kCheckSendBody));
    endContent(ui);
    if (actionBar(ui, kFormColumnMm, tr(state, keys::kCheckSend)) && !state.resident.sealPending)
        intents.push_back(Intent{resident::Send{}});
}

}  // namespace kiosk::ui
