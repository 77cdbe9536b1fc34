#include "gateway/inbound/drop/DropDoor.h"

#include "gateway/services/FileIntake.h"
#include "gateway/services/IntakeService.h"

namespace duegate::inbound {

DropImporter dropImporter(services::Context& ctx, std::function<void()> onImported) {
    return [&ctx, onImported = std::move(onImported)](std::int64_t creditorId, const std::string& filename,
                                                       std::string_view bytes) {
        DropImport out;
        if (!services::creditorExists(ctx, creditorId)) {
            out.error = "no creditor " + std::to_string(creditorId) + ": this drop folder belongs to no creditor";
            return out;
        }
        const auto r = services::importFile(ctx, creditorId, "drop", filename, bytes);
        out.applied = r.applied && !r.quarantined;
        out.error = r.error.empty() && !out.applied ? "the file could not be imported (" + r.kind + ")" : r.error;
        out.json = r.json;
        if (onImported) onImported();
        return out;
    };
}

}  // namespace duegate::inbound
