// Named values every process and host of one store must agree on (the debtor-link key, ...).
#pragma once

#include "store/Sql.h"

#include <optional>
#include <string>

namespace duegate::store::settings {

std::optional<std::string> get(Tx& tx, const std::string& name);
// The stored value; `candidate` is stored first when there is none (the first process wins a race).
std::string getOrInit(Tx& tx, const std::string& name, const std::string& candidate, const std::string& now);

}  // namespace duegate::store::settings
