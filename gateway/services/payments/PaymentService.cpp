#include "gateway/services/payments/PaymentService.h"

#include "parsers/common/Decimal.h"

#include "gateway/core/Money.h"
#include "gateway/core/matching/MatchIndex.h"
#include "gateway/core/matching/Reversal.h"
#include "gateway/services/OutboxService.h"
#include "gateway/services/States.h"
#include "gateway/services/payments/BatchBooking.h"
#include "gateway/services/payments/PaymentEffects.h"
#include "store/PaymentBatchRepository.h"
#include "parsers/bank/CamtParser.h"
#include "parsers/bank/CodaParser.h"
#include "parsers/bank/Mt940Parser.h"
#include "parsers/bank/StatementZip.h"
#include "parsers/common/Currency.h"
#include "parsers/common/Decimal.h"
#include "parsers/common/JsonWriter.h"
#include "store/BlobStore.h"
#include "store/CreditorRepository.h"
#include "store/DossierRepository.h"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <sstream>
#include <unordered_map>

namespace duegate::services::payments {
namespace {

namespace bank = parsers::bank;
namespace match = core::matching;
namespace sp = store::payments;

std::string upperNoSpace(std::string_view s) {
    std::string out;
    for (char c : s)
        if (c != ' ') out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string referenceKind(bank::Reference::Kind k) {
    switch (k) {
        case bank::Reference::Kind::Ogm: return "ogm";
        case bank::Reference::Kind::Rf: return "rf";
        case bank::Reference::Kind::Other: return "other";
        case bank::Reference::Kind::None: return "";
    }
    return "";
}

// Who owns the account a statement reports on.
struct Owner {
    std::string key;                        // 'agency' | 'creditor:<id>'
    std::optional<std::int64_t> creditorId;
};

// Serialises matching across processes: two imports of the same file, or an import and the
// serve matcher, never book against the same open amounts at once. SQLite's BEGIN IMMEDIATE
// already makes writers take turns.
void lockMatching(store::Tx& tx) {
    if (tx.dialect() == store::Dialect::PostgreSQL)
        tx.query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(7340031)) AS l");
}

// The matcher's index over the dossiers a line of this account may pay, as they are in this transaction.
match::MatchIndex buildIndex(Context& ctx, store::Tx& tx, const std::string& owner) {
    std::vector<match::Candidate> cands;
    for (auto& c : sp::candidates(tx, owner, upperNoSpace(ctx.settings.agencyIban))) {
        match::Candidate m;
        m.dossierId = c.dossierId;
        m.creditorId = c.creditorId;
        m.debtorId = c.debtorId;
        m.currency = c.currency;
        m.openMinor = std::max<std::int64_t>(0, c.openMinor);
        m.paymentReference = c.paymentReference;
        m.invoiceNumbers = std::move(c.invoiceNumbers);
        m.debtorName = std::move(c.debtorName);
        m.knownPayerIbans = std::move(c.knownPayerIbans);
        cands.push_back(std::move(m));
    }
    return match::MatchIndex(std::move(cands));
}

// Lines left in state 'new' (by a crash between import and matching in an older version, or lines
// stored while no index could be built), matched and booked in transactions of 500 lines.
MatchStats matchOwner(Context& ctx, const std::string& owner) {
    MatchStats stats;
    std::optional<match::MatchIndex> index;
    for (;;) {
        const bool more = ctx.db->transaction([&](store::Tx& tx) {
            lockMatching(tx);
            const auto lines = sp::newLines(tx, owner, 500);
            if (lines.empty()) return false;
            if (!index) index.emplace(buildIndex(ctx, tx, owner));
            BatchBooker b(ctx, tx, *index, BatchBooker::StateRows::UpdateNew);
            b.book(lines);
            stats.matched += b.matched;
            stats.suggested += b.suggested;
            stats.unmatched += b.unmatched;
            return true;
        });
        if (!more) break;
    }
    return stats;
}

class Importer {
public:
    Importer(Context& ctx, store::Tx& tx, const StatementSource& source, std::string format, sp::StoredKeys stored)
        : _ctx(ctx), _tx(tx), _source(source), _format(std::move(format)), _now(ctx.now()), _stored(stored) {}

    void onEntry(const bank::Statement& header, bank::Entry&& e) {
        if (!_statement) openStatement(header);
        if (!e.booked) return;  // pending / information only: not money on the account yet
        if (e.details.size() > 1 && detailsSplit(e)) return;
        addLine(e, e, "");
    }

    void onStatement(bank::Statement&& s) {
        if (!_statement) openStatement(s);
        flush();
        // The statement's end: closing balance, and the balance chain of the account.
        _record.closingDate = s.closingDate ? std::optional<std::string>(s.closingDate->iso()) : std::nullopt;
        _record.closingMinor = s.closingBalance;
        std::string gap;
        if (_record.kind == "statement" && _record.openingMinor) {
            if (auto prev = sp::previousStatement(_tx, _record); prev && prev->closingMinor &&
                                                                 *prev->closingMinor != *_record.openingMinor) {
                gap = "statement " + (_record.number.empty() ? _record.statementKey : _record.number) + " of " +
                      _record.accountIban + " opens at " + core::Money(*_record.openingMinor, _record.currency).toDecimal() +
                      " but the previous statement (" + (prev->number.empty() ? prev->statementKey : prev->number) +
                      ") closed at " + core::Money(*prev->closingMinor, prev->currency).toDecimal();
                outcome.gaps.push_back(gap);
            }
        }
        _tx.exec("UPDATE statements SET closing_date = $2, closing_minor = $3, balance_gap = $4, gap_detail = $5, "
                 "entries = entries + $6 WHERE id = $1",
                 {*_statement, _record.closingDate ? store::Value(*_record.closingDate) : store::nullValue(),
                  store::optionalInt(_record.closingMinor), std::int64_t(gap.empty() ? 0 : 1),
                  gap.empty() ? store::nullValue() : store::Value(gap), _linesInStatement});
        ++outcome.statements;
        _statement.reset();
        _linesInStatement = 0;
    }

    void finish() { flush(); }

    StatementOutcome outcome;
    std::vector<std::string> owners;  // account owners touched

private:
    Owner ownerOf(const bank::Statement& s) {
        const std::string iban = upperNoSpace(s.account.iban);
        if (iban.empty())
            throw Rejected("statement " + s.number + ": the file names no IBAN for the account" +
                           (s.account.number.empty() ? "" : " (account " + s.account.number + ")") +
                           ", so duegate cannot tell whose account it is: nothing imported");
        if (auto it = _owners.find(iban); it != _owners.end()) return it->second;
        Owner o;
        const bool creditorDoor = _source.creditorId && _source.door != "cli";
        if (!creditorDoor && !_ctx.settings.agencyIban.empty() && upperNoSpace(_ctx.settings.agencyIban) == iban) {
            o.key = "agency";
        } else {
            auto creditors = sp::creditorsWithIban(_tx, iban);
            if (_source.creditorId) {
                if (std::find(creditors.begin(), creditors.end(), *_source.creditorId) != creditors.end())
                    creditors = {*_source.creditorId};
                else if (creditorDoor)
                    creditors.clear();
            }
            if (creditors.size() > 1)
                throw Rejected("account " + iban + " is registered by " + std::to_string(creditors.size()) +
                               " creditors: import it with --creditor ID: nothing imported");
            if (creditors.empty())
                throw Rejected("account " + iban + " is neither the agency's account nor a registered IBAN of " +
                               (creditorDoor ? std::string("this creditor") : std::string("any creditor")) +
                               ": nothing imported");
            o.key = "creditor:" + std::to_string(creditors.front());
            o.creditorId = creditors.front();
        }
        _owners[iban] = o;
        if (std::find(owners.begin(), owners.end(), o.key) == owners.end()) owners.push_back(o.key);
        return o;
    }

    void openStatement(const bank::Statement& s) {
        _owner = ownerOf(s);
        _record = sp::StatementRecord{};
        _record.accountOwner = _owner.key;
        _record.creditorId = _owner.creditorId;
        _record.accountIban = upperNoSpace(s.account.iban);
        _record.currency = s.currency.empty() ? s.account.currency : s.currency;
        _record.kind = s.kind;
        _record.format = _format;
        _record.number = s.number;
        _record.sequence = s.sequence;
        if (s.openingDate) _record.openingDate = s.openingDate->iso();
        _record.openingMinor = s.openingBalance;
        _record.statementKey = s.kind + "|" + s.number + "|" + s.sequence + "|" +
                               (s.openingDate ? s.openingDate->iso() : std::string()) + "|" +
                               (s.openingBalance ? std::to_string(*s.openingBalance) : std::string());
        _record.fileSha256 = _source.sha256;
        _record.inboundItemId = _source.inboundItemId;
        _statement = sp::insertStatement(_tx, _record, _now).id;
    }

    // A batch entry whose details each carry their own amount becomes one line per detail.
    bool detailsSplit(const bank::Entry& e) {
        std::int64_t sum = 0;
        for (const auto& d : e.details) {
            if (!d.amountGiven) return false;
            sum += d.amount;
        }
        if (sum != e.amount) return false;
        for (std::size_t i = 0; i < e.details.size(); ++i) addLine(e.details[i], e, "#" + std::to_string(i + 1));
        return true;
    }

    void addLine(const bank::Entry& e, const bank::Entry& parent, const std::string& detail) {
        sp::LineRecord l;
        l.statementId = *_statement;
        l.accountOwner = _owner.key;
        l.creditorId = _owner.creditorId;
        l.accountIban = _record.accountIban;
        l.amountMinor = e.amount;
        l.currency = !e.currency.empty() ? e.currency : !parent.currency.empty() ? parent.currency : _record.currency;
        l.exponent = e.exponent;
        const auto& booking = e.bookingDate ? e.bookingDate : parent.bookingDate;
        const auto& value = e.valueDate ? e.valueDate : parent.valueDate;
        l.bookingDate = booking ? booking->iso() : (value ? value->iso() : std::string());
        l.valueDate = value ? value->iso() : std::string();
        l.counterpartyName = e.counterparty.name.empty() ? parent.counterparty.name : e.counterparty.name;
        l.counterpartyIban = e.counterparty.iban.empty() ? parent.counterparty.iban : e.counterparty.iban;
        l.counterpartyBic = e.counterparty.bic.empty() ? parent.counterparty.bic : e.counterparty.bic;
        const auto& ref = e.reference.kind != bank::Reference::Kind::None ? e.reference : parent.reference;
        l.referenceKind = referenceKind(ref.kind);
        l.reference = ref.value;
        l.remittance = e.remittance.empty() ? parent.remittance : e.remittance;
        l.bankReference = e.bankReference.empty() ? parent.bankReference : e.bankReference;
        l.endToEndId = e.endToEndId.empty() ? parent.endToEndId : e.endToEndId;
        l.reversal = e.reversal || parent.reversal;
        l.returnReason = e.returnReason.empty() ? parent.returnReason : e.returnReason;

        // The natural key (PaymentRepository.h): the bank's own entry reference when it gave one,
        // else the content of the entry and how many identical ones came before it that day.
        const std::string amount = l.currency + ":" + std::to_string(l.amountMinor) + "e" + std::to_string(l.exponent);
        std::string bankRef = l.bankReference;
        if (upperNoSpace(bankRef) == "NONREF" || upperNoSpace(bankRef) == "NOTPROVIDED") bankRef.clear();
        if (!bankRef.empty()) {
            l.lineKey = "ref:" + bankRef + detail + ":" + amount;
        } else {
            const std::string digest =
                store::BlobStore::sha256Hex(l.counterpartyIban + "\x1f" + l.counterpartyName + "\x1f" + l.reference +
                                            "\x1f" + l.remittance + "\x1f" + l.endToEndId + "\x1f" +
                                            (l.reversal ? "R" : "") + l.returnReason)
                    .substr(0, 20);
            const std::string base = "fp:" + l.bookingDate + ":" + amount + ":" + digest;
            l.lineKey = base + ":" + std::to_string(++_occurrences[base]);
        }
        ++outcome.entries;
        ++_linesInStatement;
        _pending.push_back(std::move(l));
        if (_pending.size() >= 400) flush();
    }

    // Stores the pending lines (all of one statement, so of one account) and books the new ones
    // with the matcher's verdicts right away, in this transaction: each new line is written once,
    // with its verdict (the booker writes it), and the lines never need reading back.
    void flush() {
        if (_pending.empty()) return;
        const auto inserted = sp::reserveLines(_tx, _pending, _stored);
        outcome.duplicates += _pending.size() - inserted.size();
        if (!inserted.empty()) {
            std::vector<sp::LineRecord> fresh;
            fresh.reserve(inserted.size());
            for (const auto& [pos, id] : inserted) {
                fresh.push_back(std::move(_pending[pos]));
                fresh.back().id = id;
            }
            auto& b = booker(fresh.front().accountOwner);
            b.booker.book(fresh);
        }
        _pending.clear();
    }

    struct Booking {
        match::MatchIndex index;
        BatchBooker booker;
        Booking(Context& ctx, store::Tx& tx, match::MatchIndex i, sp::StoredKeys stored)
            : index(std::move(i)), booker(ctx, tx, index, BatchBooker::StateRows::Insert, stored) {}
    };
    Booking& booker(const std::string& owner) {
        auto& b = _bookings[owner];
        if (!b) b = std::make_unique<Booking>(_ctx, _tx, buildIndex(_ctx, _tx, owner), _stored);
        return *b;
    }

public:
    MatchStats matchStats() const {
        MatchStats m;
        for (const auto& [owner, b] : _bookings) {
            m.matched += b->booker.matched;
            m.suggested += b->booker.suggested;
            m.unmatched += b->booker.unmatched;
        }
        return m;
    }

private:

    Context& _ctx;
    store::Tx& _tx;
    const StatementSource& _source;
    std::string _format;
    std::string _now;
    sp::StoredKeys _stored;
    std::map<std::string, Owner> _owners;
    Owner _owner;
    std::optional<std::int64_t> _statement;
    sp::StatementRecord _record;
    std::int64_t _linesInStatement = 0;
    std::vector<sp::LineRecord> _pending;
    std::unordered_map<std::string, std::size_t> _occurrences;
    std::map<std::string, std::unique_ptr<Booking>> _bookings;  // per account owner, built on first use
};

std::string sniffFormat(std::string_view head) {
    if (bank::sniffStatementZip(head)) return "zip";
    if (bank::sniffCoda(head)) return "coda";
    if (bank::sniffCamt(head)) return "camt";
    if (bank::sniffMt940(head)) return "mt940";
    return "";
}

std::string readAll(std::istream& in, std::size_t limit) {
    std::string out;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        out.append(buf, static_cast<std::size_t>(in.gcount()));
        if (out.size() > limit) throw Rejected("the zip file is larger than " + std::to_string(limit) + " bytes");
    }
    return out;
}

std::vector<QueueSuggestion> suggestionsFrom(const std::string& json) {
    std::vector<QueueSuggestion> out;
    if (json.empty()) return out;
    try {
        Poco::JSON::Parser p;
        auto arr = p.parse(json).extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < arr->size(); ++i) {
            auto o = arr->getObject(static_cast<unsigned>(i));
            QueueSuggestion s;
            s.dossierId = o->getValue<Poco::Int64>("dossier");
            s.score = o->getValue<int>("score");
            s.reason = o->getValue<std::string>("reason");
            out.push_back(std::move(s));
        }
    } catch (const Poco::Exception&) {
    }
    return out;
}


bool inScope(const Principal& who, const sp::LineRecord& l, store::Tx& tx) {
    return sp::lineVisible(tx, who.creditorId, l.id);
}

QueueItem itemFrom(store::Tx& tx, sp::QueueRow&& q) {
    QueueItem it;
    it.line = std::move(q.line);
    it.statement = sp::statementLabel(tx, it.line.statementId);
    it.state = q.state.state;
    it.rule = q.state.rule;
    it.reason = q.state.reason;
    it.appliedMinor = q.state.appliedMinor;
    for (const auto& m : q.matches) {
        auto d = store::dossiers::dossier(tx, std::nullopt, m.dossierId);
        it.dossiers.push_back(QueueDossier{m.dossierId, m.amountMinor, m.id, d ? d->reference : "", m.rule, m.actor});
    }
    it.suggestions = suggestionsFrom(q.state.suggestions);
    for (auto& s : it.suggestions) {
        auto d = store::dossiers::dossier(tx, std::nullopt, s.dossierId);
        s.dossierReference = d ? d->reference : "";
    }
    return it;
}

}  // namespace

bool sniffStatement(std::string_view head) { return !sniffFormat(head).empty(); }

StatementOutcome importStatement(Context& ctx, std::istream& in, std::string_view head, const StatementSource& source) {
    const std::string format = sniffFormat(head);
    if (format.empty()) throw Rejected("not a bank statement (CODA, CAMT.053/054, MT940 or a zip of them)");
    bank::Limits limits;
    struct Imported {
        StatementOutcome outcome;
        std::vector<std::string> owners;
    };
    // A file's lines are written assuming none is stored yet (on PostgreSQL that spares a read of
    // every key: store/PaymentBatchRepository.h); when one is (the same file again, overlapping
    // statements), the transaction rolls back and the file is imported again, skipping stored keys.
    auto attempt = [&](sp::StoredKeys stored) { return ctx.db->transaction([&](store::Tx& tx) {
        // The new lines are matched and booked in this transaction as they are stored.
        lockMatching(tx);
        StatementSource src = source;
        if (src.begin) src.inboundItemId = src.begin(tx);
        Importer importer(ctx, tx, src, format, stored);
        bank::StatementCallbacks cb;
        cb.onEntry = [&](const bank::Statement& s, bank::Entry&& e) { importer.onEntry(s, std::move(e)); };
        cb.onStatement = [&](bank::Statement&& s) { importer.onStatement(std::move(s)); };
        std::optional<parsers::Error> error;
        if (stored == sp::StoredKeys::Skip) {  // the second attempt reads the file again
            in.clear();
            in.seekg(0);
        }
        if (format == "zip") {
            auto file = bank::parseStatementZip(readAll(in, limits.maxZipTotalBytes), limits);
            if (!file) {
                error = file.error();
            } else {
                for (auto& s : file->statements) {
                    auto entries = std::move(s.entries);
                    s.entries.clear();
                    for (auto& e : entries) importer.onEntry(s, std::move(e));
                    importer.onStatement(std::move(s));
                }
            }
        } else {
            in.clear();
            in.seekg(0);
            auto r = format == "camt"   ? bank::parseCamtStream(in, cb, limits)
                     : format == "coda" ? bank::parseCodaStream(in, cb, limits)
                                        : bank::parseMt940Stream(in, cb, limits);
            if (!r) error = r.error();
        }
        if (error) throw Rejected(format + ": " + error->toString() + ": nothing imported");
        importer.finish();
        if (src.end) src.end(tx);
        Imported done{importer.outcome, importer.owners};
        const auto m = importer.matchStats();
        done.outcome.matched = m.matched;
        done.outcome.suggested = m.suggested;
        done.outcome.unmatched = m.unmatched;
        return done;
    }); };
    std::optional<Imported> imported;
    try {
        imported = attempt(sp::StoredKeys::Unlikely);
    } catch (const sp::LineKeyTaken&) {
        imported = attempt(sp::StoredKeys::Skip);
    }
    const Imported& imp = *imported;
    StatementOutcome out = imp.outcome;
    for (const auto& owner : imp.owners) {
        const auto s = matchOwner(ctx, owner);
        out.matched += s.matched;
        out.suggested += s.suggested;
        out.unmatched += s.unmatched;
    }
    return out;
}

MatchStats matchPending(Context& ctx, const std::optional<std::string>& accountOwner) {
    std::vector<std::string> owners;
    if (accountOwner) owners.push_back(*accountOwner);
    else owners = ctx.db->transaction([](store::Tx& tx) { return sp::ownersWithNewLines(tx); });
    MatchStats total;
    for (const auto& o : owners) {
        const auto s = matchOwner(ctx, o);
        total.matched += s.matched;
        total.suggested += s.suggested;
        total.unmatched += s.unmatched;
    }
    return total;
}

bool hasUnmatchedWork(store::Tx& tx, std::int64_t creditorId) { return sp::hasNewLinesFor(tx, creditorId); }

std::string lineDecimal(const sp::LineRecord& l) {
    if (l.exponent < 0) return core::Money(l.amountMinor, l.currency).toDecimal();
    return parsers::formatMinorUnits(l.amountMinor, l.exponent);
}

std::string actorName(const Principal& who) {
    if (who.userId) return "user:" + std::to_string(*who.userId) + " " + who.displayName;
    if (who.creditorId) return "api:creditor:" + std::to_string(*who.creditorId);
    return who.displayName.empty() ? "staff" : who.displayName;
}

std::vector<QueueItem> listPayments(Context& ctx, const Principal& who, const std::vector<std::string>& states,
                                    std::size_t limit, std::int64_t afterId) {
    sp::LineFilter f;
    f.states = states;
    return listPayments(ctx, who, std::move(f), limit, afterId);
}

std::vector<QueueItem> listPayments(Context& ctx, const Principal& who, sp::LineFilter filter, std::size_t limit,
                                    std::int64_t afterId) {
    std::vector<std::string> st;
    for (const auto& s : filter.states) {
        st.push_back(s);
        if (s == "unmatched") {
            st.push_back("review");
            st.push_back("new");
        }
    }
    filter.states = std::move(st);
    return ctx.db->transaction([&](store::Tx& tx) {
        std::vector<QueueItem> out;
        for (auto& q : sp::listLines(tx, who.creditorId, filter, limit, afterId)) out.push_back(itemFrom(tx, std::move(q)));
        return out;
    });
}

std::optional<QueueItem> payment(Context& ctx, const Principal& who, std::int64_t lineId) {
    return ctx.db->transaction([&](store::Tx& tx) -> std::optional<QueueItem> {
        if (!sp::lineVisible(tx, who.creditorId, lineId)) return std::nullopt;
        auto l = sp::line(tx, lineId);
        auto s = sp::state(tx, lineId);
        if (!l || !s) return std::nullopt;
        sp::QueueRow q{*l, *s, sp::liveMatchesForLine(tx, lineId)};
        return itemFrom(tx, std::move(q));
    });
}

void matchByHand(Context& ctx, const Principal& who, std::int64_t lineId, const std::vector<ManualAllocation>& split,
                 const std::string& rule) {
    if (split.empty()) throw InputError("dossiers: give at least one {\"id\", \"amount\"}");
    for (const auto& a : split)
        if (a.amountMinor <= 0) throw InputError("dossiers: every amount must be more than 0");
    ctx.db->transaction([&](store::Tx& tx) {
        lockMatching(tx);
        auto l = sp::line(tx, lineId);
        if (!l || !inScope(who, *l, tx)) throw NotFound("no payment " + std::to_string(lineId));
        auto st = sp::state(tx, lineId);
        const auto pl = paymentLine(*l);
        if (pl.amountMinor <= 0) throw InputError("payment " + std::to_string(lineId) + " is not a credit");
        std::int64_t total = 0;
        for (const auto& a : split) {
            auto d = store::dossiers::dossier(tx, who.creditorId, a.dossierId);
            if (!d) throw NotFound("no dossier " + std::to_string(a.dossierId));
            if (l->creditorId && d->creditorId != *l->creditorId)
                throw NotFound("no dossier " + std::to_string(a.dossierId));
            if (d->currency != l->currency)
                throw InputError("dossier " + d->reference + " is in " + d->currency + ", the payment in " + l->currency);
            if (d->status == "draft") throw InputError("dossier " + d->reference + " is held for review");
            if (a.amountMinor > d->openMinor)
                throw Conflict("dossier " + d->reference + " has " + core::Money(d->openMinor, d->currency).toDecimal() +
                                   " open, less than " + core::Money(a.amountMinor, d->currency).toDecimal(),
                               "open", d->id, d->openMinor);
            total += a.amountMinor;
        }
        const std::int64_t left = pl.amountMinor - (st ? st->appliedMinor : 0);
        if (total > left)
            throw Conflict("the payment has " + core::Money(left, l->currency).toDecimal() + " left to apply, less than " +
                               core::Money(total, l->currency).toDecimal(),
                           "line", 0, left);
        const std::string actor = actorName(who);
        for (const auto& a : split) applyAllocation(ctx, tx, *l, a.dossierId, a.amountMinor, rule, "manual", actor, nullptr);
        sp::LineState s = st.value_or(sp::LineState{lineId, "new", "", "", "", 0});
        s.state = "matched";
        s.rule = rule;
        s.reason = "matched by " + actor;
        s.appliedMinor += total;
        sp::setState(tx, s, std::nullopt, ctx.now());
        std::string what;
        for (const auto& a : split)
            what += (what.empty() ? "" : ", ") + std::string("dossier ") + std::to_string(a.dossierId) + ": " +
                    core::Money(a.amountMinor, l->currency).toDecimal();
        sp::insertAction(tx, lineId, l->creditorId, rule == "confirmed" ? "confirm" : "match", actor, what, ctx.now());
    });
}

void confirmSuggestion(Context& ctx, const Principal& who, std::int64_t lineId, std::int64_t dossierId) {
    auto item = payment(ctx, who, lineId);
    if (!item) throw NotFound("no payment " + std::to_string(lineId));
    bool suggested = false;
    for (const auto& s : item->suggestions) suggested = suggested || s.dossierId == dossierId;
    if (!suggested) throw InputError("dossier " + std::to_string(dossierId) + " is not a suggestion of this payment");
    const auto open = ctx.db->transaction([&](store::Tx& tx) {
        auto d = store::dossiers::dossier(tx, who.creditorId, dossierId);
        if (!d) throw NotFound("no dossier " + std::to_string(dossierId));
        return d->openMinor;
    });
    const std::int64_t left = paymentLine(item->line).amountMinor - item->appliedMinor;
    const std::int64_t amount = std::min(left, open);
    if (amount <= 0) throw Conflict("nothing left to apply on the payment or the dossier");
    matchByHand(ctx, who, lineId, {{dossierId, amount}}, "confirmed");
}

void markLine(Context& ctx, const Principal& who, std::int64_t lineId, const std::string& mark,
              const std::string& reason) {
    if (mark != "not_ours" && mark != "refund" && mark != "bank_costs")
        throw InputError("mark: expected not_ours, refund or bank_costs");
    ctx.db->transaction([&](store::Tx& tx) {
        auto l = sp::line(tx, lineId);
        if (!l || !inScope(who, *l, tx)) throw NotFound("no payment " + std::to_string(lineId));
        if (!sp::liveMatchesForLine(tx, lineId).empty())
            throw Conflict("payment " + std::to_string(lineId) + " is matched: undo it first");
        auto s = sp::state(tx, lineId).value_or(sp::LineState{lineId, "new", "", "", "", 0});
        const std::string actor = actorName(who);
        s.state = mark;
        s.rule = "manual";
        s.reason = reason.empty() ? "marked " + mark + " by " + actor : reason;
        sp::setState(tx, s, std::nullopt, ctx.now());
        sp::insertAction(tx, lineId, l->creditorId, mark, actor, reason, ctx.now());
        if (l->creditorId)
            store::events::append(tx, store::EventRecord{0, *l->creditorId, std::nullopt, ctx.now(), "payment_marked",
                                                         std::nullopt,
                                                         "Payment of " + core::Money(l->amountMinor, l->currency).toDecimal() +
                                                             " " + l->currency + " marked " + mark + " by " + actor +
                                                             (reason.empty() ? "" : ": " + reason),
                                                         {}});
    });
}

void undoLine(Context& ctx, const Principal& who, std::int64_t lineId, const std::string& reason) {
    if (reason.empty()) throw InputError("reason: say why the match is undone");
    ctx.db->transaction([&](store::Tx& tx) {
        lockMatching(tx);
        auto l = sp::line(tx, lineId);
        if (!l || !inScope(who, *l, tx)) throw NotFound("no payment " + std::to_string(lineId));
        const std::string actor = actorName(who);
        undoLineMatches(ctx, tx, *l, actor, reason);
        auto s = sp::state(tx, lineId).value_or(sp::LineState{lineId, "new", "", "", "", 0});
        s.state = "unmatched";
        s.rule = "manual";
        s.reason = "undone by " + actor + ": " + reason;
        s.appliedMinor = 0;
        sp::setState(tx, s, std::nullopt, ctx.now());
        sp::insertAction(tx, lineId, l->creditorId, "undo", actor, reason, ctx.now());
    });
}

}  // namespace duegate::services::payments
