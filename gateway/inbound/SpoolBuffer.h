// SpoolBuffer: the bytes of one DATA phase, in memory while small and in an unnamed temporary
// file once they pass a threshold, so a listener's memory does not grow with message size x
// sessions (an MX may hold many slow 25 MiB transfers at once).
//
// append() adds bytes; view() returns all of them as one contiguous string_view: the in-memory
// string, or the spool file mapped read-only (page cache, not the process heap; valid until the
// next append()/clear()). clear() drops the bytes and the file, and keeps the memory for the next
// mail while it is no larger than the threshold (and 2 MiB): the session's bound is unchanged. The file is created with
// O_TMPFILE (no name: a crash leaves nothing behind), or mkstemp + unlink where that is missing.
// Errors: append()/view() throw std::runtime_error when the spool file cannot be written or
// mapped (disk full): the session answers 451 and the client retries.
// threshold 0 = never spool. Thread-safety: one owner (one SMTP session).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace duegate::inbound {

class SpoolBuffer {
public:
    SpoolBuffer(std::size_t threshold, std::string dir);
    ~SpoolBuffer();
    SpoolBuffer(const SpoolBuffer&) = delete;
    SpoolBuffer& operator=(const SpoolBuffer&) = delete;

    void append(std::string_view bytes);
    std::string_view view();
    void clear();

    std::size_t size() const { return _size; }
    bool spooled() const { return _fd >= 0; }
    // Bytes held on the heap right now (the in-memory part plus the write buffer); for tests.
    std::size_t heapBytes() const { return _memory.capacity(); }

private:
    void openFile();
    void flush();
    void unmap();

    std::size_t _threshold;
    std::string _dir;
    std::string _memory;   // the bytes while small; the write buffer once spooled
    std::size_t _size = 0;
    int _fd = -1;
    void* _map = nullptr;
    std::size_t _mapSize = 0;
};

}  // namespace duegate::inbound
