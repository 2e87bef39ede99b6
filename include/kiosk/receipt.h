// The printed receipt a resident can keep: what it says, in the resident's language, built only
// from the reference, the service, the council and the time the form was sent. The answers are
// wiped before the confirmation page shows, and a receipt never needs them: a lost receipt in a
// library must tell a stranger nothing about the resident.
//
// The platform draws a ReceiptContent onto a page and prints it (kiosk/platform/receipt_printer.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kiosk/content.h"

namespace kiosk {

struct ReceiptRequest {
    std::string reference;  // "MK1-0A4G-7RX"
    std::string serviceId;  // the service the form was for
    std::string language;   // the resident's language when they tapped "Print a receipt"
    std::int64_t sentAtMillis = 0;
};

struct ReceiptSection {
    std::string heading;
    std::string body;  // may hold several lines ('\n'); the page wraps long lines
};

struct ReceiptContent {
    std::string language;
    std::string councilName;     // "Sample District Council"
    std::string title;           // the form's confirmation title: "Missed bin reported"
    std::string serviceLabel;    // "Service"
    std::string serviceTitle;    // "Report a missed bin collection"
    std::string referenceLabel;  // "Your reference number"
    std::string reference;
    std::string sentLabel;                 // "Sent"
    std::string sentAt;                    // "14/03/2026 at 10:05", UK time
    std::vector<ReceiptSection> sections;  // what happens next, contact details (when the pack has them)
    std::string qrHint;
    std::string qrText;  // the council's trackingUrl with the reference, or the reference alone
};

// Everything comes from the pack's catalogue and service, in `request.language` with English
// where a text is missing. A service the pack no longer has still gives a receipt with the
// reference, the time and the QR code.
ReceiptContent buildReceipt(const ContentPack& pack, const ReceiptRequest& request);

// The confirmation's QR text: the council's trackingUrl with {reference} filled, or the reference.
// A pack's date pattern ("{day}/{month}/{year} at {hour}:{minute}") filled with UK civil time.
std::string formatUkDateTime(const std::string& pattern, std::int64_t millisSinceEpoch);

std::string receiptQrText(const Council* council, const std::string& reference);

// Councils using the kiosk are in the UK: times people read are UK civil time (GMT, or BST from
// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October), whatever
// the machine's time zone is set to.
struct UkTime {
    int year = 1970, month = 1, day = 1, hour = 0, minute = 0;
};
UkTime ukCivilTime(std::int64_t millisSinceEpoch);

}  // namespace kiosk
