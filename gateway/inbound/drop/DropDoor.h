// The drop door's importer: a DropWatcher file goes through the one file intake
// (services::importFile, door "drop"), the same service and sha256 key as `duegate import`, the
// API and the portal upload, so a file that also came by another door is the same item.
// A folder named after a creditor id that does not exist fails the file ("no creditor N") instead
// of retrying it for ever. `onImported` runs after each applied file (serve wakes its workers).
#pragma once

#include "gateway/inbound/drop/DropWatcher.h"
#include "gateway/services/Context.h"

#include <functional>

namespace duegate::inbound {

DropImporter dropImporter(services::Context& ctx, std::function<void()> onImported);

}  // namespace duegate::inbound
