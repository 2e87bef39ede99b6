// FormSession: one resident's answers to one form, held only in memory.
// It knows which page comes next (conditions), validates a page on Continue with GOV.UK
// wording, supports Back, check answers and Change, and wipes itself on send, "Start again"
// and timeout. No UI, no storage: the flow reducer drives it and the store seals its JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiosk/clock.h"
#include "kiosk/content.h"

namespace kiosk {

struct DateInput {
    std::string day, month, year;  // as typed
};

// The address question is answered in up to three steps, each its own page on screen.
enum class AddressStage {
    Postcode,     // "Enter the postcode" -> Find address
    PickAddress,  // list of addresses at that postcode, plus "I cannot find my address"
    Manual,       // address line 1, line 2 (optional), town, postcode
};

struct AddressInput {
    std::string postcode;    // typed for the lookup
    std::string chosenUprn;  // picked from the list
    bool manual = false;     // resident chose "I cannot find my address"
    std::string line1, line2, town, manualPostcode;
};

// Raw input exactly as the resident gave it, kept when validation fails.
struct AnswerInput {
    std::string text;  // text, number, email, phone, postcode; one-choice value; yes-no "yes"/"no"
    std::vector<std::string> selected;  // several-choices values
    DateInput date;
    AddressInput address;
};

// An error beside a field; field is "" for the whole question, or "day", "month", "year",
// "postcode", "address", "line1", "town", "manualPostcode".
struct FieldError {
    std::string field;
    std::string message;
};

struct SummaryRow {
    std::string pageId;
    std::string question;  // the question's label in the session language
    std::string answer;    // formatted answer, lines joined by "\n"; "Not provided" for skipped optionals
};

class FormSession {
public:
    // The pack, service, form and clock must outlive the session. The clock gives "today" for
    // date questions (the UK calendar day, whatever the machine's time zone).
    FormSession(const ContentPack& pack, const Service& service, const Form& form, const Clock& clock);
    ~FormSession();
    FormSession(const FormSession&) = delete;
    FormSession& operator=(const FormSession&) = delete;

    const Service& service() const;
    const Form& form() const;

    enum class Position { Question, CheckAnswers };
    Position position() const;

    const Page& currentPage() const;                     // valid when position() == Question
    AddressStage addressStage() const;                   // for address questions
    std::vector<const Address*> addressMatches() const;  // addresses at the looked-up postcode
    int pageNumber() const;        // 1-based among visible pages, for "Question 2 of 5"; 0 on check answers
    int visiblePageCount() const;  // pages shown for the answers given so far

    // The input for the current page, pre-filled with any answer already saved.
    AnswerInput& draft();
    const AnswerInput& draft() const;
    const std::vector<FieldError>& errors() const;  // from the last Continue; empty when none

    // Validates the draft. On success saves it and moves on: next address stage, next visible
    // page, or back to check answers when changing an answer. On failure keeps the draft as typed,
    // fills errors() and returns false.
    bool continueFromPage(const std::string& language);
    // After a change of language: errors showing from the last Continue are said again in the new
    // language. The draft is checked as it is now, so an error already put right goes away.
    void restateErrors(const std::string& language);
    void chooseManualAddress();  // "I cannot find my address"
    // One step back (address stage, previous visible page, or from check answers to the last page).
    // Returns false when already on the first page: the UI then shows the service start page.
    bool back();
    // From check answers: open that page; Continue then returns to check answers.
    void change(const std::string& pageId);

    std::vector<SummaryRow> checkAnswers(const std::string& language) const;

    // Every answer on a visible page, for sealing:
    // {"service":..,"form":..,"formVersion":..,"language":..,
    //  "answers":[{"id":..,"question":<English label>,"type":..,"value":<typed JSON>}]}
    // Address values: {"uprn","lines","town","postcode","latitude","longitude"} or {"manual":true,...}.
    std::string answersJson(const std::string& language) const;

    // Zeroes every answer and draft in memory. The session is unusable afterwards: checkAnswers()
    // is empty, answersJson() is "{}" and continueFromPage() returns false.
    void wipe();
    bool wiped() const;

private:
    struct State;
    State* state_;
};

// The calendar day in the UK (GMT/BST) at a Unix time in milliseconds, as days since 1970-01-01.
std::int64_t ukCalendarDay(std::int64_t epochMillis);

// Error wording follows GOV.UK: says what to do, never "please", "sorry", "valid", "invalid".
// Uses the pack's message for the kind when given, otherwise generates one from the question's
// errorName or label, in the language asked (English templates as the fallback).
// todayDays: the UK calendar day as days since 1970-01-01, from ukCalendarDay.
// Optional questions left empty give no errors.

std::vector<FieldError> validateAnswer(const ContentPack& pack, const Question& question,
                                       const AnswerInput& input, const std::string& language,
                                       AddressStage stage, std::int64_t todayDays);

}  // namespace kiosk
