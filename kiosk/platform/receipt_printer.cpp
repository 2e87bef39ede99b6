// ReceiptPrinter (receipt_printer.h): CUPS over IPP, one connection per receipt.
#include "kiosk/platform/receipt_printer.h"

#include <cups/cups.h>

#include <cstdio>
#include <cstring>
#include <thread>

#include "kiosk/platform/receipt_page.h"

namespace kiosk::platform {
namespace {

struct IppDeleter {
    void operator()(ipp_t* ipp) const { ippDelete(ipp); }
};
using IppMessage = std::unique_ptr<ipp_t, IppDeleter>;
struct HttpCloser {
    void operator()(http_t* http) const { httpClose(http); }
};
using Connection = std::unique_ptr<http_t, HttpCloser>;

// "host", "host:port" or a socket path; empty: the system's CUPS server.
Connection connectTo(const std::string& server, std::chrono::milliseconds timeout) {
    std::string host = server.empty() ? std::string(cupsServer()) : server;
    int port = ippPort();
    const std::size_t colon = host.rfind(':');
    if (!host.empty() && host.front() != '/' && colon != std::string::npos && host.find(':') == colon) {
        port = std::atoi(host.c_str() + colon + 1);
        host.resize(colon);
    }
    return Connection(httpConnect2(host.c_str(), port, nullptr, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1,
                                   static_cast<int>(timeout.count()), nullptr));
}

bool failed(const ipp_t* response) {
    return !response || cupsLastError() > IPP_STATUS_OK_CONFLICTING;
}

// A reason a printer gives ("media-empty-error", "media-jam", "paused") that means it will not
// print now. Warnings and reports ("media-low-warning") do not stop a receipt.
bool stopsPrinting(std::string reason) {
    for (const char* suffix : {"-report", "-warning"})
        if (reason.size() > std::strlen(suffix) && reason.ends_with(suffix)) return false;
    if (reason.ends_with("-error")) reason.resize(reason.size() - 6);
    for (const char* fault :
         {"media-empty", "media-needed", "media-jam", "offline", "paused", "stopped", "shutdown", "door-open",
          "cover-open", "output-area-full", "marker-supply-empty", "toner-empty"})
        if (reason == fault) return true;
    return false;
}

// Why the queue cannot print now, or "" when it can.
std::string printerProblem(http_t* http, const std::string& uri, const std::string& name) {
    ipp_t* request = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri.c_str());
    static const char* const wanted[] = {"printer-state", "printer-state-reasons",
                                         "printer-is-accepting-jobs"};
    ippAddStrings(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 3, nullptr, wanted);
    const IppMessage response(cupsDoRequest(http, request, "/"));
    if (failed(response.get())) return "the queue " + name + " did not answer: " + cupsLastErrorString();
    if (ipp_attribute_t* state = ippFindAttribute(response.get(), "printer-state", IPP_TAG_ENUM);
        state && ippGetInteger(state, 0) == IPP_PSTATE_STOPPED)
        return "the queue " + name + " is stopped";
    if (ipp_attribute_t* accepting =
            ippFindAttribute(response.get(), "printer-is-accepting-jobs", IPP_TAG_BOOLEAN);
        accepting && !ippGetBoolean(accepting, 0))
        return "the queue " + name + " is not accepting jobs";
    if (ipp_attribute_t* reasons = ippFindAttribute(response.get(), "printer-state-reasons", IPP_TAG_KEYWORD))
        for (int i = 0; i < ippGetCount(reasons); ++i)
            if (const char* reason = ippGetString(reasons, i, nullptr); reason && stopsPrinting(reason))
                return "the printer " + name + " reports " + reason;
    return "";
}

// Sends the page as a job of one document; the job id, or 0 with `problem` set.
int sendPage(http_t* http, const std::string& name, const std::string& png, std::string& problem) {
    cups_option_t* options = nullptr;
    int count = cupsAddOption("media", "iso_a4_210x297mm", 0, &options);
    count = cupsAddOption("fit-to-page", "true", count, &options);
    const int jobId = cupsCreateJob(http, name.c_str(), "Council receipt", count, options);
    cupsFreeOptions(count, options);
    if (jobId == 0) {
        problem = "the queue " + name + " refused the receipt: " + cupsLastErrorString();
        return 0;
    }
    bool sent =
        cupsStartDocument(http, name.c_str(), jobId, "receipt.png", "image/png", 1) == HTTP_STATUS_CONTINUE;
    sent = sent && cupsWriteRequestData(http, png.data(), png.size()) == HTTP_STATUS_CONTINUE;
    const ipp_status_t finished = cupsFinishDocument(http, name.c_str());
    if (!sent || finished > IPP_STATUS_OK_CONFLICTING) {
        problem = "the receipt could not be sent to " + name + ": " + cupsLastErrorString();
        cupsCancelJob2(http, name.c_str(), jobId, 0);
        return 0;
    }
    return jobId;
}

ipp_jstate_t jobState(http_t* http, const std::string& uri, int jobId) {
    ipp_t* request = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri.c_str());
    ippAddInteger(request, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", jobId);
    ippAddString(request, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", nullptr, "job-state");
    const IppMessage response(cupsDoRequest(http, request, "/"));
    if (failed(response.get())) return IPP_JSTATE_ABORTED;  // gone: it will not print
    ipp_attribute_t* state = ippFindAttribute(response.get(), "job-state", IPP_TAG_ENUM);
    return state ? static_cast<ipp_jstate_t>(ippGetInteger(state, 0)) : IPP_JSTATE_ABORTED;
}

}  // namespace

ReceiptPrinter::ReceiptPrinter(KioskConfig::Printer settings, std::filesystem::path fontDirectory)
    : ReceiptPrinter(std::move(settings), std::move(fontDirectory), Timing{}) {}

ReceiptPrinter::ReceiptPrinter(KioskConfig::Printer settings, std::filesystem::path fontDirectory,
                               Timing timing)
    : settings_(std::move(settings)), fontDirectory_(std::move(fontDirectory)), timing_(timing) {}

// jobs_ is the last member, so it waits for the printing threads before the rest goes.
ReceiptPrinter::~ReceiptPrinter() {
    stopping_ = true;
}

void ReceiptPrinter::print(const ReceiptContent& receipt) {
    // One still watching a printer never holds up a new receipt.
    jobs_.run([this, receipt]() -> std::optional<Intent> {
        std::string problem;
        if (printNow(receipt, problem))
            return Intent{std::in_place_type<ResidentIntent>, std::in_place_type<resident::ReceiptPrinted>,
                          resident::ReceiptPrinted{receipt.reference}};
        std::fprintf(stderr, "council-kiosk: the receipt was not printed (%s).\n", problem.c_str());
        return Intent{std::in_place_type<ResidentIntent>, std::in_place_type<resident::ReceiptPrintFailed>,
                      resident::ReceiptPrintFailed{receipt.reference}};
    });
}

bool ReceiptPrinter::printNow(const ReceiptContent& receipt, std::string& problem) {
    auto page = drawReceiptPage(receipt, fontDirectory_);
    if (!page) {
        problem = page.error().message;
        return false;
    }
    const std::string png = encodePng(page.value());

    const Connection http = connectTo(settings_.server, timing_.connect);
    if (!http) {
        problem = "the print server " +
                  (settings_.server.empty() ? std::string("(system)") : settings_.server) +
                  " could not be reached";
        return false;
    }
    char uri[HTTP_MAX_URI];
    httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr, "localhost", ippPort(),
                     "/printers/%s", settings_.name.c_str());
    problem = printerProblem(http.get(), uri, settings_.name);
    if (!problem.empty()) return false;
    const int jobId = sendPage(http.get(), settings_.name, png, problem);
    if (jobId == 0) return false;

    // Watch the job and the printer: a job that completes, or prints on with no fault for a
    // while, is the resident's; one that fails or waits too long is cancelled.
    const auto started = std::chrono::steady_clock::now();
    auto processingSince = std::chrono::steady_clock::time_point::max();
    while (!stopping_) {
        const ipp_jstate_t state = jobState(http.get(), uri, jobId);
        if (state == IPP_JSTATE_COMPLETED) return true;
        if (state == IPP_JSTATE_CANCELED || state == IPP_JSTATE_ABORTED) {
            problem = "job " + std::to_string(jobId) + " on " + settings_.name + " was aborted or cancelled";
            return false;
        }
        problem = printerProblem(http.get(), uri, settings_.name);
        if (!problem.empty() || state == IPP_JSTATE_STOPPED) {
            if (problem.empty())
                problem = "job " + std::to_string(jobId) + " on " + settings_.name + " stopped";
            cupsCancelJob2(http.get(), settings_.name.c_str(), jobId, 0);
            return false;
        }
        const auto now = std::chrono::steady_clock::now();
        if (state == IPP_JSTATE_PROCESSING) {
            if (processingSince == std::chrono::steady_clock::time_point::max()) processingSince = now;
            if (now - processingSince >= timing_.trustAfter) return true;
        }
        if (now - started >= timing_.watchFor) {
            problem = "job " + std::to_string(jobId) + " on " + settings_.name + " did not start in time";
            cupsCancelJob2(http.get(), settings_.name.c_str(), jobId, 0);
            return false;
        }
        std::this_thread::sleep_for(timing_.pollEvery);
    }
    problem = "the kiosk stopped while the receipt was printing";
    return false;
}

std::vector<Intent> ReceiptPrinter::takeReports(bool waitForJobs) {
    return jobs_.take(waitForJobs);
}

}  // namespace kiosk::platform
