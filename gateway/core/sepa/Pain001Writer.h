// SEPA credit transfer initiation, ISO 20022 pain.001.001.09: the file the agency uploads to its
// bank to pay creditors out (issue 9, item 6). Pure: returns the XML bytes; the caller supplies
// every identifier and the creation time (core reads no clock).
//
// Layout: one GrpHdr (MsgId, CreDtTm, NbOfTxs, CtrlSum, InitgPty/Nm), one PmtInf debiting the
// agency account (PmtMtd TRF, BtchBookg, NbOfTxs, CtrlSum, PmtTpInf/SvcLvl/Cd SEPA,
// ReqdExctnDt/Dt, Dbtr, DbtrAcct, DbtrAgt (BIC or NOTPROVIDED), ChrgBr SLEV), and one CdtTrfTxInf
// per payout (PmtId/EndToEndId, Amt/InstdAmt Ccy, CdtrAgt when a BIC is given, Cdtr/Nm,
// CdtrAcct/IBAN, RmtInf/Ustrd). Validates against the official XSD
// (../shared/corpus/sepa/pain.001.001.09.xsd; tests/unit/core/Pain001WriterTest.cpp).
//
// Text: XML-escaped, and reduced to the SEPA Latin character set (EPC guidelines: a-z A-Z 0-9
// / - ? : ( ) . , ' + space): accented Latin letters are transliterated ("é" -> "e", "ß" -> "ss"),
// anything else becomes '.'; then cut to the field's maximum length (Nm 70, Ustrd 140, ids 35).
// Errors (Result failure, field named): no transfers, an invalid IBAN or BIC, an amount <= 0, a
// currency other than EUR, an empty or non-SEPA id (MsgId, PmtInfId, EndToEndId: 1..35 of
// A-Z a-z 0-9 / - ? : ( ) . , ' + space, not starting or ending with '/', no "//"), a malformed
// creation time (YYYY-MM-DDThh:mm:ss with an optional zone suffix: "Z" or "+01:00").
// Thread-safety: pure function.
#pragma once

#include "parsers/common/CivilDate.h"
#include "parsers/common/Result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::core::sepa {

struct CreditTransfer {
    std::string endToEndId;           // 1..35, unique within the file (e.g. "PAYOUT-2026-48-17")
    std::int64_t amountMinor = 0;     // > 0, in the batch currency
    std::string creditorName;
    std::string creditorIban;         // any layout; written in electronic form
    std::string creditorBic;          // optional
    std::string remittance;           // unstructured, cut to 140
};

struct Pain001 {
    std::string messageId;            // MsgId, 1..35
    std::string creationDateTime;     // CreDtTm, "2026-11-29T10:00:00" (+ optional "Z" or "+01:00")
    std::string initiatingPartyName;  // InitgPty/Nm
    std::string paymentInfoId;        // PmtInfId, 1..35
    parsers::CivilDate requestedExecutionDate;
    bool batchBooking = true;         // one debit for the whole batch
    std::string debtorName;           // the agency
    std::string debtorIban;
    std::string debtorBic;            // optional (NOTPROVIDED when empty)
    std::string currency = "EUR";     // SEPA: EUR only
    std::vector<CreditTransfer> transfers;
};

// The XML document, UTF-8, with an XML declaration.
parsers::Result<std::string> writePain001(const Pain001& file);

// "12345" minor units -> "123.45" (EUR, 2 decimals; the XSD's ActiveOrHistoricCurrencyAndAmount).
std::string sepaAmount(std::int64_t minor);

// Reduces UTF-8 text to the SEPA Latin set (see above) and cuts it to maxChars characters.
std::string toSepaText(std::string_view utf8, std::size_t maxChars);

}  // namespace duegate::core::sepa
