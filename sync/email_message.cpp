// The email message for the "email" destination: headers, the text part, the CSV attachment and
// the encodings they need (RFC 5322, 2045, 2047, 4180).
#include "sync/email_message.h"

#include <ctime>

#include "kiosk/base64.h"

namespace kiosk::sync {
namespace {

constexpr std::size_t kMaxHeaderLine = 78;
constexpr std::size_t kMaxEncodedLine = 76;
constexpr const char* kCrlf = "\r\n";

// Every line break in `text` (CRLF, LF or a lone CR) as CRLF.
std::string withCrlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out += kCrlf;
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else if (text[i] == '\n') {
            out += kCrlf;
        } else {
            out += text[i];
        }
    }
    return out;
}

// Control characters (CR and LF included) would end a header early: a title or address holding
// one must not be able to add a header of its own.
std::string headerSafe(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        out += (byte < 0x20 || byte == 0x7f) ? ' ' : c;
    }
    return out;
}

bool isAscii(std::string_view text) {
    for (const char c : text) {
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    }
    return true;
}

// Base64 of `bytes` in lines of 76 characters, each ending in CRLF.
std::string base64Lines(std::string_view bytes) {
    const std::string encoded = encodeBase64(bytes);
    std::string out;
    for (std::size_t at = 0; at < encoded.size(); at += kMaxEncodedLine) {
        out += encoded.substr(at, kMaxEncodedLine);
        out += kCrlf;
    }
    return out;
}

// Splits UTF-8 text into pieces of at most maxBytes that never cut a character in two.
std::vector<std::string> utf8Pieces(std::string_view text, std::size_t maxBytes) {
    std::vector<std::string> pieces;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = std::min(text.size(), start + maxBytes);
        // Step back over continuation bytes (10xxxxxx) so the piece ends on a character boundary.
        while (end < text.size() && end > start + 1 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
            --end;
        pieces.emplace_back(text.substr(start, end - start));
        start = end;
    }
    return pieces;
}

// Joins header words with single spaces, folding (CRLF + space) before a word that would make
// the line longer than 78 characters.
std::string foldHeader(std::string_view name, const std::vector<std::string>& words) {
    std::string out(name);
    out += ':';
    std::size_t lineLength = out.size();
    for (const auto& word : words) {
        if (lineLength + 1 + word.size() > kMaxHeaderLine && lineLength > name.size() + 1) {
            out += kCrlf;
            lineLength = 0;
        }
        out += ' ';
        out += word;
        lineLength += 1 + word.size();
    }
    out += kCrlf;
    return out;
}

std::vector<std::string> splitOnSpaces(std::string_view text) {
    std::vector<std::string> words;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t space = text.find(' ', start);
        const std::size_t end = space == std::string_view::npos ? text.size() : space;
        if (end > start) words.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return words;
}

std::string hexByte(unsigned char byte) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    return {'=', kHex[byte >> 4], kHex[byte & 0x0f]};
}

std::string twoDigits(int value) {
    return std::string(1, static_cast<char>('0' + value / 10)) + static_cast<char>('0' + value % 10);
}

std::tm utcTime(std::int64_t millisSinceEpoch) {
    std::int64_t seconds = millisSinceEpoch / 1000;
    if (millisSinceEpoch % 1000 < 0) --seconds;
    const auto time = static_cast<std::time_t>(seconds);
    std::tm utc{};
    gmtime_r(&time, &utc);
    return utc;
}

constexpr const char* kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                                       "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kDayNames[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

// "25 November 2026 at 10:15 UTC", the way the text part says when the form was sent.
std::string formatSentAt(std::int64_t millisSinceEpoch) {
    const std::tm utc = utcTime(millisSinceEpoch);
    return std::to_string(utc.tm_mday) + " " + kMonthNames[utc.tm_mon] + " " +
           std::to_string(utc.tm_year + 1900) + " at " + twoDigits(utc.tm_hour) + ":" +
           twoDigits(utc.tm_min) + " UTC";
}

std::string isoUtc(std::int64_t millisSinceEpoch) {
    const std::tm utc = utcTime(millisSinceEpoch);
    return std::to_string(utc.tm_year + 1900) + "-" + twoDigits(utc.tm_mon + 1) + "-" +
           twoDigits(utc.tm_mday) + "T" + twoDigits(utc.tm_hour) + ":" + twoDigits(utc.tm_min) + ":" +
           twoDigits(utc.tm_sec) + "Z";
}

// A boundary no encoded part can contain: "=_" never appears in quoted-printable (a literal '='
// is written =3D) nor in base64 (no '_').
std::string boundaryFor(std::string_view submissionId) {
    std::string boundary = "=_council-kiosk_";
    for (const char c : submissionId) {
        if (c != '-') boundary += c;
    }
    return boundary;
}

std::string attachmentName(std::string_view reference) {
    std::string name;
    for (const char c : reference) {
        const bool plain =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        name += plain ? c : '-';
    }
    return (name.empty() ? std::string("answers") : name) + ".csv";
}

}  // namespace

std::string formatEmailDate(std::int64_t millisSinceEpoch) {
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::tm utc = utcTime(millisSinceEpoch);
    return std::string(kDayNames[utc.tm_wday]) + ", " + twoDigits(utc.tm_mday) + " " + kMonths[utc.tm_mon] +
           " " + std::to_string(utc.tm_year + 1900) + " " + twoDigits(utc.tm_hour) + ":" +
           twoDigits(utc.tm_min) + ":" + twoDigits(utc.tm_sec) + " +0000";
}

std::string messageIdFor(std::string_view submissionId, std::string_view kioskId) {
    std::string domain;
    for (const char c : kioskId) {
        const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                             c == '-' || c == '.';
        domain += allowed ? c : '-';
    }
    if (domain.empty()) domain = "kiosk";
    return "<" + std::string(submissionId) + "@" + domain + ".council-kiosk>";
}

bool isSimpleEmailAddress(std::string_view text) {
    if (text.empty() || text.size() > 254) return false;
    const auto at = text.find('@');
    if (at == 0 || at == std::string_view::npos || at + 1 == text.size()) return false;
    if (text.find('@', at + 1) != std::string_view::npos) return false;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7f) return false;
        if (c == '<' || c == '>' || c == '"' || c == '(' || c == ')' || c == ',' || c == ';' || c == ':' ||
            c == '\\' || c == '[' || c == ']')
            return false;
    }
    return text.find('.', at) != std::string_view::npos;
}

std::string subjectHeader(std::string_view reference, std::string_view title) {
    const std::string safeTitle = headerSafe(title);
    std::vector<std::string> words = {headerSafe(reference) + ":"};
    if (isAscii(safeTitle)) {
        for (auto& word : splitOnSpaces(safeTitle)) words.push_back(std::move(word));
    } else {
        // 30 bytes give 40 base64 characters: "=?UTF-8?B?" + 40 + "?=" is 52, short enough to
        // follow "Subject: <reference>:" on the first line. Spaces stay inside the encoded text,
        // since the whitespace between encoded-words is not part of the subject.
        for (const auto& piece : utf8Pieces(safeTitle, 30)) {
            words.push_back("=?UTF-8?B?" + encodeBase64(piece) + "?=");
        }
    }
    return foldHeader("Subject", words);
}

std::string encodeQuotedPrintable(std::string_view text) {
    std::string out;
    std::size_t lineLength = 0;
    auto append = [&](const std::string& token) {
        // Leave room for the '=' of a soft break.
        if (lineLength + token.size() > kMaxEncodedLine - 1) {
            out += "=";
            out += kCrlf;
            lineLength = 0;
        }
        out += token;
        lineLength += token.size();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            out += kCrlf;
            lineLength = 0;
            ++i;
            continue;
        }
        const auto byte = static_cast<unsigned char>(c);
        const bool atLineEnd = i + 1 == text.size() || text[i + 1] == '\r';
        const bool literal =
            (byte >= 33 && byte <= 126 && c != '=') || ((c == ' ' || c == '\t') && !atLineEnd);
        append(literal ? std::string(1, c) : hexByte(byte));
    }
    return out;
}

std::string csvCell(std::string_view text) {
    std::string cell(text);
    if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                          cell[0] == '\t' || cell[0] == '\r')) {
        cell.insert(cell.begin(), '\'');
    }
    const bool needsQuotes = cell.find_first_of(",\"\r\n") != std::string::npos ||
                             (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
    if (!needsQuotes) return cell;
    std::string quoted = "\"";
    for (const char c : cell) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string buildAnswersCsv(const EmailMessageInput& input) {
    std::vector<std::string> header = {"Reference", "Submitted at", "Service"};
    std::vector<std::string> row = {input.reference, isoUtc(input.createdAtMillis), input.serviceTitle};
    for (const auto& answer : input.answers) {
        header.push_back(answer.id);
        row.push_back(answer.answer);
    }
    std::string csv = "\xEF\xBB\xBF";
    for (const auto* line : {&header, &row}) {
        for (std::size_t i = 0; i < line->size(); ++i) {
            if (i > 0) csv += ',';
            csv += csvCell((*line)[i]);
        }
        csv += kCrlf;
    }
    return csv;
}

std::string buildEmailText(const EmailMessageInput& input) {
    std::string text;
    text += "Reference: " + input.reference + kCrlf;
    text += "Service: " + input.serviceTitle + kCrlf;
    text += "Sent: " + formatSentAt(input.createdAtMillis) + kCrlf;
    text += "Kiosk: " + input.kioskId + kCrlf;
    text += std::string("Assisted by a volunteer: ") + (input.assisted ? "Yes" : "No") + kCrlf;
    for (const auto& answer : input.answers) {
        text += kCrlf;
        text += withCrlf(answer.question) + kCrlf;
        text += withCrlf(answer.answer.empty() ? std::string("Not answered") : answer.answer) + kCrlf;
    }
    return text;
}

std::string buildEmailMessage(const EmailMessageInput& input) {
    const std::string boundary = boundaryFor(input.submissionId);
    const std::string fileName = attachmentName(input.reference);
    std::string message;
    message += "From: " + headerSafe(input.from) + kCrlf;
    message += "To: " + headerSafe(input.to) + kCrlf;
    if (!input.replyTo.empty() && isSimpleEmailAddress(input.replyTo)) {
        message += "Reply-To: " + input.replyTo + kCrlf;
    }
    message += subjectHeader(input.reference, input.serviceTitle);
    message += "Date: " + formatEmailDate(input.createdAtMillis) + kCrlf;
    // A Message-ID cannot be folded inside its brackets: a long one goes on a line of its own.
    const std::string messageId = messageIdFor(input.submissionId, input.kioskId);
    message += std::string("Message-ID:") + (12 + messageId.size() > kMaxHeaderLine ? "\r\n " : " ") +
               messageId + kCrlf;
    // Tells the mailbox's auto-responders not to answer a kiosk.
    message += std::string("Auto-Submitted: auto-generated") + kCrlf;
    message += std::string("MIME-Version: 1.0") + kCrlf;
    message += std::string("Content-Type: multipart/mixed;") + kCrlf;
    message += " boundary=\"" + boundary + "\"" + kCrlf;
    message += kCrlf;

    message += "--" + boundary + kCrlf;
    message += std::string("Content-Type: text/plain; charset=utf-8") + kCrlf;
    message += std::string("Content-Transfer-Encoding: quoted-printable") + kCrlf;
    message += kCrlf;
    message += encodeQuotedPrintable(buildEmailText(input));
    message += kCrlf;

    message += "--" + boundary + kCrlf;
    message += "Content-Type: text/csv; charset=utf-8; name=\"" + fileName + "\"" + kCrlf;
    message += "Content-Disposition: attachment; filename=\"" + fileName + "\"" + kCrlf;
    message += std::string("Content-Transfer-Encoding: base64") + kCrlf;
    message += kCrlf;
    message += base64Lines(buildAnswersCsv(input));
    message += "--" + boundary + "--" + kCrlf;
    return message;
}

}  // namespace kiosk::sync
