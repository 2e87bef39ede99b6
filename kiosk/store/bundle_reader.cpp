// Reading an export bundle, checking it (signature, every item's hashes and sizes, the count)
// and opening its answers with the council's secret key. Runs on the council's machine as well
// as the kiosk, so every problem is explained in words and names the item it concerns.
#include <sodium.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "bundle_format.h"
#include "kiosk/base64.h"
#include "store/export_bundle.h"

namespace kiosk::store {
namespace {

using nlohmann::json;

// Bundles hold forms of a few kilobytes each; anything this large is not one of ours.
constexpr std::uintmax_t kMaxBundleBytes = 1024ULL * 1024 * 1024;

Error invalid(const std::filesystem::path& file, const std::string& why) {
    return Error{ErrorCode::BundleInvalid,
                 file.string() + " is not a Council Kiosk export bundle: " + why + "."};
}

std::string itemName(const BundleItem& item) {
    return "item " + item.reference + " (" + item.submissionId + ")";
}

// Fills one manifest item; false (with `why`) when a field is missing or of the wrong type.
bool readManifestItem(const json& entry, BundleItem& item, std::string& why) {
    try {
        item.submissionId = entry.at("submissionId").get<std::string>();
        item.reference = entry.at("reference").get<std::string>();
        item.serviceId = entry.at("serviceId").get<std::string>();
        item.formId = entry.at("formId").get<std::string>();
        item.formVersion = entry.at("formVersion").get<int>();
        item.language = entry.at("language").get<std::string>();
        item.destination = entry.at("destination").get<std::string>();
        item.protection = entry.at("protection").get<std::string>();
        const std::string encryption = entry.at("bundleEncryption").get<std::string>();
        if (encryption != bundle::kBundleEncryptionNone && encryption != bundle::kBundleEncryptionSealedBox) {
            why = "unknown bundleEncryption \"" + encryption + "\"";
            return false;
        }
        item.sealedInBundle = encryption == bundle::kBundleEncryptionSealedBox;
        item.state = entry.at("state").get<std::string>();
        item.createdAtMillis = entry.at("createdAtMillis").get<std::int64_t>();
        item.requestBodyDeclared = {entry.at("requestBody").at("sha256").get<std::string>(),
                                    entry.at("requestBody").at("size").get<std::uint64_t>()};
        item.sealedPayloadDeclared = {entry.at("sealedPayload").at("sha256").get<std::string>(),
                                      entry.at("sealedPayload").at("size").get<std::uint64_t>()};
    } catch (const json::exception& error) {
        why = error.what();
        return false;
    }
    return true;
}

// Parses the signed manifest into `bundle`; problems go to bundle.readProblems.
void readManifest(BundleContents& bundle) {
    const json manifest = json::parse(bundle.manifestBytes, nullptr, false);
    if (manifest.is_discarded() || !manifest.is_object()) {
        bundle.readProblems.push_back("manifest: it is not valid JSON, so it was damaged or changed");
        return;
    }
    try {
        if (manifest.at("format").get<std::string>() != bundle::kManifestFormat ||
            manifest.at("formatVersion").get<int>() != kBundleFormatVersion) {
            bundle.readProblems.push_back("manifest: it is not a version " +
                                          std::to_string(kBundleFormatVersion) + " Council Kiosk manifest");
            return;
        }
        bundle.kioskId = manifest.at("kioskId").get<std::string>();
        bundle.createdAtMillis = manifest.at("createdAtMillis").get<std::int64_t>();
        bundle.declaredItemCount = manifest.at("itemCount").get<int>();
        const auto key = bundle::decodeKey32(manifest.at("deviceSigningPublicKey").get<std::string>());
        if (!key) {
            bundle.readProblems.push_back("manifest: deviceSigningPublicKey is not a 32-byte base64 key");
        } else {
            bundle.deviceSigningPublicKey = *key;
            bundle.deviceFingerprint = signingKeyFingerprint(*key);
        }
        int index = 0;
        for (const auto& entry : manifest.at("items")) {
            BundleItem item;
            std::string why;
            if (!readManifestItem(entry, item, why)) {
                bundle.readProblems.push_back("manifest: item " + std::to_string(index + 1) +
                                              " is incomplete (" + why + ")");
            } else {
                bundle.items.push_back(std::move(item));
            }
            ++index;
        }
    } catch (const json::exception& error) {
        bundle.readProblems.push_back(std::string("manifest: a field is missing or of the wrong type (") +
                                      error.what() + ")");
    }
}

// Attaches the file's bytes to the manifest items by submission id.
void readItemBytes(const json& fileItems, BundleContents& bundle) {
    std::map<std::string, BundleItem*> bySubmissionId;
    for (auto& item : bundle.items) bySubmissionId.emplace(item.submissionId, &item);
    std::set<std::string> seen;
    for (const auto& entry : fileItems) {
        if (!entry.is_object() || !entry.contains("submissionId") || !entry["submissionId"].is_string()) {
            bundle.readProblems.push_back("items: an entry has no submissionId");
            continue;
        }
        const std::string submissionId = entry["submissionId"].get<std::string>();
        if (!seen.insert(submissionId).second) {
            bundle.readProblems.push_back("item " + submissionId + ": the file carries it twice");
            continue;
        }
        const auto listed = bySubmissionId.find(submissionId);
        if (listed == bySubmissionId.end()) {
            bundle.unlistedSubmissionIds.push_back(submissionId);
            continue;
        }
        BundleItem& item = *listed->second;
        const auto text = [&](const char* field) -> std::optional<std::string> {
            if (!entry.contains(field) || !entry[field].is_string()) return std::nullopt;
            return decodeBase64(entry[field].get<std::string>());
        };
        auto requestBody = text("requestBody");
        auto sealedPayload = text("sealedPayload");
        if (!requestBody || !sealedPayload) {
            bundle.readProblems.push_back(itemName(item) + ": its bytes are missing or not base64");
            continue;
        }
        item.bytesPresent = true;
        item.requestBody = std::move(*requestBody);
        item.sealedPayload = std::move(*sealedPayload);
    }
}

void checkBytes(const BundleItem& item, const char* part, const std::string& bytes,
                const DeclaredBytes& declared, std::vector<std::string>& problems) {
    const std::string actual = bundle::sha256Hex(bytes);
    if (bytes.size() == declared.size && actual == declared.sha256) return;
    problems.push_back(itemName(item) + ": the " + part + " is " + std::to_string(bytes.size()) +
                       " bytes with SHA-256 " + actual.substr(0, 16) + "..., but the signed manifest says " +
                       std::to_string(declared.size) + " bytes with " + declared.sha256.substr(0, 16) +
                       "...: it was changed or damaged after export");
}

}  // namespace

Result<BundleContents> readBundle(const std::filesystem::path& file) {
    std::error_code error;
    const auto size = std::filesystem::file_size(file, error);
    if (error) {
        return Error{ErrorCode::Unreadable, "Cannot read " + file.string() + " (" + error.message() + ")."};
    }
    if (size > kMaxBundleBytes) return invalid(file, "it is larger than any bundle a kiosk writes");
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return Error{ErrorCode::Unreadable, "Cannot read " + file.string() + "."};

    const json outer = json::parse(text.str(), nullptr, false);
    if (outer.is_discarded() || !outer.is_object()) return invalid(file, "it is not JSON (is it cut short?)");
    if (outer.value("format", "") != kBundleFormat)
        return invalid(file, "its format is not \"" + std::string(kBundleFormat) + "\"");
    if (!outer.contains("formatVersion") || !outer["formatVersion"].is_number_integer()) {
        return invalid(file, "it has no formatVersion");
    }
    if (outer["formatVersion"].get<int>() != kBundleFormatVersion) {
        return invalid(file, "it is format version " + std::to_string(outer["formatVersion"].get<int>()) +
                                 ", and this program reads version " + std::to_string(kBundleFormatVersion) +
                                 " (update it)");
    }
    if (!outer.contains("manifest") || !outer["manifest"].is_string() || !outer.contains("signature") ||
        !outer["signature"].is_string() || !outer.contains("items") || !outer["items"].is_array()) {
        return invalid(file, "manifest, signature or items is missing");
    }

    BundleContents bundle;
    auto manifest = decodeBase64(outer["manifest"].get<std::string>());
    if (!manifest) return invalid(file, "its manifest is not base64");
    bundle.manifestBytes = std::move(*manifest);
    auto signature = decodeBase64(outer["signature"].get<std::string>());
    if (signature) bundle.signature = std::move(*signature);
    readManifest(bundle);
    readItemBytes(outer["items"], bundle);
    return bundle;
}

std::vector<std::string> findBundleProblems(const BundleContents& bundle) {
    std::vector<std::string> problems;
    if (sodium_init() < 0) {
        problems.push_back("libsodium could not be initialised, so nothing could be checked");
        return problems;
    }
    const bool signatureOk =
        bundle.signature.size() == crypto_sign_BYTES &&
        crypto_sign_verify_detached(reinterpret_cast<const unsigned char*>(bundle.signature.data()),
                                    reinterpret_cast<const unsigned char*>(bundle.manifestBytes.data()),
                                    bundle.manifestBytes.size(), bundle.deviceSigningPublicKey.data()) == 0;
    if (!signatureOk) {
        problems.push_back(
            "signature: it does not match the manifest and the kiosk key the manifest names; the "
            "manifest was changed after export or signed by another key");
    }
    problems.insert(problems.end(), bundle.readProblems.begin(), bundle.readProblems.end());
    if (static_cast<std::size_t>(bundle.declaredItemCount) != bundle.items.size()) {
        problems.push_back("manifest: it says " + std::to_string(bundle.declaredItemCount) +
                           " items but lists " + std::to_string(bundle.items.size()));
    }
    std::set<std::string> listed;
    for (const auto& item : bundle.items) {
        if (!listed.insert(item.submissionId).second) {
            problems.push_back(itemName(item) + ": the manifest lists it twice");
            continue;
        }
        if (!item.bytesPresent) {
            problems.push_back(itemName(item) +
                               ": the manifest lists it but the file does not carry its bytes "
                               "(it was removed)");
            continue;
        }
        checkBytes(item, "request body", item.requestBody, item.requestBodyDeclared, problems);
        checkBytes(item, "sealed payload", item.sealedPayload, item.sealedPayloadDeclared, problems);
    }
    for (const auto& submissionId : bundle.unlistedSubmissionIds) {
        problems.push_back("item " + submissionId +
                           ": the file carries it but the signed manifest does not list it "
                           "(it was added after export)");
    }
    return problems;
}

Status verifyBundle(const BundleContents& bundle) {
    const auto problems = findBundleProblems(bundle);
    if (problems.empty()) return Done{};
    std::string message = "The bundle failed its checks (" + std::to_string(problems.size()) +
                          (problems.size() == 1 ? " problem" : " problems") + "): ";
    for (std::size_t i = 0; i < problems.size(); ++i) message += (i > 0 ? "; " : "") + problems[i];
    return Error{ErrorCode::BundleInvalid, message};
}

Result<std::vector<std::string>> openBundle(const BundleContents& bundle,
                                            const std::string& councilSecretKeyBase64) {
    if (auto verified = verifyBundle(bundle); !verified) return verified.error();
    auto secretKey = bundle::decodeKey32(councilSecretKeyBase64);
    if (!secretKey) {
        return Error{ErrorCode::NoCouncilKey,
                     "The council secret key is not a 32-byte base64 key; give the council.key file that "
                     "`kioskctl keys generate` wrote."};
    }
    unsigned char publicKey[crypto_box_PUBLICKEYBYTES];
    crypto_scalarmult_base(publicKey, secretKey->data());

    std::vector<std::string> lines;
    Result<std::vector<std::string>> outcome = lines;
    for (const auto& item : bundle.items) {
        // Either way the answers are one sealed box to the council: the kiosk's own for items
        // sealed at the kiosk, the bundle's for the rest.
        const std::string& ciphertext = item.sealedPayload;
        std::string answers(
            ciphertext.size() >= crypto_box_SEALBYTES ? ciphertext.size() - crypto_box_SEALBYTES : 0, '\0');
        if (ciphertext.size() < crypto_box_SEALBYTES ||
            crypto_box_seal_open(reinterpret_cast<unsigned char*>(answers.data()),
                                 reinterpret_cast<const unsigned char*>(ciphertext.data()), ciphertext.size(),
                                 publicKey, secretKey->data()) != 0) {
            outcome = Error{ErrorCode::BundleCannotBeOpened,
                            itemName(item) +
                                " does not open with this council key; is it the secret key that "
                                "matches the public key this kiosk was configured with?"};
            break;
        }
        json line = {
            {"kioskId", bundle.kioskId},   {"submissionId", item.submissionId},
            {"reference", item.reference}, {"serviceId", item.serviceId},
            {"formId", item.formId},       {"formVersion", item.formVersion},
            {"language", item.language},   {"destination", item.destination},
            {"state", item.state},         {"createdAt", bundle::utcTimestamp(item.createdAtMillis)},
        };
        json parsed = json::parse(answers, nullptr, false);
        if (!parsed.is_discarded()) {
            line["answers"] = std::move(parsed);
        } else {
            line["answersText"] = answers;
        }
        try {
            lines.push_back(line.dump());
        } catch (const json::exception&) {
            // Not UTF-8 text: given as base64 so nothing is lost.
            line.erase("answersText");
            line["answersBase64"] = encodeBase64(answers);
            lines.push_back(line.dump());
        }
        sodium_memzero(answers.data(), answers.size());
    }
    sodium_memzero(secretKey->data(), secretKey->size());
    if (!outcome) return outcome;
    return lines;
}

}  // namespace kiosk::store
