// Submission UUIDs, allocated by the store inside the seal transaction. Private to kiosk/store.
#pragma once

#include <string>

namespace kiosk::store {

// Random (version 4) UUID in RFC 4122 text form, lower case: "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".
std::string newSubmissionId();

}  // namespace kiosk::store
