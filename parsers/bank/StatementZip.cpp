#include "parsers/bank/StatementZip.h"

#include "parsers/bank/CamtParser.h"
#include "parsers/bank/CodaParser.h"
#include "parsers/bank/Mt940Parser.h"
#include "parsers/common/ZipReader.h"

#include <Poco/Exception.h>
#include <Poco/Zip/ZipStream.h>

namespace duegate::parsers::bank {

namespace {

bool escapes(const std::string& name) {
    if (name.empty() || name.front() == '/' || name.find('\\') != std::string::npos) return true;
    if (name.size() >= 2 && name[1] == ':') return true;
    std::size_t start = 0;
    while (start <= name.size()) {
        const auto end = name.find('/', start);
        const auto part = name.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (part == "..") return true;
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return false;
}

// Reads at most `limit` + 1 bytes, so the caller can tell "exactly at the limit" from "over".
std::string readBounded(std::istream& in, std::uint64_t limit) {
    std::string out;
    char buf[65536];
    while (out.size() <= limit) {
        in.read(buf, sizeof buf);
        const auto n = in.gcount();
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

// Calls f(name, content) for each file entry in name order; stops on the first Error.
template <class F>
std::optional<Error> forEachEntry(std::string_view bytes, const Limits& limits, F f) {
    try {
        ZipReader zip(bytes);
        const auto& archive = zip.archive();
        std::size_t count = 0;
        std::uint64_t total = 0;
        for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
            const auto& h = it->second;
            const std::string& name = h.getFileName();
            if (++count > limits.maxZipEntries) return errorAtOffset(0, "zip", "more than " + std::to_string(limits.maxZipEntries) + " entries");
            if (escapes(name)) {
                Error e = errorAtOffset(static_cast<std::size_t>(h.getStartPos()), "zip entry name", "name escapes the archive");
                e.context = name;
                return e;
            }
            if (h.isDirectory()) continue;
            if (h.isEncrypted()) {
                Error e = errorAtOffset(static_cast<std::size_t>(h.getStartPos()), "zip entry", "encrypted entries are not supported");
                e.context = name;
                return e;
            }
            Poco::Zip::ZipInputStream zin(zip.data(), h, true);
            std::string content = readBounded(zin, limits.maxZipEntryBytes);
            if (content.size() > limits.maxZipEntryBytes) {
                Error e = errorAtOffset(static_cast<std::size_t>(h.getStartPos()), "zip entry", "uncompressed size over the limit");
                e.context = name;
                return e;
            }
            total += content.size();
            if (total > limits.maxZipTotalBytes) return errorAtOffset(0, "zip", "total uncompressed size over the limit");
            if (auto stop = f(name, content)) return stop;
        }
    } catch (const Poco::Exception& e) {
        return errorAtOffset(0, "zip", "not a readable ZIP archive: " + e.displayText());
    } catch (const std::exception& e) {
        return errorAtOffset(0, "zip", std::string("not a readable ZIP archive: ") + e.what());
    }
    return std::nullopt;
}

}  // namespace

bool sniffStatementZip(std::string_view bytes) {
    if (!bytes.starts_with("PK\x03\x04")) return false;
    bool statement = false;
    Limits small;
    small.maxZipEntries = 1000;
    small.maxZipEntryBytes = 8u << 20;
    const auto stop = forEachEntry(bytes, small, [&](const std::string&, const std::string& content) -> std::optional<Error> {
        statement = sniffCoda(content) || sniffCamt(content) || sniffMt940(content);
        return Error{};  // the first file decides
    });
    // An entry name that escapes the archive is claimed here so that parsing reports it.
    return statement || (stop && stop->field == "zip entry name");
}

Result<StatementFile> parseStatementZip(std::string_view bytes, const Limits& limits) {
    if (bytes.size() > limits.maxInputBytes) return errorAtOffset(0, "input", "file larger than the limit");
    if (!bytes.starts_with("PK\x03\x04")) return errorAtOffset(0, "zip", "not a ZIP archive");
    StatementFile out;
    out.format = "zip";
    std::string charsets;
    auto stop = forEachEntry(bytes, limits, [&](const std::string& name, const std::string& content) -> std::optional<Error> {
        Result<StatementFile> r = errorAtOffset(0, "format", "entry is not a CODA, CAMT or MT940 statement");
        if (sniffCoda(content)) r = parseCoda(content, limits);
        else if (sniffCamt(content)) r = parseCamt(content, limits);
        else if (sniffMt940(content)) r = parseMt940(content, limits);
        if (!r) {
            Error e = r.error();
            e.context = name;
            return e;
        }
        if (out.statements.size() + r->statements.size() > limits.maxStatements)
            return errorAtOffset(0, "zip", "too many statements");
        for (auto& w : r->warnings) out.warnings.push_back(name + ": " + w);
        out.warnings.push_back(name + ": " + r->format + " " + r->version + ", " + std::to_string(r->statements.size()) + " statement(s), charset " + r->charset);
        if (charsets.find(r->charset) == std::string::npos) charsets += (charsets.empty() ? "" : ",") + r->charset;
        for (auto& s : r->statements) out.statements.push_back(std::move(s));
        return std::nullopt;
    });
    if (stop) return *stop;
    if (out.statements.empty()) return errorAtOffset(0, "zip", "archive holds no statement");
    out.version = "1";
    out.charset = charsets.empty() ? "ascii" : charsets;
    return out;
}

}  // namespace duegate::parsers::bank
