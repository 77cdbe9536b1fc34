#include "gateway/inbound/SpoolBuffer.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <stdexcept>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace duegate::inbound {
namespace {

constexpr std::size_t kWriteBuffer = 65536;
constexpr std::size_t kKeep = 2 << 20;  // clear() keeps at most this much memory for the next mail

std::runtime_error sysError(const std::string& what) {
    return std::runtime_error("spool: " + what + ": " + std::strerror(errno));
}

}  // namespace

SpoolBuffer::SpoolBuffer(std::size_t threshold, std::string dir) : _threshold(threshold), _dir(std::move(dir)) {
    if (_dir.empty()) _dir = "/tmp";
}

SpoolBuffer::~SpoolBuffer() { clear(); }

void SpoolBuffer::openFile() {
    // Its parents too: on PostgreSQL nothing else creates `[store] blobs` (the default spool folder's
    // parent), and every mail over the threshold got 451 there.
    if (::mkdir(_dir.c_str(), 0700) != 0 && errno == ENOENT) {
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(_dir).parent_path(), ec);
        ::mkdir(_dir.c_str(), 0700);
    }
    _fd = ::open(_dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (_fd < 0) {
        std::string path = _dir + "/smtp-XXXXXX";
        _fd = ::mkostemp(path.data(), O_CLOEXEC);
        if (_fd < 0) throw sysError("create a file in " + _dir);
        ::unlink(path.c_str());
    }
}

void SpoolBuffer::append(std::string_view bytes) {
    unmap();
    _size += bytes.size();
    _memory.append(bytes);
    if (_fd < 0) {
        if (_threshold == 0 || _size <= _threshold) return;
        openFile();   // from now on _memory is only a write buffer
    }
    if (_memory.size() >= kWriteBuffer) flush();
}

void SpoolBuffer::flush() {
    std::size_t done = 0;
    while (done < _memory.size()) {
        ssize_t n = ::write(_fd, _memory.data() + done, _memory.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw sysError("write");
        done += static_cast<std::size_t>(n);
    }
    _memory.clear();
    if (_memory.capacity() > 2 * kWriteBuffer) std::string().swap(_memory);
}

std::string_view SpoolBuffer::view() {
    if (_fd < 0) return _memory;
    if (!_memory.empty()) flush();
    if (_size == 0) return {};
    if (!_map) {
        void* p = ::mmap(nullptr, _size, PROT_READ, MAP_PRIVATE, _fd, 0);
        if (p == MAP_FAILED) throw sysError("mmap");
        _map = p;
        _mapSize = _size;
    }
    return {static_cast<const char*>(_map), _mapSize};
}

void SpoolBuffer::unmap() {
    if (_map) ::munmap(_map, _mapSize);
    _map = nullptr;
    _mapSize = 0;
}

void SpoolBuffer::clear() {
    unmap();
    if (_fd >= 0) ::close(_fd);
    _fd = -1;
    _size = 0;
    // A session's next mail reuses the memory of its last one, up to the threshold (what it may
    // hold in DATA anyway): growing a fresh string to 200 KB for every mail cost copies and page
    // faults on newly mapped memory (bench/smtp). Anything larger is given back at once.
    if (_memory.capacity() <= std::min(_threshold == 0 ? kKeep : _threshold, kKeep)) _memory.clear();
    else std::string().swap(_memory);
}

}  // namespace duegate::inbound
