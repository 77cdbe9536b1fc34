#include "store/BlobStore.h"

#include "parsers/common/Digest.h"
#include "platform/DurableFile.h"
#include "store/BlobGroup.h"
#include "store/Database.h"
#include "store/PgCopy.h"
#include "store/Sql.h"
#include "store/Time.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <openssl/evp.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <system_error>
#include <unistd.h>

namespace duegate::store {
namespace {

bool isHexDigest(const std::string& s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

// Base64 through OpenSSL's EVP_EncodeBlock/EVP_DecodeBlock (one call over a buffer) where it
// applies: Poco's stream codecs cost a few % of the intake's CPU per small mail (bench/smtp).
// What is stored is the same text either way (no line breaks, '=' padding).
constexpr std::size_t kBlockMax = std::numeric_limits<int>::max() / 2;

bool isBase64Char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
           c == '=';
}

std::string toBase64(std::string_view bytes) {
    if (bytes.size() < kBlockMax) {
        std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');  // + EVP's terminating NUL
        const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
        out.resize(static_cast<std::size_t>(n));
        return out;
    }
    std::ostringstream out;
    Poco::Base64Encoder enc(out);
    enc.rdbuf()->setLineLength(0);
    enc.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    enc.close();
    return std::move(out).str();
}

std::string fromBase64(const std::string& text) {
    // EVP_DecodeBlock takes whole quads without line breaks and keeps the padding's zero bytes:
    // anything else (none written by toBase64) goes through Poco's decoder.
    if (!text.empty() && text.size() % 4 == 0 && text.size() < kBlockMax && isBase64Char(text.front()) &&
        isBase64Char(text.back())) {
        std::string out(text.size() / 4 * 3, '\0');
        const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
        if (n >= 0) {
            const std::size_t pad = text.back() != '=' ? 0 : text[text.size() - 2] == '=' ? 2 : 1;
            out.resize(static_cast<std::size_t>(n) - pad);
            return out;
        }
    }
    if (text.empty()) return {};
    std::istringstream in(text);
    Poco::Base64Decoder dec(in);
    std::ostringstream out;
    out << dec.rdbuf();
    return std::move(out).str();
}

// Rows of a blob read. On PostgreSQL in binary format, so a bytea column arrives as its bytes (no
// hex encoding on the server, no decoding here): the queries cast their integer columns to text.
std::vector<Row> blobRows(Tx& tx, const std::string& sql, const std::vector<Value>& params) {
    if (tx.dialect() == Dialect::SQLite) return tx.query(sql, params);
    std::vector<pgcopy::Param> ps;
    for (const auto& v : params) {
        if (const auto* n = std::get_if<std::int64_t>(&v)) ps.push_back(pgcopy::int8(*n));
        else ps.push_back(pgcopy::text(std::get<std::string>(v)));
    }
    return pgcopy::query(tx, sql, ps, pgcopy::Results::Binary);
}

// A blob's (or chunk's) bytes from its row: `bytes` (bytea, PostgreSQL since migration 0026) when
// set, else base64 in `data` (SQLite, and every blob written before 0026).
std::string storedBytes(const Row& row, std::size_t data, std::size_t bytes) {
    if (!row.isNull(bytes)) return row.text(bytes);
    return fromBase64(row.text(data));
}

std::optional<Row> firstRow(std::vector<Row> rows) {
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

// putFile's piece size: 1 MiB of the file per read, per hash update and per blob_chunks row.
constexpr std::size_t kChunk = 1 << 20;

// Reads up to kChunk bytes; false at the end of the file.
bool readChunk(std::istream& in, std::string& buf) {
    buf.resize(kChunk);
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    buf.resize(static_cast<std::size_t>(in.gcount()));
    if (in.bad()) throw StoreError("blob store: read failed");
    return !buf.empty();
}

void writeAll(int fd, const std::string& bytes, const std::string& path) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw StoreError("blob store: write " + path + ": " + std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
}

// A blob of the database home read one chunk row at a time, each in a short read transaction of
// its own (so it never holds a connection between reads). Seekable: chunk k starts at k * kChunk.
class ChunkBuf : public std::streambuf {
public:
    ChunkBuf(std::shared_ptr<Database> db, std::string sha, std::int64_t chunks, std::uint64_t size)
        : _db(std::move(db)), _sha(std::move(sha)), _chunks(chunks), _size(size) {}

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        if (!load(_current + 1)) return traits_type::eof();
        return traits_type::to_int_type(*gptr());
    }
    pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode which) override {
        const off_type here = static_cast<off_type>(_base) + (gptr() - eback());
        const off_type base = dir == std::ios_base::beg ? 0 : dir == std::ios_base::cur ? here
                                                                                        : static_cast<off_type>(_size);
        return seekpos(pos_type(base + off), which);
    }
    pos_type seekpos(pos_type pos, std::ios_base::openmode) override {
        const off_type p = pos;
        if (p < 0 || static_cast<std::uint64_t>(p) > _size) return pos_type(off_type(-1));
        const std::int64_t chunk = static_cast<std::int64_t>(static_cast<std::uint64_t>(p) / kChunk);
        const std::size_t within = static_cast<std::size_t>(static_cast<std::uint64_t>(p) % kChunk);
        if (chunk >= _chunks) {  // the very end
            _buf.clear();
            _current = _chunks - 1;
            _base = _size;
            setg(_buf.data(), _buf.data(), _buf.data());
            return pos;
        }
        if (chunk != _current && !load(chunk)) return pos_type(off_type(-1));
        setg(_buf.data(), _buf.data() + within, _buf.data() + _buf.size());
        return pos;
    }

private:
    bool load(std::int64_t seq) {
        if (seq < 0 || seq >= _chunks) return false;
        auto row = _db->read([&](Tx& tx) {
            return firstRow(blobRows(tx, "SELECT data, bytes FROM blob_chunks WHERE sha256 = $1 AND seq = $2", {_sha, seq}));
        });
        if (!row) throw StoreError("blob " + _sha + ": chunk " + std::to_string(seq) + " is missing");
        _buf = storedBytes(*row, 0, 1);
        _current = seq;
        _base = static_cast<std::uint64_t>(seq) * kChunk;
        setg(_buf.data(), _buf.data(), _buf.data() + _buf.size());
        return true;
    }

    std::shared_ptr<Database> _db;
    std::string _sha;
    std::int64_t _chunks;
    std::uint64_t _size;
    std::int64_t _current = -1;
    std::uint64_t _base = 0;  // offset of _buf's first byte in the blob
    std::string _buf;
};

// An istream that owns its streambuf.
template <class Buf>
class OwningStream : public std::istream {
public:
    explicit OwningStream(std::unique_ptr<Buf> buf) : std::istream(buf.get()), _buf(std::move(buf)) {}

private:
    std::unique_ptr<Buf> _buf;
};

// A read-only stream over bytes held in memory (a small blob stored in one piece).
class StringBuf : public std::stringbuf {
public:
    explicit StringBuf(std::string s) : std::stringbuf(std::move(s), std::ios_base::in) {}
};

}  // namespace

BlobStore::BlobStore(std::string root) : _root(std::move(root)) {}
BlobStore::BlobStore(std::shared_ptr<Database> db)
    : _db(std::move(db)), _inlineBelow(std::numeric_limits<std::size_t>::max()) {}
BlobStore::BlobStore(std::string root, std::shared_ptr<Database> db, std::size_t inlineBelow)
    : _root(std::move(root)), _db(std::move(db)), _inlineBelow(inlineBelow) {
    if (_root.empty()) throw StoreError("blob store: a blobs folder is required");
}

std::string BlobStore::sha256Hex(std::string_view bytes) { return parsers::sha256Hex(bytes); }

std::string BlobStore::pathOf(const std::string& sha) const {
    return _root + "/" + sha.substr(0, 2) + "/" + sha.substr(2, 2) + "/" + sha;
}

void BlobStore::putIn(Tx& tx, const std::string& sha, std::string_view bytes) const {
    putAllIn(*this, tx, {BlobIn{sha, bytes}});
}

void putAllIn(const BlobStore& blobs, Tx& tx, const std::vector<BlobIn>& group) {
    for (const auto& b : group)
        if (!blobs.inTransaction(b.bytes.size()))
            throw StoreError("blob store: this blob does not belong in the database");
    // One statement per blob: a blob already there (the same mail again) is left as it is.
    if (tx.dialect() == Dialect::SQLite) {
        for (const auto& b : group)
            tx.exec("INSERT INTO blobs (sha256, size, data, created_at) VALUES ($1, $2, $3, $4) "
                    "ON CONFLICT (sha256) DO NOTHING",
                    {std::string(b.sha256Hex), static_cast<std::int64_t>(b.bytes.size()), toBase64(b.bytes), nowUtc()});
        return;
    }
    // PostgreSQL: bytea (migration 0026). One blob: one INSERT. More: the ones not stored yet by
    // binary COPY (a copy less of every mail on the server than an INSERT of arrays, and no plan),
    // after one look-up of which are stored already. Another process storing one of them in
    // between makes the COPY fail on the primary key: the group then runs again mail by mail
    // (IntakeBatcher), each putIn with ON CONFLICT.
    const std::string now = nowUtc();
    std::vector<const BlobIn*> todo;
    std::set<std::string_view> seen;
    for (const auto& b : group)
        if (seen.insert(b.sha256Hex).second) todo.push_back(&b);
    if (todo.size() == 1) {
        pgcopy::query(tx,
                      "INSERT INTO blobs (sha256, size, data, created_at, bytes) VALUES ($1, $2, '', $3, $4) "
                      "ON CONFLICT (sha256) DO NOTHING",
                      {pgcopy::text(todo[0]->sha256Hex), pgcopy::int8(static_cast<std::int64_t>(todo[0]->bytes.size())),
                       pgcopy::text(now), pgcopy::bytea(todo[0]->bytes)});
        return;
    }
    if (todo.empty()) return;
    pgcopy::Array shas(pgcopy::kText);
    for (const auto* b : todo) shas.add(b->sha256Hex);
    std::set<std::string> stored;
    for (const auto& r : pgcopy::query(tx, "SELECT sha256 FROM blobs WHERE sha256 = ANY($1)", {shas.param()}))
        stored.insert(r.text(0));
    std::vector<std::vector<pgcopy::Param>> rows;
    for (const auto* b : todo)
        if (!stored.count(std::string(b->sha256Hex)))
            rows.push_back({pgcopy::text(b->sha256Hex), pgcopy::int8(static_cast<std::int64_t>(b->bytes.size())),
                            pgcopy::text(""), pgcopy::text(now), pgcopy::bytea(b->bytes)});
    pgcopy::copyInBinary(tx, "COPY blobs (sha256, size, data, created_at, bytes) FROM STDIN (FORMAT binary)", rows,
                         pgcopy::Wait::Later);
}

std::string BlobStore::put(std::string_view bytes) {
    std::string sha = sha256Hex(bytes);
    put(bytes, sha);
    return sha;
}

void BlobStore::put(std::string_view bytes, const std::string& sha) {
    if (inDatabase()) {
        _db->transaction([&](Tx& tx) { putIn(tx, sha, bytes); });
        return;
    }
    const std::string path = pathOf(sha);
    std::error_code ec;
    if (std::filesystem::exists(path, ec) && std::filesystem::file_size(path, ec) == bytes.size()) return;
    try {
        platform::writeFileDurably(path, bytes);
    } catch (const std::system_error& e) {
        throw StoreError(std::string("blob store: ") + e.what());
    }
}

std::string BlobStore::putFile(const std::string& path) {
    std::string buf;
    if (inDatabase()) {
        // Hash first: the digest names the chunks. The second pass writes them and hashes again, so
        // what is stored under the digest is exactly what was hashed.
        std::ifstream in(path, std::ios::binary);
        if (!in) throw StoreError("blob store: cannot read " + path);
        parsers::Sha256 first;
        std::uint64_t size = 0;
        while (readChunk(in, buf)) {
            first.update(buf);
            size += buf.size();
        }
        const std::string sha = first.hexDigest();
        if (_db->read([&](Tx& tx) { return tx.queryOne("SELECT 1 FROM blobs WHERE sha256 = $1", {sha}).has_value(); }))
            return sha;
        _db->transaction([&](Tx& tx) {
            std::ifstream again(path, std::ios::binary);
            if (!again) throw StoreError("blob store: cannot read " + path);
            // TOAST compresses each chunk; PostgreSQL's default (pglz) costs tens of ms per MiB of
            // base64, lz4 (PostgreSQL 14+, when built in) a few: a 100 MB statement file is stored
            // seconds faster. Only this transaction's writes are affected; reads need no setting.
            if (tx.dialect() == Dialect::PostgreSQL &&
                tx.queryOne("SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND "
                            "'lz4' = ANY(enumvals)"))
                tx.exec("SET LOCAL default_toast_compression = 'lz4'");
            parsers::Sha256 second;
            std::int64_t seq = 0;
            std::uint64_t written = 0;
            while (readChunk(again, buf)) {
                second.update(buf);
                written += buf.size();
                if (tx.dialect() == Dialect::PostgreSQL)
                    pgcopy::query(tx,
                                  "INSERT INTO blob_chunks (sha256, seq, data, bytes) VALUES ($1, $2, '', $3) "
                                  "ON CONFLICT DO NOTHING",
                                  {pgcopy::text(sha), pgcopy::int8(seq++), pgcopy::bytea(buf)});
                else
                    tx.exec("INSERT INTO blob_chunks (sha256, seq, data) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                            {sha, seq++, toBase64(buf)});
            }
            if (written != size || second.hexDigest() != sha)
                throw StoreError("blob store: " + path + " changed while it was being stored");
            tx.exec("INSERT INTO blobs (sha256, size, data, created_at, chunks) VALUES ($1, $2, '', $3, $4) "
                    "ON CONFLICT (sha256) DO NOTHING",
                    {sha, static_cast<std::int64_t>(size), nowUtc(), seq});
        });
        return sha;
    }
    // Files: copied to a temporary file next to the blobs while hashed, then renamed to the digest.
    std::ifstream in(path, std::ios::binary);
    if (!in) throw StoreError("blob store: cannot read " + path);
    try {
        platform::makeDirectoriesDurably(_root);
    } catch (const std::system_error& e) {
        throw StoreError(std::string("blob store: ") + e.what());
    }
    std::string tmp = _root + "/.incoming-XXXXXX";
    const int fd = ::mkstemp(tmp.data());
    if (fd < 0) throw StoreError("blob store: cannot create a file in " + _root + ": " + std::strerror(errno));
    try {
        parsers::Sha256 hash;
        std::uint64_t size = 0;
        while (readChunk(in, buf)) {
            hash.update(buf);
            size += buf.size();
            writeAll(fd, buf, tmp);
        }
        if (::fchmod(fd, 0640) != 0 || ::fsync(fd) != 0)
            throw StoreError("blob store: fsync " + tmp + ": " + std::strerror(errno));
        ::close(fd);
        const std::string sha = hash.hexDigest();
        const std::string target = pathOf(sha);
        std::error_code ec;
        if (std::filesystem::exists(target, ec) && std::filesystem::file_size(target, ec) == size) {
            ::unlink(tmp.c_str());
            return sha;
        }
        platform::renameDurably(tmp, target);
        return sha;
    } catch (const std::system_error& e) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw StoreError(std::string("blob store: ") + e.what());
    } catch (...) {
        ::close(fd);
        ::unlink(tmp.c_str());
        throw;
    }
}

std::unique_ptr<std::istream> BlobStore::open(const std::string& sha) const {
    if (!isHexDigest(sha)) return nullptr;
    if (!_root.empty()) {
        auto in = std::make_unique<std::ifstream>(pathOf(sha), std::ios::binary);
        if (*in) return in;
        if (!_db) return nullptr;
    }
    return openFromDatabase(sha);
}

std::unique_ptr<std::istream> BlobStore::openFromDatabase(const std::string& sha) const {
    auto row = _db->read([&](Tx& tx) {
        return firstRow(blobRows(tx,
                                 "SELECT CAST(size AS TEXT), CAST(chunks AS TEXT), CASE WHEN chunks = 0 THEN data ELSE '' "
                                 "END, CASE WHEN chunks = 0 THEN bytes END FROM blobs WHERE sha256 = $1",
                                 {sha}));
    });
    if (!row) return nullptr;
    if (row->integer(1) == 0)
        return std::make_unique<OwningStream<StringBuf>>(std::make_unique<StringBuf>(storedBytes(*row, 2, 3)));
    return std::make_unique<OwningStream<ChunkBuf>>(
        std::make_unique<ChunkBuf>(_db, sha, row->integer(1), static_cast<std::uint64_t>(row->integer(0))));
}

std::optional<std::uint64_t> BlobStore::size(const std::string& sha) const {
    if (!isHexDigest(sha)) return std::nullopt;
    if (!_root.empty()) {
        std::error_code ec;
        const auto n = std::filesystem::file_size(pathOf(sha), ec);
        if (!ec) return n;
        if (!_db) return std::nullopt;
    }
    return sizeFromDatabase(sha);
}

std::optional<std::uint64_t> BlobStore::sizeFromDatabase(const std::string& sha) const {
    auto row = _db->read([&](Tx& tx) { return tx.queryOne("SELECT size FROM blobs WHERE sha256 = $1", {sha}); });
    if (!row) return std::nullopt;
    return static_cast<std::uint64_t>(row->integer(0));
}

std::optional<std::string> BlobStore::get(const std::string& sha) const {
    if (!isHexDigest(sha)) return std::nullopt;
    if (!_root.empty()) {
        std::ifstream in(pathOf(sha), std::ios::binary);
        if (in) {
            std::ostringstream out;
            out << in.rdbuf();
            return std::move(out).str();
        }
        if (!_db) return std::nullopt;
    }
    return getFromDatabase(sha);
}

std::optional<std::string> BlobStore::getFromDatabase(const std::string& sha) const {
    // A read (deferred on SQLite): a reader never waits for the intake's group commit. A blob row
    // is committed after (or with) its chunks and never changes, so two statements agree.
    return _db->read([&](Tx& tx) -> std::optional<std::string> {
        auto row = firstRow(blobRows(tx, "SELECT data, CAST(chunks AS TEXT), bytes FROM blobs WHERE sha256 = $1", {sha}));
        if (!row) return std::nullopt;
        if (row->integer(1) == 0) return storedBytes(*row, 0, 2);
        std::string out;
        for (const auto& c : blobRows(tx, "SELECT data, bytes FROM blob_chunks WHERE sha256 = $1 ORDER BY seq", {sha}))
            out += storedBytes(c, 0, 1);
        return out;
    });
}

}  // namespace duegate::store
