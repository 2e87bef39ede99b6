// ScriptedTransport: a Transport double that records every request and answers from a script,
// for testing delivery without a network.
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "sync/transport.h"

namespace kiosk::sync::testing {

inline HttpResponse jsonResponse(long status, const std::string& body) {
    HttpResponse response;
    response.transportOk = true;
    response.status = status;
    response.headers["content-type"] = "application/json";
    response.body = body;
    return response;
}

inline HttpResponse transportFailure(
    const std::string& message = "Failed to connect to 127.0.0.1 port 9: Connection refused") {
    HttpResponse response;
    response.transportOk = false;
    response.curlCode = 7;  // CURLE_COULDNT_CONNECT
    response.transportError = message;
    return response;
}

inline std::string ackFor(const std::string& key, const std::string& councilReference = "SDC-000001") {
    return R"({"idempotencyKey":")" + key + R"(","councilReference":")" + councilReference +
           R"(","status":"received"})";
}

// Value of the first header with this exact name, "" when absent.
inline std::string headerOf(const HttpRequest& request, const std::string& name) {
    for (const auto& [key, value] : request.headers) {
        if (key == name) return value;
    }
    return "";
}

class ScriptedTransport final : public Transport {
public:
    using Responder = std::function<HttpResponse(const HttpRequest&)>;

    // Answers in order; when the script runs out, `fallback` answers (default: a good ack).
    void push(Responder responder) { script_.push_back(std::move(responder)); }
    void push(HttpResponse response) {
        script_.push_back([response](const HttpRequest&) { return response; });
    }
    void setFallback(Responder responder) { fallback_ = std::move(responder); }

    HttpResponse send(const HttpRequest& request) override {
        requests.push_back(request);
        if (!script_.empty()) {
            auto next = std::move(script_.front());
            script_.pop_front();
            return next(request);
        }
        if (fallback_) return fallback_(request);
        return jsonResponse(201, ackFor(headerOf(request, "Idempotency-Key")));
    }

    std::vector<HttpRequest> requests;

private:
    std::deque<Responder> script_;
    Responder fallback_;
};

}  // namespace kiosk::sync::testing
