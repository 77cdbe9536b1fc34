// ISO 20022 CAMT.053 (statement), CAMT.054 (debit/credit notification) and CAMT.052 (account
// report), versions .001.02 to .001.10, read with a streaming SAX reader (XmlScanner: strict, no
// DTD support at all), so memory stays flat in file size when entries are handed to a callback.
//
// Safety: any DOCTYPE is rejected and only the five predefined entities and character references
// exist, so no entity expansion (billion laughs) and no external fetch can happen; depth and text
// sizes are bounded (Limits).
// Model: Stmt/Ntfctn/Rpt -> Statement; Acct -> account; Bal OPBD or PRCD -> opening, CLBD ->
// closing; Ntry -> Entry (Amt + CdtDbtInd signed, RvslInd, Sts, dates, AcctSvcrRef, BkTxCd).
// One TxDtls is merged into its entry; several become Entry::details (each with its own amount
// when the file gives one). Counterparty = debtor for a credit, creditor for a debit.
// Strd/CdtrRefInf/Ref -> validated OGM or RF (else Other); Ustrd lines joined by one space.
// Amounts keep every decimal the file has; more significant decimals than the currency allows is
// an error. Opening + booked entries must equal closing: otherwise a located Error.
// Errors carry the XML line (Error::line) and name the element path.
// Thread-safety: pure functions; callbacks are called on the caller's thread.
#pragma once

#include "parsers/bank/Statement.h"
#include "parsers/common/Result.h"

#include <cstddef>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::parsers::bank {

bool sniffCamt(std::string_view bytes);

using CamtCallbacks = StatementCallbacks;
using CamtSummary = StreamSummary;

// Streaming entry point (bench, large files): reads `in` in small chunks.
Result<CamtSummary> parseCamtStream(std::istream& in, const CamtCallbacks& callbacks, const Limits& limits = {});

// Whole-buffer convenience used by the format registry.
Result<StatementFile> parseCamt(std::string_view bytes, const Limits& limits = {});

}  // namespace duegate::parsers::bank
