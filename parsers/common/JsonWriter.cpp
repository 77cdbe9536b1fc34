#include "parsers/common/JsonWriter.h"

#include <cassert>

namespace duegate::parsers {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not valid.
std::size_t utf8SequenceLength(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) return 1;
    std::size_t len;
    std::uint32_t cp;
    if ((b0 & 0xE0) == 0xC0) { len = 2; cp = b0 & 0x1F; }
    else if ((b0 & 0xF0) == 0xE0) { len = 3; cp = b0 & 0x0F; }
    else if ((b0 & 0xF8) == 0xF0) { len = 4; cp = b0 & 0x07; }
    else return 0;
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0;
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    if (cp > 0x10FFFF) return 0;
    return len;
}

}  // namespace

JsonWriter::JsonWriter(int indent) : _indent(indent) {}

std::string JsonWriter::quote(std::string_view v) {
    static const char* hex = "0123456789abcdef";
    std::string out;
    out.reserve(v.size() + 2);
    out += '"';
    for (std::size_t i = 0; i < v.size();) {
        const auto c = static_cast<unsigned char>(v[i]);
        if (c < 0x80) {
            switch (c) {
                case '"': out += "\\\""; break;
                case '\\': out += "\\\\"; break;
                case '\n': out += "\\n"; break;
                case '\r': out += "\\r"; break;
                case '\t': out += "\\t"; break;
                default:
                    if (c < 0x20 || c == 0x7F) {
                        out += "\\u00";
                        out += hex[c >> 4];
                        out += hex[c & 0xF];
                    } else {
                        out += static_cast<char>(c);
                    }
            }
            ++i;
            continue;
        }
        const std::size_t len = utf8SequenceLength(v, i);
        if (len == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD for a byte that is not UTF-8
            ++i;
        } else {
            out.append(v.substr(i, len));
            i += len;
        }
    }
    out += '"';
    return out;
}

void JsonWriter::newline() {
    if (_indent <= 0) return;
    _out += '\n';
    _out.append(_stack.size() * static_cast<std::size_t>(_indent), ' ');
}

void JsonWriter::beforeValue() {
    if (_afterKey) {
        _afterKey = false;
        return;
    }
    if (_stack.empty()) return;
    assert(!_stack.back().isObject && "JsonWriter: value inside an object needs a key");
    if (!_stack.back().empty) _out += ',';
    _stack.back().empty = false;
    newline();
}

JsonWriter& JsonWriter::key(std::string_view k) {
    assert(!_stack.empty() && _stack.back().isObject && !_afterKey);
    if (!_stack.back().empty) _out += ',';
    _stack.back().empty = false;
    newline();
    _out += quote(k);
    _out += _indent > 0 ? ": " : ":";
    _afterKey = true;
    return *this;
}

JsonWriter& JsonWriter::beginObject() {
    beforeValue();
    _out += '{';
    _stack.push_back({true, true});
    return *this;
}

JsonWriter& JsonWriter::endObject() {
    assert(!_stack.empty() && _stack.back().isObject && !_afterKey);
    const bool empty = _stack.back().empty;
    _stack.pop_back();
    if (!empty) newline();
    _out += '}';
    return *this;
}

JsonWriter& JsonWriter::beginArray() {
    beforeValue();
    _out += '[';
    _stack.push_back({false, true});
    return *this;
}

JsonWriter& JsonWriter::endArray() {
    assert(!_stack.empty() && !_stack.back().isObject);
    const bool empty = _stack.back().empty;
    _stack.pop_back();
    if (!empty) newline();
    _out += ']';
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view v) {
    beforeValue();
    _out += quote(v);
    return *this;
}

JsonWriter& JsonWriter::value(std::int64_t v) {
    beforeValue();
    _out += std::to_string(v);
    return *this;
}

JsonWriter& JsonWriter::value(bool v) {
    beforeValue();
    _out += v ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::null() {
    beforeValue();
    _out += "null";
    return *this;
}

JsonWriter& JsonWriter::field(std::string_view k, const std::optional<std::string>& v) {
    key(k);
    return v ? value(*v) : null();
}

JsonWriter& JsonWriter::field(std::string_view k, const std::optional<std::int64_t>& v) {
    key(k);
    return v ? value(*v) : null();
}

}  // namespace duegate::parsers
