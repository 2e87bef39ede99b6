// The USB export bundle: a round trip through a real file, every kind of tampering found and
// named, and a stick that is read-only, full or pulled out mid-export leaving no file that looks
// complete and the database untouched.
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "kiosk/base64.h"
#include "store/export_bundle.h"
#include "store_test_support.h"

using namespace kiosk::store;
using namespace kiosk::store::test;
using nlohmann::json;

namespace {

constexpr std::int64_t kExportTimeMillis = kSealTimeMillis + 3'600'000;

// Stands in for a destination that keeps readable fields (stored as they are).
PayloadEncoder plainEncoder() {
    return [](const SealContext& context) -> kiosk::Result<EncodedPayload> {
        EncodedPayload encoded;
        encoded.requestBody = R"({"reference":")" + context.reference + R"(","answers":)" +
                              context.submission.answersJson + "}";
        encoded.sealedPayload = context.submission.answersJson;
        encoded.protection = PayloadProtection::None;
        return encoded;
    };
}

// Stands in for a destination that keeps its bytes under the device key until sent.
PayloadEncoder deviceKeyEncoder(const DeviceIdentity& identity) {
    return [&identity](const SealContext& context) -> kiosk::Result<EncodedPayload> {
        auto seal = [&](const std::string& plain) {
            std::string box(plain.size() + crypto_box_SEALBYTES, '\0');
            crypto_box_seal(reinterpret_cast<unsigned char*>(box.data()),
                            reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
                            identity.encryptionPublicKey().data());
            return box;
        };
        EncodedPayload encoded;
        encoded.requestBody = seal(R"({"answers":)" + context.submission.answersJson + "}");
        encoded.sealedPayload = seal(context.submission.answersJson);
        encoded.protection = PayloadProtection::DeviceKey;
        return encoded;
    };
}

std::string councilSecretBase64() {
    const auto& key = testCouncilKeyPair().secretKey;
    return kiosk::encodeBase64(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
}

// Everything a resident or the delivery loop could see of the queue, to prove an export
// changed nothing.
std::string queueSnapshot(OutboxStore& store) {
    return queryText(
        store.handle(),
        "SELECT group_concat(id || state || attempts || next_attempt_at_ms || hex(request_body) || "
        "hex(sealed_payload), '|') FROM (SELECT * FROM submissions ORDER BY id)");
}

struct ExportFixture {
    StoreFixture store;
    TemporaryDirectory keys;
    DeviceIdentity identity;
    std::unique_ptr<OutboxStore> outbox;
    std::filesystem::path usb;
    std::vector<SealedReceipt> receipts;  // waiting, held back, plain, device key; then one delivered

    ExportFixture() : identity(std::move(loadOrCreateDeviceIdentity(keys.path()).value())) {
        outbox = store.openStore();
        usb = store.directory.path() / "usb";
        std::filesystem::create_directories(usb);
        auto seal = [&](const std::string& marker, const PayloadEncoder& encoder, int minute) {
            auto receipt =
                outbox->sealSubmission(sampleSubmission(marker), encoder, kSealTimeMillis + minute * 60'000);
            REQUIRE(receipt.ok());
            receipts.push_back(*receipt);
        };
        seal("Flat 1, Waiting Street", testEncoder(), 0);
        seal("Flat 2, Held Back Road", testEncoder(), 1);
        seal("Flat 3, Plain Lane", plainEncoder(), 2);
        seal("Flat 4, Device Close", deviceKeyEncoder(identity), 3);
        seal("Flat 5, Delivered Way", testEncoder(), 4);
        const auto due = outbox->dueForDelivery(kExportTimeMillis, 10);
        REQUIRE(due.size() == 5);
        REQUIRE(outbox->recordHeldBack(due[1].rowId, "Unknown street", kSealTimeMillis).ok());
        REQUIRE(outbox->recordDelivered(due[4].rowId, "C-1", kSealTimeMillis).ok());
    }

    ExportResult exportOk() {
        auto exported =
            exportUndelivered(*outbox, identity, store.council.publicKeyBase64, usb, kExportTimeMillis);
        REQUIRE(exported.ok());
        return *exported;
    }
};

json readJson(const std::filesystem::path& file) {
    return json::parse(readFileBytes(file));
}

void writeJson(const std::filesystem::path& file, const json& value) {
    std::ofstream(file, std::ios::trunc) << value.dump(1);
}

std::vector<std::string> problemsOf(const std::filesystem::path& file) {
    auto bundle = readBundle(file);
    REQUIRE(bundle.ok());
    return findBundleProblems(*bundle);
}

bool anyContains(const std::vector<std::string>& problems, const std::string& a, const std::string& b = "") {
    for (const auto& problem : problems) {
        if (problem.find(a) != std::string::npos && problem.find(b) != std::string::npos) return true;
    }
    return false;
}

// Files in a folder whose names look like a finished bundle.
std::vector<std::string> finishedBundles(const std::filesystem::path& folder) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        const std::string name = entry.path().filename().string();
        if (name.front() != '.' && entry.path().extension() == ".json") names.push_back(name);
    }
    return names;
}

bool runningAsRoot() {
    return ::geteuid() == 0;
}

// A small tmpfs mounted on a folder for the test's lifetime (root only).
struct TmpfsMount {
    std::filesystem::path where;
    bool mounted = false;
    TmpfsMount(const std::filesystem::path& folder, const std::string& options) : where(folder) {
        const std::string command =
            "mount -t tmpfs -o " + options + " tmpfs '" + folder.string() + "' 2>/dev/null";
        mounted = std::system(command.c_str()) == 0;
    }
    ~TmpfsMount() {
        if (mounted) (void)std::system(("umount '" + where.string() + "'").c_str());
    }
};

}  // namespace

TEST_CASE("an export bundle carries every undelivered form with its exact bytes, signed", "[store][export]") {
    ExportFixture fixture;
    const std::string before = queueSnapshot(*fixture.outbox);
    const ExportResult result = fixture.exportOk();

    CHECK(result.itemCount == 4);
    CHECK(result.submissionIds ==
          std::vector<std::string>{fixture.receipts[0].submissionId, fixture.receipts[1].submissionId,
                                   fixture.receipts[2].submissionId, fixture.receipts[3].submissionId});
    REQUIRE(std::filesystem::exists(result.file));
    CHECK(result.file.parent_path() == fixture.usb);
    CHECK(result.file.filename().string().rfind("council-kiosk-export-test-kiosk-01-", 0) == 0);
    CHECK(std::filesystem::file_size(result.file) == result.bytes);
    CHECK(finishedBundles(fixture.usb).size() == 1);
    int files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(fixture.usb)) ++files;
    CHECK(files == 1);  // no temporary file left behind
    CHECK(queueSnapshot(*fixture.outbox) == before);

    // No resident's answer is readable in the file.
    const std::string fileBytes = readFileBytes(result.file);
    for (const char* marker :
         {"Waiting Street", "Held Back Road", "Plain Lane", "Device Close", "07700 900982"}) {
        CHECK(fileBytes.find(marker) == std::string::npos);
    }

    auto bundle = readBundle(result.file);
    REQUIRE(bundle.ok());
    CHECK(findBundleProblems(*bundle).empty());
    CHECK(verifyBundle(*bundle).ok());
    CHECK(bundle->kioskId == "test-kiosk-01");
    CHECK(bundle->deviceFingerprint == fixture.identity.fingerprint());
    CHECK(bundle->deviceSigningPublicKey == fixture.identity.signingPublicKey());
    CHECK(bundle->createdAtMillis == kExportTimeMillis);
    REQUIRE(bundle->items.size() == 4);
    CHECK(bundle->items[1].state == "held_back");
    CHECK(bundle->items[0].reference == fixture.receipts[0].reference);

    // Items sealed to the council carry the very bytes the kiosk stored and would have sent.
    const auto stored = fixture.outbox->undeliveredWithPayloads();
    REQUIRE(stored.size() == 4);
    for (int i : {0, 1}) {
        CHECK_FALSE(bundle->items[i].sealedInBundle);
        CHECK(bundle->items[i].protection == "sealed_to_council");
        CHECK(bundle->items[i].requestBody == stored[i].requestBody);
        CHECK(bundle->items[i].sealedPayload == stored[i].sealedPayload);
    }
    // The others were sealed to the council inside the bundle.
    for (int i : {2, 3}) {
        CHECK(bundle->items[i].sealedInBundle);
        CHECK(bundle->items[i].requestBody != stored[i].requestBody);
    }
    CHECK(bundle->items[2].protection == "none");
    CHECK(bundle->items[3].protection == "device_key");

    auto lines = openBundle(*bundle, councilSecretBase64());
    REQUIRE(lines.ok());
    REQUIRE(lines->size() == 4);
    const char* addresses[] = {"Flat 1, Waiting Street", "Flat 2, Held Back Road", "Flat 3, Plain Lane",
                               "Flat 4, Device Close"};
    for (std::size_t i = 0; i < 4; ++i) {
        const json line = json::parse((*lines)[i]);
        CHECK(line.at("answers").at("address") == addresses[i]);
        CHECK(line.at("reference") == fixture.receipts[i].reference);
        CHECK(line.at("submissionId") == fixture.receipts[i].submissionId);
        CHECK(line.at("kioskId") == "test-kiosk-01");
    }
}

TEST_CASE("a bundle does not open with another council key", "[store][export]") {
    ExportFixture fixture;
    const ExportResult result = fixture.exportOk();
    auto bundle = readBundle(result.file);
    REQUIRE(bundle.ok());
    const CouncilKeyPair other = makeCouncilKeyPair();
    auto lines = openBundle(
        *bundle, kiosk::encodeBase64(std::string_view(reinterpret_cast<const char*>(other.secretKey.data()),
                                                      other.secretKey.size())));
    REQUIRE_FALSE(lines.ok());
    CHECK(lines.error().code == kiosk::ErrorCode::BundleCannotBeOpened);
    CHECK(lines.error().message.find(fixture.receipts[0].reference) != std::string::npos);
    auto garbage = openBundle(*bundle, "not a key");
    REQUIRE_FALSE(garbage.ok());
    CHECK(garbage.error().code == kiosk::ErrorCode::NoCouncilKey);
}

TEST_CASE("tampering with a bundle is found and named", "[store][export]") {
    ExportFixture fixture;
    const ExportResult result = fixture.exportOk();
    json file = readJson(result.file);
    REQUIRE(problemsOf(result.file).empty());
    const std::string firstReference = fixture.receipts[0].reference;
    const std::string secondReference = fixture.receipts[1].reference;

    SECTION("a changed manifest byte breaks the signature") {
        std::string manifest = *kiosk::decodeBase64(file["manifest"].get<std::string>());
        const auto at = manifest.find(secondReference);
        REQUIRE(at != std::string::npos);
        manifest[at + secondReference.size() - 1] =
            manifest[at + secondReference.size() - 1] == 'A' ? 'B' : 'A';
        file["manifest"] = kiosk::encodeBase64(manifest);
        writeJson(result.file, file);
        const auto problems = problemsOf(result.file);
        CHECK(anyContains(problems, "signature:", "changed"));
    }
    SECTION("a changed byte of an item is named by its reference") {
        std::string body = *kiosk::decodeBase64(file["items"][1]["requestBody"].get<std::string>());
        body[body.size() / 2] = static_cast<char>(body[body.size() / 2] ^ 0x01);
        file["items"][1]["requestBody"] = kiosk::encodeBase64(body);
        writeJson(result.file, file);
        const auto problems = problemsOf(result.file);
        REQUIRE(problems.size() == 1);
        CHECK(anyContains(problems, secondReference, "request body"));
        CHECK(anyContains(problems, fixture.receipts[1].submissionId));
        auto bundle = readBundle(result.file);
        REQUIRE(bundle.ok());
        auto verified = verifyBundle(*bundle);
        REQUIRE_FALSE(verified.ok());
        CHECK(verified.error().code == kiosk::ErrorCode::BundleInvalid);
        CHECK(openBundle(*bundle, councilSecretBase64()).error().code == kiosk::ErrorCode::BundleInvalid);
    }
    SECTION("a removed item is named") {
        file["items"].erase(0);
        writeJson(result.file, file);
        const auto problems = problemsOf(result.file);
        REQUIRE(problems.size() == 1);
        CHECK(anyContains(problems, firstReference, "removed"));
    }
    SECTION("an added item is named") {
        json extra = file["items"][0];
        extra["submissionId"] = "99999999-9999-4999-8999-999999999999";
        file["items"].push_back(extra);
        writeJson(result.file, file);
        CHECK(anyContains(problemsOf(result.file), "99999999-9999-4999-8999-999999999999", "added"));
    }
    SECTION("a signature by another key is refused") {
        TemporaryDirectory otherKeys;
        auto other = loadOrCreateDeviceIdentity(otherKeys.path());
        REQUIRE(other.ok());
        file["signature"] =
            kiosk::encodeBase64(other->sign(*kiosk::decodeBase64(file["manifest"].get<std::string>())));
        writeJson(result.file, file);
        const auto problems = problemsOf(result.file);
        REQUIRE(problems.size() == 1);
        CHECK(anyContains(problems, "signature:"));
    }
    SECTION("a file cut short is not a bundle at all") {
        const std::string bytes = readFileBytes(result.file);
        std::ofstream(result.file, std::ios::trunc) << bytes.substr(0, bytes.size() / 2);
        auto bundle = readBundle(result.file);
        REQUIRE_FALSE(bundle.ok());
        CHECK(bundle.error().code == kiosk::ErrorCode::BundleInvalid);
    }
}

TEST_CASE("nothing waiting writes no file", "[store][export]") {
    StoreFixture store;
    auto outbox = store.openStore();
    TemporaryDirectory keys;
    auto identity = loadOrCreateDeviceIdentity(keys.path());
    REQUIRE(identity.ok());
    auto exported =
        exportUndelivered(*outbox, *identity, store.council.publicKeyBase64, keys.path(), kExportTimeMillis);
    REQUIRE(exported.ok());
    CHECK(exported->itemCount == 0);
    CHECK(exported->file.empty());
    CHECK(finishedBundles(keys.path()).empty());
}

TEST_CASE("a missing folder or a bad council key is a clear error", "[store][export]") {
    ExportFixture fixture;
    auto missing = exportUndelivered(*fixture.outbox, fixture.identity, fixture.store.council.publicKeyBase64,
                                     fixture.usb / "not-there", kExportTimeMillis);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == kiosk::ErrorCode::ExportFolderMissing);
    CHECK(missing.error().message.find("USB stick") != std::string::npos);
    auto noKey = exportUndelivered(*fixture.outbox, fixture.identity, "", fixture.usb, kExportTimeMillis);
    REQUIRE_FALSE(noKey.ok());
    CHECK(noKey.error().code == kiosk::ErrorCode::NoCouncilKey);
    CHECK(finishedBundles(fixture.usb).empty());
}

TEST_CASE("a USB stick pulled out mid-export leaves no complete-looking file and the queue untouched",
          "[store][export]") {
    ExportFixture fixture;
    const std::string before = queueSnapshot(*fixture.outbox);
    const auto pulled = fixture.store.directory.path() / "stick-elsewhere";
    ExportHooks hooks;
    // The path goes away between the synced write and the rename, as an unplugged stick does.
    hooks.beforeRename = [&](const std::filesystem::path& temporary) {
        CHECK(std::filesystem::exists(temporary));
        std::filesystem::rename(fixture.usb, pulled);
    };
    auto exported =
        exportUndelivered(*fixture.outbox, fixture.identity, fixture.store.council.publicKeyBase64,
                          fixture.usb, kExportTimeMillis, hooks);
    REQUIRE_FALSE(exported.ok());
    CHECK(exported.error().code == kiosk::ErrorCode::ExportFolderMissing);
    CHECK(exported.error().message.find("was the USB stick removed?") != std::string::npos);
    CHECK(exported.error().message.find("Nothing on the kiosk was changed") != std::string::npos);
    CHECK(finishedBundles(pulled).empty());  // only a hidden .partial, never a finished name
    CHECK(queueSnapshot(*fixture.outbox) == before);
}

TEST_CASE("a read-only USB stick is a clear error", "[store][export]") {
    ExportFixture fixture;
    const std::string before = queueSnapshot(*fixture.outbox);
    std::optional<TmpfsMount> mount;
    if (runningAsRoot()) {
        // Permissions do not stop root: a read-only file system does.
        mount.emplace(fixture.usb, "ro,size=64k");
        if (!mount->mounted) {
            WARN("cannot mount a read-only tmpfs here; the read-only case was not checked");
            return;
        }
    } else {
        REQUIRE(::chmod(fixture.usb.c_str(), 0555) == 0);
    }
    auto exported = exportUndelivered(*fixture.outbox, fixture.identity,
                                      fixture.store.council.publicKeyBase64, fixture.usb, kExportTimeMillis);
    REQUIRE_FALSE(exported.ok());
    CHECK(exported.error().code == kiosk::ErrorCode::ReadOnly);
    CHECK(exported.error().message.find("read-only") != std::string::npos);
    CHECK(std::filesystem::is_empty(fixture.usb));
    CHECK(queueSnapshot(*fixture.outbox) == before);
    if (!runningAsRoot()) ::chmod(fixture.usb.c_str(), 0755);
}

TEST_CASE("a full USB stick is a clear error and the partial file is removed", "[store][export]") {
    ExportFixture fixture;
    // Forms large enough that the bundle cannot fit in 8 KiB.
    for (int i = 0; i < 3; ++i) {
        REQUIRE(fixture.outbox
                    ->sealSubmission(sampleSubmission(std::string(4000, 'x')), testEncoder(), kSealTimeMillis)
                    .ok());
    }
    const std::string before = queueSnapshot(*fixture.outbox);
    if (!runningAsRoot()) {
        WARN("a full file system needs a small tmpfs, which needs root; the full-stick case was not checked");
        return;
    }
    TmpfsMount mount(fixture.usb, "size=8k");
    if (!mount.mounted) {
        WARN("cannot mount a small tmpfs here; the full-stick case was not checked");
        return;
    }
    auto exported = exportUndelivered(*fixture.outbox, fixture.identity,
                                      fixture.store.council.publicKeyBase64, fixture.usb, kExportTimeMillis);
    REQUIRE_FALSE(exported.ok());
    CHECK(exported.error().code == kiosk::ErrorCode::DiskFull);
    CHECK(exported.error().message.find("full") != std::string::npos);
    CHECK(std::filesystem::is_empty(fixture.usb));  // the temporary file was removed
    CHECK(queueSnapshot(*fixture.outbox) == before);
}
