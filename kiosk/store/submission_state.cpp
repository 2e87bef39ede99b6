// Names of submission states as stored in the database and shown by kioskctl.
#include "store/outbox_store.h"

namespace kiosk::store {

const char* submissionStateName(SubmissionState state) {
    switch (state) {
        case SubmissionState::Sealed: return "sealed";
        case SubmissionState::Delivered: return "delivered";
        case SubmissionState::HeldBack: return "held_back";
    }
    return "sealed";
}

}  // namespace kiosk::store
