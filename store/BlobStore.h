// Content-addressed, durable storage of raw bytes (inbound mails, dropped files, documents,
// letters). Two homes, chosen by `[store] blobs_in`:
// - files (the SQLite default): <root>/<aa>/<bb>/<sha256>, written by platform::writeFileDurably
//   (temp, fsync, rename, fsync directory; new directories fsynced into their parents);
// - database (the PostgreSQL default): the `blobs` table, committed before put() returns, so every
//   process and every host on that database reads what any of them received (issue 13: no process
//   depends on its own disk for anything another process may need).
// In both, after put() returns the bytes survive a crash (store before you acknowledge), putting the
// same bytes twice is a no-op, and names never come from user input (only the hex digest).
// Thread-safety: any number of threads and processes may put/get concurrently.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
    // The bytes, or std::nullopt when no blob has that digest (or the digest is malformed).
    std::optional<std::string> get(const std::string& sha256Hex) const;
    bool inDatabase() const { return _db != nullptr; }

    static std::string sha256Hex(std::string_view bytes);

    // Group commit (gateway/services/IntakeBatcher): put() split into steps, so that many blobs
    // share one directory fsync each and, in the database, the transaction of their rows.
    struct Staged {
        std::string sha256;
        std::string temp;  // files: the fsynced temporary file to rename; empty when there is nothing to do
        std::string path;  // files: its final place
    };
    // Files: writes and fsyncs a temporary file next to its final place, unless the blob is already
    // there. Database: nothing (putIn() inserts the bytes). Throws StoreError.
    Staged stage(std::string_view bytes, const std::string& sha256Hex) const;
    // Files: renames every staged temporary file into place, then fsyncs each distinct directory
    // once; afterwards the blobs survive a crash. Throws StoreError (temps not yet renamed removed).
    void publish(std::vector<Staged>& staged) const;
    // Files: removes a staged temporary file that will not be published. Never throws.
    static void discard(Staged& staged) noexcept;
    // Database: inserts the blob inside the caller's transaction (no-op when present).
    void putIn(Tx& tx, const std::string& sha256Hex, std::string_view bytes) const;

private:
    std::string pathOf(const std::string& sha256Hex) const;

    std::string _root;
    std::shared_ptr<Database> _db;
};

}  // namespace duegate::store
