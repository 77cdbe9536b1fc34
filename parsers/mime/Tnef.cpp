#include "parsers/mime/Tnef.h"

#include "parsers/mime/Charset.h"

#include "parsers/common/Utf8.h"

#include <cstdint>

namespace duegate::parsers::mime {
namespace {

constexpr std::uint32_t kSignature = 0x223E9F78;
constexpr std::uint32_t kAttachRendData = 0x00069002;
constexpr std::uint32_t kAttachTitle = 0x00018010;
constexpr std::uint32_t kAttachData = 0x0006800F;
constexpr std::uint32_t kAttachment = 0x00069005;  // MAPI properties of the attachment

struct Reader {
    std::string_view s;
    std::size_t pos = 0;
    bool ok = true;
    bool need(std::size_t n) {
        if (!ok || s.size() - pos < n) { ok = false; return false; }
        return true;
    }
    std::uint32_t u32() {
        if (!need(4)) return 0;
        const auto* p = reinterpret_cast<const unsigned char*>(s.data() + pos);
        pos += 4;
        return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) | (std::uint32_t(p[3]) << 24);
    }
    std::uint16_t u16() {
        if (!need(2)) return 0;
        const auto* p = reinterpret_cast<const unsigned char*>(s.data() + pos);
        pos += 2;
        return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
    }
    std::string_view bytes(std::size_t n) {
        if (!need(n)) return {};
        auto v = s.substr(pos, n);
        pos += n;
        return v;
    }
    void skip(std::size_t n) { bytes(n); }
};

// MAPI PT_UNICODE strings are UTF-16LE (surrogate pairs included).
std::string utf16leToUtf8(std::string_view b) {
    std::string out;
    auto unit = [&](std::size_t i) {
        return static_cast<std::uint32_t>(static_cast<unsigned char>(b[i]) | (static_cast<unsigned char>(b[i + 1]) << 8));
    };
    for (std::size_t i = 0; i + 1 < b.size(); i += 2) {
        std::uint32_t cp = unit(i);
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < b.size() && unit(i + 2) >= 0xDC00 && unit(i + 2) <= 0xDFFF) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
            i += 2;
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        appendUtf8(out, cp);
    }
    return out;
}

std::string cString(std::string_view v) {
    const auto nul = v.find('\0');
    return std::string(v.substr(0, nul));
}

// Reads the MAPI property list of an attachment; fills long filename and MIME tag when present.
// Best effort: a malformed list just stops the scan (the 8.3 title still names the file).
void readMapiProps(std::string_view data, TnefFile& file) {
    Reader r{data};
    const std::uint32_t count = r.u32();
    for (std::uint32_t i = 0; i < count && r.ok; ++i) {
        const std::uint16_t type = r.u16();
        const std::uint16_t id = r.u16();
        if (id >= 0x8000) {  // named property: GUID, kind, then an id or a name
            r.skip(16);
            const std::uint32_t kind = r.u32();
            if (kind == 0) r.skip(4);
            else {
                const std::uint32_t len = r.u32();
                r.skip((len + 3) & ~3u);
            }
        }
        const bool multi = (type & 0x1000) != 0;
        const std::uint16_t base = type & 0x0FFF;
        const bool variable = base == 0x001E || base == 0x001F || base == 0x0102 || base == 0x000D;
        std::uint32_t values = 1;
        if (multi || variable) values = r.u32();
        if (values > data.size()) return;
        for (std::uint32_t v = 0; v < values && r.ok; ++v) {
            if (variable) {
                const std::uint32_t len = r.u32();
                if (len > data.size()) return;
                std::string_view val = r.bytes(len);
                r.skip(((len + 3) & ~3u) - len);
                if (!r.ok) return;
                if (id == 0x3707 && base == 0x001F) file.filename = cString(utf16leToUtf8(val));
                else if (id == 0x3707 && base == 0x001E) file.filename = utf8OrWindows1252(cString(val));
                else if (id == 0x370E && base == 0x001E) file.mimeType = cString(val);
                else if (id == 0x370E && base == 0x001F) file.mimeType = cString(utf16leToUtf8(val));
            } else {
                std::size_t size = 4;
                switch (base) {
                    case 0x0002: case 0x000B: case 0x0003: case 0x0004: case 0x000A: size = 4; break;
                    case 0x0005: case 0x0006: case 0x0007: case 0x0014: case 0x0040: size = 8; break;
                    case 0x0048: size = 16; break;
                    default: return;  // a type we do not know: stop, we cannot skip it safely
                }
                r.skip(size);
            }
        }
    }
}

}  // namespace

bool looksLikeTnef(std::string_view bytes) {
    Reader r{bytes};
    return r.u32() == kSignature;
}

TnefResult decodeTnef(std::string_view bytes, std::size_t maxFiles) {
    TnefResult result;
    Reader r{bytes};
    if (r.u32() != kSignature) {
        result.error = "not a TNEF stream (bad signature)";
        return result;
    }
    r.u16();  // legacy key
    TnefFile* current = nullptr;
    while (r.ok && r.pos < bytes.size()) {
        const std::size_t recordStart = r.pos;
        const auto level = static_cast<unsigned char>(r.bytes(1).empty() ? 0 : bytes[recordStart]);
        const std::uint32_t id = r.u32();
        const std::uint32_t len = r.u32();
        if (!r.ok || len > bytes.size() - r.pos) {
            result.error = "truncated TNEF record";
            result.errorOffset = recordStart;
            break;
        }
        std::string_view data = r.bytes(len);
        r.u16();  // checksum (sum of data bytes); not verified: Outlook's own readers ignore it too
        if (!r.ok) {
            result.error = "truncated TNEF record";
            result.errorOffset = recordStart;
            break;
        }
        if (level != 2) continue;
        if (id == kAttachRendData || current == nullptr) {
            if (id == kAttachRendData || !current) {
                if (result.files.size() >= maxFiles) {
                    result.error = "too many files in TNEF";
                    result.errorOffset = recordStart;
                    break;
                }
                result.files.emplace_back();
                current = &result.files.back();
            }
            if (id == kAttachRendData) continue;
        }
        if (id == kAttachTitle) {
            if (current->filename.empty()) current->filename = utf8OrWindows1252(cString(data));
        } else if (id == kAttachData) {
            current->bytes = std::string(data);
        } else if (id == kAttachment) {
            TnefFile props;
            readMapiProps(data, props);
            if (!props.filename.empty()) current->filename = props.filename;
            if (!props.mimeType.empty()) current->mimeType = props.mimeType;
        }
    }
    // Attachment records without data (e.g. OLE objects we skip) are not files.
    std::vector<TnefFile> files;
    for (auto& f : result.files)
        if (!f.bytes.empty() || !f.filename.empty()) files.push_back(std::move(f));
    result.files = std::move(files);
    return result;
}

}  // namespace duegate::parsers::mime
