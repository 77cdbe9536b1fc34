// Canonical JSON of a parsed mail for `duegate parse` (layout in docs/formats-invoice.md).
// Attachment bytes are not printed: name, type, path, size, sha256 identify them.
#pragma once

#include "parsers/mime/MimeMessage.h"

#include <string>

namespace duegate::parsers::mime {

std::string toJson(const MimeMessage& message);

}  // namespace duegate::parsers::mime
