#include "parsers/common/Result.h"

namespace duegate::parsers {

std::string Error::toString() const {
    std::string s;
    if (!context.empty()) s += context + ": ";
    if (line > 0) s += "line " + std::to_string(line);
    if (offset != npos) {
        if (line > 0) s += ", ";
        s += "byte " + std::to_string(offset);
    }
    if (line > 0 || offset != npos) s += ": ";
    if (!field.empty()) s += "field " + field + ": ";
    s += message;
    return s;
}

Error errorAt(std::size_t line, std::size_t offset, std::string field, std::string message) {
    return Error{std::move(field), std::move(message), line, offset, {}};
}

Error errorAtLine(std::size_t line, std::string field, std::string message) {
    return Error{std::move(field), std::move(message), line, Error::npos, {}};
}

Error errorAtOffset(std::size_t offset, std::string field, std::string message) {
    return Error{std::move(field), std::move(message), 0, offset, {}};
}

}  // namespace duegate::parsers
