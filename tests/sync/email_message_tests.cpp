// The email destination's message, byte for byte: headers, the text part, the CSV attachment,
// and the encodings (quoted-printable, base64, RFC 2047 encoded-words, RFC 4180 cells).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fstream>

#include "kiosk/base64.h"
#include "sync/email_message.h"

using namespace kiosk::sync;

namespace {

// 2026-11-25 10:15:00 UTC, a Wednesday.
constexpr std::int64_t kSealedAt = 1795601700000;

EmailMessageInput pizzaInput() {
    EmailMessageInput input;
    input.from = "kiosk@sample-district.example";
    input.to = "council-tax@sample-district.example";
    input.replyTo = "agnieszka@example.com";
    input.reference = "SDC1-7K3M-Q9TX";
    input.serviceTitle = "Tell us you are moving home";
    input.submissionId = "0b9f6a4e-2d7c-4e1a-9c55-3f0d8a1b2c3d";
    input.kioskId = "sdc-library-maidstone-1";
    input.createdAtMillis = kSealedAt;
    input.assisted = true;
    input.answers = {
        {"old-address", "What is your current address?", "12 Zażółć Lane\nMaidstone\nME15 6JQ"},
        {"name", "What is your full name?", "Agnieszka Gęślą-Jaźń"},
        {"note", "Anything else?", "नमस्ते, म घर सर्दैछु = \"yes\", 50% done"},
        {"phone", "Phone number", "+44 7700 900123"},
    };
    return input;
}

// The part between a part's blank line and the next boundary, decoded from base64.
std::string decodedAttachment(const std::string& message) {
    const std::string start = "Content-Transfer-Encoding: base64\r\n\r\n";
    const auto from = message.find(start);
    REQUIRE(from != std::string::npos);
    const auto to = message.find("--=_council-kiosk_", from);
    REQUIRE(to != std::string::npos);
    auto decoded = kiosk::decodeBase64(message.substr(from + start.size(), to - from - start.size()));
    REQUIRE(decoded.has_value());
    return *decoded;
}

}  // namespace

TEST_CASE("The email message for a fixed submission is laid out byte for byte", "[email]") {
    const std::string message = buildEmailMessage(pizzaInput());
    if (const char* dump = std::getenv("KIOSK_EMAIL_MESSAGE_DUMP"))
        std::ofstream(dump, std::ios::binary) << message;

    const std::string expected =
        "From: kiosk@sample-district.example\r\n"
        "To: council-tax@sample-district.example\r\n"
        "Reply-To: agnieszka@example.com\r\n"
        "Subject: SDC1-7K3M-Q9TX: Tell us you are moving home\r\n"
        "Date: Wed, 25 Nov 2026 10:15:00 +0000\r\n"
        "Message-ID:\r\n"
        " <0b9f6a4e-2d7c-4e1a-9c55-3f0d8a1b2c3d@sdc-library-maidstone-1.council-kiosk>\r\n"
        "Auto-Submitted: auto-generated\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed;\r\n"
        " boundary=\"=_council-kiosk_0b9f6a4e2d7c4e1a9c553f0d8a1b2c3d\"\r\n"
        "\r\n"
        "--=_council-kiosk_0b9f6a4e2d7c4e1a9c553f0d8a1b2c3d\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "Reference: SDC1-7K3M-Q9TX\r\n"
        "Service: Tell us you are moving home\r\n"
        "Sent: 25 November 2026 at 10:15 UTC\r\n"
        "Kiosk: sdc-library-maidstone-1\r\n"
        "Assisted by a volunteer: Yes\r\n"
        "\r\n"
        "What is your current address?\r\n"
        "12 Za=C5=BC=C3=B3=C5=82=C4=87 Lane\r\n"
        "Maidstone\r\n"
        "ME15 6JQ\r\n"
        "\r\n"
        "What is your full name?\r\n"
        "Agnieszka G=C4=99=C5=9Bl=C4=85-Ja=C5=BA=C5=84\r\n"
        "\r\n"
        "Anything else?\r\n"
        "=E0=A4=A8=E0=A4=AE=E0=A4=B8=E0=A5=8D=E0=A4=A4=E0=A5=87, =E0=A4=AE =E0=A4=98=\r\n"
        "=E0=A4=B0 =E0=A4=B8=E0=A4=B0=E0=A5=8D=E0=A4=A6=E0=A5=88=E0=A4=9B=E0=A5=81 =\r\n"
        "=3D \"yes\", 50% done\r\n"
        "\r\n"
        "Phone number\r\n"
        "+44 7700 900123\r\n"
        "\r\n"
        "--=_council-kiosk_0b9f6a4e2d7c4e1a9c553f0d8a1b2c3d\r\n"
        "Content-Type: text/csv; charset=utf-8; name=\"SDC1-7K3M-Q9TX.csv\"\r\n"
        "Content-Disposition: attachment; filename=\"SDC1-7K3M-Q9TX.csv\"\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "\r\n";
    REQUIRE(message.substr(0, expected.size()) == expected);
    REQUIRE(message.size() > expected.size());
    const std::string tail = message.substr(expected.size());
    CHECK(tail.substr(tail.size() - 54) == "--=_council-kiosk_0b9f6a4e2d7c4e1a9c553f0d8a1b2c3d--\r\n");

    CHECK(decodedAttachment(message) ==
          "\xEF\xBB\xBF"
          "Reference,Submitted at,Service,old-address,name,note,phone\r\n"
          "SDC1-7K3M-Q9TX,2026-11-25T10:15:00Z,Tell us you are moving home,"
          "\"12 Zażółć Lane\nMaidstone\nME15 6JQ\",Agnieszka Gęślą-Jaźń,"
          "\"नमस्ते, म घर सर्दैछु = \"\"yes\"\", 50% done\",'+44 7700 900123\r\n");

    // Every line ends in CRLF (no bare CR or LF) and none is longer than 78 characters.
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < message.size(); ++i) {
        if (message[i] == '\n') {
            REQUIRE(i > 0);
            REQUIRE(message[i - 1] == '\r');
            CHECK(i - 1 - lineStart <= 78);
            lineStart = i + 1;
        } else if (message[i] == '\r') {
            REQUIRE(i + 1 < message.size());
            REQUIRE(message[i + 1] == '\n');
        }
    }
    CHECK(lineStart == message.size());
}

TEST_CASE("A subject that is not ASCII becomes UTF-8 encoded-words that never split a character", "[email]") {
    const std::string title = "घर सर्दै हुनुहुन्छ भने हामीलाई बताउनुहोस्";
    const std::string header = subjectHeader("SDC1-7K3M-Q9TX", title);
    CHECK(header ==
          "Subject: SDC1-7K3M-Q9TX: =?UTF-8?B?4KSY4KSwIOCkuOCksOCljeCkpuCliCDgpLngpYE=?=\r\n"
          " =?UTF-8?B?4KSo4KWB4KS54KWB4KSo4KWN4KSbIOCkreCkqA==?=\r\n"
          " =?UTF-8?B?4KWHIOCkueCkvuCkruClgOCksuCkvuCkiCDgpKw=?=\r\n"
          " =?UTF-8?B?4KSk4KS+4KSJ4KSo4KWB4KS54KWL4KS44KWN?=\r\n");
    // Each word decodes to whole characters and together they give the title back.
    std::string decoded;
    for (std::size_t at = header.find("=?UTF-8?B?"); at != std::string::npos;
         at = header.find("=?UTF-8?B?", at)) {
        const auto end = header.find("?=", at + 10);
        const auto piece = kiosk::decodeBase64(header.substr(at + 10, end - at - 10));
        REQUIRE(piece.has_value());
        CHECK((static_cast<unsigned char>(piece->front()) & 0xC0) != 0x80);
        decoded += *piece;
        at = end;
    }
    CHECK(decoded == title);
    CHECK(subjectHeader("SDC1-7K3M-Q9TX", "Zgłoś przeprowadzkę") ==
          "Subject: SDC1-7K3M-Q9TX: =?UTF-8?B?WmfFgm/FmyBwcnplcHJvd2FkemvEmQ==?=\r\n");
    // A long ASCII title folds at a space.
    CHECK(subjectHeader("SDC1-7K3M-Q9TX",
                        "Apply for a discretionary housing payment towards your rent while you wait") ==
          "Subject: SDC1-7K3M-Q9TX: Apply for a discretionary housing payment towards\r\n"
          " your rent while you wait\r\n");
    // A line break in a title cannot start a header of its own.
    CHECK(subjectHeader("SDC1-7K3M-Q9TX", "Title\r\nBcc: someone@example.com") ==
          "Subject: SDC1-7K3M-Q9TX: Title Bcc: someone@example.com\r\n");
}

TEST_CASE("CSV cells are quoted as RFC 4180 says and guarded against formulas", "[email]") {
    CHECK(csvCell("plain") == "plain");
    CHECK(csvCell("") == "");
    CHECK(csvCell("a,b") == "\"a,b\"");
    CHECK(csvCell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csvCell("two\r\nlines") == "\"two\r\nlines\"");
    CHECK(csvCell(" padded ") == "\" padded \"");
    CHECK(csvCell("=HYPERLINK(\"http://evil.example\")") == "\"'=HYPERLINK(\"\"http://evil.example\"\")\"");
    CHECK(csvCell("=1+2") == "'=1+2");
    CHECK(csvCell("+44 7700 900123") == "'+44 7700 900123");
    CHECK(csvCell("-5") == "'-5");
    CHECK(csvCell("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csvCell("\tTAB") == "'\tTAB");
    CHECK(csvCell("a=b") == "a=b");
    CHECK(csvCell("Gęślą") == "Gęślą");
}

TEST_CASE("Message-ID comes from the submission UUID and a safe form of the kiosk id", "[email]") {
    CHECK(messageIdFor("0b9f6a4e-2d7c-4e1a-9c55-3f0d8a1b2c3d", "sdc-library-maidstone-1") ==
          "<0b9f6a4e-2d7c-4e1a-9c55-3f0d8a1b2c3d@sdc-library-maidstone-1.council-kiosk>");
    CHECK(messageIdFor("u", "Library kiosk #2 <main>") == "<u@Library-kiosk--2--main-.council-kiosk>");
    CHECK(messageIdFor("u", "") == "<u@kiosk.council-kiosk>");
    // The same submission gives the same Message-ID however often it is built.
    CHECK(buildEmailMessage(pizzaInput()) == buildEmailMessage(pizzaInput()));
}

TEST_CASE("Quoted-printable keeps lines within 76 characters and encodes what it must", "[email]") {
    CHECK(encodeQuotedPrintable("a=b") == "a=3Db");
    CHECK(encodeQuotedPrintable("trailing space \r\nnext") == "trailing space=20\r\nnext");
    CHECK(encodeQuotedPrintable("tab\t") == "tab=09");
    CHECK(encodeQuotedPrintable("ł") == "=C5=82");
    const std::string longLine(100, 'x');
    CHECK(encodeQuotedPrintable(longLine) == std::string(75, 'x') + "=\r\n" + std::string(25, 'x'));
}

TEST_CASE("Only a plain email address becomes Reply-To", "[email]") {
    CHECK(isSimpleEmailAddress("resident@example.com"));
    CHECK(isSimpleEmailAddress("first.last+tag@mail.example.co.uk"));
    CHECK_FALSE(isSimpleEmailAddress(""));
    CHECK_FALSE(isSimpleEmailAddress("no-at-sign.example"));
    CHECK_FALSE(isSimpleEmailAddress("two@at@example.com"));
    CHECK_FALSE(isSimpleEmailAddress("a@example.com\r\nBcc: x@example.com"));
    CHECK_FALSE(isSimpleEmailAddress("Name <a@example.com>"));
    CHECK_FALSE(isSimpleEmailAddress("zażółć@example.com"));
    CHECK_FALSE(isSimpleEmailAddress("a@localhost"));

    auto input = pizzaInput();
    input.replyTo = "not an address";
    const std::string message = buildEmailMessage(input);
    CHECK(message.find("Reply-To:") == std::string::npos);
}

TEST_CASE("The email date is RFC 5322 in UTC whatever the day", "[email]") {
    CHECK(formatEmailDate(kSealedAt) == "Wed, 25 Nov 2026 10:15:00 +0000");
    CHECK(formatEmailDate(0) == "Thu, 01 Jan 1970 00:00:00 +0000");
    CHECK(formatEmailDate(951782400000) == "Tue, 29 Feb 2000 00:00:00 +0000");
}
