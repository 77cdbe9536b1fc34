#include "gateway/core/BelgianBusinessRules.h"

namespace duegate::core {

LegalAmount BelgianBusinessRules::fixedCompensation() {
    return {Money::eur(kFixedCompensationCents),
            "Art. 6 Law of 2 August 2002 on late payment in commercial transactions: fixed compensation "
            "of EUR 40, due without a reminder, plus reasonable recovery costs above it"};
}

int BelgianBusinessRules::effectivePaymentTermDays(int agreedDays) {
    return agreedDays > kMaxAgreedPaymentTermDays ? kDefaultPaymentTermDays : agreedDays;
}

}  // namespace duegate::core
