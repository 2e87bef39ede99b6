// FormSession: navigation through one form (visible pages from conditions, address stages,
// Back, Change, check answers), saving validated answers, and wiping them from memory.
// Validation wording lives in validation.cpp; answer formatting in answer_output.cpp.
#include "kiosk/form_session.h"

#include <sodium.h>

#include <algorithm>
#include <map>

#include "answer_rules.h"
#include "kiosk/secure_wipe.h"

namespace kiosk {
namespace {

void wipeInput(AnswerInput& input) {
    wipeString(input.text);
    for (auto& value : input.selected) wipeString(value);
    input.selected.clear();
    wipeString(input.date.day);
    wipeString(input.date.month);
    wipeString(input.date.year);
    AddressInput& address = input.address;
    for (std::string* field : {&address.postcode, &address.chosenUprn, &address.line1, &address.line2,
                               &address.town, &address.manualPostcode}) {
        wipeString(*field);
    }
    address.manual = false;
}

void wipeErrors(std::vector<FieldError>& errors) {
    for (auto& error : errors) {
        wipeString(error.field);
        wipeString(error.message);
    }
    errors.clear();
}

// Copies into a wiped target so that its old contents are zeroed even if the copy reallocates.
void copyInput(AnswerInput& target, const AnswerInput& source) {
    wipeInput(target);
    target = source;
}

bool conditionHolds(const Condition& condition, const Question& question, const AnswerInput* answer) {
    const bool given = answer && !answers::isEmptyAnswer(question, *answer);
    switch (condition.kind) {
        case Condition::Kind::Answered:
            return given;
        case Condition::Kind::Equals:
            return given && answers::trim(answer->text) == condition.value;
        case Condition::Kind::NotEquals:
            return !given || answers::trim(answer->text) != condition.value;
        case Condition::Kind::Includes:
            return given && std::find(answer->selected.begin(), answer->selected.end(), condition.value) !=
                                answer->selected.end();
    }
    return false;
}

const Page& noPage() {
    static const Page empty;
    return empty;
}

}  // namespace

struct FormSession::State {
    const ContentPack& pack;
    const Service& service;
    const Form& form;
    const Clock& clock;

    Position position = Position::Question;
    std::size_t pageIndex = 0;
    AddressStage stage = AddressStage::Postcode;
    AddressStage manualFrom = AddressStage::PickAddress;  // where Back goes from manual entry
    bool changing = false;  // came from check answers with Change: Continue returns there
    bool wiped = false;
    AnswerInput draft;
    std::vector<FieldError> errors;
    // Validated answers by page id. Answers on pages hidden by a later change stay here in case
    // the resident changes back, but are never shown or sent while hidden.
    std::map<std::string, AnswerInput> answers;

    State(const ContentPack& p, const Service& s, const Form& f, const Clock& c)
        : pack(p), service(s), form(f), clock(c) {}

    const Page& page() const { return pageIndex < form.pages.size() ? form.pages[pageIndex] : noPage(); }

    const AnswerInput* savedAnswer(const std::string& pageId) const {
        auto found = answers.find(pageId);
        return found == answers.end() ? nullptr : &found->second;
    }

    // Conditions only name earlier pages (the loader checks), so one pass in order is enough:
    // an answer on a hidden page counts as not given.
    std::vector<bool> visiblePages() const {
        std::vector<bool> visible(form.pages.size(), false);
        std::map<std::string, std::size_t> indexById;
        for (std::size_t i = 0; i < form.pages.size(); ++i) {
            const Page& candidate = form.pages[i];
            bool shown = true;
            for (const Condition& condition : candidate.showWhen) {
                auto target = indexById.find(condition.questionId);
                const bool targetVisible = target != indexById.end() && visible[target->second];
                const Question* question =
                    target != indexById.end() ? &form.pages[target->second].question : nullptr;
                const AnswerInput* answer = targetVisible ? savedAnswer(condition.questionId) : nullptr;
                if (!question || !conditionHolds(condition, *question, answer)) {
                    shown = false;
                    break;
                }
            }
            visible[i] = shown;
            indexById.emplace(candidate.id, i);
        }
        return visible;
    }

    void openPage(std::size_t index, bool goingBack) {
        position = Position::Question;
        pageIndex = index;
        wipeErrors(errors);
        wipeInput(draft);
        const AnswerInput* saved = savedAnswer(page().id);
        if (saved) copyInput(draft, *saved);
        stage = AddressStage::Postcode;
        if (page().question.type == QuestionType::Address && saved) {
            if (saved->address.manual) {
                stage = AddressStage::Manual;
                manualFrom = AddressStage::Postcode;
            } else if (goingBack && !saved->address.chosenUprn.empty()) {
                stage = AddressStage::PickAddress;
            }
        }
    }

    void openCheckAnswers() {
        position = Position::CheckAnswers;
        changing = false;
        wipeErrors(errors);
        wipeInput(draft);
    }

    void save() { copyInput(answers[page().id], draft); }

    void moveOn() {
        const auto visible = visiblePages();
        for (std::size_t i = pageIndex + 1; i < form.pages.size(); ++i) {
            // After a Change, only pages that the new answer brought into view need asking.
            if (visible[i] && (!changing || !savedAnswer(form.pages[i].id))) {
                openPage(i, false);
                return;
            }
        }
        openCheckAnswers();
    }
};

std::int64_t ukCalendarDay(std::int64_t epochMillis) {
    return answers::ukTodayDays(epochMillis);
}

FormSession::FormSession(const ContentPack& pack, const Service& service, const Form& form,
                         const Clock& clock)
    : state_(new State(pack, service, form, clock)) {
    if (form.pages.empty()) {
        state_->position = Position::CheckAnswers;
    } else {
        state_->openPage(0, false);  // the first page cannot have conditions: nothing comes before it
    }
}

FormSession::~FormSession() {
    wipe();
    delete state_;
}

const Service& FormSession::service() const {
    return state_->service;
}
const Form& FormSession::form() const {
    return state_->form;
}
FormSession::Position FormSession::position() const {
    return state_->position;
}
const Page& FormSession::currentPage() const {
    return state_->page();
}
AddressStage FormSession::addressStage() const {
    return state_->stage;
}
AnswerInput& FormSession::draft() {
    return state_->draft;
}
const AnswerInput& FormSession::draft() const {
    return state_->draft;
}
const std::vector<FieldError>& FormSession::errors() const {
    return state_->errors;
}
bool FormSession::wiped() const {
    return state_->wiped;
}

std::vector<const Address*> FormSession::addressMatches() const {
    if (state_->position != Position::Question || state_->page().question.type != QuestionType::Address)
        return {};
    return state_->pack.gazetteer.lookup(state_->draft.address.postcode);
}

int FormSession::pageNumber() const {
    if (state_->position != Position::Question) return 0;
    const auto visible = state_->visiblePages();
    int number = 0;
    for (std::size_t i = 0; i <= state_->pageIndex && i < visible.size(); ++i) number += visible[i] ? 1 : 0;
    return number;
}

int FormSession::visiblePageCount() const {
    const auto visible = state_->visiblePages();
    return static_cast<int>(std::count(visible.begin(), visible.end(), true));
}

void FormSession::restateErrors(const std::string& language) {
    State& s = *state_;
    if (s.wiped || s.errors.empty() || s.position != Position::Question) return;
    wipeErrors(s.errors);
    s.errors = validateAnswer(s.pack, s.page().question, s.draft, language, s.stage,
                              answers::ukTodayDays(s.clock.nowMillis()));
}

bool FormSession::continueFromPage(const std::string& language) {
    State& s = *state_;
    if (s.wiped || s.position != Position::Question || s.form.pages.empty()) return false;
    const Question& question = s.page().question;
    wipeErrors(s.errors);
    s.errors = validateAnswer(s.pack, question, s.draft, language, s.stage,
                              answers::ukTodayDays(s.clock.nowMillis()));
    if (!s.errors.empty()) return false;

    if (question.type == QuestionType::Address) {
        AddressInput& address = s.draft.address;
        if (s.stage == AddressStage::Postcode && !answers::trim(address.postcode).empty()) {
            address.postcode = *normaliseUkPostcode(address.postcode);
            const auto matches = s.pack.gazetteer.lookup(address.postcode);
            const bool stillThere = std::any_of(matches.begin(), matches.end(), [&](const Address* match) {
                return match->uprn == address.chosenUprn;
            });
            if (!stillThere) wipeString(address.chosenUprn);
            s.stage = AddressStage::PickAddress;
            return true;
        }
        if (s.stage == AddressStage::Postcode) {
            wipeInput(s.draft);  // optional address skipped
        }
        address.manual = s.stage == AddressStage::Manual;
        if (address.manual) address.manualPostcode = *normaliseUkPostcode(address.manualPostcode);
    }
    s.save();
    s.moveOn();
    return true;
}

void FormSession::chooseManualAddress() {
    State& s = *state_;
    if (s.wiped || s.position != Position::Question || s.page().question.type != QuestionType::Address)
        return;
    if (s.stage == AddressStage::Manual) return;
    s.manualFrom = s.stage;
    s.stage = AddressStage::Manual;
    wipeErrors(s.errors);
    AddressInput& address = s.draft.address;
    if (answers::trim(address.manualPostcode).empty()) {
        if (auto looked = normaliseUkPostcode(address.postcode)) address.manualPostcode = *looked;
    }
}

bool FormSession::back() {
    State& s = *state_;
    if (s.wiped || s.form.pages.empty()) return false;
    const auto visible = s.visiblePages();
    if (s.position == Position::CheckAnswers) {
        for (std::size_t i = s.form.pages.size(); i-- > 0;) {
            if (visible[i]) {
                s.openPage(i, true);
                return true;
            }
        }
        return false;
    }
    if (s.page().question.type == QuestionType::Address && s.stage != AddressStage::Postcode) {
        s.stage = s.stage == AddressStage::Manual ? s.manualFrom : AddressStage::Postcode;
        wipeErrors(s.errors);
        return true;
    }
    if (s.changing) {
        s.openCheckAnswers();
        return true;
    }
    for (std::size_t i = s.pageIndex; i-- > 0;) {
        if (visible[i]) {
            s.openPage(i, true);
            return true;
        }
    }
    return false;
}

void FormSession::change(const std::string& pageId) {
    State& s = *state_;
    if (s.wiped) return;
    const auto visible = s.visiblePages();
    for (std::size_t i = 0; i < s.form.pages.size(); ++i) {
        if (s.form.pages[i].id == pageId && visible[i]) {
            s.changing = true;
            s.openPage(i, false);
            return;
        }
    }
}

std::vector<SummaryRow> FormSession::checkAnswers(const std::string& language) const {
    const State& s = *state_;
    std::vector<SummaryRow> rows;
    if (s.wiped) return rows;
    const auto visible = s.visiblePages();
    for (std::size_t i = 0; i < s.form.pages.size(); ++i) {
        const Page& page = s.form.pages[i];
        const AnswerInput* answer = s.savedAnswer(page.id);
        if (!visible[i] || !answer) continue;
        rows.push_back(SummaryRow{page.id, page.question.label.in(language),
                                  answers::formatAnswer(s.pack, page.question, *answer, language)});
    }
    return rows;
}

std::string FormSession::answersJson(const std::string& language) const {
    const State& s = *state_;
    if (s.wiped) return "{}";
    nlohmann::json list = nlohmann::json::array();
    const auto visible = s.visiblePages();
    for (std::size_t i = 0; i < s.form.pages.size(); ++i) {
        const Page& page = s.form.pages[i];
        const AnswerInput* answer = s.savedAnswer(page.id);
        if (!visible[i] || !answer) continue;
        list.push_back(
            {{"id", page.id},
             {"question", page.question.label.in(kFallbackLanguage)},
             {"type", questionTypeName(page.question.type)},
             {"value", answers::answerValue(s.pack, page.question, *answer)},
             // As the check answers page shows it, in English: what a council officer
             // reads in an email or an Open311 description.
             {"answer", answers::formatAnswer(s.pack, page.question, *answer, kFallbackLanguage)}});
    }
    const nlohmann::json document = {{"service", s.service.id},
                                     {"form", s.form.id},
                                     {"formVersion", s.form.version},
                                     {"language", language},
                                     {"answers", list}};
    // Replace rather than throw on bytes that are not UTF-8: a submission must always serialise.
    return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void FormSession::wipe() {
    State& s = *state_;
    wipeInput(s.draft);
    for (auto& [pageId, answer] : s.answers) wipeInput(answer);
    s.answers.clear();
    wipeErrors(s.errors);
    s.changing = false;
    s.wiped = true;
}

}  // namespace kiosk
