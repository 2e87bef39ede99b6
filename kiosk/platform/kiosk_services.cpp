// OutboxSealer, SpeechOutput and ImGuiTypedText (kiosk_services.h).
#include "kiosk/platform/kiosk_services.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "kiosk/platform/text_state_wipe.h"
#include "kiosk/secure_wipe.h"

namespace kiosk::platform {

bool OutboxSealer::open() {
    std::error_code ignored;
    std::filesystem::create_directories(config_.dataDirectory, ignored);
    store::StoreOptions options;
    options.databaseFile = sync::databasePath(config_);  // the file the sync worker opens too
    options.kioskId = config_.kioskId;
    options.referencePrefix = config_.referencePrefix;
    auto opened = store::OutboxStore::open(options);
    if (!opened) {
        std::fprintf(stderr,
                     "council-kiosk: the database %s cannot be opened (%s: %s). Forms cannot be sent "
                     "until this is fixed.\n",
                     options.databaseFile.c_str(), errorCodeName(opened.error().code),
                     opened.error().message.c_str());
        return false;
    }
    outbox_ = std::move(opened.value());
    return true;
}

ResidentIntent OutboxSealer::seal(SealRequest& request, const std::string& volunteerId) {
    store::SubmissionToSeal submission;
    submission.serviceId = request.serviceId;
    submission.formId = request.formId;
    submission.formVersion = request.formVersion;
    submission.language = request.language;
    submission.destination = request.destination;
    submission.destinationSettings = request.destinationSettings;
    // A signed-in volunteer's id travels with the form; `kioskctl assist on` marks it assisted
    // without one.
    submission.assisted = volunteerAssisting || !volunteerId.empty();
    submission.volunteerId = volunteerId;
    submission.answersJson = request.answersJson;

    // A database that could not open at start-up (the disk was full, the data directory not
    // yet mounted or writable) is tried again at every Send: once staff free space or fix the
    // permissions, the next resident's form goes through without restarting the kiosk.
    if (!outbox_) open();
    ResidentIntent outcome = resident::SealFailed{ErrorCode::NoDatabase};
    if (outbox_) {
        auto sealed = sync::sealForDestination(*outbox_, destinations_, submission, clock_.nowMillis());
        if (sealed) {
            outcome = resident::SealSucceeded{sealed->reference};
        } else {
            // The store's messages carry no answers; they say what failed on disk.
            std::fprintf(stderr, "council-kiosk: a form could not be sealed (%s: %s).\n",
                         errorCodeName(sealed.error().code), sealed.error().message.c_str());
            outcome = resident::SealFailed{sealed.error().code};
        }
    }
    wipeString(submission.answersJson);
    wipeString(request.answersJson);
    if (worker_ && std::holds_alternative<resident::SealSucceeded>(outcome)) worker_->wake();
    return outcome;
}

ReportStatus OutboxSealer::lookUpReport(const std::string& reference) {
    if (!outbox_) open();
    if (!outbox_) return ReportStatus{};
    const auto found = outbox_->findByReference(reference);
    if (!found) return ReportStatus{};
    ReportStatus status;
    status.reference = found->reference;
    switch (found->state) {
        case store::SubmissionState::Sealed:
            status.state = ReportState::Waiting;
            break;
        case store::SubmissionState::Delivered:
            status.state = ReportState::Sent;
            status.councilReference = found->councilReference;
            askCouncil(*found);
            break;
        case store::SubmissionState::DeliveredOutOfBand:
            status.state = ReportState::SentByExport;
            break;
        case store::SubmissionState::HeldBack:
            status.state = ReportState::NotSent;
            break;
    }
    return status;
}

void OutboxSealer::askCouncil(const store::SubmissionRecord& record) {
    // Offline (or no sync thread, as in headless runs) there is nobody to ask: the kiosk's own
    // record is all the resident sees.
    if (!destinations_ || !worker_ || !worker_->status().online) return;
    const sync::Destination* destination = destinations_->find(record.destination);
    if (destination == nullptr) return;
    sync::StatusQuery query;
    query.submissionId = record.submissionId;
    query.councilReference = record.councilReference;
    if (pack_)
        if (const Service* service = pack_->findService(record.serviceId))
            query.destinationSettings = service->destinationSettings;
    auto request = destination->statusRequest(query);
    if (!request) return;
    // A resident is waiting at the screen: a council that does not answer in a few seconds is
    // simply not shown.
    KioskConfig::Network network = config_.network;
    network.connectTimeoutSeconds = std::min(network.connectTimeoutSeconds, 5);
    network.totalTimeoutSeconds = std::min(network.totalTimeoutSeconds, 10);
    statusLookups_.run([destination, query = std::move(query), request = std::move(*request), network,
                        reference = record.reference]() -> std::optional<Intent> {
        sync::CurlTransport transport(network);
        const auto council = destination->readStatus(transport.send(request), query);
        if (!council) return std::nullopt;
        return Intent{ResidentIntent{resident::CouncilStatusFound{reference, *council}}};
    });
}

void OutboxSealer::wakeSync() {
    if (worker_) worker_->wake();
}

void OutboxSealer::startSync(const Clock& clock) {
    worker_ = std::make_unique<sync::SyncWorker>(config_, clock);
    worker_->start();
}

void OutboxSealer::stopSync() {
    if (!worker_) return;
    worker_->stop();
    worker_.reset();
}

sync::SyncStatus OutboxSealer::syncStatus() const {
    return worker_ ? worker_->status() : sync::SyncStatus{};
}

void SpeechOutput::startEngine() {
    if (!engine && sink) engine = std::make_unique<SpeechEngine>(*sink);
}

void SpeechOutput::readPendingPage(const std::vector<ui::Utterance>& page, const std::string& language) {
    if (!readAfterFrame_ || !engine) return;
    readAfterFrame_ = false;
    engine->say(page, language);
}

void SpeechOutput::resetForNewSession() {
    if (!engine) return;
    // The next resident starts in silence at the normal speed and volume; what was said (which
    // may have included answers) is forgotten.
    engine->resetForNewSession();
    readAfterFrame_ = false;
}

void SpeechOutput::stopAndForgetPendingRead() {
    if (!engine) return;
    engine->stop();
    readAfterFrame_ = false;
}

void SpeechOutput::applySettings(bool slow, int volumePercent) {
    if (!engine) return;
    engine->setSlow(slow);
    engine->setVolumePercent(volumePercent);
}

void SpeechOutput::pageShown(bool readAloud) {
    if (!engine) return;
    engine->stop();  // never go on reading a page that has gone
    if (readAloud) readAfterFrame_ = true;
}

void SpeechOutput::readPageAfterFrame() {
    if (engine) readAfterFrame_ = true;
}

void ImGuiTypedText::wipeTypedText() {
    wipeImGuiTextState();
}

}  // namespace kiosk::platform
