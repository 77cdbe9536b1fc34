// Belgium, consumer debts: Book XIX of the Code of Economic Law, introduced by the Law of 4 May 2023
// (B.S. 23 May 2023; in force 1 Sep 2023, 1 Dec 2023 for contracts concluded before). Sources as
// collected in LEGAL.md §1:
//  - Art. XIX.2: the first reminder is free; it opens a term of at least 14 calendar days during
//    which no costs, interest or damages may be charged. The term starts on the 3rd working day
//    after the day of sending for a paper reminder, on the calendar day after sending for an
//    electronic one. https://vbb.com/insights/belgium-new-rules-on-consumer-debt-collection-update-your-general-terms-and-conditions-now
//    https://www.lexnow.io/be/recouvrement-amiable-de-dettes-le-consommateur-beneficie-dune-revolution-de-velours/
//  - Recurring supply: 3 free reminders per calendar year; each further reminder at most €7.50 plus
//    postage. https://tilia.law/en/news/2023/8/change-in-the-law-regarding-the-recovery-of-consumer-debts
//  - Art. XIX.4: the agreed lump-sum damages are capped at €20 (balance ≤ €150), €30 + 10 % of the
//    slice above €150 (€150.01–€500), €65 + 5 % of the slice above €500 with at most €2,000.
//    ⚠️ "slice" reading (continuous at €500: 30 + 10 % × 350 = 65); article text not retrieved.
//    https://amboslaw.be/news/new-law-belgium-collecting-debts-consumers
//  - Interest: at most the rate of Art. 5 of the Law of 2 August 2002 (table "be-late-payment").
//  - ⚠️ Working day = Mon–Fri minus Belgian public holidays, by analogy with Art. 53bis Judicial Code.
// Thread-safety: pure functions.
#pragma once

#include "gateway/core/Regime.h"
#include "parsers/common/Result.h"

namespace duegate::core {

struct BelgianConsumerRules {
    static constexpr int kReminderTermDays = 14;            // Art. XIX.2: at least 14 calendar days
    static constexpr int kPostTermStartWorkingDays = 3;     // 3rd working day after sending by post
    static constexpr int kFreeRecurringRemindersPerYear = 3;
    static constexpr std::int64_t kExtraReminderFeeCents = 750;  // + postage, recurring supply only

    // Maximum lump-sum damages for an unpaid EUR balance (Art. XIX.4). Rounding: RoundingRule::Down,
    // so rounding never lifts the figure above the legal maximum. Error for a non-EUR or negative
    // balance.
    static parsers::Result<LegalAmount> damagesCap(const Money& balance);

    // The term opened by the free first reminder sent on `sent` by `medium` (Art. XIX.2).
    static LegalTerm firstReminderTerm(const CivilDate& sent, Medium medium);

    // The most a reminder may cost: free for the first reminder and, under recurring supply, for the
    // first three of a calendar year; €7.50 + postage after that. `remindersAlreadySentThisYear`
    // counts earlier reminders of the same recurring contract in the calendar year.
    static LegalAmount reminderFeeCap(bool recurringSupply, int remindersAlreadySentThisYear, bool isFirstReminder);
};

}  // namespace duegate::core
