// Read aloud: the words chosen for a page (composePageSpeech) and the sound the engine makes of
// them (SpeechEngine with espeak-ng). The engine writes into a BufferAudioSink, so no sound card
// is needed; the SDL sink is checked with SDL's dummy audio driver.
#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/platform/speech.h"
#include "kiosk/ui/read_aloud.h"

using kiosk::platform::BufferAudioSink;
using kiosk::platform::SdlAudioSink;
using kiosk::platform::SpeechEngine;
using kiosk::platform::SpokenRecord;
using kiosk::ui::FrameRecord;
using kiosk::ui::RecordedItem;
using kiosk::ui::Utterance;
using Kind = RecordedItem::Kind;
using Role = RecordedItem::Role;
using namespace std::chrono_literals;

namespace {

// Long enough that synthesising all of it takes many of espeak-ng's 50 ms blocks.
const std::string kLongParagraph =
    "Your bins are collected every other week. Put your bin at the edge of your property by seven "
    "in the morning on your collection day, with the lid closed and the handle facing the road. "
    "If your bin was not emptied, tell us within two working days and we will arrange for the crew "
    "to come back. We cannot return for bins that were put out late, bins with the lid open, or "
    "bins that contain the wrong kind of waste. Garden waste is collected from March to November "
    "for households that have a garden waste permit. Food waste caddies are emptied every week. "
    "You can order a new bin or a replacement caddy from the council, and assisted collections are "
    "available for residents who cannot move their bins themselves.";

double rms(const std::int16_t* samples, std::size_t count) {
    if (count == 0) return 0;
    double sum = 0;
    for (std::size_t i = 0; i < count; ++i) sum += double(samples[i]) * samples[i];
    return std::sqrt(sum / double(count));
}

struct Heard {
    std::vector<std::int16_t> samples;
    std::string voice;
    double seconds = 0;
    double rms = 0;
};

// Speaks one utterance and returns what reached the sink for it.
Heard speak(SpeechEngine& engine, BufferAudioSink& sink, const std::string& text, const std::string& language,
            bool spellOut = false) {
    sink.reset();
    engine.say({Utterance{text, spellOut, {}}}, language);
    REQUIRE(engine.waitUntilQuiet(30s));
    const auto utterances = sink.utterances();
    REQUIRE(utterances.size() == 1);
    const auto all = sink.samples();
    Heard heard;
    heard.samples.assign(all.begin() + std::ptrdiff_t(utterances[0].firstSample),
                         all.begin() + std::ptrdiff_t(utterances[0].firstSample + utterances[0].sampleCount));
    heard.voice = utterances[0].record.voice;
    heard.seconds = double(heard.samples.size()) / sink.sampleRate();
    heard.rms = rms(heard.samples.data(), heard.samples.size());
    return heard;
}

// Loudness every 10 ms. espeak-ng adds random noise to its voices, so two runs of the same text
// never match sample for sample, but their loudness over time does; two voices' does not.
std::vector<double> envelope(const std::vector<std::int16_t>& samples, int sampleRate) {
    const std::size_t frame = std::size_t(sampleRate / 100);
    std::vector<double> out;
    for (std::size_t at = 0; at + frame <= samples.size(); at += frame)
        out.push_back(rms(&samples[at], frame));
    return out;
}

// 0 for identical loudness contours, about 1 or more for unrelated ones.
double envelopeDistance(const std::vector<std::int16_t>& a, const std::vector<std::int16_t>& b,
                        int sampleRate) {
    std::vector<double> x = envelope(a, sampleRate), y = envelope(b, sampleRate);
    const std::size_t n = std::max(x.size(), y.size());
    x.resize(n);
    y.resize(n);
    double difference = 0, reference = 0;
    for (std::size_t i = 0; i < n; ++i) {
        difference += (x[i] - y[i]) * (x[i] - y[i]);
        reference += x[i] * x[i];
    }
    return reference > 0 ? std::sqrt(difference / reference) : 1.0;
}

// Lets synthesis run at about ten times real time instead of hundreds, as if each block took a
// moment to reach the device, so a test can stop it part way without racing it.
class PacedSink : public BufferAudioSink {
public:
    std::atomic<bool> paced{false};

    void write(const std::int16_t* samples, std::size_t count) override {
        BufferAudioSink::write(samples, count);
        if (paced.load()) std::this_thread::sleep_for(5ms);
    }
};

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(2ms);
    }
    return true;
}

RecordedItem item(Kind kind, Role role, const std::string& label, float y, float x = 100) {
    RecordedItem recorded;
    recorded.kind = kind;
    recorded.role = role;
    recorded.label = label;
    recorded.x = x;
    recorded.y = y;
    recorded.width = 200;
    recorded.height = 60;
    recorded.tappable = kind != Kind::Text;
    return recorded;
}

std::vector<std::string> texts(const std::vector<Utterance>& speech) {
    std::vector<std::string> out;
    for (const Utterance& utterance : speech) out.push_back(utterance.text);
    return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Voices and languages
// ---------------------------------------------------------------------------------------------

TEST_CASE("Each kiosk language is spoken aloud in its own espeak-ng voice", "[speech][engine]") {
    struct Case {
        std::string language, text, voice;
    };
    // clang-format off
    const Case c = GENERATE(Case{"en", "Report a missed bin collection", "en-gb"},
                            Case{"pl", "Zgłoś nieodebrane śmieci", "pl"},
                            Case{"ro", "Raportați o colectare de gunoi ratată", "ro"},
                            Case{"ne", "फोहोर उठाइएन", "ne"});
    // clang-format on
    BufferAudioSink sink;
    SpeechEngine engine(sink);
    REQUIRE(engine.available());
    CHECK(sink.sampleRate() == engine.sampleRate());
    CHECK(engine.sampleRate() == 22050);

    const Heard heard = speak(engine, sink, c.text, c.language);
    INFO(c.language << ": " << heard.samples.size() << " samples, " << heard.seconds << " s, RMS "
                    << heard.rms);
    CHECK(heard.voice == c.voice);
    CHECK(heard.seconds > 0.3);
    CHECK(heard.rms > 500);  // silence is 0; espeak-ng speech is around 3000

    const std::vector<SpokenRecord> history = engine.history();
    REQUIRE(history.size() == 1);
    CHECK(history[0].text == c.text);
    CHECK(history[0].language == c.language);
    CHECK(history[0].voice == c.voice);
}

TEST_CASE("The Nepali voice says the same digits differently from the English voice", "[speech][engine]") {
    BufferAudioSink sink;
    SpeechEngine engine(sink);
    // Spelled out, each digit is named in the voice's own language ("zero", "shunya").
    const Heard english = speak(engine, sink, "0123456789", "en", true);
    const Heard englishAgain = speak(engine, sink, "0123456789", "en", true);
    const Heard nepali = speak(engine, sink, "0123456789", "ne", true);
    CHECK(english.voice == "en-gb");
    CHECK(nepali.voice == "ne");
    const double sameVoice = envelopeDistance(english.samples, englishAgain.samples, sink.sampleRate());
    const double otherVoice = envelopeDistance(english.samples, nepali.samples, sink.sampleRate());
    INFO("English twice: " << sameVoice << ", English and Nepali: " << otherVoice);
    CHECK(otherVoice > 0.5);
    CHECK(otherVoice > 4 * sameVoice);
}

TEST_CASE("A language the kiosk has no voice for is read in British English", "[speech][engine]") {
    BufferAudioSink sink;
    SpeechEngine engine(sink);
    const Heard heard = speak(engine, sink, "Continue", "xx");
    CHECK(heard.voice == "en-gb");
    CHECK(heard.seconds > 0.2);
    CHECK(kiosk::platform::voiceTagForLanguage("cy") == "en-gb");
    CHECK(kiosk::platform::voiceTagForLanguage("ne") == "ne");
}

TEST_CASE("A piece in another language is read in that language's voice", "[speech][engine]") {
    BufferAudioSink sink;
    SpeechEngine engine(sink);
    engine.say({Utterance{"Choose your language", false, {}}, Utterance{"Polski", false, "pl"},
                Utterance{"नेपाली", false, "ne"}},
               "en");
    REQUIRE(engine.waitUntilQuiet(30s));
    const auto history = engine.history();
    REQUIRE(history.size() == 3);
    CHECK(history[0].voice == "en-gb");
    CHECK(history[1].voice == "pl");
    CHECK(history[2].voice == "ne");
    const auto utterances = sink.utterances();
    REQUIRE(utterances.size() == 3);
    for (const auto& utterance : utterances) CHECK(utterance.sampleCount > 2000);
}

// ---------------------------------------------------------------------------------------------
// Stopping, replacing, speed, volume
// ---------------------------------------------------------------------------------------------

TEST_CASE("Stop silences a long paragraph at once and clears the queue", "[speech][engine]") {
    PacedSink sink;
    SpeechEngine engine(sink);
    const std::size_t whole = speak(engine, sink, kLongParagraph, "en").samples.size();
    REQUIRE(whole > std::size_t(20 * sink.sampleRate()));  // over 20 s of speech

    sink.reset();
    sink.paced = true;
    engine.say({Utterance{kLongParagraph, false, {}}}, "en");
    CHECK(engine.speaking());  // at once, before any sound is made
    REQUIRE(waitFor([&] { return !sink.samples().empty(); }, 10s));
    const int clearsBefore = sink.clearCount();
    const auto stopAt = std::chrono::steady_clock::now();
    engine.stop();
    const auto stopReturned = std::chrono::steady_clock::now();
    REQUIRE(waitFor([&] { return !engine.speaking(); }, 2s));
    const auto quiet = std::chrono::steady_clock::now();
    const std::size_t afterStop = sink.samples().size();
    std::this_thread::sleep_for(200ms);

    using std::chrono::duration_cast;
    using std::chrono::microseconds;
    INFO("whole paragraph " << whole << " samples; stopped after " << afterStop << "; stop() returned in "
                            << duration_cast<microseconds>(stopReturned - stopAt).count()
                            << " us, quiet after " << duration_cast<microseconds>(quiet - stopAt).count()
                            << " us");
    CHECK(afterStop < whole / 4);
    CHECK(sink.samples().size() == afterStop);  // nothing more arrives after the stop
    CHECK(sink.queuedSamples() == 0);
    CHECK(sink.clearCount() > clearsBefore);
    CHECK_FALSE(engine.speaking());
}

TEST_CASE("Saying something new replaces what is being said", "[speech][engine]") {
    PacedSink sink;
    sink.paced = true;
    SpeechEngine engine(sink);
    engine.say({Utterance{kLongParagraph, false, {}}, Utterance{"This part is never reached", false, {}}},
               "en");
    REQUIRE(waitFor([&] { return !sink.samples().empty(); }, 10s));
    engine.say({Utterance{"Continue", false, {}}}, "en");
    REQUIRE(engine.waitUntilQuiet(30s));

    const auto history = engine.history();
    REQUIRE(history.size() == 2);
    CHECK(history[0].text == kLongParagraph);
    CHECK(history[1].text == "Continue");
    const auto utterances = sink.utterances();
    REQUIRE(utterances.size() == 2);
    CHECK(utterances[0].sampleCount < std::size_t(10 * sink.sampleRate()));  // cut short, not 20 s+
    CHECK(utterances[1].sampleCount > std::size_t(sink.sampleRate() / 5));
}

TEST_CASE("Slow speech is slower, half volume is half as loud, and a new session resets both",
          "[speech][engine]") {
    BufferAudioSink sink;
    SpeechEngine engine(sink);
    const std::string sentence = "What is the postcode of the address where the bin was missed?";
    const Heard normal = speak(engine, sink, sentence, "en");

    engine.setSlow(true);
    CHECK(engine.slow());
    const Heard slow = speak(engine, sink, sentence, "en");
    INFO("normal " << normal.samples.size() << " samples, slow " << slow.samples.size());
    CHECK(double(slow.samples.size()) > 1.2 * double(normal.samples.size()));

    engine.setSlow(false);
    engine.setVolumePercent(50);
    const Heard half = speak(engine, sink, sentence, "en");
    INFO("RMS at 100 % " << normal.rms << ", at 50 % " << half.rms);
    CHECK(half.rms / normal.rms == Approx(0.5).margin(0.05));

    engine.setVolumePercent(200);
    const Heard doubled = speak(engine, sink, sentence, "en");
    CHECK(doubled.rms > 1.6 * normal.rms);  // not quite 2: the loudest samples are clamped

    engine.setVolumePercent(500);
    CHECK(engine.volumePercent() == 200);
    engine.setVolumePercent(-3);
    CHECK(engine.volumePercent() == 0);

    engine.setSlow(true);
    engine.setVolumePercent(30);
    engine.resetForNewSession();
    CHECK_FALSE(engine.slow());
    CHECK(engine.volumePercent() == 100);
    CHECK(engine.history().empty());  // the last resident's answers are not kept
    const Heard afterReset = speak(engine, sink, sentence, "en");
    CHECK(double(afterReset.samples.size()) == Approx(double(normal.samples.size())).epsilon(0.05));
    CHECK(afterReset.rms == Approx(normal.rms).epsilon(0.05));
}

TEST_CASE("A new session silences speech that is still going", "[speech][engine]") {
    PacedSink sink;
    sink.paced = true;
    SpeechEngine engine(sink);
    engine.say({Utterance{kLongParagraph, false, {}}}, "en");
    REQUIRE(waitFor([&] { return !sink.samples().empty(); }, 10s));
    engine.resetForNewSession();
    CHECK(waitFor([&] { return !engine.speaking(); }, 2s));
    CHECK(engine.history().empty());
    CHECK(sink.queuedSamples() == 0);
}

// ---------------------------------------------------------------------------------------------
// Spelling out the reference
// ---------------------------------------------------------------------------------------------

TEST_CASE("A reference is spelled out character by character, hyphens as pauses", "[speech][engine]") {
    BufferAudioSink sink;
    SpeechEngine engine(sink);
    const Heard asWord = speak(engine, sink, "DEV-0000-001Y", "en");
    const Heard spelled = speak(engine, sink, "DEV-0000-001Y", "en", true);
    INFO("as words " << asWord.seconds << " s, spelled " << spelled.seconds << " s");
    CHECK(spelled.seconds > 1.2 * asWord.seconds);
    CHECK(spelled.rms > 500);

    const auto history = engine.history();
    REQUIRE(history.size() == 2);
    CHECK(history[1].spellOut);
    CHECK(history[1].text == "DEV-0000-001Y");
    CHECK(history[1].spokenAs == "D E V, 0 0 0 0, 0 0 1 Y");
    CHECK(history[0].spokenAs == "DEV-0000-001Y");
}

TEST_CASE("Spelling out names each character and never the separators", "[speech]") {
    std::string readable;
    const std::string ssml = kiosk::platform::spellOutSsml("AB-1 <ź>", &readable);
    CHECK(readable == "A B, 1, < ź >");
    CHECK(ssml.find(">-<") == std::string::npos);
    CHECK(ssml.find("<say-as interpret-as=\"characters\">ź</say-as>") != std::string::npos);
    CHECK(ssml.find("<say-as interpret-as=\"characters\">&lt;</say-as>") != std::string::npos);
    CHECK(ssml.find("<say-as interpret-as=\"characters\"><") == std::string::npos);
    CHECK(ssml.find("<break") != std::string::npos);
    CHECK(ssml.rfind("<speak>", 0) == 0);
}

// ---------------------------------------------------------------------------------------------
// SDL audio
// ---------------------------------------------------------------------------------------------

TEST_CASE("The SDL sink queues and clears audio, and stays silent without a device", "[speech][sdl]") {
    SECTION("dummy driver") {
        setenv("SDL_AUDIODRIVER", "dummy", 1);
        SdlAudioSink sink;
        REQUIRE(sink.open(22050));
        CHECK(sink.hasDevice());
        const std::vector<std::int16_t> second(22050, 1000);
        sink.write(second.data(), second.size());
        CHECK(sink.playing());
        CHECK(sink.queuedBytes() > 0);
        sink.clear();
        CHECK(sink.queuedBytes() == 0);
        CHECK_FALSE(sink.playing());
    }
    SECTION("no audio device at all") {
        setenv("SDL_AUDIODRIVER", "no-such-driver", 1);
        SdlAudioSink sink;
        CHECK_FALSE(sink.open(22050));
        CHECK_FALSE(sink.hasDevice());
        const std::vector<std::int16_t> second(22050, 1000);
        sink.write(second.data(), second.size());
        CHECK_FALSE(sink.playing());
    }
    unsetenv("SDL_AUDIODRIVER");
}

TEST_CASE("Through SDL, speaking lasts while the device still has audio to play", "[speech][sdl]") {
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    SdlAudioSink sink;
    {
        SpeechEngine engine(sink);
        REQUIRE(sink.hasDevice());
        engine.say({Utterance{"Report a missed bin collection", false, {}}}, "en");
        // Synthesis takes milliseconds; playing takes about two seconds of real time.
        REQUIRE(waitFor([&] { return sink.queuedBytes() > 22050; }, 10s));
        CHECK(engine.speaking());
        engine.stop();
        CHECK(sink.queuedBytes() == 0);
        CHECK(waitFor([&] { return !engine.speaking(); }, 2s));
    }
    unsetenv("SDL_AUDIODRIVER");
}

TEST_CASE("Only one speech engine can exist at a time", "[speech][engine]") {
    BufferAudioSink sink;
    SpeechEngine engine(sink);
    BufferAudioSink other;
    CHECK_THROWS_AS(SpeechEngine(other), std::logic_error);
}

// ---------------------------------------------------------------------------------------------
// What a page says
// ---------------------------------------------------------------------------------------------

TEST_CASE("A page is read heading first, then hint, body, options and the button last", "[speech][compose]") {
    FrameRecord record;
    // Drawn in the order screens draw: top bar, then the page, then the action bar.
    record.add(item(Kind::Text, Role::Chrome, "Oakhurst District Council", 10));
    record.add(item(Kind::Button, Role::Chrome, "Read aloud", 10, 1500));
    record.add(item(Kind::Button, Role::Body, "Continue", 950));
    record.add(item(Kind::Text, Role::Heading, "Which bins were missed?", 120));
    record.add(item(Kind::Text, Role::Hint, "Select all that apply", 190));
    record.add(item(Kind::Choice, Role::Body, "Green garden waste bin", 420));
    record.add(item(Kind::Choice, Role::Body, "Black general waste bin", 300));
    record.add(item(Kind::Text, Role::Body, "We collect on Tuesdays in your area.", 240));
    record.add(item(Kind::Key, Role::Body, "q", 700));
    record.add(item(Kind::Link, Role::Body, "I do not know", 520));

    const auto speech = kiosk::ui::composePageSpeech(record);
    CHECK(texts(speech) == std::vector<std::string>{"Which bins were missed?", "Select all that apply",
                                                    "We collect on Tuesdays in your area.",
                                                    "Black general waste bin", "Green garden waste bin",
                                                    "I do not know", "Continue"});
    for (const Utterance& utterance : speech) {
        CHECK_FALSE(utterance.spellOut);
        CHECK(utterance.language.empty());
    }
}

TEST_CASE("Tiles in a row are read left to right, rows top to bottom", "[speech][compose]") {
    FrameRecord record;
    record.add(item(Kind::Tile, Role::Body, "Council tax", 400, 1000));
    record.add(item(Kind::Tile, Role::Body, "Missed bin", 200, 1000));
    record.add(item(Kind::Tile, Role::Body, "Housing repair", 400, 100));
    record.add(item(Kind::Tile, Role::Body, "Blue badge", 200, 100));
    CHECK(texts(kiosk::ui::composePageSpeech(record)) ==
          std::vector<std::string>{"Blue badge", "Missed bin", "Housing repair", "Council tax"});
}

TEST_CASE("Problems are read first and each message once", "[speech][compose]") {
    FrameRecord record;
    record.add(item(Kind::Text, Role::Heading, "What is your postcode?", 100));
    record.add(item(Kind::Text, Role::Error, "There is a problem", 200));
    record.add(item(Kind::Link, Role::Error, "Enter a full UK postcode", 260));
    record.add(item(Kind::Text, Role::Hint, "For example, OX4 2AB", 340));
    record.add(item(Kind::Text, Role::Error, "Enter a full UK postcode", 400));
    record.add(item(Kind::TextInput, Role::Body, "Postcode", 450));
    record.add(item(Kind::Button, Role::Body, "Continue", 900));

    const auto speech = kiosk::ui::composePageSpeech(record);
    CHECK(texts(speech) == std::vector<std::string>{"There is a problem", "Enter a full UK postcode",
                                                    "What is your postcode?", "For example, OX4 2AB",
                                                    "Postcode", "Continue"});
}

TEST_CASE("The problem title comes from the options, in the resident's language", "[speech][compose]") {
    FrameRecord record;
    record.add(item(Kind::Text, Role::Heading, "Jaki jest Twój kod pocztowy?", 100));
    record.add(item(Kind::Text, Role::Error, "Wpisz kod pocztowy", 400));
    kiosk::ui::PageSpeechOptions options;
    options.problemTitle = "Wystąpił problem";
    CHECK(texts(kiosk::ui::composePageSpeech(record, options)) ==
          std::vector<std::string>{"Wystąpił problem", "Wpisz kod pocztowy", "Jaki jest Twój kod pocztowy?"});

    FrameRecord noErrors;
    noErrors.add(item(Kind::Text, Role::Heading, "Jaki jest Twój kod pocztowy?", 100));
    CHECK(texts(kiosk::ui::composePageSpeech(noErrors, options)) ==
          std::vector<std::string>{"Jaki jest Twój kod pocztowy?"});
}

TEST_CASE("The reference on the confirmation page is spelled out", "[speech][compose]") {
    FrameRecord record;
    record.add(item(Kind::Text, Role::Heading, "Report sent", 100));
    record.add(item(Kind::Text, Role::Body, "Your reference number", 180));
    record.add(item(Kind::Text, Role::Reference, "DEV-0000-001Y", 230));
    record.add(item(Kind::Text, Role::Body, "We will empty your bin within 2 working days.", 400));
    record.add(item(Kind::Button, Role::Body, "Finish", 900));

    const auto speech = kiosk::ui::composePageSpeech(record);
    REQUIRE(speech.size() == 5);
    CHECK(speech[2].text == "DEV-0000-001Y");
    CHECK(speech[2].spellOut);
    CHECK_FALSE(speech[1].spellOut);
    CHECK_FALSE(speech[3].spellOut);
}

TEST_CASE("Blank items are silent and wrapped labels are read as one line", "[speech][compose]") {
    FrameRecord record;
    record.add(item(Kind::Text, Role::Body, "   ", 100));
    record.add(item(Kind::Choice, Role::Body, "1 Acorn Way,\nOakhurst", 200));
    record.add(item(Kind::Choice, Role::Body, "1 Acorn Way, Oakhurst", 300));
    CHECK(texts(kiosk::ui::composePageSpeech(record)) == std::vector<std::string>{"1 Acorn Way, Oakhurst"});
}

TEST_CASE("The timeout warning reads only itself, not the page behind it", "[speech][compose]") {
    FrameRecord record;
    record.add(item(Kind::Text, Role::Chrome, "Oakhurst District Council", 10));
    record.add(item(Kind::Text, Role::Heading, "What is your postcode?", 100));
    record.add(item(Kind::TextInput, Role::Body, "Postcode", 450));
    record.add(item(Kind::Button, Role::Body, "Continue", 900));
    // The overlay, drawn last, over the middle of the page.
    record.add(item(Kind::Text, Role::Heading, "Do you need more time?", 260));
    record.add(item(Kind::Text, Role::Body, "We will clear your answers in 25 seconds.", 330));
    record.add(item(Kind::Button, Role::Body, "I need more time", 420));

    CHECK(texts(kiosk::ui::composeTimeoutWarningSpeech(record)) ==
          std::vector<std::string>{"Do you need more time?", "We will clear your answers in 25 seconds.",
                                   "I need more time"});

    FrameRecord withoutHeading;
    withoutHeading.add(item(Kind::Button, Role::Body, "Continue", 900));
    CHECK(kiosk::ui::composeTimeoutWarningSpeech(withoutHeading).empty());
}
