#include "gateway/services/MailboxService.h"

#include "gateway/services/IntakeService.h"
#include "store/CreditorRepository.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace duegate::services {

std::int64_t addMailbox(Context& ctx, const MailboxInput& in) {
    std::string error;
    const auto url = parseMailboxUrl(in.url, error);
    if (!url) throw InputError("--url: " + error);
    if (in.passwordFile.has_value() == in.passwordEnv.has_value())
        throw InputError("give exactly one of --password-file and --password-env");
    const bool pop3 = url->protocol == MailboxUrl::Protocol::Pop3;
    std::string after = in.afterImport;
    if (after.empty()) after = pop3 ? "delete" : "move:Processed";
    if (pop3 && after != "delete" && after != "keep")
        throw InputError("--after: a POP3 mailbox takes delete or keep, got " + after);
    if (!pop3 && after != "keep" && (after.rfind("move:", 0) != 0 || after.size() <= 5))
        throw InputError("--after: an IMAP mailbox takes move:FOLDER or keep, got " + after);
    return ctx.db->transaction([&](store::Tx& tx) {
        if (!store::creditors::byId(tx, in.creditorId))
            throw NotFound("no creditor " + std::to_string(in.creditorId));
        store::mailboxes::MailboxRecord m;
        m.creditorId = in.creditorId;
        m.url = in.url;
        m.passwordFile = in.passwordFile;
        m.passwordEnv = in.passwordEnv;
        m.afterImport = after;
        try {
            return store::mailboxes::insert(tx, m, ctx.now());
        } catch (const store::UniqueViolation&) {
            throw InputError("creditor " + std::to_string(in.creditorId) + " already has mailbox " + in.url);
        }
    });
}

std::vector<store::mailboxes::MailboxRecord> listMailboxes(Context& ctx, std::optional<std::int64_t> creditorId) {
    return ctx.db->transaction([&](store::Tx& tx) { return store::mailboxes::all(tx, creditorId); });
}

std::vector<store::mailboxes::MailboxRecord> enabledMailboxes(Context& ctx) {
    return ctx.db->transaction([&](store::Tx& tx) { return store::mailboxes::enabled(tx); });
}

std::string mailboxPassword(const store::mailboxes::MailboxRecord& m) {
    if (m.passwordEnv) {
        const char* v = std::getenv(m.passwordEnv->c_str());
        if (!v) throw std::runtime_error("environment variable " + *m.passwordEnv + " is not set");
        return v;
    }
    if (m.passwordFile) {
        std::ifstream f(*m.passwordFile);
        std::string line;
        if (!f || !std::getline(f, line)) throw std::runtime_error("cannot read password file " + *m.passwordFile);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        return line;
    }
    throw std::runtime_error("mailbox " + std::to_string(m.id) + " has no password source");
}

std::set<std::string> fetchedUids(Context& ctx, const store::mailboxes::MailboxRecord& m,
                                  const std::string& uidValidity) {
    return ctx.db->transaction(
        [&](store::Tx& tx) { return store::mailboxes::fetched(tx, m.creditorId, m.id, uidValidity); });
}

PolledMail receivePolledMail(Context& ctx, const store::mailboxes::MailboxRecord& m, const std::string& uidValidity,
                             const std::string& uid, std::string_view raw, const std::string& source) {
    const auto intake = ctx.db->transaction([&](store::Tx& tx) {
        auto c = store::creditors::byId(tx, m.creditorId);
        if (!c) throw NotFound("no creditor " + std::to_string(m.creditorId));
        return c->intakeAddress;
    });
    // The envelope sender of a polled mail is what the delivering MTA wrote into Return-Path.
    std::string from = rawHeaderValue(raw, "Return-Path");
    if (!from.empty() && from.front() == '<') from = from.substr(1, from.find('>') - 1);
    const auto received = receiveMail(ctx, from, {intake}, raw, source);
    if (received.itemIds.empty()) throw std::runtime_error("the creditor's intake address is not known");
    PolledMail out{received.itemIds.front(), received.duplicate};
    ctx.db->transaction([&](store::Tx& tx) {
        store::mailboxes::remember(tx, m.creditorId, m.id, uidValidity, uid, out.itemId, ctx.now());
    });
    return out;
}

}  // namespace duegate::services
