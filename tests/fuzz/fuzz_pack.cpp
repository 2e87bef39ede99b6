// Fuzz target: content pack loading and validation.
//
// Input: one selector byte, then the bytes of one pack file. The selector picks which file of the
// small valid test pack (tests/core/data/valid-pack) the bytes replace, so every other file stays
// valid and the loader gets past the manifest to forms, pages, conditions, question types,
// strings, services and the gazetteer. A pack that loads is then used the way the kiosk uses
// it: every question validated, every service searched for.
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "kiosk/clock.h"
#include "kiosk/content.h"
#include "kiosk/form_session.h"

namespace {

using namespace kiosk;

constexpr std::size_t kMaxProblemLength = 3000;

const PackFiles& basePack() {
    static const PackFiles files = [] {
        PackFiles read;
        const std::filesystem::path root = KIOSK_FUZZ_BASE_PACK;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
            if (entry.is_regular_file())
                read[entry.path().lexically_relative(root).generic_string()] =
                    fuzz::readWholeFile(entry.path());
        }
        return read;
    }();
    return files;
}

void checkProblems(const PackLoadResult& result) {
    FUZZ_CHECK(result.pack.has_value() == result.problems.empty());
    for (const auto& problem : result.problems) {
        FUZZ_CHECK(!problem.message.empty());
        // An admin reads each problem as one line: the pack's own text is quoted, not pasted whole.
        FUZZ_CHECK(describe(problem).size() <= kMaxProblemLength);
    }
}

// What the kiosk does with a pack once it is accepted.
void usePack(const ContentPack& pack) {
    const VirtualClock clock;
    const std::int64_t today = ukCalendarDay(clock.nowMillis());
    const std::vector<AnswerInput> answers = [] {
        std::vector<AnswerInput> list(4);
        list[1].text = "yes";
        list[1].selected = {"refuse", "other"};
        list[1].date = {"29", "2", "2024"};
        list[1].address.postcode = "ME14 4AA";
        list[2].text = std::string(1200, 'a') + "!";
        list[2].date = {"31", "13", "99999"};
        list[2].address.manualPostcode = "not a postcode";
        list[3].text = std::string(40, 'a') + "!";  // long enough to expose a backtracking pattern
        return list;
    }();
    for (const auto& language : pack.languages) {
        for (const auto& [id, form] : pack.forms) {
            for (const auto& page : form.pages) {
                for (const auto& input : answers) {
                    for (auto stage :
                         {AddressStage::Postcode, AddressStage::PickAddress, AddressStage::Manual}) {
                        for (const auto& error :
                             validateAnswer(pack, page.question, input, language.code, stage, today))
                            FUZZ_CHECK(!error.message.empty());
                    }
                }
            }
        }
        (void)searchServices(pack, "bin rubbish", language.code);
        (void)pack.text("start.title", language.code);
    }
    for (const auto& service : pack.services) {
        const Form* form = pack.findForm(service.formId);
        FUZZ_CHECK(form != nullptr);
        FormSession session(pack, service, *form, clock);
        // Continue on each page as it stands: empty answers give errors or move past optional pages.
        for (int step = 0; step < 64 && session.position() == FormSession::Position::Question; ++step) {
            if (!session.continueFromPage(kFallbackLanguage)) break;
        }
        (void)session.checkAnswers(kFallbackLanguage);
        (void)session.answersJson(kFallbackLanguage);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const PackFiles& base = basePack();
    PackFiles files = base;
    auto chosen = files.begin();
    std::advance(chosen, data[0] % files.size());
    chosen->second.assign(reinterpret_cast<const char*>(data) + 1, size - 1);

    const PackLoadResult result = loadContentPack(files);
    checkProblems(result);
    if (result.pack) usePack(*result.pack);
    return 0;
}
