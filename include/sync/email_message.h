// The email a submission becomes for the "email" destination (include/sync/email_destination.h):
// one complete RFC 5322 message, built once at seal time and sent unchanged on every attempt.
//
//   headers    From, To, optional Reply-To, Subject "<reference>: <service title>" (RFC 2047
//              encoded-words when the title is not ASCII), Date (when the form was sealed),
//              Message-ID <submission UUID@kiosk id.council-kiosk> (a mailbox can drop repeats),
//              Auto-Submitted, MIME-Version, multipart/mixed
//   part 1     text/plain, UTF-8, quoted-printable: the reference, service, time, kiosk and
//              whether a volunteer helped, then each question and its answer as the check
//              answers page shows them
//   part 2     "<reference>.csv", base64: RFC 4180, a header row and one data row
//
// Lines end in CRLF and none is longer than 78 characters. Pure functions of their input: the
// layout is tested byte for byte (tests/sync/email_message_tests.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::sync {

struct EmailAnswer {
    std::string id;        // the question's page id: the CSV column
    std::string question;  // the English label
    std::string answer;    // the English answer text, as on the check answers page
};

struct EmailMessageInput {
    std::string from;          // an address, e.g. "kiosk@council.example"
    std::string to;            // the service's mailbox
    std::string replyTo;       // the resident's address when they gave one; "" for none
    std::string reference;     // "SDC1-ABCD-EFGH"
    std::string serviceTitle;  // English
    std::string submissionId;  // UUID
    std::string kioskId;
    std::int64_t createdAtMillis = 0;
    bool assisted = false;
    std::vector<EmailAnswer> answers;
};

// The whole message, ready for SMTP DATA (CRLF line endings, ends with CRLF).
std::string buildEmailMessage(const EmailMessageInput& input);

// The plain text part before encoding (CRLF line endings).
std::string buildEmailText(const EmailMessageInput& input);

// The attachment before encoding: UTF-8 with a byte order mark (so spreadsheet programs read
// Polish and Nepali text correctly), header row and data row, each ending in CRLF.
std::string buildAnswersCsv(const EmailMessageInput& input);

// One RFC 4180 cell: quoted when it holds a comma, quote, CR or LF, or starts or ends with a
// space. A cell starting with = + - @, tab or CR gets a leading single quote first, so a
// spreadsheet shows it as text instead of running it as a formula.
std::string csvCell(std::string_view text);

// "Subject: ..." folded to 78-character lines, with CRLF after each line. Text that is not
// ASCII goes in UTF-8 "B" encoded-words that never split a character.
std::string subjectHeader(std::string_view reference, std::string_view title);

// Quoted-printable (RFC 2045): CRLF in the text stays a line break, lines are at most 76
// characters, soft breaks never split an =XX.
std::string encodeQuotedPrintable(std::string_view text);

// "<uuid@kiosk-id.council-kiosk>": characters of the kiosk id that cannot stand in a
// Message-ID domain become '-'.
std::string messageIdFor(std::string_view submissionId, std::string_view kioskId);

// "Wed, 25 Nov 2026 10:15:00 +0000" (RFC 5322, UTC, English names whatever the locale).
std::string formatEmailDate(std::int64_t millisSinceEpoch);

// An ASCII address with one @, something either side and no spaces, angle brackets, quotes or
// control characters: safe to put in a header as it is.
bool isSimpleEmailAddress(std::string_view text);

}  // namespace kiosk::sync
