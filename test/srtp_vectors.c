/* srtp_vectors.c
 * Runs known-answer vectors through the plugin's SRTP code (srtp-crypto.c):
 * RFC 3711 Appendix B.2 (AES-CM keystream) and B.3 (key derivation), the
 * reference packets of libsrtp's srtp_validate() (SRTP with
 * AES_CM_128_HMAC_SHA1_80 and _32, SRTCP), and the rollover counter
 * estimation of RFC 3711 3.3.1.  Prints one line per check; the exit
 * status is the number of failures.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "srtp-crypto.h"

#include <stdio.h>
#include <string.h>

static unsigned failures;

static void
check(const char *name, bool ok)
{
    printf("%s %s\n", ok ? "PASS" : "FAIL", name);
    if (!ok)
        failures++;
}

static bool
hex_equal(const uint8_t *bytes, size_t len, const char *hex)
{
    if (strlen(hex) != 2 * len)
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned value;

        if (sscanf(hex + 2 * i, "%2x", &value) != 1 || value != bytes[i])
            return false;
    }
    return true;
}

/* Verification then decryption, the two steps the plugin takes (srtp.c). */
static srtp_status_t
srtp_rtp_unprotect(srtp_session_t *session, const uint8_t *pkt, size_t len, size_t tag_len, size_t mki_len,
                   uint32_t roc, uint8_t *out, size_t *out_len)
{
    srtp_status_t status = srtp_rtp_verify(session, pkt, len, tag_len, mki_len, roc);

    if (status != SRTP_OK)
        return status;
    return srtp_rtp_decrypt(session, pkt, len, tag_len, mki_len, roc, out, out_len);
}

static srtp_status_t
srtcp_unprotect(srtp_session_t *session, const uint8_t *pkt, size_t len, size_t tag_len, size_t mki_len,
                uint8_t *out, size_t *out_len, uint32_t *index, bool *encrypted)
{
    srtp_status_t status = srtcp_verify(session, pkt, len, tag_len, mki_len);

    if (status != SRTP_OK)
        return status;
    return srtcp_decrypt(session, pkt, len, tag_len, mki_len, out, out_len, index, encrypted);
}

/* RFC 3711 B.2: the session key and salt used directly, ROC, SEQ and SSRC 0. */
static void
rfc3711_b2(void)
{
    static const uint8_t key[16] = {
        0x2B, 0x7E, 0x15, 0x16, 0x28, 0xAE, 0xD2, 0xA6, 0xAB, 0xF7, 0x15, 0x88, 0x09, 0xCF, 0x4F, 0x3C
    };
    static const uint8_t salt[14] = {
        0xF0, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD
    };
    static const char *const blocks[][2] = {
        { "0000", "E03EAD0935C95E80E166B16DD92B4EB4" },
        { "0001", "D23513162B02D0F72A43A2FE4A5F97AB" },
        { "0002", "41E95B3BB0A2E8DD477901E4FCA894C0" },
        { "FEFF", "EC8CDF7398607CB0F2D21675EA9EA1E4" },
        { "FF00", "362B7C3C6773516318A077D7FC5073AE" },
        { "FF01", "6A2CC3787889374FBEB4C81B17BA6C44" },
    };
    static uint8_t stream[0xFF02 * 16];
    gcry_cipher_hd_t cipher;
    uint8_t iv[16];
    bool ok;

    srtp_make_iv(salt, 0, 0, iv);
    check("RFC 3711 B.2 IV", hex_equal(iv, 16, "F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"));
    ok = gcry_cipher_open(&cipher, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CTR, 0) == 0;
    ok = ok && gcry_cipher_setkey(cipher, key, sizeof(key)) == 0;
    memset(stream, 0, sizeof(stream));
    ok = ok && srtp_aes_cm(cipher, iv, stream, sizeof(stream));
    check("RFC 3711 B.2 keystream generated", ok);
    for (size_t i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++) {
        unsigned counter;
        char name[64];

        (void)sscanf(blocks[i][0], "%4x", &counter);
        (void)snprintf(name, sizeof(name), "RFC 3711 B.2 keystream block %s", blocks[i][0]);
        check(name, hex_equal(stream + 16 * (size_t)counter, 16, blocks[i][1]));
    }
    gcry_cipher_close(cipher);
}

/* RFC 3711 B.3: session keys from a master key and salt, index 0. */
static void
rfc3711_b3(void)
{
    static const uint8_t master_key[16] = {
        0xE1, 0xF9, 0x7A, 0x0D, 0x3E, 0x01, 0x8B, 0xE0, 0xD6, 0x4F, 0xA3, 0x2C, 0x06, 0xDE, 0x41, 0x39
    };
    static const uint8_t master_salt[14] = {
        0x0E, 0xC6, 0x75, 0xAD, 0x49, 0x8A, 0xFE, 0xEB, 0xB6, 0x96, 0x0B, 0x3A, 0xAB, 0xE6
    };
    uint8_t out[94];

    check("RFC 3711 B.3 cipher key",
          srtp_kdf(master_key, master_salt, SRTP_LABEL_RTP_ENC, out, 16) &&
          hex_equal(out, 16, "C61E7A93744F39EE10734AFE3FF7A087"));
    check("RFC 3711 B.3 cipher salt",
          srtp_kdf(master_key, master_salt, SRTP_LABEL_RTP_SALT, out, 14) &&
          hex_equal(out, 14, "30CBBC08863D8C85D49DB34A9AE1"));
    check("RFC 3711 B.3 authentication key (94 bytes)",
          srtp_kdf(master_key, master_salt, SRTP_LABEL_RTP_AUTH, out, 94) &&
          hex_equal(out, 94,
                    "CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE"
                    "E049646C43D9327AD175578EF7227098" "6371C10C9A369AC2F94A8C5FBCDDDC25"
                    "6D6E919A48B610EF17C2041E47403576" "6B68642C59BBFC2F34DB60DBDFB2"));
}

/* libsrtp test/srtp_driver.c srtp_validate(): the default policy
 * (AES_CM_128_HMAC_SHA1_80), SSRC 0xcafebabe, the master key and salt of
 * RFC 3711 B.3. */
static void
libsrtp_reference(void)
{
    static const uint8_t master_key[16] = {
        0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0, 0xd6, 0x4f, 0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39
    };
    static const uint8_t master_salt[14] = {
        0x0e, 0xc6, 0x75, 0xad, 0x49, 0x8a, 0xfe, 0xeb, 0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6
    };
    static const uint8_t rtp_plaintext[28] = {
        0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe, 0xba, 0xbe, 0xab, 0xab,
        0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab
    };
    static const uint8_t srtp_80[38] = {
        0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe, 0xba, 0xbe, 0x4e, 0x55, 0xdc, 0x4c,
        0xe7, 0x99, 0x78, 0xd8, 0x8c, 0xa4, 0xd2, 0x15, 0x94, 0x9d, 0x24, 0x02, 0xb7, 0x8d, 0x6a, 0xcc,
        0x99, 0xea, 0x17, 0x9b, 0x8d, 0xbb
    };
    static const uint8_t srtp_32[32] = {
        0x80, 0x0f, 0x12, 0x34, 0xde, 0xca, 0xfb, 0xad, 0xca, 0xfe, 0xba, 0xbe, 0x4e, 0x55, 0xdc, 0x4c,
        0xe7, 0x99, 0x78, 0xd8, 0x8c, 0xa4, 0xd2, 0x15, 0x94, 0x9d, 0x24, 0x02, 0xb7, 0x8d, 0x6a, 0xcc
    };
    static const uint8_t rtcp_plaintext[24] = {
        0x81, 0xc8, 0x00, 0x0b, 0xca, 0xfe, 0xba, 0xbe, 0xab, 0xab, 0xab, 0xab,
        0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab, 0xab
    };
    static const uint8_t srtcp_80[38] = {
        0x81, 0xc8, 0x00, 0x0b, 0xca, 0xfe, 0xba, 0xbe, 0x71, 0x28, 0x03, 0x5b, 0xe4, 0x87, 0xb9, 0xbd,
        0xbe, 0xf8, 0x90, 0x41, 0xf9, 0x77, 0xa5, 0xa8, 0x80, 0x00, 0x00, 0x01, 0x99, 0x3e, 0x08, 0xcd,
        0x54, 0xd6, 0xc1, 0x23, 0x07, 0x98
    };
    srtp_session_t rtp;
    srtp_session_t rtcp;
    uint8_t out[64];
    uint8_t tampered[38];
    size_t out_len = 0;
    uint32_t index = 0;
    bool encrypted = false;

    check("libsrtp session keys", srtp_session_init(&rtp, master_key, master_salt, false) &&
                                  srtp_session_init(&rtcp, master_key, master_salt, true));
    check("libsrtp SRTP AES_CM_128_HMAC_SHA1_80 unprotect",
          srtp_rtp_unprotect(&rtp, srtp_80, sizeof(srtp_80), SRTP_TAG_LEN_80, 0, 0, out, &out_len) == SRTP_OK &&
          out_len == sizeof(rtp_plaintext) && memcmp(out, rtp_plaintext, out_len) == 0);
    check("libsrtp SRTP AES_CM_128_HMAC_SHA1_32 unprotect",
          srtp_rtp_unprotect(&rtp, srtp_32, sizeof(srtp_32), SRTP_TAG_LEN_32, 0, 0, out, &out_len) == SRTP_OK &&
          out_len == sizeof(rtp_plaintext) && memcmp(out, rtp_plaintext, out_len) == 0);
    check("libsrtp SRTP wrong ROC fails authentication",
          srtp_rtp_verify(&rtp, srtp_80, sizeof(srtp_80), SRTP_TAG_LEN_80, 0, 1) == SRTP_ERR_AUTH);
    memcpy(tampered, srtp_80, sizeof(tampered));
    tampered[20] ^= 0x01;
    check("libsrtp SRTP tampered payload fails authentication",
          srtp_rtp_verify(&rtp, tampered, sizeof(tampered), SRTP_TAG_LEN_80, 0, 0) == SRTP_ERR_AUTH);
    check("libsrtp SRTP tag length 80 read as 32 fails",
          srtp_rtp_verify(&rtp, srtp_80, sizeof(srtp_80), SRTP_TAG_LEN_32, 0, 0) == SRTP_ERR_AUTH);
    check("libsrtp SRTCP unprotect",
          srtcp_unprotect(&rtcp, srtcp_80, sizeof(srtcp_80), SRTP_TAG_LEN_80, 0, out, &out_len, &index,
                          &encrypted) == SRTP_OK &&
          out_len == sizeof(rtcp_plaintext) && memcmp(out, rtcp_plaintext, out_len) == 0 && index == 1 &&
          encrypted);
    check("libsrtp SRTCP with the SRTP keys fails authentication",
          srtcp_verify(&rtp, srtcp_80, sizeof(srtcp_80), SRTP_TAG_LEN_80, 0) == SRTP_ERR_AUTH);
    check("SRTP shorter than header and tag is malformed",
          srtp_rtp_verify(&rtp, srtp_80, 21, SRTP_TAG_LEN_80, 0, 0) == SRTP_ERR_MALFORMED);
    check("SRTCP shorter than header, index and tag is malformed",
          srtcp_verify(&rtcp, srtcp_80, 21, SRTP_TAG_LEN_80, 0) == SRTP_ERR_MALFORMED);
    srtp_session_free(&rtp);
    srtp_session_free(&rtcp);
}

/* RFC 3711 3.3.1 / Appendix A. */
static void
roc_estimation(void)
{
    check("ROC: in order", srtp_estimate_roc(0, 100, 101) == 0);
    check("ROC: wrap forward", srtp_estimate_roc(0, 65535, 0) == 1);
    check("ROC: wrap forward after loss", srtp_estimate_roc(3, 65000, 200) == 4);
    check("ROC: late packet from before the wrap", srtp_estimate_roc(1, 2, 65534) == 0);
    check("ROC: late packet at the start of the stream", srtp_estimate_roc(0, 2, 65534) == 0);
    check("ROC: reordered within the period", srtp_estimate_roc(2, 40000, 39990) == 2);
    check("ROC: high s_l, packet after it", srtp_estimate_roc(2, 40000, 40010) == 2);
}

int
main(void)
{
    if (!gcry_check_version(NULL))
        return 1;
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    rfc3711_b2();
    rfc3711_b3();
    libsrtp_reference();
    roc_estimation();
    printf("%u failure(s)\n", failures);
    return failures > 255 ? 255 : (int)failures;
}
