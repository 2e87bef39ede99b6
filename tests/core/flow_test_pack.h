// A tiny content pack built in code for the flow tests: one council, English and Polish, a
// missed-bin form (address, several choices, a conditional optional page, a name) and a
// two-page housing form, plus three addresses at one postcode.
#pragma once

#include <string>

#include "kiosk/content.h"

namespace kiosk::testing {

inline LocalText en(const std::string& text) {
    return LocalText{{{"en", text}}};
}

inline Question question(const std::string& id, QuestionType type, const std::string& label,
                         bool required = true) {
    Question q;
    q.id = id;
    q.type = type;
    q.label = en(label);
    q.errorName = en(label);
    q.required = required;
    return q;
}

inline ContentPack makeFlowTestPack() {
    ContentPack pack;
    pack.packId = "ui-flow-test";
    pack.version = 1;
    pack.sample = true;
    pack.languages = {{"en", "English"}, {"pl", "Polski"}};
    pack.councils = {{"borough", en("Test District Council"), en("Phone 01632 960 000"), ""}};
    pack.strings["answer.not-provided"] = en("Not provided");
    pack.strings["answer.yes"] = en("Yes");
    pack.strings["answer.no"] = en("No");

    Form bins;
    bins.id = "missed-bin";
    bins.version = 3;
    bins.title = en("Report a missed bin collection");
    bins.confirmationTitle = en("Missed bin reported");
    bins.whatHappensNext = en("We will collect your bin within 2 working days.");
    Page address{"address",
                 question("address", QuestionType::Address, "What is the address of the missed collection?"),
                 {}};
    Page which{"bins", question("bins", QuestionType::SeveralChoices, "Which bins were missed?"), {}};
    which.question.choices = {{"refuse", en("General rubbish (black bin)"), {}},
                              {"recycling", en("Recycling (green bin)"), {}}};
    Page details{"details",
                 question("details", QuestionType::LongText, "Where was the recycling bin left?", false),
                 {{"bins", Condition::Kind::Includes, "recycling"}}};
    Page name{"name", question("name", QuestionType::ShortText, "What is your full name?"), {}};
    name.question.errorName = en("your full name");
    bins.pages = {address, which, details, name};
    pack.forms[bins.id] = bins;

    Form housing;
    housing.id = "housing-advice";
    housing.title = en("Ask for housing advice");
    housing.confirmationTitle = en("Request sent");
    Page homeless{
        "homeless", question("homeless", QuestionType::YesNo, "Do you have somewhere to stay tonight?"), {}};
    Page phone{"phone", question("phone", QuestionType::UkPhone, "What is your phone number?", false), {}};
    housing.pages = {homeless, phone};
    pack.forms[housing.id] = housing;

    Service missedBin;
    missedBin.id = "missed-bin";
    missedBin.title = en("Report a missed bin collection");
    missedBin.description = en("Tell us if your bin was not emptied");
    missedBin.icon = "bin";
    missedBin.synonyms = {{"en", {"rubbish", "refuse"}}};
    missedBin.council = "borough";
    missedBin.destination = "kiosk-api";
    missedBin.formId = "missed-bin";
    Service advice;
    advice.id = "housing-advice";
    advice.title = en("Ask for housing advice");
    advice.description = en("Get help if you might lose your home");
    advice.icon = "housing";
    advice.council = "borough";
    advice.destination = "kiosk-api";
    advice.formId = "housing-advice";
    pack.services = {missedBin, advice};

    for (int i = 1; i <= 3; ++i) {
        Address a;
        a.uprn = "20000000000" + std::to_string(i);
        a.lines = {std::to_string(i) + " Acorn Way", "Bearsted"};
        a.town = "Maidstone";
        a.postcode = "ME14 4AA";
        pack.gazetteer.add(a);
    }
    return pack;
}

}  // namespace kiosk::testing
