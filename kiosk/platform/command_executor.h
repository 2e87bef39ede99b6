// The command executor: carries out what the flow reducer asks for (kiosk_flow.h Commands)
// through narrow service interfaces, one per resource the kiosk owns. The reducer decides; the
// executor only does.
//
// A command whose outcome the flow must know (a seal) reports back as an intent. Today every
// service answers at once on the UI thread; one that may block (printing, a PIN check, applying
// a pack) can run on its own thread and report through the same callback when it is done.
//
// To add a command: a struct in kiosk_flow.h's Command variant, one overload in
// CommandExecutor's visitor (command_executor.cpp), and a method on the service that does it.
#pragma once

#include <functional>
#include <string>

#include "kiosk/kiosk_flow.h"
#include "kiosk/receipt.h"

namespace kiosk::platform {

// Keeps a sealed form (kiosk_services.h: OutboxSealer). Returns SealSucceeded or SealFailed.
// The request's answers are plaintext: the sealer wipes them whatever happens.
class FormSealer {
public:
    virtual ~FormSealer() = default;
    // volunteerId: the signed-in volunteer's staff id, "" when nobody assists.
    virtual ResidentIntent seal(SealRequest& request, const std::string& volunteerId) = 0;
    // What the outbox knows of a reference this kiosk made; NotFound when it cannot tell.
    virtual ReportStatus lookUpReport(const std::string& reference) {
        (void)reference;
        return {};
    }
};

// Read aloud (kiosk_services.h: SpeechOutput).
class SpeechControl {
public:
    virtual ~SpeechControl() = default;
    virtual void resetForNewSession() = 0;        // silence, defaults, forget what was said
    virtual void stopAndForgetPendingRead() = 0;  // "Stop"
    virtual void applySettings(bool slow, int volumePercent) = 0;
    virtual void pageShown(bool readAloud) = 0;  // stop the old page; read the new when on
    virtual void readPageAfterFrame() = 0;
};

// The font atlas (font_atlas.h: FontAtlas): rebuilt before the next frame at the asked size.
class FontControl {
public:
    virtual ~FontControl() = default;
    virtual void wantTextSize(int percent) = 0;
};

// The UI toolkit's own copies of what was typed (kiosk_services.h: ImGuiTypedText).
class TypedTextControl {
public:
    virtual ~TypedTextControl() = default;
    virtual void wipeTypedText() = 0;
};

using ReportIntent = std::function<void(const Intent&)>;

// Staff accounts, help records, usage counts and the admin console's views and actions
// (staff_desk.h: StaffDesk). A request answers through `report` at once, or, for the slow PIN
// check, later: the desk then queues the answer for the UI thread (StaffDesk::collectReports).
class StaffServices {
public:
    virtual ~StaffServices() = default;
    virtual void handle(StaffRequest& request, const ReportIntent& report) = 0;
    virtual void countUsage(const CountUsage& usage) = 0;
    virtual void applySettings(const HubSettings& settings) = 0;
};

// The receipt printer (receipt_printer.h: ReceiptPrinter). print() returns at once; the answer
// comes later, through the printer's own queue, as ReceiptPrinted or ReceiptPrintFailed.
class ReceiptPrinting {
public:
    virtual ~ReceiptPrinting() = default;
    virtual void print(const ReceiptContent& receipt) = 0;
};

class CommandExecutor {
public:
    // Any service may be null: its commands are then skipped (no speech without an audio
    // device, no fonts in a test without a window).
    CommandExecutor(FormSealer* sealer, SpeechControl* speech, FontControl* fonts,
                    TypedTextControl* typedText);

    // Carries out `commands` in order. An intent a command reports is handed to `report` at
    // once, before the next command runs, as the flow expects (a seal's outcome first).
    void execute(Commands& commands, const ReportIntent& report);
    void setSealer(FormSealer* sealer) { sealer_ = sealer; }
    void setStaff(StaffServices* staff) { staff_ = staff; }
    // The pack the receipt's text comes from, and the printer (null: no printer configured).
    void setReceiptPrinting(const ContentPack* pack, ReceiptPrinting* printer) {
        receiptPack_ = pack;
        printer_ = printer;
    }

private:
    FormSealer* sealer_;
    SpeechControl* speech_;
    FontControl* fonts_;
    TypedTextControl* typedText_;
    StaffServices* staff_ = nullptr;
    const ContentPack* receiptPack_ = nullptr;
    ReceiptPrinting* printer_ = nullptr;
};

}  // namespace kiosk::platform
