#include "gateway/core/PhoneNumber.h"

#include <boost/test/unit_test.hpp>

using duegate::core::normalizePhone;

BOOST_AUTO_TEST_SUITE(phone_number)

BOOST_AUTO_TEST_CASE(national_and_international_forms_become_e164) {
    BOOST_TEST(normalizePhone("0470 12 34 56").value_or("") == "+32470123456");
    BOOST_TEST(normalizePhone("+32 (0)470/12.34.56").value_or("") == "+32470123456");
    BOOST_TEST(normalizePhone("0032470123456").value_or("") == "+32470123456");
    BOOST_TEST(normalizePhone("06-12345678", "NL").value_or("") == "+31612345678");
    BOOST_TEST(normalizePhone("+15005550006").value_or("") == "+15005550006");
}

BOOST_AUTO_TEST_CASE(garbage_is_refused) {
    BOOST_TEST(!normalizePhone(""));
    BOOST_TEST(!normalizePhone("call me"));
    BOOST_TEST(!normalizePhone("12345"));
    BOOST_TEST(!normalizePhone("0470123456", "US"));
    BOOST_TEST(!normalizePhone("+1234567890123456"));
}

BOOST_AUTO_TEST_SUITE_END()
