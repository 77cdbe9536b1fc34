// The values the payment matcher reads and the verdict it gives (issue 9, item 3).
//
// A PaymentLine is one stored statement line (a fact, never edited); a Candidate is one open
// dossier as the matcher needs to see it; a Verdict says what to do with the line: apply it to
// dossiers (Apply), offer ranked suggestions to the finance team (Suggest), ask a person because
// something is off (Review: another currency, an amount not exact in minor units, a dossier already
// paid), undo an earlier match (Undo: reversals and returns), or nothing found (Unmatched).
// Every verdict names the rule that decided it and the line fields that rule used, like Odoo's
// reconcile models (STYLE.md); docs/payments-matching.md lists the rules in order.
//
// Money is int64 minor units of `currency` (ISO 4217, upper case); dates are civil dates.
// Thread-safety: plain values.
#pragma once

#include "parsers/common/CivilDate.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace duegate::core::matching {

using parsers::CivilDate;

struct PaymentLine {
    std::int64_t id = 0;              // the stored line's id (ties and reasons only)
    std::int64_t amountMinor = 0;     // signed as on the statement: credit > 0, debit < 0
    std::string currency;             // "EUR"
    // false: the statement amount is not representable in the currency's minor units (a CODA
    // 3-decimal amount, say); such a line is never applied automatically (Review at best).
    bool exact = true;
    CivilDate bookingDate;
    std::string counterpartyName;
    std::string counterpartyIban;     // electronic form, may be empty
    std::string reference;            // structured reference as the file gave it (OGM/RF/other), may be empty
    std::string remittance;           // free text
    std::string endToEndId;
    bool reversal = false;            // CODA/CAMT reversal flag
    std::string returnReason;         // R-transaction reason code (e.g. "AC04"); non-empty = a return
    // 0: the line may pay any candidate (the agency's account); otherwise only dossiers of that
    // creditor (a creditor's own account in `creditor` mode).
    std::int64_t creditorScope = 0;
};

struct Candidate {
    std::int64_t dossierId = 0;
    std::int64_t creditorId = 0;
    std::int64_t debtorId = 0;        // 0 = unknown; lines paying several dossiers must stay within one debtor
    std::string currency;             // "EUR"
    std::int64_t openMinor = 0;       // what is still open; >= 0
    std::string paymentReference;     // the dossier's own: "+++123/4567/89002+++", "RF95DUN2025000123" (any layout)
    std::vector<std::string> invoiceNumbers;
    std::string debtorName;
    std::vector<std::string> knownPayerIbans;  // IBANs that paid this debtor before
    std::string endToEndId;           // our end-to-end id (e.g. of a payment request we issued), may be empty
};

struct Allocation {
    std::int64_t dossierId = 0;
    std::int64_t amountMinor = 0;     // > 0, <= the line amount and <= the dossier's open amount
    bool operator==(const Allocation&) const = default;
};

struct Suggestion {
    std::int64_t dossierId = 0;
    int score = 0;                    // 0..100, higher is better
    std::string reason;               // for a person: "invoice number 2025-0042 in the remittance; amount equals the open amount"
    bool operator==(const Suggestion&) const = default;
};

struct Verdict {
    enum class Kind { Apply, Suggest, Review, Undo, Unmatched };
    Kind kind = Kind::Unmatched;
    // The deciding rule: structured_reference | reference_in_text | invoice_number | end_to_end_id |
    // payer_iban | amount_name | reversal | currency | not_a_credit | none.
    std::string rule = "none";
    std::vector<std::string> fields;  // line fields the rule used: reference, remittance, endToEndId, counterpartyIban, counterpartyName, amount, currency, reversal
    // Apply: allocations in the order to book them (their sum <= the line amount). Empty otherwise.
    std::vector<Allocation> allocations;
    // Apply: line amount - sum(allocations) when the line pays more than is open (overpayment):
    // the kind stays Apply, the caller keeps the surplus as a credit on the debtor and opens a
    // review task. Review of a line for an already paid dossier: the whole line amount.
    std::int64_t surplusMinor = 0;
    // Suggest and Review: at most 3, best first (score desc, then dossier id asc).
    std::vector<Suggestion> suggestions;
    std::string reason;               // one sentence for the queue and the event log

    bool operator==(const Verdict&) const = default;
};

// "apply" | "suggest" | "review" | "undo" | "unmatched"
std::string_view kindName(Verdict::Kind kind);

}  // namespace duegate::core::matching
