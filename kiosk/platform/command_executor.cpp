// CommandExecutor: one overload per command, each a call on one service.
#include "kiosk/platform/command_executor.h"

#include "kiosk/secure_wipe.h"

namespace kiosk::platform {

CommandExecutor::CommandExecutor(FormSealer* sealer, SpeechControl* speech, FontControl* fonts,
                                 TypedTextControl* typedText)
    : sealer_(sealer), speech_(speech), fonts_(fonts), typedText_(typedText) {}

void CommandExecutor::execute(Commands& commands, const ReportIntent& report) {
    struct Visitor {
        CommandExecutor& executor;
        const ReportIntent& report;

        void operator()(const WipeTypedText&) const {
            if (executor.typedText_) executor.typedText_->wipeTypedText();
        }
        void operator()(SealForm& command) const {
            if (!executor.sealer_) {
                wipeString(command.request.answersJson);
                report(Intent{resident::SealFailed{ErrorCode::NoDatabase}});
                return;
            }
            report(Intent{executor.sealer_->seal(command.request, command.volunteerId)});
        }
        void operator()(const RebuildFonts& command) const {
            if (executor.fonts_) executor.fonts_->wantTextSize(command.textSizePercent);
        }
        void operator()(const ResetSpeech&) const {
            if (executor.speech_) executor.speech_->resetForNewSession();
        }
        void operator()(const StopSpeech&) const {
            if (executor.speech_) executor.speech_->stopAndForgetPendingRead();
        }
        void operator()(const ApplySpeechSettings& command) const {
            if (executor.speech_) executor.speech_->applySettings(command.slow, command.volumePercent);
        }
        void operator()(const PageShown& command) const {
            if (executor.speech_) executor.speech_->pageShown(command.readAloud);
        }
        void operator()(const ReadPageAfterFrame&) const {
            if (executor.speech_) executor.speech_->readPageAfterFrame();
        }
        void operator()(const WarningShown& command) const {
            if (executor.speech_ && command.readAloud) executor.speech_->readPageAfterFrame();
        }
        void operator()(const ErrorsShown& command) const {
            if (executor.speech_ && command.readAloud) executor.speech_->readPageAfterFrame();
        }
        void operator()(StaffRequest& request) const {
            if (executor.staff_)
                executor.staff_->handle(request, report);
            else if (std::holds_alternative<staff_request::CheckSecret>(request))
                report(
                    Intent{StaffIntent{staff::SignInChecked{SignInResult::Unavailable, std::nullopt, 0, 0}}});
            else if (std::holds_alternative<staff_request::LoadAccounts>(request))
                report(Intent{StaffIntent{staff::StaffListLoaded{}}});
            wipeStaffRequest(request);
        }
        void operator()(const CountUsage& command) const {
            if (executor.staff_) executor.staff_->countUsage(command);
        }
        void operator()(const LookUpReport& command) const {
            const ReportStatus status =
                executor.sealer_ ? executor.sealer_->lookUpReport(command.reference) : ReportStatus{};
            report(Intent{ResidentIntent{resident::ReportFound{status}}});
        }
        // The receipt's text is made here, on the UI thread, so the printing thread never reads
        // the pack; without a printer or a pack the resident is told the printer is not working.
        void operator()(const PrintReceipt& command) const {
            if (!executor.printer_ || !executor.receiptPack_) {
                report(Intent{ResidentIntent{resident::ReceiptPrintFailed{command.request.reference}}});
                return;
            }
            executor.printer_->print(buildReceipt(*executor.receiptPack_, command.request));
        }
        void operator()(const HubSettingsSaved& command) const {
            if (executor.staff_) executor.staff_->applySettings(command.settings);
        }
    };
    for (Command& command : commands) std::visit(Visitor{*this, report}, command);
}

}  // namespace kiosk::platform
