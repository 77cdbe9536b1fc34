#include "parsers/bank/CamtParser.h"

#include "parsers/bank/BankCurrency.h"
#include "parsers/bank/References.h"
#include "parsers/bank/StatementCollector.h"
#include "parsers/bank/StatementJson.h"
#include "parsers/bank/XmlScanner.h"
#include "parsers/common/Decimal.h"
#include "parsers/refs/Iban.h"

#include <memory>
#include <optional>
#include <unordered_map>

namespace duegate::parsers::bank {

namespace {

// Carries a located Error out of the SAX callbacks; never leaves this file.
struct Stop {
    Error error;
};

struct Party {
    std::string debtorName, debtorIban, debtorAccount, debtorBic;
    std::string creditorName, creditorIban, creditorAccount, creditorBic;
};

struct Tx {
    Entry entry;
    std::string amountText, amountCcy, cdtDbt, refText, refIssuer, refCode;
    Party party;
    std::size_t line = 0;
    bool hasAmount = false;

    // Back to a fresh Tx, keeping string capacity (one Tx is refilled per entry).
    void reset() {
        clearKeepingCapacity(entry);
        for (auto* s : {&amountText, &amountCcy, &cdtDbt, &refText, &refIssuer, &refCode, &party.debtorName, &party.debtorIban,
                        &party.debtorAccount, &party.debtorBic, &party.creditorName, &party.creditorIban,
                        &party.creditorAccount, &party.creditorBic})
            s->clear();
        line = 0;
        hasAmount = false;
    }
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// Paths (relative to Stmt/Ntfctn/Rpt) the reader acts on, resolved by one hash lookup per end tag.
enum class P {
    None, StmtId, StmtInfo, SeqNb, LglSeqNb, AcctIban, AcctOthr, AcctCcy, AcctOwner, AcctBic,
    Bal, BalCode, BalAmt, BalSign, BalDate,
    Ntry, NAmt, NSign, NRvsl, NSts, NBookg, NVal, NSvcrRef, NRef, NDomn, NFmly, NSubFmly, NPrtry, NPrtryIssr, NAddtl, NBatch,
    Tx, TE2E, TUetr, TSvcrRef, TTxId, TInstrId, TMndtId, TAmt, TAmtDtls, TSign, TDbtrNm, TDbtrIban, TDbtrOthr,
    TCdtrNm, TCdtrIban, TCdtrOthr, TDbtrBic, TCdtrBic, TUstrd, TRef, TRefIssr, TRefCode, TRtr, TAddtl, TPurp,
};

const std::unordered_map<std::string_view, P>& paths() {
    static const std::unordered_map<std::string_view, P> m{
        {"Id", P::StmtId}, {"ElctrncSeqNb", P::SeqNb}, {"LglSeqNb", P::LglSeqNb},
        {"AddtlStmtInf", P::StmtInfo}, {"AddtlRptInf", P::StmtInfo}, {"AddtlNtfctnInf", P::StmtInfo},
        {"Acct/Id/IBAN", P::AcctIban}, {"Acct/Id/Othr/Id", P::AcctOthr}, {"Acct/Ccy", P::AcctCcy},
        {"Acct/Ownr/Nm", P::AcctOwner}, {"Acct/Svcr/FinInstnId/BIC", P::AcctBic}, {"Acct/Svcr/FinInstnId/BICFI", P::AcctBic},
        {"Bal", P::Bal}, {"Bal/Tp/CdOrPrtry/Cd", P::BalCode}, {"Bal/Amt", P::BalAmt}, {"Bal/CdtDbtInd", P::BalSign},
        {"Bal/Dt/Dt", P::BalDate}, {"Bal/Dt/DtTm", P::BalDate}, {"Bal/Dt/Dt/DtTm", P::BalDate}, {"Bal/Dt/Dt/Dt", P::BalDate},
        {"Ntry", P::Ntry}, {"Ntry/Amt", P::NAmt}, {"Ntry/CdtDbtInd", P::NSign}, {"Ntry/RvslInd", P::NRvsl},
        {"Ntry/Sts", P::NSts}, {"Ntry/Sts/Cd", P::NSts}, {"Ntry/Sts/Prtry", P::NSts},
        {"Ntry/BookgDt/Dt", P::NBookg}, {"Ntry/BookgDt/DtTm", P::NBookg}, {"Ntry/ValDt/Dt", P::NVal}, {"Ntry/ValDt/DtTm", P::NVal},
        {"Ntry/AcctSvcrRef", P::NSvcrRef}, {"Ntry/NtryRef", P::NRef}, {"Ntry/BkTxCd/Domn/Cd", P::NDomn},
        {"Ntry/BkTxCd/Domn/Fmly/Cd", P::NFmly}, {"Ntry/BkTxCd/Domn/Fmly/SubFmlyCd", P::NSubFmly},
        {"Ntry/BkTxCd/Prtry/Cd", P::NPrtry}, {"Ntry/BkTxCd/Prtry/Issr", P::NPrtryIssr}, {"Ntry/AddtlNtryInf", P::NAddtl},
        {"Ntry/NtryDtls/Btch/NbOfTxs", P::NBatch},
        {"Ntry/NtryDtls/TxDtls", P::Tx},
        {"Ntry/NtryDtls/TxDtls/Refs/EndToEndId", P::TE2E}, {"Ntry/NtryDtls/TxDtls/Refs/UETR", P::TUetr},
        {"Ntry/NtryDtls/TxDtls/Refs/AcctSvcrRef", P::TSvcrRef}, {"Ntry/NtryDtls/TxDtls/Refs/TxId", P::TTxId},
        {"Ntry/NtryDtls/TxDtls/Refs/InstrId", P::TInstrId}, {"Ntry/NtryDtls/TxDtls/Refs/MndtId", P::TMndtId},
        {"Ntry/NtryDtls/TxDtls/Amt", P::TAmt}, {"Ntry/NtryDtls/TxDtls/AmtDtls/TxAmt/Amt", P::TAmtDtls},
        {"Ntry/NtryDtls/TxDtls/CdtDbtInd", P::TSign},
        {"Ntry/NtryDtls/TxDtls/RltdPties/Dbtr/Nm", P::TDbtrNm}, {"Ntry/NtryDtls/TxDtls/RltdPties/Dbtr/Pty/Nm", P::TDbtrNm},
        {"Ntry/NtryDtls/TxDtls/RltdPties/DbtrAcct/Id/IBAN", P::TDbtrIban}, {"Ntry/NtryDtls/TxDtls/RltdPties/DbtrAcct/Id/Othr/Id", P::TDbtrOthr},
        {"Ntry/NtryDtls/TxDtls/RltdPties/Cdtr/Nm", P::TCdtrNm}, {"Ntry/NtryDtls/TxDtls/RltdPties/Cdtr/Pty/Nm", P::TCdtrNm},
        {"Ntry/NtryDtls/TxDtls/RltdPties/CdtrAcct/Id/IBAN", P::TCdtrIban}, {"Ntry/NtryDtls/TxDtls/RltdPties/CdtrAcct/Id/Othr/Id", P::TCdtrOthr},
        {"Ntry/NtryDtls/TxDtls/RltdAgts/DbtrAgt/FinInstnId/BIC", P::TDbtrBic}, {"Ntry/NtryDtls/TxDtls/RltdAgts/DbtrAgt/FinInstnId/BICFI", P::TDbtrBic},
        {"Ntry/NtryDtls/TxDtls/RltdAgts/CdtrAgt/FinInstnId/BIC", P::TCdtrBic}, {"Ntry/NtryDtls/TxDtls/RltdAgts/CdtrAgt/FinInstnId/BICFI", P::TCdtrBic},
        {"Ntry/NtryDtls/TxDtls/RmtInf/Ustrd", P::TUstrd}, {"Ntry/NtryDtls/TxDtls/RmtInf/Strd/CdtrRefInf/Ref", P::TRef},
        {"Ntry/NtryDtls/TxDtls/RmtInf/Strd/CdtrRefInf/Tp/Issr", P::TRefIssr},
        {"Ntry/NtryDtls/TxDtls/RmtInf/Strd/CdtrRefInf/Tp/CdOrPrtry/Cd", P::TRefCode},
        {"Ntry/NtryDtls/TxDtls/RtrInf/Rsn/Cd", P::TRtr}, {"Ntry/NtryDtls/TxDtls/RtrInf/Rsn/Prtry", P::TRtr},
        {"Ntry/NtryDtls/TxDtls/AddtlTxInf", P::TAddtl}, {"Ntry/NtryDtls/TxDtls/Purp/Cd", P::TPurp},
    };
    return m;
}

// The paths above as a tree, so each start tag costs one short scan of its parent's children
// instead of building and hashing the full path.
struct PathNode {
    std::string path;
    P field = P::None;
    std::vector<std::pair<std::string, int>> children;
};

const std::vector<PathNode>& pathTree() {
    static const std::vector<PathNode> tree = [] {
        std::vector<PathNode> t(1);  // 0: the statement element itself
        for (const auto& [path, field] : paths()) {
            int node = 0;
            std::size_t start = 0;
            while (start <= path.size()) {
                const auto slash = path.find('/', start);
                const std::string name(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
                int next = -1;
                for (const auto& [n, idx] : t[static_cast<std::size_t>(node)].children)
                    if (n == name) next = idx;
                if (next < 0) {
                    next = static_cast<int>(t.size());
                    PathNode child;
                    child.path = t[static_cast<std::size_t>(node)].path.empty() ? name : t[static_cast<std::size_t>(node)].path + "/" + name;
                    t.push_back(std::move(child));
                    t[static_cast<std::size_t>(node)].children.emplace_back(name, next);
                }
                node = next;
                if (slash == std::string_view::npos) break;
                start = slash + 1;
            }
            t[static_cast<std::size_t>(node)].field = field;
        }
        return t;
    }();
    return tree;
}

int nodeOf(P field) {
    const auto& t = pathTree();
    for (std::size_t i = 0; i < t.size(); ++i)
        if (t[i].field == field) return static_cast<int>(i);
    return -1;
}

// "camt.053.001.02" out of a namespace: the ISO one ("urn:iso:std:iso:20022:tech:xsd:camt.053.001.02")
// or a national variant (Austrian STUZZA: "ISO:camt.053.001.02:APC:STUZZA:payments:003").
// Empty when there is none.
std::string_view camtVersionIn(std::string_view uri) {
    const auto p = uri.find("camt.05");
    if (p == std::string_view::npos) return {};
    std::size_t e = p;
    while (e < uri.size() && ((uri[e] >= 'a' && uri[e] <= 'z') || (uri[e] >= '0' && uri[e] <= '9') || uri[e] == '.')) ++e;
    return uri.substr(p, e - p);
}

// "ns:Name" -> "Name": CAMT files use a default namespace or one prefix; the root's namespace is
// checked separately, so element names can be matched by their local part.
std::string_view localPart(std::string_view n) {
    // A plain loop: names are a few bytes long, shorter than a library call is worth.
    for (std::size_t i = 0; i < n.size(); ++i)
        if (n[i] == ':') return n.substr(i + 1);
    return n;
}

class CamtHandler : public XmlHandler {
public:
    CamtHandler(const CamtCallbacks& cb, const Limits& limits, XmlScanner& scanner) : _cb(cb), _limits(limits), _scanner(scanner) {}

    CamtSummary summary;
    bool sawRoot = false;

    void startElement(std::string_view qname, const std::vector<XmlAttribute>& atts) override {
        ++_depth;
        const std::string_view localName = localPart(qname);
        if (_depth > _limits.maxXmlDepth) stop(localName, "XML nested too deeply");
        _text.clear();
        if (_depth == 1) {
            sawRoot = true;
            std::string uri;
            const std::string_view q(qname);
            const auto colon = q.find(':');
            const std::string want = colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(q.substr(0, colon));
            for (const auto& a : atts)
                if (a.name == want) uri = a.value;
            if (localName != "Document" || camtVersionIn(uri).size() < 14)
                stop(localName, "root element is not a CAMT Document (namespace '" + uri + "')");
            summary.version = std::string(camtVersionIn(uri));
            return;
        }
        if (_depth == 2) {
            _kind = localName == "BkToCstmrStmt" ? "statement"
                    : localName == "BkToCstmrDbtCdtNtfctn" ? "notification"
                    : localName == "BkToCstmrAcctRpt" ? "report" : "";
            if (_kind.empty()) stop(localName, "not a bank-to-customer statement, notification or report");
            return;
        }
        if (_depth == 3) {
            if (localName == "Stmt" || localName == "Ntfctn" || localName == "Rpt") {
                if (summary.statements >= _limits.maxStatements) stop(localName, "too many statements");
                _inStmt = true;
                _stmt = Statement{};
                _stmt.kind = _kind;
                _total = 0;
                _states.clear();
                _statementLine = line();
            }
            return;
        }
        if (!_inStmt) return;
        const int parent = _states.empty() ? 0 : _states.back();
        int node = -1;
        if (parent >= 0) {
            for (const auto& [n, idx] : (*_tree)[static_cast<std::size_t>(parent)].children)
                if (sameName(n, localName)) { node = idx; break; }
        }
        _states.push_back(node);
        if (node < 0) {
            // Not an element we read: skip it and everything inside.
        } else if (node == _ntryNode) {
            if (summary.entries >= _limits.maxEntries) stop("Ntry", "too many entries");
            _entry.reset();
            _entry.line = line();
            _txCount = 0;
            _inEntry = true;
        } else if (node == _txNode) {
            if (_txCount >= _limits.maxDetailsPerEntry) stop("TxDtls", "too many transaction details");
            if (_txCount < _txs.size()) _txs[_txCount].reset();
            else _txs.emplace_back();
            _txs[_txCount++].line = line();
            _inTx = true;
        } else if (node == _balNode) {
            _balCode.clear(); _balAmt.clear(); _balCcy.clear(); _balSign.clear(); _balDate.clear();
            _balLine = line();
            _balOffset = offset();
        }
        if (sameName(localName, "Amt")) {
            _ccy.clear();
            for (const auto& a : atts)
                if (localPart(a.name) == "Ccy") _ccy = a.value;
        }
    }

    void characters(std::string_view t) override {
        if (_text.size() + t.size() > _limits.maxFieldBytes) stop(pathName(), "text longer than the limit");
        _text.append(t);
    }

    void endElement(std::string_view qname) override {
        --_depth;
        if (_depth == 2 && _inStmt) {
            const auto localName = localPart(qname);
            if (localName == "Stmt" || localName == "Ntfctn" || localName == "Rpt") {
                endStatement();
                return;
            }
        }
        if (!_inStmt || _states.empty()) return;
        const int node = _states.back();
        if (node >= 0) {
            const P field = (*_tree)[static_cast<std::size_t>(node)].field;
            if (field != P::None) onField(field, trim(_text));
        }
        _states.pop_back();
        _text.clear();
    }

    std::size_t line() const { return _scanner.line(); }

    // The innermost known path, for error messages.
    std::string pathName() const {
        for (auto it = _states.rbegin(); it != _states.rend(); ++it)
            if (*it > 0) return pathTree()[static_cast<std::size_t>(*it)].path;
        return "Stmt";
    }
    std::size_t offset() const { return _scanner.offset(); }

private:
    [[noreturn]] void stop(std::string_view field, std::string message) const {
        // A malformed name such as "ns:" has an empty local part; the error still names a field.
        throw Stop{errorAt(line(), offset(), field.empty() ? std::string("element") : std::string(field), std::move(message))};
    }

    void onField(P p, std::string_view t) {
        Entry& e = _entry.entry;
        switch (p) {
            case P::None: break;
            case P::StmtId: _stmt.number = t; break;
            case P::StmtInfo: if (!t.empty() && _stmt.messages.size() < 1000) _stmt.messages.emplace_back(t); break;
            case P::SeqNb: _stmt.sequence = t; break;
            case P::LglSeqNb: if (_stmt.sequence.empty()) _stmt.sequence = t; break;
            case P::AcctIban:
                if (auto iban = refs::normalizeIban(t)) _stmt.account.iban = *iban;
                else {
                    // Test and masked accounts fail the check; keep them visible, never as an IBAN.
                    _stmt.account.number = t;
                    _ibanWarnings.add(summary.warnings, line(), t);
                }
                break;
            case P::AcctOthr:
                // Some banks (Lithuanian, Swiss) put the IBAN under Othr/Id.
                if (auto iban = refs::normalizeIban(t); iban && _stmt.account.iban.empty()) _stmt.account.iban = *iban;
                else _stmt.account.number = t;
                break;
            case P::AcctCcy: _stmt.account.currency = t; break;
            case P::AcctOwner: _stmt.account.holder = t; break;
            case P::AcctBic: _stmt.account.bic = t; break;
            case P::Bal: endBalance(); break;
            case P::BalCode: _balCode = t; break;
            case P::BalAmt: _balAmt = t; _balCcy = _ccy; break;
            case P::BalSign: _balSign = t; break;
            case P::BalDate: if (!t.empty()) _balDate = t; break;
            case P::Ntry: endEntry(); break;
            case P::NAmt: _entry.amountText = t; _entry.amountCcy = _ccy; _entry.hasAmount = true; break;
            case P::NSign: _entry.cdtDbt = t; break;
            case P::NRvsl: e.reversal = t == "true" || t == "1"; break;
            case P::NSts: if (!t.empty()) e.booked = t == "BOOK"; break;
            case P::NBookg: e.bookingDate = requireDate(t); break;
            case P::NVal: e.valueDate = requireDate(t); break;
            case P::NSvcrRef: e.bankReference = t; break;
            case P::NRef: code(e, "entry_reference", t); break;
            case P::NDomn: code(e, "domain", t); break;
            case P::NFmly: code(e, "family", t); break;
            case P::NSubFmly: code(e, "subfamily", t); break;
            case P::NPrtry: code(e, "proprietary", t); break;
            case P::NPrtryIssr: code(e, "proprietary_issuer", t); break;
            case P::NAddtl: e.information = t; break;
            case P::NBatch: code(e, "batch_transactions", t); break;
            case P::Tx: _inTx = false; break;
            default: if (_inTx && _txCount > 0) txField(p, t); break;
        }
    }

    void txField(P p, std::string_view t) {
        Tx& x = _txs[_txCount - 1];
        Entry& e = x.entry;
        Party& pt = x.party;
        switch (p) {
            case P::TE2E: if (t != "NOTPROVIDED") e.endToEndId = t; break;
            case P::TUetr: e.uetr = t; break;
            case P::TSvcrRef: e.bankReference = t; break;
            case P::TTxId: code(e, "transaction_id", t); break;
            case P::TInstrId: code(e, "instruction_id", t); break;
            case P::TMndtId: code(e, "mandate_id", t); break;
            case P::TAmt: x.amountText = t; x.amountCcy = _ccy; x.hasAmount = true; break;
            case P::TAmtDtls: if (!x.hasAmount) { x.amountText = t; x.amountCcy = _ccy; x.hasAmount = true; } break;
            case P::TSign: x.cdtDbt = t; break;
            case P::TDbtrNm: pt.debtorName = t; break;
            case P::TDbtrIban: pt.debtorIban = t; break;
            case P::TDbtrOthr: pt.debtorAccount = t; break;
            case P::TCdtrNm: pt.creditorName = t; break;
            case P::TCdtrIban: pt.creditorIban = t; break;
            case P::TCdtrOthr: pt.creditorAccount = t; break;
            case P::TDbtrBic: pt.debtorBic = t; break;
            case P::TCdtrBic: pt.creditorBic = t; break;
            case P::TUstrd:
                if (!e.remittance.empty()) e.remittance += ' ';
                e.remittance.append(t);
                break;
            case P::TRef: if (x.refText.empty()) x.refText = t; break;
            case P::TRefIssr: x.refIssuer = t; break;
            case P::TRefCode: x.refCode = t; break;
            case P::TRtr: e.returnReason = t; break;
            case P::TAddtl: e.information = t; break;
            case P::TPurp: code(e, "purpose", t); break;
            default: break;
        }
    }
    static std::optional<CivilDate> date(std::string_view t) {
        if (t.size() < 10) return std::nullopt;
        return CivilDate::parseIso(t.substr(0, 10));
    }

    std::optional<CivilDate> requireDate(std::string_view t) const {
        auto d = date(t);
        if (!d) stop(pathName(), "not a date: '" + std::string(t) + "'");
        return d;
    }

    std::int64_t amount(std::string_view text, const std::string& ccy, int& exponent) const {
        // Statements repeat one currency: remember the last lookup.
        if (ccy != _lastCcy || _lastCcy.empty()) {
            const auto e = bankCurrencyExponent(ccy);
            if (!e) stop(pathName(), "unknown or missing currency '" + ccy + "'");
            _lastCcy = ccy;
            _lastExponent = *e;
        }
        exponent = _lastExponent;
        const auto m = parseMinorUnits(text, exponent);
        if (!m) stop(pathName(), "amount '" + std::string(text) + "' is not an exact " + ccy + " amount");
        if (*m < 0) stop(pathName(), "amount must not be negative (the sign is CdtDbtInd)");
        return *m;
    }

    void endBalance() {
        const bool opening = _balCode == "OPBD" || _balCode == "PRCD";
        const bool closing = _balCode == "CLBD";
        if (!opening && !closing) return;
        if (opening && _stmt.openingBalance) return;  // OPBD and PRCD both given: the first wins
        int exponent = 2;
        std::int64_t v = amount(_balAmt, _balCcy, exponent);
        if (_balSign == "DBIT") {
            v = -v;
        } else if (_balSign.empty()) {
            // Mandatory in the schema, yet some banks (seen in Lithuanian exports) leave it out.
            // Read as a credit and say so; the balance check still has to hold.
            summary.warnings.push_back("line " + std::to_string(_balLine) + ": balance " + _balCode +
                                       " has no CdtDbtInd, read as a credit (positive) balance");
        } else if (_balSign != "CRDT") {
            stop("Bal/CdtDbtInd", "must be CRDT or DBIT, got '" + _balSign + "'");
        }
        setCurrency(_balCcy, exponent);
        const auto d = requireDate(_balDate);
        if (opening) { _stmt.openingBalance = v; _stmt.openingDate = d; }
        else { _stmt.closingBalance = v; _stmt.closingDate = d; _closingLine = _balLine; _closingOffset = _balOffset; }
    }

    void setCurrency(const std::string& ccy, int exponent) {
        if (_stmt.currency.empty()) { _stmt.currency = ccy; _stmt.exponent = exponent; }
        if (_stmt.account.currency.empty()) _stmt.account.currency = ccy;
    }

    static void code(Entry& e, const char* k, std::string_view v) { if (!v.empty()) e.codes.emplace_back(k, std::string(v)); }

    // Applies a TxDtls' parties and reference to `e`, seen from the account owner: the
    // counterparty is the debtor of a credit and the creditor of a debit, and the other way round
    // for a reversal or return, which keeps the parties of the original payment (a returned
    // direct debit is booked as a debit whose Dbtr is the payer).
    static void applyTx(Entry& e, Tx& x, bool counterpartyIsDebtor) {
        Party& p = x.party;
        Counterparty& c = e.counterparty;
        const bool debtor = counterpartyIsDebtor;
        const std::string& name = debtor ? p.debtorName : p.creditorName;
        const std::string& iban = debtor ? p.debtorIban : p.creditorIban;
        const std::string& acct = debtor ? p.debtorAccount : p.creditorAccount;
        const std::string& bic = debtor ? p.debtorBic : p.creditorBic;
        c.name = name;
        if (auto n = refs::normalizeIban(iban)) c.iban.assign(*n);
        else if (!iban.empty()) c.account = iban;
        else if (auto o = refs::normalizeIban(acct)) c.iban.assign(*o);  // an IBAN under Othr/Id
        else c.account = acct;
        c.bic = bic;
        if (!x.refText.empty()) classifyStructuredReference(x.refText, e.reference);
        if (e.reference.kind == Reference::Kind::None) findReferenceInText(e.remittance, e.reference);
        if (!x.refIssuer.empty()) e.codes.emplace_back("reference_issuer", x.refIssuer);
        if (!e.returnReason.empty()) e.reversal = e.reversal || true;
    }

    void endEntry() {
        _inEntry = false;
        Entry& e = _entry.entry;  // handed over in place; reset when the next entry starts
        e.line = _entry.line;
        if (!_entry.hasAmount) stop("Ntry/Amt", "entry without an amount");
        if (_entry.cdtDbt != "CRDT" && _entry.cdtDbt != "DBIT") stop("Ntry/CdtDbtInd", "must be CRDT or DBIT");
        const bool credit = _entry.cdtDbt == "CRDT";
        e.amount = amount(_entry.amountText, _entry.amountCcy, e.exponent);
        if (!credit) e.amount = -e.amount;
        e.currency = _entry.amountCcy;
        setCurrency(e.currency, e.exponent);
        if (_txCount == 1) {
            Tx& x = _txs.front();
            Entry& d = x.entry;
            const bool returned = !d.returnReason.empty();
            applyTx(d, x, credit != (e.reversal || returned));
            e.counterparty = d.counterparty;
            e.reference = d.reference;
            e.remittance = d.remittance;
            e.endToEndId = d.endToEndId;
            e.uetr = d.uetr;
            if (e.bankReference.empty()) e.bankReference = d.bankReference;
            for (auto& c : d.codes) e.codes.push_back(std::move(c));
            e.returnReason = d.returnReason;
            if (returned) e.reversal = true;
            if (e.information.empty()) e.information = d.information;
        } else {
            for (std::size_t k = 0; k < _txCount; ++k) {
                Tx& x = _txs[k];
                Entry d = std::move(x.entry);
                const bool txCredit = x.cdtDbt.empty() ? credit : x.cdtDbt == "CRDT";
                const bool returned = !d.returnReason.empty();
                applyTx(d, x, txCredit != (e.reversal || returned));
                if (returned) d.reversal = true;
                d.line = x.line;
                if (x.hasAmount) {
                    d.amount = amount(x.amountText, x.amountCcy, d.exponent);
                    if (!txCredit) d.amount = -d.amount;
                    d.currency = x.amountCcy;
                } else {
                    d.amount = 0;
                    d.amountGiven = false;  // printed as null, never as a made-up 0.00
                    d.currency = e.currency;
                    d.exponent = e.exponent;
                }
                d.booked = e.booked;
                d.bookingDate = e.bookingDate;  // TxDtls carry no dates of their own
                d.valueDate = e.valueDate;
                e.details.push_back(std::move(d));
            }
            if (e.reference.kind == Reference::Kind::None) e.reference = findReferenceInText(e.information);
        }
        if (e.currency != _stmt.currency) stop("Ntry/Amt", "entry currency " + e.currency + " differs from the statement's " + _stmt.currency);
        if (e.booked && __builtin_add_overflow(_total, e.amount, &_total)) stop("Ntry/Amt", "entries overflow the amount range");
        ++summary.entries;
        if (_cb.onEntry) _cb.onEntry(_stmt, std::move(e));
    }

    void endStatement() {
        _inStmt = false;
        // No balance and no entry gave the currency: the account's own Ccy does.
        if (_stmt.currency.empty() && !_stmt.account.currency.empty()) {
            if (const auto exponent = bankCurrencyExponent(_stmt.account.currency)) {
                _stmt.currency = _stmt.account.currency;
                _stmt.exponent = *exponent;
            }
        }
        if (_stmt.openingBalance && _stmt.closingBalance) {
            std::int64_t expected = 0;
            if (__builtin_add_overflow(*_stmt.openingBalance, _total, &expected) || expected != *_stmt.closingBalance)
                throw Stop{errorAt(_closingLine, _closingOffset, "Bal/CLBD",
                                       "balance mismatch in statement " + _stmt.number + ": opening " +
                                           formatSignedMinorUnits(*_stmt.openingBalance, _stmt.exponent) + " + entries " +
                                           formatSignedMinorUnits(_total, _stmt.exponent) + " = " +
                                           formatSignedMinorUnits(expected, _stmt.exponent) + ", but closing is " +
                                           formatSignedMinorUnits(*_stmt.closingBalance, _stmt.exponent))};
        } else if (_kind == "statement") {
            summary.warnings.push_back("statement " + _stmt.number + " (line " + std::to_string(_statementLine) +
                                       "): no OPBD/PRCD and CLBD balance pair, balance not checked");
        }
        ++summary.statements;
        if (_cb.onStatement) _cb.onStatement(std::move(_stmt));
    }

    const CamtCallbacks& _cb;
    const Limits& _limits;
    XmlScanner& _scanner;
    std::size_t _depth = 0;
    std::string _kind;
    bool _inStmt = false, _inEntry = false, _inTx = false;
    Statement _stmt;
    std::int64_t _total = 0;
    std::size_t _statementLine = 0, _closingLine = 0, _balLine = 0;
    std::size_t _closingOffset = Error::npos, _balOffset = Error::npos;
    std::string _text, _ccy;
    mutable std::string _lastCcy;
    mutable int _lastExponent = 2;
    std::vector<int> _states;  // pathTree() node per open element below the statement; -1 = skipped
    const std::vector<PathNode>* _tree = &pathTree();
    const int _ntryNode = nodeOf(P::Ntry), _txNode = nodeOf(P::Tx), _balNode = nodeOf(P::Bal);
    Tx _entry;
    std::vector<Tx> _txs;      // the first _txCount are this entry's TxDtls; the rest are kept for reuse
    std::size_t _txCount = 0;
    std::string _balCode, _balAmt, _balCcy, _balSign, _balDate;
    InvalidIbanWarnings _ibanWarnings;
};

}  // namespace

bool sniffCamt(std::string_view bytes) {
    const auto head = bytes.substr(0, 4096);
    std::size_t i = 0;
    if (head.starts_with("\xEF\xBB\xBF")) i = 3;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) ++i;
    if (i >= head.size() || head[i] != '<') return false;
    // The root's namespace names the message: ISO's URN or a national variant of it.
    const auto p = head.find("camt.05");
    return p != std::string_view::npos && head.substr(p).size() > 14 && head.substr(p + 8, 5) == ".001.";
}

namespace {

template <class Source>
Result<CamtSummary> runCamt(Source&& source, const CamtCallbacks& callbacks, const Limits& limits) {
    XmlScanner scanner(limits.maxFieldBytes + 4096, limits.maxXmlDepth);
    CamtHandler handler(callbacks, limits, scanner);
    try {
        if (auto e = scanner.parse(source, handler)) return *e;
    } catch (const Stop& s) {
        return s.error;
    }
    if (!handler.sawRoot) return errorAtOffset(0, "Document", "no XML root element");
    if (handler.summary.statements == 0) return errorAtOffset(0, "Stmt", "no statement, notification or report in the document");
    handler.summary.charset = "utf-8";
    return handler.summary;
}

}  // namespace

Result<CamtSummary> parseCamtStream(std::istream& in, const CamtCallbacks& callbacks, const Limits& limits) {
    return runCamt(in, callbacks, limits);
}

Result<StatementFile> parseCamt(std::string_view bytes, const Limits& limits) {
    if (bytes.size() > limits.maxInputBytes) return errorAtOffset(0, "input", "file larger than the limit");
    StatementCollector collector("camt");
    auto summary = runCamt(bytes, collector.callbacks(), limits);
    if (!summary) return summary.error();
    return collector.finish(std::move(*summary));
}

}  // namespace duegate::parsers::bank
