#include "gateway/core/BelgianConsumerRules.h"
#include "gateway/core/InputError.h"

#include "gateway/core/Rounding.h"

#include <algorithm>

namespace duegate::core {

parsers::Result<LegalAmount> BelgianConsumerRules::damagesCap(const Money& balance) {
    if (balance.currency() != "EUR")
        return inputError("principal", "Book XIX caps are in EUR; got " + balance.currency());
    if (balance.isNegative()) return inputError("principal", "the balance must not be negative");
    const std::int64_t b = balance.minor();
    std::int64_t cap;
    std::string slice;
    if (b <= 15000) {
        cap = 2000;
        slice = "balance up to EUR 150.00: EUR 20";
    } else if (b <= 50000) {
        // €30 + 10 % of the slice above €150.
        cap = 3000 + percentOf(b - 15000, 1000, RoundingRule::Down);
        slice = "balance EUR 150.01 to 500.00: EUR 30 + 10% of the part above EUR 150";
    } else {
        // €65 + 5 % of the slice above €500, at most €2,000.
        cap = std::min<std::int64_t>(6500 + percentOf(b - 50000, 500, RoundingRule::Down), 200000);
        slice = "balance above EUR 500.00: EUR 65 + 5% of the part above EUR 500, at most EUR 2,000";
    }
    return LegalAmount{Money::eur(cap),
                       "Art. XIX.4 Code of Economic Law (Law of 4 May 2023): " + slice +
                           "; slice reading (LEGAL.md, unverified against the article text); "
                           "rounded down to the cent so the maximum is never exceeded"};
}

LegalTerm BelgianConsumerRules::firstReminderTerm(const CivilDate& sent, Medium medium) {
    LegalTerm t;
    if (medium == Medium::Post) {
        t.firstDay = addWorkingDays(Country::BE, sent, kPostTermStartWorkingDays);
        t.basis = "Art. XIX.2 Code of Economic Law: 14 calendar days starting on the 3rd working day after "
                  "sending by post; working day = Mon-Fri minus Belgian public holidays, by analogy with "
                  "Art. 53bis Judicial Code (not confirmed for Book XIX); no costs, interest or damages "
                  "before the term has ended";
    } else {
        t.firstDay = sent.plusDays(1);
        t.basis = "Art. XIX.2 Code of Economic Law: 14 calendar days starting on the calendar day after "
                  "sending electronically; no costs, interest or damages before the term has ended";
    }
    t.lastDay = t.firstDay.plusDays(kReminderTermDays - 1);
    t.chargesFrom = t.lastDay.plusDays(1);
    return t;
}

LegalAmount BelgianConsumerRules::reminderFeeCap(bool recurringSupply, int remindersAlreadySentThisYear,
                                                 bool isFirstReminder) {
    if (isFirstReminder && !recurringSupply)
        return {Money::eur(0), "Art. XIX.2 Code of Economic Law: the first reminder is free"};
    if (recurringSupply && remindersAlreadySentThisYear < kFreeRecurringRemindersPerYear)
        return {Money::eur(0), "Art. XIX.2 Code of Economic Law: recurring supply, the first 3 reminders of a "
                               "calendar year are free"};
    if (recurringSupply)
        return {Money::eur(kExtraReminderFeeCents),
                "Art. XIX.2 Code of Economic Law: recurring supply, 4th and later reminders of the calendar "
                "year at most EUR 7.50 plus postage"};
    return {Money::eur(0), "Art. XIX.2 Code of Economic Law: reminder costs are only recoverable through the "
                           "agreed damages clause after the term (Art. XIX.4)"};
}

}  // namespace duegate::core
