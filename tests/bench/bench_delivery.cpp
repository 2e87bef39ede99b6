// kiosk-bench: delivery throughput to the fake council over loopback. The real sync code
// (deliverDueSubmissions with CurlTransport and the outbox) beside a bare libcurl loop that POSTs
// the same bodies with the same headers over one keep-alive handle. Each side gets a freshly
// started fake council, so the server does the same work (decrypting, deduplicating) for both.
#include <curl/curl.h>

#include <stdexcept>

#include "../sync/fake_council_process.h"
#include "bench.h"
#include "bench_support.h"
#include "kiosk/clock.h"
#include "store/outbox_store.h"
#include "sync/backoff.h"
#include "sync/destination.h"
#include "sync/sync_worker.h"
#include "sync/transport.h"
#include "sync/webhook_signature.h"

namespace kiosk::bench {
namespace {

// Counts the time spent inside HTTP exchanges, to split a slow round into network and the rest.
class TimingTransport final : public sync::Transport {
public:
    explicit TimingTransport(sync::Transport& inner) : inner_(inner) {}
    sync::HttpResponse send(const sync::HttpRequest& request) override {
        const auto start = Clock::now();
        sync::HttpResponse response = inner_.send(request);
        millis_ += millisSince(start);
        return response;
    }
    double millis() const { return millis_; }

private:
    sync::Transport& inner_;
    double millis_ = 0;
};

struct BareRequest {
    std::string body;
    std::vector<std::string> headers;  // "Name: value"
};

std::size_t collectBody(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

// One easy handle, options set once, keep-alive: the least work a client can do per request.
double bareCurlMillis(const std::string& url, const std::vector<BareRequest>& requests) {
    CURL* curl = curl_easy_init();
    std::string answer;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collectBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "CouncilKiosk/0.1");
    int failures = 0;
    const auto start = Clock::now();
    for (const auto& request : requests) {
        curl_slist* headers = nullptr;
        for (const auto& header : request.headers) headers = curl_slist_append(headers, header.c_str());
        headers = curl_slist_append(headers, "Expect:");
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
        answer.clear();
        const CURLcode code = curl_easy_perform(curl);
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        if (code != CURLE_OK || status != 201) ++failures;
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
        curl_slist_free_all(headers);
    }
    const double millis = millisSince(start);
    curl_easy_cleanup(curl);
    if (failures > 0)
        throw std::runtime_error("bare libcurl loop: " + std::to_string(failures) + " requests failed");
    return millis;
}

long uniqueReceived(const sync::testing::FakeCouncilProcess& council) {
    auto stats = council.getJson("/admin/stats");
    if (!stats) throw std::runtime_error(stats.error().message);
    return stats.value().value("unique", -1L);
}

}  // namespace

void benchDelivery(const BenchOptions& options, std::vector<Figure>& figures) {
    const auto home = options.workDirectory / "delivery";
    std::filesystem::remove_all(home);
    const CouncilKeys keys = makeCouncilKeys();

    KioskConfig config;
    config.kioskId = "bench-kiosk-1";
    config.referencePrefix = "BEN";
    config.dataDirectory = home / "data";
    config.council.publicKeyBase64 = keys.publicKeyBase64;
    config.council.deviceToken = kDeviceToken;
    config.council.webhookSecret = keys.webhookSecret;
    config.network.connectTimeoutSeconds = 5;
    config.network.totalTimeoutSeconds = 30;

    store::StoreOptions storeOptions;
    storeOptions.databaseFile = sync::databasePath(config);
    storeOptions.kioskId = config.kioskId;
    storeOptions.referencePrefix = config.referencePrefix;
    auto opened = store::OutboxStore::open(storeOptions);
    if (!opened) throw std::runtime_error("cannot open the outbox: " + opened.error().message);
    auto& outbox = *opened.value();

    const int count = options.quick ? 300 : 10'000;
    SystemClock clock;
    for (int i = 0; i < count; ++i) {
        store::SubmissionToSeal submission;
        submission.serviceId = "missed-bin";
        submission.formId = "missed-bin";
        submission.language = "en";
        submission.destination = "kiosk-api";
        submission.answersJson = R"({"address":{"uprn":"900000100001","lines":["1 Acorn Way","Oakhurst"],)"
                                 R"("town":"Maidstone","postcode":"ME14 1AA"},"bins":["refuse","recycling"],)"
                                 R"("date":"2025-12-29","out-by-7":"yes","details":"Form )" +
                                 std::to_string(i) + R"("})";
        if (auto sealed = sync::sealForDestination(outbox, sync::destinationsFromConfig(config), submission,
                                                   clock.nowMillis());
            !sealed)
            throw std::runtime_error("sealing failed: " + sealed.error().message);
    }

    // The same requests the sync code sends, built before the clock starts for the bare loop.
    const auto webhookKey = sync::decodeWebhookSecret(config.council.webhookSecret);
    std::vector<BareRequest> bare;
    for (const auto& item : outbox.dueForDelivery(clock.nowMillis(), count)) {
        const std::int64_t now = clock.nowSeconds();
        bare.push_back(
            {item.requestBody,
             {"Content-Type: application/json", "Accept: application/json",
              "Idempotency-Key: " + item.submissionId, "Authorization: Bearer " + std::string(kDeviceToken),
              "webhook-id: " + item.submissionId, "webhook-timestamp: " + std::to_string(now),
              "webhook-signature: " +
                  sync::signWebhook(*webhookKey, item.submissionId, now, item.requestBody)}});
    }
    if (static_cast<int>(bare.size()) != count) throw std::runtime_error("not every sealed form is due");

    // The sync thread's own connection, opened as SyncWorker opens it.
    store::StoreOptions syncOptions = storeOptions;
    syncOptions.durability = store::Durability::Outcomes;
    auto syncOpened = store::OutboxStore::open(syncOptions);
    if (!syncOpened) throw std::runtime_error("cannot open the outbox: " + syncOpened.error().message);
    auto& syncOutbox = *syncOpened.value();

    auto realCouncil = startCouncil(options.fakeCouncil, home / "council-real", keys);
    config.council.apiBaseUrl = realCouncil->baseUrl();
    sync::CurlTransport curl(config.network);
    TimingTransport transport(curl);
    sync::Backoff backoff(config.network.retryBaseSeconds, config.network.retryCapSeconds);
    int delivered = 0;
    const auto start = Clock::now();
    for (int round = 0; round < 5 && delivered < count; ++round)
        delivered += sync::deliverDueSubmissions(syncOutbox, transport, config, clock, backoff).delivered;
    const double realMillis = millisSince(start);
    if (delivered != count || uniqueReceived(*realCouncil) != count)
        throw std::runtime_error("the sync code delivered " + std::to_string(delivered) + " of " +
                                 std::to_string(count));
    realCouncil->stop();

    auto bareCouncil = startCouncil(options.fakeCouncil, home / "council-bare", keys);
    const double bareMillis = bareCurlMillis(bareCouncil->baseUrl() + "/v1/submissions", bare);
    if (uniqueReceived(*bareCouncil) != count)
        throw std::runtime_error("the bare loop did not deliver everything");
    bareCouncil->stop();

    Figure throughput;
    throughput.key = "delivery.per_s";
    throughput.label = "delivery to loopback fake council";
    throughput.value = count / (realMillis / 1000.0);
    throughput.unit = "/s";
    throughput.target = 1000;
    throughput.better = Better::Higher;
    throughput.reference = count / (bareMillis / 1000.0);
    throughput.referenceLabel = "bare libcurl";
    char note[160];
    std::snprintf(note, sizeof note, "%d forms; %.0f %% of the time inside HTTP exchanges", count,
                  100.0 * transport.millis() / realMillis);
    throughput.note = note;
    figures.push_back(throughput);
}

}  // namespace kiosk::bench
