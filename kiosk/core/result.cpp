// errorCodeName (include/kiosk/result.h).
#include "kiosk/result.h"

namespace kiosk {

const char* errorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::ConfigInvalid:
            return "config_invalid";
        case ErrorCode::ConfigMissing:
            return "config_missing";
        case ErrorCode::Unreadable:
            return "unreadable";
        case ErrorCode::TooBig:
            return "too_big";
        case ErrorCode::Missing:
            return "missing";
        case ErrorCode::InvalidArgument:
            return "invalid_argument";
        case ErrorCode::DiskFull:
            return "disk_full";
        case ErrorCode::ReadOnly:
            return "read_only";
        case ErrorCode::IoError:
            return "io_error";
        case ErrorCode::Busy:
            return "busy";
        case ErrorCode::DatabaseError:
            return "database_error";
        case ErrorCode::SchemaTooNew:
            return "schema_too_new";
        case ErrorCode::CryptoUnavailable:
            return "crypto_unavailable";
        case ErrorCode::NotFound:
            return "not_found";
        case ErrorCode::NotWaiting:
            return "not_waiting";
        case ErrorCode::InvalidSubmission:
            return "invalid_submission";
        case ErrorCode::NoCouncilKey:
            return "no_council_key";
        case ErrorCode::UnknownDestination:
            return "unknown_destination";
        case ErrorCode::UnknownDestinationType:
            return "unknown_destination_type";
        case ErrorCode::DestinationNotConfigured:
            return "destination_not_configured";
        case ErrorCode::NoDatabase:
            return "no_database";
        case ErrorCode::KeyFileDamaged:
            return "key_file_damaged";
        case ErrorCode::ExportFolderMissing:
            return "export_folder_missing";
        case ErrorCode::BundleInvalid:
            return "bundle_invalid";
        case ErrorCode::BundleCannotBeOpened:
            return "bundle_cannot_be_opened";
        case ErrorCode::InvalidSecret:
            return "invalid_secret";
        case ErrorCode::InvalidStaffName:
            return "invalid_staff_name";
        case ErrorCode::StaffNameTaken:
            return "staff_name_taken";
        case ErrorCode::LastAdmin:
            return "last_admin";
        case ErrorCode::InvalidSetting:
            return "invalid_setting";
    }
    return "unknown";
}

}  // namespace kiosk
