// Read-aloud engine: espeak-ng on a worker thread, samples into an AudioSink.
//
// [SECTION] espeak-ng process state
// [SECTION] spelling out and voices
// [SECTION] SdlAudioSink
// [SECTION] BufferAudioSink
// [SECTION] SpeechEngine
#include "kiosk/platform/speech.h"

#include <SDL.h>
#include <espeak-ng/speak_lib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "kiosk/secure_wipe.h"

namespace kiosk::platform {

// ---------------------------------------------------------------------------------------------
// [SECTION] espeak-ng process state
// ---------------------------------------------------------------------------------------------
namespace {

// Length of each block espeak-ng hands back. stop() takes effect at the next block, so this bounds
// how much is synthesised after a stop; smaller blocks cost more callbacks.
constexpr int kBlockMilliseconds = 50;

// espeak-ng 1.51 cannot be started twice in one process: after espeak_Terminate() and a second
// espeak_Initialize(), the next espeak_Terminate() never returns (its internal command thread is
// left waiting). So espeak-ng starts once, on the first engine's worker thread, keeps its state
// between engines (only one engine exists at a time, so it is never used from two threads at
// once), and is terminated at exit when no engine is left to use it.
std::mutex g_espeakMutex;
int g_espeakSampleRate = 0;  // 0: not started yet; -1: failed to start
std::atomic<bool> g_engineAlive{false};

void terminateEspeakAtExit() {
    // An engine never destroyed may still be inside espeak-ng on its worker: leave it be.
    if (!g_engineAlive.load()) espeak_Terminate();
}

int startEspeakOnce() {
    std::lock_guard lock(g_espeakMutex);
    if (g_espeakSampleRate != 0) return g_espeakSampleRate;
    // DONT_EXIT: without it espeak-ng calls exit() when its data files are missing.
    const int rate =
        espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, kBlockMilliseconds, nullptr, espeakINITIALIZE_DONT_EXIT);
    g_espeakSampleRate = rate > 0 ? rate : -1;
    if (rate > 0)
        std::atexit(terminateEspeakAtExit);
    else
        std::fprintf(stderr, "council-kiosk: espeak-ng could not start; read aloud is off.\n");
    return g_espeakSampleRate;
}

// Which engine espeak-ng's callback is working for. espeak-ng calls back on the thread that called
// espeak_Synth(), which is always that engine's worker.
thread_local SpeechEngine* t_synthesisingEngine = nullptr;

void wipeUtterances(std::vector<ui::Utterance>& utterances) {
    for (ui::Utterance& utterance : utterances) wipeString(utterance.text);
    utterances.clear();
}

void wipeRecord(SpokenRecord& record) {
    wipeString(record.text);
    wipeString(record.spokenAs);
}

}  // namespace

struct SynthesisCallback {
    static int onSamples(short* samples, int count, espeak_EVENT* /*events*/) {
        return t_synthesisingEngine ? t_synthesisingEngine->deliver(samples, count) : 1;
    }
};

// ---------------------------------------------------------------------------------------------
// [SECTION] spelling out and voices
// ---------------------------------------------------------------------------------------------
namespace {

bool isGroupSeparator(const std::string& character) {
    return character == "-" || character == " " || character == "/" || character == "." || character == "_" ||
           character == "," || character == "\n" || character == "\t";
}

std::string escapeForSsml(const std::string& character) {
    if (character == "&") return "&amp;";
    if (character == "<") return "&lt;";
    if (character == ">") return "&gt;";
    if (character == "\"") return "&quot;";
    if (character == "'") return "&apos;";
    return character;
}

// Splits UTF-8 into code points so a Polish or Devanagari character is named whole. A stray
// continuation byte is kept with whatever precedes it rather than dropped.
std::vector<std::string> codePoints(const std::string& text) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        std::size_t length = 1;
        if (lead >= 0xF0)
            length = 4;
        else if (lead >= 0xE0)
            length = 3;
        else if (lead >= 0xC0)
            length = 2;
        length = std::min(length, text.size() - i);
        out.push_back(text.substr(i, length));
        i += length;
    }
    return out;
}

}  // namespace

std::string spellOutSsml(const std::string& text, std::string* readable) {
    std::vector<std::vector<std::string>> groups(1);
    for (const std::string& character : codePoints(text)) {
        if (isGroupSeparator(character)) {
            if (!groups.back().empty()) groups.emplace_back();
        } else {
            groups.back().push_back(character);
        }
    }
    if (groups.back().empty()) groups.pop_back();

    // One say-as per character with commas between: espeak-ng then names each character with a
    // short pause, where a single say-as over "DEV-0000" runs them together and reads the hyphen
    // as the word "hyphen". A separator becomes a longer break, never a word.
    std::string ssml = "<speak>";
    std::string words;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        if (g > 0) {
            ssml += "<break time=\"400ms\"/>";
            words += ", ";
        }
        for (std::size_t c = 0; c < groups[g].size(); ++c) {
            if (c > 0) {
                ssml += ", ";
                words += ' ';
            }
            ssml += "<say-as interpret-as=\"characters\">" + escapeForSsml(groups[g][c]) + "</say-as>";
            words += groups[g][c];
        }
    }
    ssml += "</speak>";
    if (readable) *readable = std::move(words);
    return ssml;
}

std::string voiceTagForLanguage(const std::string& language) {
    if (language == "pl" || language == "ro" || language == "ne") return language;
    return "en-gb";
}

// ---------------------------------------------------------------------------------------------
// [SECTION] SdlAudioSink
// ---------------------------------------------------------------------------------------------
namespace {
std::atomic<bool> g_reportedNoAudio{false};

void reportNoAudioOnce(const char* reason) {
    if (g_reportedNoAudio.exchange(true)) return;
    std::fprintf(stderr, "council-kiosk: no audio device (%s); read aloud is silent.\n", reason);
}
}  // namespace

SdlAudioSink::~SdlAudioSink() {
    if (device_ != 0) SDL_CloseAudioDevice(device_);
    if (audioSubsystemStarted_) SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

bool SdlAudioSink::open(int sampleRate) {
    if (device_ != 0 || sampleRate <= 0) return device_ != 0;
    // The subsystem is reference-counted, so this is safe whether or not the app started it.
    if (!audioSubsystemStarted_) {
        if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0) {
            reportNoAudioOnce(SDL_GetError());
            return false;
        }
        audioSubsystemStarted_ = true;
    }
    SDL_AudioSpec wanted{};
    wanted.freq = sampleRate;
    wanted.format = AUDIO_S16SYS;
    wanted.channels = 1;
    wanted.samples = 1024;      // about 46 ms at 22050 Hz: a stop is heard at once
    wanted.callback = nullptr;  // queued with SDL_QueueAudio
    SDL_AudioSpec obtained{};
    // No allowed changes: SDL converts to whatever the hardware wants.
    device_ = SDL_OpenAudioDevice(nullptr, 0, &wanted, &obtained, 0);
    if (device_ == 0) {
        reportNoAudioOnce(SDL_GetError());
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        audioSubsystemStarted_ = false;
        return false;
    }
    SDL_PauseAudioDevice(device_, 0);
    return true;
}

void SdlAudioSink::write(const std::int16_t* samples, std::size_t count) {
    if (device_ == 0 || count == 0) return;
    SDL_QueueAudio(device_, samples, static_cast<Uint32>(count * sizeof(std::int16_t)));
}

void SdlAudioSink::clear() {
    if (device_ != 0) SDL_ClearQueuedAudio(device_);
}

bool SdlAudioSink::playing() const {
    return queuedBytes() > 0;
}

std::size_t SdlAudioSink::queuedBytes() const {
    return device_ != 0 ? SDL_GetQueuedAudioSize(device_) : 0;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] BufferAudioSink
// ---------------------------------------------------------------------------------------------
bool BufferAudioSink::open(int sampleRate) {
    std::lock_guard lock(mutex_);
    sampleRate_ = sampleRate;
    return true;
}

void BufferAudioSink::write(const std::int16_t* samples, std::size_t count) {
    std::lock_guard lock(mutex_);
    samples_.insert(samples_.end(), samples, samples + count);
    queuedSamples_ += count;
    if (!utterances_.empty()) utterances_.back().sampleCount += count;
}

void BufferAudioSink::clear() {
    std::lock_guard lock(mutex_);
    queuedSamples_ = 0;
    ++clearCount_;
}

void BufferAudioSink::beginUtterance(const SpokenRecord& record) {
    std::lock_guard lock(mutex_);
    utterances_.push_back(Utterance{record, samples_.size(), 0});
}

int BufferAudioSink::sampleRate() const {
    std::lock_guard lock(mutex_);
    return sampleRate_;
}

std::vector<std::int16_t> BufferAudioSink::samples() const {
    std::lock_guard lock(mutex_);
    return samples_;
}

std::vector<BufferAudioSink::Utterance> BufferAudioSink::utterances() const {
    std::lock_guard lock(mutex_);
    return utterances_;
}

std::size_t BufferAudioSink::queuedSamples() const {
    std::lock_guard lock(mutex_);
    return queuedSamples_;
}

int BufferAudioSink::clearCount() const {
    std::lock_guard lock(mutex_);
    return clearCount_;
}

void BufferAudioSink::reset() {
    std::lock_guard lock(mutex_);
    samples_.clear();
    for (Utterance& utterance : utterances_) wipeRecord(utterance.record);
    utterances_.clear();
    queuedSamples_ = 0;
    clearCount_ = 0;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] SpeechEngine
// ---------------------------------------------------------------------------------------------
SpeechEngine::SpeechEngine(AudioSink& sink) : sink_(sink) {
    if (g_engineAlive.exchange(true))
        throw std::logic_error("espeak-ng is process-wide: only one SpeechEngine may exist at a time");
    try {
        worker_ = std::thread([this] { run(); });
    } catch (...) {
        g_engineAlive.store(false);
        throw;
    }
    {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return started_; });
    }
    if (available_) sink_.open(sampleRate_);
}

SpeechEngine::~SpeechEngine() {
    {
        std::lock_guard lock(mutex_);
        shuttingDown_ = true;
        std::lock_guard sinkLock(sinkMutex_);
        ++generation_;
        sink_.clear();
    }
    wake_.notify_all();
    worker_.join();
    wipeUtterances(request_.utterances);
    for (SpokenRecord& record : history_) wipeRecord(record);
    g_engineAlive.store(false);
}

void SpeechEngine::say(std::vector<ui::Utterance> utterances, const std::string& language) {
    {
        std::lock_guard lock(mutex_);
        {
            std::lock_guard sinkLock(sinkMutex_);
            ++generation_;
            sink_.clear();
        }
        wipeUtterances(request_.utterances);
        request_.utterances = std::move(utterances);
        request_.language = language;
        hasRequest_ = !request_.utterances.empty();
        // Set here rather than by the worker so speaking() is true as soon as say() returns.
        if (hasRequest_) busy_.store(true);
    }
    wake_.notify_all();
}

void SpeechEngine::stop() {
    std::lock_guard lock(mutex_);
    wipeUtterances(request_.utterances);
    hasRequest_ = false;
    std::lock_guard sinkLock(sinkMutex_);
    ++generation_;
    sink_.clear();
}

void SpeechEngine::setSlow(bool slow) {
    slow_.store(slow);
}

void SpeechEngine::setVolumePercent(int percent) {
    volumePercent_.store(std::clamp(percent, 0, kMaxVolumePercent));
}

void SpeechEngine::resetForNewSession() {
    stop();
    slow_.store(false);
    volumePercent_.store(kDefaultVolumePercent);
    std::lock_guard lock(mutex_);
    for (SpokenRecord& record : history_) wipeRecord(record);
    history_.clear();
}

bool SpeechEngine::speaking() const {
    return busy_.load() || sink_.playing();
}

std::vector<SpokenRecord> SpeechEngine::history() const {
    std::lock_guard lock(mutex_);
    return {history_.begin(), history_.end()};
}

bool SpeechEngine::waitUntilQuiet(std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (speaking()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
}

void SpeechEngine::run() {
    const int rate = startEspeakOnce();
    if (rate > 0) espeak_SetSynthCallback(&SynthesisCallback::onSamples);
    t_synthesisingEngine = this;
    {
        std::lock_guard lock(mutex_);
        started_ = true;
        available_ = rate > 0;
        sampleRate_ = std::max(rate, 0);
    }
    wake_.notify_all();

    for (;;) {
        Request request;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return shuttingDown_ || hasRequest_; });
            if (shuttingDown_) break;
            request = std::move(request_);
            request_ = Request{};
            hasRequest_ = false;
            workerGeneration_ = generation_.load();
        }
        for (const ui::Utterance& utterance : request.utterances) {
            if (generation_.load() != workerGeneration_) break;
            speakOne(utterance, request.language);
        }
        wipeUtterances(request.utterances);
        std::lock_guard lock(mutex_);
        if (!hasRequest_) busy_.store(false);
    }
    t_synthesisingEngine = nullptr;
}

void SpeechEngine::speakOne(const ui::Utterance& utterance, const std::string& pageLanguage) {
    SpokenRecord record;
    record.text = utterance.text;
    record.language = utterance.language.empty() ? pageLanguage : utterance.language;
    record.spellOut = utterance.spellOut;
    std::string input = utterance.spellOut ? spellOutSsml(utterance.text, &record.spokenAs) : utterance.text;
    if (!utterance.spellOut) record.spokenAs = utterance.text;

    const std::string tag = voiceTagForLanguage(record.language);
    record.voice = tag;
    if (available_) {
        if (tag != currentVoiceTag_) {
            // By language tag rather than by voice file name: the file for British English is
            // called "en", and espeak_SetVoiceByName("en-gb") fails.
            espeak_VOICE wanted{};
            wanted.languages = tag.c_str();
            if (espeak_SetVoiceByProperties(&wanted) != EE_OK) {
                wanted.languages = "en-gb";
                espeak_SetVoiceByProperties(&wanted);
            }
            currentVoiceTag_ = tag;
        }
        // Record the voice espeak-ng reports having loaded, so a missing voice shows in history.
        if (const espeak_VOICE* voice = espeak_GetCurrentVoice();
            voice && voice->languages && voice->languages[0])
            record.voice = voice->languages + 1;  // the first byte is a priority, not text
        espeak_SetParameter(espeakRATE, slow_.load() ? kSlowWordsPerMinute : kNormalWordsPerMinute, 0);
    }

    {
        std::lock_guard lock(mutex_);
        if (generation_.load() != workerGeneration_) {
            wipeRecord(record);
            wipeString(input);
            return;
        }
        history_.push_back(record);
        while (history_.size() > kHistoryLength) {
            wipeRecord(history_.front());
            history_.pop_front();
        }
    }
    {
        std::lock_guard sinkLock(sinkMutex_);
        if (generation_.load() == workerGeneration_) sink_.beginUtterance(record);
    }
    if (available_) {
        const unsigned flags = espeakCHARS_UTF8 | espeakENDPAUSE | (utterance.spellOut ? espeakSSML : 0u);
        espeak_Synth(input.c_str(), input.size() + 1, 0, POS_CHARACTER, 0, flags, nullptr, nullptr);
    }
    wipeRecord(record);
    wipeString(input);
}

int SpeechEngine::deliver(const short* samples, int count) {
    if (generation_.load() != workerGeneration_) return 1;
    if (samples == nullptr || count <= 0) return 0;
    const std::int16_t* out = samples;
    const int volume = volumePercent_.load();
    if (volume != 100) {
        // Scaled here rather than with espeakVOLUME, whose loudness is not proportional to its
        // number (50 gave 45 % of the RMS at 100), so "half as loud" would not be.
        scaled_.resize(static_cast<std::size_t>(count));
        for (int i = 0; i < count; ++i)
            scaled_[i] = static_cast<std::int16_t>(std::clamp(samples[i] * volume / 100, -32768, 32767));
        out = scaled_.data();
    }
    std::lock_guard lock(sinkMutex_);
    // stop() may have cleared the sink since the check above; its samples must not reappear.
    if (generation_.load() != workerGeneration_) return 1;
    sink_.write(out, static_cast<std::size_t>(count));
    return 0;
}

}  // namespace kiosk::platform
