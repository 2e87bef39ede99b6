// Fuzz target: everything a resident can type, on the sample council's pack.
//
// Input: pieces separated by NUL bytes. Each piece is given, as typed text, to every question
// type's validation (through validateAnswer and through the flow reducer's EditField path), to
// postcode normalisation and lookup, and to service search. The flow part reads the pieces as a
// journey: the first byte of each piece picks an intent, the rest is its value, so the fuzzer
// walks real forms (Continue, Back, Change, choices, address stages) to check answers and Send.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "kiosk/clock.h"
#include "kiosk/content.h"
#include "kiosk/form_session.h"
#include "kiosk/kiosk_flow.h"

namespace {

using namespace kiosk;

const ContentPack& samplePack() {
    static const ContentPack pack = [] {
        PackLoadResult loaded = loadContentPack(std::filesystem::path(KIOSK_FUZZ_SAMPLE_PACK));
        for (const auto& problem : loaded.problems) std::fprintf(stderr, "%s\n", describe(problem).c_str());
        FUZZ_CHECK(loaded.pack);
        return std::move(*loaded.pack);
    }();
    return pack;
}

const std::string& languageFor(const ContentPack& pack, std::uint8_t selector) {
    return pack.languages[selector % pack.languages.size()].code;
}

// Every question in every form, with the piece as each part of the answer.
void validateEverywhere(const ContentPack& pack, const std::vector<std::string>& pieces) {
    const std::int64_t today = ukCalendarDay(VirtualClock().nowMillis());
    const std::string& text = fuzz::piece(pieces, 0);
    AnswerInput input;
    input.text = text;
    input.selected = {text, fuzz::piece(pieces, 1)};
    input.date = {text, fuzz::piece(pieces, 1), fuzz::piece(pieces, 2)};
    input.address.postcode = text;
    input.address.chosenUprn = fuzz::piece(pieces, 1);
    input.address.line1 = text;
    input.address.town = fuzz::piece(pieces, 1);
    input.address.manualPostcode = fuzz::piece(pieces, 2);
    const std::string& language = languageFor(pack, fuzz::byteOf(fuzz::piece(pieces, 3)));
    for (const auto& [id, form] : pack.forms) {
        for (const auto& page : form.pages) {
            for (auto stage : {AddressStage::Postcode, AddressStage::PickAddress, AddressStage::Manual}) {
                for (const auto& error : validateAnswer(pack, page.question, input, language, stage, today)) {
                    FUZZ_CHECK(!error.message.empty());
                }
                if (page.question.type != QuestionType::Address) break;
            }
        }
    }
}

void lookUpAndSearch(const ContentPack& pack, const std::vector<std::string>& pieces) {
    // Search folds the whole catalogue each time: the first pieces are enough, and cheaper.
    for (std::size_t i = 0; i < 2; ++i) {
        const std::string& text = fuzz::piece(pieces, i);
        const auto found = searchServices(pack, text, languageFor(pack, fuzz::byteOf(text)));
        FUZZ_CHECK(found.size() <= pack.services.size());
    }
    for (const auto& text : pieces) {
        if (auto postcode = normaliseUkPostcode(text)) {
            FUZZ_CHECK(normaliseUkPostcode(*postcode) == postcode);  // normalising is idempotent
            FUZZ_CHECK(pack.gazetteer.lookup(text).size() == pack.gazetteer.lookup(*postcode).size());
        } else {
            FUZZ_CHECK(pack.gazetteer.lookup(text).empty());
        }
        (void)pack.gazetteer.findByUprn(text);
    }
}

using resident::Field;
const Field kFields[] = {Field::Text,  Field::Day,   Field::Month, Field::Year,          Field::Postcode,
                         Field::Line1, Field::Line2, Field::Town,  Field::ManualPostcode};

// A value for an intent: usually something the screen would offer (a service, a choice, an
// address), otherwise the raw text, as a stale or hostile value would arrive.
Intent intentFor(const KioskState& state, const std::string& piece) {
    const std::uint8_t kind = fuzz::byteOf(piece, 0);
    const std::uint8_t pick = fuzz::byteOf(piece, 1);
    const std::string value = piece.size() > 2 ? piece.substr(2) : std::string();
    const bool offered = pick % 4 != 0;
    const FormSession* form = state.resident.form.get();
    const Page* page =
        form && form->position() == FormSession::Position::Question ? &form->currentPage() : nullptr;
    switch (kind % 16) {
        case 0:
            return resident::EditField{kFields[pick % std::size(kFields)], value};
        case 1: {
            if (offered && page && !page->question.choices.empty())
                return Intent{resident::SelectChoice{
                    page->question.choices[pick % page->question.choices.size()].value}};
            if (offered && page && page->question.type == QuestionType::YesNo)
                return Intent{resident::SelectChoice{pick % 2 ? "yes" : "no"}};
            return Intent{resident::SelectChoice{value}};
        }
        case 2:
            if (offered && page && !page->question.choices.empty())
                return Intent{resident::ToggleChoice{
                    page->question.choices[pick % page->question.choices.size()].value}};
            return Intent{resident::ToggleChoice{value}};
        case 3: {
            const auto matches = form ? form->addressMatches() : std::vector<const Address*>{};
            if (offered && !matches.empty())
                return Intent{resident::ChooseAddress{matches[pick % matches.size()]->uprn}};
            return Intent{resident::ChooseAddress{value}};
        }
        case 4:
            return Intent{resident::Continue{}};
        case 5:
            if (state.screen == SessionScreen::Language) return LeaveLanguage{};
            return resident::Back{};
        case 6:
            if (offered && form)
                return Intent{resident::Change{form->form().pages[pick % form->form().pages.size()].id}};
            return Intent{resident::Change{value}};
        case 7:
            if (offered)
                return Intent{
                    resident::ChooseService{state.pack->services[pick % state.pack->services.size()].id}};
            return Intent{resident::ChooseService{value}};
        case 8:
            return Intent{resident::StartForm{}};
        case 9:
            return Intent{resident::SetSearchText{value}};
        case 10:
            return Intent{resident::ChooseManualAddress{}};
        case 11:
            return Intent{resident::Send{}};
        case 12:
            if (pick % 2) return resident::SealSucceeded{value};
            return resident::SealFailed{
                static_cast<ErrorCode>(pick % (static_cast<int>(kiosk::ErrorCode::NoDatabase) + 1))};
        case 13:
            return Intent{ChooseLanguage{offered ? languageFor(*state.pack, pick) : value}};
        case 14:
            return Intent{Begin{}};
        default:
            if (pick % 2) return StartAgain{};
            return resident::Finish{};
    }
}

void walkJourney(const ContentPack& pack, const std::vector<std::string>& pieces) {
    KioskState state;
    state.pack = &pack;
    std::int64_t now = 1'767'225'600'000;
    reduce(state, Intent{Begin{}}, now);
    for (const auto& piece : pieces) {
        now += 1000;
        const Commands commands = reduce(state, intentFor(state, piece), now);
        if (const SealForm* seal = findCommand<SealForm>(commands)) {
            // What would be sealed and sent must always be one JSON document.
            const auto document = nlohmann::json::parse(seal->request.answersJson, nullptr, false);
            FUZZ_CHECK(!document.is_discarded());
            FUZZ_CHECK(document.is_object());
        }
        if (state.resident.form && !state.resident.form->wiped()) {
            (void)state.resident.form->pageNumber();
            (void)state.resident.form->visiblePageCount();
            if (state.resident.form->position() == FormSession::Position::CheckAnswers) {
                for (const auto& row : state.resident.form->checkAnswers(state.language))
                    FUZZ_CHECK(!row.question.empty());
            }
        }
    }
    endSession(state);
    FUZZ_CHECK(!state.resident.form);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ContentPack& pack = samplePack();
    const auto pieces = fuzz::splitInput(data, size, '\0');
    validateEverywhere(pack, pieces);
    lookUpAndSearch(pack, pieces);
    walkJourney(pack, pieces);
    return 0;
}
