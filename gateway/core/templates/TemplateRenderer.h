// Message texts from template files, rendered with kainjow mustache (Debian's
// libkainjow-mustache-dev, header-only). Every text a debtor or creditor receives is a file
// config/templates/<lang>/<name>.mustache; code never concatenates sentences.
//
// File format: an optional first line "Subject: ..." (itself a template), one blank line, then the
// body. SMS templates have no subject. Partials: "{{> _payment}}" includes
// config/templates/<lang>/_payment.mustache (names starting with "_" are partials by convention).
// Values are plain text: nothing is HTML-escaped (mails and SMS are text/plain; letters are drawn
// by cairo). Missing values render empty, so tests check each legal mention in each language.
//
// Lookup (TemplateSet): an override function first (a creditor's directory, see
// services/dunning/TemplateStore.h), then the compiled-in files (EmbeddedTexts.h). Only
// the language asked for is searched; callers pick the language with chooseLanguage().
//
// Calling it (the letters channel does so for PDF text):
//   TemplateData d;  d.values["debtor_name"] = "Jan Peeters";  d.flags["has_reference"] = true;
//   d.lists["invoices"].push_back({{"number", "F1"}, {"amount", "100,00 €"}});
//   auto text = renderMessage(TemplateSet{}, Language::Nl, "be_b2c_first_reminder", d);
//   if (!text) ... text.error().message ...;  text->subject, text->body
// The fields a dunning message gets are listed in docs/dunning.md ("Template fields").
// Thread-safety: pure functions; a TemplateSet's override function must be thread-safe itself.
#pragma once

#include "gateway/core/templates/LocaleFormat.h"
#include "parsers/common/Result.h"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::core {

struct TemplateData {
    std::map<std::string, std::string> values;                                  // {{name}}
    std::map<std::string, bool> flags;                                          // {{#name}}...{{/name}}, {{^name}}
    std::map<std::string, std::vector<std::map<std::string, std::string>>> lists;  // {{#name}}{{field}}{{/name}}
};

struct RenderedText {
    std::string subject;  // empty for SMS templates
    std::string body;
};

struct TemplateSet {
    // Returns the text of <lang>/<name> when overridden; std::nullopt falls back to the built-in file.
    std::function<std::optional<std::string>(Language, std::string_view name)> override;

    // The template text, overridden or built in; std::nullopt when neither has it.
    std::optional<std::string> find(Language l, std::string_view name) const;
};

// The built-in template text of <lang>/<name>, or std::nullopt.
std::optional<std::string_view> builtinTemplate(Language l, std::string_view name);
// Every built-in template name of a language (partials included), sorted.
std::vector<std::string> builtinTemplateNames(Language l);

// Renders <lang>/<name>; an error names the template and what is wrong (missing file, mustache
// syntax error, missing partial).
parsers::Result<RenderedText> renderMessage(const TemplateSet& set, Language l, std::string_view name,
                                            const TemplateData& data);

// Renders one template text (for tests and previews); partials are looked up in `set`.
parsers::Result<RenderedText> renderText(const TemplateSet& set, Language l, std::string_view text,
                                         const TemplateData& data);

}  // namespace duegate::core
