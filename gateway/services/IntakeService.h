// Intake of raw inbound items: the first, durable step of every mail (and later file) that comes in.
//
// receiveMail() stores the raw bytes content-addressed (fsynced) and records one inbound_items row
// per accepted recipient creditor, committed before it returns (with Context::intake set, many
// concurrent calls share one transaction and fsync: see IntakeBatcher.h): the SMTP listener answers 250 only
// after that (store before you acknowledge). It is idempotent by natural key: the same bytes, or
// the same Message-ID, to the same creditor is one item (a second delivery is acknowledged and
// ignored). Parsing happens later, in IngestService, so a slow or broken parser never loses a mail.
// Thread-safety: safe from many listener threads at once.
#pragma once

#include "gateway/services/Context.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::services {

// Whether a creditor with this id exists (the drop door checks its folder names).
bool creditorExists(Context& ctx, std::int64_t creditorId);

// The creditor whose intake address this is (case-insensitive), or nothing.
std::optional<std::int64_t> creditorForIntake(Context& ctx, const std::string& address);

// Mail a creditor received since 00:00 UTC today (items and raw bytes): the daily quota's measure.
struct DailyVolume {
    std::int64_t messages = 0, bytes = 0;
};
DailyVolume mailVolumeToday(Context& ctx, std::int64_t creditorId);

struct ReceivedMail {
    std::vector<std::int64_t> itemIds;  // one per recipient creditor
    bool duplicate = false;             // every recipient had it already
    std::string sha256;
};

// Throws store::StoreError when the bytes cannot be made durable (the listener answers 451).
ReceivedMail receiveMail(Context& ctx, const std::string& mailFrom, const std::vector<std::string>& recipients,
                         std::string_view raw, const std::string& remoteAddress);

// The value of the first header field `name` in the header block of a raw mail (unfolded,
// trimmed); empty when absent. Cheap: it reads only up to the first empty line.
std::string rawHeaderValue(std::string_view raw, std::string_view name);

}  // namespace duegate::services
