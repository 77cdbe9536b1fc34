#include "parsers/common/JsonWriter.h"
#include "parsers/common/Result.h"

#include <boost/test/unit_test.hpp>

using namespace duegate::parsers;

BOOST_AUTO_TEST_SUITE(json_writer)

BOOST_AUTO_TEST_CASE(writes_keys_in_caller_order_with_two_space_indent) {
    JsonWriter w;
    w.beginObject().field("b", "x").key("a").beginArray().value(1).value(true).null().endArray();
    w.key("e").beginObject().endObject().endObject();
    BOOST_TEST(w.str() == "{\n  \"b\": \"x\",\n  \"a\": [\n    1,\n    true,\n    null\n  ],\n  \"e\": {}\n}");
}

BOOST_AUTO_TEST_CASE(escapes_controls_and_replaces_invalid_utf8) {
    BOOST_TEST(JsonWriter::quote("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\n\\u0001\"");
    BOOST_TEST(JsonWriter::quote("caf\xC3\xA9") == "\"caf\xC3\xA9\"");
    BOOST_TEST(JsonWriter::quote("caf\xE9") == "\"caf\xEF\xBF\xBD\"");
    BOOST_TEST(JsonWriter::quote("\xC0\xAF") == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

BOOST_AUTO_TEST_CASE(located_errors_name_line_offset_and_field) {
    BOOST_TEST(errorAt(12, 1404, "amount", "not a decimal").toString() ==
               "line 12, byte 1404: field amount: not a decimal");
    BOOST_TEST(errorAtOffset(0, "format", "empty").toString() == "byte 0: field format: empty");
}

BOOST_AUTO_TEST_SUITE_END()
