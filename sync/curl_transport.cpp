// CurlTransport: the production Transport over one reused libcurl easy handle.
// Every limit is explicit because libcurl's defaults (300 s connect, no overall limit) would let
// a dead library network hold the sync thread for minutes.
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <csignal>

#include "sync/transport.h"

namespace kiosk::sync {
namespace {

void initialiseCurlOnce() {
    // A function-local static is initialised once even with several threads racing here.
    static const bool initialised = [] {
        // With CURLOPT_NOSIGNAL a peer closing a socket raises SIGPIPE in the process; a kiosk
        // must treat that as a failed request, not die.
        std::signal(SIGPIPE, SIG_IGN);
        return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
    }();
    (void)initialised;
}

std::string toLower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

struct Exchange {
    HttpResponse* response;
    bool tooLarge = false;
};

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* exchange = static_cast<Exchange*>(user);
    const std::size_t bytes = size * count;
    if (exchange->response->body.size() + bytes > kMaxResponseBytes) {
        exchange->tooLarge = true;
        return 0;  // makes libcurl stop with CURLE_WRITE_ERROR
    }
    exchange->response->body.append(data, bytes);
    return bytes;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto* exchange = static_cast<Exchange*>(user);
    const std::size_t bytes = size * count;
    addResponseHeaderLine(*exchange->response, std::string(data, bytes));
    return bytes;
}

// The mail being uploaded, read by libcurl in pieces.
struct MailUpload {
    const std::string* message;
    std::size_t sent = 0;
};

std::size_t onMailRead(char* buffer, std::size_t size, std::size_t count, void* user) {
    auto* upload = static_cast<MailUpload*>(user);
    const std::size_t room = size * count;
    const std::size_t left = upload->message->size() - upload->sent;
    const std::size_t bytes = std::min(room, left);
    std::copy_n(upload->message->data() + upload->sent, bytes, buffer);
    upload->sent += bytes;
    return bytes;
}

// libcurl hands every SMTP reply line to the header callback. A line "250-..." continues a
// reply and "250 ..." ends it; the first line after an ended reply starts the next, so the body
// ends up holding the server's last reply, all of its lines.
struct MailReplies {
    HttpResponse* response;
    bool replyEnded = true;
};

std::size_t onMailReply(char* data, std::size_t size, std::size_t count, void* user) {
    auto* replies = static_cast<MailReplies*>(user);
    const std::size_t bytes = size * count;
    std::string line(data, bytes);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    if (replies->replyEnded) replies->response->body.clear();
    if (replies->response->body.size() + line.size() < 4096) {
        if (!replies->response->body.empty()) replies->response->body += '\n';
        replies->response->body += line;
    }
    replies->replyEnded = !(line.size() > 3 && line[3] == '-');
    return bytes;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* cancelled = static_cast<const std::atomic<bool>*>(user);
    return cancelled->load() ? 1 : 0;  // non-zero aborts with CURLE_ABORTED_BY_CALLBACK
}

}  // namespace

void addResponseHeaderLine(HttpResponse& response, const std::string& line) {
    if (line.rfind("HTTP/", 0) == 0) {
        // A new status line (after "100 Continue", or through a proxy's CONNECT) starts a new
        // header block: keep only the final answer's headers.
        response.headers.clear();
        return;
    }
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
        response.headers[toLower(trim(line.substr(0, colon)))] = trim(line.substr(colon + 1));
    }
}

struct CurlTransport::Impl {
    KioskConfig::Network network;
    CURL* handle = nullptr;
    std::atomic<bool> cancelled{false};
};

CurlTransport::CurlTransport(KioskConfig::Network network) : impl_(std::make_unique<Impl>()) {
    initialiseCurlOnce();
    impl_->network = std::move(network);
    impl_->handle = curl_easy_init();
}

CurlTransport::~CurlTransport() {
    if (impl_->handle != nullptr) curl_easy_cleanup(impl_->handle);
}

void CurlTransport::cancel() {
    impl_->cancelled.store(true);
}

HttpResponse CurlTransport::send(const HttpRequest& request) {
    HttpResponse response;
    CURL* curl = impl_->handle;
    if (curl == nullptr) {
        response.transportError = "libcurl could not start";
        response.curlCode = CURLE_FAILED_INIT;
        return response;
    }
    if (impl_->cancelled.load()) {
        response.transportError = "Sync is stopping";
        response.curlCode = CURLE_ABORTED_BY_CALLBACK;
        return response;
    }

    // Reset forgets the previous request's options but keeps the open connection for keep-alive.
    curl_easy_reset(curl);
    char errorBuffer[CURL_ERROR_SIZE] = {};
    setCommonOptions(curl, errorBuffer);
    if (request.mail) return sendMail(request, response, errorBuffer);

    const auto& network = impl_->network;
    Exchange exchange{&response};
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    // Without CURLOPT_PROXY libcurl reads http_proxy/https_proxy/no_proxy from the environment.
    if (!network.proxy.empty()) curl_easy_setopt(curl, CURLOPT_PROXY, network.proxy.c_str());
    curl_easy_setopt(curl, CURLOPT_PROXYAUTH, static_cast<long>(CURLAUTH_ANY));
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(kMaxResponseBytes));
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "CouncilKiosk/0.1");
    if (request.freshConnection) curl_easy_setopt(curl, CURLOPT_FRESH_CONNECT, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &exchange);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &exchange);

    if (request.method == "GET") {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else {
        if (request.method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    }

    curl_slist* headerList = nullptr;
    for (const auto& [name, value] : request.headers) {
        headerList = curl_slist_append(headerList, (name + ": " + value).c_str());
    }
    // "Expect: 100-continue" costs a round trip (or a 1 s stall) on small bodies.
    headerList = curl_slist_append(headerList, "Expect:");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headerList);

    const CURLcode code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
    curl_slist_free_all(headerList);

    response.curlCode = static_cast<int>(code);
    response.transportOk = code == CURLE_OK;
    if (!response.transportOk) {
        if (exchange.tooLarge || code == CURLE_FILESIZE_EXCEEDED) {
            response.transportError = "The answer was larger than the 1 MB limit";
        } else {
            response.transportError = transportErrorText(code, errorBuffer);
        }
    }
    return response;
}

void CurlTransport::setCommonOptions(void* handle, char* errorBuffer) {
    CURL* curl = handle;
    const auto& network = impl_->network;
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(network.connectTimeoutSeconds));
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(network.lowSpeedLimitBytesPerSecond));
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>(network.lowSpeedTimeSeconds));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(network.totalTimeoutSeconds));
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!network.caBundle.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, network.caBundle.c_str());
    if (!network.pinnedPublicKey.empty()) {
        curl_easy_setopt(curl, CURLOPT_PINNEDPUBLICKEY, network.pinnedPublicKey.c_str());
    }
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &impl_->cancelled);
}

std::string CurlTransport::transportErrorText(int code, const char* errorBuffer) {
    if (code == CURLE_ABORTED_BY_CALLBACK) return "Sync is stopping";
    return errorBuffer[0] != '\0' ? errorBuffer : curl_easy_strerror(static_cast<CURLcode>(code));
}

HttpResponse CurlTransport::sendMail(const HttpRequest& request, HttpResponse& response, char* errorBuffer) {
    CURL* curl = impl_->handle;
    const MailEnvelope& envelope = *request.mail;
    MailUpload upload{&request.body};
    MailReplies replies{&response};

    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    // STARTTLS or nothing: the message holds a resident's answers, so a server (or someone in
    // the middle) that does not offer TLS fails the exchange before MAIL FROM.
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    // Without CURLOPT_PROXY libcurl reads the proxy environment variables; SMTP through an HTTP
    // proxy needs a CONNECT tunnel.
    if (!impl_->network.proxy.empty()) {
        curl_easy_setopt(curl, CURLOPT_PROXY, impl_->network.proxy.c_str());
        curl_easy_setopt(curl, CURLOPT_HTTPPROXYTUNNEL, 1L);
    }
    curl_easy_setopt(curl, CURLOPT_PROXYAUTH, static_cast<long>(CURLAUTH_ANY));
    if (!envelope.username.empty()) {
        curl_easy_setopt(curl, CURLOPT_USERNAME, envelope.username.c_str());
        curl_easy_setopt(curl, CURLOPT_PASSWORD, envelope.password.c_str());
    }
    const std::string mailFrom = "<" + envelope.mailFrom + ">";
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mailFrom.c_str());
    curl_slist* recipients = nullptr;
    for (const auto& recipient : envelope.recipients) {
        recipients = curl_slist_append(recipients, ("<" + recipient + ">").c_str());
    }
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, onMailRead);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onMailReply);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &replies);

    const CURLcode code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, nullptr);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
    // The password must not outlive the exchange in libcurl's copy of the options.
    curl_easy_setopt(curl, CURLOPT_PASSWORD, "");
    curl_slist_free_all(recipients);

    response.curlCode = static_cast<int>(code);
    response.transportOk = code == CURLE_OK;
    if (!response.transportOk) response.transportError = transportErrorText(code, errorBuffer);
    return response;
}

}  // namespace kiosk::sync
