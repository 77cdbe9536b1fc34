#include "parsers/bank/CamtParser.h"

#include "parsers/bank/BankCurrency.h"
#include "parsers/bank/References.h"
#include "parsers/bank/StatementJson.h"
#include "parsers/common/Decimal.h"
#include "parsers/refs/Iban.h"

#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/ContentHandler.h>
#include <Poco/SAX/InputSource.h>
#include <Poco/SAX/LexicalHandler.h>
#include <Poco/SAX/Locator.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/SAXParser.h>
#include <Poco/Exception.h>

#include <optional>
#include <sstream>

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
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

class CamtHandler : public Poco::XML::ContentHandler, public Poco::XML::LexicalHandler {
public:
    CamtHandler(const CamtCallbacks& cb, const Limits& limits) : _cb(cb), _limits(limits) {}

    CamtSummary summary;
    bool sawRoot = false;

    // ContentHandler
    void setDocumentLocator(const Poco::XML::Locator* loc) override { _loc = loc; }
    void startDocument() override {}
    void endDocument() override {}
    void startPrefixMapping(const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {}
    void endPrefixMapping(const Poco::XML::XMLString&) override {}
    void ignorableWhitespace(const Poco::XML::XMLChar[], int, int) override {}
    void processingInstruction(const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {}
    void skippedEntity(const Poco::XML::XMLString& name) override { stop("xml", "entity '" + name + "' is not allowed"); }

    // LexicalHandler: DTDs are where entity bombs and external fetches live.
    void startDTD(const Poco::XML::XMLString&, const Poco::XML::XMLString&, const Poco::XML::XMLString&) override {
        stop("DOCTYPE", "a document type declaration is not allowed in CAMT");
    }
    void endDTD() override {}
    void startEntity(const Poco::XML::XMLString& name) override { stop("xml", "entity '" + name + "' is not allowed"); }
    void endEntity(const Poco::XML::XMLString&) override {}
    void startCDATA() override {}
    void endCDATA() override {}
    void comment(const Poco::XML::XMLChar[], int, int) override {}

    void startElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& localName,
                      const Poco::XML::XMLString&, const Poco::XML::Attributes& attrs) override {
        ++_depth;
        if (_depth > _limits.maxXmlDepth) stop(localName, "XML nested too deeply");
        _text.clear();
        if (_depth == 1) {
            sawRoot = true;
            if (localName != "Document" || uri.find("camt.05") == std::string::npos)
                stop(localName, "root element is not a CAMT Document (namespace '" + uri + "')");
            const auto p = uri.rfind(':');
            summary.version = uri.substr(p == std::string::npos ? 0 : p + 1);
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
                _statementLine = line();
            }
            return;
        }
        if (!_inStmt) return;
        _lens.push_back(_path.size());
        if (!_path.empty()) _path += '/';
        _path += localName;
        if (_path == "Ntry") {
            if (summary.entries >= _limits.maxEntries) stop("Ntry", "too many entries");
            _entry = Tx{};
            _entry.line = line();
            _txs.clear();
            _inEntry = true;
        } else if (_path == "Ntry/NtryDtls/TxDtls") {
            if (_txs.size() >= _limits.maxDetailsPerEntry) stop("TxDtls", "too many transaction details");
            _txs.emplace_back();
            _txs.back().line = line();
            _inTx = true;
        } else if (_path == "Bal") {
            _balCode.clear(); _balAmt.clear(); _balCcy.clear(); _balSign.clear(); _balDate.clear();
            _balLine = line();
        }
        if (localName == "Amt") {
            const int i = attrs.getIndex("", "Ccy");
            _ccy = i >= 0 ? attrs.getValue(i) : std::string();
        }
    }

    void characters(const Poco::XML::XMLChar ch[], int start, int length) override {
        if (_text.size() + static_cast<std::size_t>(length) > _limits.maxFieldBytes) stop(_path, "text longer than the limit");
        _text.append(ch + start, static_cast<std::size_t>(length));
    }

    void endElement(const Poco::XML::XMLString&, const Poco::XML::XMLString& localName, const Poco::XML::XMLString&) override {
        --_depth;
        if (_depth == 2 && _inStmt && (localName == "Stmt" || localName == "Ntfctn" || localName == "Rpt")) {
            endStatement();
            return;
        }
        if (!_inStmt || _lens.empty()) return;
        const std::string_view t = trim(_text);
        if (_inTx && _path.size() > 21 && _path.compare(0, 21, "Ntry/NtryDtls/TxDtls/") == 0) {
            txField(std::string_view(_path).substr(21), t);
        } else if (_path == "Ntry/NtryDtls/TxDtls") {
            _inTx = false;
        } else if (_inEntry && _path.size() > 5 && _path.compare(0, 5, "Ntry/") == 0) {
            entryField(std::string_view(_path).substr(5), t);
        } else if (_path == "Ntry") {
            endEntry();
        } else if (_path.size() > 4 && _path.compare(0, 4, "Bal/") == 0) {
            balField(std::string_view(_path).substr(4), t);
        } else if (_path == "Bal") {
            endBalance();
        } else {
            stmtField(t);
        }
        _path.resize(_lens.back());
        _lens.pop_back();
        _text.clear();
    }

private:
    [[noreturn]] void stop(std::string_view field, std::string message) const {
        throw Stop{errorAtLine(line(), std::string(field), std::move(message))};
    }

    std::size_t line() const { return _loc ? static_cast<std::size_t>(std::max(0, _loc->getLineNumber())) : 0; }

    static std::optional<CivilDate> date(std::string_view t) {
        if (t.size() < 10) return std::nullopt;
        return CivilDate::parseIso(t.substr(0, 10));
    }

    std::optional<CivilDate> requireDate(std::string_view t) const {
        auto d = date(t);
        if (!d) stop(_path, "not a date: '" + std::string(t) + "'");
        return d;
    }

    std::int64_t amount(std::string_view text, const std::string& ccy, int& exponent) const {
        const auto e = bankCurrencyExponent(ccy);
        if (!e) stop(_path, "unknown or missing currency '" + ccy + "'");
        exponent = *e;
        const auto m = parseMinorUnits(text, *e);
        if (!m) stop(_path, "amount '" + std::string(text) + "' is not an exact " + ccy + " amount");
        if (*m < 0) stop(_path, "amount must not be negative (the sign is CdtDbtInd)");
        return *m;
    }

    void stmtField(std::string_view t) {
        const std::string& p = _path;
        if (p == "Id") _stmt.number = t;
        else if (p == "ElctrncSeqNb") _stmt.sequence = t;
        else if (p == "LglSeqNb") { if (_stmt.sequence.empty()) _stmt.sequence = t; }
        else if (p == "Acct/Id/IBAN") {
            if (auto iban = refs::normalizeIban(t)) _stmt.account.iban = *iban;
            else {
                // Test and masked accounts fail the check; keep them visible, never as an IBAN.
                _stmt.account.number = t;
                summary.warnings.push_back("line " + std::to_string(line()) + ": account '" + std::string(t) + "' is not a valid IBAN");
            }
        } else if (p == "Acct/Id/Othr/Id") _stmt.account.number = t;
        else if (p == "Acct/Ccy") _stmt.account.currency = t;
        else if (p == "Acct/Ownr/Nm") _stmt.account.holder = t;
        else if (p == "Acct/Svcr/FinInstnId/BIC" || p == "Acct/Svcr/FinInstnId/BICFI") _stmt.account.bic = t;
    }

    void balField(std::string_view p, std::string_view t) {
        if (p == "Tp/CdOrPrtry/Cd") _balCode = t;
        else if (p == "Amt") { _balAmt = t; _balCcy = _ccy; }
        else if (p == "CdtDbtInd") _balSign = t;
        else if (p.starts_with("Dt/") && !t.empty()) _balDate = t;
    }

    void endBalance() {
        const bool opening = _balCode == "OPBD" || _balCode == "PRCD";
        const bool closing = _balCode == "CLBD";
        if (!opening && !closing) return;
        if (opening && _stmt.openingBalance) return;  // OPBD and PRCD both given: the first wins
        int exponent = 2;
        std::int64_t v = amount(_balAmt, _balCcy, exponent);
        if (_balSign == "DBIT") v = -v;
        else if (_balSign != "CRDT") stop("Bal/CdtDbtInd", "must be CRDT or DBIT");
        setCurrency(_balCcy, exponent);
        const auto d = requireDate(_balDate);
        if (opening) { _stmt.openingBalance = v; _stmt.openingDate = d; }
        else { _stmt.closingBalance = v; _stmt.closingDate = d; _closingLine = _balLine; }
    }

    void setCurrency(const std::string& ccy, int exponent) {
        if (_stmt.currency.empty()) { _stmt.currency = ccy; _stmt.exponent = exponent; }
        if (_stmt.account.currency.empty()) _stmt.account.currency = ccy;
    }

    static void code(Entry& e, const char* k, std::string_view v) { if (!v.empty()) e.codes.emplace_back(k, std::string(v)); }

    void entryField(std::string_view p, std::string_view t) {
        Entry& e = _entry.entry;
        if (p == "Amt") { _entry.amountText = t; _entry.amountCcy = _ccy; _entry.hasAmount = true; }
        else if (p == "CdtDbtInd") _entry.cdtDbt = t;
        else if (p == "RvslInd") e.reversal = t == "true" || t == "1";
        else if ((p == "Sts" || p == "Sts/Cd" || p == "Sts/Prtry") && !t.empty()) e.booked = t == "BOOK";
        else if (p == "BookgDt/Dt" || p == "BookgDt/DtTm") e.bookingDate = requireDate(t);
        else if (p == "ValDt/Dt" || p == "ValDt/DtTm") e.valueDate = requireDate(t);
        else if (p == "AcctSvcrRef") e.bankReference = t;
        else if (p == "NtryRef") code(e, "entry_reference", t);
        else if (p == "BkTxCd/Domn/Cd") code(e, "domain", t);
        else if (p == "BkTxCd/Domn/Fmly/Cd") code(e, "family", t);
        else if (p == "BkTxCd/Domn/Fmly/SubFmlyCd") code(e, "subfamily", t);
        else if (p == "BkTxCd/Prtry/Cd") code(e, "proprietary", t);
        else if (p == "BkTxCd/Prtry/Issr") code(e, "proprietary_issuer", t);
        else if (p == "AddtlNtryInf") e.information = t;
        else if (p == "NtryDtls/Btch/NbOfTxs") code(e, "batch_transactions", t);
    }

    void txField(std::string_view p, std::string_view t) {
        Tx& x = _txs.back();
        Entry& e = x.entry;
        Party& pt = x.party;
        if (p == "Refs/EndToEndId") { if (t != "NOTPROVIDED") e.endToEndId = t; }
        else if (p == "Refs/UETR") e.uetr = t;
        else if (p == "Refs/AcctSvcrRef") e.bankReference = t;
        else if (p == "Refs/TxId") code(e, "transaction_id", t);
        else if (p == "Refs/InstrId") code(e, "instruction_id", t);
        else if (p == "Refs/MndtId") code(e, "mandate_id", t);
        else if (p == "Amt" || (p == "AmtDtls/TxAmt/Amt" && !x.hasAmount)) { x.amountText = t; x.amountCcy = _ccy; x.hasAmount = true; }
        else if (p == "CdtDbtInd") x.cdtDbt = t;
        else if (p == "RltdPties/Dbtr/Nm" || p == "RltdPties/Dbtr/Pty/Nm") pt.debtorName = t;
        else if (p == "RltdPties/DbtrAcct/Id/IBAN") pt.debtorIban = t;
        else if (p == "RltdPties/DbtrAcct/Id/Othr/Id") pt.debtorAccount = t;
        else if (p == "RltdPties/Cdtr/Nm" || p == "RltdPties/Cdtr/Pty/Nm") pt.creditorName = t;
        else if (p == "RltdPties/CdtrAcct/Id/IBAN") pt.creditorIban = t;
        else if (p == "RltdPties/CdtrAcct/Id/Othr/Id") pt.creditorAccount = t;
        else if (p == "RltdAgts/DbtrAgt/FinInstnId/BIC" || p == "RltdAgts/DbtrAgt/FinInstnId/BICFI") pt.debtorBic = t;
        else if (p == "RltdAgts/CdtrAgt/FinInstnId/BIC" || p == "RltdAgts/CdtrAgt/FinInstnId/BICFI") pt.creditorBic = t;
        else if (p == "RmtInf/Ustrd") {
            if (!e.remittance.empty()) e.remittance += ' ';
            e.remittance.append(t);
        } else if (p == "RmtInf/Strd/CdtrRefInf/Ref") { if (x.refText.empty()) x.refText = t; }
        else if (p == "RmtInf/Strd/CdtrRefInf/Tp/Issr") x.refIssuer = t;
        else if (p == "RmtInf/Strd/CdtrRefInf/Tp/CdOrPrtry/Cd") x.refCode = t;
        else if (p == "RtrInf/Rsn/Cd" || p == "RtrInf/Rsn/Prtry") e.returnReason = t;
        else if (p == "AddtlTxInf") e.information = t;
        else if (p == "Purp/Cd") code(e, "purpose", t);
    }

    // Applies a TxDtls' parties and reference to `e`, seen from the account owner.
    static void applyTx(Entry& e, Tx& x, bool credit) {
        Party& p = x.party;
        Counterparty& c = e.counterparty;
        const std::string& name = credit ? p.debtorName : p.creditorName;
        const std::string& iban = credit ? p.debtorIban : p.creditorIban;
        const std::string& acct = credit ? p.debtorAccount : p.creditorAccount;
        const std::string& bic = credit ? p.debtorBic : p.creditorBic;
        c.name = name;
        if (auto n = refs::normalizeIban(iban)) c.iban = *n;
        else if (!iban.empty()) c.account = iban;
        else c.account = acct;
        c.bic = bic;
        if (!x.refText.empty()) e.reference = classifyStructuredReference(x.refText);
        if (e.reference.kind == Reference::Kind::None) e.reference = findReferenceInText(e.remittance);
        if (!x.refIssuer.empty()) e.codes.emplace_back("reference_issuer", x.refIssuer);
        if (!e.returnReason.empty()) e.reversal = e.reversal || true;
    }

    void endEntry() {
        _inEntry = false;
        Entry e = std::move(_entry.entry);
        e.line = _entry.line;
        if (!_entry.hasAmount) stop("Ntry/Amt", "entry without an amount");
        if (_entry.cdtDbt != "CRDT" && _entry.cdtDbt != "DBIT") stop("Ntry/CdtDbtInd", "must be CRDT or DBIT");
        const bool credit = _entry.cdtDbt == "CRDT";
        e.amount = amount(_entry.amountText, _entry.amountCcy, e.exponent);
        if (!credit) e.amount = -e.amount;
        e.currency = _entry.amountCcy;
        setCurrency(e.currency, e.exponent);
        if (_txs.size() == 1) {
            Tx& x = _txs.front();
            Entry& d = x.entry;
            const bool returned = !d.returnReason.empty();
            applyTx(d, x, credit);
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
            for (auto& x : _txs) {
                Entry d = std::move(x.entry);
                const bool txCredit = x.cdtDbt.empty() ? credit : x.cdtDbt == "CRDT";
                const bool returned = !d.returnReason.empty();
                applyTx(d, x, txCredit);
                if (returned) d.reversal = true;
                d.line = x.line;
                if (x.hasAmount) {
                    d.amount = amount(x.amountText, x.amountCcy, d.exponent);
                    if (!txCredit) d.amount = -d.amount;
                    d.currency = x.amountCcy;
                } else {
                    d.amount = 0;
                    d.currency = e.currency;
                    d.exponent = e.exponent;
                }
                d.booked = e.booked;
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
        if (_stmt.openingBalance && _stmt.closingBalance) {
            std::int64_t expected = 0;
            if (__builtin_add_overflow(*_stmt.openingBalance, _total, &expected) || expected != *_stmt.closingBalance)
                throw Stop{errorAtLine(_closingLine, "Bal/CLBD",
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
    const Poco::XML::Locator* _loc = nullptr;
    std::size_t _depth = 0;
    std::string _kind;
    bool _inStmt = false, _inEntry = false, _inTx = false;
    Statement _stmt;
    std::int64_t _total = 0;
    std::size_t _statementLine = 0, _closingLine = 0, _balLine = 0;
    std::string _path, _text, _ccy;
    std::vector<std::size_t> _lens;
    Tx _entry;
    std::vector<Tx> _txs;
    std::string _balCode, _balAmt, _balCcy, _balSign, _balDate;
};

}  // namespace

bool sniffCamt(std::string_view bytes) {
    const auto head = bytes.substr(0, 4096);
    std::size_t i = 0;
    if (head.starts_with("\xEF\xBB\xBF")) i = 3;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t')) ++i;
    if (i >= head.size() || head[i] != '<') return false;
    return head.find("urn:iso:std:iso:20022:tech:xsd:camt.05") != std::string_view::npos;
}

Result<CamtSummary> parseCamtStream(std::istream& in, const CamtCallbacks& callbacks, const Limits& limits) {
    CamtHandler handler(callbacks, limits);
    Poco::XML::SAXParser parser;
    try {
        parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACE_PREFIXES, false);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
        parser.setContentHandler(&handler);
        parser.setProperty(Poco::XML::XMLReader::PROPERTY_LEXICAL_HANDLER, static_cast<Poco::XML::LexicalHandler*>(&handler));
        Poco::XML::InputSource source(in);
        parser.parse(&source);
    } catch (const Stop& s) {
        return s.error;
    } catch (const Poco::XML::SAXParseException& e) {
        return errorAtLine(static_cast<std::size_t>(std::max(0, e.getLineNumber())), "xml",
                           "not well-formed XML: " + e.message() + " (column " + std::to_string(e.getColumnNumber()) + ")");
    } catch (const Poco::Exception& e) {
        return errorAtOffset(0, "xml", "not well-formed XML: " + e.displayText());
    }
    if (!handler.sawRoot) return errorAtOffset(0, "Document", "no XML root element");
    if (handler.summary.statements == 0) return errorAtOffset(0, "Stmt", "no statement, notification or report in the document");
    return handler.summary;
}

Result<StatementFile> parseCamt(std::string_view bytes, const Limits& limits) {
    if (bytes.size() > limits.maxInputBytes) return errorAtOffset(0, "input", "file larger than the limit");
    StatementFile file;
    file.format = "camt";
    std::vector<Entry> pending;
    CamtCallbacks cb;
    cb.onEntry = [&](const Statement&, Entry&& e) { pending.push_back(std::move(e)); };
    cb.onStatement = [&](Statement&& s) {
        s.entries = std::move(pending);
        pending.clear();
        file.statements.push_back(std::move(s));
    };
    std::istringstream in{std::string(bytes)};
    auto summary = parseCamtStream(in, cb, limits);
    if (!summary) return summary.error();
    file.version = summary->version;
    file.warnings = std::move(summary->warnings);
    file.charset = "utf-8";
    return file;
}

}  // namespace duegate::parsers::bank
