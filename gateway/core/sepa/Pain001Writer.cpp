#include "gateway/core/sepa/Pain001Writer.h"

#include "gateway/core/sepa/SepaCharset.h"
#include "parsers/refs/Iban.h"

#include <cctype>

namespace duegate::core::sepa {

namespace {

using parsers::Error;
using parsers::Result;

Error fieldError(std::string field, std::string message) {
    Error e;
    e.field = std::move(field);
    e.message = std::move(message);
    return e;
}

// The SEPA identifier rule (EPC implementation guidelines): 1..35 SEPA characters, not starting or
// ending with '/', no "//".
bool isSepaId(std::string_view id) {
    if (id.empty() || id.size() > 35) return false;
    if (id.front() == '/' || id.back() == '/' || id.find("//") != std::string_view::npos) return false;
    for (char c : id)
        if (!isSepaChar(c)) return false;
    return !(id.front() == ' ' || id.back() == ' ');
}

bool isBic(std::string_view bic) {
    if (bic.size() != 8 && bic.size() != 11) return false;
    for (std::size_t i = 0; i < bic.size(); ++i) {
        char c = bic[i];
        bool upper = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
        if (i >= 4 && i < 6 ? !upper : !(upper || digit)) return false;
    }
    return true;
}

bool isDigits(std::string_view s) {
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return !s.empty();
}

// YYYY-MM-DDThh:mm:ss, optional fraction, optional Z or +hh:mm / -hh:mm.
bool isDateTime(std::string_view t) {
    if (t.size() < 19) return false;
    if (!parsers::CivilDate::parseIso(t.substr(0, 10)) || t[10] != 'T' || t[13] != ':' || t[16] != ':') return false;
    auto two = [&](std::size_t at, int max) {
        if (!isDigits(t.substr(at, 2))) return false;
        return (t[at] - '0') * 10 + (t[at + 1] - '0') <= max;
    };
    if (!two(11, 23) || !two(14, 59) || !two(17, 59)) return false;
    std::string_view rest = t.substr(19);
    if (!rest.empty() && rest.front() == '.') {
        std::size_t n = 1;
        while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
        if (n == 1) return false;
        rest.remove_prefix(n);
    }
    if (rest.empty() || rest == "Z") return true;
    if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || rest[3] != ':') return false;
    return isDigits(rest.substr(1, 2)) && isDigits(rest.substr(4, 2));
}

// Text in an element: the SEPA set has none of < > & " but escape anyway, so a later change of
// the character policy cannot produce broken XML.
void appendEscaped(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
}

class Xml {
public:
    void open(std::string_view tag) {
        indent();
        _out += '<';
        _out += tag;
        _out += ">\n";
        ++_depth;
    }
    void close(std::string_view tag) {
        --_depth;
        indent();
        _out += "</";
        _out += tag;
        _out += ">\n";
    }
    void leaf(std::string_view tag, std::string_view text, std::string_view attrs = {}) {
        indent();
        _out += '<';
        _out += tag;
        if (!attrs.empty()) {
            _out += ' ';
            _out += attrs;
        }
        _out += '>';
        appendEscaped(_out, text);
        _out += "</";
        _out += tag;
        _out += ">\n";
    }
    void raw(std::string_view s) { _out += s; }
    std::string take() { return std::move(_out); }

private:
    void indent() { _out.append(static_cast<std::size_t>(_depth) * 2, ' '); }
    std::string _out;
    int _depth = 0;
};

void writeAgent(Xml& x, std::string_view tag, std::string_view bic) {
    x.open(tag);
    x.open("FinInstnId");
    if (bic.empty()) {
        x.open("Othr");
        x.leaf("Id", "NOTPROVIDED");
        x.close("Othr");
    } else {
        x.leaf("BICFI", bic);
    }
    x.close("FinInstnId");
    x.close(tag);
}

std::string upperNoSpaces(std::string_view s) {
    std::string out;
    for (char c : s)
        if (c != ' ') out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::string sepaAmount(std::int64_t minor) {
    bool negative = minor < 0;
    std::uint64_t v = negative ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
    std::string cents = std::to_string(v % 100);
    if (cents.size() < 2) cents.insert(0, "0");
    return (negative ? "-" : "") + std::to_string(v / 100) + "." + cents;
}

std::string toSepaText(std::string_view utf8, std::size_t maxChars) {
    std::string out;
    out.reserve(utf8.size());
    forEachCodePoint(utf8, [&](std::uint32_t cp) {
        if (cp < 0x80) {
            char c = static_cast<char>(cp);
            if (isSepaChar(c)) out += c;
            else if (c == '\t' || c == '\n' || c == '\r') out += ' ';
            else if (c == '&') out += '+';
            else if (c == '_') out += '-';
            else out += '.';
        } else if (cp == 0xA0) {
            out += ' ';
        } else if (!appendLatinAscii(cp, out)) {
            out += '.';
        }
    });
    // Collapse runs of blanks and trim, so a cut never keeps a trailing blank.
    std::string tidy;
    tidy.reserve(out.size());
    for (char c : out) {
        if (c == ' ' && (tidy.empty() || tidy.back() == ' ')) continue;
        tidy += c;
    }
    if (tidy.size() > maxChars) tidy.resize(maxChars);
    while (!tidy.empty() && tidy.back() == ' ') tidy.pop_back();
    return tidy;
}

Result<std::string> writePain001(const Pain001& f) {
    if (f.currency != "EUR") return fieldError("currency", "SEPA credit transfers are in EUR only");
    if (f.transfers.empty()) return fieldError("transfers", "no credit transfer to write");
    if (!isSepaId(f.messageId)) return fieldError("MsgId", "must be 1..35 SEPA characters");
    if (!isSepaId(f.paymentInfoId)) return fieldError("PmtInfId", "must be 1..35 SEPA characters");
    if (!isDateTime(f.creationDateTime)) return fieldError("CreDtTm", "not YYYY-MM-DDThh:mm:ss");
    auto debtorIban = parsers::refs::normalizeIban(f.debtorIban);
    if (!debtorIban) return fieldError("DbtrAcct/IBAN", "not a valid IBAN");
    std::string debtorBic = upperNoSpaces(f.debtorBic);
    if (!debtorBic.empty() && !isBic(debtorBic)) return fieldError("DbtrAgt/BICFI", "not a BIC");
    std::string debtorName = toSepaText(f.debtorName, 70);
    if (debtorName.empty()) return fieldError("Dbtr/Nm", "empty");
    std::string initiator = toSepaText(f.initiatingPartyName.empty() ? f.debtorName : f.initiatingPartyName, 70);

    struct Checked {
        const CreditTransfer* t;
        std::string iban, bic, name, remittance;
    };
    std::vector<Checked> checked;
    checked.reserve(f.transfers.size());
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < f.transfers.size(); ++i) {
        const CreditTransfer& t = f.transfers[i];
        std::string where = "transfer " + std::to_string(i + 1) + " / ";
        if (!isSepaId(t.endToEndId)) return fieldError(where + "EndToEndId", "must be 1..35 SEPA characters");
        if (t.amountMinor <= 0) return fieldError(where + "InstdAmt", "must be positive");
        if (t.amountMinor > 99999999999) return fieldError(where + "InstdAmt", "above 999,999,999.99");
        auto iban = parsers::refs::normalizeIban(t.creditorIban);
        if (!iban) return fieldError(where + "CdtrAcct/IBAN", "not a valid IBAN");
        std::string bic = upperNoSpaces(t.creditorBic);
        if (!bic.empty() && !isBic(bic)) return fieldError(where + "CdtrAgt/BICFI", "not a BIC");
        std::string name = toSepaText(t.creditorName, 70);
        if (name.empty()) return fieldError(where + "Cdtr/Nm", "empty");
        for (const Checked& c : checked)
            if (c.t->endToEndId == t.endToEndId) return fieldError(where + "EndToEndId", "used twice in the file");
        sum += static_cast<std::uint64_t>(t.amountMinor);
        checked.push_back({&t, *iban, bic, name, toSepaText(t.remittance, 140)});
    }
    const std::string count = std::to_string(checked.size());
    const std::string ctrlSum = sepaAmount(static_cast<std::int64_t>(sum));

    Xml x;
    x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.raw("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\">\n");
    x.open("CstmrCdtTrfInitn");
    x.open("GrpHdr");
    x.leaf("MsgId", f.messageId);
    x.leaf("CreDtTm", f.creationDateTime);
    x.leaf("NbOfTxs", count);
    x.leaf("CtrlSum", ctrlSum);
    x.open("InitgPty");
    x.leaf("Nm", initiator);
    x.close("InitgPty");
    x.close("GrpHdr");

    x.open("PmtInf");
    x.leaf("PmtInfId", f.paymentInfoId);
    x.leaf("PmtMtd", "TRF");
    x.leaf("BtchBookg", f.batchBooking ? "true" : "false");
    x.leaf("NbOfTxs", count);
    x.leaf("CtrlSum", ctrlSum);
    x.open("PmtTpInf");
    x.open("SvcLvl");
    x.leaf("Cd", "SEPA");
    x.close("SvcLvl");
    x.close("PmtTpInf");
    x.open("ReqdExctnDt");
    x.leaf("Dt", f.requestedExecutionDate.iso());
    x.close("ReqdExctnDt");
    x.open("Dbtr");
    x.leaf("Nm", debtorName);
    x.close("Dbtr");
    x.open("DbtrAcct");
    x.open("Id");
    x.leaf("IBAN", *debtorIban);
    x.close("Id");
    x.close("DbtrAcct");
    writeAgent(x, "DbtrAgt", debtorBic);
    x.leaf("ChrgBr", "SLEV");
    for (const Checked& c : checked) {
        x.open("CdtTrfTxInf");
        x.open("PmtId");
        x.leaf("EndToEndId", c.t->endToEndId);
        x.close("PmtId");
        x.open("Amt");
        x.leaf("InstdAmt", sepaAmount(c.t->amountMinor), "Ccy=\"EUR\"");
        x.close("Amt");
        if (!c.bic.empty()) writeAgent(x, "CdtrAgt", c.bic);
        x.open("Cdtr");
        x.leaf("Nm", c.name);
        x.close("Cdtr");
        x.open("CdtrAcct");
        x.open("Id");
        x.leaf("IBAN", c.iban);
        x.close("Id");
        x.close("CdtrAcct");
        if (!c.remittance.empty()) {
            x.open("RmtInf");
            x.leaf("Ustrd", c.remittance);
            x.close("RmtInf");
        }
        x.close("CdtTrfTxInf");
    }
    x.close("PmtInf");
    x.close("CstmrCdtTrfInitn");
    x.raw("</Document>\n");
    return x.take();
}

}  // namespace duegate::core::sepa
