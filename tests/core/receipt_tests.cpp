// The printed receipt: its content from the pack (receipt.h), UK time on it, and the
// confirmation's print button through the flow reducer (kiosk_flow.h): printing, printed,
// failed, a second tap while printing, and answers that arrive after the resident has gone.
#include <catch2/catch.hpp>
#include <string>

#include "flow_test_pack.h"
#include "kiosk/kiosk_flow.h"
#include "kiosk/receipt.h"

using namespace kiosk;

namespace {

constexpr std::int64_t kStart = 1'767'225'600'000;  // 2026-01-01 00:00 UTC

const ContentPack& samplePack() {
    static const ContentPack pack = [] {
        PackLoadResult loaded = loadContentPack(KIOSK_SAMPLE_PACK);
        REQUIRE(loaded.problems.empty());
        return std::move(*loaded.pack);
    }();
    return pack;
}

// Every text on the receipt, one after another, for checks that something is nowhere on it.
std::string allText(const ReceiptContent& receipt) {
    std::string text = receipt.councilName + "\n" + receipt.title + "\n" + receipt.serviceLabel + "\n" +
                       receipt.serviceTitle + "\n" + receipt.referenceLabel + "\n" + receipt.reference +
                       "\n" + receipt.sentLabel + "\n" + receipt.sentAt + "\n" + receipt.qrHint + "\n" +
                       receipt.qrText;
    for (const ReceiptSection& section : receipt.sections)
        text += "\n" + section.heading + "\n" + section.body;
    return text;
}

struct Flow {
    ContentPack pack = testing::makeFlowTestPack();
    KioskState state;
    std::int64_t now = kStart;

    Flow() {
        state.pack = &pack;
        state.settings.receiptPrinter = true;
        pack.councils[0].trackingUrl = "https://borough.example/track/{reference}";
    }
    Flow(const Flow&) = delete;
    Commands apply(const Intent& intent) { return reduce(state, intent, now); }

    // A missed bin sent, with a name a receipt must never carry.
    void sendMissedBin(const std::string& reference = "SD1-0A4G-7RX") {
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
        apply(resident::Send{});
        now += 1500;
        apply(resident::SealSucceeded{reference});
        REQUIRE(std::string(screenName(state)) == "confirmation");
    }
};

}  // namespace

TEST_CASE("A receipt carries the council, service, reference, time, next steps, contact and QR text",
          "[receipt]") {
    // 2026-03-14 10:05 UTC is GMT in the UK.
    const ReceiptContent receipt =
        buildReceipt(samplePack(), ReceiptRequest{"SD1-0A4G-7RX", "missed-bin", "en", 1'773'482'700'000});
    CHECK(receipt.councilName == "Sample District Council");
    CHECK(receipt.serviceLabel == "Service");
    CHECK(receipt.serviceTitle == "Report a missed bin collection");
    CHECK_FALSE(receipt.title.empty());
    CHECK(receipt.referenceLabel == "Your reference number");
    CHECK(receipt.reference == "SD1-0A4G-7RX");
    CHECK(receipt.sentLabel == "Sent");
    CHECK(receipt.sentAt == "14/03/2026 at 10:05");
    REQUIRE(receipt.sections.size() == 2);
    CHECK(receipt.sections[0].heading == "What happens next");
    CHECK_FALSE(receipt.sections[0].body.empty());
    CHECK(receipt.sections[1].heading == "If you need to contact the council");
    CHECK(receipt.sections[1].body.find("01632 960 000") != std::string::npos);
    CHECK(receipt.qrText == "https://sample-district.example/track?ref=SD1-0A4G-7RX");
    CHECK(allText(receipt).find("{") == std::string::npos);  // no placeholder left unfilled
}

TEST_CASE("A Nepali resident's receipt is in Nepali, with the reference and QR text unchanged", "[receipt]") {
    const ReceiptContent receipt =
        buildReceipt(samplePack(), ReceiptRequest{"SD1-0A4G-7RX", "missed-bin", "ne", 1'773'482'700'000});
    CHECK(receipt.language == "ne");
    CHECK(receipt.referenceLabel == samplePack().text("confirmation.reference-label", "ne"));
    CHECK(receipt.referenceLabel != samplePack().text("confirmation.reference-label", "en"));
    CHECK(receipt.serviceTitle == samplePack().findService("missed-bin")->title.in("ne"));
    CHECK(receipt.sentAt == "2026-03-14, 10:05 बजे");
    CHECK(receipt.sections.at(0).heading == "अब के हुन्छ");
    CHECK(receipt.reference == "SD1-0A4G-7RX");
    CHECK(receipt.qrText == "https://sample-district.example/track?ref=SD1-0A4G-7RX");
}

TEST_CASE("A council without a tracking address gives a QR code of the reference alone", "[receipt]") {
    ContentPack pack = testing::makeFlowTestPack();
    REQUIRE(pack.councils.at(0).trackingUrl.empty());
    const ReceiptContent receipt =
        buildReceipt(pack, ReceiptRequest{"SD1-0A4G-7RX", "missed-bin", "pl", kStart});
    CHECK(receipt.qrText == "SD1-0A4G-7RX");
    CHECK(receipt.councilName == "Test District Council");  // English where Polish is missing
    // A service the pack no longer has still gives the reference and the QR code.
    const ReceiptContent orphan = buildReceipt(pack, ReceiptRequest{"SD1-0A4G-7RX", "gone", "en", kStart});
    CHECK(orphan.reference == "SD1-0A4G-7RX");
    CHECK(orphan.qrText == "SD1-0A4G-7RX");
    CHECK(orphan.serviceTitle.empty());
}

TEST_CASE("Receipt times are UK civil time, with British Summer Time", "[receipt]") {
    // 2026: BST from 29 March 01:00 UTC to 25 October 01:00 UTC.
    const auto at = [](std::int64_t millis) {
        const UkTime t = ukCivilTime(millis);
        char text[32];
        std::snprintf(text, sizeof text, "%04d-%02d-%02d %02d:%02d", t.year, t.month, t.day, t.hour,
                      t.minute);
        return std::string(text);
    };
    CHECK(at(kStart) == "2026-01-01 00:00");
    CHECK(at(1'774'745'940'000) == "2026-03-29 00:59");  // 00:59 UTC, still GMT
    CHECK(at(1'774'746'000'000) == "2026-03-29 02:00");  // 01:00 UTC, clocks go forward
    CHECK(at(1'781'431'200'000) == "2026-06-14 11:00");  // 10:00 UTC in summer
    CHECK(at(1'792'889'940'000) == "2026-10-25 01:59");  // 00:59 UTC, still BST
    CHECK(at(1'792'890'000'000) == "2026-10-25 01:00");  // 01:00 UTC, clocks go back
    CHECK(at(1'798'761'599'000) == "2026-12-31 23:59");
}

TEST_CASE("Print a receipt asks the platform for one, with no answers, and shows it printing",
          "[receipt][flow]") {
    Flow flow;
    flow.sendMissedBin();
    CHECK(flow.state.resident.receipt == ReceiptPrint::NotAsked);
    CHECK(flow.state.resident.confirmedAtMillis == kStart + 1500);

    const Commands asked = flow.apply(resident::PrintReceipt{});
    const PrintReceipt* print = findCommand<PrintReceipt>(asked);
    REQUIRE(print != nullptr);
    CHECK(print->request.reference == "SD1-0A4G-7RX");
    CHECK(print->request.serviceId == "missed-bin");
    CHECK(print->request.language == "en");
    CHECK(print->request.sentAtMillis == kStart + 1500);
    CHECK(flow.state.resident.receipt == ReceiptPrint::Printing);
    CHECK(std::string(screenName(flow.state)) == "confirmation");

    // What gets printed holds nothing the resident typed or chose.
    const ReceiptContent receipt = buildReceipt(flow.pack, print->request);
    const std::string printed = allText(receipt);
    for (const char* answer : {"Ada", "Lovelace", "ME14", "me14", "200000000002", "refuse", "Acorn"}) {
        INFO(answer);
        CHECK(printed.find(answer) == std::string::npos);
    }
    CHECK(receipt.qrText == "https://borough.example/track/SD1-0A4G-7RX");

    // A second tap while printing does nothing.
    CHECK(findCommand<PrintReceipt>(flow.apply(resident::PrintReceipt{})) == nullptr);
    CHECK(flow.state.resident.receipt == ReceiptPrint::Printing);

    flow.apply(resident::ReceiptPrinted{"SD1-0A4G-7RX"});
    CHECK(flow.state.resident.receipt == ReceiptPrint::Printed);
    // One receipt each: once printed, the button has gone and a tap asks for nothing.
    CHECK(findCommand<PrintReceipt>(flow.apply(resident::PrintReceipt{})) == nullptr);
}

TEST_CASE("A printer that fails shows the failure and the resident can try again or finish",
          "[receipt][flow]") {
    Flow flow;
    flow.sendMissedBin();
    flow.apply(resident::PrintReceipt{});
    flow.apply(resident::ReceiptPrintFailed{"SD1-0A4G-7RX"});
    CHECK(flow.state.resident.receipt == ReceiptPrint::Failed);
    CHECK(std::string(screenName(flow.state)) == "confirmation");

    CHECK(findCommand<PrintReceipt>(flow.apply(resident::PrintReceipt{})) != nullptr);
    CHECK(flow.state.resident.receipt == ReceiptPrint::Printing);
    flow.apply(resident::ReceiptPrintFailed{"SD1-0A4G-7RX"});
    flow.apply(resident::Finish{});
    CHECK(std::string(screenName(flow.state)) == "attract");
    CHECK(flow.state.resident.receipt == ReceiptPrint::NotAsked);
}

TEST_CASE("A printer's answer after the resident finished changes nothing for the next one",
          "[receipt][flow]") {
    Flow flow;
    flow.sendMissedBin("SD1-0000-001");
    flow.apply(resident::PrintReceipt{});
    flow.apply(resident::Finish{});
    REQUIRE(std::string(screenName(flow.state)) == "attract");

    flow.sendMissedBin("SD1-0000-002");
    flow.apply(resident::ReceiptPrintFailed{"SD1-0000-001"});
    CHECK(flow.state.resident.receipt == ReceiptPrint::NotAsked);
    flow.apply(resident::PrintReceipt{});
    flow.apply(resident::ReceiptPrinted{"SD1-0000-001"});
    CHECK(flow.state.resident.receipt == ReceiptPrint::Printing);
    flow.now += 5000;
    flow.apply(resident::ReceiptPrinted{"SD1-0000-002"});
    CHECK(flow.state.resident.receipt == ReceiptPrint::Printed);
    // The printer's answer is not the resident's activity: the inactivity timer keeps running.
    CHECK(flow.state.lastActivityMillis < flow.now);
}

TEST_CASE("With no printer configured, Print a receipt asks for nothing", "[receipt][flow]") {
    Flow flow;
    flow.state.settings.receiptPrinter = false;
    flow.sendMissedBin();
    CHECK(findCommand<PrintReceipt>(flow.apply(resident::PrintReceipt{})) == nullptr);
    CHECK(flow.state.resident.receipt == ReceiptPrint::NotAsked);
}
