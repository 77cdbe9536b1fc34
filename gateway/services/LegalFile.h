// The one-click legal file of a dossier (issue 14, item 3): a ZIP with every document (invoice
// originals and renderings, the debtor's dispute attachments), every message sent or planned (mail
// as .eml, SMS and letters as text), the timeline and tasks as CSV, the dossier summary (debtor,
// payee, acceptance, disputes), and manifest.sha256 with the sha256 of every other file
// (`sha256sum -c manifest.sha256` checks it). Names inside the ZIP are built from ids and sanitised
// names only, never from a path someone sent.
#pragma once

#include "gateway/services/DossierQueries.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace duegate::services {

struct LegalFile {
    std::string filename;                                       // "legal-file-D2026-000001.zip"
    std::string zip;                                            // the archive's bytes
    std::vector<std::pair<std::string, std::string>> manifest;  // (path, sha256) of every file but the manifest
};

// std::nullopt when the dossier is not in the principal's scope.
std::optional<LegalFile> legalFile(Context& ctx, const Principal& who, std::int64_t dossierId);

// "a,b" -> "\"a,b\"": one CSV field (RFC 4180 quoting when needed).
std::string csvField(const std::string& value);

}  // namespace duegate::services
