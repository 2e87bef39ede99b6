// KioskApp and its database: a kiosk that starts while its database cannot be opened (a full
// disk, a data directory that is not there yet) shows the seal-failed screen on Send, and sends
// again as soon as the storage is fixed, without a restart.
#include <sodium.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>

#include "flow_test_pack.h"
#include "kiosk/base64.h"
#include "kiosk/platform/kiosk_app.h"
#include "store/outbox_store.h"

using namespace kiosk;

namespace {

std::string councilPublicKey() {
    REQUIRE(sodium_init() >= 0);
    unsigned char publicKey[crypto_box_PUBLICKEYBYTES];
    unsigned char secretKey[crypto_box_SECRETKEYBYTES];
    crypto_box_keypair(publicKey, secretKey);
    return encodeBase64(std::string_view(reinterpret_cast<const char*>(publicKey), sizeof publicKey));
}

struct TemporaryDirectory {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("kiosk-app-storage-" + std::to_string(std::random_device{}()));
    TemporaryDirectory() { std::filesystem::create_directories(path); }
    ~TemporaryDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(path, ignored);
    }
};

}  // namespace

TEST_CASE("A kiosk whose database could not open at start-up seals once the storage is fixed",
          "[app][storage]") {
    TemporaryDirectory directory;
    // A plain file where the data directory's parent should be: nothing can be created under it,
    // as on a full disk or an unmounted data volume.
    const auto blocker = directory.path / "volume";
    std::ofstream(blocker) << "not a directory";

    platform::KioskApp app;
    app.config.kioskId = "storage-test-kiosk";
    app.config.referencePrefix = "TST";
    app.config.packDirectory = directory.path / "no-pack";  // replaced by the test pack below
    app.config.dataDirectory = blocker / "data";
    app.config.council.publicKeyBase64 = councilPublicKey();
    VirtualClock clock;
    platform::prepareKiosk(app, clock, /*headless=*/true);
    REQUIRE(app.outbox->store() == nullptr);

    const auto apply = [&](const Intent& intent) { platform::dispatch(app, intent); };
    app.pack = testing::makeFlowTestPack();
    app.state.pack = &*app.pack;
    apply(SetOutOfOrder{false});
    apply(Begin{});
    apply(ChooseLanguage{"en"});
    apply(resident::ChooseService{"missed-bin"});
    apply(resident::StartForm{});
    apply(resident::EditField{resident::Field::Postcode, "me14 4aa"});
    apply(resident::Continue{});
    apply(resident::ChooseAddress{"200000000002"});
    apply(resident::Continue{});
    apply(resident::ToggleChoice{"refuse"});
    apply(resident::Continue{});
    apply(resident::EditField{resident::Field::Text, "Ada Lovelace"});
    apply(resident::Continue{});
    REQUIRE(std::string(screenName(app.state)) == "check-answers");

    apply(resident::Send{});
    CHECK(std::string(screenName(app.state)) == "seal-failed");
    CHECK(app.state.resident.reference.empty());

    SECTION("still broken: Try again fails the same way") {
        apply(resident::Send{});
        CHECK(std::string(screenName(app.state)) == "seal-failed");
        CHECK(app.outbox->store() == nullptr);
    }
    SECTION("fixed: Try again seals the answers that were kept") {
        std::filesystem::remove(blocker);
        apply(resident::Send{});
        REQUIRE(std::string(screenName(app.state)) == "confirmation");
        CHECK(app.state.resident.reference.rfind("TST-", 0) == 0);
        REQUIRE(app.outbox->store() != nullptr);
        CHECK(app.outbox->store()->counts().waiting == 1);
        const auto sealed = app.outbox->store()->findByReference(app.state.resident.reference);
        REQUIRE(sealed.has_value());
        CHECK(sealed->serviceId == "missed-bin");
    }
}
