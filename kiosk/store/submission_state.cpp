// Names of submission states and payload protections as stored in the database and shown by kioskctl.
#include "store/outbox_store.h"

namespace kiosk::store {

const char* submissionStateName(SubmissionState state) {
    switch (state) {
        case SubmissionState::Sealed:
            return "sealed";
        case SubmissionState::Delivered:
            return "delivered";
        case SubmissionState::HeldBack:
            return "held_back";
        case SubmissionState::DeliveredOutOfBand:
            return "delivered_out_of_band";
    }
    return "sealed";
}

const char* payloadProtectionName(PayloadProtection protection) {
    switch (protection) {
        case PayloadProtection::SealedToCouncil:
            return "sealed_to_council";
        case PayloadProtection::DeviceKey:
            return "device_key";
        case PayloadProtection::None:
            return "none";
    }
    return "sealed_to_council";
}

}  // namespace kiosk::store
