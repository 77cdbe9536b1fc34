// Worked examples from LEGAL.md sections 3 and 5, with the arithmetic written out.
#include "parsers/refs/Iban.h"
#include "parsers/refs/Mod97.h"
#include "parsers/refs/Ogm.h"
#include "parsers/refs/Rf.h"

#include <boost/test/unit_test.hpp>

using namespace duegate::parsers::refs;

BOOST_AUTO_TEST_SUITE(mod97_remainder)

BOOST_AUTO_TEST_CASE(reads_digits_and_letters_as_iso7064_numbers) {
    BOOST_TEST(*mod97("1234567890") == 2);     // 1234567890 = 97 * 12727504 + 2
    BOOST_TEST(*mod97("97") == 0);
    BOOST_TEST(*mod97("RF") == 2715 % 97);     // R=27, F=15 -> 2715 = 97 * 27 + 96
    BOOST_TEST(*mod97("rf") == *mod97("RF"));  // case-insensitive
}

BOOST_AUTO_TEST_CASE(refuses_anything_but_ascii_alphanumerics) {
    BOOST_TEST(!mod97("").has_value());
    BOOST_TEST(!mod97("12 34").has_value());
    BOOST_TEST(!mod97("12-34").has_value());
    BOOST_TEST(!mod97("\xc3\xa9").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(ogm)

BOOST_AUTO_TEST_CASE(generates_check_digits_with_97_for_a_zero_remainder) {
    // 1234567890 mod 97 = 2 -> check 02
    BOOST_TEST(*ogmFromBase("1234567890") == "+++123/4567/89002+++");
    // 0000000097 mod 97 = 0 -> check 97
    BOOST_TEST(*ogmFromBase("0000000097") == "+++000/0000/09797+++");
    // 2025000123 = 97 * 20876289 + 90 -> check 90
    BOOST_TEST(*ogmFromBase("2025000123") == "+++202/5000/12390+++");
    BOOST_TEST(!ogmFromBase("123456789").has_value());
    BOOST_TEST(!ogmFromBase("12345678901").has_value());
    BOOST_TEST(!ogmFromBase("12345678a0").has_value());
}

BOOST_AUTO_TEST_CASE(parses_framed_starred_bare_and_spaced_forms) {
    BOOST_TEST(*parseOgm("+++123/4567/89002+++") == "123456789002");
    BOOST_TEST(*parseOgm("***123/4567/89002***") == "123456789002");
    BOOST_TEST(*parseOgm("123456789002") == "123456789002");
    BOOST_TEST(*parseOgm(" +++ 123 / 4567 / 89002 +++ ") == "123456789002");
    BOOST_TEST(*parseOgm("010806817183") == "010806817183");  // Febelfin: 0108068171 mod 97 = 83
}

BOOST_AUTO_TEST_CASE(rejects_wrong_check_digits_and_broken_frames) {
    BOOST_TEST(!parseOgm("+++123/4567/89003+++").has_value());
    BOOST_TEST(!parseOgm("+++123/4567/89002").has_value());
    BOOST_TEST(!parseOgm("+++123/4567/89002***").has_value());
    BOOST_TEST(!parseOgm("12345678900").has_value());
    BOOST_TEST(!parseOgm("1234567890002").has_value());
    BOOST_TEST(!parseOgm("000000000000").has_value());  // 0 mod 97 = 0 -> check must be 97
    BOOST_TEST(isValidOgmDigits("000000009797"));
    BOOST_TEST(!isValidOgmDigits("12345678900a"));
}

BOOST_AUTO_TEST_CASE(formats_twelve_digits_in_the_bank_layout) {
    BOOST_TEST(formatOgm("202500012390") == "+++202/5000/12390+++");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rf)

BOOST_AUTO_TEST_CASE(generates_iso11649_check_digits) {
    // "2348231RF00" -> 2348231271500 mod 97 = 27 -> 98 - 27 = 71 (ISO 11649 Annex B)
    BOOST_TEST(*rfFromReference("2348231") == "RF712348231");
    // "DUN2025000123RF00" -> D=13 U=30 N=23: 132923 2025000123 2715 00 mod 97 = 3 -> 98 - 3 = 95
    BOOST_TEST(*rfFromReference("DUN2025000123") == "RF95DUN2025000123");
    BOOST_TEST(*rfFromReference("dun2025000123") == "RF95DUN2025000123");
    BOOST_TEST(!rfFromReference("").has_value());
    BOOST_TEST(!rfFromReference("1234567890123456789012").has_value());  // 22 > 21
    BOOST_TEST(!rfFromReference("AB-12").has_value());
}

BOOST_AUTO_TEST_CASE(parses_printed_forms_and_validates) {
    BOOST_TEST(*parseRf("RF71 2348 231") == "RF712348231");
    BOOST_TEST(*parseRf("rf95dun2025000123") == "RF95DUN2025000123");
    BOOST_TEST(!parseRf("RF722348231").has_value());
    BOOST_TEST(!parseRf("XX712348231").has_value());
    BOOST_TEST(!parseRf("RF71").has_value());
    BOOST_TEST(!parseRf("RF71-2348231").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(iban)

BOOST_AUTO_TEST_CASE(validates_the_worked_belgian_example) {
    // BE68 5390 0754 7034: 539007547034 1114 68 mod 97 = 1 (ISO), and 5390075470 mod 97 = 34 (national)
    BOOST_TEST(*normalizeIban("BE68 5390 0754 7034") == "BE68539007547034");
    BOOST_TEST(*normalizeIban("be68539007547034") == "BE68539007547034");
    BOOST_TEST(isValidBelgianAccount("539007547034"));
}

BOOST_AUTO_TEST_CASE(validates_other_countries_by_length_and_mod97) {
    for (const char* ok : {"NL91ABNA0417164300", "DE89370400440532013000", "GB29NWBK60161331926819",
                           "LU280019400644750000", "CH9300762011623852957"})
        BOOST_TEST(isValidIban(ok), ok);
}

BOOST_AUTO_TEST_CASE(rejects_wrong_checks_lengths_and_countries) {
    BOOST_TEST(!isValidIban("BE69539007547034"));       // ISO check off by one
    BOOST_TEST(!isValidIban("BE6853900754703"));        // 15 chars, BE needs 16
    BOOST_TEST(!isValidIban("NL91ABNA04171643001"));    // 19 chars, NL needs 18
    BOOST_TEST(!isValidIban("ZZ68539007547034"));       // unknown country
    BOOST_TEST(!isValidIban("BE68-5390-0754-7034"));
    BOOST_TEST(!isValidIban(""));
    BOOST_TEST(ibanLength("BE").value() == 16);
    BOOST_TEST(!isValidBelgianAccount("539007547035"));
}

BOOST_AUTO_TEST_CASE(applies_the_belgian_national_check_as_well) {
    // A BE IBAN whose ISO check passes but whose national check fails: BBAN 000000000000 has
    // national check 00 (0 mod 97 -> 97 expected). Compute an ISO-valid check for it:
    // 000000000000 BE00 -> 0 1114 00 = 111400 mod 97 = 44 -> 98 - 44 = 54.
    BOOST_TEST(!isValidIban("BE54000000000000"));
    // BBAN 000000009797 passes the national check (0 -> 97); ISO: 9797111400 mod 97 = 44 -> 54.
    BOOST_TEST(isValidIban("BE54000000009797"));
}

BOOST_AUTO_TEST_SUITE_END()
