#include "util/utf8.h"

#include <catch2/catch.hpp>
#include <string>

using namespace qdrift;

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
