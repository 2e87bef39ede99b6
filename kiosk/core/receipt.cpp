// The receipt's content (receipt.h).
#include "kiosk/receipt.h"

#include <chrono>
#include <cstdio>
#include <utility>

namespace kiosk {
namespace {

std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
    for (const auto& [name, value] : values) {
        const std::string placeholder = "{" + name + "}";
        for (std::size_t at = text.find(placeholder); at != std::string::npos;
             at = text.find(placeholder, at + value.size()))
            text.replace(at, placeholder.size(), value);
    }
    return text;
}

std::string twoDigits(int value) {
    char text[8];
    std::snprintf(text, sizeof text, "%02d", value);
    return text;
}

}  // namespace

UkTime ukCivilTime(std::int64_t millisSinceEpoch) {
    using namespace std::chrono;
    const sys_time<milliseconds> instant{milliseconds{millisSinceEpoch}};
    const year utcYear = year_month_day{floor<days>(instant)}.year();
    const auto summerStarts = sys_days{utcYear / March / Sunday[last]} + hours{1};
    const auto summerEnds = sys_days{utcYear / October / Sunday[last]} + hours{1};
    const bool summer = instant >= summerStarts && instant < summerEnds;
    const auto local = floor<minutes>(instant + hours{summer ? 1 : 0});
    const auto day = floor<days>(local);
    const year_month_day date{day};
    const hh_mm_ss clock{local - day};
    UkTime time;
    time.year = static_cast<int>(date.year());
    time.month = static_cast<int>(static_cast<unsigned>(date.month()));
    time.day = static_cast<int>(static_cast<unsigned>(date.day()));
    time.hour = static_cast<int>(clock.hours().count());
    time.minute = static_cast<int>(clock.minutes().count());
    return time;
}

std::string formatUkDateTime(const std::string& pattern, std::int64_t millisSinceEpoch) {
    const UkTime time = ukCivilTime(millisSinceEpoch);
    return fill(pattern, {{"day", twoDigits(time.day)},
                          {"month", twoDigits(time.month)},
                          {"year", std::to_string(time.year)},
                          {"hour", twoDigits(time.hour)},
                          {"minute", twoDigits(time.minute)}});
}

std::string receiptQrText(const Council* council, const std::string& reference) {
    if (!council || council->trackingUrl.empty()) return reference;
    return fill(council->trackingUrl, {{"reference", reference}});
}

ReceiptContent buildReceipt(const ContentPack& pack, const ReceiptRequest& request) {
    const std::string& language = request.language;
    const auto text = [&](const char* key) { return pack.text(key, language); };
    const Service* service = pack.findService(request.serviceId);
    const Form* form = service ? pack.findForm(service->formId) : nullptr;
    const Council* council = service ? pack.findCouncil(service->council) : nullptr;

    ReceiptContent receipt;
    receipt.language = language;
    if (council) receipt.councilName = council->name.in(language);
    if (form) receipt.title = form->confirmationTitle.in(language);
    receipt.serviceLabel = text("receipt.service-label");
    if (service) receipt.serviceTitle = service->title.in(language);
    receipt.referenceLabel = text("confirmation.reference-label");
    receipt.reference = request.reference;
    receipt.sentLabel = text("receipt.sent-label");
    receipt.sentAt = formatUkDateTime(text("receipt.date-pattern"), request.sentAtMillis);
    if (form && !form->whatHappensNext.empty())
        receipt.sections.push_back({text("confirmation.next-heading"), form->whatHappensNext.in(language)});
    if (council && !council->contact.empty())
        receipt.sections.push_back({text("confirmation.contact-heading"), council->contact.in(language)});
    receipt.qrHint = text("confirmation.qr-hint");
    receipt.qrText = receiptQrText(council, request.reference);
    return receipt;
}

}  // namespace kiosk
