// A CAMT.053 built in the test, for the finance queue tests (FinanceQueueTest, SecurityMatrixTest).
#pragma once

#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

namespace duegate::testing {

inline const std::string kIbanA = "BE68539007547034";  // creditor A's registered IBAN (PortalFixture.h)

struct Entry {
    std::int64_t cents = 0;
    std::string name, iban, ref, ustrd;
};

inline std::string amountText(std::int64_t c) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(c / 100), static_cast<long long>(c % 100));
    return buf;
}

// A CAMT.053 of one statement on `iban`, booked 2024-06-01 (or `date`).
inline std::string camt(const std::string& iban, const std::string& id, const std::vector<Entry>& entries,
                 const std::string& date = "2024-06-01") {
    std::int64_t closing = 0;
    for (const auto& e : entries) closing += e.cents;
    std::ostringstream x;
    x << "<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>"
      << "<GrpHdr><MsgId>" << id << "</MsgId><CreDtTm>" << date << "T18:00:00</CreDtTm></GrpHdr><Stmt><Id>" << id
      << "</Id><CreDtTm>" << date << "T18:00:00</CreDtTm><Acct><Id><IBAN>" << iban << "</IBAN></Id><Ccy>EUR</Ccy></Acct>"
      << "<Bal><Tp><CdOrPrtry><Cd>PRCD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>"
      << date << "</Dt></Dt></Bal><Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">" << amountText(closing)
      << "</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>" << date << "</Dt></Dt></Bal>";
    for (const auto& e : entries) {
        x << "<Ntry><Amt Ccy=\"EUR\">" << amountText(e.cents) << "</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
          << "<BookgDt><Dt>" << date << "</Dt></BookgDt><ValDt><Dt>" << date << "</Dt></ValDt><NtryDtls><TxDtls><RltdPties>"
          << "<Dbtr><Pty><Nm>" << e.name << "</Nm></Pty></Dbtr><DbtrAcct><Id><IBAN>" << e.iban
          << "</IBAN></Id></DbtrAcct></RltdPties>";
        if (!e.ref.empty())
            x << "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>" << e.ref
              << "</Ref></CdtrRefInf></Strd></RmtInf>";
        else if (!e.ustrd.empty())
            x << "<RmtInf><Ustrd>" << e.ustrd << "</Ustrd></RmtInf>";
        x << "</TxDtls></NtryDtls></Ntry>";
    }
    x << "</Stmt></BkToCstmrStmt></Document>";
    return x.str();
}

}  // namespace duegate::testing
