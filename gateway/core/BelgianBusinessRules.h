// Belgium, commercial transactions: Law of 2 August 2002 on combating late payment in commercial
// transactions (LEGAL.md §2).
//  - Art. 4: default payment term 30 days after receipt of the invoice; an agreed term above 60 days
//    (since 1 Feb 2022) is deemed unwritten, so the 30-day default applies.
//    https://www.fidelium.eu/en/tax-news/late-payment-thirty-or-sixty-days
//  - Art. 5: interest is due automatically, without notice, from the day after the due date, at the
//    half-yearly rate = ECB rate + 8 points rounded up to the next half point (table
//    "be-late-payment" in config/rates/interest_rates.ini). https://www.mondaq.com/financial-services/1302262/
//  - Art. 6: fixed compensation of €40 without any reminder, plus reasonable excess costs.
//    https://seeds.law/en/news-insights/combating-late-payment-in-commercial-transactions
// Thread-safety: pure functions.
#pragma once

#include "gateway/core/Regime.h"

namespace duegate::core {

struct BelgianBusinessRules {
    static constexpr int kDefaultPaymentTermDays = 30;
    static constexpr int kMaxAgreedPaymentTermDays = 60;
    static constexpr std::int64_t kFixedCompensationCents = 4000;

    // €40, due without a reminder (Art. 6).
    static LegalAmount fixedCompensation();
    // The payment term that counts: the agreed one if ≤ 60 days, else the 30-day default (Art. 4).
    static int effectivePaymentTermDays(int agreedDays);
    // First day on which late-payment interest runs: the day after the due date (Art. 5).
    static CivilDate interestStart(const CivilDate& dueDate) { return dueDate.plusDays(1); }
};

}  // namespace duegate::core
