/* Unit tests for lib/utf8.c: well-formedness by RFC 3629, and counts. */
#include <string.h>

#include "test.h"
#include "utf8.h"

#define BAD(s) utf8_bad((s), sizeof(s) - 1)

int
main(void)
{
	/* Long ASCII runs (the eight-byte path) and their ends. */
	CHECK(BAD("") == 0);
	CHECK(BAD("customer_id,amount,store") == 24);
	CHECK(BAD("0123456789abcdef\xff") == 16);
	CHECK(BAD("01234567\x80") == 8);
	/* ASCII in front of a character within eight bytes: skipped at once. */
	CHECK(BAD("abc\xff" "defghijk") == 3);
	CHECK(BAD("abcdefg\xe4\xbc\x9a" "hijklmnop") == 19);
	CHECK(BAD("VIP,\xe6\x95\xa3\xe5\xae\xa2,BJ002,G0099,\xc0\x80") == 23);
	CHECK(BAD("2026/8/24,\xe7\xba\xaf\xe6\xa3\x89 T\xe6\x81\xa4,1\xe4\xbc") == 23);
	/* Two, three and four bytes. */
	CHECK(BAD("\xc2\xa9 2026") == 7);
	CHECK(BAD("会员卡号") == 12);
	CHECK(BAD("门店 SH01 \xf0\x9f\x91\x97") == 16);
	CHECK(utf8_valid("實收金額", strlen("實收金額")));
	/* Overlong forms, surrogates, above U+10FFFF. */
	CHECK(BAD("a\xc0\x80") == 1);
	CHECK(BAD("a\xc1\xbf") == 1);
	CHECK(BAD("ab\xe0\x80\x80") == 2);
	CHECK(BAD("\xe0\xa0\x80") == 3);
	CHECK(BAD("\xed\xa0\x80") == 0);
	CHECK(BAD("\xed\x9f\xbf") == 3);
	CHECK(BAD("\xf0\x8f\xbf\xbf") == 0);
	CHECK(BAD("\xf4\x8f\xbf\xbf") == 4);
	CHECK(BAD("\xf4\x90\x80\x80") == 0);
	CHECK(BAD("\xf5\x80\x80\x80") == 0);
	/* Cut short, or a lone continuation byte. */
	CHECK(BAD("ok\xe4\xbc") == 2);
	CHECK(BAD("ok\xe4") == 2);
	CHECK(BAD("\xbc") == 0);
	/* GBK is not UTF-8: "会员" in GBK. */
	CHECK(BAD("\xbb\xe1\xd4\xb1") == 0);
	CHECK(!utf8_valid("\xbb\xe1\xd4\xb1", 4));
	/* Characters, not bytes. */
	CHECK(utf8_len("", 0) == 0);
	CHECK(utf8_len("abc", 3) == 3);
	CHECK(utf8_len("会员 A", strlen("会员 A")) == 4);
	CHECK(utf8_len("\xf0\x9f\x91\x97", 4) == 1);
	/* Full-width forms as ASCII: ！ＡＺａｚ０９～ and others as they are. */
	{
		const char *fw = "\xef\xbc\x81\xef\xbc\xa1\xef\xbc\xba"
		    "\xef\xbd\x81\xef\xbd\x9a\xef\xbc\x90\xef\xbc\x99"
		    "\xef\xbd\x9e\xef\xbd\x9f\xef\xbc\x80" "会x\xef\xbc";
		char d[64];
		size_t k = utf8_halfwidth(d, fw, strlen(fw));

		CHECK(k == 8 + 6 + strlen("会x") + 2);
		CHECK(memcmp(d, "!AZaz09~\xef\xbd\x9f\xef\xbc\x80会x\xef\xbc",
		    k) == 0);
	}
	return test_summary();
}
