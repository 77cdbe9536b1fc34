#include "channels/letter/PrintProvider.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <sys/file.h>
#include <unistd.h>

namespace duegate::channels {
namespace {

std::mutex gManifestMutex;

void fsyncPath(const std::string& path, int flags) {
    const int fd = ::open(path.c_str(), flags);
    if (fd < 0) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) throw std::runtime_error("cannot fsync " + path + ": " + std::strerror(errno));
}

// temp in the same folder, write, fsync, rename, fsync the folder.
void writeDurably(const std::string& folder, const std::string& name, const std::string& bytes) {
    const std::string tmp = folder + "/." + name + ".tmp." + std::to_string(::getpid());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("cannot create " + tmp + ": " + std::strerror(errno));
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int e = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(e));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot fsync " + tmp);
    }
    if (::rename(tmp.c_str(), (folder + "/" + name).c_str()) != 0) {
        const int e = errno;
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot rename " + tmp + ": " + std::strerror(e));
    }
    fsyncPath(folder, O_RDONLY | O_DIRECTORY);
}

bool safeName(const std::string& s) {
    if (s.empty() || s.size() > 200 || s[0] == '.') return false;
    for (char c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) return false;
    return true;
}

bool validDay(const std::string& d) {
    if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
    for (std::size_t i = 0; i < d.size(); ++i)
        if (i != 4 && i != 7 && !std::isdigit(static_cast<unsigned char>(d[i]))) return false;
    return true;
}

}  // namespace

std::string csvField(const std::string& v) {
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

DeliveryResult PrintFolder::submit(const PrintJob& job) {
    if (!safeName(job.fileName) || !validDay(job.day)) return Failed{"print: bad file name or day"};
    const std::string folder = _dir + "/" + job.day;
    try {
        std::filesystem::create_directories(folder);
        writeDurably(folder, job.fileName, job.pdf);

        Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
        sha.update(job.pdf.data(), static_cast<unsigned>(job.pdf.size()));
        const std::string digest = Poco::DigestEngine::digestToHex(sha.digest());

        std::lock_guard<std::mutex> lock(gManifestMutex);
        const std::string lockPath = folder + "/.manifest.lock";
        const int lockFd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (lockFd < 0) throw std::runtime_error("cannot open " + lockPath);
        struct Unlock {
            int fd;
            ~Unlock() {
                ::flock(fd, LOCK_UN);
                ::close(fd);
            }
        } unlock{lockFd};
        ::flock(lockFd, LOCK_EX);

        std::string manifest;
        {
            std::ifstream in(folder + "/manifest.csv", std::ios::binary);
            std::ostringstream s;
            s << in.rdbuf();
            manifest = s.str();
        }
        if (manifest.empty()) manifest = "file,dossier,recipient,address,pages,sha256\r\n";
        if (manifest.find("\n" + csvField(job.fileName) + ",") == std::string::npos) {
            manifest += csvField(job.fileName) + "," + csvField(job.dossier) + "," + csvField(job.recipientName) +
                        "," + csvField(job.address) + "," + std::to_string(job.pages) + "," + digest + "\r\n";
            writeDurably(folder, "manifest.csv", manifest);
        }
        return Delivered{folder + "/" + job.fileName};
    } catch (const std::exception& e) {
        return Retry{std::string("print folder: ") + e.what(), 300};
    }
}

}  // namespace duegate::channels
