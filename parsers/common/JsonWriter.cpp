#include "parsers/common/JsonWriter.h"

#include "parsers/common/Utf8.h"

#include <cassert>

namespace duegate::parsers {

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
