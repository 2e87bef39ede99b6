// Percent-encoding (RFC 3986) for URL query values and application/x-www-form-urlencoded bodies.
// Shared by kioskctl's Open311 commands and the Open311 destination, so a service code, an
// attribute value and an api key are escaped the same way wherever they are sent.
#pragma once

#include <string>
#include <string_view>

namespace kiosk {

// Every byte except the unreserved characters (letters, digits, "-", "_", ".", "~") becomes %XX
// with upper-case hex. A space is "%20", which form decoders read as a space just as they read
// "+"; encoding it one way everywhere keeps queries and bodies byte-for-byte predictable.
std::string percentEncoded(std::string_view text);

}  // namespace kiosk
