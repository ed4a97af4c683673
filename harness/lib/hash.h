/*
 * hash.h: SHA-256 (libcrypto) as hex, for import dedup and kernel ids;
 * CRC-32 (zlib) for the agent's framed lines, the spool and labels.
 */
#ifndef LIB_HASH_H
#define LIB_HASH_H

#include <stddef.h>
#include <stdint.h>

/* SHA-256 of a buffer as 64 hex digits (out: 65 bytes). */
void	 kb_sha256_hex(const void *, size_t, char out[65]);

/*
 * HMAC-SHA256 of a buffer under key, as 64 hex digits (out: 65 bytes;
 * "" on failure): the alert webhook's X-Kbench-Signature.
 */
void	 kb_hmac_sha256_hex(const void *key, size_t klen, const void *,
	    size_t, char out[65]);
/*
 * CRC-32 of a buffer, zlib's (reflected IEEE 802.3): the same sum the
 * standalone agent computes with its own table.
 */
uint32_t kb_crc32(const void *, size_t);

#endif /* LIB_HASH_H */
