#include "util/utf8.h"

#include <catch2/catch.hpp>
#include <string>

using namespace qdrift;

TEST_CASE("utf8 sequences are measured and malformed ones refused", "[utf8]") {
  CHECK(utf8_sequence_size("a", 0) == 1);
  CHECK(utf8_sequence_size("\xC3\xA9", 0) == 2);          // é
  CHECK(utf8_sequence_size("\xE2\x82\xAC", 0) == 3);      // €
  CHECK(utf8_sequence_size("\xF0\x9F\x98\x80", 0) == 4);  // an emoji
  CHECK(utf8_sequence_size("\xC3", 0) == 0);              // cut by the end
  CHECK(utf8_sequence_size("\xC3(", 0) == 0);             // no continuation byte
  CHECK(utf8_sequence_size("\xA9", 0) == 0);              // a stray continuation byte
  CHECK(utf8_sequence_size("\xC0\xAF", 0) == 0);          // overlong '/'
  CHECK(utf8_sequence_size("\xED\xA0\x80", 0) == 0);      // a UTF-16 surrogate
  CHECK(utf8_sequence_size("\xF4\x90\x80\x80", 0) == 0);  // past U+10FFFF
  CHECK(first_invalid_utf8("caf\xC3\xA9 ok") == std::string_view::npos);
  CHECK(first_invalid_utf8("caf\xC3") == 3);
}

TEST_CASE("untrusted text is quoted as valid utf8 and cut between code points", "[utf8]") {
  CHECK(printable_utf8("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(printable_utf8("caf\xC3") == "caf\xEF\xBF\xBD");
  CHECK(printable_utf8("\xFF\xFEx") == "\xEF\xBF\xBD\xEF\xBF\xBDx");
  CHECK(utf8_prefix("caf\xC3\xA9", 4) == "caf");
  CHECK(utf8_prefix("caf\xC3\xA9", 5) == "caf\xC3\xA9");
  CHECK(utf8_prefix("abc", 10) == "abc");
  CHECK(utf8_prefix("\xE2\x82\xAC\xE2\x82\xAC", 5) == "\xE2\x82\xAC");
}

TEST_CASE("UTF-8 validation finds the first ill-formed byte", "[utf8]") {
  constexpr auto kValid = std::string_view::npos;
  CHECK(first_invalid_utf8("") == kValid);
  CHECK(first_invalid_utf8("plain ascii") == kValid);
  CHECK(first_invalid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80") == kValid);  // é € 😀
  CHECK(first_invalid_utf8(std::string("a\0b", 3)) == kValid);
  CHECK(first_invalid_utf8("ab\xFF") == 2);             // never a UTF-8 byte
  CHECK(first_invalid_utf8("\x80") == 0);               // continuation without a lead
  CHECK(first_invalid_utf8("x\xC0\xAF") == 1);          // overlong '/'
  CHECK(first_invalid_utf8("\xE0\x80\xAF") == 0);       // overlong three-byte form
  CHECK(first_invalid_utf8("ok\xED\xA0\x80") == 2);     // a UTF-16 surrogate
  CHECK(first_invalid_utf8("\xF4\x90\x80\x80") == 0);   // past U+10FFFF
  CHECK(first_invalid_utf8("\xC3(") == 0);              // lead without its continuation
  CHECK(first_invalid_utf8("end \xE2\x82") == 4);       // cut by the end of the text
}
