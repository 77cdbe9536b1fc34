// The payment matcher: an index over every open dossier, and ordered rules that turn one
// statement line into a Verdict (MatchTypes.h). Pure: no SQL, files or clocks.
//
// Rules, in order; the first that reaches a verdict wins (docs/payments-matching.md):
//  1. structured_reference  the line's structured reference (OGM/VCS or RF, check digits valid) is
//                           a dossier's payment reference.
//  2. reference_in_text     references found in the remittance (or an unstructured reference field)
//                           despite spaces, slashes, +++ or ***: OGM 12 digits with a valid mod 97
//                           check, or a 10-digit base completed with its check digits; RF with a valid
//                           ISO 11649 check. Several references of one debtor: the line is allocated
//                           to them in the order written, each up to its open amount.
//  3. invoice_number        an invoice number appears as a whole token in the remittance (not inside
//                           a longer number).
//  4. end_to_end_id         the line's end-to-end id is one we issued for a dossier.
//  5. payer_iban            the payer's IBAN paid this debtor before and the amount equals what is open.
//  6. amount_name           payer name similar to the debtor's, amount fits: suggestions only.
// Only a unique, confident match is applied; several candidates or weaker evidence give Suggest with
// the top 3 (score, reason); a line in another currency than its dossier, or whose amount is not
// exact, gives Review; a reversal or return gives Undo (see Reversal.h); nothing gives Unmatched.
// Debits that are not reversals are Unmatched with rule not_a_credit.
// Amounts: allocation = min(line amount, open amount) per dossier; an overpayment keeps kind Apply
// with surplusMinor > 0; a dossier with nothing open gives Review with the whole line as surplus.
// Ties are broken by dossier id, so the verdict depends on the line and the index contents only,
// not on the order in which candidates were given.
//
// Several lines paying one dossier: after booking an Apply, call applied() so the next line sees the
// new open amount (or rebuild the index).
//
// Thread-safety: match() and openMinor() are const and may run concurrently from many threads;
// applied() and addKnownPayerIban() must not run concurrently with anything else on the same index.
// The constructor may start one helper thread (buildThreads > 1) and joins it before returning.
// Scale: building over 1 million candidates and matching 1 million lines takes a few seconds on two
// cores (bench/match, docs/performance.md).
#pragma once

#include "gateway/core/matching/MatchTypes.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace duegate::core::matching {

class MatchIndex {
public:
    // Candidates with openMinor < 0 are treated as 0. Duplicate dossier ids: the last one wins.
    // buildThreads > 1 builds the tables on two threads (the result is the same).
    explicit MatchIndex(std::vector<Candidate> candidates, unsigned buildThreads = 2);
    ~MatchIndex();
    MatchIndex(MatchIndex&&) noexcept;
    MatchIndex& operator=(MatchIndex&&) noexcept;
    MatchIndex(const MatchIndex&) = delete;
    MatchIndex& operator=(const MatchIndex&) = delete;

    Verdict match(const PaymentLine& line) const;

    // The dossiers the line's structured reference, references in text, invoice numbers or
    // end-to-end id name (the lookups of rules 1-4, without deciding or scoring; only the structured
    // reference's when it names one): what a caller may read ahead of booking the lines' verdicts
    // (services/payments/BatchBooking). A hint: match() may still pick a dossier not in it (rule
    // payer_iban), or none of it. Much cheaper than match() for a line that matches nothing.
    std::vector<std::int64_t> namedDossiers(const PaymentLine& line) const;

    // Books `amountMinor` against a dossier's open amount (a negative amount gives it back, as when
    // a match is undone). Returns false, changing nothing, for an unknown dossier or when the open
    // amount would become negative.
    bool applied(std::int64_t dossierId, std::int64_t amountMinor);

    // Records that `iban` paid this dossier's debtor (feeds rule payer_iban for later lines).
    void addKnownPayerIban(std::int64_t dossierId, const std::string& iban);

    std::optional<std::int64_t> openMinor(std::int64_t dossierId) const;
    std::size_t size() const;

private:
    struct Impl;
    std::unique_ptr<Impl> _impl;
};

}  // namespace duegate::core::matching
