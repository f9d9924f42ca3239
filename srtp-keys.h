/* srtp-keys.h
 * The SDES keys that SRTP decryption tries (srtp-keys.c), from SDP in the
 * capture, the keys file and the keys table, with what their SDP says of
 * the media; the decryption (srtp.c) reads and binds them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef MSSTUN_SRTP_KEYS_H
#define MSSTUN_SRTP_KEYS_H

#include "msstun-compat.h"
#include "srtp-crypto.h"

#include <epan/address.h>
#include <epan/prefs.h>
#include <epan/dissectors/packet-rtp.h>

typedef enum {
    MSSTUN_SRTP_KEY_SDP,        /* SDP in the capture */
    MSSTUN_SRTP_KEY_FILE,       /* the msstun.srtp_keys file */
    MSSTUN_SRTP_KEY_TABLE       /* the msstun.srtp_keys_table UAT */
} msstun_srtp_key_origin_t;

/* One a=rtpmap (RFC 4566 6). */
typedef struct {
    unsigned pt;
    const char *name;
    unsigned rate;
    unsigned channels;
} msstun_rtpmap_t;

/* One SDES master key (RFC 4568 a=crypto). */
typedef struct {
    unsigned id;                /* order of arrival from 1: the higher, the more recent */
    msstun_srtp_key_origin_t origin;
    uint32_t where;             /* SDP frame, file line or table row */
    unsigned crypto_tag;        /* the a=crypto tag */
    unsigned tag_len;           /* 10 (_80) or 4 (_32) */
    uint8_t  master_key[SRTP_MASTER_KEY_LEN];
    uint8_t  master_salt[SRTP_MASTER_SALT_LEN];
    unsigned mki_len;           /* declared MKI length, 0 when none */
    uint32_t mki;               /* declared MKI value */
    bool     has_ssrc_range;    /* a=x-ssrc-range (MS-SDPEXT) */
    uint32_t ssrc_low;
    uint32_t ssrc_high;
    address  addr;              /* where the SDP receives this media, AT_NONE when unknown */
    uint32_t port;
    wmem_array_t *rtpmaps;      /* the a=rtpmap names of its media section (msstun_rtpmap_t), or NULL */
    uint32_t media_type;        /* RTP_MEDIA_AUDIO or RTP_MEDIA_VIDEO (its m= line) */
    unsigned streams_bound;     /* streams that decrypt with it: while any, its sessions stay */
    srtp_session_t rtp;         /* derived when first tried, released when it fails a stream */
    srtp_session_t rtcp;
} msstun_srtp_key_t;

/* Result of parsing one a=crypto attribute value ("TAG SUITE inline:..."). */
typedef enum {
    MSSTUN_CRYPTO_OK,
    MSSTUN_CRYPTO_UNSUPPORTED_SUITE,
    MSSTUN_CRYPTO_INVALID
} msstun_crypto_parse_t;

msstun_crypto_parse_t msstun_srtp_parse_crypto(const char *text, size_t len, msstun_srtp_key_t *key);
bool msstun_srtp_enabled(void);
unsigned msstun_srtp_key_count(void);
msstun_srtp_key_t *msstun_srtp_key(unsigned i);
/* Derives the key's SRTP (rtcp false) or SRTCP session unless it has it;
 * false when libgcrypt refuses. */
bool msstun_srtp_key_ready(msstun_srtp_key_t *key, bool rtcp);
/* Releases the key's sessions unless a stream is bound to it. */
void msstun_srtp_key_release(msstun_srtp_key_t *key);
const char *msstun_srtp_keys_file(void);
/* A payload type map of the rtpmaps (msstun_rtpmap_t), released when the
 * capture file closes. */
rtp_dyn_payload_t *msstun_srtp_payloads_new(wmem_array_t *rtpmaps);
/* Whether SDP with keys announced addr:port for RTP (and named its payload
 * types there). */
bool msstun_srtp_sdp_media(const address *addr, uint32_t port);
void msstun_srtp_keys_register(module_t *module, int proto);
void msstun_srtp_keys_handoff(void);

#endif /* MSSTUN_SRTP_KEYS_H */
