#include "gateway/services/Context.h"

#include "store/Time.h"

namespace duegate::services {

std::string Context::now() const { return store::formatInstant(clock->now()); }

}  // namespace duegate::services
