// The payment matcher's rules and the cases of issue 9 that must come out right.
#include "gateway/core/PaymentReference.h"
#include "gateway/core/matching/MatchIndex.h"
#include "gateway/core/matching/NameSimilarity.h"
#include "gateway/core/matching/ReferenceScan.h"
#include "gateway/core/matching/Reversal.h"
#include "parsers/refs/Ogm.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace duegate::core::matching;
using duegate::core::ogmForNumber;
using duegate::core::rfForNumber;
using duegate::parsers::CivilDate;
using Kind = Verdict::Kind;

namespace {

// Dossier n: OGM of 2025000000 + n, debtor n, creditor 1, EUR, `open` cents.
Candidate dossier(std::int64_t id, std::int64_t open, std::int64_t debtor = 0) {
    Candidate c;
    c.dossierId = id;
    c.creditorId = 1;
    c.debtorId = debtor ? debtor : id;
    c.currency = "EUR";
    c.openMinor = open;
    c.paymentReference = *ogmForNumber(2025000000 + static_cast<std::uint64_t>(id));
    c.invoiceNumbers = {"INV-2025-" + std::to_string(1000 + id)};
    c.debtorName = "Debtor " + std::to_string(id);
    return c;
}

PaymentLine line(std::int64_t amount) {
    PaymentLine l;
    l.id = 1;
    l.amountMinor = amount;
    l.currency = "EUR";
    l.bookingDate = *CivilDate::fromYmd(2026, 11, 20);
    return l;
}

std::string ogmOf(std::int64_t id) { return *ogmForNumber(2025000000 + static_cast<std::uint64_t>(id)); }

std::vector<Allocation> allocs(std::initializer_list<Allocation> a) { return a; }

}  // namespace

BOOST_AUTO_TEST_SUITE(matcher)

BOOST_AUTO_TEST_CASE(an_exact_ogm_pays_its_dossier_in_full) {
    MatchIndex index({dossier(7, 12500), dossier(8, 9900)});
    PaymentLine l = line(12500);
    l.reference = ogmOf(7);
    Verdict v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "apply");
    BOOST_TEST(v.rule == "structured_reference");
    BOOST_TEST(v.fields == std::vector<std::string>{"reference"});
    BOOST_TEST(v.allocations == allocs({{7, 12500}}));
    BOOST_TEST(v.surplusMinor == 0);
    BOOST_TEST(v.reason.find("paid in full") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(named_dossiers_are_what_references_invoice_numbers_and_text_point_at) {
    MatchIndex index({dossier(7, 12500), dossier(8, 9900), dossier(9, 500)});
    PaymentLine structured = line(12500);
    structured.reference = ogmOf(7);
    BOOST_TEST(index.namedDossiers(structured) == std::vector<std::int64_t>{7});
    PaymentLine text = line(100);
    text.remittance = "invoice INV-2025-1008, ogm " + ogmOf(9);
    auto named = index.namedDossiers(text);
    std::sort(named.begin(), named.end());
    BOOST_TEST(named == (std::vector<std::int64_t>{8, 9}));
    PaymentLine nothing = line(9900);
    nothing.counterpartyName = "Debtor 8";  // amount and name: a suggestion, not a name
    BOOST_TEST(index.namedDossiers(nothing).empty());
    PaymentLine debit = line(-12500);
    debit.reference = ogmOf(7);
    BOOST_TEST(index.namedDossiers(debit).empty());
}

BOOST_AUTO_TEST_CASE(an_rf_reference_of_the_dossier_matches_in_any_layout) {
    Candidate c = dossier(3, 5000);
    c.paymentReference = *rfForNumber("DUN", 2025000123);  // RF95DUN2025000123
    MatchIndex index({c});
    PaymentLine l = line(5000);
    l.reference = "rf95 dun2 0250 0012 3";
    Verdict v = index.match(l);
    BOOST_TEST(v.rule == "structured_reference");
    BOOST_TEST(v.allocations == allocs({{3, 5000}}));
}

BOOST_AUTO_TEST_CASE(a_partial_payment_applies_the_line_amount_and_leaves_the_rest_open) {
    MatchIndex index({dossier(7, 12500)});
    PaymentLine l = line(5000);
    l.reference = ogmOf(7);
    Verdict v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "apply");
    BOOST_TEST(v.allocations == allocs({{7, 5000}}));
    BOOST_TEST(v.surplusMinor == 0);
    BOOST_TEST(v.reason.find("EUR 75.00 stays open") != std::string::npos);
    BOOST_TEST(index.applied(7, 5000));
    BOOST_TEST(*index.openMinor(7) == 7500);
}

BOOST_AUTO_TEST_CASE(an_overpayment_applies_the_open_amount_and_reports_the_surplus) {
    MatchIndex index({dossier(7, 12500)});
    PaymentLine l = line(13000);
    l.reference = ogmOf(7);
    Verdict v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "apply");  // the match is certain; the surplus is the caller's review task
    BOOST_TEST(v.allocations == allocs({{7, 12500}}));
    BOOST_TEST(v.surplusMinor == 500);
    BOOST_TEST(v.reason.find("overpaid by EUR 5.00") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(several_lines_pay_one_dossier_each_up_to_the_then_open_amount) {
    MatchIndex index({dossier(7, 10000)});
    PaymentLine l = line(6000);
    l.reference = ogmOf(7);
    Verdict first = index.match(l);
    BOOST_TEST(first.allocations == allocs({{7, 6000}}));
    BOOST_TEST(index.applied(7, 6000));
    Verdict second = index.match(l);
    BOOST_TEST(second.allocations == allocs({{7, 4000}}));
    BOOST_TEST(second.surplusMinor == 2000);
    BOOST_TEST(index.applied(7, 4000));
    // A third payment finds nothing open: review, the whole line is surplus.
    Verdict third = index.match(l);
    BOOST_TEST(kindName(third.kind) == "review");
    BOOST_TEST(third.allocations.empty());
    BOOST_TEST(third.surplusMinor == 6000);
    BOOST_TEST(third.suggestions.size() == 1u);
    // Booking more than is open is refused; giving back (an undo) is fine.
    BOOST_TEST(!index.applied(7, 1));
    BOOST_TEST(index.applied(7, -4000));
    BOOST_TEST(*index.openMinor(7) == 4000);
    BOOST_TEST(!index.applied(999, 1));
}

BOOST_AUTO_TEST_CASE(an_ogm_in_free_text_is_found_despite_spaces_slashes_plus_and_stars) {
    MatchIndex index({dossier(7, 12500)});
    std::string digits = *duegate::parsers::refs::parseOgm(ogmOf(7));  // 12 digits
    std::string spaced = digits.substr(0, 3) + " / " + digits.substr(3, 4) + " / " + digits.substr(7);
    for (std::string text : {"Betaling +++ " + spaced + " +++ dank u", "ref ***" + digits.substr(0, 3) + "/" +
                                 digits.substr(3, 4) + "/" + digits.substr(7) + "***", "mededeling " + digits,
                             "factuur " + digits.substr(0, 3) + "." + digits.substr(3, 4) + "." + digits.substr(7)}) {
        PaymentLine l = line(12500);
        l.remittance = text;
        Verdict v = index.match(l);
        BOOST_TEST_CONTEXT(text) {
            BOOST_TEST(v.rule == "reference_in_text");
            BOOST_TEST(v.fields == std::vector<std::string>{"remittance"});
            BOOST_TEST(v.allocations == allocs({{7, 12500}}));
        }
    }
}

BOOST_AUTO_TEST_CASE(an_ogm_without_its_check_digits_applies_only_when_the_amount_fits) {
    MatchIndex index({dossier(7, 12500)});
    std::string base = std::to_string(2025000007);
    PaymentLine l = line(12500);
    l.remittance = "dossier " + base;
    Verdict v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "apply");
    BOOST_TEST(v.rule == "reference_in_text");
    BOOST_TEST(v.reason.find("check digits missing") != std::string::npos);
    l.amountMinor = 20000;  // more than is open: not certain enough
    v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "suggest");
    BOOST_TEST(v.suggestions.size() == 1u);
    BOOST_TEST(v.suggestions[0].dossierId == 7);
}

BOOST_AUTO_TEST_CASE(a_longer_number_holding_the_digits_is_not_a_reference) {
    MatchIndex index({dossier(7, 12500)});
    std::string digits = *duegate::parsers::refs::parseOgm(ogmOf(7));
    PaymentLine l = line(12500);
    l.remittance = "9" + digits + "1";
    BOOST_TEST(kindName(index.match(l).kind) == "unmatched");
}

BOOST_AUTO_TEST_CASE(an_rf_in_free_text_needs_its_check_digits) {
    Candidate c = dossier(3, 5000);
    c.paymentReference = "RF18539007547034";
    MatchIndex index({c});
    PaymentLine l = line(5000);
    l.remittance = "Invoice payment RF18 5390 0754 7034 thank you";
    Verdict v = index.match(l);
    BOOST_TEST(v.rule == "reference_in_text");
    BOOST_TEST(v.allocations == allocs({{3, 5000}}));
    l.remittance = "Invoice payment RF19 5390 0754 7034";
    BOOST_TEST(kindName(index.match(l).kind) == "unmatched");
}

BOOST_AUTO_TEST_CASE(an_invoice_number_matches_as_a_whole_token_only) {
    MatchIndex index({dossier(7, 12500), dossier(8, 3000)});
    PaymentLine l = line(12500);
    l.remittance = "Factuur nr.INV-2025-1007, bedankt";
    Verdict v = index.match(l);
    BOOST_TEST(v.rule == "invoice_number");
    BOOST_TEST(v.fields == std::vector<std::string>{"remittance"});
    BOOST_TEST(v.allocations == allocs({{7, 12500}}));
    l.remittance = "Factuur INV-2025-10071";
    BOOST_TEST(kindName(index.match(l).kind) == "unmatched");
    l.remittance = "Factuur XINV-2025-1007";
    BOOST_TEST(kindName(index.match(l).kind) == "unmatched");
}

BOOST_AUTO_TEST_CASE(one_line_paying_several_dossiers_of_one_debtor_is_allocated_in_the_order_written) {
    MatchIndex index({dossier(7, 10000, 42), dossier(8, 5000, 42), dossier(9, 2500, 42)});
    PaymentLine l = line(12000);
    l.remittance = "facturen " + ogmOf(8) + " en " + ogmOf(7);
    Verdict v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "apply");
    BOOST_TEST(v.rule == "reference_in_text");
    BOOST_TEST(v.allocations == allocs({{8, 5000}, {7, 7000}}));
    BOOST_TEST(v.surplusMinor == 0);
    // By invoice numbers too, with an overpayment.
    l.remittance = "INV-2025-1009 INV-2025-1008";
    l.amountMinor = 8000;
    v = index.match(l);
    BOOST_TEST(v.rule == "invoice_number");
    BOOST_TEST(v.allocations == allocs({{9, 2500}, {8, 5000}}));
    BOOST_TEST(v.surplusMinor == 500);
}

BOOST_AUTO_TEST_CASE(references_of_different_debtors_in_one_line_are_suggestions) {
    MatchIndex index({dossier(7, 10000), dossier(8, 5000)});
    PaymentLine l = line(15000);
    l.remittance = ogmOf(7) + " " + ogmOf(8);
    Verdict v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "suggest");
    BOOST_TEST(v.allocations.empty());
    BOOST_TEST(v.suggestions.size() == 2u);
}

BOOST_AUTO_TEST_CASE(an_invoice_number_of_two_creditors_is_narrowed_by_amount_or_suggested) {
    Candidate a = dossier(7, 10000), b = dossier(8, 5000);
    b.creditorId = 2;
    b.invoiceNumbers = a.invoiceNumbers;
    MatchIndex index({a, b});
    PaymentLine l = line(5000);
    l.remittance = "INV-2025-1007";
    Verdict v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "apply");
    BOOST_TEST(v.allocations == allocs({{8, 5000}}));
    BOOST_TEST(v.fields == (std::vector<std::string>{"remittance", "amount"}));
    l.amountMinor = 3000;
    v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "suggest");
    BOOST_REQUIRE(v.suggestions.size() == 2u);
    BOOST_TEST(v.suggestions[0].score >= v.suggestions[1].score);
    // A creditor's own account only sees that creditor's dossiers.
    l.creditorScope = 1;
    v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "apply");
    BOOST_TEST(v.allocations == allocs({{7, 3000}}));
}

BOOST_AUTO_TEST_CASE(our_end_to_end_id_matches) {
    Candidate c = dossier(7, 10000);
    c.endToEndId = "DG-7-2026";
    MatchIndex index({c});
    PaymentLine l = line(10000);
    l.endToEndId = "DG-7-2026";
    Verdict v = index.match(l);
    BOOST_TEST(v.rule == "end_to_end_id");
    BOOST_TEST(v.fields == std::vector<std::string>{"endToEndId"});
    BOOST_TEST(v.allocations == allocs({{7, 10000}}));
    l.endToEndId = "NOTPROVIDED";
    BOOST_TEST(kindName(index.match(l).kind) == "unmatched");
}

BOOST_AUTO_TEST_CASE(a_known_payer_iban_applies_only_with_an_amount_equal_to_what_is_open) {
    Candidate a = dossier(7, 10000, 42), b = dossier(8, 4000, 42);
    a.knownPayerIbans = b.knownPayerIbans = {"BE68 5390 0754 7034"};
    MatchIndex index({a, b});
    PaymentLine l = line(4000);
    l.counterpartyIban = "BE68539007547034";
    Verdict v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "apply");
    BOOST_TEST(v.rule == "payer_iban");
    BOOST_TEST(v.allocations == allocs({{8, 4000}}));
    l.amountMinor = 3000;
    v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "suggest");
    BOOST_TEST(v.rule == "payer_iban");
    BOOST_TEST(v.suggestions.size() == 2u);
    // A payer learnt later.
    l.counterpartyIban = "NL91ABNA0417164300";
    l.amountMinor = 10000;
    BOOST_TEST(index.match(l).rule != "payer_iban");
    index.addKnownPayerIban(7, "NL91ABNA0417164300");
    BOOST_TEST(index.match(l).allocations == allocs({{7, 10000}}));
}

BOOST_AUTO_TEST_CASE(a_similar_payer_name_and_amount_only_suggest_top_three) {
    std::vector<Candidate> cs;
    const char* names[] = {"Jan Peeters", "Peeters Jan BVBA", "J. Peeters", "Marie Peeters", "Karel Janssens"};
    for (int i = 0; i < 5; ++i) {
        Candidate c = dossier(10 + i, 2000 + i);
        c.debtorName = names[i];
        cs.push_back(c);
    }
    cs[1].openMinor = 7500;
    MatchIndex index(cs);
    PaymentLine l = line(7500);
    l.counterpartyName = "PEETERS JAN";
    Verdict v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "suggest");
    BOOST_TEST(v.rule == "amount_name");
    BOOST_TEST(v.fields == (std::vector<std::string>{"counterpartyName", "amount"}));
    BOOST_REQUIRE(!v.suggestions.empty());
    BOOST_TEST(v.suggestions.size() <= 3u);
    BOOST_TEST(v.suggestions[0].dossierId == 11);  // same name and the amount equals what is open
    for (const Suggestion& s : v.suggestions) BOOST_TEST(s.dossierId != 14);
    l.counterpartyName = "Someone Else";
    BOOST_TEST(kindName(index.match(l).kind) == "unmatched");
}

BOOST_AUTO_TEST_CASE(another_currency_goes_to_review) {
    MatchIndex index({dossier(7, 12500)});
    PaymentLine l = line(12500);
    l.currency = "USD";
    l.reference = ogmOf(7);
    Verdict v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "review");
    BOOST_TEST(v.rule == "currency");
    BOOST_TEST(v.allocations.empty());
    BOOST_TEST(v.suggestions.size() == 1u);
    BOOST_TEST(v.reason.find("USD") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_amount_not_exact_in_minor_units_is_never_applied) {
    MatchIndex index({dossier(7, 12500)});
    PaymentLine l = line(12500);
    l.exact = false;
    l.reference = ogmOf(7);
    Verdict v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "review");
    BOOST_TEST(v.allocations.empty());
    BOOST_TEST(v.suggestions.size() == 1u);
}

BOOST_AUTO_TEST_CASE(reversals_and_returns_say_undo_and_debits_are_not_payments) {
    MatchIndex index({dossier(7, 12500)});
    PaymentLine l = line(-12500);
    l.reversal = true;
    l.reference = ogmOf(7);
    BOOST_TEST(kindName(index.match(l).kind) == "undo");
    l.reversal = false;
    l.returnReason = "AC04";
    BOOST_TEST(kindName(index.match(l).kind) == "undo");
    l.returnReason.clear();
    Verdict v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "unmatched");
    BOOST_TEST(v.rule == "not_a_credit");
}

BOOST_AUTO_TEST_CASE(a_reversal_undoes_the_earlier_line_with_its_id_reference_or_iban) {
    auto day = [](int d) { return *CivilDate::fromYmd(2026, 11, d); };
    std::vector<PriorMatch> prior = {
        {101, 12500, "EUR", day(10), ogmOf(7), "", "E2E-A", "BE68539007547034"},
        {102, 12500, "EUR", day(12), "", "betaling " + ogmOf(8), "", "BE68539007547034"},
        {103, 12500, "EUR", day(14), "", "", "", "NL91ABNA0417164300"},
        {104, 9900, "EUR", day(15), ogmOf(7), "", "E2E-A", ""},
        {105, 12500, "EUR", day(25), ogmOf(7), "", "E2E-A", ""},  // after the reversal
    };
    PaymentLine r = line(-12500);
    r.reversal = true;
    r.endToEndId = "E2E-A";
    auto pick = pickReversedLine(r, prior);
    BOOST_REQUIRE(pick.has_value());
    BOOST_TEST(pick->lineId == 101);
    BOOST_TEST(pick->basis == "end_to_end_id");
    r.endToEndId.clear();
    r.remittance = "storno " + ogmOf(8);
    pick = pickReversedLine(r, prior);
    BOOST_TEST(pick->lineId == 102);
    BOOST_TEST(pick->basis == "reference");
    r.remittance.clear();
    r.counterpartyIban = "BE68539007547034";
    pick = pickReversedLine(r, prior);
    BOOST_TEST(pick->lineId == 102);  // the latest of 101 and 102
    BOOST_TEST(pick->basis == "counterparty_iban");
    r.counterpartyIban.clear();
    pick = pickReversedLine(r, prior);
    BOOST_TEST(pick->lineId == 103);
    BOOST_TEST(pick->basis == "amount");
    r.amountMinor = -100;
    BOOST_TEST(!pickReversedLine(r, prior).has_value());
    r.amountMinor = -12500;
    r.currency = "USD";
    BOOST_TEST(!pickReversedLine(r, prior).has_value());
}

BOOST_AUTO_TEST_CASE(nothing_found_is_unmatched_with_a_reason) {
    MatchIndex index({dossier(7, 12500)});
    PaymentLine l = line(4321);
    l.remittance = "gift";
    l.counterpartyName = "Nobody";
    Verdict v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "unmatched");
    BOOST_TEST(v.rule == "none");
    BOOST_TEST(!v.reason.empty());
}

BOOST_AUTO_TEST_CASE(a_paid_dossier_among_several_references_is_skipped_and_the_rest_allocated) {
    MatchIndex index({dossier(7, 0, 42), dossier(8, 5000, 42)});
    PaymentLine l = line(6000);
    l.remittance = ogmOf(7) + " " + ogmOf(8);
    Verdict v = index.match(l);
    BOOST_TEST(kindName(v.kind) == "apply");
    BOOST_TEST(v.allocations == allocs({{8, 5000}}));
    BOOST_TEST(v.surplusMinor == 1000);
}

BOOST_AUTO_TEST_CASE(a_reference_of_another_creditor_does_not_match_on_a_creditors_own_account) {
    Candidate c = dossier(7, 5000);
    c.creditorId = 2;
    MatchIndex index({c});
    PaymentLine l = line(5000);
    l.reference = ogmOf(7);
    l.creditorScope = 1;
    BOOST_TEST(kindName(index.match(l).kind) == "unmatched");
    l.creditorScope = 2;
    BOOST_TEST(kindName(index.match(l).kind) == "apply");
}

BOOST_AUTO_TEST_CASE(an_unknown_structured_reference_falls_through_to_the_remittance) {
    MatchIndex index({dossier(7, 5000)});
    PaymentLine l = line(5000);
    l.reference = *ogmForNumber(1234567890);  // valid, but no dossier has it
    l.remittance = "invoice INV-2025-1007";
    Verdict v = index.match(l);
    BOOST_TEST(v.rule == "invoice_number");
    BOOST_TEST(v.allocations == allocs({{7, 5000}}));
}

BOOST_AUTO_TEST_CASE(a_verdict_names_its_kind) {
    BOOST_TEST(kindName(Kind::Apply) == "apply");
    BOOST_TEST(kindName(Kind::Suggest) == "suggest");
    BOOST_TEST(kindName(Kind::Review) == "review");
    BOOST_TEST(kindName(Kind::Undo) == "undo");
    BOOST_TEST(kindName(Kind::Unmatched) == "unmatched");
}

BOOST_AUTO_TEST_CASE(the_reference_scanner_reports_every_reading_in_order) {
    std::string a = *duegate::parsers::refs::parseOgm(ogmOf(7));
    auto found = findReferences("RF18 5390 0754 7034 and +++" + a.substr(0, 3) + "/" + a.substr(3, 4) + "/" + a.substr(7) + "+++");
    BOOST_REQUIRE(found.size() >= 2u);
    BOOST_TEST(found[0].value == "RF18539007547034");
    bool hasOgm = false;
    for (auto& f : found) hasOgm |= f.kind == FoundReference::Kind::Ogm && f.value == a;
    BOOST_TEST(hasOgm);
    BOOST_TEST(*canonicalReference("+++" + a.substr(0, 3) + "/" + a.substr(3, 4) + "/" + a.substr(7) + "+++") == a);
    BOOST_TEST(!canonicalReference("hello").has_value());
}

BOOST_AUTO_TEST_CASE(names_fold_accents_legal_forms_and_case) {
    BOOST_TEST(foldName("Bakkerij Peeters BVBA") == "bakkerij peeters");
    BOOST_TEST(foldName("Ça Dépend S.A.") == "ca depend s a");
    BOOST_TEST(foldName("Müller-Lüdenscheidt GmbH") == "muller ludenscheidt");
    BOOST_TEST(nameSimilarity("jan peeters", "jan peeters") == 100);
    BOOST_TEST(nameSimilarity("jan peeters", "peeters jan") > 60);
    BOOST_TEST(nameSimilarity("jan peeters", "karel janssens") < 40);
}

BOOST_AUTO_TEST_SUITE_END()
