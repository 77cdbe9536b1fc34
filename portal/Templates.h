// Page templates (portal/templates/*.mustache, compiled in) rendered with kainjow mustache, the
// same engine as the mail templates. Templates escape every {{value}} (& < > " '); only markup
// we generate ourselves (the QR SVG, a rendered page body) goes through {{{triple}}} braces.
// STACK.md trap: data objects are built as kainjow::mustache::object explicitly.
// Thread-safety: parsed templates are cached per thread; render from any thread.
#pragma once

#include <kainjow/mustache.hpp>

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

// An embedded static file by name ("portal.css"), or nullptr.
const std::string* staticFile(const std::string& name);

}  // namespace duegate::portal
