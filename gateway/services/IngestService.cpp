#include "gateway/services/IngestService.h"
#include "gateway/services/SenderAuth.h"

#include "gateway/core/Money.h"
#include "gateway/core/PaymentReference.h"
#include "gateway/services/IntakeMessages.h"
#include "gateway/services/FileIntake.h"
#include "gateway/services/dunning/DunningSetup.h"
#include "gateway/core/templates/LocaleFormat.h"
#include "gateway/services/InvoiceApply.h"
#include "gateway/services/payments/PaymentService.h"
#include "gateway/services/LinkService.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/PayeeService.h"
#include "gateway/services/TaskService.h"
#include "gateway/services/States.h"
#include "parsers/invoice/UblInvoice.h"
#include "parsers/mime/MimeMessage.h"
#include "parsers/refs/Iban.h"
#include "platform/Log.h"
#include "parsers/refs/Ogm.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"
#include "store/InboundRepository.h"

#include <functional>
#include "store/Time.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timespan.h>


namespace duegate::services {
namespace {

namespace mime = parsers::mime;
namespace inv = parsers::invoice;

// Peppol UBL is recognised by its root namespace, whatever the file is called.
bool looksLikeUbl(std::string_view bytes) {
    const auto head = bytes.substr(0, 4096);
    return head.find("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2") != std::string_view::npos ||
           head.find("urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2") != std::string_view::npos;
}

std::string describeAttachments(const mime::MimeMessage& m) {
    std::string s;
    for (const auto& a : m.attachments) {
        if (!s.empty()) s += ", ";
        s += (a.filename.empty() ? "(unnamed)" : a.filename) + " (" + a.contentType + ", " + std::to_string(a.size) +
             " bytes)";
    }
    return s;
}

std::string receivedAtText(const Context& ctx) {
    return Poco::DateTimeFormatter::format(Poco::DateTime(ctx.clock->now()), "%Y-%m-%d %H:%M UTC");
}

// The acknowledgement to the sender is a template (config/templates/<lang>/acknowledgement); a
// creditor has no language of its own yet, so English, overridable per creditor.
MailText acknowledgement(Context& ctx, std::int64_t creditorId, const std::string& subject,
                         const std::vector<std::string>& done, const std::vector<std::string>& attention) {
    core::TemplateData data;
    data.values["agency_name"] = ctx.settings.agencyName;
    data.values["original_subject"] = subject.empty() ? "(no subject)" : subject;
    data.values["received_at"] = receivedAtText(ctx);
    data.values["portal_url"] = ctx.settings.baseUrl + "/";
    data.values["created_count"] = std::to_string(done.size());
    data.values["attention_count"] = std::to_string(attention.size());
    data.flags["has_attention"] = !attention.empty();
    for (const auto& line : done) data.lists["done"].push_back({{"text", line}});
    for (const auto& line : attention) data.lists["attention"].push_back({{"text", line}});
    const auto& setup = dunning::setupOf(ctx);
    auto text = core::renderMessage(dunning::templatesFor(setup, creditorId), core::Language::En, "acknowledgement", data);
    if (!text) throw std::runtime_error("acknowledgement: " + text.error().toString());
    return MailText{text->subject, text->body};
}

// Quarantining one item: the state change and, for a known sender, the reply, inside tx.
void quarantineIn(Context& ctx, store::Tx& tx, const store::InboundItemRecord& item, const std::string& subject,
                  const std::string& sender, const std::string& reason) {
    requireTransition(Machine::InboundItem, "received", "quarantined");
    if (!store::inbound::transition(tx, item.id, "received", "quarantined", reason, ctx.now())) return;
    // No replies to strangers: only a known address of this creditor hears why (no backscatter).
    if (!sender.empty() && store::creditors::isKnownSender(tx, item.creditorId, sender)) {
        const auto text = quarantineReply(ctx.settings.agencyName, subject, receivedAtText(ctx), reason);
        queueMessage(ctx, tx,
                     QueuedMessage{item.creditorId, std::nullopt, "quarantine:item:" + std::to_string(item.id),
                                   "email", "quarantine_reply", sender, text.subject, text.body});
    }
}

// The quarantines of one pass, committed together: under an SMTP flood most items are quarantined
// (unknown senders, no invoice), and one transaction per item meant one WAL fsync per item on
// SQLite, competing with the intake's group commit for the single writer (bench/smtp,
// docs/performance.md). Safety is unchanged: each claim (its attempt) was committed before the
// item was tried, so a crash before the flush only means the items are tried again after their
// lease. An item on its second or later attempt (an earlier one failed or killed the worker) is
// committed on its own, with the batch flushed before it, so a poison item costs its batch-mates
// at most one attempt. If the shared transaction fails, each quarantine is retried alone: one bad
// item never blocks the others.
class QuarantineBatch {
public:
    QuarantineBatch(Context& ctx, IngestStats& stats) : _ctx(ctx), _stats(stats) {}
    ~QuarantineBatch() {
        try {
            flush();
        } catch (...) {
            // flush() logs and swallows per item; nothing is lost: the items stay claimed and come back
        }
    }
    void add(const store::InboundItemRecord& item, const std::string& subject, const std::string& sender,
             const std::string& reason) {
        _pending.push_back({item, subject, sender, reason});  // the caller counts it as quarantined
    }
    void flush() {
        if (_pending.empty()) return;
        auto pending = std::move(_pending);
        _pending.clear();
        try {
            _ctx.db->transaction([&](store::Tx& tx) {
                for (const auto& q : pending) quarantineIn(_ctx, tx, q.item, q.subject, q.sender, q.reason);
            });
            return;
        } catch (const std::exception&) {
            if (pending.size() == 1) {
                failed(pending.front(), std::current_exception());
                return;
            }
        }
        for (const auto& q : pending) {
            try {
                _ctx.db->transaction(
                    [&](store::Tx& tx) { quarantineIn(_ctx, tx, q.item, q.subject, q.sender, q.reason); });
            } catch (const std::exception&) {
                failed(q, std::current_exception());
            }
        }
    }

private:
    struct Pending {
        store::InboundItemRecord item;
        std::string subject, sender, reason;
    };
    void failed(const Pending& q, std::exception_ptr error) {
        std::string what = "unknown error";
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        // Left 'received': tried again when its lease ends, until the attempts run out.
        platform::logError("ingest", "item failed, retried after its lease",
                           {{"item", std::to_string(q.item.id)}, {"attempt", std::to_string(q.item.attempts)},
                            {"error", what}});
        --_stats.quarantined;
        ++_stats.failed;
    }
    Context& _ctx;
    IngestStats& _stats;
    std::vector<Pending> _pending;
};

// The reason to refuse a mail of a creditor with sender_auth = spf_or_dkim whose From domain
// passes neither SPF nor DKIM with alignment; nothing when it passes or the creditor does not ask.
std::optional<std::string> senderNotAuthenticated(Context& ctx, const store::InboundItemRecord& item,
                                                  const std::string& sender, std::string_view raw) {
    const auto creditor = ctx.db->read([&](store::Tx& tx) { return store::creditors::byId(tx, item.creditorId); });
    if (!creditor || creditor->senderAuth != "spf_or_dkim") return std::nullopt;
    if (!ctx.senderAuth) return std::string("sender not authenticated: SPF/DKIM checking is not available");
    SenderAuthInput in{domainOf(sender), item.mailFrom.value_or(""), ipOfRemote(item.remoteAddress.value_or("")), "",
                       raw};
    const auto v = ctx.senderAuth->check(in);
    if (v.pass) return std::nullopt;
    return v.reason;
}

}  // namespace

IngestStats processPending(Context& ctx, std::size_t limit) {
    IngestStats stats;
    // Each claim is committed before the attempt: an item that makes the worker throw or crash is
    // tried again only after its lease, and at most ingestMaxAttempts times, then quarantined with
    // its raw bytes kept, so one bad item never blocks the others (issue 13).
    const std::string leaseUntil = store::formatInstant(
        ctx.clock->now() + Poco::Timespan(static_cast<long>(ctx.settings.ingestLeaseSeconds), 0));
    const auto items =
        ctx.db->transaction([&](store::Tx& tx) { return store::inbound::claim(tx, ctx.now(), leaseUntil, limit); });
    QuarantineBatch batch(ctx, stats);
    const auto quarantine = [&](const store::InboundItemRecord& it, const std::string& subject,
                                const std::string& sender, const std::string& reason) {
        batch.add(it, subject, sender, reason);
    };
    for (const auto& item : items) {
        // Retried after a failure or a crash: alone, so it cannot take other items' work with it.
        const bool alone = item.attempts > 1;
        if (alone) batch.flush();
        struct FlushAfter {
            QuarantineBatch& b;
            bool on;
            ~FlushAfter() {
                if (on) b.flush();
            }
        } flushAfter{batch, alone};
        if (item.attempts > static_cast<std::int64_t>(ctx.settings.ingestMaxAttempts)) {
            quarantine(item, "", "",
                       "processing gave up after " + std::to_string(ctx.settings.ingestMaxAttempts) +
                           " attempts (each failed or stopped the worker); the raw bytes are kept: fix, then "
                           "duegate reprocess");
            ++stats.quarantined;
            continue;
        }
        try {
            const auto raw = ctx.blobs->get(item.sha256);
            if (!raw) {
                quarantine(item, "", "", "raw bytes " + item.sha256 + " missing from the blob store");
                ++stats.quarantined;
                continue;
            }
            auto parsed = mime::parseMime(*raw);
            if (!parsed) {
                quarantine(item, "", item.mailFrom.value_or(""),
                           "the mail could not be read: " + parsed.error().toString());
                ++stats.quarantined;
                continue;
            }
            const auto& msg = *parsed;
            const std::string sender = !msg.from.address.empty() ? msg.from.address : item.mailFrom.value_or("");
            // Intake trusts senders, not documents: mail from anyone the creditor has not listed is
            // kept, quarantined and never answered (no reply tells a stranger the address works).
            const bool authorised = ctx.db->read(
                [&](store::Tx& tx) { return store::creditors::isKnownSender(tx, item.creditorId, sender); });
            if (!authorised) {
                quarantine(item, msg.subject, "",
                           "sender not authorised: " + (sender.empty() ? std::string("(no sender)") : sender));
                ++stats.quarantined;
                continue;
            }
            // Where the creditor asks for it, the From domain must also pass SPF or DKIM, aligned.
            if (auto refused = senderNotAuthenticated(ctx, item, sender, *raw)) {
                quarantine(item, msg.subject, "", *refused);
                ++stats.quarantined;
                continue;
            }
            std::vector<ParsedUbl> docs;
            std::vector<std::string> broken;
            for (const auto& a : msg.attachments) {
                // An attached message listed whole ("original message.eml"): its own parts,
                // a forwarded UBL among them, follow as attachments of their own.
                if (a.message || !looksLikeUbl(a.bytes)) continue;
                UblFile file{a.filename.empty() ? "part " + a.path : a.filename, a.bytes};
                auto u = inv::parseUbl(a.bytes);
                if (!u) {
                    broken.push_back(file.name + ": " + u.error().toString());
                    continue;
                }
                ParsedUbl doc{file, std::move(u).value(), "", {}};
                docs.push_back(std::move(doc));
            }
            // The acknowledgement is a template (config/templates/<lang>/acknowledgement); a creditor
            // has no language of its own yet, so English, overridable per creditor.
            // Bank statements attached to a mail at the intake address go to the file intake (only
            // the creditor's own registered accounts are accepted through this door).
            std::vector<std::string> statementsDone, statementsBad;
            for (const auto& a : msg.attachments) {
                if (a.message || !payments::sniffStatement(std::string_view(a.bytes).substr(0, 1 << 20))) continue;
                const std::string name = a.filename.empty() ? "part " + a.path : a.filename;
                const auto o = importFile(ctx, item.creditorId, "mail", name, a.bytes);
                if (o.quarantined) statementsBad.push_back("statement " + name + " not imported: " + o.error);
                else statementsDone.push_back("statement " + name + " imported: " + o.json);
            }
            if (docs.empty() && (!statementsDone.empty() || !statementsBad.empty())) {
                if (statementsDone.empty()) {
                    quarantine(item, msg.subject, sender, statementsBad.front());
                    ++stats.quarantined;
                    continue;
                }
                const bool applied = ctx.db->transaction([&](store::Tx& tx) {
                    requireTransition(Machine::InboundItem, "received", "applied");
                    if (!store::inbound::transition(tx, item.id, "received", "applied", std::nullopt, ctx.now()))
                        return false;
                    if (!sender.empty()) {
                        const auto text = acknowledgement(ctx, item.creditorId, msg.subject, statementsDone,
                                                          statementsBad);
                        queueMessage(ctx, tx,
                                     QueuedMessage{item.creditorId, std::nullopt, "ack:item:" + std::to_string(item.id),
                                                   "email", "ack", sender, text.subject, text.body});
                    }
                    return true;
                });
                if (applied) ++stats.applied;
                continue;
            }
            if (docs.empty()) {
                std::string reason;
                if (!broken.empty()) {
                    reason = "the UBL invoice could not be read: " + broken.front();
                } else if (msg.attachments.empty()) {
                    reason = "no attachment: send the invoice as a Peppol UBL file attached to the mail";
                } else {
                    reason = "no Peppol UBL invoice among the attachments (" + describeAttachments(msg) + ")";
                }
                quarantine(item, msg.subject, sender, reason);
                ++stats.quarantined;
                continue;
            }
            // Durable copies of the originals before the transaction that points at them.
            for (auto& d : docs) {
                d.sha256 = ctx.blobs->put(d.file.bytes);
                for (const auto& e : d.invoice.attachments) d.renderings.emplace_back(e, ctx.blobs->put(e.bytes));
            }
            const bool applied = ctx.db->transaction([&](store::Tx& tx) {
                requireTransition(Machine::InboundItem, "received", "applied");
                if (!store::inbound::transition(tx, item.id, "received", "applied", std::nullopt, ctx.now()))
                    return false;  // another worker took it
                const auto creditor = store::creditors::byId(tx, item.creditorId);
                InvoiceApplied out;
                for (const auto& d : docs)
                    applyUblInvoice(ctx, tx, item.creditorId, item.id, *creditor, d, sender, "email", out);
                for (const auto& b : broken) out.attention.push_back(b);
                for (const auto& d : statementsDone) out.done.push_back(d);
                for (const auto& b : statementsBad) out.attention.push_back(b);
                if (!sender.empty()) {
                    const auto text = acknowledgement(ctx, item.creditorId, msg.subject, out.done, out.attention);
                    queueMessage(ctx, tx,
                                 QueuedMessage{item.creditorId, std::nullopt, "ack:item:" + std::to_string(item.id),
                                               "email", "ack", sender, text.subject, text.body});
                }
                return true;
            });
            if (applied) ++stats.applied;
        } catch (const std::exception& e) {
            // Infrastructure failure or a bug: the item stays 'received' and is tried again when its
            // lease ends, until the attempts run out.
            platform::logError("ingest", "item failed, retried after its lease",
                               {{"item", std::to_string(item.id)}, {"attempt", std::to_string(item.attempts)},
                                {"error", e.what()}});
            ++stats.failed;
        }
    }
    batch.flush();
    return stats;
}

void reprocessItem(Context& ctx, std::optional<std::int64_t> scope, std::int64_t itemId) {
    ctx.db->transaction([&](store::Tx& tx) {
        auto item = store::inbound::byId(tx, scope, itemId);
        if (!item) throw NotFound("no inbound item " + std::to_string(itemId));
        if (item->state != "quarantined")
            throw InputError("inbound item " + std::to_string(itemId) + " is " + item->state + ", not quarantined");
        requireTransition(Machine::InboundItem, "quarantined", "received");
        store::inbound::transition(tx, itemId, "quarantined", "received", std::nullopt, ctx.now());
    });
}

std::size_t reprocessAllQuarantined(Context& ctx) {
    return ctx.db->transaction([&](store::Tx& tx) {
        std::size_t n = 0;
        for (const auto& item : store::inbound::inState(tx, std::nullopt, "quarantined", 100000))
            n += store::inbound::transition(tx, item.id, "quarantined", "received", std::nullopt, ctx.now()) ? 1 : 0;
        return n;
    });
}

}  // namespace duegate::services
