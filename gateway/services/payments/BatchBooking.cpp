#include "gateway/services/payments/BatchBooking.h"

#include "gateway/core/PaymentAllocation.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/States.h"
#include "store/DossierRepository.h"

#include <algorithm>
#include <set>

namespace duegate::services::payments {
namespace {

namespace match = core::matching;
namespace sp = store::payments;

}  // namespace

void BatchBooker::book(const std::vector<sp::LineRecord>& lines) {
    // The dossiers the applies will touch, read in one query: a first pass over the lines with the
    // index as it is (a later line may still pick another dossier once earlier ones are booked;
    // load() reads the few it missed).
    std::vector<std::int64_t> want;
    for (const auto& l : lines) {
        const auto v = _index.match(paymentLine(l));
        if (v.kind == match::Verdict::Kind::Apply)
            for (const auto& a : v.allocations) want.push_back(a.dossierId);
    }
    load(want);

    for (const auto& l : lines) {
        const auto pl = paymentLine(l);
        const auto v = _index.match(pl);
        if (auto s = plainState(l, v)) {
            (s->state == "suggested" ? suggested : unmatched)++;
            addState(l, std::move(*s));
            continue;
        }
        if (v.kind == match::Verdict::Kind::Apply && bookApply(l, pl, v)) {
            ++matched;
            continue;
        }
        // One by one, on the store as it is: write what is pending first.
        flush();
        sp::LineState s;
        Booked booked;
        if (_rows == StateRows::Insert) {
            // Its effects name the line (match rows, credits, tasks): it is stored first, as 'new',
            // and bookVerdict moves it on.
            sp::insertReservedLines(_tx, {sp::LineWithState{&l, sp::LineState{l.id, "new", "", "", "", 0}}},
                                    _ctx.now(), _storedKeys);
            booked = bookVerdict(_ctx, _tx, l, v, &_index);
        } else {
            booked = bookVerdictEffects(_ctx, _tx, l, v, &_index, s);
            addState(l, std::move(s));
        }
        switch (booked) {
            case Booked::Matched: ++matched; break;
            case Booked::Suggested: ++suggested; break;
            case Booked::Other: ++unmatched; break;
        }
        _dossiers.clear();  // it may have moved dossiers' amounts
        _stored.clear();
    }
    flush();
    // Nothing kept between batches: memory stays flat however many lines a file has.
    _dossiers.clear();
    _stored.clear();
    _debtors.clear();
}

void BatchBooker::load(const std::vector<std::int64_t>& dossierIds) {
    std::vector<std::int64_t> missing;
    for (auto id : dossierIds)
        if (!_dossiers.count(id)) missing.push_back(id);
    std::sort(missing.begin(), missing.end());
    missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
    if (missing.empty()) return;
    for (auto& d : sp::dossierAmounts(_tx, missing)) {
        const auto id = d.id;
        _stored[id] = d.status;
        _dossiers.emplace(id, std::move(d));
    }
}

// An apply books set-based when the line is used whole (no surplus to keep as a credit); the
// amounts are those applyAllocation would book: each allocation capped at what its dossier has
// open now.
bool BatchBooker::bookApply(const sp::LineRecord& line, const match::PaymentLine& pl, const match::Verdict& v) {
    std::vector<std::int64_t> ids;
    for (const auto& a : v.allocations) ids.push_back(a.dossierId);
    load(ids);
    std::vector<std::pair<std::int64_t, std::int64_t>> parts;  // dossier, amount
    std::map<std::int64_t, std::int64_t> open;
    std::int64_t applied = 0;
    for (const auto& a : v.allocations) {
        auto it = _dossiers.find(a.dossierId);
        if (it == _dossiers.end()) continue;
        auto [o, fresh] = open.emplace(a.dossierId, it->second.openMinor);
        (void)fresh;
        const std::int64_t amount = std::min(a.amountMinor, std::max<std::int64_t>(0, o->second));
        if (amount <= 0) continue;
        o->second -= amount;
        parts.emplace_back(a.dossierId, amount);
        applied += amount;
    }
    if (pl.amountMinor - applied > 0 && !v.allocations.empty()) return false;  // an overpayment

    const std::string fields = joinFields(v.fields);
    for (const auto& [id, amount] : parts) {
        auto& d = _dossiers.at(id);
        const std::string before = d.status;
        // Imputed as applyAllocation does: on what is owed before this amount, in the legal order of
        // the debtor's country; what it paid of the claimed costs and interest is owed no more.
        const core::Country law = countryOf(d.debtorCountry);
        const auto split = core::allocatePayment(
            law, core::Owed{d.costsOwed, d.interestOwed,
                            d.openMinor - std::max<std::int64_t>(0, d.costsOwed) -
                                std::max<std::int64_t>(0, d.interestOwed)},
            amount);
        d.costsOwed -= split.costs;
        d.interestOwed -= split.interest;
        d.paidMinor += amount;
        d.openMinor -= amount;
        d.status = statusAfter(before, d.paidMinor, d.openMinor);
        if (std::find(_dirty.begin(), _dirty.end(), id) == _dirty.end()) _dirty.push_back(id);
        _index.applied(id, amount);
        if (!line.counterpartyIban.empty()) _index.addKnownPayerIban(id, line.counterpartyIban);
        _pending.push_back(PendingMatch{&line,
                                        Allocated{d.creditorId, id, d.debtorId, d.reference, d.currency, amount,
                                                  d.openMinor, d.status == "paid",
                                                  d.status == "paid" && before != "paid", 0, split.costs,
                                                  split.interest, law},
                                        v.rule, fields});
    }
    addState(line, sp::LineState{line.id, "matched", v.rule, v.reason, "", applied});
    return true;
}

void BatchBooker::addState(const sp::LineRecord& line, sp::LineState s) {
    _states.push_back(sp::LineWithState{&line, std::move(s)});
}

void BatchBooker::flush() {
    const std::string now = _ctx.now();
    // An imported line is stored with its state. On SQLite before the match rows that name it (their
    // foreign key is checked per statement); on PostgreSQL, where nothing the batch writes has a
    // foreign key to it (0022, 0023), after them: that COPY is not waited for, so the server stores
    // the lines while the import parses the next entries (store/PgCopy.h).
    std::vector<sp::LineWithState> later;
    if (_rows == StateRows::Insert && !_states.empty()) {
        if (_tx.dialect() == store::Dialect::PostgreSQL) later = std::move(_states);
        else sp::insertReservedLines(_tx, _states, now, _storedKeys);
        _states.clear();
    }
    if (!_pending.empty()) {
        // Match rows first: their ids name the events and the mails' dedupe keys.
        std::vector<sp::MatchRecord> rows;
        rows.reserve(_pending.size());
        for (const auto& p : _pending) {
            sp::MatchRecord m;
            m.creditorId = p.allocated.creditorId;
            m.dossierId = p.allocated.dossierId;
            m.lineId = p.line->id;
            m.accountOwner = p.line->accountOwner;
            m.amountMinor = p.allocated.amountMinor;
            m.currency = p.allocated.currency;
            m.rule = p.rule;
            m.fields = p.fields;
            m.actor = "matcher";
            m.createdAt = now;
            m.costsMinor = p.allocated.costsMinor;
            m.interestMinor = p.allocated.interestMinor;
            rows.push_back(std::move(m));
        }
        const auto ids = sp::insertMatches(_tx, rows);
        for (std::size_t i = 0; i < _pending.size(); ++i) _pending[i].allocated.matchId = ids[i];

        std::vector<sp::DossierPaid> paid;
        for (auto id : _dirty) {
            const auto& d = _dossiers.at(id);
            paid.push_back(sp::DossierPaid{id, d.paidMinor, d.openMinor, _stored.at(id), d.status});
            _stored[id] = d.status;
        }
        sp::setPaidMany(_tx, paid, now);

        // Nothing more to chase on a paid dossier: reminders still waiting in the outbox are
        // cancelled (before this batch's own mails are queued).
        std::vector<std::int64_t> paidNow;
        std::set<std::int64_t> creditorIds, debtorIds;
        for (const auto& p : _pending) {
            if (p.allocated.paidNow) paidNow.push_back(p.allocated.dossierId);
            if (!_creditors.count(p.allocated.creditorId)) creditorIds.insert(p.allocated.creditorId);
            if (!_debtors.count(p.allocated.debtorId)) debtorIds.insert(p.allocated.debtorId);
        }
        if (!paidNow.empty()) {
            requireTransition(Machine::OutboundMessage, "planned", "failed");
            sp::cancelPlannedMessagesOf(_tx, paidNow, "cancelled: dossier paid", now);
        }

        // The creditor told, the debtor thanked: the same mails applyAllocation queues.
        for (auto& c : sp::creditorContacts(_tx, {creditorIds.begin(), creditorIds.end()})) _creditors[c.id] = c;
        for (auto id : creditorIds) _tellsContact[id] = tellsContactAddress(_tx, id);
        for (auto& c : sp::debtorContacts(_tx, {debtorIds.begin(), debtorIds.end()})) _debtors[c.id] = c;
        std::vector<QueuedMessage> mails;
        std::vector<std::pair<std::size_t, std::size_t>> mailsOf(_pending.size(), {0, 0});  // [first, end)
        for (std::size_t i = 0; i < _pending.size(); ++i) {
            const auto& p = _pending[i];
            mailsOf[i].first = mails.size();
            if (auto c = _creditors.find(p.allocated.creditorId);
                c != _creditors.end() && c->second.email && _tellsContact[p.allocated.creditorId])
                mails.push_back(creditorMail(_ctx, *p.line, p.allocated, *c->second.email));
            if (auto d = _debtors.find(p.allocated.debtorId); d != _debtors.end() && d->second.email)
                mails.push_back(debtorMail(_ctx, p.allocated, d->second.name, *d->second.email));
            mailsOf[i].second = mails.size();
        }
        const auto queued = queueMessages(_ctx, _tx, mails);

        // Events in the order booking one by one writes them.
        std::vector<store::EventRecord> events;
        for (std::size_t i = 0; i < _pending.size(); ++i) {
            const auto& p = _pending[i];
            events.push_back(matchedEvent(_ctx, *p.line, p.allocated, p.rule, "matcher"));
            if (p.allocated.paidNow) events.push_back(paidEvent(_ctx, p.allocated));
            for (std::size_t m = mailsOf[i].first; m < mailsOf[i].second; ++m)
                if (queued[m].event) events.push_back(*queued[m].event);
        }
        store::events::appendMany(_tx, events);
        _pending.clear();
        _dirty.clear();
    }
    if (!later.empty()) sp::insertReservedLines(_tx, later, now, _storedKeys);
    if (!_states.empty()) {  // UpdateNew
        std::vector<sp::LineState> states;
        states.reserve(_states.size());
        for (auto& s : _states) states.push_back(std::move(s.state));
        sp::updateNewStates(_tx, states, now);
        _states.clear();
    }
}

}  // namespace duegate::services::payments
