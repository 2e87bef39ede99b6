// chaos-proxy: a user-space TCP proxy that breaks HTTP exchanges between the kiosk's sync and the
// council the way library networks, captive portals and gateways do. This machine's kernel has
// no tc netem, and a proxy sees the bytes where an HTTP library would only see whole messages:
// it can drop a connection after the council committed but before the kiosk heard, or send half
// an answer.
//
// Each connection gets its own RNG seeded from --seed and the connection's number, and every
// request on it draws one fault kind by weight:
//   pass          forwarded untouched
//   reset-before  connection reset before the request is forwarded
//   reset-after   request forwarded (the council commits), connection reset before the answer
//   delay         forwarded after a 100-800 ms pause
//   trickle       answer sent a few bytes at a time, 5-40 ms apart
//   truncate      request forwarded, half the answer sent, then the connection closed
//   stall         request forwarded, part of the answer sent, then nothing until the kiosk gives up
//   portal        a captive portal's "HTTP/1.1 200 OK" HTML login page, nothing forwarded
//   503           503 with Retry-After: 1 from a gateway, nothing forwarded
//   500           500 from a gateway, nothing forwarded
//   garbage       request forwarded (the council commits), the answer replaced by a 200 whose
//                 "application/json" body is not JSON
// With --down every connection is reset as soon as it is accepted (the council unreachable),
// and each accept is timed, so the tests can count how often the kiosk tries.
//
// Modes: reverse (default) forwards everything to --upstream; --forward makes it an HTTP proxy
// for the kiosk's network.proxy setting: absolute-URI requests ("POST http://host:port/path")
// and CONNECT tunnels. Only loopback targets are served (and names given with --alias, which
// mean 127.0.0.1): the tests never send traffic anywhere else.
//
// usage: chaos-proxy [--listen-port N] [--port-file PATH] [--upstream PORT] [--forward]
//                    [--alias NAME] [--faults kind=weight,...] [--seed S] [--down]
//                    [--stats-file PATH]
// Statistics (connections, requests, counts per fault kind, accept times) go to --stats-file as
// JSON every half second and when SIGTERM or SIGINT stops the proxy.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

enum class Fault {
    Pass,
    ResetBefore,
    ResetAfter,
    Delay,
    Trickle,
    Truncate,
    Stall,
    Portal,
    Unavailable,
    ServerError,
    Garbage,
    Count
};
constexpr std::array<const char*, static_cast<std::size_t>(Fault::Count)> kFaultNames = {
    "pass",  "reset-before", "reset-after", "delay", "trickle", "truncate",
    "stall", "portal",       "503",         "500",   "garbage"};

constexpr std::size_t kMaxHeadBytes = 64 * 1024;
constexpr std::size_t kMaxBodyBytes = 4 * 1024 * 1024;
// Long enough for a stalled kiosk request to hit its own low-speed limit first.
constexpr int kIoTimeoutMillis = 60'000;

struct Options {
    int listenPort = 0;
    std::string portFile;
    int upstreamPort = 0;
    bool forward = false;
    std::vector<std::string> aliases;
    std::array<double, static_cast<std::size_t>(Fault::Count)> weights{};
    std::uint64_t seed = 1;
    bool down = false;
    std::string statsFile;
};

std::optional<Fault> faultByName(const std::string& name) {
    for (std::size_t i = 0; i < kFaultNames.size(); ++i) {
        if (name == kFaultNames[i]) return static_cast<Fault>(i);
    }
    return std::nullopt;
}

bool parseFaults(const std::string& spec, Options& options) {
    options.weights.fill(0);
    std::stringstream items(spec);
    std::string item;
    while (std::getline(items, item, ',')) {
        if (item.empty()) continue;
        const auto equals = item.find('=');
        const auto fault = faultByName(item.substr(0, equals));
        if (!fault || equals == std::string::npos) {
            std::cerr << "chaos-proxy: unknown fault '" << item << "' (want kind=weight)\n";
            return false;
        }
        options.weights[static_cast<std::size_t>(*fault)] = std::stod(item.substr(equals + 1));
    }
    return true;
}

std::optional<Options> parseOptions(int argc, char** argv) {
    Options options;
    options.weights[static_cast<std::size_t>(Fault::Pass)] = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--forward") {
            options.forward = true;
            continue;
        }
        if (flag == "--down") {
            options.down = true;
            continue;
        }
        if (i + 1 >= argc) {
            std::cerr << "chaos-proxy: " << flag << " needs a value\n";
            return std::nullopt;
        }
        const std::string value = argv[++i];
        try {
            if (flag == "--listen-port")
                options.listenPort = std::stoi(value);
            else if (flag == "--port-file")
                options.portFile = value;
            else if (flag == "--upstream")
                options.upstreamPort = std::stoi(value);
            else if (flag == "--alias")
                options.aliases.push_back(value);
            else if (flag == "--seed")
                options.seed = std::stoull(value);
            else if (flag == "--stats-file")
                options.statsFile = value;
            else if (flag == "--faults") {
                if (!parseFaults(value, options)) return std::nullopt;
            } else {
                std::cerr << "chaos-proxy: unknown option " << flag << "\n";
                return std::nullopt;
            }
        } catch (const std::exception&) {
            std::cerr << "chaos-proxy: " << flag << " needs a number\n";
            return std::nullopt;
        }
    }
    if (!options.forward && !options.down && options.upstreamPort <= 0) {
        std::cerr << "chaos-proxy: give --upstream PORT, --forward or --down\n";
        return std::nullopt;
    }
    return options;
}

// ---------------------------------------------------------------------------------------------
// Statistics, shared by every connection thread.

class Stats {
public:
    Stats() : start_(std::chrono::steady_clock::now()) {}

    void accepted() {
        std::lock_guard lock(mutex_);
        ++connections_;
        acceptTimes_.push_back(secondsSinceStart());
    }
    void fault(Fault kind) {
        std::lock_guard lock(mutex_);
        ++requests_;
        ++faults_[static_cast<std::size_t>(kind)];
    }
    void count(const std::string& what) {
        std::lock_guard lock(mutex_);
        ++other_[what];
    }

    nlohmann::json toJson() {
        std::lock_guard lock(mutex_);
        nlohmann::json faults = nlohmann::json::object();
        for (std::size_t i = 0; i < kFaultNames.size(); ++i) faults[kFaultNames[i]] = faults_[i];
        return {{"seconds", secondsSinceStart()},
                {"connections", connections_},
                {"requests", requests_},
                {"faults", faults},
                {"other", other_},
                {"acceptTimes", acceptTimes_}};
    }

    void write(const std::string& path) {
        if (path.empty()) return;
        const std::string text = toJson().dump();
        const std::string temporary = path + ".tmp";
        {
            std::ofstream out(temporary, std::ios::trunc);
            out << text;
        }
        std::error_code ignored;
        std::filesystem::rename(temporary, path, ignored);
    }

private:
    double secondsSinceStart() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }

    std::mutex mutex_;
    const std::chrono::steady_clock::time_point start_;
    long connections_ = 0;
    long requests_ = 0;
    std::array<long, static_cast<std::size_t>(Fault::Count)> faults_{};
    std::map<std::string, long> other_;
    std::vector<double> acceptTimes_;
};

// ---------------------------------------------------------------------------------------------
// Socket helpers. Every blocking step is bounded by poll so a stuck peer cannot pin a thread.

class Socket {
public:
    explicit Socket(int fd = -1) : fd_(fd) {}
    ~Socket() { close(); }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    Socket(Socket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    int fd() const { return fd_; }
    bool valid() const { return fd_ >= 0; }
    void close() {
        if (fd_ >= 0) ::close(std::exchange(fd_, -1));
    }
    // SO_LINGER with a zero timeout turns close() into a TCP RST: the peer sees "connection reset".
    void reset() {
        if (fd_ < 0) return;
        linger hard{1, 0};
        setsockopt(fd_, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
        close();
    }

private:
    int fd_;
};

bool waitFor(int fd, short events, int timeoutMillis) {
    pollfd entry{fd, events, 0};
    int ready = 0;
    do {
        ready = ::poll(&entry, 1, timeoutMillis);
    } while (ready < 0 && errno == EINTR);
    return ready > 0;
}

bool sendAll(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        if (!waitFor(fd, POLLOUT, kIoTimeoutMillis)) return false;
        const ssize_t sent = ::send(fd, data, size, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) continue;
        if (sent <= 0) return false;
        data += sent;
        size -= static_cast<std::size_t>(sent);
    }
    return true;
}
bool sendAll(int fd, const std::string& data) {
    return sendAll(fd, data.data(), data.size());
}

// Appends what is available to buffer; false on EOF, error or timeout.
bool receiveSome(int fd, std::string& buffer, int timeoutMillis = kIoTimeoutMillis) {
    if (!waitFor(fd, POLLIN, timeoutMillis)) return false;
    char chunk[16 * 1024];
    ssize_t got = 0;
    do {
        got = ::recv(fd, chunk, sizeof chunk, 0);
    } while (got < 0 && errno == EINTR);
    if (got <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(got));
    return true;
}

std::optional<Socket> connectLoopback(int port) {
    Socket socket(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!socket.valid()) return std::nullopt;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(socket.fd(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        return std::nullopt;
    int one = 1;
    setsockopt(socket.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return socket;
}

// ---------------------------------------------------------------------------------------------
// Just enough HTTP/1.1: a head, headers, and a Content-Length body.

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::string trim(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

struct Message {
    std::string startLine;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    std::optional<std::string> header(const std::string& name) const {
        for (const auto& [key, value] : headers) {
            if (lower(key) == name) return value;
        }
        return std::nullopt;
    }
    void removeHeader(const std::string& name) {
        std::erase_if(headers, [&](const auto& entry) { return lower(entry.first) == name; });
    }
    std::string head() const {
        std::string text = startLine + "\r\n";
        for (const auto& [key, value] : headers) text += key + ": " + value + "\r\n";
        return text + "\r\n";
    }
    std::string serialise() const { return head() + body; }
};

// Splits the head at the front of `buffer` off into a Message (body left empty).
std::optional<Message> parseHead(std::string& buffer) {
    const auto end = buffer.find("\r\n\r\n");
    if (end == std::string::npos) return std::nullopt;
    Message message;
    std::stringstream lines(buffer.substr(0, end));
    std::string line;
    bool first = true;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (first) {
            message.startLine = line;
            first = false;
            continue;
        }
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        message.headers.emplace_back(line.substr(0, colon), trim(line.substr(colon + 1)));
    }
    buffer.erase(0, end + 4);
    return message;
}

enum class ReadResult { Ok, Closed, Bad };

// Reads one request from the kiosk. `buffer` keeps bytes that belong to the next request.
ReadResult readRequest(int fd, std::string& buffer, Message& request) {
    while (buffer.find("\r\n\r\n") == std::string::npos) {
        if (buffer.size() > kMaxHeadBytes) return ReadResult::Bad;
        if (!receiveSome(fd, buffer)) return ReadResult::Closed;
    }
    auto parsed = parseHead(buffer);
    if (!parsed) return ReadResult::Bad;
    request = std::move(*parsed);
    std::size_t length = 0;
    if (const auto value = request.header("content-length")) {
        try {
            length = std::stoul(*value);
        } catch (const std::exception&) {
            return ReadResult::Bad;
        }
    } else if (request.header("transfer-encoding")) {
        return ReadResult::Bad;  // the kiosk always sends Content-Length
    }
    if (length > kMaxBodyBytes) return ReadResult::Bad;
    while (buffer.size() < length) {
        if (!receiveSome(fd, buffer)) return ReadResult::Closed;
    }
    request.body = buffer.substr(0, length);
    buffer.erase(0, length);
    return ReadResult::Ok;
}

// ---------------------------------------------------------------------------------------------

struct Target {
    int port = 0;
    std::string path;  // origin-form request target
};

class Proxy {
public:
    explicit Proxy(Options options) : options_(std::move(options)) {}

    Stats& stats() { return stats_; }

    void serve(int clientFd, std::uint64_t connectionNumber) {
        Socket client(clientFd);
        if (options_.down) {
            client.reset();
            return;
        }
        int one = 1;
        setsockopt(client.fd(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        std::mt19937_64 random(options_.seed * 0x9E3779B97F4A7C15ULL + connectionNumber);
        std::string buffer;
        while (true) {
            Message request;
            const ReadResult read = readRequest(client.fd(), buffer, request);
            if (read == ReadResult::Closed) return;
            if (read == ReadResult::Bad) {
                stats_.count("bad-request");
                sendAll(client.fd(), plainResponse(400, "Bad Request", "text/plain", "bad request\n", {}));
                return;
            }
            const auto target = resolveTarget(request);
            if (!target) {
                stats_.count("refused-target");
                sendAll(client.fd(),
                        plainResponse(403, "Forbidden", "text/plain", "only loopback targets\n", {}));
                return;
            }
            if (request.startLine.rfind("CONNECT ", 0) == 0) {
                tunnel(client, target->port);
                return;
            }
            if (!exchange(client, request, *target, random)) return;
        }
    }

private:
    static std::string plainResponse(int status, const std::string& reason, const std::string& type,
                                     const std::string& body,
                                     const std::vector<std::pair<std::string, std::string>>& extra) {
        Message response;
        response.startLine = "HTTP/1.1 " + std::to_string(status) + " " + reason;
        response.headers = {{"Content-Type", type}, {"Content-Length", std::to_string(body.size())}};
        for (const auto& header : extra) response.headers.push_back(header);
        response.body = body;
        return response.serialise();
    }

    bool allowedHost(const std::string& host) const {
        if (host == "127.0.0.1" || host == "localhost") return true;
        return std::find(options_.aliases.begin(), options_.aliases.end(), host) != options_.aliases.end();
    }

    // Where a request goes; nullopt for anything but a loopback target.
    std::optional<Target> resolveTarget(Message& request) const {
        std::stringstream parts(request.startLine);
        std::string method, uri, version;
        parts >> method >> uri >> version;
        if (!options_.forward) {
            if (uri.empty() || uri[0] != '/') return std::nullopt;
            return Target{options_.upstreamPort, uri};
        }
        std::string authority;
        std::string path = "/";
        if (method == "CONNECT") {
            authority = uri;
        } else {
            const std::string scheme = "http://";
            if (uri.rfind(scheme, 0) != 0) return std::nullopt;
            const auto slash = uri.find('/', scheme.size());
            authority = uri.substr(scheme.size(),
                                   slash == std::string::npos ? std::string::npos : slash - scheme.size());
            if (slash != std::string::npos) path = uri.substr(slash);
        }
        const auto colon = authority.rfind(':');
        const std::string host = authority.substr(0, colon);
        int port = 80;
        if (colon != std::string::npos) {
            try {
                port = std::stoi(authority.substr(colon + 1));
            } catch (const std::exception&) {
                return std::nullopt;
            }
        }
        if (!allowedHost(host)) return std::nullopt;
        if (method != "CONNECT") {
            // A forward proxy hands the origin server the origin-form, as RFC 9112 asks.
            request.startLine = method + " " + path + " " + version;
            request.removeHeader("proxy-connection");
            request.removeHeader("proxy-authorization");
        }
        return Target{port, path};
    }

    Fault draw(std::mt19937_64& random) const {
        std::discrete_distribution<int> pick(options_.weights.begin(), options_.weights.end());
        return static_cast<Fault>(pick(random));
    }

    // Sends the request upstream with "Connection: close" and reads the whole answer. nullopt
    // when the council could not be reached (the kiosk then gets a gateway's 502).
    std::optional<Message> forwardUpstream(Message request, int port, bool& upstreamTruncated) {
        auto upstream = connectLoopback(port);
        if (!upstream) return std::nullopt;
        request.removeHeader("connection");
        request.headers.emplace_back("Connection", "close");
        if (!sendAll(upstream->fd(), request.serialise())) return std::nullopt;
        std::string raw;
        while (receiveSome(upstream->fd(), raw)) {
            if (raw.size() > kMaxBodyBytes) break;
        }
        auto response = parseHead(raw);
        if (!response) return std::nullopt;
        response->body = std::move(raw);
        upstreamTruncated = false;
        if (const auto length = response->header("content-length")) {
            try {
                upstreamTruncated = response->body.size() < std::stoul(*length);
            } catch (const std::exception&) {
                upstreamTruncated = true;
            }
        } else if (!response->header("transfer-encoding")) {
            response->headers.emplace_back("Content-Length", std::to_string(response->body.size()));
        }
        // The kiosk's side of the connection stays open for its next request.
        response->removeHeader("connection");
        return response;
    }

    // One request; false when the kiosk connection is finished.
    bool exchange(Socket& client, const Message& request, const Target& target, std::mt19937_64& random) {
        const Fault fault = draw(random);
        stats_.fault(fault);
        if (options_.forward) stats_.count("forwarded-absolute-uri");
        switch (fault) {
            case Fault::ResetBefore:
                client.reset();
                return false;
            case Fault::Portal:
                return sendAll(client.fd(),
                               plainResponse(200, "OK", "text/html; charset=utf-8",
                                             "<!DOCTYPE html><html><head><title>Library Wi-Fi</title></head>"
                                             "<body><h1>Welcome to Library Wi-Fi</h1><p>Accept the terms "
                                             "to continue.</p></body></html>",
                                             {}));
            case Fault::Unavailable:
                return sendAll(client.fd(), plainResponse(503, "Service Unavailable", "text/html",
                                                          "<html><body>Service Unavailable</body></html>",
                                                          {{"Retry-After", "1"}}));
            case Fault::ServerError:
                return sendAll(client.fd(), plainResponse(500, "Internal Server Error", "text/plain",
                                                          "upstream error\n", {}));
            case Fault::Delay:
                std::this_thread::sleep_for(
                    std::chrono::milliseconds(std::uniform_int_distribution<int>(100, 800)(random)));
                break;
            default:
                break;
        }

        bool upstreamTruncated = false;
        auto response = forwardUpstream(request, target.port, upstreamTruncated);
        if (!response) {
            stats_.count("upstream-unreachable");
            return sendAll(client.fd(),
                           plainResponse(502, "Bad Gateway", "text/plain", "council unreachable\n", {}));
        }
        if (upstreamTruncated) stats_.count("upstream-truncated");

        switch (fault) {
            case Fault::ResetAfter:
                client.reset();
                return false;
            case Fault::Truncate: {
                const std::string bytes = response->serialise();
                sendAll(client.fd(), bytes.substr(0, response->head().size() + response->body.size() / 2));
                ::shutdown(client.fd(), SHUT_WR);
                return false;
            }
            case Fault::Stall: {
                const std::string bytes = response->serialise();
                sendAll(client.fd(), bytes.substr(0, response->head().size() + response->body.size() / 3));
                // Silence until the kiosk's low-speed limit or total timeout ends the exchange.
                std::string ignored;
                while (receiveSome(client.fd(), ignored)) ignored.clear();
                return false;
            }
            case Fault::Garbage: {
                const std::string garbage =
                    "{\"idempotencyKey\": \"" + std::string(12, '\x7f') + "\x01<html>";
                if (!sendAll(client.fd(), plainResponse(200, "OK", "application/json", garbage, {})))
                    return false;
                return true;
            }
            case Fault::Trickle: {
                const std::string bytes = response->serialise();
                std::size_t offset = 0;
                while (offset < bytes.size()) {
                    const std::size_t size = std::uniform_int_distribution<std::size_t>(1, 16)(random);
                    if (!sendAll(client.fd(), bytes.data() + offset, std::min(size, bytes.size() - offset)))
                        return false;
                    offset += size;
                    std::this_thread::sleep_for(
                        std::chrono::milliseconds(std::uniform_int_distribution<int>(5, 40)(random)));
                }
                return !upstreamTruncated;
            }
            default:
                if (!sendAll(client.fd(), response->serialise())) return false;
                return !upstreamTruncated;
        }
    }

    // CONNECT: a blind byte pipe after "200 Connection established", as for TLS to the council.
    void tunnel(Socket& client, int port) {
        stats_.count("connect-tunnels");
        auto upstream = connectLoopback(port);
        if (!upstream) {
            sendAll(client.fd(),
                    plainResponse(502, "Bad Gateway", "text/plain", "council unreachable\n", {}));
            return;
        }
        if (!sendAll(client.fd(), "HTTP/1.1 200 Connection established\r\n\r\n")) return;
        pollfd fds[2] = {{client.fd(), POLLIN, 0}, {upstream->fd(), POLLIN, 0}};
        char chunk[16 * 1024];
        while (::poll(fds, 2, kIoTimeoutMillis) > 0) {
            for (int i = 0; i < 2; ++i) {
                if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
                const ssize_t got = ::recv(fds[i].fd, chunk, sizeof chunk, 0);
                if (got <= 0) return;
                if (!sendAll(fds[1 - i].fd, chunk, static_cast<std::size_t>(got))) return;
            }
        }
    }

    Options options_;
    Stats stats_;
};

std::atomic<bool> stopping{false};

}  // namespace

int main(int argc, char** argv) {
    const auto options = parseOptions(argc, argv);
    if (!options) return 2;

    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    signal(SIGPIPE, SIG_IGN);

    Socket listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    int one = 1;
    setsockopt(listener.fd(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(options->listenPort));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener.fd(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener.fd(), 128) != 0 ||
        ::getsockname(listener.fd(), reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        std::cerr << "chaos-proxy: cannot listen on 127.0.0.1:" << options->listenPort << ": "
                  << std::strerror(errno) << "\n";
        return 1;
    }
    const int port = ntohs(address.sin_port);
    if (!options->portFile.empty()) {
        const std::string temporary = options->portFile + ".tmp";
        std::ofstream(temporary) << port << "\n";
        std::filesystem::rename(temporary, options->portFile);
    }

    Proxy proxy(*options);
    std::thread statsWriter([&] {
        while (!stopping.load()) {
            proxy.stats().write(options->statsFile);
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
        }
    });
    std::thread signalWaiter([&] {
        int received = 0;
        sigwait(&stopSignals, &received);
        stopping.store(true);
        ::shutdown(listener.fd(), SHUT_RDWR);  // wakes accept()
    });

    std::uint64_t connectionNumber = 0;
    while (!stopping.load()) {
        const int client = ::accept4(listener.fd(), nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            break;
        }
        proxy.stats().accepted();
        // Connection threads are detached: on SIGTERM the process ends with them mid-exchange,
        // which is what a proxy dying looks like to the kiosk.
        std::thread([&proxy, client, number = connectionNumber++] { proxy.serve(client, number); }).detach();
    }
    stopping.store(true);
    statsWriter.join();
    proxy.stats().write(options->statsFile);
    if (signalWaiter.joinable()) signalWaiter.detach();
    std::fflush(nullptr);
    _exit(0);
}
