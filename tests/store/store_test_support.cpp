// Temporary directories, council keys, sample submissions and raw database reads for store tests.
#include "store_test_support.h"

#include <sodium.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "kiosk/base64.h"

namespace kiosk::store::test {

TemporaryDirectory::TemporaryDirectory() {
    REQUIRE(sodium_init() >= 0);
    unsigned char random[8];
    randombytes_buf(random, sizeof random);
    std::string name = "kiosk-store-test-" + std::to_string(::getpid()) + "-";
    for (unsigned char byte : random) name += "0123456789abcdef"[byte & 0x0f];
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::create_directories(path_);
}

TemporaryDirectory::~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

CouncilKeyPair makeCouncilKeyPair() {
    REQUIRE(sodium_init() >= 0);
    CouncilKeyPair pair;
    crypto_box_keypair(pair.publicKey.data(), pair.secretKey.data());
    char text[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(text, sizeof text, pair.publicKey.data(), pair.publicKey.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    pair.publicKeyBase64 = text;
    return pair;
}

const CouncilKeyPair& testCouncilKeyPair() {
    static const CouncilKeyPair pair = makeCouncilKeyPair();
    return pair;
}

PayloadEncoder testEncoder(const CouncilKeyPair& council) {
    return [publicKey = council.publicKey](const SealContext& context) -> kiosk::Result<EncodedPayload> {
        const std::string& answers = context.submission.answersJson;
        EncodedPayload encoded;
        encoded.sealedPayload.resize(answers.size() + crypto_box_SEALBYTES);
        crypto_box_seal(reinterpret_cast<unsigned char*>(encoded.sealedPayload.data()),
                        reinterpret_cast<const unsigned char*>(answers.data()), answers.size(),
                        publicKey.data());
        const SubmissionToSeal& submission = context.submission;
        const nlohmann::json body = {
            {"submissionId", context.submissionId},
            {"reference", context.reference},
            {"kioskId", context.kioskId},
            {"createdAtMillis", context.createdAtMillis},
            {"serviceId", submission.serviceId},
            {"formId", submission.formId},
            {"formVersion", submission.formVersion},
            {"language", submission.language},
            {"assisted", submission.assisted},
            {"volunteerId", submission.volunteerId},
            {"payload", {{"ciphertext", kiosk::encodeBase64(encoded.sealedPayload)}}},
        };
        encoded.requestBody = body.dump();
        encoded.protection = PayloadProtection::SealedToCouncil;
        return encoded;
    };
}

StoreFixture::StoreFixture() {
    // A subdirectory that does not exist yet: open() must create it.
    options.databaseFile = directory.path() / "data" / "kiosk.db";
    options.kioskId = "test-kiosk-01";
    options.referencePrefix = "MK1";
}

std::unique_ptr<OutboxStore> StoreFixture::openStore() const {
    auto opened = OutboxStore::open(options);
    INFO((opened ? std::string()
                 : std::string(errorCodeName(opened.error().code)) + ": " + opened.error().message));
    REQUIRE(opened.ok());
    return std::move(opened.value());
}

SubmissionToSeal sampleSubmission(const std::string& marker) {
    SubmissionToSeal submission;
    submission.serviceId = "missed-bin";
    submission.formId = "missed-bin-report";
    submission.formVersion = 3;
    submission.language = "en";
    submission.destination = "kiosk-api";
    submission.answersJson = R"({"address":")" + marker + R"(","bins":["garden"],"phone":"07700 900982"})";
    return submission;
}

std::string openSealedBox(const std::string& ciphertext, const CouncilKeyPair& council) {
    if (ciphertext.size() < crypto_box_SEALBYTES) return {};
    std::string plaintext(ciphertext.size() - crypto_box_SEALBYTES, '\0');
    int rc = crypto_box_seal_open(reinterpret_cast<unsigned char*>(plaintext.data()),
                                  reinterpret_cast<const unsigned char*>(ciphertext.data()),
                                  ciphertext.size(), council.publicKey.data(), council.secretKey.data());
    return rc == 0 ? plaintext : std::string();
}

std::string base64Decode(const std::string& text) {
    return kiosk::decodeBase64(text).value_or(std::string());
}

std::string readFileBytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {};
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool databaseFilesContain(const std::filesystem::path& databaseFile, const std::string& needle) {
    for (const auto& file : {databaseFile, std::filesystem::path(databaseFile.string() + "-wal")}) {
        if (readFileBytes(file).find(needle) != std::string::npos) return true;
    }
    return false;
}

std::string queryText(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    std::string value;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
        value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return value;
}

std::int64_t queryInt(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    std::int64_t value = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return value;
}

std::string integrityCheck(sqlite3* db) {
    return queryText(db, "PRAGMA integrity_check");
}

int executeSql(sqlite3* db, const std::string& sql) {
    return sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) & 0xff;
}

}  // namespace kiosk::store::test
