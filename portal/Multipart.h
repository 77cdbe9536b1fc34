// multipart/form-data bodies (the debtor's dispute form with its attachment), read with Poco's
// MultipartReader from the already bounded request body. Bounded: at most `maxParts` parts and
// `maxFieldBytes` per text field; file parts up to the body bound. The file name a browser sends
// is kept as data only (never a path). Malformed bodies give std::nullopt (the caller answers 400).
#pragma once

#include <map>
#include <optional>
#include <string>

namespace duegate::portal {

struct UploadedFile {
    std::string filename;     // as sent; display only
    std::string contentType;  // as sent; not trusted (the content is sniffed)
    std::string bytes;
};

struct MultipartForm {
    std::map<std::string, std::string> fields;
    std::map<std::string, UploadedFile> files;
};

struct MultipartLimits {
    std::size_t maxParts = 20;
    std::size_t maxFieldBytes = 64 * 1024;
};

// True when the Content-Type is multipart/form-data.
bool isMultipart(const std::string& contentType);
std::optional<MultipartForm> parseMultipart(const std::string& contentType, const std::string& body,
                                            const MultipartLimits& limits = {});

}  // namespace duegate::portal
