/*
 * utf8: checks and counts over UTF-8 text (see utf8.h).
 */
#include <stdint.h>
#include <string.h>

#include "utf8.h"

size_t
utf8_bad(const char *s, size_t n)
{
	const unsigned char *b = (const unsigned char *)s, *p = b, *e = b + n;
	uint64_t w;

	while (p < e) {
		/*
		 * Plain ASCII goes eight bytes at a time; before a character
		 * of Chinese text, the ASCII bytes in front of it go at once.
		 */
		if (e - p >= 8) {
			memcpy(&w, p, 8);
			w &= 0x8080808080808080ULL;
			if (w == 0) {
				p += 8;
				continue;
			}
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			p += __builtin_ctzll(w) >> 3;
#endif
		}
		if (*p < 0x80) {
			p++;
		} else if (*p >= 0xc2 && *p <= 0xdf) {
			if (e - p < 2 || (p[1] & 0xc0) != 0x80)
				break;
			p += 2;
		} else if (*p >= 0xe0 && *p <= 0xef) {
			if (e - p < 3 || (p[1] & 0xc0) != 0x80 ||
			    (p[2] & 0xc0) != 0x80 ||
			    (*p == 0xe0 && p[1] < 0xa0) ||
			    (*p == 0xed && p[1] > 0x9f))
				break;
			p += 3;
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			if (e - p < 4 || (p[1] & 0xc0) != 0x80 ||
			    (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80 ||
			    (*p == 0xf0 && p[1] < 0x90) ||
			    (*p == 0xf4 && p[1] > 0x8f))
				break;
			p += 4;
		} else
			break;
	}
	return p < e ? (size_t)(p - b) : n;
}

size_t
utf8_len(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			k++;
	return k;
}

size_t
utf8_halfwidth(char *dst, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k = 0;

	while (i < n) {
		/* U+FF01..U+FF3F is EF BC 81..BF, U+FF40..U+FF5E EF BD 80..9E */
		if (p[i] == 0xef && i + 2 < n && ((p[i + 1] == 0xbc &&
		    p[i + 2] >= 0x81 && p[i + 2] <= 0xbf) || (p[i + 1] == 0xbd &&
		    p[i + 2] >= 0x80 && p[i + 2] <= 0x9e))) {
			dst[k++] = (char)(p[i + 1] == 0xbc ? p[i + 2] - 0x60 :
			    p[i + 2] - 0x20);
			i += 3;
		} else
			dst[k++] = (char)p[i++];
	}
	return k;
}
