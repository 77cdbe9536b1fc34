#include "store/BlobStore.h"

#include "parsers/common/Digest.h"
#include "platform/DurableFile.h"
#include "store/Database.h"
#include "store/Sql.h"
#include "store/Time.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace duegate::store {
namespace {

bool isHexDigest(const std::string& s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

std::string toBase64(std::string_view bytes) {
    std::ostringstream out;
    Poco::Base64Encoder enc(out);
    enc.rdbuf()->setLineLength(0);
    enc.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    enc.close();
    return std::move(out).str();
}

std::string fromBase64(const std::string& text) {
    std::istringstream in(text);
    Poco::Base64Decoder dec(in);
    std::ostringstream out;
    out << dec.rdbuf();
    return std::move(out).str();
}

}  // namespace

BlobStore::BlobStore(std::string root) : _root(std::move(root)) {}
BlobStore::BlobStore(std::shared_ptr<Database> db) : _db(std::move(db)) {}

std::string BlobStore::sha256Hex(std::string_view bytes) { return parsers::sha256Hex(bytes); }

std::string BlobStore::pathOf(const std::string& sha) const {
    return _root + "/" + sha.substr(0, 2) + "/" + sha.substr(2, 2) + "/" + sha;
}

void BlobStore::putIn(Tx& tx, const std::string& sha, std::string_view bytes) const {
    if (tx.queryOne("SELECT 1 FROM blobs WHERE sha256 = $1", {sha})) return;
    tx.exec("INSERT INTO blobs (sha256, size, data, created_at) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (sha256) DO NOTHING",
            {sha, static_cast<std::int64_t>(bytes.size()), toBase64(bytes), nowUtc()});
}

std::string BlobStore::put(std::string_view bytes) {
    std::string sha = sha256Hex(bytes);
    put(bytes, sha);
    return sha;
}

void BlobStore::put(std::string_view bytes, const std::string& sha) {
    if (_db) {
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

std::optional<std::string> BlobStore::get(const std::string& sha) const {
    if (!isHexDigest(sha)) return std::nullopt;
    if (_db) {
        auto row = _db->transaction([&](Tx& tx) { return tx.queryOne("SELECT data FROM blobs WHERE sha256 = $1", {sha}); });
        if (!row) return std::nullopt;
        return fromBase64(row->text(0));
    }
    std::ifstream in(pathOf(sha), std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    return std::move(out).str();
}

}  // namespace duegate::store
