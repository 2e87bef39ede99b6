// fake-council: a test server that speaks the kiosk JSON API (sync/openapi.yaml) on 127.0.0.1,
// deduplicates by Idempotency-Key, decrypts sealed payloads with the council's secret key, and
// injects the faults a library network produces (resets after commit, captive portals,
// truncated answers, 503s, random 500s, slowness). Tests read /admin/received to prove that
// every submission arrived exactly once. It never prints submission contents.
// Volunteers' help sessions (POST /v1/help-sessions) pass the same checks and fault switches
// (the switches count requests to either endpoint) and are listed at /admin/help-sessions.
// Signed webhooks (POST /webhooks/forms, the kiosk's "webhook" destination) are checked as a
// platform would: Standard Webhooks signature and timestamp only (401 otherwise), answers opened
// when sealed to the council's key, deduplicated by webhook-id, no fault switch; they are listed
// at /admin/webhooks and kept in memory only.
// Heartbeats (POST /v1/heartbeat) pass the token and signature checks but no fault switch, and
// are not counted in /admin/stats' "requests", so a test's fault budget and request counts stay
// about deliveries; the last 100 are listed at /admin/heartbeats, oldest first.
//
// Usage: fake-council --port N --port-file PATH --secret-key-file PATH --device-token T
//        --webhook-secret whsec_... [--state-file PATH] [--fail-first N] [--fail-fraction F]
//        [--delay-ms N] [--reset-after-commit N] [--captive-portal N] [--truncate N]
//        [--reject-service ID] [--reject-topic ID] [--timestamp-tolerance SECONDS] [--seed S]
#include <httplib.h>
#include <signal.h>
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
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
#include <vector>

#include "kiosk/base64.h"
#include "sync/webhook_signature.h"

namespace {

using nlohmann::json;

// Set when SIGTERM/SIGINT arrives, so a handler sleeping for --delay-ms lets the server stop.
std::atomic<bool> shuttingDown{false};

struct Options {
    int port = 0;
    std::string portFile;
    std::string secretKeyFile;
    std::string deviceToken;
    std::string webhookSecret;
    std::string stateFile;
    int failFirst = 0;
    double failFraction = 0;
    int delayMs = 0;
    int resetAfterCommit = 0;
    int captivePortal = 0;
    int truncate = 0;
    std::string rejectService;
    std::string rejectTopic;              // help sessions on this topic get 422 (held back by the kiosk)
    int timestampToleranceSeconds = 300;  // Standard Webhooks' recommended 5 minutes
    std::uint64_t seed = 1;
};

std::optional<Options> parseOptions(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (i + 1 >= argc) {
            std::cerr << "fake-council: " << flag << " needs a value\n";
            return std::nullopt;
        }
        const std::string value = argv[++i];
        try {
            if (flag == "--port")
                options.port = std::stoi(value);
            else if (flag == "--port-file")
                options.portFile = value;
            else if (flag == "--secret-key-file")
                options.secretKeyFile = value;
            else if (flag == "--device-token")
                options.deviceToken = value;
            else if (flag == "--webhook-secret")
                options.webhookSecret = value;
            else if (flag == "--state-file")
                options.stateFile = value;
            else if (flag == "--fail-first")
                options.failFirst = std::stoi(value);
            else if (flag == "--fail-fraction")
                options.failFraction = std::stod(value);
            else if (flag == "--delay-ms")
                options.delayMs = std::stoi(value);
            else if (flag == "--reset-after-commit")
                options.resetAfterCommit = std::stoi(value);
            else if (flag == "--captive-portal")
                options.captivePortal = std::stoi(value);
            else if (flag == "--truncate")
                options.truncate = std::stoi(value);
            else if (flag == "--reject-service")
                options.rejectService = value;
            else if (flag == "--reject-topic")
                options.rejectTopic = value;
            else if (flag == "--timestamp-tolerance")
                options.timestampToleranceSeconds = std::stoi(value);
            else if (flag == "--seed")
                options.seed = std::stoull(value);
            else {
                std::cerr << "fake-council: unknown option " << flag << "\n";
                return std::nullopt;
            }
        } catch (const std::exception&) {
            std::cerr << "fake-council: " << flag << " needs a number\n";
            return std::nullopt;
        }
    }
    if (options.secretKeyFile.empty() || options.deviceToken.empty() || options.webhookSecret.empty()) {
        std::cerr << "fake-council: --secret-key-file, --device-token and --webhook-secret are required\n";
        return std::nullopt;
    }
    return options;
}

std::optional<std::vector<unsigned char>> fromBase64(const std::string& text) {
    const auto bytes = kiosk::decodeBase64(text);
    if (!bytes) return std::nullopt;
    return std::vector<unsigned char>(bytes->begin(), bytes->end());
}

std::string sha256Hex(const std::string& data) {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return hex;
}

void writeFileAtomically(const std::string& path, const std::string& content) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << content;
    }
    std::filesystem::rename(temporary, path);
}

struct ReceivedSubmission {
    std::string submissionId;
    std::string reference;
    std::string serviceId;
    bool assisted = false;
    json volunteerId;  // null when no volunteer was signed in
    std::string councilReference;
    json answers;
    std::string bodySha256;  // a reused key must come with the same bytes
    int receivedCount = 0;
};

struct ReceivedHelpSession {
    json record;  // the request body as received
    std::string councilReference;
    std::string bodySha256;
    int receivedCount = 0;
};

// The HelpSession schema in sync/openapi.yaml; "" when the body matches it.
std::string helpSessionProblem(const json& body, const std::string& key) {
    if (body.value("helpSessionId", "") != key) return "helpSessionId must equal the Idempotency-Key";
    for (const char* field : {"kioskId", "volunteerId", "topic", "outcome", "recordedAt"}) {
        if (!body.contains(field) || !body[field].is_string() || body[field].get<std::string>().empty())
            return std::string(field) + " is required";
    }
    const std::string outcome = body["outcome"];
    if (outcome != "done" && outcome != "partly_done" && outcome != "referred")
        return "outcome must be done, partly_done or referred";
    if (!body.contains("minutes") || !body["minutes"].is_number_integer() || body["minutes"] < 1 ||
        body["minutes"] > 480)
        return "minutes must be a whole number from 1 to 480";
    if (!body.contains("language") || !(body["language"].is_null() || body["language"].is_string()))
        return "language must be a language tag or null";
    return "";
}

// The Heartbeat schema in sync/openapi.yaml, which allows no other fields (a heartbeat must not
// grow into something that could carry personal data); "" when the body matches it.
std::string heartbeatProblem(const json& body) {
    static const std::vector<std::string> kTextFields = {"kioskId",     "softwareVersion", "packId",
                                                         "packVersion", "lastErrorCode",   "sentAt"};
    static const std::vector<std::string> kCountFields = {"helpSessionsWaiting", "oldestWaitingAgeSeconds",
                                                          "uptimeSeconds"};
    static const std::vector<std::string> kQueueStates = {"sealed", "delivered", "held_back",
                                                          "delivered_out_of_band"};
    for (const auto& field : kTextFields) {
        if (!body.contains(field) || !body[field].is_string() || body[field].get<std::string>().empty())
            return field + " is required";
    }
    for (const auto& field : kCountFields) {
        if (!body.contains(field) || !body[field].is_number_integer() || body[field] < 0)
            return field + " must be a whole number from 0";
    }
    if (!body.contains("freeDiskBytes") ||
        !(body["freeDiskBytes"].is_null() ||
          (body["freeDiskBytes"].is_number_integer() && body["freeDiskBytes"] >= 0)))
        return "freeDiskBytes must be a whole number from 0 or null";
    if (!body.contains("queue") || !body["queue"].is_object() || body["queue"].size() != kQueueStates.size())
        return "queue must hold a count for each of sealed, delivered, held_back and delivered_out_of_band";
    for (const auto& state : kQueueStates) {
        const json& queue = body["queue"];
        if (!queue.contains(state) || !queue[state].is_number_integer() || queue[state] < 0)
            return "queue." + state + " must be a whole number from 0";
    }
    const std::size_t known = kTextFields.size() + kCountFields.size() + 2;  // + freeDiskBytes, queue
    if (body.size() != known) return "a heartbeat has no other fields";
    return "";
}

json errorBody(const std::string& message) {
    return json{{"error", message}};
}

class FakeCouncil {
public:
    FakeCouncil(Options options, std::vector<unsigned char> secretKey, std::vector<unsigned char> webhookKey)
        : options_(std::move(options)),
          secretKey_(std::move(secretKey)),
          webhookKey_(std::move(webhookKey)),
          random_(options_.seed),
          captiveLeft_(options_.captivePortal),
          failFirstLeft_(options_.failFirst),
          resetLeft_(options_.resetAfterCommit),
          truncateLeft_(options_.truncate) {
        publicKey_.resize(crypto_box_PUBLICKEYBYTES);
        crypto_scalarmult_base(publicKey_.data(), secretKey_.data());
        loadState();
    }

    void handleSubmission(const httplib::Request& request, httplib::Response& response) {
        waitForDelay();
        std::lock_guard lock(mutex_);
        const auto body = admit(request, response);
        if (!body) return;
        const std::string key = request.get_header_value("Idempotency-Key");

        const std::string bodyHash = sha256Hex(request.body);
        int status = 201;
        if (auto known = received_.find(key); known != received_.end()) {
            if (known->second.bodySha256 != bodyHash) {
                replyJson(response, 422,
                          errorBody("This Idempotency-Key was already used with a different request body"));
                return;
            }
            ++known->second.receivedCount;
            status = 200;
        } else {
            if (!options_.rejectService.empty() && body->value("serviceId", "") == options_.rejectService) {
                replyJson(response, 422, errorBody("This service no longer accepts kiosk submissions"));
                return;
            }
            auto answers = decryptAnswers(*body);
            if (!answers) {
                replyJson(response, 400,
                          errorBody("The payload could not be decrypted with the council key"));
                return;
            }
            ReceivedSubmission submission;
            submission.submissionId = body->value("submissionId", "");
            submission.reference = body->value("reference", "");
            submission.serviceId = body->value("serviceId", "");
            submission.assisted = body->value("assisted", false);
            submission.volunteerId = body->contains("volunteerId") ? (*body)["volunteerId"] : json(nullptr);
            submission.councilReference = nextCouncilReference();
            submission.answers = std::move(*answers);
            submission.bodySha256 = bodyHash;
            submission.receivedCount = 1;
            received_.emplace(key, std::move(submission));
            order_.push_back(key);
        }
        saveState();  // committed before any answer leaves, as a real back office would
        sendAcknowledgement(response, status, key, received_.at(key).councilReference);
    }

    void handleHelpSession(const httplib::Request& request, httplib::Response& response) {
        waitForDelay();
        std::lock_guard lock(mutex_);
        const auto body = admit(request, response);
        if (!body) return;
        const std::string key = request.get_header_value("Idempotency-Key");

        const std::string bodyHash = sha256Hex(request.body);
        int status = 201;
        if (auto known = helpSessions_.find(key); known != helpSessions_.end()) {
            if (known->second.bodySha256 != bodyHash) {
                replyJson(response, 422,
                          errorBody("This Idempotency-Key was already used with a different request body"));
                return;
            }
            ++known->second.receivedCount;
            status = 200;
        } else {
            if (const std::string problem = helpSessionProblem(*body, key); !problem.empty()) {
                replyJson(response, 400, errorBody(problem));
                return;
            }
            if (!options_.rejectTopic.empty() && body->value("topic", "") == options_.rejectTopic) {
                replyJson(response, 422, errorBody("This help topic is not recorded by the council"));
                return;
            }
            char reference[32];
            std::snprintf(reference, sizeof reference, "HS-%06d", nextHelpNumber_++);
            helpSessions_.emplace(key, ReceivedHelpSession{*body, reference, bodyHash, 1});
            helpOrder_.push_back(key);
        }
        saveState();
        sendAcknowledgement(response, status, key, helpSessions_.at(key).councilReference);
    }

    void handleHeartbeat(const httplib::Request& request, httplib::Response& response) {
        std::lock_guard lock(mutex_);
        const auto body = authenticate(request, response);
        if (!body) return;
        if (const std::string problem = heartbeatProblem(*body); !problem.empty()) {
            replyJson(response, 400, errorBody(problem));
            return;
        }
        heartbeats_.push_back(*body);
        while (heartbeats_.size() > kHeartbeatsKept) heartbeats_.pop_front();
        saveState();
        replyJson(response, 200, json{{"received", true}});
    }

    // GET /v1/submissions/{key}/status: what the council's caseworkers have done with it, as
    // sync/openapi.yaml describes. Bearer token only: a GET carries no body to sign.
    void handleStatus(const httplib::Request& request, httplib::Response& response) {
        std::lock_guard lock(mutex_);
        if (request.get_header_value("Authorization") != "Bearer " + options_.deviceToken) {
            replyJson(response, 401, errorBody("Unknown device token"));
            return;
        }
        const std::string key = request.matches[1];
        const auto found = received_.find(key);
        if (found == received_.end()) {
            replyJson(response, 404, errorBody("No submission with that key"));
            return;
        }
        const auto status = statuses_.find(key);
        replyJson(
            response, 200,
            json{{"submissionId", key},
                 {"councilReference", found->second.councilReference},
                 {"status", status == statuses_.end() ? "received" : status->second.first},
                 {"updatedAt", status == statuses_.end() ? json(nullptr) : json(status->second.second)}});
    }

    // POST /admin/status/{key}?status=in_progress|closed&updatedAt=...: a caseworker's move, for tests.
    void handleSetStatus(const httplib::Request& request, httplib::Response& response) {
        std::lock_guard lock(mutex_);
        const std::string key = request.matches[1];
        const std::string status = request.get_param_value("status");
        if (received_.count(key) == 0 ||
            (status != "received" && status != "in_progress" && status != "closed")) {
            replyJson(response, 400, errorBody("Unknown submission or status"));
            return;
        }
        statuses_[key] = {status, request.get_param_value("updatedAt")};
        replyJson(response, 200, json{{"submissionId", key}, {"status", status}});
    }

    void handleHeartbeats(httplib::Response& response) {
        std::lock_guard lock(mutex_);
        response.set_content(json(heartbeats_).dump(), "application/json");
    }

    void handleHelpSessions(httplib::Response& response) {
        std::lock_guard lock(mutex_);
        json list = json::array();
        for (const auto& key : helpOrder_) {
            const auto& received = helpSessions_.at(key);
            json item = received.record;
            item["councilReference"] = received.councilReference;
            item["receivedCount"] = received.receivedCount;
            list.push_back(std::move(item));
        }
        response.set_content(list.dump(), "application/json");
    }

    void handleReceived(httplib::Response& response) {
        std::lock_guard lock(mutex_);
        json list = json::array();
        for (const auto& key : order_) {
            const auto& submission = received_.at(key);
            list.push_back({{"submissionId", submission.submissionId},
                            {"reference", submission.reference},
                            {"serviceId", submission.serviceId},
                            {"assisted", submission.assisted},
                            {"volunteerId", submission.volunteerId},
                            {"councilReference", submission.councilReference},
                            {"answers", submission.answers},
                            {"receivedCount", submission.receivedCount}});
        }
        response.set_content(list.dump(), "application/json");
    }

    // A Standard Webhooks event: {"type", "timestamp", "data": {..., "sealedAnswers" | "answers"}}.
    void handleWebhook(const httplib::Request& request, httplib::Response& response) {
        std::lock_guard lock(mutex_);
        if (!signatureValid(request)) {
            replyJson(response, 401, errorBody("The webhook signature or timestamp did not verify"));
            return;
        }
        const std::string id = request.get_header_value("webhook-id");
        if (auto known = webhooks_.find(id); known != webhooks_.end()) {
            known->second["receivedCount"] = known->second["receivedCount"].get<int>() + 1;
            replyJson(response, 200, json{{"reference", known->second["councilReference"]}});
            return;
        }
        const json event = json::parse(request.body, nullptr, false);
        const json data = event.is_object() ? event.value("data", json()) : json();
        if (!data.is_object() || !event.value("type", json()).is_string()) {
            replyJson(response, 400, errorBody("The body is not a webhook event with type and data"));
            return;
        }
        json answers;
        if (const auto sealed = data.find("sealedAnswers"); sealed != data.end() && sealed->is_string()) {
            auto opened = openSealedAnswers(sealed->get<std::string>());
            if (!opened) {
                replyJson(response, 400,
                          errorBody("The answers could not be decrypted with the council key"));
                return;
            }
            answers = std::move(*opened);
        } else if (const auto readable = data.find("answers"); readable != data.end()) {
            answers = *readable;
        }
        json record = {{"webhookId", id},
                       {"type", event.at("type")},
                       {"reference", data.value("reference", json())},
                       {"service", data.value("service", json())},
                       {"payload", data.contains("sealedAnswers") ? "sealed-to-council" : "readable"},
                       {"councilReference", "WH-" + std::to_string(webhookOrder_.size() + 1)},
                       {"answers", std::move(answers)},
                       {"receivedCount", 1}};
        replyJson(response, 200, json{{"reference", record["councilReference"]}});
        webhooks_.emplace(id, std::move(record));
        webhookOrder_.push_back(id);
    }

    void handleWebhooks(httplib::Response& response) {
        std::lock_guard lock(mutex_);
        json list = json::array();
        for (const auto& id : webhookOrder_) list.push_back(webhooks_.at(id));
        response.set_content(list.dump(), "application/json");
    }

    void handleStats(httplib::Response& response) {
        std::lock_guard lock(mutex_);
        response.set_content(json{{"requests", requests_},
                                  {"unique", order_.size()},
                                  {"uniqueHelpSessions", helpOrder_.size()},
                                  {"heartbeats", heartbeats_.size()}}
                                 .dump(),
                             "application/json");
    }

private:
    void waitForDelay() const {
        const auto wakeAt = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.delayMs);
        while (std::chrono::steady_clock::now() < wakeAt && !shuttingDown.load()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }

    // The fault switches and the checks every POST passes: token, signature, Idempotency-Key and
    // a JSON object body. Returns the body, or nullopt when `response` already holds the answer.
    // Called with mutex_ held.
    std::optional<json> admit(const httplib::Request& request, httplib::Response& response) {
        ++requests_;

        if (captiveLeft_ > 0) {
            --captiveLeft_;
            response.status = 200;
            response.set_content(
                "<!DOCTYPE html><html><head><title>Library Wi-Fi</title></head>"
                "<body><h1>Welcome to Library Wi-Fi</h1><form action=\"/login\"><button>Accept and connect"
                "</button></form></body></html>",
                "text/html; charset=utf-8");
            return std::nullopt;
        }
        if (failFirstLeft_ > 0) {
            --failFirstLeft_;
            replyJson(response, 503, errorBody("The service is busy. Try again shortly."));
            response.set_header("Retry-After", "1");
            return std::nullopt;
        }
        if (options_.failFraction > 0 &&
            std::uniform_real_distribution<double>(0, 1)(random_) < options_.failFraction) {
            replyJson(response, 500, errorBody("Internal error"));
            return std::nullopt;
        }
        return authenticate(request, response);
    }

    // Token, signature, Idempotency-Key and a JSON object body, as for every POST. Returns the
    // body, or nullopt when `response` already holds the answer. Called with mutex_ held.
    std::optional<json> authenticate(const httplib::Request& request, httplib::Response& response) {
        if (request.get_header_value("Authorization") != "Bearer " + options_.deviceToken) {
            replyJson(response, 401, errorBody("Unknown device token"));
            return std::nullopt;
        }
        if (!signatureValid(request)) {
            replyJson(response, 401, errorBody("Webhook signature or timestamp does not verify"));
            return std::nullopt;
        }
        if (request.get_header_value("Idempotency-Key").empty()) {
            replyJson(response, 400, errorBody("Idempotency-Key header is required"));
            return std::nullopt;
        }
        json body = json::parse(request.body, nullptr, false);
        if (body.is_discarded() || !body.is_object()) {
            replyJson(response, 400, errorBody("The request body is not a JSON object"));
            return std::nullopt;
        }
        return body;
    }

    // The acknowledgement, through the lost-answer and truncated-answer switches. Called after
    // the state was saved, as a real back office commits before it answers.
    void sendAcknowledgement(httplib::Response& response, int status, const std::string& key,
                             const std::string& councilReference) {
        const std::string ack = json{
            {"idempotencyKey", key},
            {"councilReference", councilReference},
            {"status", "received"}}.dump();
        response.status = status;
        if (resetLeft_ > 0) {
            --resetLeft_;
            // Promise the whole ack, send a few bytes, then drop the connection: the client sees
            // an incomplete transfer although the council has committed the record.
            response.set_content_provider(ack.size(), "application/json",
                                          [ack](std::size_t, std::size_t, httplib::DataSink& sink) {
                                              sink.write(ack.data(), 5);
                                              return false;
                                          });
            return;
        }
        if (truncateLeft_ > 0) {
            --truncateLeft_;
            response.set_content(ack.substr(0, ack.size() / 2), "application/json");
            return;
        }
        response.set_content(ack, "application/json");
    }

    static void replyJson(httplib::Response& response, int status, const json& body) {
        response.status = status;
        response.set_content(body.dump(), "application/json");
    }

    bool signatureValid(const httplib::Request& request) const {
        const std::string id = request.get_header_value("webhook-id");
        const std::string timestampText = request.get_header_value("webhook-timestamp");
        const std::string signature = request.get_header_value("webhook-signature");
        if (id.empty() || timestampText.empty() || signature.empty()) return false;
        std::int64_t timestamp = 0;
        try {
            timestamp = std::stoll(timestampText);
        } catch (const std::exception&) {
            return false;
        }
        const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
        if (std::llabs(now - timestamp) > options_.timestampToleranceSeconds) return false;
        return kiosk::sync::verifyWebhook(webhookKey_, id, timestamp, request.body, signature);
    }

    std::optional<json> decryptAnswers(const json& body) const {
        const auto payload = body.find("payload");
        if (payload == body.end() || !payload->is_object() ||
            payload->value("encoding", "") != "x25519-sealed-box" || !payload->contains("ciphertext") ||
            !(*payload)["ciphertext"].is_string()) {
            return std::nullopt;
        }
        return openSealedAnswers((*payload)["ciphertext"].get<std::string>());
    }

    // The answers document from a base64 sealed box to the council's key.
    std::optional<json> openSealedAnswers(const std::string& base64) const {
        const auto ciphertext = fromBase64(base64);
        if (!ciphertext || ciphertext->size() < crypto_box_SEALBYTES) return std::nullopt;
        std::string plain(ciphertext->size() - crypto_box_SEALBYTES, '\0');
        if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()), ciphertext->data(),
                                 ciphertext->size(), publicKey_.data(), secretKey_.data()) != 0) {
            return std::nullopt;
        }
        json answers = json::parse(plain, nullptr, false);
        sodium_memzero(plain.data(), plain.size());
        if (answers.is_discarded()) return std::nullopt;
        return answers;
    }

    std::string nextCouncilReference() {
        char text[32];
        std::snprintf(text, sizeof text, "SDC-%06d", nextNumber_++);
        return text;
    }

    void saveState() const {
        if (options_.stateFile.empty()) return;
        json list = json::array();
        for (const auto& key : order_) {
            const auto& submission = received_.at(key);
            list.push_back({{"idempotencyKey", key},
                            {"submissionId", submission.submissionId},
                            {"reference", submission.reference},
                            {"serviceId", submission.serviceId},
                            {"assisted", submission.assisted},
                            {"volunteerId", submission.volunteerId},
                            {"councilReference", submission.councilReference},
                            {"answers", submission.answers},
                            {"bodySha256", submission.bodySha256},
                            {"receivedCount", submission.receivedCount}});
        }
        json helpList = json::array();
        for (const auto& key : helpOrder_) {
            const auto& received = helpSessions_.at(key);
            helpList.push_back({{"idempotencyKey", key},
                                {"record", received.record},
                                {"councilReference", received.councilReference},
                                {"bodySha256", received.bodySha256},
                                {"receivedCount", received.receivedCount}});
        }
        writeFileAtomically(options_.stateFile, json{{"nextNumber", nextNumber_},
                                                     {"nextHelpNumber", nextHelpNumber_},
                                                     {"requests", requests_},
                                                     {"received", list},
                                                     {"helpSessions", helpList},
                                                     {"heartbeats", json(heartbeats_)}}
                                                    .dump());
    }

    void loadState() {
        if (options_.stateFile.empty() || !std::filesystem::exists(options_.stateFile)) return;
        std::ifstream in(options_.stateFile, std::ios::binary);
        const json state = json::parse(in, nullptr, false);
        if (state.is_discarded()) {
            std::cerr << "fake-council: ignoring unreadable state file\n";
            return;
        }
        nextNumber_ = state.value("nextNumber", nextNumber_);
        requests_ = state.value("requests", 0);
        for (const auto& item : state.value("received", json::array())) {
            ReceivedSubmission submission;
            submission.submissionId = item.value("submissionId", "");
            submission.reference = item.value("reference", "");
            submission.serviceId = item.value("serviceId", "");
            submission.assisted = item.value("assisted", false);
            submission.volunteerId = item.value("volunteerId", json(nullptr));
            submission.councilReference = item.value("councilReference", "");
            submission.answers = item.value("answers", json());
            submission.bodySha256 = item.value("bodySha256", "");
            submission.receivedCount = item.value("receivedCount", 1);
            const std::string key = item.value("idempotencyKey", "");
            order_.push_back(key);
            received_.emplace(key, std::move(submission));
        }
        nextHelpNumber_ = state.value("nextHelpNumber", nextHelpNumber_);
        for (const auto& item : state.value("helpSessions", json::array())) {
            const std::string key = item.value("idempotencyKey", "");
            helpSessions_.emplace(
                key, ReceivedHelpSession{item.value("record", json()), item.value("councilReference", ""),
                                         item.value("bodySha256", ""), item.value("receivedCount", 1)});
            helpOrder_.push_back(key);
        }
        for (const auto& heartbeat : state.value("heartbeats", json::array()))
            heartbeats_.push_back(heartbeat);
        while (heartbeats_.size() > kHeartbeatsKept) heartbeats_.pop_front();
    }

    Options options_;
    std::vector<unsigned char> secretKey_;
    std::vector<unsigned char> publicKey_;
    std::vector<unsigned char> webhookKey_;

    std::mutex mutex_;  // guards everything below
    std::mt19937_64 random_;
    int captiveLeft_;
    int failFirstLeft_;
    int resetLeft_;
    int truncateLeft_;
    int requests_ = 0;
    int nextNumber_ = 123;
    std::map<std::string, ReceivedSubmission> received_;
    std::vector<std::string> order_;  // arrival order for /admin/received
    // Set by /admin/status (key -> status, updatedAt); a key not here is "received". Not kept in
    // the state file: tests set it after the delivery they check.
    std::map<std::string, std::pair<std::string, std::string>> statuses_;
    int nextHelpNumber_ = 1;
    std::map<std::string, ReceivedHelpSession> helpSessions_;
    std::vector<std::string> helpOrder_;     // arrival order for /admin/help-sessions
    std::map<std::string, json> webhooks_;   // by webhook-id
    std::vector<std::string> webhookOrder_;  // arrival order for /admin/webhooks
    static constexpr std::size_t kHeartbeatsKept = 100;
    std::deque<json> heartbeats_;  // the last kHeartbeatsKept bodies, oldest first
};

}  // namespace

int main(int argc, char** argv) {
    const auto options = parseOptions(argc, argv);
    if (!options) return 2;
    if (sodium_init() < 0) return 1;

    std::ifstream keyFile(options->secretKeyFile);
    std::stringstream keyText;
    keyText << keyFile.rdbuf();
    const auto secretKey = fromBase64(keyText.str());
    if (!secretKey || secretKey->size() != crypto_box_SECRETKEYBYTES) {
        std::cerr << "fake-council: the secret key file must hold a base64 32-byte X25519 key\n";
        return 2;
    }
    const auto webhookKey = kiosk::sync::decodeWebhookSecret(options->webhookSecret);
    if (!webhookKey) {
        std::cerr << "fake-council: --webhook-secret must be whsec_<base64>\n";
        return 2;
    }

    // Block the stop signals before any thread starts, then take them on one thread with
    // sigwait: Server::stop() is not async-signal-safe.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);
    signal(SIGPIPE, SIG_IGN);

    FakeCouncil council(*options, *secretKey, *webhookKey);
    httplib::Server server;
    // cpp-httplib writes an answer's headers and body separately and leaves Nagle on, so each
    // answer waited ~40 ms for the client's delayed ACK: 25 requests/s at most, which made the
    // fake council, not the kiosk, the limit of every delivery measured against it.
    server.set_tcp_nodelay(true);
    server.Post("/v1/submissions", [&](const httplib::Request& request, httplib::Response& response) {
        council.handleSubmission(request, response);
    });
    server.Post("/v1/help-sessions", [&](const httplib::Request& request, httplib::Response& response) {
        council.handleHelpSession(request, response);
    });
    server.Post("/v1/heartbeat", [&](const httplib::Request& request, httplib::Response& response) {
        council.handleHeartbeat(request, response);
    });
    server.Get(R"(/v1/submissions/([0-9a-fA-F-]+)/status)",
               [&](const httplib::Request& request, httplib::Response& response) {
                   council.handleStatus(request, response);
               });
    server.Post(R"(/admin/status/([0-9a-fA-F-]+))",
                [&](const httplib::Request& request, httplib::Response& response) {
                    council.handleSetStatus(request, response);
                });
    server.Get("/admin/heartbeats", [&](const httplib::Request&, httplib::Response& response) {
        council.handleHeartbeats(response);
    });
    server.Get("/admin/help-sessions", [&](const httplib::Request&, httplib::Response& response) {
        council.handleHelpSessions(response);
    });
    server.Post("/webhooks/forms", [&](const httplib::Request& request, httplib::Response& response) {
        council.handleWebhook(request, response);
    });
    server.Get("/admin/webhooks", [&](const httplib::Request&, httplib::Response& response) {
        council.handleWebhooks(response);
    });
    server.Get("/v1/health", [](const httplib::Request&, httplib::Response& response) {
        response.set_content(R"({"status":"ok"})", "application/json");
    });
    server.Get("/admin/received", [&](const httplib::Request&, httplib::Response& response) {
        council.handleReceived(response);
    });
    server.Get("/admin/stats",
               [&](const httplib::Request&, httplib::Response& response) { council.handleStats(response); });

    int port = options->port;
    if (port == 0) {
        port = server.bind_to_any_port("127.0.0.1");
    } else if (!server.bind_to_port("127.0.0.1", port)) {
        port = -1;
    }
    if (port <= 0) {
        std::cerr << "fake-council: could not listen on 127.0.0.1\n";
        return 1;
    }
    if (!options->portFile.empty()) writeFileAtomically(options->portFile, std::to_string(port) + "\n");

    std::thread signalWaiter([&server, stopSignals] {
        int received = 0;
        sigwait(&stopSignals, &received);
        shuttingDown.store(true);
        server.stop();
    });
    server.listen_after_bind();
    // listen_after_bind only returns after stop() (or a fatal socket error); in the latter case
    // wake the waiter so it can exit.
    kill(getpid(), SIGTERM);
    signalWaiter.join();
    return 0;
}
