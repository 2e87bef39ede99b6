// CurlTransport against an in-process loopback server: redirects are reported, not followed;
// oversized answers are cut off; header names arrive lower-case; cancel() ends a slow request.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "sync/transport.h"

using kiosk::KioskConfig;
using kiosk::sync::CurlTransport;
using kiosk::sync::HttpRequest;
using kiosk::sync::HttpResponse;
using kiosk::sync::kMaxResponseBytes;
using namespace std::chrono_literals;

namespace {

class LoopbackServer {
public:
    LoopbackServer() {
        server_.Post("/echo", [](const httplib::Request& request, httplib::Response& response) {
            response.set_header("X-Echo-Key", request.get_header_value("Idempotency-Key"));
            response.set_content(request.body, "application/json");
        });
        server_.Post("/moved", [](const httplib::Request&, httplib::Response& response) {
            response.set_redirect("/echo", 307);
        });
        server_.Get("/huge", [](const httplib::Request&, httplib::Response& response) {
            response.set_content(std::string(kMaxResponseBytes + 1024, 'x'), "text/plain");
        });
        server_.Get("/slow", [this](const httplib::Request&, httplib::Response& response) {
            for (int i = 0; i < 500 && !stopping_; ++i) std::this_thread::sleep_for(10ms);
            response.set_content("late", "text/plain");
        });
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        // stop() is a no-op until the loop runs, so wait for it (bounded) before any test can end.
        for (int i = 0; i < 500 && !server_.is_running(); ++i) std::this_thread::sleep_for(10ms);
    }
    ~LoopbackServer() {
        stopping_ = true;
        server_.stop();
        thread_.join();
    }
    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }

private:
    httplib::Server server_;
    std::atomic<bool> stopping_{false};
    int port_ = 0;
    std::thread thread_;
};

// Answers the first request on each connection (keep-alive), then reads the next request on that
// connection and closes it without a word: a keep-alive connection that dies just after the
// server committed, as a council behind a flaky proxy may. Counts every request it read.
class DropsSecondRequestServer {
public:
    DropsSecondRequestServer() {
        listener_ = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
        listen(listener_, 8);
        socklen_t length = sizeof address;
        getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~DropsSecondRequestServer() {
        stopping_ = true;
        shutdown(listener_, SHUT_RDWR);
        close(listener_);
        thread_.join();
        {
            std::lock_guard lock(mutex_);
            for (int connection : connections_) shutdown(connection, SHUT_RDWR);  // wakes a waiting recv
        }
        for (auto& handler : handlers_) handler.join();
        for (int connection : connections_) close(connection);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/requests.json"; }
    int requestsRead() const { return requests_.load(); }

private:
    // One whole request (headers and a Content-Length body); false when the peer went away.
    static bool readRequest(int connection) {
        std::string data;
        char buffer[4096];
        while (true) {
            const auto end = data.find("\r\n\r\n");
            if (end != std::string::npos) {
                std::size_t bodyLength = 0;
                if (const auto at = data.find("Content-Length: "); at != std::string::npos)
                    bodyLength = std::stoul(data.substr(at + 16));
                if (data.size() >= end + 4 + bodyLength) return true;
            }
            const ssize_t got = recv(connection, buffer, sizeof buffer, 0);
            if (got <= 0) return false;
            data.append(buffer, static_cast<std::size_t>(got));
        }
    }
    // Each connection on a thread of its own: libcurl keeps an idle one open while it uses another.
    void serve() {
        while (!stopping_) {
            const int connection = accept(listener_, nullptr, nullptr);
            if (connection < 0) return;
            std::lock_guard lock(mutex_);
            connections_.push_back(connection);
            handlers_.emplace_back([this, connection] { handle(connection); });
        }
    }
    void handle(int connection) {
        if (!readRequest(connection)) return;
        ++requests_;
        const std::string answer =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]";
        send(connection, answer.data(), answer.size(), MSG_NOSIGNAL);
        if (readRequest(connection)) ++requests_;  // committed, and never answered
        shutdown(connection, SHUT_RDWR);
    }

    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> requests_{0};
    std::thread thread_;
    std::mutex mutex_;  // guards the two lists below, which serve() grows
    std::vector<int> connections_;
    std::vector<std::thread> handlers_;
};

KioskConfig::Network testNetwork() {
    KioskConfig::Network network;
    network.connectTimeoutSeconds = 2;
    network.totalTimeoutSeconds = 10;
    return network;
}

}  // namespace

TEST_CASE("CurlTransport posts the body and headers and reads the answer", "[sync][transport]") {
    LoopbackServer server;
    CurlTransport transport(testNetwork());
    HttpRequest request;
    request.method = "POST";
    request.url = server.url("/echo");
    request.headers = {{"Content-Type", "application/json"}, {"Idempotency-Key", "key-1"}};
    request.body = R"({"hello":"world"})";

    for (int attempt = 0; attempt < 2; ++attempt) {  // the second reuses the kept-alive handle
        const HttpResponse response = transport.send(request);
        REQUIRE(response.transportOk);
        CHECK(response.curlCode == 0);
        CHECK(response.status == 200);
        CHECK(response.body == request.body);
        CHECK(response.headers.at("x-echo-key") == "key-1");
        CHECK(response.headers.at("content-type") == "application/json");
    }
}

TEST_CASE("CurlTransport reports a redirect instead of following it", "[sync][transport]") {
    LoopbackServer server;
    CurlTransport transport(testNetwork());
    HttpRequest request;
    request.method = "POST";
    request.url = server.url("/moved");
    request.body = "{}";
    const HttpResponse response = transport.send(request);
    REQUIRE(response.transportOk);
    CHECK(response.status == 307);
    CHECK(response.headers.count("location") == 1);
}

TEST_CASE("CurlTransport refuses answers over the size limit", "[sync][transport]") {
    LoopbackServer server;
    CurlTransport transport(testNetwork());
    HttpRequest request;
    request.url = server.url("/huge");
    const HttpResponse response = transport.send(request);
    CHECK_FALSE(response.transportOk);
    CHECK(response.body.size() <= kMaxResponseBytes);
    CHECK_THAT(response.transportError, Catch::Contains("1 MB"));
}

TEST_CASE("CurlTransport::cancel ends a request in flight and later ones at once", "[sync][transport]") {
    LoopbackServer server;
    CurlTransport transport(testNetwork());
    HttpRequest request;
    request.url = server.url("/slow");

    const auto start = std::chrono::steady_clock::now();
    std::thread canceller([&] {
        std::this_thread::sleep_for(300ms);
        transport.cancel();
    });
    const HttpResponse response = transport.send(request);
    canceller.join();
    CHECK_FALSE(response.transportOk);
    CHECK(std::chrono::steady_clock::now() - start < 3s);
    CHECK_FALSE(transport.send(request).transportOk);
}

TEST_CASE("CurlTransport reports a refused connection as a transport error", "[sync][transport]") {
    CurlTransport transport(testNetwork());
    HttpRequest request;
    request.url = "http://127.0.0.1:1/v1/health";
    const HttpResponse response = transport.send(request);
    CHECK_FALSE(response.transportOk);
    CHECK(response.status == 0);
    CHECK(response.curlCode == 7);  // CURLE_COULDNT_CONNECT
    CHECK_FALSE(response.transportError.empty());
}

TEST_CASE("Header lines: names lower-case, values trimmed, only the final answer's block kept",
          "[sync][transport]") {
    HttpResponse response;
    for (const char* line :
         {"HTTP/1.1 100 Continue\r\n", "X-Early: gone\r\n", "\r\n", "HTTP/1.1 503 Service Unavailable\r\n",
          "Retry-After:   120 \r\n", "Content-Type: application/json; charset=utf-8\r\n", "not a header\r\n",
          " X-Spaced : a: b\r\n", "retry-after: 30\r\n"}) {
        kiosk::sync::addResponseHeaderLine(response, line);
    }
    // A repeated header keeps its last value.
    const std::map<std::string, std::string> expected = {
        {"retry-after", "30"}, {"content-type", "application/json; charset=utf-8"}, {"x-spaced", "a: b"}};
    CHECK(response.headers == expected);
}

TEST_CASE("A request marked for a fresh connection is never resent by libcurl on a dead one",
          "[sync][transport]") {
    HttpRequest post;
    post.method = "POST";
    post.body = "service_code=MISSED";

    SECTION("unmarked: libcurl quietly sends the second request again, so the server reads it twice") {
        DropsSecondRequestServer server;
        CurlTransport transport(testNetwork());
        post.url = server.url();
        REQUIRE(transport.send(post).status == 200);
        const HttpResponse second = transport.send(post);
        CHECK(second.status == 200);  // answered on a new connection: the kiosk never knew
        CHECK(server.requestsRead() == 3);
    }
    SECTION("marked: the second request goes on a new connection and is read once") {
        DropsSecondRequestServer server;
        CurlTransport transport(testNetwork());
        post.url = server.url();
        post.freshConnection = true;
        REQUIRE(transport.send(post).status == 200);
        CHECK(transport.send(post).status == 200);
        CHECK(server.requestsRead() == 2);
    }
}
