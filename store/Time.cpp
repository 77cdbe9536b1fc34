#include "store/Time.h"

#include "store/Sql.h"

#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>

namespace duegate::store {

std::string formatInstant(const Poco::Timestamp& t) {
    return Poco::DateTimeFormatter::format(t, "%Y-%m-%dT%H:%M:%S.%FZ");
}

Poco::Timestamp parseInstant(const std::string& text) {
    int tzd = 0;
    Poco::DateTime dt;
    if (!Poco::DateTimeParser::tryParse("%Y-%m-%dT%H:%M:%S.%FZ", text, dt, tzd))
        throw StoreError("not a stored instant: " + text);
    return dt.timestamp();
}

std::string nowUtc() { return formatInstant(Poco::Timestamp()); }

}  // namespace duegate::store
