#include "channels/FileMailChannel.h"

#include <Poco/DateTime.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace duegate::channels {

namespace {

std::string safeName(const std::string& messageId) {
    std::string name;
    bool changed = false;
    for (char c : messageId) {
        auto u = static_cast<unsigned char>(c);
        bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '.' ||
                  c == '_' || c == '@' || c == '+' || c == '-';
        name += ok ? c : '_';
        changed |= !ok;
    }
    if (name.size() > 150) {
        name.resize(150);
        changed = true;
    }
    if (name.empty() || name.front() == '.') {   // no hidden files, never "." or ".."
        name.insert(0, "m");
        changed = true;
    }
    if (changed) {
        std::uint64_t h = 1469598103934665603ull;
        for (char c : messageId) {
            h ^= static_cast<unsigned char>(c);
            h *= 1099511628211ull;
        }
        static constexpr char kHex[] = "0123456789abcdef";
        name += '-';
        for (int i = 60; i >= 0; i -= 4) name += kHex[(h >> i) & 15];
    }
    return name;
}

std::string errnoText(const std::string& what) { return what + ": " + std::strerror(errno); }

// Writes bytes to path atomically and durably; returns an empty string or the error.
std::string writeAtomically(const std::string& dir, const std::string& path, const std::string& bytes) {
    static std::atomic<unsigned long> counter{0};
    std::string tmp = dir + "/.tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".eml";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) return errnoText("create " + tmp);
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            std::string err = errnoText("write " + tmp);
            ::close(fd);
            ::unlink(tmp.c_str());
            return err;
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        std::string err = errnoText("fsync " + tmp);
        ::close(fd);
        ::unlink(tmp.c_str());
        return err;
    }
    ::close(fd);
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        std::string err = errnoText("rename to " + path);
        ::unlink(tmp.c_str());
        return err;
    }
    // The rename is durable only once the folder itself is synced.
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return errnoText("open " + dir);
    int rc = ::fsync(dfd);
    ::close(dfd);
    return rc == 0 ? std::string() : errnoText("fsync " + dir);
}

}  // namespace

FileMailChannel::FileMailChannel(FileMailOptions options, std::shared_ptr<const DkimSigner> dkim)
    : _options(std::move(options)), _dkim(std::move(dkim)) {}

std::string FileMailChannel::pathFor(const std::string& messageId) const {
    std::string id = messageId;
    if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
    return _options.outboxDir + "/" + safeName(id) + ".eml";
}

DeliveryResult FileMailChannel::send(const OutboundMail& input) {
    OutboundMail mail = input;
    auto rendered = renderForSending(mail, _dkim.get());
    if (auto* failed = std::get_if<Failed>(&rendered)) return *failed;
    std::string raw = std::get<std::string>(rendered);
    if (!mail.returnPath.empty() && mail.returnPath.find_first_of("\r\n<>") == std::string::npos)
        raw = "Return-Path: <" + mail.returnPath + ">\r\n" + raw;
    try {
        Poco::File(_options.outboxDir).createDirectories();
    } catch (const Poco::Exception& e) {
        return Retry{"outbox folder: " + e.displayText(), _options.retryAfterSeconds};
    }
    std::string path = pathFor(mail.messageId);
    std::string err = writeAtomically(_options.outboxDir, path, raw);
    if (!err.empty()) return Retry{err, _options.retryAfterSeconds};
    return Delivered{path};
}

}  // namespace duegate::channels
