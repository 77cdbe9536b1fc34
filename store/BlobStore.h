// Content-addressed, durable storage of raw bytes (inbound mails, dropped files, documents,
// letters). Two homes, chosen by `[store] blobs_in`:
// - files (the SQLite default): <root>/<aa>/<bb>/<sha256>, written by platform::writeFileDurably
//   (temp, fsync, rename, fsync directory; new directories fsynced into their parents);
// - database (the PostgreSQL default): the `blobs` table (files put by putFile in `blob_chunks`,
//   migration 0010), committed before put() returns, so every process and every host on that
//   database reads what any of them received (issue 13: no process depends on its own disk for
//   anything another process may need).
// In both, after put() returns the bytes survive a crash (store before you acknowledge), putting the
// same bytes twice is a no-op, and names never come from user input (only the hex digest).
// Thread-safety: any number of threads and processes may put/get concurrently.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace duegate::store {

class Database;
class Tx;

class BlobStore {
public:
    // Files under `root`.
    explicit BlobStore(std::string root);
    // The database's `blobs` table (migration 0008).
    explicit BlobStore(std::shared_ptr<Database> db);

    // Returns the sha256 (lower-case hex). Throws StoreError on I/O or store failure.
    std::string put(std::string_view bytes);
    // The same with the digest already computed (the caller's sha256Hex(bytes)).
    void put(std::string_view bytes, const std::string& sha256Hex);
    // Database: inserts the blob inside the caller's transaction (no-op when present), so a group
    // of mails and their rows commit together (gateway/services/IntakeBatcher).
    void putIn(Tx& tx, const std::string& sha256Hex, std::string_view bytes) const;
    // Streams a file into the store without holding it whole (a statement file of any size): files
    // home: copied to a temporary file while hashed, fsynced, renamed to its digest; database home:
    // hashed, then written in chunks of 1 MiB in one transaction, hashed again on the way (a file
    // that changed in between is refused). Returns the sha256. Throws StoreError.
    std::string putFile(const std::string& path);
    // The bytes, or std::nullopt when no blob has that digest (or the digest is malformed).
    std::optional<std::string> get(const std::string& sha256Hex) const;
    // The bytes as a seekable stream read a chunk at a time (files home: the file itself; database
    // home: one chunk row at a time, each read in a short transaction of its own), or nullptr when
    // no blob has that digest. The stream may outlive nothing: keep the BlobStore alive while reading.
    std::unique_ptr<std::istream> open(const std::string& sha256Hex) const;
    // The blob's size in bytes, or std::nullopt when absent.
    std::optional<std::uint64_t> size(const std::string& sha256Hex) const;
    bool inDatabase() const { return _db != nullptr; }

    static std::string sha256Hex(std::string_view bytes);

private:
    std::string pathOf(const std::string& sha256Hex) const;

    std::string _root;
    std::shared_ptr<Database> _db;
};

}  // namespace duegate::store
