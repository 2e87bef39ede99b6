// Reading what an Open311 GeoReport v2 server answers, in JSON or XML, as one shape.
//
// GeoReport v2 answers are lists of flat records in either format:
//   JSON  [{"service_request_id": 7, "token": "..."}]          [{"code": 400, "description": "..."}]
//   XML   <service_requests><request><service_request_id>7</service_request_id>...</request>
//         </service_requests>                                  <errors><error><code>..</code>...
// readOpen311Answer turns both into a JSON list of objects whose leaf values are kept as they
// came (numbers stay numbers in JSON, everything is text in XML); open311Text reads either.
//
// The XML reader is deliberately small: elements, text, the five named entities, numeric
// character references, comments, CDATA, processing instructions and a DOCTYPE line; attributes
// are skipped. Answers come from the network, so it never throws, never recurses without a depth
// limit and gives up (nullopt) on anything it cannot read instead of guessing.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/result.h"
#include "sync/transport.h"

namespace kiosk::sync {

// Deepest element nesting the XML reader follows; GeoReport v2 answers use 4 levels.
inline constexpr int kOpen311XmlMaxDepth = 32;

// The answer body as a list of records; nullopt when it is neither JSON nor XML that reads as a
// GeoReport v2 document. A JSON object (some servers answer one record bare) becomes a one-item
// list. XML elements with child elements become objects (a repeated child name keeps the last),
// elements with only text become strings.
std::optional<nlohmann::json> readOpen311Answer(std::string_view body);

// The XML reader on its own: the document element's children as a list (see above).
std::optional<nlohmann::json> readOpen311Xml(std::string_view body);

// A record's field as text: a string as it is, a number written out, "" for anything else or
// when absent.
std::string open311Text(const nlohmann::json& record, const char* key);

// Where a resident's "Check on something I reported" looks: one request's public status.
struct Open311RequestStatus {
    std::string serviceRequestId;
    std::string status;           // "open" or "closed" as the server says it
    std::string statusNotes;      // the council's note, "" when none
    std::string updatedDatetime;  // W3C datetime as sent, "" when none
};

// GET {endpoint}requests/{id}.{format} (format "json" or "xml"), with jurisdiction_id in the
// query when given. No api key: GeoReport v2 status lookups are public.
HttpRequest open311StatusRequest(const std::string& endpoint, const std::string& format,
                                 const std::string& serviceRequestId, const std::string& jurisdictionId = "");

// The answer to open311StatusRequest. Errors: "not_found" (404, or a list without that
// request), "unreadable" (no complete answer, another status, or a body that is neither JSON
// nor XML). Messages name the status code, never the body.
Result<Open311RequestStatus> parseOpen311Status(const HttpResponse& response,
                                                const std::string& serviceRequestId);

}  // namespace kiosk::sync
