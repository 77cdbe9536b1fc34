// How the store writes instants: UTC text 'YYYY-MM-DDTHH:MM:SS.ffffffZ', sortable as text on both
// backends. Services pass instants in (time is a parameter); nowUtc() is for bookkeeping columns
// such as schema_migrations.applied_at only.
#pragma once

#include <Poco/Timestamp.h>

#include <string>

namespace duegate::store {

std::string formatInstant(const Poco::Timestamp& t);
// Throws StoreError when the text is not in the store's format.
Poco::Timestamp parseInstant(const std::string& text);
std::string nowUtc();

}  // namespace duegate::store
