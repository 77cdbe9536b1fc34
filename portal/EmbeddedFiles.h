// The portal's page templates (portal/templates/*.mustache) and language catalogs
// (portal/i18n/{nl,fr,en}.ini), compiled into the binary by cmake/EmbedPortalFiles.cmake.
#pragma once

#include <string>
#include <vector>

namespace duegate::portal {

struct EmbeddedFile {
    std::string path;  // relative to portal/: "templates/debtor.mustache", "i18n/nl.ini"
    std::string text;
};

const std::vector<EmbeddedFile>& embeddedPortalFiles();

}  // namespace duegate::portal
