// The message templates (config/templates/<lang>/<name>.mustache) and the shipped dunning policies
// (config/policies/*.ini), compiled into the binary by cmake/EmbedTexts.cmake. A directory named
// in config ([dunning] templates_dir, policies_dir) overrides them; see TemplateRenderer.h.
// Thread-safety: immutable after first use.
#pragma once

#include <string_view>
#include <vector>

namespace duegate::core {

struct EmbeddedText {
    std::string_view path;  // relative to config/: "templates/nl/payment_notice.mustache", "policies/be-consumers.ini"
    std::string_view text;
};

const std::vector<EmbeddedText>& embeddedTexts();

}  // namespace duegate::core
