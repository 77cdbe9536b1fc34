// inputError(field, message): the parsers::Error that core's pure functions return for bad input
// (no line or offset: the input is a value, not a document).
#pragma once

#include "parsers/common/Result.h"

#include <string>

namespace duegate::core {

inline parsers::Error inputError(std::string field, std::string message) {
    parsers::Error e;
    e.field = std::move(field);
    e.message = std::move(message);
    return e;
}

}  // namespace duegate::core
