#include "store/BlobStore.h"

#include "store/Sql.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>
#include <unistd.h>

namespace duegate::store {
namespace {

bool isHexDigest(const std::string& s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

void fsyncPath(const std::string& path, int flags) {
    int fd = ::open(path.c_str(), flags);
    if (fd < 0) throw StoreError("blob store: open " + path + ": " + std::strerror(errno));
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) throw StoreError("blob store: fsync " + path + ": " + std::strerror(errno));
}

}  // namespace

BlobStore::BlobStore(std::string root) : _root(std::move(root)) {}

std::string BlobStore::sha256Hex(std::string_view bytes) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(bytes.data(), static_cast<unsigned>(bytes.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string BlobStore::pathOf(const std::string& sha) const {
    return _root + "/" + sha.substr(0, 2) + "/" + sha.substr(2, 2) + "/" + sha;
}

std::string BlobStore::put(std::string_view bytes) {
    const std::string sha = sha256Hex(bytes);
    const std::string path = pathOf(sha);
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(path, ec) && fs::file_size(path, ec) == bytes.size()) return sha;
    const fs::path dir = fs::path(path).parent_path();
    fs::create_directories(dir, ec);
    if (ec) throw StoreError("blob store: cannot create " + dir.string() + ": " + ec.message());

    static thread_local std::mt19937_64 rng{std::random_device{}()};
    const std::string tmp = dir.string() + "/.tmp-" + std::to_string(rng());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) throw StoreError("blob store: create " + tmp + ": " + std::strerror(errno));
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            const std::string err = std::strerror(errno);
            ::close(fd);
            ::unlink(tmp.c_str());
            throw StoreError("blob store: write " + tmp + ": " + err);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const std::string err = std::strerror(errno);
        ::unlink(tmp.c_str());
        throw StoreError("blob store: fsync " + tmp + ": " + err);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string err = std::strerror(errno);
        ::unlink(tmp.c_str());
        throw StoreError("blob store: rename to " + path + ": " + err);
    }
    fsyncPath(dir.string(), O_RDONLY | O_DIRECTORY);
    return sha;
}

std::string BlobStore::putFile(const std::string& source, std::uint64_t& size) {
    namespace fs = std::filesystem;
    std::ifstream in(source, std::ios::binary);
    if (!in) throw StoreError("blob store: cannot read " + source);
    std::error_code ec;
    fs::create_directories(_root, ec);
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    const std::string tmp = _root + "/.tmp-" + std::to_string(rng());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0) throw StoreError("blob store: create " + tmp + ": " + std::strerror(errno));
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    std::vector<char> buf(1 << 20);
    size = 0;
    auto fail = [&](const std::string& what) {
        const std::string err = std::strerror(errno);
        ::close(fd);
        ::unlink(tmp.c_str());
        throw StoreError("blob store: " + what + " " + tmp + ": " + err);
    };
    while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
        const auto n = static_cast<std::size_t>(in.gcount());
        engine.update(buf.data(), static_cast<unsigned>(n));
        size += n;
        std::size_t done = 0;
        while (done < n) {
            const ssize_t w = ::write(fd, buf.data() + done, n - done);
            if (w < 0) {
                if (errno == EINTR) continue;
                fail("write");
            }
            done += static_cast<std::size_t>(w);
        }
    }
    if (::fsync(fd) != 0) fail("fsync");
    ::close(fd);
    const std::string sha = Poco::DigestEngine::digestToHex(engine.digest());
    const std::string path = pathOf(sha);
    const fs::path dir = fs::path(path).parent_path();
    fs::create_directories(dir, ec);
    if (fs::exists(path, ec) && fs::file_size(path, ec) == size) {
        ::unlink(tmp.c_str());
        return sha;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string err = std::strerror(errno);
        ::unlink(tmp.c_str());
        throw StoreError("blob store: rename to " + path + ": " + err);
    }
    fsyncPath(dir.string(), O_RDONLY | O_DIRECTORY);
    return sha;
}

std::optional<std::string> BlobStore::get(const std::string& sha) const {
    if (!isHexDigest(sha)) return std::nullopt;
    std::ifstream in(pathOf(sha), std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    return std::move(out).str();
}

}  // namespace duegate::store
