// Page templates (portal/templates/*.mustache, compiled in) rendered with kainjow mustache, the
// same engine as the mail templates. Templates escape every {{value}} (& < > " '); only markup
// we generate ourselves (the QR SVG, a rendered page body) goes through {{{triple}}} braces.
// STACK.md trap: data objects are built as kainjow::mustache::object explicitly.
// Thread-safety: parsed templates are cached per thread; render from any thread.
#pragma once

#include <kainjow/mustache.hpp>

#include <string>

namespace duegate::portal {

// Renders templates/<name>.mustache. Throws std::logic_error for an unknown or invalid template
// (a bug: templates are compiled in and tested).
std::string renderTemplate(const std::string& name, const kainjow::mustache::data& data);

// An embedded static file by name ("portal.css"), or nullptr.
const std::string* staticFile(const std::string& name);

}  // namespace duegate::portal
