#include "platform/DurableFile.h"

#include <cerrno>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace duegate::platform {
namespace {

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
    throw std::system_error(err, std::generic_category(), what + " " + path);
}

std::string parentOf(const std::string& path) {
    const auto p = std::filesystem::path(path).parent_path().string();
    return p.empty() ? "." : p;
}

}  // namespace

void syncDirectory(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail("open directory", dir, errno);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0) fail("fsync directory", dir, err);
}

void makeDirectoriesDurably(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(dir, ec)) return;
    const std::string parent = parentOf(dir);
    if (parent != dir) makeDirectoriesDurably(parent);
    if (::mkdir(dir.c_str(), 0750) != 0) {
        if (errno == EEXIST && fs::is_directory(dir, ec)) return;  // another process made it
        fail("mkdir", dir, errno);
    }
    syncDirectory(parent);  // the new directory's entry is durable in its parent
}

void writeFileDurably(const std::string& path, std::string_view bytes, unsigned mode) {
    const std::string dir = parentOf(path);
    makeDirectoriesDurably(dir);
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    const std::string tmp = dir + "/.tmp-" + std::to_string(rng());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) fail("create", tmp, errno);
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            fail("write", tmp, err);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        fail("fsync", tmp, err);
    }
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        fail("close", tmp, err);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        fail("rename to", path, err);
    }
    syncDirectory(dir);
}

void renameDurably(const std::string& from, const std::string& to) {
    const std::string toDir = parentOf(to);
    makeDirectoriesDurably(toDir);
    if (::rename(from.c_str(), to.c_str()) != 0) fail("rename " + from + " to", to, errno);
    syncDirectory(toDir);
    const std::string fromDir = parentOf(from);
    if (fromDir != toDir) syncDirectory(fromDir);
}

}  // namespace duegate::platform
