/* srtp-crypto.c
 * SRTP and SRTCP unprotection (RFC 3711): AES-CM key derivation and
 * encryption, HMAC-SHA1 authentication, rollover counter estimation.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Specifications:
 *   RFC 3711  The Secure Real-time Transport Protocol (SRTP)
 *             3.3 SRTP packet processing, 3.3.1 packet index, 3.4 SRTCP,
 *             4.1.1 AES-CM, 4.2.1 HMAC-SHA1, 4.3 key derivation
 *   RFC 4568  SDP Security Descriptions (AES_CM_128_HMAC_SHA1_80 and _32)
 */

#include "srtp-crypto.h"

#include <string.h>

#define AES_BLOCK_LEN   16U
#define SHA1_LEN        20U

/* RFC 3711 4.3.1 with r = 0 under a cipher keyed with the master key. */
static bool
derive(gcry_cipher_hd_t cipher, const uint8_t master_salt[SRTP_MASTER_SALT_LEN], uint8_t label, uint8_t *out,
       size_t out_len)
{
    uint8_t iv[AES_BLOCK_LEN];

    /* key_id = label || r with r = 0 (48 bits), XORed into the low 56 bits
     * of the 112-bit salt; the IV is that value shifted left by 16. */
    memset(iv, 0, sizeof(iv));
    memcpy(iv, master_salt, SRTP_MASTER_SALT_LEN);
    iv[7] ^= label;
    memset(out, 0, out_len);
    return srtp_aes_cm(cipher, iv, out, out_len);
}

static bool
open_master_cipher(gcry_cipher_hd_t *cipher, const uint8_t master_key[SRTP_MASTER_KEY_LEN])
{
    if (gcry_cipher_open(cipher, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CTR, 0) != 0)
        return false;
    if (gcry_cipher_setkey(*cipher, master_key, SRTP_MASTER_KEY_LEN) != 0) {
        gcry_cipher_close(*cipher);
        return false;
    }
    return true;
}

bool
srtp_kdf(const uint8_t master_key[SRTP_MASTER_KEY_LEN], const uint8_t master_salt[SRTP_MASTER_SALT_LEN],
         uint8_t label, uint8_t *out, size_t out_len)
{
    gcry_cipher_hd_t cipher;
    bool ok;

    if (!open_master_cipher(&cipher, master_key))
        return false;
    ok = derive(cipher, master_salt, label, out, out_len);
    gcry_cipher_close(cipher);
    return ok;
}

bool
srtp_session_init(srtp_session_t *session, const uint8_t master_key[SRTP_MASTER_KEY_LEN],
                  const uint8_t master_salt[SRTP_MASTER_SALT_LEN], bool rtcp)
{
    uint8_t enc_key[SRTP_SESSION_KEY_LEN];
    uint8_t auth_key[SRTP_SESSION_AUTH_LEN];
    uint8_t base = rtcp ? SRTP_LABEL_RTCP_ENC : SRTP_LABEL_RTP_ENC;
    gcry_cipher_hd_t master;
    bool ok;

    memset(session, 0, sizeof(*session));
    if (!open_master_cipher(&master, master_key))
        return false;
    ok = derive(master, master_salt, base, enc_key, sizeof(enc_key)) &&
         derive(master, master_salt, base + 1, auth_key, sizeof(auth_key)) &&
         derive(master, master_salt, base + 2, session->salt, sizeof(session->salt));
    gcry_cipher_close(master);
    if (!ok)
        return false;
    if (gcry_cipher_open(&session->cipher, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CTR, 0) != 0)
        return false;
    if (gcry_mac_open(&session->mac, GCRY_MAC_HMAC_SHA1, 0, NULL) != 0) {
        gcry_cipher_close(session->cipher);
        return false;
    }
    ok = gcry_cipher_setkey(session->cipher, enc_key, sizeof(enc_key)) == 0 &&
         gcry_mac_setkey(session->mac, auth_key, sizeof(auth_key)) == 0;
    memset(enc_key, 0, sizeof(enc_key));
    memset(auth_key, 0, sizeof(auth_key));
    session->ready = true;
    if (!ok)
        srtp_session_free(session);
    return ok;
}

void
srtp_session_free(srtp_session_t *session)
{
    if (!session->ready)
        return;
    gcry_cipher_close(session->cipher);
    gcry_mac_close(session->mac);
    memset(session, 0, sizeof(*session));
}

void
srtp_make_iv(const uint8_t salt[SRTP_SESSION_SALT_LEN], uint32_t ssrc, uint64_t pkt_index, uint8_t iv[16])
{
    memset(iv, 0, AES_BLOCK_LEN);
    memcpy(iv, salt, SRTP_SESSION_SALT_LEN);
    for (unsigned i = 0; i < 4; i++)
        iv[4 + i] ^= (uint8_t)(ssrc >> (24 - 8 * i));
    for (unsigned i = 0; i < 6; i++)
        iv[8 + i] ^= (uint8_t)(pkt_index >> (40 - 8 * i));
}

bool
srtp_aes_cm(gcry_cipher_hd_t cipher, const uint8_t iv[16], uint8_t *buf, size_t len)
{
    if (len == 0)
        return true;
    return gcry_cipher_setctr(cipher, iv, AES_BLOCK_LEN) == 0 && gcry_cipher_encrypt(cipher, buf, len, NULL, 0) == 0;
}

uint32_t
srtp_estimate_roc(uint32_t roc, uint16_t s_l, uint16_t seq)
{
    if (s_l < 32768) {
        if (seq > s_l && seq - s_l > 32768 && roc > 0)
            return roc - 1;
        return roc;
    }
    if (seq < s_l - 32768)
        return roc + 1;
    return roc;
}

size_t
srtp_rtp_header_len(const uint8_t *pkt, size_t len)
{
    size_t header;

    if (len < SRTP_RTP_HEADER_LEN)
        return 0;
    header = SRTP_RTP_HEADER_LEN + 4U * (pkt[0] & 0x0F);
    if (header > len)
        return 0;
    if (pkt[0] & 0x10) {
        if (len - header < 4)
            return 0;
        header += 4 + 4U * (((size_t)pkt[header + 2] << 8) | pkt[header + 3]);
        if (header > len)
            return 0;
    }
    return header;
}

/* HMAC-SHA1 over data[0..data_len) followed by the 4 bytes of extra (the
 * ROC for SRTP, nothing for SRTCP), compared with the tag_len bytes at tag. */
static srtp_status_t
check_tag(srtp_session_t *session, const uint8_t *data, size_t data_len, const uint8_t *extra, size_t extra_len,
          const uint8_t *tag, size_t tag_len)
{
    uint8_t mac[SHA1_LEN];
    size_t mac_len = sizeof(mac);
    uint8_t diff = 0;

    if (gcry_mac_reset(session->mac) != 0 || gcry_mac_write(session->mac, data, data_len) != 0 ||
        (extra_len > 0 && gcry_mac_write(session->mac, extra, extra_len) != 0) ||
        gcry_mac_read(session->mac, mac, &mac_len) != 0 || mac_len != sizeof(mac))
        return SRTP_ERR_CRYPTO;
    for (size_t i = 0; i < tag_len; i++)
        diff |= mac[i] ^ tag[i];
    return diff == 0 ? SRTP_OK : SRTP_ERR_AUTH;
}

static bool
valid_lengths(size_t tag_len, size_t mki_len)
{
    return (tag_len == SRTP_TAG_LEN_80 || tag_len == SRTP_TAG_LEN_32) && mki_len <= SRTP_MAX_MKI_LEN;
}

srtp_status_t
srtp_rtp_verify(srtp_session_t *session, const uint8_t *pkt, size_t len, size_t tag_len, size_t mki_len,
                uint32_t roc)
{
    uint8_t roc_bytes[4];
    size_t header = srtp_rtp_header_len(pkt, len);
    size_t auth_len;

    if (!session->ready || !valid_lengths(tag_len, mki_len) || header == 0 || len - header < tag_len + mki_len)
        return SRTP_ERR_MALFORMED;
    auth_len = len - tag_len - mki_len;
    roc_bytes[0] = (uint8_t)(roc >> 24);
    roc_bytes[1] = (uint8_t)(roc >> 16);
    roc_bytes[2] = (uint8_t)(roc >> 8);
    roc_bytes[3] = (uint8_t)roc;
    return check_tag(session, pkt, auth_len, roc_bytes, sizeof(roc_bytes), pkt + len - tag_len, tag_len);
}

srtp_status_t
srtp_rtp_decrypt(srtp_session_t *session, const uint8_t *pkt, size_t len, size_t tag_len, size_t mki_len,
                 uint32_t roc, uint8_t *out, size_t *out_len)
{
    uint8_t iv[AES_BLOCK_LEN];
    size_t header = srtp_rtp_header_len(pkt, len);
    uint32_t ssrc;
    uint64_t pkt_index;

    if (!session->ready || !valid_lengths(tag_len, mki_len) || header == 0 || len - header < tag_len + mki_len)
        return SRTP_ERR_MALFORMED;
    *out_len = len - tag_len - mki_len;
    memcpy(out, pkt, *out_len);
    ssrc = ((uint32_t)pkt[8] << 24) | ((uint32_t)pkt[9] << 16) | ((uint32_t)pkt[10] << 8) | pkt[11];
    pkt_index = ((uint64_t)roc << 16) | (((unsigned)pkt[2] << 8) | pkt[3]);
    srtp_make_iv(session->salt, ssrc, pkt_index, iv);
    return srtp_aes_cm(session->cipher, iv, out + header, *out_len - header) ? SRTP_OK : SRTP_ERR_CRYPTO;
}

srtp_status_t
srtcp_verify(srtp_session_t *session, const uint8_t *pkt, size_t len, size_t tag_len, size_t mki_len)
{
    if (!session->ready || !valid_lengths(tag_len, mki_len) ||
        len < SRTCP_HEADER_LEN + SRTCP_INDEX_LEN + mki_len + tag_len)
        return SRTP_ERR_MALFORMED;
    return check_tag(session, pkt, len - mki_len - tag_len, NULL, 0, pkt + len - tag_len, tag_len);
}

srtp_status_t
srtcp_decrypt(srtp_session_t *session, const uint8_t *pkt, size_t len, size_t tag_len, size_t mki_len,
              uint8_t *out, size_t *out_len, uint32_t *srtcp_index, bool *encrypted)
{
    uint8_t iv[AES_BLOCK_LEN];
    const uint8_t *e_index;
    uint32_t ssrc;

    if (!session->ready || !valid_lengths(tag_len, mki_len) ||
        len < SRTCP_HEADER_LEN + SRTCP_INDEX_LEN + mki_len + tag_len)
        return SRTP_ERR_MALFORMED;
    *out_len = len - mki_len - tag_len - SRTCP_INDEX_LEN;
    e_index = pkt + *out_len;
    *encrypted = (e_index[0] & 0x80) != 0;
    *srtcp_index = ((uint32_t)(e_index[0] & 0x7F) << 24) | ((uint32_t)e_index[1] << 16) | ((uint32_t)e_index[2] << 8) |
             e_index[3];
    memcpy(out, pkt, *out_len);
    if (!*encrypted)
        return SRTP_OK;
    ssrc = ((uint32_t)pkt[4] << 24) | ((uint32_t)pkt[5] << 16) | ((uint32_t)pkt[6] << 8) | pkt[7];
    srtp_make_iv(session->salt, ssrc, *srtcp_index, iv);
    return srtp_aes_cm(session->cipher, iv, out + SRTCP_HEADER_LEN, *out_len - SRTCP_HEADER_LEN) ? SRTP_OK
                                                                                                 : SRTP_ERR_CRYPTO;
}
