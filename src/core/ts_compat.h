/*-
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * ts_compat.h -- the one place where the portable core picks its headers.
 *
 * The core builds three ways: inside the FreeBSD kernel (_KERNEL), as a
 * freestanding object for the compile check (TCPSTATS_FREESTANDING), and
 * as an ordinary userland library.  It needs nothing beyond memcpy,
 * memset, memcmp and strlen, which all three provide.
 */

#ifndef _TS_COMPAT_H_
#define	_TS_COMPAT_H_

#ifdef _KERNEL
#include <sys/param.h>
#include <sys/systm.h>
#elif defined(TCPSTATS_FREESTANDING)
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void	*memcpy(void *, const void *, size_t);
void	*memset(void *, int, size_t);
int	 memcmp(const void *, const void *, size_t);
size_t	 strlen(const char *);
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#endif

/* ASCII only: the filter language has no locale. */
static inline unsigned char
ts_tolower(unsigned char c)
{

	return ((unsigned char)(c - 'A') < 26 ? (unsigned char)(c + 32) : c);
}

static inline bool
ts_isdigit(unsigned char c)
{

	return ((unsigned char)(c - '0') < 10);
}

/*
 * Copy at most size - 1 bytes of src and NUL-terminate; src need not be
 * terminated within size bytes.  Returns the bytes copied.
 */
static inline size_t
ts_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n;

	if (size == 0)
		return (0);
	for (n = 0; n + 1 < size && src[n] != '\0'; n++)
		dst[n] = src[n];
	dst[n] = '\0';
	return (n);
}

/* Length of s, but look at no more than max bytes. */
static inline size_t
ts_strnlen(const char *s, size_t max)
{
	size_t n;

	for (n = 0; n < max && s[n] != '\0'; n++)
		continue;
	return (n);
}

#endif /* !_TS_COMPAT_H_ */
