// ReceiptPrinter: prints the confirmation's receipt through CUPS (command_executor.h
// ReceiptPrinting), on a thread of its own so the kiosk never waits for a printer.
//
// For each receipt: draw the page (receipt_page.h), ask the queue whether it can print (it
// exists, accepts jobs, is not stopped, and reports no empty tray, jam or offline device), send
// the page as image/png in one IPP Print-Job, then watch the job and the printer for a short
// while. The answer, ReceiptPrinted or ReceiptPrintFailed, waits in a queue until the UI thread
// collects it (collectReceiptReports); an empty SDL event wakes the loop for it.
//
// A job the printer cannot finish is cancelled: a receipt that comes out minutes later would be
// found by the next person at the kiosk.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "kiosk/config.h"
#include "kiosk/platform/background_reports.h"
#include "kiosk/platform/command_executor.h"

namespace kiosk::platform {

class ReceiptPrinter : public ReceiptPrinting {
public:
    struct Timing {
        std::chrono::milliseconds connect{5000};      // to reach cupsd
        std::chrono::milliseconds pollEvery{250};     // job and printer state
        std::chrono::milliseconds watchFor{20'000};   // then a job still waiting is cancelled
        std::chrono::milliseconds trustAfter{3'000};  // processing this long with no fault: printed
    };

    ReceiptPrinter(KioskConfig::Printer settings, std::filesystem::path fontDirectory);
    ReceiptPrinter(KioskConfig::Printer settings, std::filesystem::path fontDirectory, Timing timing);
    ~ReceiptPrinter() override;
    ReceiptPrinter(const ReceiptPrinter&) = delete;
    ReceiptPrinter& operator=(const ReceiptPrinter&) = delete;

    void print(const ReceiptContent& receipt) override;

    // Answers finished on the printing threads. waitForJobs: first let every job in flight
    // finish (the headless runner, whose clock does not move on its own).
    std::vector<Intent> takeReports(bool waitForJobs);

private:
    bool printNow(const ReceiptContent& receipt, std::string& problem);

    KioskConfig::Printer settings_;
    std::filesystem::path fontDirectory_;
    Timing timing_;
    std::atomic<bool> stopping_{false};
    BackgroundReports jobs_;  // last: waits for the printing threads that use the members above
};

}  // namespace kiosk::platform
