#include "parsers/invoice/PdfInvoice.h"

#include "parsers/common/CivilDate.h"
#include "parsers/common/Currency.h"
#include "parsers/common/Decimal.h"
#include "parsers/refs/Iban.h"
#include "parsers/refs/Ogm.h"
#include "parsers/refs/Rf.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

namespace duegate::parsers::invoice {
namespace {

void silence(const std::string&, void*) {}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::string trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto eol = text.find_first_of("\n\f", pos);
        if (eol == std::string::npos) eol = text.size();
        std::string l = trim(std::string_view(text).substr(pos, eol - pos));
        if (!l.empty()) out.push_back(l);
        pos = eol + 1;
    }
    return out;
}

// The text after a label on the same line ("Factuurnummer: 2026-0042" -> "2026-0042"), or the
// next line when the label stands alone. Empty when no label matches.
struct LabelHit { std::string after; std::string line; bool sameLine = false; };

std::optional<LabelHit> afterLabel(const std::vector<std::string>& ls, std::initializer_list<const char*> labels) {
    for (std::size_t i = 0; i < ls.size(); ++i) {
        const std::string l = lower(ls[i]);
        for (const char* label : labels) {
            const auto pos = l.find(label);
            if (pos == std::string::npos) continue;
            std::string rest = ls[i].substr(pos + std::string_view(label).size());
            std::string_view r = rest;
            while (!r.empty() && (r.front() == ':' || r.front() == ' ' || r.front() == '.' || r.front() == '\t' || r.front() == '#')) r.remove_prefix(1);
            if (!r.empty()) return LabelHit{std::string(r), ls[i], true};
            if (i + 1 < ls.size()) return LabelHit{ls[i + 1], ls[i] + " / " + ls[i + 1], false};
        }
    }
    return std::nullopt;
}

std::optional<CivilDate> findDate(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) continue;
        if (i > 0 && std::isdigit(static_cast<unsigned char>(s[i - 1]))) continue;
        // YYYY-MM-DD
        if (i + 10 <= s.size()) {
            if (auto d = CivilDate::parseIso(s.substr(i, 10))) return d;
        }
        // D/M/YYYY with / - .
        int part[3] = {0, 0, 0};
        int idx = 0, digits = 0;
        std::size_t j = i;
        char sep = 0;
        for (; j < s.size(); ++j) {
            const char c = s[j];
            if (std::isdigit(static_cast<unsigned char>(c))) {
                part[idx] = part[idx] * 10 + (c - '0');
                if (++digits > 4) break;
            } else if ((c == '/' || c == '-' || c == '.') && idx < 2 && digits > 0 && digits <= 2 && (!sep || sep == c)) {
                sep = c;
                ++idx;
                digits = 0;
            } else {
                break;
            }
        }
        if (idx == 2 && digits == 4)
            if (auto d = CivilDate::fromYmd(part[2], part[1], part[0])) return d;
    }
    return std::nullopt;
}

// An amount in European or English notation in s, with an optional currency sign or code.
struct AmountHit { std::string decimal; std::string currency; };

std::optional<AmountHit> findAmount(std::string_view s) {
    std::optional<AmountHit> last;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i])) || (i > 0 && (std::isdigit(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '.' || s[i - 1] == ','))) continue;
        std::size_t j = i;
        std::string raw;
        while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.' || s[j] == ',' ||
                                (s[j] == ' ' && j + 3 < s.size() && std::isdigit(static_cast<unsigned char>(s[j + 1])) &&
                                 std::isdigit(static_cast<unsigned char>(s[j + 2])) && std::isdigit(static_cast<unsigned char>(s[j + 3])) &&
                                 (j + 4 == s.size() || !std::isdigit(static_cast<unsigned char>(s[j + 4])))))) {
            if (s[j] != ' ') raw += s[j];
            ++j;
        }
        while (!raw.empty() && (raw.back() == '.' || raw.back() == ',')) raw.pop_back();
        // Needs a decimal part of two digits: "1.234,56" or "1,234.56" or "99.00".
        if (raw.size() < 4) { i = j; continue; }
        const char decimal = raw[raw.size() - 3];
        if (decimal != '.' && decimal != ',') { i = j; continue; }
        std::string dec;
        for (std::size_t k = 0; k < raw.size(); ++k) {
            if (k == raw.size() - 3) dec += '.';
            else if (raw[k] != '.' && raw[k] != ',') dec += raw[k];
        }
        const std::string context = lower(s.substr(i >= 6 ? i - 6 : 0, j - (i >= 6 ? i - 6 : 0) + 6));
        std::string cur;
        if (context.find("\xE2\x82\xAC") != std::string::npos || context.find("eur") != std::string::npos) cur = "EUR";
        else if (context.find("usd") != std::string::npos || context.find('$') != std::string::npos) cur = "USD";
        else if (context.find("gbp") != std::string::npos || context.find("\xC2\xA3") != std::string::npos) cur = "GBP";
        last = AmountHit{dec, cur};
        i = j;
    }
    return last;  // the last amount on a line is the total in "Total excl. 100,00 VAT 21,00 Total 121,00"
}

void proposeIbanAndRefs(PdfInvoice& inv, const std::vector<std::string>& ls) {
    for (const auto& l : ls) {
        // IBAN: two letters, two digits, then groups; try growing windows and let the checksum decide.
        for (std::size_t i = 0; i + 15 < l.size() && !inv.iban; ++i) {
            if (!std::isupper(static_cast<unsigned char>(l[i])) || !std::isupper(static_cast<unsigned char>(l[i + 1])) ||
                !std::isdigit(static_cast<unsigned char>(l[i + 2])) || !std::isdigit(static_cast<unsigned char>(l[i + 3])))
                continue;
            if (i > 0 && std::isalnum(static_cast<unsigned char>(l[i - 1]))) continue;
            std::string compact;
            for (std::size_t j = i; j < l.size() && compact.size() < 34; ++j) {
                if (l[j] == ' ') continue;
                if (!std::isalnum(static_cast<unsigned char>(l[j]))) break;
                compact += l[j];
                if (compact.size() >= 15)
                    if (auto iban = refs::normalizeIban(compact)) {
                        inv.iban = Proposal{*iban, 90, l, false};
                        break;
                    }
            }
        }
        if (!inv.ogm) {
            for (const char* open : {"+++", "***"}) {
                const auto p = l.find(open);
                if (p == std::string::npos) continue;
                const auto e = l.find(open, p + 3);
                if (e == std::string::npos) continue;
                if (auto o = refs::parseOgm(l.substr(p, e + 3 - p))) inv.ogm = Proposal{*o, 95, l, false};
            }
        }
        if (!inv.ogm) {
            const std::string ll = lower(l);
            if (ll.find("mededeling") != std::string::npos || ll.find("communication") != std::string::npos ||
                ll.find("ogm") != std::string::npos || ll.find("vcs") != std::string::npos) {
                // "123/4567/89002" without the plus signs, next to its label.
                for (std::size_t i = 0; i + 14 <= l.size(); ++i)
                    if (auto o = refs::parseOgm(l.substr(i, 14))) { inv.ogm = Proposal{*o, 80, l, false}; break; }
            }
        }
        if (!inv.rf) {
            for (auto p = l.find("RF"); p != std::string::npos; p = l.find("RF", p + 2)) {
                std::string candidate;
                for (std::size_t j = p; j < l.size() && candidate.size() < 25; ++j) {
                    if (l[j] == ' ') continue;
                    if (!std::isalnum(static_cast<unsigned char>(l[j]))) break;
                    candidate += l[j];
                }
                // Longest valid prefix wins (a following word may be glued on by the layout).
                for (std::size_t n = candidate.size(); n >= 5 && !inv.rf; --n)
                    if (auto rf = refs::parseRf(candidate.substr(0, n))) inv.rf = Proposal{*rf, 90, l, false};
                if (inv.rf) break;
            }
        }
    }
}

}  // namespace

void proposeInvoiceFields(PdfInvoice& inv) {
    const auto ls = lines(inv.text);
    if (auto hit = afterLabel(ls, {"factuurnummer", "factuur nr", "factuurnr", "invoice number", "invoice no", "invoice #",
                                   "numéro de facture", "facture n°", "facture no", "n° de facture", "rechnungsnummer",
                                   "rechnung nr"})) {
        std::string token;
        for (char c : hit->after) {
            if (std::isspace(static_cast<unsigned char>(c))) { if (!token.empty()) break; continue; }
            token += c;
        }
        if (!token.empty()) inv.invoiceNumber = Proposal{token, hit->sameLine ? 80 : 60, hit->line, false};
    }
    if (auto hit = afterLabel(ls, {"factuurdatum", "invoice date", "date de facture", "date de la facture", "rechnungsdatum",
                                   "datum factuur", "date:", "datum:"}))
        if (auto d = findDate(hit->after)) inv.issueDate = Proposal{d->iso(), hit->sameLine ? 80 : 60, hit->line, false};
    if (auto hit = afterLabel(ls, {"vervaldatum", "vervaldag", "due date", "payment due", "date d'échéance", "échéance", "chéance",
                                   "echeance", "fällig", "zahlbar bis", "te betalen voor", "uiterlijk"}))
        if (auto d = findDate(hit->after)) inv.dueDate = Proposal{d->iso(), hit->sameLine ? 80 : 60, hit->line, false};
    if (auto hit = afterLabel(ls, {"totaal te betalen", "te betalen", "amount due", "total due", "balance due", "montant à payer",
                                   "total à payer", "net à payer", "zu zahlen", "gesamtbetrag", "zahlbetrag", "total ttc",
                                   "totaal incl", "total incl", "totaal", "total"})) {
        if (auto a = findAmount(hit->after)) {
            const std::string cur = a->currency.empty() ? "EUR" : a->currency;
            inv.amount = Proposal{a->decimal, hit->sameLine ? 75 : 55, hit->line, false};
            inv.currency = Proposal{cur, a->currency.empty() ? 40 : 85, hit->line, false};
            if (auto e = currencyExponent(cur)) inv.amountMinor = parseMinorUnits(a->decimal, *e);
        }
    }
    proposeIbanAndRefs(inv, ls);
    // Debtor: the block after a "bill to" label; e-mail: an address in that block, else none.
    if (auto hit = afterLabel(ls, {"factuur aan", "gefactureerd aan", "klant:", "bill to", "billed to", "customer:",
                                   "facturé à", "client:", "rechnung an", "kunde:"})) {
        inv.debtorName = Proposal{trim(hit->after), 60, hit->line, false};
        // Look a few lines further for an e-mail.
        auto it = std::find(ls.begin(), ls.end(), hit->line);
        if (it == ls.end()) it = std::find_if(ls.begin(), ls.end(), [&](const std::string& l) { return hit->line.find(l) == 0; });
        for (int k = 0; it != ls.end() && k < 6; ++k, ++it) {
            const auto at = it->find('@');
            if (at == std::string::npos) continue;
            std::size_t b = at, e = at;
            while (b > 0 && !std::isspace(static_cast<unsigned char>((*it)[b - 1])) && (*it)[b - 1] != ':' && (*it)[b - 1] != '<') --b;
            while (e < it->size() && !std::isspace(static_cast<unsigned char>((*it)[e])) && (*it)[e] != '>') ++e;
            inv.debtorEmail = Proposal{it->substr(b, e - b), 55, *it, false};
            break;
        }
    }
}

Result<PdfInvoice> parsePdfInvoice(std::string_view bytes, const PdfLimits& limits) {
    if (bytes.size() > limits.maxBytes)
        return errorAtOffset(limits.maxBytes, "pdf", "larger than " + std::to_string(limits.maxBytes) + " bytes");
    if (bytes.substr(0, 1024).find("%PDF-") == std::string_view::npos)
        return errorAtOffset(0, "pdf", "no %PDF- header");
    static std::once_flag once;
    std::call_once(once, [] { poppler::set_debug_error_function(silence, nullptr); });
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!doc) return errorAtOffset(0, "pdf", "not a readable PDF");
    if (doc->is_locked()) return errorAtOffset(0, "pdf", "encrypted PDF (password needed)");
    PdfInvoice inv;
    const int n = doc->pages();
    if (n < 0 || static_cast<std::size_t>(n) > limits.maxPages)
        return errorAtOffset(0, "pdf", "more than " + std::to_string(limits.maxPages) + " pages");
    inv.pages = static_cast<std::size_t>(n);
    for (int i = 0; i < n; ++i) {
        std::unique_ptr<poppler::page> page(doc->create_page(i));
        if (!page) continue;
        const auto utf8 = page->text(poppler::rectf(), poppler::page::physical_layout).to_utf8();
        if (i > 0) inv.text += '\f';
        inv.text.append(utf8.data(), utf8.size());
        if (inv.text.size() > limits.maxTextBytes)
            return errorAtOffset(0, "pdf", "more than " + std::to_string(limits.maxTextBytes) + " bytes of text");
    }
    if (trim(inv.text).empty()) inv.warnings.push_back("no text layer (a scan?): nothing to propose");
    proposeInvoiceFields(inv);
    return inv;
}

}  // namespace duegate::parsers::invoice
