#include "gateway/core/matching/MatchIndex.h"

#include "gateway/core/matching/NameSimilarity.h"
#include "gateway/core/matching/ReferenceScan.h"
#include "parsers/refs/Ogm.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <iterator>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

namespace duegate::core::matching {

namespace {

constexpr std::uint32_t kNil = 0xFFFFFFFFu;
// A payer IBAN or name token shared by more dossiers than this is no evidence worth walking.
constexpr std::uint32_t kMaxWalk = 2000;
// Invoice numbers shorter than this are too likely to occur by chance in a remittance.
constexpr std::size_t kMinInvoiceLength = 3;

// key -> positions (row indexes). An open-addressing table of slots (linear probing, at most half
// full) over a byte arena of keys (keys of up to 8 bytes live in the slot itself). While the index
// is built, postings are appended to one vector; freeze() lays each key's positions out side by side
// (ascending, as rows are added in dossier id order), so a lookup reads one slot and one contiguous
// run. Postings added after freeze() (applied(), addKnownPayerIban()) go to a small linked overflow.
// A node-based map of vectors was about three times slower and twice the memory (bench/match).
class Postings {
public:
    void reserve(std::size_t keys) {
        if (keys * 2 > _slots.size()) rehash(keys * 2);
        _pending.reserve(keys);
    }
    void add(std::string_view key, std::uint32_t pos) {
        Slot& s = slotFor(key);
        ++s.count;
        if (!_frozen) {
            _pending.push_back({s.id, pos});
        } else {
            _extra.push_back({pos, s.head});
            s.head = static_cast<std::uint32_t>(_extra.size() - 1);
        }
    }
    void freeze() {
        std::vector<std::uint32_t> start(_ids + 1, 0);
        for (const Pending& p : _pending) ++start[p.id + 1];
        for (std::uint32_t i = 0; i < _ids; ++i) start[i + 1] += start[i];
        for (Slot& s : _slots)
            if (s.count) {
                s.start = start[s.id];
                s.frozenCount = start[s.id + 1] - start[s.id];
            }
        _flat.resize(_pending.size());
        for (const Pending& p : _pending) _flat[start[p.id]++] = p.pos;
        std::vector<Pending>().swap(_pending);
        _frozen = true;
    }
    std::uint32_t count(std::string_view key) const {
        const Slot* s = find(key);
        return s ? s->count : 0;
    }
    // Positions of `key`, ascending (row order = dossier id order), at most `limit` read.
    void collect(std::string_view key, std::vector<std::uint32_t>& out, std::uint32_t limit = kNil) const {
        out.clear();
        const Slot* s = find(key);
        if (!s) return;
        std::uint32_t n = std::min(s->frozenCount, limit);
        out.assign(_flat.begin() + s->start, _flat.begin() + s->start + n);
        bool extra = false;
        for (std::uint32_t l = s->head; l != kNil && out.size() < limit; l = _extra[l].next) {
            out.push_back(_extra[l].pos);
            extra = true;
        }
        if (extra) std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
    }
    // Positions under both keys, ascending, at most `limit`; postings added after freeze() are not
    // seen (used for the name words, which never get any).
    void intersectFrozen(std::string_view a, std::string_view b, std::vector<std::uint32_t>& out, std::size_t limit) const {
        out.clear();
        const Slot* x = find(a);
        const Slot* y = find(b);
        if (!x || !y) return;
        const std::uint32_t* xb = _flat.data() + x->start;
        const std::uint32_t* yb = _flat.data() + y->start;
        const std::uint32_t *xe = xb + x->frozenCount, *ye = yb + y->frozenCount;
        while (xb != xe && yb != ye && out.size() < limit) {
            if (*xb < *yb) ++xb;
            else if (*yb < *xb) ++yb;
            else {
                out.push_back(*xb);
                ++xb;
                ++yb;
            }
        }
    }
    bool contains(std::string_view key, std::uint32_t pos) const {
        const Slot* s = find(key);
        if (!s) return false;
        auto b = _flat.begin() + s->start, e = b + s->frozenCount;
        if (std::binary_search(b, e, pos)) return true;
        for (std::uint32_t l = s->head; l != kNil; l = _extra[l].next)
            if (_extra[l].pos == pos) return true;
        return false;
    }

private:
    struct Slot {
        std::uint64_t hash = 0;
        std::uint64_t key = 0;      // the key's bytes when keyLen <= 8, else its offset in _arena
        std::uint32_t keyLen = 0;
        std::uint32_t id = 0;       // dense key number, for freeze()
        std::uint32_t count = 0;    // 0: empty slot
        std::uint32_t start = 0, frozenCount = 0;  // run in _flat
        std::uint32_t head = kNil;  // overflow chain in _extra
    };
    struct Pending {
        std::uint32_t id, pos;
    };
    struct Link {
        std::uint32_t pos, next;
    };

    static std::uint64_t hashOf(std::string_view key) {
        // FNV-1a, then a final mix so the low bits (the slot index) depend on every byte.
        std::uint64_t h = 1469598103934665603ULL;
        for (char c : key) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdULL;
        h ^= h >> 33;
        return h;
    }
    bool same(const Slot& s, std::uint64_t h, std::string_view key) const {
        if (s.hash != h || s.keyLen != key.size()) return false;
        if (key.size() <= 8) {
            std::uint64_t k = 0;
            std::memcpy(&k, key.data(), key.size());
            return k == s.key;
        }
        return std::memcmp(_arena.data() + s.key, key.data(), key.size()) == 0;
    }
    Slot& slotFor(std::string_view key) {
        if ((_ids + 1) * 2 > _slots.size()) rehash(std::max<std::size_t>(64, _slots.size() * 2));
        const std::uint64_t h = hashOf(key);
        std::size_t i = h & (_slots.size() - 1);
        while (_slots[i].count != 0 && !same(_slots[i], h, key)) i = (i + 1) & (_slots.size() - 1);
        Slot& s = _slots[i];
        if (s.count == 0) {
            s.hash = h;
            s.keyLen = static_cast<std::uint32_t>(key.size());
            if (key.size() <= 8) {
                s.key = 0;
                std::memcpy(&s.key, key.data(), key.size());
            } else {
                s.key = _arena.size();
                _arena.append(key);
            }
            s.id = _ids++;
        }
        return s;
    }
    const Slot* find(std::string_view key) const {
        if (_slots.empty()) return nullptr;
        const std::uint64_t h = hashOf(key);
        std::size_t i = h & (_slots.size() - 1);
        while (_slots[i].count != 0) {
            if (same(_slots[i], h, key)) return &_slots[i];
            i = (i + 1) & (_slots.size() - 1);
        }
        return nullptr;
    }
    void rehash(std::size_t atLeast) {
        std::size_t n = 64;
        while (n < atLeast) n *= 2;
        std::vector<Slot> old = std::move(_slots);
        _slots.assign(n, Slot{});
        for (const Slot& s : old) {
            if (s.count == 0) continue;
            std::size_t i = s.hash & (n - 1);
            while (_slots[i].count != 0) i = (i + 1) & (n - 1);
            _slots[i] = s;
        }
    }

    std::vector<Slot> _slots;
    std::string _arena;
    std::uint32_t _ids = 0;
    bool _frozen = false;
    std::vector<Pending> _pending;
    std::vector<std::uint32_t> _flat;
    std::vector<Link> _extra;
};

// Integer keys as their 8 bytes.
struct IntKey {
    explicit IntKey(std::int64_t v) { std::memcpy(bytes, &v, sizeof v); }
    operator std::string_view() const { return {bytes, sizeof bytes}; }
    char bytes[8];
};

std::uint32_t packCurrency(std::string_view c) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < c.size() && i < 4; ++i) {
        char ch = c[i];
        if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
        v = v << 8 | static_cast<unsigned char>(ch);
    }
    return v;
}

std::string unpackCurrency(std::uint32_t v) {
    std::string s;
    while (v) {
        s.insert(s.begin(), static_cast<char>(v & 0xFF));
        v >>= 8;
    }
    return s.empty() ? "?" : s;
}

std::string compactUpper(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c == ' ' || c == '\t') continue;
        out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    }
    return out;
}

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool isOgmKey(std::string_view canonical) { return canonical.size() == 12 && canonical[0] != 'R'; }

std::uint64_t ogmNumber(std::string_view twelve) {
    std::uint64_t v = 0;
    for (char c : twelve) v = v * 10 + static_cast<std::uint64_t>(c - '0');
    return v;
}

std::string money(std::int64_t minor, std::uint32_t currency) {
    bool neg = minor < 0;
    std::uint64_t v = neg ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
    std::string cents = std::to_string(v % 100);
    if (cents.size() < 2) cents.insert(0, "0");
    return unpackCurrency(currency) + " " + (neg ? "-" : "") + std::to_string(v / 100) + "." + cents;
}

bool isInvoiceChar(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '/' ||
           c == '.' || c == '_';
}
bool isInvoiceSeparator(char c) { return c == '-' || c == '/' || c == '.' || c == '_'; }

}  // namespace

struct MatchIndex::Impl {
    struct Row {
        std::int64_t dossierId = 0, creditorId = 0, debtorId = 0, open = 0;
        std::uint32_t currency = 0;
        std::uint32_t nameOffset = 0, nameLength = 0;  // folded debtor name in `names`
    };

    // One piece of evidence: a key found on the line and the dossiers it names.
    struct KeyHit {
        std::string label;                 // for reasons: "OGM +++123/4567/89002+++ in the remittance"
        std::vector<std::uint32_t> pos;    // in scope, ascending
        bool confident = true;
    };

    struct Context {
        const PaymentLine& line;
        std::uint32_t currency;
        std::string iban;                  // compact upper
    };

    std::vector<Row> rows;
    std::string names;  // folded debtor names, one after the other
    Postings ogm, rf, invoice, e2e, iban, nameToken, amount;

    Impl(std::vector<Candidate> cs, unsigned threads) {
        // Row order = dossier id order (ties and suggestions are ranked by id); duplicates: the last given.
        std::vector<std::uint32_t> order(cs.size());
        for (std::size_t i = 0; i < cs.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
        if (!std::is_sorted(cs.begin(), cs.end(), [](const Candidate& x, const Candidate& y) { return x.dossierId < y.dossierId; }))
            std::stable_sort(order.begin(), order.end(),
                             [&](std::uint32_t x, std::uint32_t y) { return cs[x].dossierId < cs[y].dossierId; });
        std::vector<const Candidate*> kept;
        kept.reserve(cs.size());
        for (std::size_t k = 0; k < order.size(); ++k)
            if (k + 1 == order.size() || cs[order[k + 1]].dossierId != cs[order[k]].dossierId) kept.push_back(&cs[order[k]]);
        std::vector<std::uint32_t>().swap(order);
        rows.resize(kept.size());

        // Two independent halves of the work (different tables), on two threads when asked.
        auto amountsAndReferences = [&] {
            ogm.reserve(kept.size());
            amount.reserve(kept.size());
            rf.reserve(kept.size() / 4 + 16);
            iban.reserve(kept.size() / 4 + 16);
            std::string key;
            std::vector<std::string> payers;
            for (std::size_t i = 0; i < kept.size(); ++i) {
                const Candidate& c = *kept[i];
                auto pos = static_cast<std::uint32_t>(i);
                Row& r = rows[i];
                r.dossierId = c.dossierId;
                r.creditorId = c.creditorId;
                r.debtorId = c.debtorId;
                r.open = std::max<std::int64_t>(0, c.openMinor);
                r.currency = packCurrency(c.currency);
                if (auto ref = canonicalReference(c.paymentReference)) {
                    if (isOgmKey(*ref)) ogm.add(IntKey(static_cast<std::int64_t>(ogmNumber(*ref))), pos);
                    else rf.add(*ref, pos);
                }
                std::string_view e = trimmed(c.endToEndId);
                if (!e.empty() && e != "NOTPROVIDED") e2e.add(e, pos);
                payers.clear();
                for (const std::string& payer : c.knownPayerIbans) {
                    key = compactUpper(payer);
                    if (!key.empty() && std::find(payers.begin(), payers.end(), key) == payers.end()) payers.push_back(key);
                }
                for (const std::string& payer : payers) iban.add(payer, pos);
                if (r.open > 0) amount.add(IntKey(r.open), pos);
            }
            for (Postings* t : {&ogm, &rf, &e2e, &iban, &amount}) t->freeze();
        };
        std::vector<std::pair<std::uint32_t, std::uint32_t>> nameAt(kept.size());
        auto namesAndInvoices = [&] {
            invoice.reserve(kept.size());
            nameToken.reserve(kept.size() / 4 + 16);
            names.reserve(kept.size() * 16);
            std::string key;
            for (std::size_t i = 0; i < kept.size(); ++i) {
                const Candidate& c = *kept[i];
                auto pos = static_cast<std::uint32_t>(i);
                std::string folded = foldName(c.debtorName);
                nameAt[i] = {static_cast<std::uint32_t>(names.size()), static_cast<std::uint32_t>(folded.size())};
                names += folded;
                for (const std::string& token : nameTokens(folded)) nameToken.add(token, pos);
                for (const std::string& number : c.invoiceNumbers) {
                    key = compactUpper(number);
                    if (key.size() >= kMinInvoiceLength) invoice.add(key, pos);
                }
            }
            for (Postings* t : {&invoice, &nameToken}) t->freeze();
        };
        if (threads > 1 && kept.size() > 10000) {
            std::thread other(namesAndInvoices);
            amountsAndReferences();
            other.join();
        } else {
            amountsAndReferences();
            namesAndInvoices();
        }
        for (std::size_t i = 0; i < kept.size(); ++i) {
            rows[i].nameOffset = nameAt[i].first;
            rows[i].nameLength = nameAt[i].second;
        }
    }

    std::string_view name(const Row& r) const { return std::string_view(names).substr(r.nameOffset, r.nameLength); }

    const Row* find(std::int64_t dossierId) const {
        auto it = std::lower_bound(rows.begin(), rows.end(), dossierId,
                                   [](const Row& r, std::int64_t id) { return r.dossierId < id; });
        return it != rows.end() && it->dossierId == dossierId ? &*it : nullptr;
    }
    Row* find(std::int64_t dossierId) { return const_cast<Row*>(std::as_const(*this).find(dossierId)); }

    void scope(const PaymentLine& line, std::vector<std::uint32_t>& pos) const {
        if (line.creditorScope == 0) return;
        std::erase_if(pos, [&](std::uint32_t p) { return rows[p].creditorId != line.creditorScope; });
    }

    std::vector<std::uint32_t> lookupReference(const PaymentLine& line, std::string_view canonical) const {
        std::vector<std::uint32_t> pos;
        if (isOgmKey(canonical)) ogm.collect(IntKey(static_cast<std::int64_t>(ogmNumber(canonical))), pos);
        else rf.collect(canonical, pos);
        scope(line, pos);
        return pos;
    }

    // ---- scoring and verdicts -------------------------------------------------------------

    bool samePayer(const Row& a, const Row& b) const {
        if (a.creditorId != b.creditorId) return false;
        if (a.debtorId != 0 && b.debtorId != 0) return a.debtorId == b.debtorId;
        return a.nameLength != 0 && name(a) == name(b);
    }

    std::string amountNote(const Context& ctx, const Row& r) const {
        std::int64_t a = ctx.line.amountMinor;
        if (r.open == 0) return "nothing open on it";
        if (a == r.open) return "amount equals the open amount";
        if (a < r.open) return "pays " + money(a, ctx.currency) + " of " + money(r.open, r.currency) + " open";
        return "pays " + money(a, ctx.currency) + ", more than the " + money(r.open, r.currency) + " open";
    }

    Suggestion suggestion(const Context& ctx, std::uint32_t p, int base, const std::string& label) const {
        const Row& r = rows[p];
        std::int64_t a = ctx.line.amountMinor;
        int score = base;
        if (r.currency != ctx.currency) score -= 30;
        if (r.open == 0) score -= 30;
        else if (a == r.open) score += 10;
        else if (a < r.open) score += 3;
        else score -= 10;
        if (!ctx.iban.empty() && iban.contains(ctx.iban, p)) score += 8;
        std::string reason = label;
        if (r.currency != ctx.currency) {
            reason += "; dossier in " + unpackCurrency(r.currency);
        } else {
            reason += "; ";
            reason += amountNote(ctx, r);
        }
        return Suggestion{r.dossierId, std::clamp(score, 1, 99), std::move(reason)};
    }

    static void rank(std::vector<Suggestion>& s) {
        std::sort(s.begin(), s.end(), [](const Suggestion& a, const Suggestion& b) {
            return a.score != b.score ? a.score > b.score : a.dossierId < b.dossierId;
        });
        // One suggestion per dossier (the best).
        std::vector<Suggestion> out;
        for (Suggestion& x : s) {
            bool seen = std::any_of(out.begin(), out.end(), [&](const Suggestion& y) { return y.dossierId == x.dossierId; });
            if (!seen) out.push_back(std::move(x));
            if (out.size() == 3) break;
        }
        s = std::move(out);
    }

    static Verdict verdict(Verdict::Kind kind, std::string rule, std::vector<std::string> fields) {
        Verdict v;
        v.kind = kind;
        v.rule = std::move(rule);
        v.fields = std::move(fields);
        return v;
    }

    // Apply the line to `targets` in order, each up to its open amount.
    Verdict applyTo(const Context& ctx, const std::string& rule, const std::vector<std::string>& fields,
                    const std::vector<std::uint32_t>& targets, const std::string& label, int base) const {
        const PaymentLine& line = ctx.line;
        if (!line.exact) {
            Verdict v = verdict(Verdict::Kind::Review, rule, fields);
            v.fields.push_back("amount");
            for (std::uint32_t p : targets) v.suggestions.push_back(suggestion(ctx, p, base, label));
            rank(v.suggestions);
            v.reason = label + "; the amount is not exact in " + unpackCurrency(ctx.currency) +
                       " minor units: a person books it";
            return v;
        }
        std::int64_t remaining = line.amountMinor;
        Verdict v = verdict(Verdict::Kind::Apply, rule, fields);
        std::string which;
        for (std::uint32_t p : targets) {
            const Row& r = rows[p];
            if (r.open <= 0 || remaining == 0) continue;
            std::int64_t a = std::min(remaining, r.open);
            v.allocations.push_back({r.dossierId, a});
            remaining -= a;
            if (!which.empty()) which += ", ";
            which += std::to_string(r.dossierId);
            if (a == r.open) which += " (paid in full)";
            else which += " (" + money(r.open - a, r.currency) + " stays open)";
        }
        if (v.allocations.empty()) {
            Verdict rv = verdict(Verdict::Kind::Review, rule, fields);
            rv.surplusMinor = line.amountMinor;
            for (std::uint32_t p : targets) rv.suggestions.push_back(suggestion(ctx, p, base, label));
            rank(rv.suggestions);
            rv.reason = label + "; nothing is open on that dossier any more (paid twice?)";
            return rv;
        }
        v.surplusMinor = remaining;
        v.reason = label + " -> dossier " + which;
        if (remaining > 0) v.reason += "; overpaid by " + money(remaining, ctx.currency) + ", kept as credit for review";
        return v;
    }

    Verdict suggest(const std::string& rule, const std::vector<std::string>& fields,
                    const std::vector<Suggestion>& all, const std::string& why) const {
        Verdict v = verdict(Verdict::Kind::Suggest, rule, fields);
        v.suggestions = all;
        rank(v.suggestions);
        v.reason = why;
        return v;
    }

    // The common decision over the dossiers that one rule's evidence names.
    std::optional<Verdict> decide(const Context& ctx, const std::string& rule, const std::vector<std::string>& fields,
                                  std::vector<KeyHit> hits, int base, bool narrow) const {
        std::vector<std::uint32_t> same, other;
        auto addUnique = [](std::vector<std::uint32_t>& v, std::uint32_t p) {
            if (std::find(v.begin(), v.end(), p) == v.end()) v.push_back(p);
        };
        for (const KeyHit& h : hits)
            for (std::uint32_t p : h.pos) addUnique(rows[p].currency == ctx.currency ? same : other, p);
        if (same.empty()) {
            if (other.empty()) return std::nullopt;
            Verdict v = verdict(Verdict::Kind::Review, "currency", fields);
            v.fields.push_back("currency");
            for (const KeyHit& h : hits)
                for (std::uint32_t p : h.pos) v.suggestions.push_back(suggestion(ctx, p, base, h.label));
            rank(v.suggestions);
            v.reason = hits.front().label + ", but the line is in " + unpackCurrency(ctx.currency) + " and dossier " +
                       std::to_string(rows[other.front()].dossierId) + " in " + unpackCurrency(rows[other.front()].currency);
            return v;
        }
        for (KeyHit& h : hits)
            std::erase_if(h.pos, [&](std::uint32_t p) { return rows[p].currency != ctx.currency; });
        std::erase_if(hits, [](const KeyHit& h) { return h.pos.empty(); });

        auto labelOf = [&](std::uint32_t p) -> const KeyHit& {
            for (const KeyHit& h : hits)
                if (std::find(h.pos.begin(), h.pos.end(), p) != h.pos.end()) return h;
            return hits.front();
        };
        auto suggestions = [&](const std::vector<std::uint32_t>& ps) {
            std::vector<Suggestion> s;
            for (std::uint32_t p : ps) {
                const KeyHit& h = labelOf(p);
                s.push_back(suggestion(ctx, p, h.confident ? base : base - 15, h.label));
            }
            return s;
        };

        if (same.size() == 1) {
            const KeyHit& h = labelOf(same[0]);
            if (h.confident) return applyTo(ctx, rule, fields, same, h.label, base);
            return suggest(rule, fields, suggestions(same), h.label + ": not certain enough to book without a person");
        }
        bool unambiguous = std::all_of(hits.begin(), hits.end(), [](const KeyHit& h) { return h.pos.size() == 1; });
        bool confident = std::all_of(hits.begin(), hits.end(), [](const KeyHit& h) { return h.confident; });
        bool onePayer = std::all_of(same.begin(), same.end(), [&](std::uint32_t p) { return samePayer(rows[p], rows[same[0]]); });
        if (unambiguous && confident && onePayer) {
            std::string label;
            for (const KeyHit& h : hits) label += (label.empty() ? "" : " + ") + h.label;
            return applyTo(ctx, rule, fields, same, label, base);
        }
        if (narrow) {
            if (!ctx.iban.empty()) {
                std::vector<std::uint32_t> known;
                for (std::uint32_t p : same)
                    if (iban.contains(ctx.iban, p)) known.push_back(p);
                if (known.size() == 1) {
                    std::vector<std::string> f = fields;
                    f.push_back("counterpartyIban");
                    return applyTo(ctx, rule, f, known, labelOf(known[0]).label + "; the payer's IBAN paid this debtor before", base);
                }
            }
            std::vector<std::uint32_t> equal;
            for (std::uint32_t p : same)
                if (rows[p].open == ctx.line.amountMinor) equal.push_back(p);
            if (equal.size() == 1) {
                std::vector<std::string> f = fields;
                f.push_back("amount");
                return applyTo(ctx, rule, f, equal, labelOf(equal[0]).label + "; the only one whose open amount equals the line", base);
            }
        }
        std::string why = std::to_string(same.size()) + " dossiers fit (" + hits.front().label + "): a person chooses";
        if (unambiguous && confident && !onePayer) why = "references of dossiers of different debtors: a person splits the line";
        return suggest(rule, fields, suggestions(same), why);
    }

    // ---- the rules ------------------------------------------------------------------------

    std::vector<KeyHit> referenceHits(const PaymentLine& line, std::string_view text, std::string_view where) const {
        std::vector<KeyHit> hits;
        for (FoundReference& f : findReferences(text)) {
            auto pos = lookupReference(line, f.value);
            if (pos.empty()) continue;
            KeyHit h;
            switch (f.kind) {
                case FoundReference::Kind::Ogm:
                    h.label = "OGM " + parsers::refs::formatOgm(f.value) + " in the " + std::string(where);
                    break;
                case FoundReference::Kind::OgmBase:
                    h.label = "OGM " + parsers::refs::formatOgm(f.value) + " (check digits missing) in the " + std::string(where);
                    // Without its check digits the number could be anything: only when the amount fits.
                    h.confident = pos.size() == 1 && line.amountMinor <= rows[pos[0]].open;
                    break;
                case FoundReference::Kind::Rf:
                    h.label = "RF " + f.value + " in the " + std::string(where);
                    break;
            }
            h.pos = std::move(pos);
            hits.push_back(std::move(h));
        }
        return hits;
    }

    void invoiceHits(const PaymentLine& line, std::string_view text, std::vector<KeyHit>& hits) const {
        std::vector<std::uint32_t> pos;
        auto tryKey = [&](std::string_view raw) {
            std::string key = compactUpper(raw);
            if (key.size() < kMinInvoiceLength) return false;
            invoice.collect(key, pos);
            scope(line, pos);
            if (pos.empty()) return false;
            for (const KeyHit& h : hits)
                if (h.pos == pos) return true;
            hits.push_back(KeyHit{"invoice number " + key + " in the remittance", pos, true});
            return true;
        };
        std::size_t i = 0;
        while (i < text.size()) {
            while (i < text.size() && !isInvoiceChar(text[i])) ++i;
            std::size_t b = i;
            while (i < text.size() && isInvoiceChar(text[i])) ++i;
            std::string_view token = text.substr(b, i - b);
            while (!token.empty() && isInvoiceSeparator(token.front())) token.remove_prefix(1);
            while (!token.empty() && isInvoiceSeparator(token.back())) token.remove_suffix(1);
            if (token.empty()) continue;
            if (tryKey(token)) continue;
            // "nr.2025-0042": try the spans of whole pieces, longest first, never part of a piece.
            std::vector<std::pair<std::size_t, std::size_t>> pieces;
            for (std::size_t k = 0; k < token.size();) {
                while (k < token.size() && isInvoiceSeparator(token[k])) ++k;
                std::size_t pb = k;
                while (k < token.size() && !isInvoiceSeparator(token[k])) ++k;
                if (k > pb) pieces.emplace_back(pb, k);
            }
            if (pieces.size() < 2 || pieces.size() > 8) continue;
            std::vector<bool> used(pieces.size(), false);
            for (std::size_t len = pieces.size() - 1; len >= 1; --len) {
                for (std::size_t s = 0; s + len <= pieces.size(); ++s) {
                    bool free = true;
                    for (std::size_t k = s; k < s + len; ++k) free = free && !used[k];
                    if (!free) continue;
                    std::string_view span = token.substr(pieces[s].first, pieces[s + len - 1].second - pieces[s].first);
                    if (tryKey(span))
                        for (std::size_t k = s; k < s + len; ++k) used[k] = true;
                }
            }
        }
    }

    Verdict match(const PaymentLine& line) const {
        if (line.reversal || !line.returnReason.empty()) {
            Verdict v = verdict(Verdict::Kind::Undo, "reversal", {line.reversal ? "reversal" : "returnReason"});
            v.reason = line.reversal ? "reversal of an earlier payment: undo its match"
                                     : "returned payment (" + line.returnReason + "): undo its match";
            return v;
        }
        if (line.amountMinor <= 0) {
            Verdict v = verdict(Verdict::Kind::Unmatched, "not_a_credit", {"amount"});
            v.reason = "a debit or zero amount is not a payment to a dossier";
            return v;
        }
        Context ctx{line, packCurrency(line.currency), compactUpper(line.counterpartyIban)};

        // 1. structured reference
        std::optional<std::string> structured = canonicalReference(line.reference);
        if (structured) {
            auto pos = lookupReference(line, *structured);
            if (!pos.empty()) {
                std::string label = isOgmKey(*structured) ? "structured OGM " + parsers::refs::formatOgm(*structured)
                                                          : "structured reference " + *structured;
                if (auto v = decide(ctx, "structured_reference", {"reference"}, {KeyHit{label, pos, true}}, 95, false))
                    return *v;
            }
        }
        // 2. references in free text (and in a reference field that is not a valid structured one)
        {
            std::vector<KeyHit> hits;
            std::vector<std::string> fields;
            if (!structured && !line.reference.empty()) {
                hits = referenceHits(line, line.reference, "reference field");
                if (!hits.empty()) fields.push_back("reference");
            }
            auto more = referenceHits(line, line.remittance, "remittance");
            if (!more.empty()) fields.push_back("remittance");
            for (KeyHit& h : more) hits.push_back(std::move(h));
            if (!hits.empty())
                if (auto v = decide(ctx, "reference_in_text", fields, std::move(hits), 85, false)) return *v;
        }
        // 3. invoice numbers
        {
            std::vector<KeyHit> hits;
            invoiceHits(line, line.remittance, hits);
            if (!hits.empty())
                if (auto v = decide(ctx, "invoice_number", {"remittance"}, std::move(hits), 70, true)) return *v;
        }
        // 4. our end-to-end id
        if (std::string_view e = trimmed(line.endToEndId); !e.empty() && e != "NOTPROVIDED") {
            std::vector<std::uint32_t> pos;
            e2e.collect(e, pos);
            scope(line, pos);
            if (!pos.empty()) {
                KeyHit h{"end-to-end id " + std::string(e), pos, true};
                if (auto v = decide(ctx, "end_to_end_id", {"endToEndId"}, {h}, 90, true)) return *v;
            }
        }
        // 5. a payer IBAN that paid this debtor before, with an amount that fits
        if (!ctx.iban.empty()) {
            if (auto v = payerIban(ctx)) return *v;
        }
        // 6. amount and payer name: suggestions only
        if (auto v = amountName(ctx)) return *v;

        Verdict v = verdict(Verdict::Kind::Unmatched, "none", {});
        v.reason = "no reference, invoice number, end-to-end id, known payer or similar name found";
        return v;
    }

    // Rules 1-4's lookups without deciding (MatchIndex::namedDossiers).
    std::vector<std::int64_t> named(const PaymentLine& line) const {
        std::vector<std::int64_t> out;
        if (line.reversal || !line.returnReason.empty() || line.amountMinor <= 0) return out;
        auto add = [&](const std::vector<std::uint32_t>& pos) {
            for (std::uint32_t p : pos) out.push_back(rows[p].dossierId);
        };
        std::optional<std::string> structured = canonicalReference(line.reference);
        if (structured) {
            add(lookupReference(line, *structured));
            if (!out.empty()) return out;  // the common case: rule 1 names its dossier
        }
        if (!structured && !line.reference.empty())
            for (const FoundReference& f : findReferences(line.reference)) add(lookupReference(line, f.value));
        for (const FoundReference& f : findReferences(line.remittance)) add(lookupReference(line, f.value));
        std::vector<KeyHit> hits;
        invoiceHits(line, line.remittance, hits);
        for (const KeyHit& h : hits) add(h.pos);
        if (std::string_view e = trimmed(line.endToEndId); !e.empty() && e != "NOTPROVIDED") {
            std::vector<std::uint32_t> pos;
            e2e.collect(e, pos);
            scope(line, pos);
            add(pos);
        }
        return out;
    }

    std::optional<Verdict> payerIban(const Context& ctx) const {
        if (iban.count(ctx.iban) > kMaxWalk) return std::nullopt;
        std::vector<std::uint32_t> pos;
        iban.collect(ctx.iban, pos);
        scope(ctx.line, pos);
        std::erase_if(pos, [&](std::uint32_t p) { return rows[p].currency != ctx.currency || rows[p].open == 0; });
        if (pos.empty()) return std::nullopt;
        std::vector<std::uint32_t> equal;
        for (std::uint32_t p : pos)
            if (rows[p].open == ctx.line.amountMinor) equal.push_back(p);
        const std::string label = "payer IBAN " + ctx.iban + " paid this debtor before";
        std::vector<std::string> fields{"counterpartyIban", "amount"};
        if (equal.size() == 1) return applyTo(ctx, "payer_iban", fields, equal, label + " and the amount equals the open amount", 80);
        std::vector<Suggestion> s;
        for (std::uint32_t p : pos) s.push_back(suggestion(ctx, p, 55, label));
        return suggest("payer_iban", fields, s,
                       equal.empty() ? label + ", but no open amount equals the line" : label + "; several open amounts equal the line");
    }

    std::optional<Verdict> amountName(const Context& ctx) const {
        std::string folded = foldName(ctx.line.counterpartyName);
        if (folded.empty()) return std::nullopt;
        std::vector<std::string> tokens = nameTokens(folded);
        std::vector<Suggestion> s;
        auto consider = [&](std::uint32_t p) {
            const Row& r = rows[p];
            if (r.currency != ctx.currency || r.open == 0) return;
            if (ctx.line.creditorScope != 0 && r.creditorId != ctx.line.creditorScope) return;
            int sim = nameSimilarity(folded, name(r));
            if (sim < 50) return;
            const bool amountEqual = r.open == ctx.line.amountMinor;
            int score = amountEqual ? 20 + sim * 55 / 100 : sim * 55 / 100 + (ctx.line.amountMinor < r.open ? 5 : 0);
            if (score < 40) return;
            std::string reason = "payer name '" + ctx.line.counterpartyName + "' is " + std::to_string(sim) +
                                 "% like the debtor's; " + amountNote(ctx, r);
            s.push_back(Suggestion{r.dossierId, std::clamp(score, 1, 75), std::move(reason)});
        };
        std::vector<std::uint32_t> candidates, pos;
        // Dossiers open for exactly this amount.
        if (amount.count(IntKey(ctx.line.amountMinor)) <= kMaxWalk) {
            amount.collect(IntKey(ctx.line.amountMinor), pos);
            for (std::uint32_t p : pos)
                if (rows[p].open == ctx.line.amountMinor) candidates.push_back(p);
        }
        // Dossiers sharing the payer's two rarest name words (one word only: its dossiers, when few).
        std::vector<std::pair<std::uint32_t, const std::string*>> known;
        for (const std::string& t : tokens)
            if (std::uint32_t n = nameToken.count(t)) known.emplace_back(n, &t);
        std::sort(known.begin(), known.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
        if (known.size() >= 2 && known[0].first <= 10 * kMaxWalk) {
            nameToken.intersectFrozen(*known[0].second, *known[1].second, pos, kMaxWalk);
            candidates.insert(candidates.end(), pos.begin(), pos.end());
        } else if (known.size() == 1 && tokens.size() == 1 && known[0].first <= kMaxWalk / 10) {
            nameToken.collect(*known[0].second, pos);
            candidates.insert(candidates.end(), pos.begin(), pos.end());
        }
        std::sort(candidates.begin(), candidates.end());
        candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
        for (std::uint32_t p : candidates) consider(p);
        if (s.empty()) return std::nullopt;
        return suggest("amount_name", {"counterpartyName", "amount"}, s,
                       "no reference found; dossiers whose debtor name is like the payer's");
    }
};

MatchIndex::MatchIndex(std::vector<Candidate> candidates, unsigned buildThreads)
    : _impl(std::make_unique<Impl>(std::move(candidates), buildThreads)) {}
MatchIndex::~MatchIndex() = default;
MatchIndex::MatchIndex(MatchIndex&&) noexcept = default;
MatchIndex& MatchIndex::operator=(MatchIndex&&) noexcept = default;

Verdict MatchIndex::match(const PaymentLine& line) const { return _impl->match(line); }

std::vector<std::int64_t> MatchIndex::namedDossiers(const PaymentLine& line) const { return _impl->named(line); }

bool MatchIndex::applied(std::int64_t dossierId, std::int64_t amountMinor) {
    Impl::Row* r = _impl->find(dossierId);
    if (!r) return false;
    std::int64_t open = r->open - amountMinor;
    if (open < 0) return false;
    r->open = open;
    // The amount postings keep stale entries (checked on use); the new open amount gets its own.
    if (open > 0) _impl->amount.add(IntKey(open), static_cast<std::uint32_t>(r - _impl->rows.data()));
    return true;
}

void MatchIndex::addKnownPayerIban(std::int64_t dossierId, const std::string& iban) {
    Impl::Row* r = _impl->find(dossierId);
    std::string key = compactUpper(iban);
    if (!r || key.empty()) return;
    auto pos = static_cast<std::uint32_t>(r - _impl->rows.data());
    if (!_impl->iban.contains(key, pos)) _impl->iban.add(key, pos);
}

std::optional<std::int64_t> MatchIndex::openMinor(std::int64_t dossierId) const {
    const Impl::Row* r = _impl->find(dossierId);
    if (!r) return std::nullopt;
    return r->open;
}

std::size_t MatchIndex::size() const { return _impl->rows.size(); }

}  // namespace duegate::core::matching
