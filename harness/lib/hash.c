/*
 * hash.c: content hashes (import dedup, kernel ids) and the alert
 * webhook's signature, with libcrypto.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <limits.h>
#include <stdio.h>
#include <zlib.h>

#include "lib/util.h"
#include "lib/hash.h"

void
kb_sha256_hex(const void *buf, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int i, mdlen = 0;

	if (EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32) {
		kb_warnx("sha256 failed");
		out[0] = '\0';
		return;
	}
	for (i = 0; i < mdlen; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

void
kb_hmac_sha256_hex(const void *key, size_t klen, const void *buf,
    size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int i, mdlen = 0;

	if (klen > (size_t)INT_MAX || HMAC(EVP_sha256(), key, (int)klen,
	    buf, len, md, &mdlen) == NULL || mdlen != 32) {
		kb_warnx("hmac-sha256 failed");
		out[0] = '\0';
		return;
	}
	for (i = 0; i < mdlen; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

uint32_t
kb_crc32(const void *buf, size_t len)
{
	uLong c = crc32(0L, Z_NULL, 0);

	/* zlib takes a uInt length; feed large buffers in pieces. */
	while (len > 0) {
		uInt n = len > 1U << 30 ? 1U << 30 : (uInt)len;

		c = crc32(c, buf, n);
		buf = (const unsigned char *)buf + n;
		len -= n;
	}
	return (uint32_t)c;
}
