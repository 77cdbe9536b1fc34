#include "gateway/core/matching/MatchIndex.h"

#include "gateway/core/matching/NameSimilarity.h"
#include "gateway/core/matching/ReferenceScan.h"
#include "parsers/refs/Ogm.h"

#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace duegate::core::matching {

namespace {

constexpr std::uint32_t kNil = 0xFFFFFFFFu;
// A payer IBAN or name token shared by more dossiers than this is no evidence worth walking.
constexpr std::uint32_t kMaxWalk = 2000;
// Invoice numbers shorter than this are too likely to occur by chance in a remittance.
constexpr std::size_t kMinInvoiceLength = 3;

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// key -> positions (row indexes), as singly linked lists in one vector: one allocation per key
// at most, none per posting.
template <class K, class Hash = std::hash<K>, class Eq = std::equal_to<>>
class Postings {
public:
    void reserve(std::size_t n) {
        _head.reserve(n);
        _links.reserve(n);
    }
    void add(const K& key, std::uint32_t pos) {
        auto [it, inserted] = _head.try_emplace(key, Head{});
        _links.push_back({pos, it->second.first});
        it->second.first = static_cast<std::uint32_t>(_links.size() - 1);
        ++it->second.count;
    }
    template <class Q>
    std::uint32_t count(const Q& key) const {
        auto it = _head.find(key);
        return it == _head.end() ? 0 : it->second.count;
    }
    // Positions of `key`, ascending (row order = dossier id order), at most `limit`.
    template <class Q>
    void collect(const Q& key, std::vector<std::uint32_t>& out, std::uint32_t limit = kNil) const {
        out.clear();
        auto it = _head.find(key);
        if (it == _head.end()) return;
        for (std::uint32_t l = it->second.first; l != kNil && out.size() < limit; l = _links[l].next)
            out.push_back(_links[l].pos);
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
    }
    template <class Q>
    bool contains(const Q& key, std::uint32_t pos) const {
        auto it = _head.find(key);
        if (it == _head.end()) return false;
        for (std::uint32_t l = it->second.first; l != kNil; l = _links[l].next)
            if (_links[l].pos == pos) return true;
        return false;
    }

private:
    struct Head {
        std::uint32_t first = kNil;
        std::uint32_t count = 0;
    };
    struct Link {
        std::uint32_t pos;
        std::uint32_t next;
    };
    std::unordered_map<K, Head, Hash, Eq> _head;
    std::vector<Link> _links;
};

using StringPostings = Postings<std::string, StringHash>;

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
        std::string name;  // folded
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
    Postings<std::uint64_t> ogm;
    StringPostings rf, invoice, e2e, iban, nameToken;
    Postings<std::int64_t> amount;

    explicit Impl(std::vector<Candidate> cs) {
        std::stable_sort(cs.begin(), cs.end(),
                         [](const Candidate& a, const Candidate& b) { return a.dossierId < b.dossierId; });
        // Duplicate ids: keep the last given.
        std::vector<Candidate> unique;
        unique.reserve(cs.size());
        for (std::size_t i = 0; i < cs.size(); ++i) {
            if (i + 1 < cs.size() && cs[i + 1].dossierId == cs[i].dossierId) continue;
            unique.push_back(std::move(cs[i]));
        }
        cs.clear();
        cs.shrink_to_fit();
        rows.reserve(unique.size());
        ogm.reserve(unique.size());
        amount.reserve(unique.size());
        invoice.reserve(unique.size());
        for (std::size_t i = 0; i < unique.size(); ++i) {
            Candidate& c = unique[i];
            auto pos = static_cast<std::uint32_t>(i);
            Row r;
            r.dossierId = c.dossierId;
            r.creditorId = c.creditorId;
            r.debtorId = c.debtorId;
            r.open = std::max<std::int64_t>(0, c.openMinor);
            r.currency = packCurrency(c.currency);
            r.name = foldName(c.debtorName);
            if (auto ref = canonicalReference(c.paymentReference)) {
                if (isOgmKey(*ref)) ogm.add(ogmNumber(*ref), pos);
                else rf.add(*ref, pos);
            }
            for (const std::string& number : c.invoiceNumbers) {
                std::string key = compactUpper(number);
                if (key.size() >= kMinInvoiceLength) invoice.add(key, pos);
            }
            std::string_view e = trimmed(c.endToEndId);
            if (!e.empty() && e != "NOTPROVIDED") e2e.add(std::string(e), pos);
            for (const std::string& payer : c.knownPayerIbans) {
                std::string key = compactUpper(payer);
                if (!key.empty() && !iban.contains(key, pos)) iban.add(key, pos);
            }
            for (std::string& token : nameTokens(r.name)) nameToken.add(token, pos);
            if (r.open > 0) amount.add(r.open, pos);
            rows.push_back(std::move(r));
        }
    }

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
        if (isOgmKey(canonical)) ogm.collect(ogmNumber(canonical), pos);
        else rf.collect(canonical, pos);
        scope(line, pos);
        return pos;
    }

    // ---- scoring and verdicts -------------------------------------------------------------

    bool samePayer(const Row& a, const Row& b) const {
        if (a.creditorId != b.creditorId) return false;
        if (a.debtorId != 0 && b.debtorId != 0) return a.debtorId == b.debtorId;
        return !a.name.empty() && a.name == b.name;
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
        std::vector<std::uint32_t> seen;
        auto consider = [&](std::uint32_t p, bool amountEqual) {
            if (std::find(seen.begin(), seen.end(), p) != seen.end()) return;
            seen.push_back(p);
            const Row& r = rows[p];
            if (r.currency != ctx.currency || r.open == 0) return;
            if (ctx.line.creditorScope != 0 && r.creditorId != ctx.line.creditorScope) return;
            int sim = nameSimilarity(folded, r.name);
            if (sim < 50) return;
            int score = amountEqual ? 20 + sim * 55 / 100 : sim * 55 / 100 + (ctx.line.amountMinor < r.open ? 5 : 0);
            if (score < 40) return;
            std::string reason = "payer name '" + ctx.line.counterpartyName + "' is " + std::to_string(sim) +
                                 "% like the debtor's; " + amountNote(ctx, r);
            s.push_back(Suggestion{r.dossierId, std::clamp(score, 1, 75), std::move(reason)});
        };
        // Dossiers open for exactly this amount, then those sharing the payer's rarest name word.
        std::vector<std::uint32_t> pos;
        if (amount.count(ctx.line.amountMinor) <= kMaxWalk) {
            amount.collect(ctx.line.amountMinor, pos);
            for (std::uint32_t p : pos)
                if (rows[p].open == ctx.line.amountMinor) consider(p, true);
        }
        const std::string* rarest = nullptr;
        std::uint32_t best = kNil;
        for (const std::string& t : tokens) {
            std::uint32_t n = nameToken.count(t);
            if (n > 0 && n < best) {
                best = n;
                rarest = &t;
            }
        }
        if (rarest && best <= kMaxWalk) {
            nameToken.collect(*rarest, pos);
            for (std::uint32_t p : pos) {
                // Cheap filter first: every other word of the payer appears in the debtor's name.
                bool all = true;
                for (const std::string& t : tokens)
                    if (&t != rarest && rows[p].name.find(t) == std::string::npos) all = false;
                if (all) consider(p, rows[p].open == ctx.line.amountMinor);
            }
        }
        if (s.empty()) return std::nullopt;
        return suggest("amount_name", {"counterpartyName", "amount"}, s,
                       "no reference found; dossiers whose debtor name is like the payer's");
    }
};

MatchIndex::MatchIndex(std::vector<Candidate> candidates) : _impl(std::make_unique<Impl>(std::move(candidates))) {}
MatchIndex::~MatchIndex() = default;
MatchIndex::MatchIndex(MatchIndex&&) noexcept = default;
MatchIndex& MatchIndex::operator=(MatchIndex&&) noexcept = default;

Verdict MatchIndex::match(const PaymentLine& line) const { return _impl->match(line); }

bool MatchIndex::applied(std::int64_t dossierId, std::int64_t amountMinor) {
    Impl::Row* r = _impl->find(dossierId);
    if (!r) return false;
    std::int64_t open = r->open - amountMinor;
    if (open < 0) return false;
    r->open = open;
    // The amount postings keep stale entries (checked on use); the new open amount gets its own.
    if (open > 0) _impl->amount.add(open, static_cast<std::uint32_t>(r - _impl->rows.data()));
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
