#include "channels/letter/PrintProvider.h"

#include "platform/DurableFile.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <cctype>
#include <fcntl.h>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <sys/file.h>
#include <unistd.h>

namespace duegate::channels {
namespace {

std::mutex gManifestMutex;

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
        platform::makeDirectoriesDurably(folder);
        platform::writeFileDurably(folder + "/" + job.fileName, job.pdf, 0644);

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
            platform::writeFileDurably(folder + "/manifest.csv", manifest, 0644);
        }
        return Delivered{folder + "/" + job.fileName};
    } catch (const std::exception& e) {
        return Retry{std::string("print folder: ") + e.what(), 300};
    }
}

}  // namespace duegate::channels
