// Read-aloud engine: espeak-ng speech played through SDL audio, for residents who cannot read the
// screen (DESIGN.md section 3: repeatable, stoppable, slower on request, volume reset per resident).
//
// [SECTION] audio sinks: where synthesised samples go (SDL device, memory for tests and scripts)
// [SECTION] SpeechEngine: one worker thread owning every espeak-ng call
//
// espeak-ng's C API is global and not thread-safe, so every espeak call runs on the engine's own
// worker thread; the UI thread only posts requests and never waits for synthesis. Only one
// SpeechEngine may exist at a time. Speech text can hold a resident's answers (check answers
// page): it is never logged, and the engine's short history is wiped for each new resident.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/ui/read_aloud.h"

namespace kiosk::platform {

// One utterance as the engine spoke it.
struct SpokenRecord {
    std::string text;      // as asked for
    std::string spokenAs;  // what the synthesiser was given in words: for spelled-out text, the
                           // characters one by one ("D E V, 0 0 0 0, 0 0 1 Y")
    std::string language;  // the kiosk language asked for: "en", "pl", "ro", "ne"
    std::string voice;     // the espeak-ng voice that spoke it, by language tag: "en-gb", "pl"
    bool spellOut = false;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] audio sinks
// ---------------------------------------------------------------------------------------------

// Where the engine sends 16-bit mono samples. The engine calls open() once on the thread that
// constructs it, then write() and beginUtterance() from its worker thread and clear() from
// whichever thread stops speech; implementations must be safe for that.
class AudioSink {
public:
    virtual ~AudioSink() = default;
    // false when nothing can be played; the engine still runs so history and scripts work.
    virtual bool open(int sampleRate) = 0;
    virtual void write(const std::int16_t* samples, std::size_t count) = 0;
    // Drops audio written but not yet played.
    virtual void clear() = 0;
    // Audio written and still waiting to be heard.
    virtual bool playing() const = 0;
    virtual void beginUtterance(const SpokenRecord& /*record*/) {}
};

// Plays through an SDL audio device (AUDIO_S16SYS, mono, espeak-ng's sample rate). With no usable
// device (a headless run, a kiosk without a sound card) it becomes silent and says so once on
// stderr, so a missing speaker never stops a resident from using the forms.
class SdlAudioSink : public AudioSink {
public:
    SdlAudioSink() = default;
    ~SdlAudioSink() override;
    SdlAudioSink(const SdlAudioSink&) = delete;
    SdlAudioSink& operator=(const SdlAudioSink&) = delete;

    bool open(int sampleRate) override;
    void write(const std::int16_t* samples, std::size_t count) override;
    void clear() override;
    bool playing() const override;

    bool hasDevice() const { return device_ != 0; }
    // Bytes queued in SDL and not yet handed to the device.
    std::size_t queuedBytes() const;

private:
    std::uint32_t device_ = 0;  // SDL_AudioDeviceID; 0 when silent
    bool audioSubsystemStarted_ = false;
};

// Keeps everything in memory: the tests' sink, and the headless kiosk's, so a script can check
// what was said. Nothing is played, so it is never "playing".
class BufferAudioSink : public AudioSink {
public:
    struct Utterance {
        SpokenRecord record;
        std::size_t firstSample = 0;  // index into samples()
        std::size_t sampleCount = 0;
    };

    bool open(int sampleRate) override;
    void write(const std::int16_t* samples, std::size_t count) override;
    void clear() override;
    bool playing() const override { return false; }
    void beginUtterance(const SpokenRecord& record) override;

    int sampleRate() const;
    // Everything ever written, including audio written before a clear(): tests measure it.
    std::vector<std::int16_t> samples() const;
    std::vector<Utterance> utterances() const;
    // What a real device would still have queued: samples written since the last clear().
    std::size_t queuedSamples() const;
    int clearCount() const;
    // Forgets everything written so far.
    void reset();

private:
    mutable std::mutex mutex_;
    int sampleRate_ = 0;
    std::vector<std::int16_t> samples_;
    std::vector<Utterance> utterances_;
    std::size_t queuedSamples_ = 0;
    int clearCount_ = 0;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] SpeechEngine
// ---------------------------------------------------------------------------------------------

class SpeechEngine {
public:
    static constexpr int kNormalWordsPerMinute = 160;
    static constexpr int kSlowWordsPerMinute = 115;
    static constexpr int kDefaultVolumePercent = 100;
    static constexpr int kMaxVolumePercent = 200;
    static constexpr std::size_t kHistoryLength = 32;

    // `sink` must outlive the engine. Waits for espeak-ng to load its data (a few milliseconds,
    // once per process) so open() gets the real sample rate; throws std::logic_error when another
    // SpeechEngine is alive.
    explicit SpeechEngine(AudioSink& sink);
    ~SpeechEngine();
    SpeechEngine(const SpeechEngine&) = delete;
    SpeechEngine& operator=(const SpeechEngine&) = delete;

    // Replaces whatever is queued or being spoken. Pieces with no language of their own are said
    // in `language` ("en", "pl", "ro", "ne"; anything else in English). Returns at once.
    void say(std::vector<ui::Utterance> utterances, const std::string& language);
    // Silences speech now: the current utterance is abandoned and queued audio dropped.
    void stop();
    // Takes effect from the next utterance; say the page again to hear it at the new speed.
    void setSlow(bool slow);
    // 0 to 200, applied to the samples as they are made; clamped to that range.
    void setVolumePercent(int percent);
    // A new resident: stop, normal speed, volume 100 %, and forget what was said.
    void resetForNewSession();

    bool slow() const { return slow_.load(); }
    int volumePercent() const { return volumePercent_.load(); }
    // True while synthesis runs or the sink still has audio to play.
    bool speaking() const;
    // False when espeak-ng could not start (no data files): the kiosk works on without speech.
    bool available() const { return available_; }
    int sampleRate() const { return sampleRate_; }
    // The last kHistoryLength utterances started, oldest first (the headless runner's
    // expect-spoken). Never written anywhere: it can hold a resident's answers.
    std::vector<SpokenRecord> history() const;
    // For tests and the headless runner, never the UI thread: waits until speaking() is false.
    bool waitUntilQuiet(std::chrono::milliseconds timeout) const;

private:
    struct Request {
        std::vector<ui::Utterance> utterances;
        std::string language;
    };

    friend struct SynthesisCallback;

    void run();
    void speakOne(const ui::Utterance& utterance, const std::string& pageLanguage);
    // Called through espeak-ng on the worker thread for each block of samples; non-zero aborts.
    int deliver(const short* samples, int count);

    AudioSink& sink_;
    std::thread worker_;

    mutable std::mutex mutex_;  // guards everything below it up to history_
    std::condition_variable wake_;
    bool started_ = false;  // the worker has tried to start espeak-ng
    bool shuttingDown_ = false;
    bool hasRequest_ = false;
    Request request_;
    std::deque<SpokenRecord> history_;

    // Taken with mutex_ already held when both are needed, never the other way round; the worker's
    // sample delivery takes only this one.
    std::mutex sinkMutex_;
    // Bumped by say() and stop() while holding sinkMutex_: the worker's synthesis belongs to one
    // generation and is abandoned, its samples dropped, as soon as the number moves on.
    std::atomic<std::uint64_t> generation_{0};
    std::atomic<bool> busy_{false};  // a request is waiting or being synthesised
    std::atomic<bool> slow_{false};
    std::atomic<int> volumePercent_{kDefaultVolumePercent};
    bool available_ = false;
    int sampleRate_ = 0;

    // Worker thread only.
    std::uint64_t workerGeneration_ = 0;
    std::string currentVoiceTag_;  // the voice espeak-ng has loaded for this engine
    std::vector<std::int16_t> scaled_;
};

// Characters of `text` one by one, as the synthesiser is asked to say them: separators (hyphen,
// space, slash, dot) become a pause between groups, every other character is named on its own.
// Returns the SSML for espeak-ng and fills `readable` with the same in plain words.
std::string spellOutSsml(const std::string& text, std::string* readable = nullptr);

// The espeak-ng language tag the kiosk uses for a kiosk language code; unknown codes get "en-gb".
std::string voiceTagForLanguage(const std::string& language);

}  // namespace kiosk::platform
