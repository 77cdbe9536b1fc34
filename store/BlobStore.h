// Content-addressed, durable storage of raw bytes (inbound mails, dropped files, documents,
// letters). Three homes, chosen by `[store] blobs_in`:
// - files: <root>/<aa>/<bb>/<sha256>, written by platform::writeFileDurably (temp, fsync, rename,
//   fsync directory; new directories fsynced into their parents);
// - database (the PostgreSQL default): the `blobs` table (files put by putFile in `blob_chunks`,
//   migration 0010), committed before put() returns, so every process and every host on that
//   database reads what any of them received (issue 13: no process depends on its own disk for
//   anything another process may need);
// - files with small blobs in the database (the SQLite default): as files, except that a blob
//   smaller than `inlineBelow` written with putIn goes into the `blobs` table inside the caller's
//   transaction. The intake's group commit puts a small mail there with its inbound rows, so one WAL
//   fsync makes a whole group durable instead of a file, an fsync and a directory fsync per mail
//   (bench/smtp, docs/performance.md). A large mail is still a file, written before the transaction.
// Readers (get, open, size) of a files home look for the file first, then, when the store has a
// database, in the table: every reader of raw bytes (ingest, reprocess, quarantine, legal file, the
// portal) finds a blob in either home, whatever the setting was when it was written.
// In every home, after put() returns (or putIn's transaction commits) the bytes survive a crash
// (store before you acknowledge), putting the same bytes twice is a no-op, and names never come
// from user input (only the hex digest).
// Thread-safety: any number of threads and processes may put/get concurrently.
#pragma once

#include <cstddef>
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
    // Files under `root`; blobs smaller than inlineBelow bytes go into `db` when written with putIn.
    BlobStore(std::string root, std::shared_ptr<Database> db, std::size_t inlineBelow);

    // What `[store] blobs_in = auto` keeps in the database on SQLite: mails up to some tens of KB
    // cost less there (one WAL fsync per group) than as files; larger ones cost less as files (no
    // base64 through the WAL). Measured in docs/performance.md, SMTP intake.
    static constexpr std::size_t kInlineBelow = 64 * 1024;

    // Returns the sha256 (lower-case hex). Throws StoreError on I/O or store failure.
    std::string put(std::string_view bytes);
    // The same with the digest already computed (the caller's sha256Hex(bytes)).
    void put(std::string_view bytes, const std::string& sha256Hex);
    // True when a blob of `size` bytes belongs in the caller's transaction (putIn): always in the
    // database home, below inlineBelow in the mixed one, never for files only. Otherwise put() it
    // before the transaction.
    bool inTransaction(std::size_t size) const { return _db && size < _inlineBelow; }
    // Inserts the blob into the `blobs` table inside the caller's transaction (no-op when present),
    // so a group of mails and their rows commit together (gateway/services/IntakeBatcher). Only
    // when inTransaction(bytes.size()); throws StoreError otherwise.
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
    // Every blob in the database (no files at all).
    bool inDatabase() const { return _db != nullptr && _root.empty(); }

    static std::string sha256Hex(std::string_view bytes);

private:
    std::string pathOf(const std::string& sha256Hex) const;
    std::optional<std::string> getFromDatabase(const std::string& sha256Hex) const;
    std::unique_ptr<std::istream> openFromDatabase(const std::string& sha256Hex) const;
    std::optional<std::uint64_t> sizeFromDatabase(const std::string& sha256Hex) const;

    std::string _root;              // empty: the database home
    std::shared_ptr<Database> _db;  // null: files only
    std::size_t _inlineBelow = 0;   // putIn below this size (database home: no limit)
};

}  // namespace duegate::store
