#include "gateway/services/payments/PaymentEffects.h"

#include "gateway/core/Money.h"
#include "gateway/core/PaymentAllocation.h"
#include "gateway/core/matching/Reversal.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/States.h"
#include "gateway/services/TaskService.h"
#include "parsers/common/Currency.h"
#include "parsers/common/JsonWriter.h"
#include "store/ChargeRepository.h"
#include "store/CreditorPortalRepository.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"

#include <Poco/DateTime.h>

namespace duegate::services::payments {
namespace {

namespace match = core::matching;
namespace sp = store::payments;

std::string money(std::int64_t minor, const std::string& currency) {
    return currency + " " + core::Money(minor, currency).toDecimal();
}

std::string today(const Context& ctx) {
    const Poco::DateTime t(ctx.clock->now());
    char buf[48];  // room for any int: GCC -O1 cannot prove the date fields small
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.year(), t.month(), t.day());
    return buf;
}

std::string suggestionsJson(const std::vector<match::Suggestion>& s) {
    parsers::JsonWriter w(0);
    w.beginArray();
    for (const auto& x : s) {
        w.beginObject();
        w.field("dossier", x.dossierId);
        w.field("score", static_cast<std::int64_t>(x.score));
        w.field("reason", x.reason);
        w.endObject();
    }
    w.endArray();
    return w.str();
}


std::string payer(const sp::LineRecord& l) {
    if (!l.counterpartyName.empty()) return l.counterpartyName;
    if (!l.counterpartyIban.empty()) return l.counterpartyIban;
    return "an unnamed payer";
}


// Recomputes the dossier's paid amount from its live matches and moves open and status with it.
struct DossierChange {
    store::DossierRecord before;
    std::int64_t paid = 0, open = 0;
    std::string status;
};
// `delta` is what the caller just applied (> 0) or undid (< 0): the stored paid amount stays the
// sum of the live matches (the tests check it against payment_matches).
DossierChange recalc(Context& ctx, store::Tx& tx, const store::DossierRecord& dossier, std::int64_t delta) {
    DossierChange c;
    const auto* d = &dossier;
    c.before = dossier;
    c.paid = d->paidMinor + delta;
    c.open = d->openMinor - delta;
    c.status = statusAfter(d->status, c.paid, c.open);
    store::dossiers::transition(tx, d->id, d->status, c.status, ctx.now(), {c.open, c.paid});
    return c;
}

}  // namespace

void reviewTask(Context& ctx, store::Tx& tx, std::int64_t creditorId, std::optional<std::int64_t> dossierId,
                std::int64_t lineId, const std::string& title, const std::string& details) {
    TaskInput t;
    t.creditorId = creditorId;
    t.dossierId = dossierId;
    t.kind = "payment_review";
    t.title = title;
    t.details = details;
    t.priority = 2;
    t.dueDate = today(ctx);
    t.dedupeKey = "payment_review:line:" + std::to_string(lineId);
    createTask(ctx, tx, t);
}

std::string joinFields(const std::vector<std::string>& f) {
    std::string s;
    for (const auto& x : f) s += (s.empty() ? "" : ",") + x;
    return s;
}

std::string statusAfter(const std::string& before, std::int64_t paidMinor, std::int64_t openMinor) {
    std::string after = before;
    if (openMinor <= 0 && paidMinor > 0 && canTransition(Machine::Dossier, before, "paid")) after = "paid";
    else if (openMinor > 0 && before == "paid") after = "active";
    if (after != before) requireTransition(Machine::Dossier, before, after);
    return after;
}

core::Country countryOf(const std::optional<std::string>& debtorCountry) {
    if (debtorCountry && debtorCountry->size() >= 2 && (*debtorCountry)[0] == 'N' && (*debtorCountry)[1] == 'L')
        return core::Country::NL;
    if (debtorCountry && debtorCountry->size() >= 2 && (*debtorCountry)[0] == 'n' && (*debtorCountry)[1] == 'l')
        return core::Country::NL;
    return core::Country::BE;
}

bool tellsContactAddress(store::Tx& tx, std::int64_t creditorId) {
    return store::creditor_portal::usersOf(tx, creditorId).empty();
}

namespace {
// Named only when the payment paid claimed costs or interest (else it is all principal).
std::string splitText(const Allocated& a) {
    if (a.costsMinor + a.interestMinor == 0) return {};
    return "imputed " + money(a.costsMinor, a.currency) + " costs, " + money(a.interestMinor, a.currency) +
           " interest, " + money(a.amountMinor - a.costsMinor - a.interestMinor, a.currency) + " principal (" +
           std::string(core::allocationBasis(a.law)) + "); ";
}
}  // namespace

store::EventRecord matchedEvent(const Context& ctx, const sp::LineRecord& line, const Allocated& a,
                                const std::string& rule, const std::string& actor) {
    return store::EventRecord{
        0, a.creditorId, a.dossierId, ctx.now(), "payment_matched", std::nullopt,
        "Payment of " + money(a.amountMinor, a.currency) + " from " + payer(line) + " (booked " + line.bookingDate +
            ") matched by " + rule +
            // A person's match names them in the timeline (the matcher's does not).
            (actor.empty() || actor == "matcher" ? std::string() : " (" + actor + ")") + "; " + splitText(a) +
            money(a.openMinor, a.currency) + " open",
        "{\"line\":" + std::to_string(line.id) + ",\"match\":" + std::to_string(a.matchId) +
            ",\"actor\":" + parsers::JsonWriter::quote(actor) +
            ",\"principal\":" + std::to_string(a.amountMinor - a.costsMinor - a.interestMinor) +
            ",\"interest\":" + std::to_string(a.interestMinor) + ",\"costs\":" + std::to_string(a.costsMinor) + "}"};
}

store::EventRecord paidEvent(const Context& ctx, const Allocated& a) {
    return store::EventRecord{0, a.creditorId, a.dossierId, ctx.now(), "dossier_paid", std::nullopt,
                              "Dossier " + a.reference + " paid in full", {}};
}

QueuedMessage creditorMail(const Context& ctx, const sp::LineRecord& line, const Allocated& a, const std::string& email) {
    const std::string split = splitText(a);
    return QueuedMessage{a.creditorId, a.dossierId, "payment:match:" + std::to_string(a.matchId) + ":creditor", "email",
                         "payment_received", email, "Payment received for dossier " + a.reference,
                         "Hello,\n\nA payment of " + money(a.amountMinor, a.currency) + " from " + payer(line) +
                             " (booked " + line.bookingDate + ") was applied to dossier " + a.reference + ".\n" +
                             (split.empty() ? std::string() : "It was " + split.substr(0, split.size() - 2) + ".\n") +
                             "Still open: " + money(a.openMinor, a.currency) +
                             (a.paid ? " - the dossier is paid in full." : ".") + "\n\n" + ctx.settings.agencyName +
                             "\n"};
}

QueuedMessage debtorMail(const Context& ctx, const Allocated& a, const std::string& name, const std::string& email) {
    return QueuedMessage{a.creditorId, a.dossierId, "payment:match:" + std::to_string(a.matchId) + ":debtor", "email",
                         "payment_thanks", email, "Thank you for your payment (" + a.reference + ")",
                         "Dear " + name + ",\n\nWe received your payment of " + money(a.amountMinor, a.currency) +
                             " for file " + a.reference + ". " +
                             (a.openMinor <= 0 ? std::string("Nothing remains open: thank you.")
                                               : "Still open: " + money(a.openMinor, a.currency) + ".") +
                             "\n\n" + ctx.settings.agencyName + "\n"};
}

std::int64_t applyAllocation(Context& ctx, store::Tx& tx, const sp::LineRecord& line, std::int64_t dossierId,
                             std::int64_t amountMinor, const std::string& rule, const std::string& fields,
                             const std::string& actor, match::MatchIndex* index) {
    const std::string now = ctx.now();
    auto d = store::dossiers::dossier(tx, std::nullopt, dossierId);
    if (!d) return 0;
    // What is open now, not what the index saw: another person may have matched in between.
    const std::int64_t amount = std::min(amountMinor, std::max<std::int64_t>(0, d->openMinor));
    if (amount <= 0) return 0;
    sp::MatchRecord m;
    m.creditorId = d->creditorId;
    m.dossierId = dossierId;
    m.lineId = line.id;
    m.accountOwner = line.accountOwner;
    m.amountMinor = amount;
    m.currency = d->currency;
    m.rule = rule;
    m.fields = fields;
    m.actor = actor;
    m.createdAt = now;
    // Imputed in the legal order on what is owed now (gateway/core/PaymentAllocation.h): the open
    // amount holds the claimed costs and interest not yet paid, the rest is principal.
    const auto debtorRow = store::dossiers::debtor(tx, std::nullopt, d->debtorId);
    const auto owedCharges = store::charges::outstanding(tx, dossierId);
    const core::Owed owed{owedCharges.costs, owedCharges.interest,
                          d->openMinor - std::max<std::int64_t>(0, owedCharges.costs) -
                              std::max<std::int64_t>(0, owedCharges.interest)};
    const core::Country law = countryOf(debtorRow ? debtorRow->country : std::nullopt);
    const auto split = core::allocatePayment(law, owed, amount);
    m.costsMinor = split.costs;
    m.interestMinor = split.interest;
    const auto matchId = sp::insertMatch(tx, m);
    const auto c = recalc(ctx, tx, *d, amount);
    if (index) {
        index->applied(dossierId, amount);
        if (!line.counterpartyIban.empty()) index->addKnownPayerIban(dossierId, line.counterpartyIban);
    }

    const Allocated a{d->creditorId, dossierId, d->debtorId, d->reference, d->currency, amount, c.open,
                      c.status == "paid", c.status == "paid" && c.before.status != "paid", matchId,
                      split.costs, split.interest, law};
    store::events::append(tx, matchedEvent(ctx, line, a, rule, actor));
    if (a.paidNow) {
        store::events::append(tx, paidEvent(ctx, a));
        // Nothing more to chase: reminders still waiting in the outbox are cancelled.
        requireTransition(Machine::OutboundMessage, "planned", "failed");
        sp::cancelPlannedMessages(tx, dossierId, "cancelled: dossier paid", now);
    }

    // The creditor is told, the debtor thanked (plain text; templates come with the dunning work).
    const auto creditor = store::creditors::byId(tx, d->creditorId);
    const auto& debtor = debtorRow;
    if (creditor && creditor->email && tellsContactAddress(tx, d->creditorId))
        queueMessage(ctx, tx, creditorMail(ctx, line, a, *creditor->email));
    if (debtor && debtor->email) queueMessage(ctx, tx, debtorMail(ctx, a, debtor->name, *debtor->email));
    return amount;
}

std::int64_t undoLineMatches(Context& ctx, store::Tx& tx, const sp::LineRecord& line, const std::string& actor,
                             const std::string& reason, match::MatchIndex* index) {
    const std::string now = ctx.now();
    std::int64_t undone = 0;
    for (const auto& m : sp::liveMatchesForLine(tx, line.id)) {
        const auto d = store::dossiers::dossier(tx, std::nullopt, m.dossierId);
        if (!d) continue;
        sp::undoMatch(tx, m.id, actor, reason, now);
        const auto c = recalc(ctx, tx, *d, -m.amountMinor);
        if (index) index->applied(m.dossierId, -m.amountMinor);
        undone += m.amountMinor;
        store::events::append(tx, store::EventRecord{0, m.creditorId, m.dossierId, now, "payment_unmatched",
                                                     std::nullopt,
                                                     "Payment of " + money(m.amountMinor, m.currency) + " from " +
                                                         payer(line) + " undone by " + actor + ": " + reason + "; " +
                                                         money(c.open, m.currency) + " open",
                                                     "{\"line\":" + std::to_string(line.id) + ",\"match\":" +
                                                         std::to_string(m.id) + ",\"actor\":" +
                                                         parsers::JsonWriter::quote(actor) + "}"});
    }
    sp::cancelCreditsForLine(tx, line.id, now);
    return undone;
}

std::optional<sp::LineState> plainState(const sp::LineRecord& line, const match::Verdict& v) {
    using K = match::Verdict::Kind;
    if (v.kind == K::Suggest) return sp::LineState{line.id, "suggested", v.rule, v.reason, suggestionsJson(v.suggestions), 0};
    if (v.kind == K::Unmatched)
        return sp::LineState{line.id, v.rule == "not_a_credit" ? "ignored" : "unmatched", v.rule, v.reason, "", 0};
    return std::nullopt;
}

Booked bookVerdict(Context& ctx, store::Tx& tx, const sp::LineRecord& line, const match::Verdict& v,
                   match::MatchIndex* index) {
    sp::LineState s;
    const Booked booked = bookVerdictEffects(ctx, tx, line, v, index, s);
    sp::setState(tx, s, std::string("new"), ctx.now());
    return booked;
}

Booked bookVerdictEffects(Context& ctx, store::Tx& tx, const sp::LineRecord& line, const match::Verdict& v,
                          match::MatchIndex* index, sp::LineState& s) {
    using K = match::Verdict::Kind;
    const std::string now = ctx.now();
    s = sp::LineState{line.id, "unmatched", v.rule, v.reason, "", 0};
    Booked booked = Booked::Other;
    switch (v.kind) {
        case K::Apply: {
            std::int64_t applied = 0;
            std::optional<std::int64_t> firstDossier;
            for (const auto& a : v.allocations) {
                applied += applyAllocation(ctx, tx, line, a.dossierId, a.amountMinor, v.rule, joinFields(v.fields),
                                           "matcher", index);
                if (!firstDossier) firstDossier = a.dossierId;
            }
            const std::int64_t surplus = paymentLine(line).amountMinor - applied;
            s.state = "matched";
            s.appliedMinor = applied;
            booked = Booked::Matched;
            if (surplus > 0 && firstDossier) {
                // Overpayment: the surplus is the debtor's, kept as a credit for a person to refund or use.
                auto d = store::dossiers::dossier(tx, std::nullopt, *firstDossier);
                sp::insertCredit(tx, d->creditorId, d->debtorId, d->id, line.id, surplus, line.currency, now);
                s.appliedMinor += surplus;
                reviewTask(ctx, tx, d->creditorId, d->id, line.id,
                           "Overpayment of " + money(surplus, line.currency) + " on " + d->reference,
                           "Payment " + std::to_string(line.id) + " from " + payer(line) + " paid " +
                               money(paymentLine(line).amountMinor, line.currency) + "; " + money(applied, line.currency) +
                               " was applied. The rest is kept as a credit of the debtor: refund or use it.");
            }
            break;
        }
        case K::Suggest:
            s.state = "suggested";
            s.suggestions = suggestionsJson(v.suggestions);
            booked = Booked::Suggested;
            break;
        case K::Review: {
            s.state = "review";
            s.suggestions = suggestionsJson(v.suggestions);
            std::optional<std::int64_t> creditor = line.creditorId;
            std::optional<std::int64_t> dossier;
            if (!v.suggestions.empty()) {
                if (auto d = store::dossiers::dossier(tx, std::nullopt, v.suggestions.front().dossierId)) {
                    creditor = d->creditorId;
                    dossier = d->id;
                    if (v.surplusMinor > 0 && d->openMinor <= 0 && d->currency == line.currency) {
                        // Paid twice: the money is the debtor's until a person decides.
                        sp::insertCredit(tx, d->creditorId, d->debtorId, d->id, line.id, v.surplusMinor,
                                         line.currency, now);
                        s.appliedMinor = v.surplusMinor;
                    }
                }
            }
            if (creditor)
                reviewTask(ctx, tx, *creditor, dossier, line.id,
                           "Payment of " + money(line.amountMinor, line.currency) + " from " + payer(line) +
                               " needs a look",
                           v.reason);
            break;
        }
        case K::Undo: {
            // A reversal or return: find the earlier line it takes back, and undo its matches.
            std::vector<match::PriorMatch> prior;
            for (const auto& p : sp::matchedLinesLike(tx, line.accountOwner, line.accountIban, line.currency,
                                                      line.amountMinor < 0 ? -line.amountMinor : line.amountMinor)) {
                match::PriorMatch pm;
                pm.lineId = p.id;
                pm.amountMinor = p.amountMinor;
                pm.currency = p.currency;
                if (auto d = parsers::CivilDate::parseIso(p.bookingDate)) pm.bookingDate = *d;
                pm.reference = p.reference;
                pm.remittance = p.remittance;
                pm.endToEndId = p.endToEndId;
                pm.counterpartyIban = p.counterpartyIban;
                prior.push_back(std::move(pm));
            }
            const auto pl = paymentLine(line);
            if (auto pick = match::pickReversedLine(pl, prior)) {
                auto original = sp::line(tx, pick->lineId);
                const std::string why = (line.returnReason.empty() ? std::string("reversed by the bank")
                                                                   : "returned (" + line.returnReason + ")") +
                                        " in payment " + std::to_string(line.id);
                undoLineMatches(ctx, tx, *original, "matcher", why, index);
                auto os = sp::state(tx, original->id).value_or(sp::LineState{original->id, "", "", "", "", 0});
                os.state = "reversed";
                os.reason = why;
                os.appliedMinor = 0;
                sp::setState(tx, os, std::nullopt, now);
                s.state = "matched";
                s.rule = "reversal";
                s.reason = "undid payment " + std::to_string(original->id) + " (" + pick->basis + ")";
                booked = Booked::Matched;
            } else {
                s.state = "review";
                s.reason = "a reversal or return that matches no earlier matched payment";
                if (line.creditorId)
                    reviewTask(ctx, tx, *line.creditorId, std::nullopt, line.id,
                               "Reversal of " + money(line.amountMinor, line.currency) + " not matched", s.reason);
            }
            break;
        }
        case K::Unmatched:
            s.state = v.rule == "not_a_credit" ? "ignored" : "unmatched";
            break;
    }
    return booked;
}

match::PaymentLine paymentLine(const store::payments::LineRecord& l) {
    match::PaymentLine p;
    p.id = l.id;
    p.currency = l.currency;
    const int exponent = parsers::currencyExponent(l.currency).value_or(2);
    p.amountMinor = l.amountMinor;
    p.exact = l.exponent == exponent;
    for (int e = l.exponent; e > exponent; --e) p.amountMinor /= 10;
    if (auto d = parsers::CivilDate::parseIso(l.bookingDate)) p.bookingDate = *d;
    p.counterpartyName = l.counterpartyName;
    p.counterpartyIban = l.counterpartyIban;
    p.reference = l.reference;
    p.remittance = l.remittance;
    p.endToEndId = l.endToEndId;
    p.reversal = l.reversal;
    p.returnReason = l.returnReason;
    if (l.creditorId) p.creditorScope = *l.creditorId;
    return p;
}

}  // namespace duegate::services::payments
