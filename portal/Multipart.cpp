#include "portal/Multipart.h"

#include <Poco/Exception.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <sstream>

namespace duegate::portal {

bool isMultipart(const std::string& contentType) {
    return Poco::toLower(contentType).rfind("multipart/form-data", 0) == 0;
}

std::optional<MultipartForm> parseMultipart(const std::string& contentType, const std::string& body,
                                            const MultipartLimits& limits) {
    if (!isMultipart(contentType)) return std::nullopt;
    try {
        std::string type;
        Poco::Net::NameValueCollection params;
        Poco::Net::MessageHeader::splitParameters(contentType, type, params);
        const std::string boundary = params.get("boundary", "");
        if (boundary.empty() || boundary.size() > 200) return std::nullopt;
        std::istringstream in(body);
        Poco::Net::MultipartReader reader(in, boundary);
        MultipartForm form;
        std::size_t parts = 0;
        while (reader.hasNextPart()) {
            if (++parts > limits.maxParts) return std::nullopt;
            Poco::Net::MessageHeader header;
            reader.nextPart(header);
            std::string disposition;
            Poco::Net::NameValueCollection dp;
            Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition, dp);
            const std::string name = dp.get("name", "");
            std::string bytes;
            Poco::StreamCopier::copyToString(reader.stream(), bytes);
            if (name.empty()) continue;
            if (dp.has("filename")) {
                form.files[name] = UploadedFile{dp.get("filename", ""), header.get("Content-Type", ""), std::move(bytes)};
            } else {
                if (bytes.size() > limits.maxFieldBytes) return std::nullopt;
                form.fields[name] = std::move(bytes);
            }
        }
        return form;
    } catch (const Poco::Exception&) {
        return std::nullopt;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace duegate::portal
