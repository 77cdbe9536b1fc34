#include "gateway/services/dunning/MessageFields.h"

#include "gateway/core/BelgianBusinessRules.h"
#include "gateway/core/BelgianConsumerRules.h"
#include "gateway/core/DutchRules.h"
#include "parsers/refs/Ogm.h"

#include <cctype>

namespace duegate::services::dunning {
namespace {

std::optional<std::string_view> opt(const std::optional<std::string>& s) {
    if (!s || s->empty()) return std::nullopt;
    return std::string_view(*s);
}

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string date(core::Language l, const std::string& iso) {
    auto d = core::CivilDate::parseIso(iso.substr(0, 10));
    return d ? core::formatDate(l, *d) : iso;
}

}  // namespace

core::Language languageOf(const store::dunning::Candidate& d) {
    return core::chooseLanguage(opt(d.dossierLanguage), opt(d.debtorLanguage), opt(d.debtorCountry),
                                opt(d.debtorPostcode));
}

core::Regime regimeOf(const store::dunning::Candidate& d) {
    const bool nl = d.debtorCountry && upper(*d.debtorCountry).substr(0, 2) == "NL";
    const bool consumer = d.debtorKind == "consumer";
    if (nl) return consumer ? core::Regime::NlB2c : core::Regime::NlB2b;
    return consumer ? core::Regime::BeB2c : core::Regime::BeB2b;
}

core::CivilDate dueDateOf(const store::dunning::Candidate& d, const core::CivilDate& fallback) {
    if (d.dueDate)
        if (auto x = core::CivilDate::parseIso(*d.dueDate)) return *x;
    return fallback;
}

core::TemplateData dossierFields(const DossierTexts& t, core::Language l, const core::CivilDate& today) {
    const auto& d = t.dossier;
    core::TemplateData data;
    auto& v = data.values;
    auto money = [&](std::int64_t minor) { return core::formatAmount(l, core::Money(minor, d.currency)); };
    v["agency_name"] = t.agencyName;
    v["creditor_name"] = t.creditorName;
    v["creditor_enterprise_number"] = t.creditorEnterpriseNumber.value_or("");
    data.flags["has_enterprise_number"] = t.creditorEnterpriseNumber && !t.creditorEnterpriseNumber->empty();
    v["debtor_name"] = d.debtorName;
    v["debtor_phone"] = d.debtorPhone.value_or("");
    v["dossier_reference"] = d.reference;
    v["today"] = core::formatDate(l, today);
    v["open_amount"] = money(d.openMinor);
    v["original_amount"] = money(d.invoicedMinor);
    const std::int64_t paid = d.invoicedMinor - (d.openMinor - d.chargesOwedMinor);  // of the principal
    v["paid_amount"] = money(paid > 0 ? paid : 0);
    data.flags["partially_paid"] = paid > 0 && d.openMinor > 0;
    v["due_date"] = core::formatDate(l, dueDateOf(d, today));
    for (const auto& inv : t.invoices) {
        std::map<std::string, std::string> row;
        row["number"] = inv.number;
        row["issue_date"] = date(l, inv.issueDate);
        row["due_date"] = inv.dueDate ? date(l, *inv.dueDate) : "";
        row["amount"] = core::formatAmount(l, core::Money(inv.amountMinor, inv.currency));
        if (inv.description && !inv.description->empty()) row["description"] = *inv.description;
        data.lists["invoices"].push_back(std::move(row));
        if (!v.count("invoice_number") && inv.documentType == "Invoice") {
            v["invoice_number"] = inv.number;
            v["issue_date"] = row["issue_date"];
        }
    }
    if (!v.count("invoice_number")) v["invoice_number"] = d.reference;
    // Where to pay: the dossier's payee (fixed at creation), else the creditor's account.
    const auto iban = d.payeeIban && !d.payeeIban->empty() ? d.payeeIban : t.creditorIban;
    const auto bic = d.payeeIban && !d.payeeIban->empty() ? d.payeeBic : t.creditorBic;
    v["iban"] = iban.value_or("");
    v["bic"] = bic.value_or("");
    v["payee_name"] = d.payeeName && !d.payeeName->empty() ? *d.payeeName : t.creditorName;
    data.flags["has_iban"] = iban && !iban->empty();
    data.flags["has_bic"] = bic && !bic->empty();
    std::string ref = d.paymentReference.value_or("");
    if (ref.empty() && d.ogm && d.ogm->size() == 12) ref = parsers::refs::formatOgm(*d.ogm);
    v["payment_reference"] = ref;
    data.flags["has_reference"] = !ref.empty();
    v["link"] = t.link;

    // The legal amounts of the regime, for the texts that announce or claim them.
    const core::Money open(d.openMinor - d.chargesOwedMinor, d.currency);  // the principal
    const auto regime = regimeOf(d);
    data.flags["b2b"] = !core::isConsumerRegime(regime);
    if (d.currency == "EUR") {
        if (auto cap = core::BelgianConsumerRules::damagesCap(open)) {
            v["damages_amount"] = core::formatAmount(l, cap->amount);
            v["total_with_damages"] = core::formatAmount(l, open + cap->amount);
        }
        if (auto bik = core::DutchRules::bik(open)) {
            v["bik_amount"] = core::formatAmount(l, bik->scale);
            v["total_with_bik"] = core::formatAmount(l, open + bik->scale);
        }
        const auto comp = regimeCountry(regime) == core::Country::NL ? core::DutchRules::commercialMinimumCompensation()
                                                                    : core::BelgianBusinessRules::fixedCompensation();
        if (!core::isConsumerRegime(regime)) {
            v["compensation_amount"] = core::formatAmount(l, comp.amount);
            v["legal_basis"] = comp.basis;
            data.flags["has_compensation"] = true;
        }
    }
    return data;
}

std::optional<core::Money> claimableCosts(const store::dunning::Candidate& d, const core::Action& a) {
    if (!a.maxCharge || a.maxCharge->amount.minor() <= 0 || !core::needsEndedTerm(a.effect)) return std::nullopt;
    const std::int64_t more = a.maxCharge->amount.minor() - d.costsClaimedMinor;
    if (more <= 0) return std::nullopt;
    return core::Money(more, a.maxCharge->amount.currency());
}

void addStepFields(core::TemplateData& data, const DossierTexts& t, core::Language l, const core::Action& a,
                   const std::optional<core::CivilDate>& previousSend) {
    auto& v = data.values;
    const auto& d = t.dossier;
    if (a.term) {
        v["term_first_day"] = core::formatDate(l, a.term->firstDay);
        v["deadline"] = core::formatDate(l, a.term->lastDay);
        v["charges_from"] = core::formatDate(l, a.term->chargesFrom);
    } else {
        v["deadline"] = core::formatDate(l, a.date.plusDays(14));
    }
    data.flags["has_costs"] = false;
    if (const auto costs = claimableCosts(d, a)) {
        v["costs_amount"] = core::formatAmount(l, *costs);
        v["legal_basis"] = a.maxCharge->basis;
        v["total_amount"] = core::formatAmount(l, core::Money(d.openMinor, d.currency) + *costs);
        data.flags["has_costs"] = true;
    } else {
        v["total_amount"] = v["open_amount"];
    }
    data.flags["has_previous"] = previousSend.has_value();
    if (previousSend) v["previous_date"] = core::formatDate(l, *previousSend);
}

}  // namespace duegate::services::dunning
