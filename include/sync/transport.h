// Transport seam: one HTTP exchange as plain values, so delivery logic is tested with a scripted
// double and production uses CurlTransport (sync/curl_transport.cpp).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kiosk/config.h"

namespace kiosk::sync {

// An SMTP envelope: with one, the request is a mail submission to an smtp:// url (the body is
// the whole RFC 5322 message, CRLF line endings) instead of an HTTP exchange.
struct MailEnvelope {
    std::string mailFrom;                 // MAIL FROM address, without angle brackets
    std::vector<std::string> recipients;  // one RCPT TO each
    std::string username;                 // AUTH after STARTTLS
    std::string password;                 // secret: from the kiosk config only, never stored or logged
};

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::optional<MailEnvelope> mail = std::nullopt;  // set: send `body` as mail over SMTP
    // For a request the server cannot recognise as a repeat (an Open311 POST): sent on a new
    // connection. On a reused keep-alive connection that turns out dead libcurl resends the
    // request by itself, and if the first copy had reached the server that is a second report
    // the kiosk never hears of.
    bool freshConnection = false;
};

struct HttpResponse {
    bool transportOk = false;    // an HTTP answer arrived complete; false for resets, timeouts, DNS...
    std::string transportError;  // libcurl's message; names hosts, never personal data
    int curlCode = 0;            // CURLcode, 0 when transportOk
    // HTTP status, 0 when no status line arrived. For mail: the last SMTP reply code (250 after
    // DATA on success), also when the exchange failed after a reply (550 to RCPT, 535 to AUTH).
    long status = 0;
    std::map<std::string, std::string> headers;  // names lower-case; a repeated header keeps its last value
    // For mail: the server's last reply, every line of it ("250 2.0.0 Ok: queued as 4F2D1").
    std::string body;
};

// Adds one header line as it came from the network ("Retry-After: 120\r\n") to
// response.headers: the name lower-cased, name and value trimmed. A status line
// ("HTTP/1.1 100 Continue", or a proxy's answer to CONNECT) starts a new header block, so only
// the final answer's headers are kept. A line without a colon is ignored.
void addResponseHeaderLine(HttpResponse& response, const std::string& line);

class Transport {
public:
    virtual ~Transport() = default;
    virtual HttpResponse send(const HttpRequest& request) = 0;
    // Called from another thread on shutdown: aborts a send in progress and makes later sends
    // fail at once, so stopping never waits for a slow council.
    virtual void cancel() {}
};

// Largest answer body kept; the council's acks are a few hundred bytes, so anything near this
// is hostile or broken and must not be able to exhaust the kiosk's memory.
inline constexpr std::size_t kMaxResponseBytes = 1024 * 1024;

// libcurl transport. One easy handle, reused for keep-alive, so one CurlTransport per thread.
// TLS is always verified; redirects are never followed (a redirect is not a delivery). Mail goes
// only over TLS: STARTTLS is required on smtp:// (the server must offer it), smtps:// is TLS
// from the start; both verified against network.caBundle (or the system store).
class CurlTransport final : public Transport {
public:
    explicit CurlTransport(KioskConfig::Network network);
    ~CurlTransport() override;
    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;

    HttpResponse send(const HttpRequest& request) override;
    void cancel() override;

private:
    void setCommonOptions(void* handle, char* errorBuffer);  // timeouts, TLS checks, cancelling
    HttpResponse sendMail(const HttpRequest& request, HttpResponse& response, char* errorBuffer);
    static std::string transportErrorText(int curlCode, const char* errorBuffer);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::sync
