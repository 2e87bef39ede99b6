// Writing one file onto a USB stick, which may be read-only, full or pulled out at any moment:
// the export bundle (export_bundle.h) and the usage CSV use it. The file is written under a
// hidden temporary name, synced, renamed and the folder synced, so a file with its final name is
// always complete; an existing file is never replaced. Errors say, in words a hub lead can act
// on, what to do: the stick is gone ("export_folder_missing"), read-only ("read_only"), full
// ("disk_full"), or failing ("io_error"); "invalid_argument" when the path is not a folder.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "kiosk/result.h"

namespace kiosk::store {

// The folder exists and is a folder.
Status checkExportFolder(const std::filesystem::path& folder);

// Writes `content` to folder/stem+extension (stem-2, stem-3... when taken) and returns the path.
// beforeRename: a test seam, called with the synced temporary file just before the rename.
Result<std::filesystem::path> writeToFolder(
    const std::filesystem::path& folder, const std::string& stem, const std::string& extension,
    const std::string& content,
    const std::function<void(const std::filesystem::path& temporaryFile)>& beforeRename = {});

}  // namespace kiosk::store
