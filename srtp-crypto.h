/* srtp-crypto.h
 * SRTP and SRTCP unprotection (RFC 3711) for the AES_CM_128_HMAC_SHA1_80
 * and _32 suites of SDES (RFC 4568): key derivation, AES counter mode,
 * HMAC-SHA1 authentication and rollover counter estimation.  Pure
 * functions over byte buffers on top of libgcrypt (through wsutil's
 * wrapper), with no epan dependency, so that the test vectors run through
 * this very code (test/srtp_vectors.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef SRTP_CRYPTO_H
#define SRTP_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <wsutil/wsgcrypt.h>

#define SRTP_MASTER_KEY_LEN     16U     /* AES-128 */
#define SRTP_MASTER_SALT_LEN    14U     /* 112 bits, RFC 3711 8.2 */
#define SRTP_SESSION_KEY_LEN    16U
#define SRTP_SESSION_AUTH_LEN   20U     /* HMAC-SHA1 key, RFC 3711 8.2 */
#define SRTP_SESSION_SALT_LEN   14U
#define SRTP_TAG_LEN_80         10U
#define SRTP_TAG_LEN_32         4U
#define SRTP_MAX_MKI_LEN        4U      /* the largest MKI tried (and the largest SDES declares in practice) */
#define SRTP_RTP_HEADER_LEN     12U
#define SRTCP_HEADER_LEN        8U      /* header and sender SSRC, sent in clear */
#define SRTCP_INDEX_LEN         4U      /* E flag and 31-bit index */

/* RFC 3711 4.3.1 key derivation labels. */
#define SRTP_LABEL_RTP_ENC      0x00
#define SRTP_LABEL_RTP_AUTH     0x01
#define SRTP_LABEL_RTP_SALT     0x02
#define SRTP_LABEL_RTCP_ENC     0x03
#define SRTP_LABEL_RTCP_AUTH    0x04
#define SRTP_LABEL_RTCP_SALT    0x05

typedef enum {
    SRTP_OK,
    SRTP_ERR_MALFORMED,     /* too short for the header, MKI and tag */
    SRTP_ERR_AUTH,          /* the authentication tag does not verify */
    SRTP_ERR_CRYPTO         /* libgcrypt refused */
} srtp_status_t;

/* The session keys of one direction of SRTP or of SRTCP, with the
 * libgcrypt handles keyed once. */
typedef struct {
    gcry_cipher_hd_t cipher;    /* AES-128 in counter mode, session encryption key */
    gcry_mac_hd_t    mac;       /* HMAC-SHA1, session authentication key */
    uint8_t          salt[SRTP_SESSION_SALT_LEN];
    bool             ready;
} srtp_session_t;

/* RFC 3711 4.3.1 with a key derivation rate of 0 (r = 0): out_len bytes of
 * AES-CM keystream under the master key, IV = (label * 2^48 XOR salt) * 2^16. */
bool srtp_kdf(const uint8_t master_key[SRTP_MASTER_KEY_LEN], const uint8_t master_salt[SRTP_MASTER_SALT_LEN],
              uint8_t label, uint8_t *out, size_t out_len);

/* Derives the SRTP (rtcp false) or SRTCP session keys and keys the
 * handles (one AES handle keyed with the master key runs the three
 * derivations).  srtp_session_free() releases them. */
bool srtp_session_init(srtp_session_t *session, const uint8_t master_key[SRTP_MASTER_KEY_LEN],
                       const uint8_t master_salt[SRTP_MASTER_SALT_LEN], bool rtcp);
void srtp_session_free(srtp_session_t *session);

/* RFC 3711 4.1.1: IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16),
 * with pkt_index the packet's SRTP or SRTCP index. */
void srtp_make_iv(const uint8_t salt[SRTP_SESSION_SALT_LEN], uint32_t ssrc, uint64_t pkt_index, uint8_t iv[16]);

/* XORs len bytes of AES-CM keystream (counter starting at iv) into buf. */
bool srtp_aes_cm(gcry_cipher_hd_t cipher, const uint8_t iv[16], uint8_t *buf, size_t len);

/* RFC 3711 3.3.1 and Appendix A: the rollover counter of a packet with
 * sequence number seq, given the highest sequence number s_l received so
 * far in rollover period roc. */
uint32_t srtp_estimate_roc(uint32_t roc, uint16_t s_l, uint16_t seq);

/* Length of the RTP header (fixed part, CSRCs, extension) of pkt, or 0
 * when it does not fit in len bytes. */
size_t srtp_rtp_header_len(const uint8_t *pkt, size_t len);

/* Checks the tag of an SRTP packet of len bytes whose last tag_len bytes
 * are the tag, preceded by mki_len bytes of MKI, for rollover counter roc. */
srtp_status_t srtp_rtp_verify(srtp_session_t *session, const uint8_t *pkt, size_t len, size_t tag_len,
                              size_t mki_len, uint32_t roc);

/* Decrypts an SRTP packet whose tag has been verified (srtp_rtp_verify()).
 * out receives the RTP packet (the header and the plaintext payload,
 * without MKI and tag) and must hold len bytes; *out_len is its length. */
srtp_status_t srtp_rtp_decrypt(srtp_session_t *session, const uint8_t *pkt, size_t len, size_t tag_len,
                               size_t mki_len, uint32_t roc, uint8_t *out, size_t *out_len);

/* Checks the tag of an SRTCP packet (RFC 3711 3.4): the E flag and index,
 * then mki_len bytes of MKI and tag_len bytes of tag, end it. */
srtp_status_t srtcp_verify(srtp_session_t *session, const uint8_t *pkt, size_t len, size_t tag_len,
                           size_t mki_len);

/* Decrypts (when the E flag is set) an SRTCP packet whose tag has been
 * verified (srtcp_verify()).  out receives the compound RTCP packet without
 * the SRTCP trailer and must hold len bytes; *srtcp_index and *encrypted
 * return the SRTCP index and E flag. */
srtp_status_t srtcp_decrypt(srtp_session_t *session, const uint8_t *pkt, size_t len, size_t tag_len,
                            size_t mki_len, uint8_t *out, size_t *out_len, uint32_t *srtcp_index, bool *encrypted);

#endif /* SRTP_CRYPTO_H */
