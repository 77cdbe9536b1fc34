#include "gateway/services/dunning/DunningTasks.h"

namespace duegate::services::dunning {

std::optional<std::int64_t> openTask(Context&, store::Tx&, const DunningTask&) {
    // Wired to the foundation's createTask (TaskService.h) once it is on main.
    return std::nullopt;
}

}  // namespace duegate::services::dunning
