// Open311 answers in JSON and XML read into one shape, and the status lookup built on it.
#include "sync/open311_answer.h"

#include <cstdint>
#include <vector>

#include "kiosk/percent_encoding.h"

namespace kiosk::sync {
namespace {

using json = nlohmann::json;

bool isXmlSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && isXmlSpace(text.front())) text.remove_prefix(1);
    while (!text.empty() && isXmlSpace(text.back())) text.remove_suffix(1);
    return text;
}

void appendUtf8(std::uint32_t codePoint, std::string& out) {
    if (codePoint < 0x80) {
        out += static_cast<char>(codePoint);
    } else if (codePoint < 0x800) {
        out += static_cast<char>(0xC0 | (codePoint >> 6));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else if (codePoint < 0x10000) {
        out += static_cast<char>(0xE0 | (codePoint >> 12));
        out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (codePoint >> 18));
        out += static_cast<char>(0x80 | ((codePoint >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((codePoint >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (codePoint & 0x3F));
    }
}

struct XmlElement {
    std::string name;
    std::string text;
    std::vector<XmlElement> children;
};

// A recursive-descent reader over one buffer; every step checks the end of input first.
class XmlReader {
public:
    explicit XmlReader(std::string_view input) : input_(input) {}

    std::optional<XmlElement> document() {
        if (input_.substr(0, 3) == "\xEF\xBB\xBF") position_ = 3;
        if (!skipMisc()) return std::nullopt;
        if (!at("<")) return std::nullopt;
        XmlElement root;
        if (!element(root, 1)) return std::nullopt;
        if (!skipMisc() || position_ != input_.size()) return std::nullopt;
        return root;
    }

private:
    bool at(std::string_view text) const { return input_.substr(position_, text.size()) == text; }

    // Moves past the next `terminator`; false when the input ends first.
    bool skipPast(std::string_view terminator) {
        const auto found = input_.find(terminator, position_);
        if (found == std::string_view::npos) return false;
        position_ = found + terminator.size();
        return true;
    }

    void skipSpace() {
        while (position_ < input_.size() && isXmlSpace(input_[position_])) ++position_;
    }

    // Whitespace, comments, processing instructions and a DOCTYPE without an internal subset.
    bool skipMisc() {
        while (true) {
            skipSpace();
            if (at("<?")) {
                if (!skipPast("?>")) return false;
            } else if (at("<!--")) {
                if (!skipPast("-->")) return false;
            } else if (at("<!DOCTYPE")) {
                const auto close = input_.find('>', position_);
                const auto subset = input_.find('[', position_);
                if (close == std::string_view::npos) return false;
                if (subset != std::string_view::npos && subset < close) return false;  // entity definitions
                position_ = close + 1;
            } else {
                return true;
            }
        }
    }

    static bool isNameCharacter(char c) {
        return !isXmlSpace(c) && c != '/' && c != '>' && c != '<' && c != '=' && c != '"' && c != '\'' &&
               c != '&';
    }

    std::string name() {
        const std::size_t start = position_;
        while (position_ < input_.size() && isNameCharacter(input_[position_])) ++position_;
        return std::string(input_.substr(start, position_ - start));
    }

    // After the name of a start tag: attributes are skipped (quoted values may hold '>').
    // Sets selfClosing for "<name/>".
    bool skipAttributes(bool& selfClosing) {
        while (position_ < input_.size()) {
            const char c = input_[position_];
            if (c == '"' || c == '\'') {
                const auto close = input_.find(c, position_ + 1);
                if (close == std::string_view::npos) return false;
                position_ = close + 1;
            } else if (c == '/') {
                if (!at("/>")) return false;
                position_ += 2;
                selfClosing = true;
                return true;
            } else if (c == '>') {
                ++position_;
                return true;
            } else if (c == '<') {
                return false;
            } else {
                ++position_;
            }
        }
        return false;
    }

    bool entity(std::string& out) {
        const auto end = input_.find(';', position_);
        if (end == std::string_view::npos || end - position_ > 12) return false;
        const std::string_view reference = input_.substr(position_ + 1, end - position_ - 1);
        position_ = end + 1;
        if (reference == "amp") {
            out += '&';
        } else if (reference == "lt") {
            out += '<';
        } else if (reference == "gt") {
            out += '>';
        } else if (reference == "quot") {
            out += '"';
        } else if (reference == "apos") {
            out += '\'';
        } else if (reference.size() >= 2 && reference[0] == '#') {
            const bool hex = reference[1] == 'x' || reference[1] == 'X';
            const std::string_view digits = reference.substr(hex ? 2 : 1);
            if (digits.empty() || digits.size() > 8) return false;
            std::uint32_t codePoint = 0;
            for (const char c : digits) {
                int digit = -1;
                if (c >= '0' && c <= '9') digit = c - '0';
                if (hex && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
                if (hex && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
                if (digit < 0) return false;
                codePoint = codePoint * (hex ? 16 : 10) + static_cast<std::uint32_t>(digit);
            }
            if (codePoint == 0 || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
                return false;
            appendUtf8(codePoint, out);
        } else {
            return false;
        }
        return true;
    }

    bool element(XmlElement& into, int depth) {
        if (depth > kOpen311XmlMaxDepth) return false;
        ++position_;  // '<'
        into.name = name();
        if (into.name.empty()) return false;
        bool selfClosing = false;
        if (!skipAttributes(selfClosing)) return false;
        if (selfClosing) return true;
        while (position_ < input_.size()) {
            if (at("</")) {
                position_ += 2;
                if (name() != into.name) return false;
                skipSpace();
                if (!at(">")) return false;
                ++position_;
                return true;
            }
            if (at("<!--")) {
                if (!skipPast("-->")) return false;
            } else if (at("<![CDATA[")) {
                const std::size_t start = position_ + 9;
                if (!skipPast("]]>")) return false;
                into.text.append(input_.substr(start, position_ - 3 - start));
            } else if (at("<?")) {
                if (!skipPast("?>")) return false;
            } else if (at("<")) {
                into.children.emplace_back();
                if (!element(into.children.back(), depth + 1)) return false;
            } else if (at("&")) {
                if (!entity(into.text)) return false;
            } else {
                const auto next = input_.find_first_of("<&", position_);
                const std::size_t end = next == std::string_view::npos ? input_.size() : next;
                into.text.append(input_.substr(position_, end - position_));
                position_ = end;
            }
        }
        return false;  // the input ended inside the element
    }

    std::string_view input_;
    std::size_t position_ = 0;
};

json recordFrom(const XmlElement& element, int depth) {
    if (element.children.empty()) return std::string(trimmed(element.text));
    json object = json::object();
    // Depth is bounded by the reader, so this recursion is too.
    for (const auto& child : element.children) object[child.name] = recordFrom(child, depth + 1);
    return object;
}

std::string withTrailingSlash(std::string url) {
    if (url.empty() || url.back() != '/') url += '/';
    return url;
}

}  // namespace

std::optional<json> readOpen311Xml(std::string_view body) {
    XmlReader reader(body);
    const auto root = reader.document();
    if (!root) return std::nullopt;
    json list = json::array();
    for (const auto& child : root->children) list.push_back(recordFrom(child, 1));
    return list;
}

std::optional<json> readOpen311Answer(std::string_view body) {
    const std::string_view start = trimmed(body);
    if (start.empty()) return std::nullopt;
    if (start.front() == '<' || start.substr(0, 3) == "\xEF\xBB\xBF") return readOpen311Xml(body);
    if (start.front() != '[' && start.front() != '{') return std::nullopt;
    json parsed = json::parse(body.begin(), body.end(), nullptr, false);
    if (parsed.is_discarded()) return std::nullopt;
    if (parsed.is_object()) return json::array({std::move(parsed)});
    if (!parsed.is_array()) return std::nullopt;
    json list = json::array();
    for (auto& item : parsed) {
        if (item.is_object()) list.push_back(std::move(item));
    }
    return list;
}

std::string open311Text(const json& record, const char* key) {
    if (!record.is_object()) return "";
    const auto found = record.find(key);
    if (found == record.end()) return "";
    if (found->is_string()) return found->get<std::string>();
    if (found->is_number_integer()) return std::to_string(found->get<std::int64_t>());
    if (found->is_number_unsigned()) return std::to_string(found->get<std::uint64_t>());
    if (found->is_number() || found->is_boolean()) return found->dump();
    return "";
}

HttpRequest open311StatusRequest(const std::string& endpoint, const std::string& format,
                                 const std::string& serviceRequestId, const std::string& jurisdictionId) {
    HttpRequest request;
    request.method = "GET";
    request.url = withTrailingSlash(endpoint) + "requests/" + percentEncoded(serviceRequestId) + "." + format;
    if (!jurisdictionId.empty()) request.url += "?jurisdiction_id=" + percentEncoded(jurisdictionId);
    request.headers.emplace_back("Accept", format == "xml" ? "text/xml" : "application/json");
    return request;
}

Result<Open311RequestStatus> parseOpen311Status(const HttpResponse& response,
                                                const std::string& serviceRequestId) {
    if (!response.transportOk) {
        return Error{ErrorCode::Unreadable,
                     "No complete answer from the Open311 server (" + response.transportError + ")."};
    }
    if (response.status == 404) {
        return Error{ErrorCode::NotFound, "The Open311 server has no request " + serviceRequestId + "."};
    }
    if (response.status != 200) {
        return Error{ErrorCode::Unreadable,
                     "The Open311 server answered HTTP " + std::to_string(response.status) + "."};
    }
    const auto records = readOpen311Answer(response.body);
    if (!records) return Error{ErrorCode::Unreadable, "The Open311 server's answer is neither JSON nor XML."};
    for (const auto& record : *records) {
        const std::string id = open311Text(record, "service_request_id");
        if (id != serviceRequestId && !(id.empty() && records->size() == 1)) continue;
        Open311RequestStatus status;
        status.serviceRequestId = id.empty() ? serviceRequestId : id;
        status.status = open311Text(record, "status");
        status.statusNotes = open311Text(record, "status_notes");
        status.updatedDatetime = open311Text(record, "updated_datetime");
        return status;
    }
    return Error{ErrorCode::NotFound, "The Open311 server has no request " + serviceRequestId + "."};
}

}  // namespace kiosk::sync
