// Soak test driver (see soak_driver.h). One gesture at a time, chosen at random with weights;
// each gesture is as many frames as a resident's finger takes (a tap is a hover, a press and a
// release, then frames until the screen is still), and every frame moves the virtual clock on
// by 16 ms. The checks run between frames and between gestures:
//   memory   PSS on the attract screen between sessions, at most once per sampleEvery frames:
//            there every session has been wiped and text size, theme and speech are back to the
//            defaults, so samples compare like with like (a page at 200 % text holds a font atlas
//            some 25 MB larger than at 100 %). After the warm-up no sample may exceed the
//            warm-up's highest by more than kMemoryBoundKb
//   stuck    off the attract screen the page must change within the time limit, its warning and
//            a margin of the last change or the last touch, and within kStuckGestures gestures
//            however busy the finger; a wait longer than limit + warning must end on Attract
//   privacy  once a session has ended, nothing it typed is on screen, in the flow's state or in
//            Dear ImGui's text-editing buffers until something is typed again (every typed string
//            that is not a plausible answer carries the marker "qzx")
//   store    the submissions sealed during the run are exactly the confirmations reached
#include "soak_driver.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "bench_hooks.h"
#include "kiosk/platform/script_runner.h"
#include "kiosk/platform/speech.h"
#include "kiosk/ui/screens/screens.h"
#include "kiosk/ui/string_keys.h"

namespace kiosk::platform {
using drivers::readPssKilobytes;
namespace {

using ui::RecordedItem;

constexpr std::int64_t kFrameMillis = 16;
// Under AddressSanitizer freed blocks wait in its quarantine (256 MB by default) and every
// allocation has shadow memory, so PSS only grows: samples are printed but not judged there.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kMemoryJudged = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kMemoryJudged = false;
#else
constexpr bool kMemoryJudged = true;
#endif
#else
constexpr bool kMemoryJudged = true;
#endif
// Short runs measured here settled near 50-60 MB on the attract screen, with steps of a few MB
// as the allocator's arenas reach their high-water mark (200 % text in Nepali, long typed
// strings); a leak of 100 bytes a frame crosses this bound within about 170,000 frames.
constexpr long kMemoryBoundKb = 16384;
constexpr std::int64_t kStuckMarginMillis = 10'000;
// A third of gestures aim at what moves a journey on (Continue, Back is not among them, but
// Start again and tiles are): thousands without a change mean taps have stopped working.
constexpr long kStuckGestures = 3000;
// Typed text that must never outlive its session carries this; no pack or catalogue string has it.
constexpr const char* kMarker = "qzx";

std::string lowerAscii(std::string text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

class Soak {
public:
    Soak(KioskApp& app, VirtualClock& clock, const SoakOptions& options)
        : app_(app), clock_(clock), options_(options), random_(options.seed), hands_(app, clock, [this] {
              beforeFrame();
          }) {
        firstFrame_ = app_.framesDrawn;
        sampleEvery_ = std::clamp(options_.frames / 25, 1000L, 10'000L);
        warmupFrames_ = std::min(100'000L, options_.frames / 4);
        limitMillis_ = app_.state.settings.inactivityMillis + app_.state.settings.warningMillis;
        if (app_.outbox && app_.outbox->store()) sealedAtStart_ = sealedInStore();
    }

    int run() {
        const auto started = std::chrono::steady_clock::now();
        hands_.settle();
        lastChangeMillis_ = clock_.nowMillis();
        while (failure_.empty() && frameIndex() < options_.frames) {
            gesture();
            if (failure_.empty()) afterGesture();
        }
        if (failure_.empty()) finalChecks();
        const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
        const long end = readPssKilobytes();
        std::printf(
            "SOAK frames=%ld rendered=%ld seed=%llu gestures=%ld sessions=%ld sessions-timed-out=%ld "
            "forms-sealed=%ld confirmations=%ld screens-visited=%zu languages-visited=%zu "
            "text-sizes-visited=%zu typed=%ld typed-seen=%ld pss-start-kb=%ld pss-warm-kb=%ld "
            "pss-max-kb=%ld pss-end-kb=%ld longest-stay-s=%.1f elapsed-s=%.1f cpu-s=%.1f\n",
            frameIndex(), rendered_, static_cast<unsigned long long>(options_.seed), gestures_, sessions_,
            sessionsTimedOut_, sealedInStore() - sealedAtStart_, confirmations_, screensVisited_.size(),
            languagesVisited_.size(), textSizesVisited_.size(), typedMarked_, typedSeen_, pssStart_, pssWarm_,
            pssMax_, end, static_cast<double>(longestStayMillis_) / 1000.0, elapsed.count(),
            static_cast<double>(std::clock()) / CLOCKS_PER_SEC);
        std::fflush(stdout);
        if (!failure_.empty()) {
            std::fprintf(stderr, "SOAK FAILED seed=%llu frame=%ld screen=%s: %s\n",
                         static_cast<unsigned long long>(options_.seed), frameIndex(), screenName(app_.state),
                         failure_.c_str());
            return 1;
        }
        return 0;
    }

private:
    KioskApp& app_;
    VirtualClock& clock_;
    SoakOptions options_;
    std::mt19937_64 random_;
    HeadlessGestures hands_;
    long firstFrame_ = 0;
    long sampleEvery_ = 10'000;
    long nextSampleFrame_ = 0;
    long warmupFrames_ = 100'000;
    std::int64_t limitMillis_ = 0;
    std::string failure_;

    // Figures for the summary line.
    long rendered_ = 0, gestures_ = 0, sessions_ = 0, sessionsTimedOut_ = 0, confirmations_ = 0;
    long typedMarked_ = 0, typedSeen_ = 0, sealedAtStart_ = 0;
    long pssStart_ = -1, pssWarm_ = -1, pssMax_ = -1;
    std::set<std::string> screensVisited_, languagesVisited_;
    std::set<int> textSizesVisited_;

    // Stuck-screen and session tracking, updated before every frame.
    std::string lastScreen_ = "attract";  // screenName() at the last frame
    std::uint64_t lastPageSerial_ = 0;
    std::int64_t lastChangeMillis_ = 0;
    std::int64_t lastInputMillis_ = 0;  // end of the last gesture that touched or typed
    long lastChangeGesture_ = 0;
    std::int64_t longestStayMillis_ = 0;
    bool waiting_ = false;                  // inside a long wait: a session ending now timed out
    bool mustBeClean_ = false;              // a session ended and nothing has been typed since
    bool markedThisSession_ = false;        // marked text was typed in this session
    bool markerSeenThisSession_ = false;    // ... and a page has shown it
    std::string focusedLabel_;              // the text box the driver last tapped
    bool purposeful_ = false;               // this session's resident fills each box once and moves on
    std::set<std::string> filledThisPage_;  // boxes a purposeful resident has filled on this page

    long frameIndex() const { return app_.framesDrawn - firstFrame_; }

    long sealedInStore() const {
        if (!app_.outbox || !app_.outbox->store()) return 0;
        const store::QueueCounts counts = app_.outbox->store()->counts();
        return counts.waiting + counts.delivered + counts.heldBack;
    }

    void fail(const std::string& what) {
        if (failure_.empty()) failure_ = what;
    }

    // ---- every frame ------------------------------------------------------------------------

    void beforeFrame() {
        clock_.advanceMillis(kFrameMillis);
        dispatchDueTicks(app_);
        observeScreen();
        const long index = frameIndex();
        app_.rasterise = options_.rasteriseEvery <= 1 || index % options_.rasteriseEvery == 0;
        if (app_.rasterise) ++rendered_;
        if (index >= nextSampleFrame_ && app_.state.screen == SessionScreen::Attract) {
            nextSampleFrame_ = (index / sampleEvery_ + 1) * sampleEvery_;
            sampleMemory(index);
        }
    }

    void observeScreen() {
        const KioskState& state = app_.state;
        const std::int64_t now = clock_.nowMillis();
        screensVisited_.insert(screenName(state));
        languagesVisited_.insert(state.language);
        textSizesVisited_.insert(state.textSizePercent);
        const std::string screen = screenName(state);
        if (screen != lastScreen_ || state.pageSerial != lastPageSerial_) {
            if (lastScreen_ != "attract")
                longestStayMillis_ = std::max(longestStayMillis_, now - lastChangeMillis_);
            if (screen == "confirmation" && lastScreen_ != "confirmation") ++confirmations_;
            if (screen == "attract" && lastScreen_ != "attract") sessionEnded();
            // One session in three the resident knows what they want and types sensible answers,
            // so journeys reach check answers, Send and the confirmation often enough.
            if (lastScreen_ == "attract" && screen != "attract") purposeful_ = uniform(0, 2) == 0;
            filledThisPage_.clear();
            lastScreen_ = screen;
            lastPageSerial_ = state.pageSerial;
            lastChangeMillis_ = now;
            lastChangeGesture_ = gestures_;
            return;
        }
        if (state.screen == SessionScreen::Attract || state.screen == SessionScreen::OutOfOrder) return;
        const std::int64_t quiet = now - std::max(lastChangeMillis_, lastInputMillis_);
        if (quiet > limitMillis_ + kStuckMarginMillis)
            fail("stuck: the page has not changed for " + std::to_string(quiet / 1000) +
                 " s of virtual time since the last touch (time limit " +
                 std::to_string(limitMillis_ / 1000) + " s with its warning)");
        if (gestures_ - lastChangeGesture_ > kStuckGestures)
            fail("stuck: the page has not changed in " + std::to_string(gestures_ - lastChangeGesture_) +
                 " gestures");
    }

    void sessionEnded() {
        ++sessions_;
        markedThisSession_ = markerSeenThisSession_ = false;
        if (waiting_) ++sessionsTimedOut_;
        mustBeClean_ = true;
    }

    void sampleMemory(long index) {
        const long kilobytes = readPssKilobytes();
        if (kilobytes < 0) return fail("cannot read Pss from /proc/self/smaps_rollup");
        if (pssStart_ < 0) pssStart_ = kilobytes;
        pssMax_ = std::max(pssMax_, kilobytes);
        std::printf("SOAK-MEMORY frame=%ld pss-kb=%ld screen=%s text-size=%d\n", index, kilobytes,
                    screenName(app_.state), app_.state.textSizePercent);
        std::fflush(stdout);
        if (index <= warmupFrames_) {
            pssWarm_ = std::max(pssWarm_, kilobytes);
        } else if (kMemoryJudged && kilobytes > pssWarm_ + kMemoryBoundKb) {
            fail("memory: PSS " + std::to_string(kilobytes) + " kB is " +
                 std::to_string(kilobytes - pssWarm_) + " kB above the warm-up's highest " +
                 std::to_string(pssWarm_) + " kB (bound " + std::to_string(kMemoryBoundKb) + " kB)");
        }
    }

    // ---- between gestures -------------------------------------------------------------------

    bool recordShowsMarker(const std::string& marker, std::string* label = nullptr) const {
        for (const auto& item : app_.record.items) {
            if (lowerAscii(item.label).find(marker) == std::string::npos) continue;
            if (label) *label = item.label.substr(0, 80);
            return true;
        }
        return false;
    }

    template <typename T>
    static bool bufferHoldsMarker(const ImVector<T>& buffer) {
        if (!buffer.Data) return false;
        const std::size_t length = std::strlen(kMarker);
        const std::size_t capacity = static_cast<std::size_t>(buffer.Capacity);
        for (std::size_t i = 0; i + length <= capacity; ++i) {
            std::size_t matched = 0;
            while (matched < length && static_cast<unsigned>(buffer.Data[i + matched]) ==
                                           static_cast<unsigned char>(kMarker[matched]))
                ++matched;
            if (matched == length) return true;
        }
        return false;
    }

    void afterGesture() {
        ++gestures_;
        if (markedThisSession_ && !markerSeenThisSession_ && recordShowsMarker(kMarker)) {
            markerSeenThisSession_ = true;
            ++typedSeen_;  // shown on a page (check answers, an address): the check has something to miss
        }
        if (!mustBeClean_) return;
        std::string label;
        if (recordShowsMarker(kMarker, &label))
            return fail("privacy: \"" + label + "\", typed in a session that has ended, is on screen");
        const KioskState& state = app_.state;
        // A new session may have begun a form already; on Attract nothing may be left.
        if (state.screen == SessionScreen::Attract &&
            (state.resident.form || !state.resident.searchText.empty()))
            return fail("privacy: the flow still holds answers or a search from a session that has ended");
        const ImGuiInputTextState& text = ImGui::GetCurrentContext()->InputTextState;
        if (bufferHoldsMarker(text.TextA) || bufferHoldsMarker(text.TextW) ||
            bufferHoldsMarker(text.InitialTextA))
            return fail(
                "privacy: Dear ImGui's text-editing buffers still hold text from a session that has ended");
    }

    void finalChecks() {
        if (!app_.outbox || !app_.outbox->store()) return fail("store: the database did not open");
        const long sealed = sealedInStore() - sealedAtStart_;
        if (sealed != confirmations_)
            fail("store: " + std::to_string(sealed) + " submissions sealed but " +
                 std::to_string(confirmations_) + " confirmation screens shown");
    }

    // ---- choosing a gesture -----------------------------------------------------------------

    int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
    double uniformReal(double low, double high) {
        return std::uniform_real_distribution<double>(low, high)(random_);
    }

    static bool visible(const RecordedItem& item, float width, float height) {
        const float x = item.x + item.width / 2, y = item.y + item.height / 2;
        if (x < 0 || y < 0 || x >= width || y >= height) return false;
        if (item.clipX1 <= item.clipX0 || item.clipY1 <= item.clipY0) return true;
        return x >= item.clipX0 && x < item.clipX1 && y >= item.clipY0 && y < item.clipY1;
    }

    template <typename Wanted>
    std::vector<const RecordedItem*> tappables(Wanted wanted) const {
        std::vector<const RecordedItem*> found;
        for (const auto& item : app_.record.items)
            if (item.tappable && visible(item, app_.ui.screenWidth, app_.ui.screenHeight) && wanted(item))
                found.push_back(&item);
        return found;
    }

    const RecordedItem* pick(const std::vector<const RecordedItem*>& items) {
        return items.empty()
                   ? nullptr
                   : items[static_cast<std::size_t>(uniform(0, static_cast<int>(items.size()) - 1))];
    }

    void tap(const RecordedItem& item) {
        if (item.kind == RecordedItem::Kind::TextInput) focusedLabel_ = item.label;
        hands_.tapAt(item.x + item.width / 2, item.y + item.height / 2);
    }

    bool tapAny() {
        const RecordedItem* item = pick(tappables([](const RecordedItem&) { return true; }));
        if (item) tap(*item);
        return item != nullptr;
    }

    // What moves a journey on: the buttons that lead to the next page, tiles and choices.
    void tapJourney() {
        const KioskState& state = app_.state;
        std::vector<std::string> labels;
        for (const char* key :
             {ui::keys::kContinue, ui::keys::kStartButton, ui::keys::kAddressFind, ui::keys::kCheckSend,
              ui::keys::kConfirmationFinish, ui::keys::kSealFailedRetry, ui::keys::kAttractTitle,
              ui::keys::kTimeoutExtend})
            labels.push_back(ui::tr(state, key));
        const auto journey = tappables([&](const RecordedItem& item) {
            if (item.kind == RecordedItem::Kind::Tile || item.kind == RecordedItem::Kind::Choice) return true;
            return std::find(labels.begin(), labels.end(), item.label) != labels.end();
        });
        if (const RecordedItem* item = pick(journey)) return tap(*item);
        tapAny();
    }

    std::string marked() { return std::string(kMarker) + std::to_string(typedMarked_ + 1) + " "; }

    // An answer the page may accept, by the label of the box, so journeys reach Send.
    std::string plausibleAnswer() {
        const KioskState& state = app_.state;
        if (focusedLabel_ == ui::tr(state, ui::keys::kAddressPostcode))
            return uniform(0, 3) ? "ME14 1AA" : "ZZ99 9ZZ";
        // Mostly real dates before the virtual clock's 2026: invalid ones show the date errors.
        if (focusedLabel_ == ui::tr(state, ui::keys::kDateDay))
            return std::to_string(uniform(1, uniform(0, 4) ? 28 : 40));
        if (focusedLabel_ == ui::tr(state, ui::keys::kDateMonth))
            return std::to_string(uniform(1, uniform(0, 4) ? 12 : 14));
        if (focusedLabel_ == ui::tr(state, ui::keys::kDateYear))
            return std::to_string(uniform(2024, uniform(0, 4) ? 2025 : 2030));
        static const char* const kAnswers[] = {
            "01632 960 001", "07700 900 982", "a.resident@example.org", "3", "2", "Oakhurst"};
        // Names and descriptions carry the marker, so check answers shows it and the privacy
        // check has something to look for.
        if (uniform(0, 1)) return marked() + "left by the gate";
        return kAnswers[uniform(0, 5)];
    }

    std::string oddText() {
        static const char* const kPieces[] = {
            "Zażółć gęślą jaźń ŁÓDŹ ",
            "Știință și țară, ĂÂÎȘȚ ",
            "नमस्ते काठमाडौं क्षत्रिय ",
            "😀🚀👍🏽 ",
            "tab\there ",
            "line\nbreak ",
            "<b>&amp;\"'\\ ",
            "1234567890 ",
            "ﬁ \xE2\x80\xAE reversed ",
            "\xC2\xA0nbsp ",
        };
        std::string text;
        const int pieces = uniform(1, 6);
        for (int i = 0; i < pieces; ++i) text += kPieces[uniform(0, 9)];
        return text;
    }

    std::string randomAscii(int length) {
        std::string text;
        for (int i = 0; i < length; ++i) text += static_cast<char>(uniform(32, 126));
        return text;
    }

    void typeSomething() {
        if (!ImGui::GetIO().WantTextInput) {
            const RecordedItem* box = pick(tappables(
                [](const RecordedItem& item) { return item.kind == RecordedItem::Kind::TextInput; }));
            if (box) return tap(*box);
            tapAny();
            return;
        }
        std::string text;
        const int kind = uniform(0, 9);
        if (kind < 4) {
            text = plausibleAnswer();
        } else {
            text = marked();
            if (kind < 6)
                text += randomAscii(uniform(1, 30));
            else if (kind < 9)
                text += oddText();
            else
                while (text.size() < static_cast<std::size_t>(uniform(500, 4000)))
                    text += oddText() + randomAscii(40);
        }
        typeText(text);
    }

    void typeText(const std::string& text) {
        const bool hasMarker = text.rfind(kMarker, 0) == 0;
        if (!hands_.type(text)) return;
        if (!hasMarker) return;
        ++typedMarked_;
        mustBeClean_ = false;
        markedThisSession_ = true;
    }

    void physicalKey() {
        static const char* const kKeys[] = {"Enter",  "Tab",  "Escape", "Backspace",
                                            "Delete", "Left", "Home",   "End"};
        hands_.pressKey(kKeys[uniform(0, 7)]);
    }

    // Idle time: mostly seconds; sometimes into the warning; sometimes past the end of a session.
    void longWait() {
        const double limitSeconds = static_cast<double>(limitMillis_) / 1000.0;
        const double inactivitySeconds = static_cast<double>(app_.state.settings.inactivityMillis) / 1000.0;
        const int kind = uniform(0, 9);
        double seconds = uniformReal(0.5, 30.0);
        if (kind >= 6 && kind < 8) seconds = uniformReal(inactivitySeconds - 5.0, limitSeconds - 1.0);
        if (kind >= 8) seconds = uniformReal(limitSeconds + 1.0, limitSeconds * 3.0);
        const bool sessionRunning =
            app_.state.screen != SessionScreen::Attract && app_.state.screen != SessionScreen::OutOfOrder;
        waiting_ = true;
        hands_.wait(seconds);
        waiting_ = false;
        if (sessionRunning && app_.state.settings.timeLimitEnabled && seconds > limitSeconds &&
            app_.state.screen != SessionScreen::Attract)
            fail("a wait of " + std::to_string(static_cast<int>(seconds)) + " s did not end the session");
    }

    // Fill each empty box once with a plausible answer, otherwise move the journey on.
    void purposefulGesture() {
        if (ImGui::GetIO().WantTextInput && !focusedLabel_.empty() && !filledThisPage_.count(focusedLabel_)) {
            filledThisPage_.insert(focusedLabel_);
            typeText(plausibleAnswer());
        } else if (const RecordedItem* box = pick(tappables([&](const RecordedItem& item) {
                       return item.kind == RecordedItem::Kind::TextInput &&
                              !filledThisPage_.count(item.label);
                   }))) {
            tap(*box);
        } else {
            tapJourney();
        }
        lastInputMillis_ = clock_.nowMillis();
    }

    void gesture() {
        const int roll = uniform(0, 999);
        if (purposeful_ && roll < 800 && app_.state.screen != SessionScreen::Attract)
            return purposefulGesture();
        if (roll < 280) {
            tapAny();
        } else if (roll < 600) {
            tapJourney();
        } else if (roll < 730) {
            typeSomething();
        } else if (roll < 780) {
            physicalKey();
        } else if (roll < 820) {
            hands_.tapAt(static_cast<float>(uniformReal(0, app_.ui.screenWidth - 1)),
                         static_cast<float>(uniformReal(0, app_.ui.screenHeight - 1)));
        } else if (roll < 870) {
            hands_.drag(static_cast<float>(uniformReal(-120, 120)));
        } else if (roll < 900) {
            for (int i = uniform(1, 12); i > 0; --i) hands_.pressKey("Backspace");
        } else if (roll < 985) {
            hands_.settle();  // nothing: a resident reading the page
            return;
        } else {
            longWait();
            return;
        }
        lastInputMillis_ = clock_.nowMillis();
    }
};

// A speaker that has played everything it was given. The headless kiosk's BufferAudioSink keeps
// every sample ever spoken so a script can check it: over a million frames that is hundreds of
// MB of test record, not kiosk memory. Speech is still synthesised in full.
class PlayedAudioSink final : public AudioSink {
public:
    bool open(int /*sampleRate*/) override { return true; }
    void write(const std::int16_t* /*samples*/, std::size_t count) override { samples_ += count; }
    void clear() override {}
    bool playing() const override { return false; }

private:
    std::atomic<std::size_t> samples_{0};
};

}  // namespace

int runSoak(KioskApp& app, VirtualClock& clock, const SoakOptions& options) {
    std::fprintf(stderr,
                 "council-kiosk: soak of %ld frames, seed %llu, rasterising one frame in %d (every frame is "
                 "built and its intents applied)%s\n",
                 options.frames, static_cast<unsigned long long>(options.seed), options.rasteriseEvery,
                 kMemoryJudged ? "" : "; memory not judged under AddressSanitizer");
    // The engine is made after the first frame, so the sink can still be swapped.
    if (!app.speech.engine) app.speech.sink = std::make_unique<PlayedAudioSink>();
    Soak soak(app, clock, options);
    const int exitCode = soak.run();
    app.rasterise = true;
    return exitCode;
}

}  // namespace kiosk::platform
