#include "store/BlobStore.h"

#include "platform/DurableFile.h"
#include "store/Database.h"
#include "store/Sql.h"
#include "store/Time.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>
#include <unistd.h>
#include <cerrno>

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
    if (_db) {
        _db->transaction([&](Tx& tx) { putIn(tx, sha, bytes); });
        return sha;
    }
    const std::string path = pathOf(sha);
    std::error_code ec;
    if (std::filesystem::exists(path, ec) && std::filesystem::file_size(path, ec) == bytes.size()) return sha;
    try {
        platform::writeFileDurably(path, bytes);
    } catch (const std::system_error& e) {
        throw StoreError(std::string("blob store: ") + e.what());
    }
    return sha;
}

BlobStore::Staged BlobStore::stage(std::string_view bytes, const std::string& sha) const {
    Staged out;
    out.sha256 = sha;
    if (_db) return out;
    out.path = pathOf(sha);
    std::error_code ec;
    if (std::filesystem::exists(out.path, ec) && std::filesystem::file_size(out.path, ec) == bytes.size()) return out;
    try {
        out.temp = platform::writeTempFileDurably(std::filesystem::path(out.path).parent_path().string(), bytes);
    } catch (const std::system_error& e) {
        throw StoreError(std::string("blob store: ") + e.what());
    }
    return out;
}

void BlobStore::publish(std::vector<Staged>& staged) const {
    std::set<std::string> dirs;
    try {
        for (auto& s : staged) {
            if (s.temp.empty()) continue;
            if (::rename(s.temp.c_str(), s.path.c_str()) != 0)
                throw std::system_error(errno, std::generic_category(), "rename to " + s.path);
            s.temp.clear();
            dirs.insert(std::filesystem::path(s.path).parent_path().string());
        }
        // One fsync per directory makes every rename into it durable (on ext4 the first one commits
        // the journal for all of them, the rest find nothing left to do).
        for (const auto& d : dirs) platform::syncDirectory(d);
    } catch (const std::system_error& e) {
        for (auto& s : staged) discard(s);
        throw StoreError(std::string("blob store: ") + e.what());
    }
}

void BlobStore::discard(Staged& s) noexcept {
    if (s.temp.empty()) return;
    ::unlink(s.temp.c_str());
    s.temp.clear();
}

void BlobStore::putIn(Tx& tx, const std::string& sha, std::string_view bytes) const {
    if (tx.queryOne("SELECT 1 FROM blobs WHERE sha256 = $1", {sha})) return;
    tx.exec("INSERT INTO blobs (sha256, size, data, created_at) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (sha256) DO NOTHING",
            {sha, static_cast<std::int64_t>(bytes.size()), toBase64(bytes), nowUtc()});
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
