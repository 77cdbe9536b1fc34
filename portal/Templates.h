// Page templates (portal/templates/*.mustache, compiled in) rendered with kainjow mustache, the
// same engine as the mail templates. Templates escape every {{value}} (& < > " '); only markup
// we generate ourselves (the QR SVG, a rendered page body) goes through {{{triple}}} braces.
// STACK.md trap: data objects are built as kainjow::mustache::object explicitly.
// Thread-safety: parsed templates are cached per thread; render from any thread.
#pragma once

#include <kainjow/mustache.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::portal {

// Renders templates/<name>.mustache. Throws std::logic_error for an unknown or invalid template
// (a bug: templates are compiled in and tested).
std::string renderTemplate(const std::string& name, const kainjow::mustache::data& data);

// A repeated fragment (the 50 rows of the dossier list) rendered straight from its values,
// without building mustache data for every row: templates/<name>.mustache may hold only text,
// {{field}} (escaped with escapeHtml, as every template), {{{field}}} (as is), and not nested
// {{#field}}...{{/field}} / {{^field}}...{{/field}} sections on whether a field is non-empty, which
// is what mustache does with those tags for a string or a flag ("1" / ""). Static catalog texts
// {{t.key}} are written in once per language, as in renderTemplate. One trailing newline of the
// file is not part of the fragment.
class RowTemplate {
public:
    // fields: the names the fragment may use; render() takes their values in this order.
    // Throws std::logic_error for another tag or an unknown name (a bug: templates are tested).
    RowTemplate(const std::string& source, const std::vector<std::string>& fields);
    void render(std::string& out, const std::string_view* values) const;

private:
    enum class Kind { Text, Escaped, Raw, IfSet, IfEmpty, End };
    struct Segment {
        Kind kind;
        std::string text;       // Text
        std::size_t field = 0;  // Escaped, Raw, IfSet, IfEmpty
        std::size_t end = 0;    // IfSet, IfEmpty: the index of the matching End
    };
    std::vector<Segment> _segments;
};

// The RowTemplate of templates/<name>.mustache for a language (parsed once per thread).
const RowTemplate& rowTemplate(const std::string& name, const std::string& lang,
                               const std::vector<std::string>& fields);

// A page part that is the same for every request of one "shape" (language, role, which sections
// show) except for a few values: rendered once per shape with markers in place of those
// values, cut at the markers, then filled per request by appending the pieces and the values (an
// escaped slot escaped as {{value}} is, a raw slot as {{{value}}} is). The result is byte for byte
// what rendering the template with the values gives, provided the shape fixes every section the
// template opens (no section may depend on a slot's value other than being non-empty, which the
// shape must then include). Markers are control characters that escaping leaves alone and no
// template holds.
class Frame {
public:
    static constexpr std::size_t kMaxSlots = 16;
    // The value to render in place of slot i: marker(i) for a {{tag}}, rawMarker(i) for {{{tag}}}.
    static std::string marker(std::size_t slot);
    static std::string rawMarker(std::size_t slot);
    // rendered: the template rendered with the markers. Throws std::logic_error for a bad marker.
    explicit Frame(const std::string& rendered);
    // Appends the frame with values[i] in place of slot i's markers.
    void render(std::string& out, const std::string_view* values) const;
    // The bytes of the pieces, for reserving.
    std::size_t fixedSize() const { return _fixed; }

private:
    struct Piece {
        std::string text;      // written before the slot
        std::size_t slot = 0;  // kMaxSlots: none (the last piece)
        bool raw = false;
    };
    std::vector<Piece> _pieces;
    std::size_t _fixed = 0;
};

// The Frame of `key` (one per process, shared by all threads): built from build() the first time
// it is asked for. The key must name everything the rendering depends on besides the slots, and
// come from a bounded set (languages, roles, flags): frames are kept for the process's life.
const Frame& frame(const std::string& key, const std::function<std::string()>& build);

// An embedded static file by name ("portal.css"), or nullptr.
const std::string* staticFile(const std::string& name);

}  // namespace duegate::portal
