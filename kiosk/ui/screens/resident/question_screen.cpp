// Question page: one question per page, GOV.UK style. Back link, error summary when the last
// Continue found problems, "Question N of M", the question as the heading, its hint, the input
// with the error beside it, and "Continue" in the fixed action bar (a long list of choices must
// not push it out of sight). What the resident typed stays on screen after a failed Continue
// because it lives in the FormSession's draft.
//
// Address questions take three pages: postcode + "Find address"; the addresses found as radio
// rows + "I cannot find my address"; or boxes for entering the address by hand.
#include <imgui.h>

#include <algorithm>
#include <string_view>

#include "kiosk/ui/screens/resident/resident_screens.h"
#include "kiosk/ui/string_keys.h"
#include "kiosk/ui/widgets.h"

namespace kiosk::ui {
namespace {

KeyboardMode keyboardModeFor(QuestionType type) {
    switch (type) {
        case QuestionType::WholeNumber:
            return KeyboardMode::Number;
        case QuestionType::UkPhone:
            return KeyboardMode::Phone;
        case QuestionType::Email:
            return KeyboardMode::Email;
        case QuestionType::Date:
            return KeyboardMode::Date;
        default:
            return KeyboardMode::Text;  // postcodes mix letters and digits
    }
}

// The boxes' ids (also their error keys in FieldError::field) as the draft's typed fields.
resident::Field fieldFor(std::string_view boxId) {
    using resident::Field;
    if (boxId == "day") return Field::Day;
    if (boxId == "month") return Field::Month;
    if (boxId == "year") return Field::Year;
    if (boxId == "postcode") return Field::Postcode;
    if (boxId == "line1") return Field::Line1;
    if (boxId == "line2") return Field::Line2;
    if (boxId == "town") return Field::Town;
    if (boxId == "manualPostcode") return Field::ManualPostcode;
    return Field::Text;
}

void emitEdit(Intents& intents, std::string_view boxId, const std::string& value) {
    intents.push_back(Intent{resident::EditField{fieldFor(boxId), value}});
}

float textWidthMm(QuestionType type) {
    switch (type) {
        case QuestionType::UkPostcode:
        case QuestionType::WholeNumber:
            return 70;
        case QuestionType::UkPhone:
            return 110;
        default:
            return 0;  // the whole column
    }
}

// Short text, long text, numbers, email, phone and postcode questions: one box whose label is
// the page heading.
void drawTextQuestion(const KioskState& state, UiContext& ui, Intents& intents, const Question& question,
                      const std::string& heading) {
    const FormSession& form = *state.resident.form;
    const std::string error = errorFor(form.errors(), "");
    beginFieldGroup(ui, "#group", !error.empty(), {});
    TextBox box;
    box.fieldId = "";
    box.label = heading;
    box.showLabel = false;
    box.widthMm = textWidthMm(question.type);
    box.hasError = !error.empty();
    box.errorMessage = error;
    box.multiline = question.type == QuestionType::LongText;
    box.keyboard = keyboardModeFor(question.type);
    std::string value = form.draft().text;
    if (textInput(ui, box, value)) emitEdit(intents, "", value);
    endFieldGroup(ui, !error.empty());
}

void drawDateQuestion(const KioskState& state, UiContext& ui, Intents& intents) {
    const FormSession& form = *state.resident.form;
    const std::vector<FieldError>& errors = form.errors();
    const std::string error = errors.empty() ? std::string() : errors.front().message;
    beginFieldGroup(ui, "#group", !error.empty(), error);
    std::vector<FieldChange> changes;
    dateBoxes(ui, {tr(state, keys::kDateDay), tr(state, keys::kDateMonth), tr(state, keys::kDateYear)},
              form.draft().date, errors, changes);
    endFieldGroup(ui, !error.empty());
    for (const FieldChange& change : changes) emitEdit(intents, change.field, change.value);
}

void drawChoiceQuestion(const KioskState& state, UiContext& ui, Intents& intents, const Question& question) {
    const FormSession& form = *state.resident.form;
    const AnswerInput& draft = form.draft();
    const std::string error = errorFor(form.errors(), "");
    const std::string& language = state.language;
    beginFieldGroup(ui, "", !error.empty(), error);
    if (question.type == QuestionType::YesNo) {
        if (radioRow(ui, "yes", tr(state, keys::kAnswerYes), {}, draft.text == "yes"))
            intents.push_back(Intent{resident::SelectChoice{"yes"}});
        if (radioRow(ui, "no", tr(state, keys::kAnswerNo), {}, draft.text == "no"))
            intents.push_back(Intent{resident::SelectChoice{"no"}});
    } else if (question.type == QuestionType::OneChoice) {
        for (const Choice& choice : question.choices)
            if (radioRow(ui, choice.value, choice.label.in(language), choice.hint.in(language),
                         draft.text == choice.value))
                intents.push_back(Intent{resident::SelectChoice{choice.value}});
    } else {
        for (const Choice& choice : question.choices) {
            const bool checked =
                std::find(draft.selected.begin(), draft.selected.end(), choice.value) != draft.selected.end();
            if (checkboxRow(ui, choice.value, choice.label.in(language), choice.hint.in(language), checked))
                intents.push_back(Intent{resident::ToggleChoice{choice.value}});
        }
    }
    endFieldGroup(ui, !error.empty());
}

// One labelled box of an address, each in its own error group as GOV.UK does.
void addressBox(const KioskState& state, UiContext& ui, Intents& intents, const char* field,
                const char* labelKey, const std::string& value, float widthMm) {
    const std::string error = errorFor(state.resident.form->errors(), field);
    beginFieldGroup(ui, std::string("#") + field, !error.empty(), {});
    TextBox box;
    box.fieldId = field;
    box.label = tr(state, labelKey);
    box.widthMm = widthMm;
    box.hasError = !error.empty();
    box.errorMessage = error;
    std::string edited = value;
    if (textInput(ui, box, edited)) emitEdit(intents, field, edited);
    endFieldGroup(ui, !error.empty());
}

// Returns the catalogue key of the stage's main button: "Find address" first, then "Continue".
const char* drawAddressQuestion(const KioskState& state, UiContext& ui, Intents& intents) {
    const FormSession& form = *state.resident.form;
    const AddressInput& address = form.draft().address;
    switch (form.addressStage()) {
        case AddressStage::Postcode:
            addressBox(state, ui, intents, "postcode", keys::kAddressPostcode, address.postcode, 70);
            verticalSpace(ui, 2);
            if (linkButton(ui, tr(state, keys::kAddressCannotFind)))
                intents.push_back(Intent{resident::ChooseManualAddress{}});
            return keys::kAddressFind;
        case AddressStage::PickAddress: {
            const std::vector<const Address*> matches = form.addressMatches();
            const std::string postcode = normaliseUkPostcode(address.postcode).value_or(address.postcode);
            bodyText(ui, fillTemplate(tr(state, keys::kAddressFound),
                                      {{"count", std::to_string(matches.size())}, {"postcode", postcode}}));
            verticalSpace(ui, 2);
            const std::string error = errorFor(form.errors(), "address");
            beginFieldGroup(ui, "address", !error.empty(), error);
            for (const Address* match : matches)
                if (radioRow(ui, match->uprn, match->singleLine(), {}, address.chosenUprn == match->uprn))
                    intents.push_back(Intent{resident::ChooseAddress{match->uprn}});
            endFieldGroup(ui, !error.empty());
            if (linkButton(ui, tr(state, keys::kAddressCannotFind)))
                intents.push_back(Intent{resident::ChooseManualAddress{}});
            return keys::kContinue;
        }
        case AddressStage::Manual:
            addressBox(state, ui, intents, "line1", keys::kAddressLine1, address.line1, 0);
            addressBox(state, ui, intents, "line2", keys::kAddressLine2, address.line2, 0);
            addressBox(state, ui, intents, "town", keys::kAddressTown, address.town, 150);
            addressBox(state, ui, intents, "manualPostcode", keys::kAddressPostcode, address.manualPostcode,
                       70);
            return keys::kContinue;
    }
    return keys::kContinue;
}

std::string headingFor(const KioskState& state, const Question& question) {
    if (question.type == QuestionType::Address) {
        switch (state.resident.form->addressStage()) {
            case AddressStage::PickAddress:
                return tr(state, keys::kAddressSelect);
            case AddressStage::Manual:
                return tr(state, keys::kAddressManualHeading);
            case AddressStage::Postcode:
                break;
        }
    }
    std::string heading = question.label.in(state.language);
    if (!question.required) heading += " " + tr(state, keys::kQuestionOptional);
    return heading;
}

}  // namespace

void drawQuestionScreen(const KioskState& state, UiContext& ui, Intents& intents) {
    beginContent(ui, kFormColumnMm, state.pageSerial, true);
    if (!state.resident.form || state.resident.form->position() != FormSession::Position::Question) {
        endContent(ui);
        return;
    }
    const FormSession& form = *state.resident.form;
    const Question& question = form.currentPage().question;

    if (backLink(ui, tr(state, keys::kBack))) intents.push_back(Intent{resident::Back{}});
    errorSummary(ui, tr(state, keys::kErrorSummaryTitle), form.errors());
    if (form.visiblePageCount() > 1)
        captionText(ui, fillTemplate(tr(state, keys::kQuestionCaption),
                                     {{"number", std::to_string(form.pageNumber())},
                                      {"count", std::to_string(form.visiblePageCount())}}));
    const std::string heading = headingFor(state, question);
    headingText(ui, heading);
    const bool firstAddressStage =
        question.type != QuestionType::Address || form.addressStage() == AddressStage::Postcode;
    if (firstAddressStage && !question.hint.empty()) hintText(ui, question.hint.in(state.language));
    verticalSpace(ui, 2);

    const char* mainButton = keys::kContinue;
    switch (question.type) {
        case QuestionType::Date:
            drawDateQuestion(state, ui, intents);
            break;
        case QuestionType::OneChoice:
        case QuestionType::SeveralChoices:
        case QuestionType::YesNo:
            drawChoiceQuestion(state, ui, intents, question);
            break;
        case QuestionType::Address:
            mainButton = drawAddressQuestion(state, ui, intents);
            break;
        default:
            drawTextQuestion(state, ui, intents, question, heading);
            break;
    }
    endContent(ui);
    if (actionBar(ui, kFormColumnMm, tr(state, mainButton))) intents.push_back(Intent{resident::Continue{}});
}

}  // namespace kiosk::ui
