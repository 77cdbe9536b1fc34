// A small streaming JSON writer for the canonical output of `duegate parse`, the CLI and the API.
//
// Canonical means: keys in the order the caller writes them (each format documents its order in
// docs/), two-space indentation, one key per line, strings as valid UTF-8 (invalid bytes become
// U+FFFD, control characters are escaped), integers only (money is printed by the caller as a
// decimal *string*, never a JSON number). Misuse (a value where a key is due) is a bug: asserted.
// Thread-safety: one writer per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace duegate::parsers {

class JsonWriter {
public:
    // indent 0 = compact, single line.
    explicit JsonWriter(int indent = 2);

    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    JsonWriter& key(std::string_view k);

    JsonWriter& value(std::string_view v);
    JsonWriter& value(const char* v) { return value(std::string_view(v)); }
    JsonWriter& value(const std::string& v) { return value(std::string_view(v)); }
    JsonWriter& value(std::int64_t v);
    JsonWriter& value(int v) { return value(static_cast<std::int64_t>(v)); }
    JsonWriter& value(bool v);
    JsonWriter& null();

    // key + value in one call; the optional overloads write null when empty.
    template <class T>
    JsonWriter& field(std::string_view k, const T& v) { key(k); return value(v); }
    JsonWriter& field(std::string_view k, const std::optional<std::string>& v);
    JsonWriter& field(std::string_view k, const std::optional<std::int64_t>& v);

    // The document so far; complete once every begin has its end.
    const std::string& str() const { return _out; }
    // Hands over what was written since the last take() (for writing a large document to a stream
    // piece by piece); the nesting state is kept, so writing continues where it was.
    std::string take() { return std::exchange(_out, std::string()); }

    // JSON string literal (with quotes) for v; exposed for callers that build small JSON by hand.
    static std::string quote(std::string_view v);

private:
    void beforeValue();
    void newline();

    struct Level { bool isObject; bool empty; };
    std::string _out;
    std::vector<Level> _stack;
    int _indent;
    bool _afterKey = false;
};

}  // namespace duegate::parsers
