// Content-addressed, durable storage of raw bytes (inbound mails, dropped files, documents).
//
// put() writes to a temporary file in the same directory, fsyncs it, renames it to
// <root>/<aa>/<bb>/<sha256> and fsyncs the directory, so after put() returns the bytes survive a
// crash (store before you acknowledge). Putting the same bytes twice is a no-op. Names never come
// from user input: only the hex digest is used as a path.
// Thread-safety: any number of threads and processes may put/get concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace duegate::store {

class BlobStore {
public:
    explicit BlobStore(std::string root);

    // Returns the sha256 (lower-case hex). Throws StoreError on I/O failure.
    std::string put(std::string_view bytes);
    // The same for a file on disk, read in chunks (memory flat in its size). Sets `size`.
    std::string putFile(const std::string& path, std::uint64_t& size);
    // The bytes, or std::nullopt when no blob has that digest (or the digest is malformed).
    std::optional<std::string> get(const std::string& sha256Hex) const;
    std::string pathOf(const std::string& sha256Hex) const;

    static std::string sha256Hex(std::string_view bytes);

private:
    std::string _root;
};

}  // namespace duegate::store
