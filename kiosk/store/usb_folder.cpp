// writeToFolder (usb_folder.h).
#include "store/usb_folder.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace kiosk::store {
namespace {

// What went wrong writing to the stick, in words a hub lead can act on. Nothing on the kiosk
// changed in any of these cases, and saying so spares a worried admin.
Error writeError(int error, const std::filesystem::path& folder) {
    const std::string where = folder.string();
    const std::string unchanged = " Nothing on the kiosk was changed.";
    if (error == ENOENT || error == ENODEV || error == ENXIO || error == ESTALE) {
        return Error{ErrorCode::ExportFolderMissing, "The export folder " + where +
                                                         " is no longer there: was the USB stick removed? "
                                                         "Put it back and export again." +
                                                         unchanged};
    }
    if (error == EROFS || error == EACCES || error == EPERM) {
        return Error{ErrorCode::ReadOnly, "Cannot write to " + where +
                                              ": the USB stick is read-only (check its lock switch) or "
                                              "the kiosk may not write there." +
                                              unchanged};
    }
    if (error == ENOSPC || error == EDQUOT || error == EFBIG) {
        return Error{ErrorCode::DiskFull, "The USB stick at " + where +
                                              " is full. Free some space or use another stick." + unchanged};
    }
    return Error{ErrorCode::IoError, "Writing to " + where + " failed (" + std::strerror(error) +
                                         "); the USB stick may be faulty or was removed. Try again or "
                                         "use another stick." +
                                         unchanged};
}

struct FileDescriptor {
    int fd = -1;
    ~FileDescriptor() {
        if (fd >= 0) ::close(fd);
    }
};

// Writes `content` to `temporary` (new file, 0600) and syncs it.
Status writeAndSync(const std::filesystem::path& temporary, const std::string& content,
                    const std::filesystem::path& folder) {
    FileDescriptor out{::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)};
    if (out.fd < 0) return writeError(errno, folder);
    std::size_t done = 0;
    while (done < content.size()) {
        const ssize_t wrote = ::write(out.fd, content.data() + done, content.size() - done);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote < 0) return writeError(errno, folder);
        done += static_cast<std::size_t>(wrote);
    }
    if (::fsync(out.fd) != 0) return writeError(errno, folder);
    const int fd = std::exchange(out.fd, -1);
    // A network or FAT file system may report a delayed write error only at close.
    if (::close(fd) != 0) return writeError(errno, folder);
    return Done{};
}

}  // namespace

Status checkExportFolder(const std::filesystem::path& folder) {
    struct stat status {};
    if (::stat(folder.c_str(), &status) != 0) return writeError(errno, folder);
    if (!S_ISDIR(status.st_mode)) {
        return Error{ErrorCode::InvalidArgument,
                     folder.string() + " is not a folder; choose the USB stick's folder."};
    }
    return Done{};
}

Result<std::filesystem::path> writeToFolder(
    const std::filesystem::path& folder, const std::string& stem, const std::string& extension,
    const std::string& content, const std::function<void(const std::filesystem::path&)>& beforeRename) {
    if (auto usable = checkExportFolder(folder); !usable) return usable.error();
    // Two exports in the same second get distinct names rather than replacing each other.
    std::filesystem::path finalFile = folder / (stem + extension);
    for (int copy = 2; ::access(finalFile.c_str(), F_OK) == 0; ++copy) {
        finalFile = folder / (stem + "-" + std::to_string(copy) + extension);
    }
    const std::filesystem::path temporary = folder / ("." + finalFile.filename().string() + ".partial");
    ::unlink(temporary.c_str());

    auto failed = [&](Error error) -> Result<std::filesystem::path> {
        ::unlink(temporary.c_str());  // fails harmlessly when the stick is gone
        return error;
    };
    if (auto written = writeAndSync(temporary, content, folder); !written) return failed(written.error());
    if (beforeRename) beforeRename(temporary);
    if (::rename(temporary.c_str(), finalFile.c_str()) != 0) return failed(writeError(errno, folder));
    FileDescriptor directory{::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (directory.fd < 0 || ::fsync(directory.fd) != 0) {
        const int error = errno;
        ::unlink(finalFile.c_str());  // not known to be on the stick: do not let it look complete
        return failed(writeError(error, folder));
    }
    return finalFile;
}

}  // namespace kiosk::store
