#include "gateway/services/IntakeService.h"

#include "gateway/services/IntakeBatcher.h"
#include "parsers/common/Text.h"
#include "store/CreditorRepository.h"
#include "store/InboundRepository.h"

#include <cctype>

namespace duegate::services {
namespace {

using parsers::iequals;

std::string trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    std::size_t b = 0;
    while (b < s.size() && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    return s.substr(b);
}

}  // namespace

std::string rawHeaderValue(std::string_view raw, std::string_view name) {
    std::size_t pos = 0;
    while (pos < raw.size()) {
        std::size_t eol = raw.find('\n', pos);
        if (eol == std::string_view::npos) eol = raw.size();
        std::string_view line = raw.substr(pos, eol - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.empty()) break;  // end of the header block
        const auto colon = line.find(':');
        if (colon != std::string_view::npos && iequals(trim(std::string(line.substr(0, colon))), name)) {
            std::string value(line.substr(colon + 1));
            std::size_t next = eol + 1;
            while (next < raw.size() && (raw[next] == ' ' || raw[next] == '\t')) {  // folded continuation
                std::size_t e = raw.find('\n', next);
                if (e == std::string_view::npos) e = raw.size();
                std::string_view cont = raw.substr(next, e - next);
                if (!cont.empty() && cont.back() == '\r') cont.remove_suffix(1);
                value += " " + trim(std::string(cont));
                next = e + 1;
            }
            return trim(value);
        }
        pos = eol + 1;
    }
    return {};
}

bool creditorExists(Context& ctx, std::int64_t creditorId) {
    return ctx.db->read([&](store::Tx& tx) { return store::creditors::byId(tx, creditorId).has_value(); });
}

std::optional<std::int64_t> creditorForIntake(Context& ctx, const std::string& address) {
    // A read (deferred on SQLite): asked at every RCPT TO, it must never queue behind the intake's
    // group commit or the ingest's writes (it did, and it serialized the sessions: bench/smtp).
    return ctx.db->read([&](store::Tx& tx) { return store::creditors::idByIntakeAddress(tx, address); });
}

DailyVolume mailVolumeToday(Context& ctx, std::int64_t creditorId) {
    // Stored times are 'YYYY-MM-DDTHH:MM:SS...Z': the day's first instant sorts before any of it.
    const std::string since = ctx.now().substr(0, 10) + "T00:00:00";
    return ctx.db->read([&](store::Tx& tx) {
        const auto v = store::inbound::receivedSince(tx, creditorId, "mail", since);
        return DailyVolume{v.items, v.bytes};
    });
}

ReceivedMail receiveMail(Context& ctx, const std::string& mailFrom, const std::vector<std::string>& recipients,
                         std::string_view raw, const std::string& remoteAddress) {
    // Group commit when the process has a batcher (serve); a group of one otherwise. Both store the
    // blob durably before the rows, and the rows are committed before this returns.
    const MailIn mail{mailFrom, recipients, raw, remoteAddress};
    return ctx.intake ? ctx.intake->receive(ctx, mail) : receiveAlone(ctx, mail);
}

}  // namespace duegate::services
