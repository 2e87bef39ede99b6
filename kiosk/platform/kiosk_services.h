// The services the running kiosk owns, behind the executor's interfaces (command_executor.h):
// the outbox that keeps sealed forms, read aloud, and the UI toolkit's copies of typed text.
// The font atlas is in font_atlas.h.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "kiosk/config.h"
#include "kiosk/platform/background_reports.h"
#include "kiosk/platform/command_executor.h"
#include "kiosk/platform/speech.h"
#include "kiosk/ui/read_aloud.h"
#include "store/outbox_store.h"
#include "sync/destination.h"
#include "sync/sync_worker.h"

namespace kiosk::platform {

// Seals forms into the outbox database on the UI thread, and owns the delivery thread.
//
// Sealing runs on the UI thread on purpose: it is one local SQLite transaction (about 1 ms with
// WAL and synchronous=FULL), and doing it inline means the resident never sees a half-sent state
// and the answers are wiped before the next frame is drawn. Delivery, which can take seconds,
// stays on the sync thread.
class OutboxSealer : public FormSealer {
public:
    // `clock` stamps sealed forms (the UI's clock: virtual in headless runs).
    OutboxSealer(const KioskConfig& config, const Clock& clock)
        : config_(config), clock_(clock), destinations_(sync::destinationsFromConfig(config)) {}

    // Opens the database (creating it if needed); false with the reason on stderr.
    bool open();
    ResidentIntent seal(SealRequest& request, const std::string& volunteerId) override;
    ReportStatus lookUpReport(const std::string& reference) override;

    // The delivery thread, with its own connection, on `clock` (always real time).
    void startSync(const Clock& clock);
    void stopSync();
    bool syncRunning() const { return worker_ != nullptr; }
    void wakeSync();  // something new to send (a help record, an admin's "Send now")
    sync::SyncStatus syncStatus() const;

    store::OutboxStore* store() { return outbox_.get(); }  // null when the database cannot open
    bool volunteerAssisting = false;                       // forms sealed now are marked assisted

    // Where a delivered report's council status is asked: the pack gives each service's
    // destination settings (the form's own bytes are gone by then).
    void setPack(const ContentPack* pack) { pack_ = pack; }
    // The council's answers to lookUpReport's status questions (CouncilStatusFound).
    std::vector<Intent> takeStatusReports(bool waitForLookups) { return statusLookups_.take(waitForLookups); }

private:
    // Asks the council's system about a delivered report, off the UI thread, when the kiosk is
    // online and the destination can be asked.
    void askCouncil(const store::SubmissionRecord& record);

    const ContentPack* pack_ = nullptr;
    const KioskConfig& config_;
    const Clock& clock_;
    // The destination each service names, built once from the config: a form is sealed with
    // the bytes its destination will send (a broken entry makes every seal fail visibly).
    Result<sync::DestinationRegistry> destinations_;
    std::unique_ptr<store::OutboxStore> outbox_;
    std::unique_ptr<sync::SyncWorker> worker_;
    BackgroundReports statusLookups_;  // last: its destructor waits for lookups that use the above
};

// Read aloud. The sink is declared first so it outlives the engine that writes to it: SDL audio
// windowed, a memory buffer headless (scripts check what was said). The engine starts once the
// first frame is on screen (startEngine): starting espeak-ng and probing the audio devices took
// 20-120 ms, which would otherwise be spent in front of a blank screen.
class SpeechOutput : public SpeechControl {
public:
    std::unique_ptr<AudioSink> sink;
    std::unique_ptr<SpeechEngine> engine;  // null until the first frame, and without a sink

    void startEngine();
    // Reads the page the last frame showed, if a command asked for it. Call after a frame.
    void readPendingPage(const std::vector<ui::Utterance>& page, const std::string& language);
    bool pageReadWanted() const { return readAfterFrame_; }

    void resetForNewSession() override;
    void stopAndForgetPendingRead() override;
    void applySettings(bool slow, int volumePercent) override;
    void pageShown(bool readAloud) override;
    void readPageAfterFrame() override;

private:
    bool readAfterFrame_ = false;  // read the page out once the frame showing it has been drawn
};

// Dear ImGui's editing buffers and clipboard.
class ImGuiTypedText : public TypedTextControl {
public:
    void wipeTypedText() override;
};

}  // namespace kiosk::platform
