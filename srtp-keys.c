/* srtp-keys.c
 * The SDES keys that SRTP decryption tries (srtp.c), from three places:
 *   - SDP in the capture, wherever a body of type application/sdp is
 *     decoded (SIP over UDP or TCP, SIP over TLS that Wireshark decrypted,
 *     each part of a multipart body): the plugin's entry for that type in
 *     the "media_type" table hands the body to Wireshark's SDP dissector,
 *     then reads its keys;
 *   - the keys file (msstun.srtp_keys): every a=crypto attribute anywhere
 *     in any line of any text (client logs, SIP traces, JSON with escaped
 *     SDP);
 *   - the keys table (msstun.srtp_keys_table, a UAT).
 * The media sections of SDP with keys also give where the media goes (its
 * conversations are claimed for the multiplexer), the payload type names
 * of a=rtpmap and the SSRCs of a=x-ssrc-range.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Specifications:
 *   RFC 4566  SDP (c=, m=, a=rtpmap, a=rtcp in RFC 3605, a=rtcp-mux in RFC 5761)
 *   RFC 4568  SDP Security Descriptions: a=crypto:TAG SUITE inline:KEY_SALT[|LIFETIME][|MKI:LENGTH]
 *   [MS-SDPEXT] 3.1.5.23 a=crypto (|2^31|1:1 lifetimes and MKIs),
 *             a=x-ssrc-range, a=cryptoscale (Scale SRTP, not decrypted here)
 */

#include "conversation_ports.h"
#include "srtp-keys.h"

#include <epan/conversation.h>
#include <epan/dissectors/packet-sdp.h>
#include <epan/exceptions.h>
#include <epan/expert.h>
#include <epan/proto_data.h>
#include <epan/show_exception.h>
#include <epan/to_str.h>
#include <epan/uat.h>
#include <wsutil/inet_addr.h>
#include <wsutil/report_message.h>
#include <wsutil/str_util.h>
#include <wsutil/strtoi.h>
#include <wsutil/wmem/wmem_strutl.h>

/* What SIP hands a body's dissector: 4.0's HTTP message info, the media
 * content info from 4.2 on (both with the SIP call's sdp_setup_info_t). */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 2)
#include <epan/dissectors/packet-media-type.h>
typedef media_content_info_t sdp_body_info_t;
#define SDP_BODY_FROM_SIP MEDIA_CONTAINER_SIP_DATA
#else
#include <epan/dissectors/packet-http.h>
typedef http_message_info_t sdp_body_info_t;
#define SDP_BODY_FROM_SIP SIP_DATA
#endif

#include <errno.h>
#include <string.h>

#define CRYPTO_PREFIX           "a=crypto:"
#define CRYPTOSCALE_PREFIX      "a=cryptoscale:"
#define RTPMAP_PREFIX           "a=rtpmap:"
#define KEY_SALT_B64_LEN        40U     /* 30 bytes of key and salt, unpadded base64 */
#define KEYS_FILE_MAX           (256U * 1024 * 1024)
/* The keys a capture's decryption holds, from every origin together; the
 * ones past it are dropped (and said so). */
#define KEYS_MAX                100000U
#define SDP_ADDR_MAX            64U
#define RTPMAP_NAME_MAX         63U
/* The transport addresses (RTP and RTCP) that the capture's SDP claims for
 * the multiplexer; the media sections past it keep the RTP setup of
 * Wireshark's SDP dissector (and said so). */
#define SDP_CLAIMS_MAX          20000U
/* The packet data of the bodies read in the frame (pinfo->pool), and the
 * mark of a frame whose keys SIP did not hand on (file scope). */
#define SDP_PKT_KEY_BODIES_READ 0x53445042  /* "SDPB" */
#define SDP_PKT_KEY_READ_APART  0x53445041  /* "SDPA" */

static const struct {
    const char *name;
    unsigned tag_len;
} supported_suites[] = {
    { "AES_CM_128_HMAC_SHA1_80", SRTP_TAG_LEN_80 },
    { "AES_CM_128_HMAC_SHA1_32", SRTP_TAG_LEN_32 },
};

typedef struct {
    char *crypto;
    char *comment;
} key_row_t;

static msstun_pref_bool_t pref_decrypt = true;
static const char *pref_keys_file = "";
static key_row_t *key_rows;
static unsigned num_key_rows;

static int proto_srtp_keys = -1;
static dissector_handle_t sdp_handle;
static dissector_handle_t sdp_keys_handle;
static dissector_handle_t msstun_handle;

static int hf_msstun_srtp_sdp_key = -1;
static int hf_msstun_srtp_sdp_cryptoscale = -1;
static int ett_msstun_srtp_sdp = -1;
static expert_field ei_msstun_srtp_cryptoscale = EI_INIT;
static expert_field ei_msstun_srtp_unsupported = EI_INIT;
static expert_field ei_msstun_srtp_too_many_keys = EI_INIT;
static expert_field ei_msstun_srtp_too_many_claims = EI_INIT;
static expert_field ei_msstun_srtp_keys_apart = EI_INIT;

/* The keys of the capture being dissected, in order of arrival, the same
 * keys indexed by their material (key_material_hash()); the transport
 * addresses claimed from its SDP, by address and port; and, for each SIP
 * call (by Call-ID), the claims named by its latest SDP body. */
static GPtrArray *keys;
static GHashTable *keys_by_material;
static unsigned keys_dropped;
static GHashTable *claimed;
static GHashTable *claims_by_call;
/* The payload type maps made for this capture (rtp_dyn_payload_new()), each
 * released once when it closes; RTP holds its own references. */
static GPtrArray *payload_maps;

typedef struct {
    address addr;
    uint32_t port;
    bool rtp;
    rtp_dyn_payload_t *payloads;
    uint32_t media_type;
} claimed_t;

static unsigned
claim_hash(const void *k)
{
    const claimed_t *claim = (const claimed_t *)k;

    return add_address_to_hash(claim->port * 2654435761U, &claim->addr);
}

static gboolean
claim_equal(const void *a, const void *b)
{
    const claimed_t *x = (const claimed_t *)a;
    const claimed_t *y = (const claimed_t *)b;

    return x->port == y->port && addresses_equal(&x->addr, &y->addr);
}

/*
 * a=crypto
 */

static int
b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Reads an unsigned decimal number no larger than max (at most 2^64 - 1):
 * false when there is no digit or the number is larger. */
static bool
parse_number(const char *text, size_t len, size_t *pos, uint64_t max, uint64_t *value)
{
    size_t start = *pos;
    bool fits = true;

    *value = 0;
    while (*pos < len && text[*pos] >= '0' && text[*pos] <= '9') {
        unsigned digit = (unsigned)(text[*pos] - '0');

        if (*value > (max - digit) / 10)
            fits = false;
        else
            *value = *value * 10 + digit;
        (*pos)++;
    }
    return *pos > start && fits;
}

/* The key-params after "inline:": 40 base64 characters (a JSON "\/" is a
 * "/"), then optionally "|LIFETIME" (2^N or a number) and "|MKI:LENGTH". */
static msstun_crypto_parse_t
parse_key_params(const char *text, size_t len, size_t pos, msstun_srtp_key_t *key)
{
    uint8_t key_salt[SRTP_MASTER_KEY_LEN + SRTP_MASTER_SALT_LEN];
    uint32_t bits = 0;
    unsigned nbits = 0;
    unsigned nchars = 0;
    unsigned nbytes = 0;

    while (pos < len) {
        int v;

        if (text[pos] == '\\' && pos + 1 < len && text[pos + 1] == '/')
            pos++;
        v = b64_value(text[pos]);
        if (v < 0)
            break;
        if (++nchars > KEY_SALT_B64_LEN)
            return MSSTUN_CRYPTO_INVALID;
        bits = (bits << 6) | (uint32_t)v;
        nbits += 6;
        if (nbits >= 8) {
            nbits -= 8;
            key_salt[nbytes++] = (uint8_t)(bits >> nbits);
        }
        pos++;
    }
    if (nchars != KEY_SALT_B64_LEN || nbytes != sizeof(key_salt))
        return MSSTUN_CRYPTO_INVALID;
    memcpy(key->master_key, key_salt, SRTP_MASTER_KEY_LEN);
    memcpy(key->master_salt, key_salt + SRTP_MASTER_KEY_LEN, SRTP_MASTER_SALT_LEN);

    while (pos < len && text[pos] == '|') {
        size_t field = ++pos;
        uint64_t value;
        uint64_t length;

        while (pos < len && text[pos] != ':' && text[pos] != '|' && text[pos] >= '0' && text[pos] <= '9')
            pos++;
        if (pos < len && text[pos] == ':') {
            /* MKI:LENGTH, the MKI in decimal (RFC 4568 9.2). */
            pos = field;
            if (!parse_number(text, len, &pos, UINT32_MAX, &value) || pos >= len || text[pos] != ':')
                return MSSTUN_CRYPTO_INVALID;
            pos++;
            if (!parse_number(text, len, &pos, 128, &length) || length == 0)
                return MSSTUN_CRYPTO_INVALID;
            if (length > SRTP_MAX_MKI_LEN || (length < 4 && value >> (8 * length) != 0))
                return MSSTUN_CRYPTO_INVALID;
            key->mki = (uint32_t)value;
            key->mki_len = (unsigned)length;
            break;
        }
        /* LIFETIME: "2^N" or a number (2^48 at most, RFC 3711 9.2, written
         * in decimal as 281474976710656); it bounds the packets, not the
         * decryption. */
        pos = field;
        if (!parse_number(text, len, &pos, UINT64_C(1) << 48, &value))
            return MSSTUN_CRYPTO_INVALID;
        if (pos < len && text[pos] == '^') {
            pos++;
            if (!parse_number(text, len, &pos, 64, &value))
                return MSSTUN_CRYPTO_INVALID;
        }
    }
    return MSSTUN_CRYPTO_OK;
}

/* text holds the attribute value after "a=crypto:" (and may go on past it:
 * the value ends at the first character that cannot continue it). */
msstun_crypto_parse_t
msstun_srtp_parse_crypto(const char *text, size_t len, msstun_srtp_key_t *key)
{
    size_t pos = 0;
    size_t suite;
    uint64_t tag;
    unsigned tag_len = 0;

    memset(key, 0, sizeof(*key));
    if (!parse_number(text, len, &pos, 999999999, &tag) || pos >= len || text[pos] != ' ')
        return MSSTUN_CRYPTO_INVALID;
    while (pos < len && text[pos] == ' ')
        pos++;
    suite = pos;
    while (pos < len && text[pos] != ' ')
        pos++;
    for (size_t i = 0; i < G_N_ELEMENTS(supported_suites); i++) {
        if (pos - suite == strlen(supported_suites[i].name) &&
            memcmp(text + suite, supported_suites[i].name, pos - suite) == 0)
            tag_len = supported_suites[i].tag_len;
    }
    if (tag_len == 0)
        return MSSTUN_CRYPTO_UNSUPPORTED_SUITE;
    while (pos < len && text[pos] == ' ')
        pos++;
    if (len - pos < strlen("inline:") || memcmp(text + pos, "inline:", strlen("inline:")) != 0)
        return MSSTUN_CRYPTO_INVALID;
    key->crypto_tag = (unsigned)tag;
    key->tag_len = tag_len;
    return parse_key_params(text, len, pos + strlen("inline:"), key);
}

/* The value of an a=rtpmap attribute, "PT NAME/RATE[/CHANNELS]" (RFC 4566
 * 6), at text[0..len); it ends where its syntax does (key text may go on
 * after it on the same line).  NAME is an RFC 4566 token. */
static bool
parse_rtpmap(const char *text, size_t len, unsigned *pt, char name[RTPMAP_NAME_MAX + 1], unsigned *rate,
             unsigned *channels)
{
    size_t pos = 0;
    size_t n = 0;
    uint64_t value;

    if (!parse_number(text, len, &pos, 127, &value) || pos >= len || text[pos] != ' ')
        return false;
    *pt = (unsigned)value;
    pos++;
    while (pos < len && text[pos] != '/' && n < RTPMAP_NAME_MAX &&
           (g_ascii_isalnum(text[pos]) || strchr("!#$%&'*+-.^_`{|}~", text[pos]) != NULL))
        name[n++] = text[pos++];
    name[n] = '\0';
    if (n == 0 || pos >= len || text[pos] != '/')
        return false;
    pos++;
    if (!parse_number(text, len, &pos, 1000000, &value) || value == 0)
        return false;
    *rate = (unsigned)value;
    *channels = 1;
    if (pos + 1 < len && text[pos] == '/' && g_ascii_isdigit(text[pos + 1])) {
        pos++;
        if (!parse_number(text, len, &pos, 255, &value) || value == 0)
            return false;
        *channels = (unsigned)value;
    }
    return true;
}

/* Adds an a=rtpmap value to *rtpmaps, created on the first one. */
static void
add_rtpmap(wmem_array_t **rtpmaps, const char *value, size_t len)
{
    char name[RTPMAP_NAME_MAX + 1];
    msstun_rtpmap_t entry;

    if (!parse_rtpmap(value, len, &entry.pt, name, &entry.rate, &entry.channels))
        return;
    entry.name = wmem_strdup(wmem_file_scope(), name);
    if (!*rtpmaps)
        *rtpmaps = wmem_array_new(wmem_file_scope(), sizeof(msstun_rtpmap_t));
    wmem_array_append_one(*rtpmaps, entry);
}

static const char *
suite_name(unsigned tag_len)
{
    return tag_len == SRTP_TAG_LEN_32 ? "AES_CM_128_HMAC_SHA1_32" : "AES_CM_128_HMAC_SHA1_80";
}

/*
 * The key store
 */

/* A key is the same key when its master key, salt and MKI are. */
static unsigned
key_material_hash(const void *k)
{
    const msstun_srtp_key_t *key = (const msstun_srtp_key_t *)k;
    unsigned hash = 2166136261U;

    /* FNV-1a over the key and salt, then the MKI. */
    for (size_t i = 0; i < SRTP_MASTER_KEY_LEN; i++)
        hash = (hash ^ key->master_key[i]) * 16777619U;
    for (size_t i = 0; i < SRTP_MASTER_SALT_LEN; i++)
        hash = (hash ^ key->master_salt[i]) * 16777619U;
    return (hash ^ key->mki ^ (key->mki_len << 29)) * 16777619U;
}

static gboolean
key_material_equal(const void *a, const void *b)
{
    const msstun_srtp_key_t *x = (const msstun_srtp_key_t *)a;
    const msstun_srtp_key_t *y = (const msstun_srtp_key_t *)b;

    return memcmp(x->master_key, y->master_key, sizeof(x->master_key)) == 0 &&
           memcmp(x->master_salt, y->master_salt, sizeof(x->master_salt)) == 0 && x->mki_len == y->mki_len &&
           x->mki == y->mki;
}

/* Returns the key as stored (a copy of *key when it is new): the same key
 * announced again (both parts of a multipart body, a re-INVITE, the keys
 * file and the SDP) stays the one that came first, which takes the payload
 * type names it lacked.  Returns NULL, and counts it, when the store holds
 * KEYS_MAX keys already. */
static msstun_srtp_key_t *
add_key(const msstun_srtp_key_t *candidate)
{
    msstun_srtp_key_t *known = (msstun_srtp_key_t *)g_hash_table_lookup(keys_by_material, candidate);
    msstun_srtp_key_t *key;

    if (known) {
        if (!known->rtpmaps) {
            known->rtpmaps = candidate->rtpmaps;
            known->media_type = candidate->media_type;
        }
        return known;
    }
    if (keys->len >= KEYS_MAX) {
        keys_dropped++;
        return NULL;
    }
    key = (msstun_srtp_key_t *)wmem_memdup(wmem_file_scope(), candidate, sizeof(*candidate));
    key->id = keys->len + 1;
    g_ptr_array_add(keys, key);
    g_hash_table_add(keys_by_material, key);
    return key;
}

rtp_dyn_payload_t *
msstun_srtp_payloads_new(wmem_array_t *rtpmaps)
{
    rtp_dyn_payload_t *payloads = rtp_dyn_payload_new();

    for (unsigned i = 0; i < wmem_array_get_count(rtpmaps); i++) {
        const msstun_rtpmap_t *entry = (const msstun_rtpmap_t *)wmem_array_index(rtpmaps, i);

        msstun_rtp_dyn_payload_insert(payloads, entry->pt, entry->name, (int)entry->rate, entry->channels);
    }
    g_ptr_array_add(payload_maps, payloads);
    return payloads;
}

bool
msstun_srtp_enabled(void)
{
    return pref_decrypt && keys != NULL;
}

unsigned
msstun_srtp_key_count(void)
{
    return keys ? keys->len : 0;
}

msstun_srtp_key_t *
msstun_srtp_key(unsigned i)
{
    return (msstun_srtp_key_t *)g_ptr_array_index(keys, i);
}

bool
msstun_srtp_key_ready(msstun_srtp_key_t *key, bool rtcp)
{
    srtp_session_t *session = rtcp ? &key->rtcp : &key->rtp;

    return session->ready || srtp_session_init(session, key->master_key, key->master_salt, rtcp);
}

void
msstun_srtp_key_release(msstun_srtp_key_t *key)
{
    if (key->streams_bound > 0)
        return;
    srtp_session_free(&key->rtp);
    srtp_session_free(&key->rtcp);
}

const char *
msstun_srtp_keys_file(void)
{
    return pref_keys_file;
}

/* A media section of key text: from an "m=" to the next "m=" or "v=". */
typedef struct {
    bool in_media;
    uint32_t media_type;
    wmem_array_t *rtpmaps;          /* its a=rtpmap names, NULL when none */
    GPtrArray *keys;                /* its keys, as stored */
} text_media_t;

/* Whether a one-letter SDP line type ("m=", "v=") at pos starts an SDP
 * line of key text: at the start of a text line, after a character that
 * cannot end a word, or after a JSON "\n" or "\r" escape. */
static bool
sdp_line_start(const char *text, size_t line_start, size_t pos)
{
    if (pos == line_start || !g_ascii_isalnum(text[pos - 1]))
        return true;
    return pos - line_start >= 2 && text[pos - 2] == '\\' && (text[pos - 1] == 'n' || text[pos - 1] == 'r');
}

/* The end of a media section: its keys take its payload type names. */
static void
finish_text_media(text_media_t *m)
{
    for (unsigned i = 0; i < m->keys->len; i++) {
        msstun_srtp_key_t *key = (msstun_srtp_key_t *)g_ptr_array_index(m->keys, i);

        if (!key->rtpmaps) {
            key->rtpmaps = m->rtpmaps;
            key->media_type = m->media_type;
        }
    }
    g_ptr_array_set_size(m->keys, 0);
    m->rtpmaps = NULL;
    m->in_media = false;
}

/* Every "a=crypto:" in the text, line by line; "origin" and the line
 * number say where each key came from.  The SDP lines in the text, even
 * several on one line (a log that prints an SDP body on one line, JSON
 * with "\r\n" escapes), give each key the a=rtpmap names of its media
 * section. */
static unsigned
add_keys_from_text(const char *text, size_t len, msstun_srtp_key_origin_t origin, uint32_t row)
{
    unsigned found = 0;
    text_media_t m = { false, RTP_MEDIA_AUDIO, NULL, g_ptr_array_new() };
    size_t line_start = 0;
    uint32_t line = 1;

    while (line_start < len) {
        const char *nl = (const char *)memchr(text + line_start, '\n', len - line_start);
        size_t line_end = nl ? (size_t)(nl - text) : len;

        for (size_t pos = line_start; pos + 2 <= line_end; pos++) {
            const char *at = text + pos;
            size_t rest = line_end - pos;

            if (at[1] != '=')
                continue;
            if (at[0] == 'm' && sdp_line_start(text, line_start, pos)) {
                finish_text_media(&m);
                m.in_media = true;
                m.media_type = rest >= 7 && memcmp(at, "m=video", 7) == 0 ? RTP_MEDIA_VIDEO : RTP_MEDIA_AUDIO;
            } else if (at[0] == 'v' && sdp_line_start(text, line_start, pos)) {
                finish_text_media(&m);
            } else if (rest > strlen(CRYPTO_PREFIX) && memcmp(at, CRYPTO_PREFIX, strlen(CRYPTO_PREFIX)) == 0) {
                msstun_srtp_key_t parsed;

                if (msstun_srtp_parse_crypto(at + strlen(CRYPTO_PREFIX), rest - strlen(CRYPTO_PREFIX), &parsed) ==
                    MSSTUN_CRYPTO_OK) {
                    msstun_srtp_key_t *key;

                    parsed.origin = origin;
                    parsed.where = origin == MSSTUN_SRTP_KEY_TABLE ? row : line;
                    parsed.media_type = RTP_MEDIA_AUDIO;
                    found++;
                    key = add_key(&parsed);
                    if (key && m.in_media)
                        g_ptr_array_add(m.keys, key);
                }
            } else if (m.in_media && rest > strlen(RTPMAP_PREFIX) &&
                       memcmp(at, RTPMAP_PREFIX, strlen(RTPMAP_PREFIX)) == 0) {
                add_rtpmap(&m.rtpmaps, at + strlen(RTPMAP_PREFIX), rest - strlen(RTPMAP_PREFIX));
            }
        }
        line_start = line_end + 1;
        line++;
    }
    finish_text_media(&m);
    g_ptr_array_free(m.keys, TRUE);
    return found;
}

/* Reads the keys file: only a regular file (a FIFO or a device would
 * block or never end), of at most KEYS_FILE_MAX bytes, mapped rather than
 * read so that no more than the size it had when mapped is ever looked at.
 * GLib does the file work (UTF-8 paths on Windows, and no descriptor
 * shared between two C runtimes).  Nothing of a C runtime's state is read
 * here: on Windows, errno is that of the runtime that set it (GLib's, not
 * the plugin's), and GStatBuf has one layout in an MSVC GLib (the official
 * Wireshark's) and another in a MinGW build.  Every failure is reported as
 * for a missing file: a dialog in Wireshark, a message on tshark's
 * standard error. */
static void
load_keys_file(const char *path)
{
    GMappedFile *mapped;
    GError *error = NULL;
    size_t len;

    if (g_file_test(path, G_FILE_TEST_EXISTS) && !g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        report_failure("MSSTUN SRTP keys file \"%s\": %s", path, "not a regular file");
        return;
    }
    mapped = g_mapped_file_new(path, FALSE, &error);
    if (!mapped) {
        /* GLib's own words for a missing file name it twice. */
        report_failure("MSSTUN SRTP keys file \"%s\": %s", path,
                       g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ? g_strerror(ENOENT)
                                                                                : error->message);
        g_error_free(error);
        return;
    }
    /* Mapped, not read: a larger file costs address space only. */
    len = g_mapped_file_get_length(mapped);
    if (len > KEYS_FILE_MAX)
        report_failure("MSSTUN SRTP keys file \"%s\" is larger than %u MiB", path, KEYS_FILE_MAX >> 20);
    else if (add_keys_from_text(g_mapped_file_get_contents(mapped), len, MSSTUN_SRTP_KEY_FILE, 0) == 0)
        report_failure("MSSTUN SRTP keys file \"%s\" holds no usable key: no a=crypto attribute with "
                       "AES_CM_128_HMAC_SHA1_80 or _32 and a 30-byte inline key", path);
    g_mapped_file_unref(mapped);
}

static void
srtp_keys_init(void)
{
    if (!pref_decrypt)
        return;
    keys = g_ptr_array_new();
    keys_by_material = g_hash_table_new(key_material_hash, key_material_equal);
    keys_dropped = 0;
    payload_maps = g_ptr_array_new_with_free_func((GDestroyNotify)rtp_dyn_payload_free);
    claimed = g_hash_table_new(claim_hash, claim_equal);
    claims_by_call = g_hash_table_new(g_str_hash, g_str_equal);
    for (unsigned i = 0; i < num_key_rows; i++) {
        if (key_rows[i].crypto)
            add_keys_from_text(key_rows[i].crypto, strlen(key_rows[i].crypto), MSSTUN_SRTP_KEY_TABLE, i + 1);
    }
    if (pref_keys_file && *pref_keys_file)
        load_keys_file(pref_keys_file);
    if (keys_dropped > 0)
        report_failure("MSSTUN SRTP keys: %u key%s of the keys file and table past the %u that decryption "
                       "holds, not used", keys_dropped, plurality(keys_dropped, "", "s"), KEYS_MAX);
}

static void
srtp_keys_cleanup(void)
{
    if (!keys)
        return;
    for (unsigned i = 0; i < keys->len; i++) {
        msstun_srtp_key_t *key = (msstun_srtp_key_t *)g_ptr_array_index(keys, i);

        srtp_session_free(&key->rtp);
        srtp_session_free(&key->rtcp);
    }
    g_ptr_array_free(keys, TRUE);
    keys = NULL;
    g_hash_table_destroy(keys_by_material);
    keys_by_material = NULL;
    g_ptr_array_free(payload_maps, TRUE);
    payload_maps = NULL;
    g_hash_table_destroy(claimed);
    claimed = NULL;
    g_hash_table_destroy(claims_by_call);
    claims_by_call = NULL;
}

/*
 * SDP in the capture
 */

/* One media section being read. */
typedef struct {
    bool in_media;
    bool rtcp_mux;
    uint32_t port;
    uint32_t rtcp_port;
    uint32_t media_type;
    address session_addr;
    address media_addr;
    bool has_ssrc_range;
    uint32_t ssrc_low;
    uint32_t ssrc_high;
    wmem_array_t *crypto;      /* msstun_srtp_key_t of this section */
    wmem_array_t *rtpmaps;     /* a=rtpmap values (strings) */
    wmem_array_t *named;       /* claimed_t * this body names, for all its sections */
    bool claims_full;          /* a section of this body found SDP_CLAIMS_MAX reached */
} sdp_media_t;

static bool
line_starts(const char *line, size_t len, const char *prefix)
{
    size_t plen = strlen(prefix);

    return len >= plen && memcmp(line, prefix, plen) == 0;
}

/* c=IN IP4 192.0.2.1 or c=IN IP6 2001:db8::1 (RFC 4566 5.7). */
static void
parse_connection(wmem_allocator_t *scope, const char *line, size_t len, address *addr)
{
    char buf[SDP_ADDR_MAX];
    size_t n;
    bool v6;

    if (line_starts(line, len, "c=IN IP4 "))
        v6 = false;
    else if (line_starts(line, len, "c=IN IP6 "))
        v6 = true;
    else
        return;
    line += strlen("c=IN IP4 ");
    len -= strlen("c=IN IP4 ");
    for (n = 0; n < len && n < sizeof(buf) - 1 && line[n] != ' ' && line[n] != '/'; n++)
        buf[n] = line[n];
    buf[n] = '\0';
    if (v6) {
        ws_in6_addr a6;

        if (ws_inet_pton6(buf, &a6))
            alloc_address_wmem(scope, addr, AT_IPv6, (int)sizeof(a6), &a6);
    } else {
        ws_in4_addr a4;

        if (ws_inet_pton4(buf, &a4))
            alloc_address_wmem(scope, addr, AT_IPv4, (int)sizeof(a4), &a4);
    }
}

/* The media address of SDP with keys goes to the multiplexer, which
 * decrypts what it can and hands RTP on.  Wireshark's SDP dissector set it
 * up as SRTP (RTP/SAVP), which would make RTP take the plaintext for
 * ciphertext: it is set up again as RTP, with the payload type names. */
static void
claim_conversation(packet_info *pinfo, const address *addr, uint32_t port, bool rtp, rtp_dyn_payload_t *payloads,
                   uint32_t media_type)
{
    if (rtp)
        msstun_claim_rtp(pinfo, PT_UDP, addr, port, 0, "MSSTUN", media_type, payloads);
    else
        msstun_claim_udp_port(pinfo, addr, port);
}

/* The claim of addr:port, made (and the conversation claimed) when new:
 * NULL past SDP_CLAIMS_MAX.  A port claimed for RTP stays RTP. */
static claimed_t *
claim_media(packet_info *pinfo, const address *addr, uint32_t port, bool rtp, rtp_dyn_payload_t *payloads,
            uint32_t media_type)
{
    claimed_t probe;
    claimed_t *entry;

    copy_address_shallow(&probe.addr, addr);
    probe.port = port;
    entry = (claimed_t *)g_hash_table_lookup(claimed, &probe);
    if (!entry) {
        if (g_hash_table_size(claimed) >= SDP_CLAIMS_MAX)
            return NULL;
        entry = wmem_new0(wmem_file_scope(), claimed_t);
        copy_address_wmem(wmem_file_scope(), &entry->addr, addr);
        entry->port = port;
        entry->media_type = media_type;
        g_hash_table_add(claimed, entry);
    }
    if (rtp) {
        entry->rtp = true;
        entry->payloads = payloads;
        entry->media_type = media_type;
    }
    claim_conversation(pinfo, addr, port, entry->rtp, entry->payloads, entry->media_type);
    return entry;
}

bool
msstun_srtp_sdp_media(const address *addr, uint32_t port)
{
    claimed_t probe;
    const claimed_t *entry;

    if (!claimed)
        return false;
    copy_address_shallow(&probe.addr, addr);
    probe.port = port;
    entry = (const claimed_t *)g_hash_table_lookup(claimed, &probe);
    return entry && entry->rtp;
}

/* Wireshark's SDP dissector sets up RTP again for addresses already
 * claimed: for the offer's when the answer comes (with SIP's "delay SDP
 * changes") and for every address a re-INVITE names again.  The claim is
 * made again where that happened. */
static void
reclaim(packet_info *pinfo, const claimed_t *entry)
{
    address null_addr;
    conversation_t *conv;

    clear_address(&null_addr);
    conv = find_conversation(pinfo->num, &entry->addr, &null_addr, CONVERSATION_UDP, entry->port, 0,
                             NO_ADDR_B | NO_PORT_B);
    if (conv && conversation_get_dissector(conv, pinfo->num) != msstun_handle)
        claim_conversation(pinfo, &entry->addr, entry->port, entry->rtp, entry->payloads, entry->media_type);
}

/* A section without keys that names a claimed address: claimed again. */
static void
reclaim_named(packet_info *pinfo, sdp_media_t *m, const address *addr, uint32_t port)
{
    claimed_t probe;
    claimed_t *entry;

    copy_address_shallow(&probe.addr, addr);
    probe.port = port;
    entry = (claimed_t *)g_hash_table_lookup(claimed, &probe);
    if (entry) {
        reclaim(pinfo, entry);
        wmem_array_append_one(m->named, entry);
    }
}

/* The claims of a media section with keys, remembered for the body. */
static void
claim_named(packet_info *pinfo, sdp_media_t *m, const address *addr, uint32_t port, bool rtp,
            rtp_dyn_payload_t *payloads)
{
    claimed_t *entry = claim_media(pinfo, addr, port, rtp, payloads, m->media_type);

    if (entry)
        wmem_array_append_one(m->named, entry);
    else
        m->claims_full = true;
}

/* The SIP Call-ID of the body, when SIP hands it on. */
static const char *
sip_call_id(void *data)
{
    const sdp_body_info_t *info = (const sdp_body_info_t *)data;
    const sdp_setup_info_t *setup;

    if (!info || info->type != SDP_BODY_FROM_SIP || !info->data)
        return NULL;
    setup = (const sdp_setup_info_t *)info->data;
    return setup->hf_type == SDP_TRACE_ID_HF_TYPE_STR ? setup->trace_id.str : NULL;
}

/* Before a body of a SIP call is read: the claims of the call's previous
 * body (the offer this one answers) are made again if SDP's setup took
 * them.  Only that body is walked, so each body costs its own size and its
 * predecessor's. */
static void
reclaim_call(packet_info *pinfo, const char *call_id)
{
    wmem_array_t *previous = call_id ? (wmem_array_t *)g_hash_table_lookup(claims_by_call, call_id) : NULL;

    for (unsigned i = 0; previous && i < wmem_array_get_count(previous); i++)
        reclaim(pinfo, *(const claimed_t **)wmem_array_index(previous, i));
}

/* After it is read: the body's claims become the call's latest. */
static void
remember_call(const char *call_id, wmem_array_t *named)
{
    unsigned n = wmem_array_get_count(named);
    wmem_array_t *copy;

    if (!call_id || n == 0)
        return;
    copy = wmem_array_sized_new(wmem_file_scope(), sizeof(claimed_t *), n);
    wmem_array_append(copy, wmem_array_get_raw(named), n);
    g_hash_table_insert(claims_by_call, wmem_strdup(wmem_file_scope(), call_id), copy);
}

/* The end of a media section: its keys go to the store (first pass), and
 * each is shown in the tree. */
static unsigned
finish_media(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, sdp_media_t *m)
{
    unsigned n = m->crypto ? wmem_array_get_count(m->crypto) : 0;
    const address *addr = m->media_addr.type != AT_NONE ? &m->media_addr : &m->session_addr;
    wmem_array_t *rtpmaps = NULL;
    rtp_dyn_payload_t *payloads = NULL;

    if (n == 0) {
        /* No keys: the address may be one claimed before, named again. */
        if (!PINFO_FD_VISITED(pinfo) && m->in_media && addr->type != AT_NONE && m->port != 0) {
            reclaim_named(pinfo, m, addr, m->port);
            if (!m->rtcp_mux)
                reclaim_named(pinfo, m, addr, m->rtcp_port ? m->rtcp_port : m->port + 1);
        }
        return 0;
    }
    if (!PINFO_FD_VISITED(pinfo)) {
        for (unsigned i = 0; m->rtpmaps && i < wmem_array_get_count(m->rtpmaps); i++) {
            const char *value = *(const char **)wmem_array_index(m->rtpmaps, i);

            add_rtpmap(&rtpmaps, value, strlen(value));
        }
        if (rtpmaps)
            payloads = msstun_srtp_payloads_new(rtpmaps);
        if ((addr->type == AT_IPv4 || addr->type == AT_IPv6) && m->port != 0) {
            claim_named(pinfo, m, addr, m->port, true, payloads);
            if (!m->rtcp_mux)
                claim_named(pinfo, m, addr, m->rtcp_port ? m->rtcp_port : m->port + 1, false, NULL);
        }
    }
    for (unsigned i = 0; i < n; i++) {
        msstun_srtp_key_t *key = (msstun_srtp_key_t *)wmem_array_index(m->crypto, i);
        char *where = NULL;

        if (addr->type != AT_NONE && m->port != 0)
            where = wmem_strdup_printf(pinfo->pool, addr->type == AT_IPv6 ? "[%s]:%u" : "%s:%u",
                                       address_to_display(pinfo->pool, addr), m->port);

        proto_item *ti = proto_tree_add_string(tree, hf_msstun_srtp_sdp_key, tvb, 0, 0,
            wmem_strdup_printf(pinfo->pool, "tag %u %s%s%s%s", key->crypto_tag, suite_name(key->tag_len),
                key->mki_len ? wmem_strdup_printf(pinfo->pool, ", MKI %u (%u byte%s)", key->mki,
                                                  key->mki_len, plurality(key->mki_len, "", "s")) : "",
                where ? ", media to " : "", where ? where : ""));
        if (PINFO_FD_VISITED(pinfo))
            continue;
        key->origin = MSSTUN_SRTP_KEY_SDP;
        key->where = pinfo->num;
        key->has_ssrc_range = m->has_ssrc_range;
        key->ssrc_low = m->ssrc_low;
        key->ssrc_high = m->ssrc_high;
        copy_address_wmem(wmem_file_scope(), &key->addr, addr);
        key->port = m->port;
        key->rtpmaps = rtpmaps;
        key->media_type = m->media_type;
        if (!add_key(key))
            expert_add_info_format(pinfo, ti, &ei_msstun_srtp_too_many_keys,
                                   "Not used: the capture's keys reached the %u that decryption holds", KEYS_MAX);
    }
    return n;
}

static void
parse_media_line(const char *line, sdp_media_t *m)
{
    char **parts = g_strsplit(line + 2, " ", 4);
    const char *end;

    if (g_strv_length(parts) >= 2) {
        /* "PORT" or "PORT/NUMBER" (RFC 4566 5.14) */
        if (!ws_strtou32(parts[1], &end, &m->port) || (*end != '\0' && *end != '/') ||
            m->port > 65535)
            m->port = 0;
        m->media_type = strcmp(parts[0], "video") == 0 ? RTP_MEDIA_VIDEO : RTP_MEDIA_AUDIO;
    }
    g_strfreev(parts);
}

/* One SDP body; returns the number of keys it carries.  m starts zeroed
 * but for m->named; it ends with the claims the body named. */
static unsigned
parse_sdp(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, const char *text, size_t len, sdp_media_t *mp)
{
    sdp_media_t m = *mp;
    size_t pos = 0;
    unsigned found = 0;

    while (pos < len) {
        const char *nl = (const char *)memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t line_len = end - pos;
        char *line;

        if (line_len > 0 && text[end - 1] == '\r')
            line_len--;
        line = wmem_strndup(pinfo->pool, text + pos, line_len);
        pos = end + 1;
        if (line_len < 2 || line[1] != '=')
            continue;
        if (line[0] == 'm') {
            found += finish_media(pinfo, tree, tvb, &m);
            m.in_media = true;
            m.rtcp_mux = false;
            m.port = m.rtcp_port = 0;
            clear_address(&m.media_addr);
            m.has_ssrc_range = false;
            m.crypto = wmem_array_new(pinfo->pool, sizeof(msstun_srtp_key_t));
            m.rtpmaps = wmem_array_new(pinfo->pool, sizeof(char *));
            parse_media_line(line, &m);
        } else if (line[0] == 'c') {
            parse_connection(pinfo->pool, line, line_len, m.in_media ? &m.media_addr : &m.session_addr);
        } else if (!m.in_media) {
            continue;
        } else if (line_starts(line, line_len, CRYPTO_PREFIX)) {
            msstun_srtp_key_t key;
            msstun_crypto_parse_t result = msstun_srtp_parse_crypto(line + strlen(CRYPTO_PREFIX),
                                                                   line_len - strlen(CRYPTO_PREFIX), &key);

            if (result == MSSTUN_CRYPTO_OK)
                wmem_array_append_one(m.crypto, key);
            else if (result == MSSTUN_CRYPTO_UNSUPPORTED_SUITE)
                proto_tree_add_expert_format(tree, pinfo, &ei_msstun_srtp_unsupported, tvb, 0, 0, "%s%s",
                                             "SDES suite not decrypted by MSSTUN: ", line);
        } else if (line_starts(line, line_len, CRYPTOSCALE_PREFIX)) {
            proto_item *ti = proto_tree_add_string(tree, hf_msstun_srtp_sdp_cryptoscale, tvb, 0, 0,
                                                   line + strlen(CRYPTOSCALE_PREFIX));

            expert_add_info(pinfo, ti, &ei_msstun_srtp_cryptoscale);
        } else if (line_starts(line, line_len, RTPMAP_PREFIX)) {
            char *value = line + strlen(RTPMAP_PREFIX);

            wmem_array_append_one(m.rtpmaps, value);
        } else if (line_starts(line, line_len, "a=x-ssrc-range:")) {
            uint32_t low;
            uint32_t high;
            const char *after;

            if (ws_strtou32(line + strlen("a=x-ssrc-range:"), &after, &low) && *after == '-' &&
                ws_strtou32(after + 1, &after, &high) && low <= high) {
                m.has_ssrc_range = true;
                m.ssrc_low = low;
                m.ssrc_high = high;
            }
        } else if (line_starts(line, line_len, "a=rtcp:")) {
            /* "PORT" or "PORT nettype addrtype address" (RFC 3605) */
            const char *after;
            uint32_t port;

            m.rtcp_port = ws_strtou32(line + strlen("a=rtcp:"), &after, &port) && (*after == '\0' || *after == ' ') &&
                          port <= 65535 ? port : 0;
        } else if (strcmp(line, "a=rtcp-mux") == 0) {
            m.rtcp_mux = true;
        }
    }
    found += finish_media(pinfo, tree, tvb, &m);
    *mp = m;
    return found;
}

/* The keys of one body: the MSSTUN item (under tree) that lists them, the
 * claims made for its media, the call's claims made again.  call_id: the
 * SIP call's, or NULL; apart: SIP did not hand the body on.  Frames whose
 * keys were read apart on the first pass say so on every pass: on the
 * second SIP does hand the body on. */
static proto_item *
read_body_keys(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const char *call_id, bool apart)
{
    unsigned length = tvb_captured_length(tvb);
    proto_item *ti;
    proto_tree *keys_tree;
    sdp_media_t m;
    unsigned found;

    if (!PINFO_FD_VISITED(pinfo))
        reclaim_call(pinfo, call_id);
    ti = proto_tree_add_item(tree, proto_srtp_keys, tvb, 0, 0, ENC_NA);
    proto_item_append_text(ti, ", SRTP keys from SDP");
    keys_tree = proto_item_add_subtree(ti, ett_msstun_srtp_sdp);
    memset(&m, 0, sizeof(m));
    m.named = wmem_array_new(pinfo->pool, sizeof(claimed_t *));
    found = parse_sdp(pinfo, keys_tree, tvb, (const char *)tvb_memdup(pinfo->pool, tvb, 0, length), length, &m);
    proto_item_append_text(ti, ": %u", found);
    if (!PINFO_FD_VISITED(pinfo)) {
        remember_call(call_id, m.named);
        if (m.claims_full)
            p_add_proto_data(wmem_file_scope(), pinfo, proto_srtp_keys, 0, GUINT_TO_POINTER(1));
        if (apart && found > 0)
            p_add_proto_data(wmem_file_scope(), pinfo, proto_srtp_keys, SDP_PKT_KEY_READ_APART, GUINT_TO_POINTER(1));
    }
    if (found > 0 && p_get_proto_data(wmem_file_scope(), pinfo, proto_srtp_keys, SDP_PKT_KEY_READ_APART))
        expert_add_info(pinfo, ti, &ei_msstun_srtp_keys_apart);
    if (p_get_proto_data(wmem_file_scope(), pinfo, proto_srtp_keys, 0))
        expert_add_info_format(pinfo, ti, &ei_msstun_srtp_too_many_claims,
                               "Media not claimed for decryption: the capture's SDP claimed the %u transport "
                               "addresses that MSSTUN takes from SDP", SDP_CLAIMS_MAX);
    return ti;
}

/* Where a body's bytes are: the real data under its tvb and its offset
 * there, the same whichever tvb of that data source reaches it. */
typedef struct {
    tvbuff_t *data;
    unsigned offset;
} body_place_t;

static unsigned
body_place_hash(const void *k)
{
    const body_place_t *place = (const body_place_t *)k;

    return g_direct_hash(place->data) ^ (place->offset * 2654435761U);
}

static gboolean
body_place_equal(const void *a, const void *b)
{
    const body_place_t *x = (const body_place_t *)a;
    const body_place_t *y = (const body_place_t *)b;

    return x->data == y->data && x->offset == y->offset;
}

/* The frame's bodies whose keys were read, by place (body_place_t). */
static wmem_map_t *
bodies_read(packet_info *pinfo)
{
    wmem_map_t *read = (wmem_map_t *)p_get_proto_data(pinfo->pool, pinfo, proto_srtp_keys, SDP_PKT_KEY_BODIES_READ);

    if (!read) {
        read = wmem_map_new(pinfo->pool, body_place_hash, body_place_equal);
        p_add_proto_data(pinfo->pool, pinfo, proto_srtp_keys, SDP_PKT_KEY_BODIES_READ, read);
    }
    return read;
}

static void
body_place(tvbuff_t *tvb, body_place_t *place)
{
    place->data = tvb_get_ds_tvb(tvb);
    place->offset = (unsigned)tvb_raw_offset(tvb);
}

/*
 * An application/sdp body: Wireshark's SDP dissector first (it sets up RTP
 * for the media addresses), then the keys.  Taking over the body type, not
 * a postdissector asking for the "sdp" item, keeps frames without SDP free:
 * a postdissector that wants fields makes tshark build a protocol tree for
 * every frame.
 */
static int
dissect_sdp_keys(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    volatile int consumed = 0;     /* volatile: set before the longjmp of an exception */
    unsigned length = tvb_captured_length(tvb);
    body_place_t *place;

    /* The keys are read whatever SDP's dissector makes of the body: an
     * exception there (a malformed c= line, an empty key in another
     * a=crypto) is shown where it happened and hides none of them. */
    TRY {
        consumed = call_dissector_with_data(sdp_handle, tvb, pinfo, tree, data);
    }
    CATCH_NONFATAL_ERRORS {
        show_exception(tvb, pinfo, tree, EXCEPT_CODE, GET_MESSAGE);
        consumed = (int)length;
    }
    ENDTRY;
    if (!msstun_srtp_enabled() || length == 0 || !proto_is_protocol_enabled(find_protocol_by_id(proto_srtp_keys)))
        return consumed;
    place = wmem_new(pinfo->pool, body_place_t);
    body_place(tvb, place);
    wmem_map_insert(bodies_read(pinfo), place, place);
    read_body_keys(tvb, pinfo, tree, sip_call_id(data), false);
    return consumed;
}

/*
 * SIP bodies that SIP never handed on.  SIP reads an application/sdp body
 * itself (setup_sdp_transport(), which sets up RTP for its media) before it
 * hands the body to the "media_type" table: when that throws (a c= line
 * without an address, say), or a header before it does, the body reaches
 * no dissector and dissect_sdp_keys() never sees its keys.  After the
 * frame, the SIP messages in its data sources (the frame, reassembled TCP,
 * decrypted TLS) are found again, and the keys read of every
 * application/sdp body that dissect_sdp_keys() did not read.  Each data
 * source is read once, line by line: its cost is its size.
 */

typedef struct {
    bool in_headers;
    bool sdp;                  /* Content-Type: application/sdp */
    bool encoded;              /* a Content-Encoding (gzip): SIP's own data source holds the body */
    bool has_length;
    uint32_t length;           /* Content-Length */
    const char *call_id;       /* Call-ID, in the data source; call_id_len bytes */
    size_t call_id_len;
} sip_message_t;

static bool
is_sip_version(const char *text)
{
    return memcmp(text, "SIP/2.0", 7) == 0;
}

/* A Request-Line ends with the SIP version, a Status-Line starts with it
 * and a three-digit code (RFC 3261 7.1, 7.2).  In a frame's own bytes the
 * lower layers' headers come before it on its line. */
static bool
is_sip_start_line(const char *line, size_t len)
{
    const char *status;

    if (len >= 8 && line[len - 8] == ' ' && is_sip_version(line + len - 7))
        return true;
    status = (const char *)ws_memmem(line, len, "SIP/2.0 ", 8);
    return status && (size_t)(line + len - status) >= 11 && g_ascii_isdigit(status[8]) &&
           g_ascii_isdigit(status[9]) && g_ascii_isdigit(status[10]) &&
           ((size_t)(line + len - status) == 11 || status[11] == ' ');
}

/* The value of a header line named name or compact (RFC 3261 7.3.3), with
 * the spaces around it removed; NULL when the line is another header. */
static const char *
header_value(const char *line, size_t len, const char *name, char compact, size_t *value_len)
{
    const char *colon = (const char *)memchr(line, ':', len);
    size_t name_len;
    const char *value;
    const char *end = line + len;

    if (!colon)
        return NULL;
    for (name_len = (size_t)(colon - line); name_len > 0 && (line[name_len - 1] == ' ' || line[name_len - 1] == '\t');
         name_len--)
        ;
    if (!((name_len == strlen(name) && g_ascii_strncasecmp(line, name, name_len) == 0) ||
          (name_len == 1 && g_ascii_tolower(line[0]) == compact)))
        return NULL;
    for (value = colon + 1; value < end && (*value == ' ' || *value == '\t'); value++)
        ;
    while (end > value && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    *value_len = (size_t)(end - value);
    return value;
}

static void
read_sip_header(const char *line, size_t len, sip_message_t *msg)
{
    const char *value;
    size_t value_len;
    uint32_t length;
    const char *after;

    if ((value = header_value(line, len, "Content-Type", 'c', &value_len)) != NULL) {
        size_t type_len = 0;

        while (type_len < value_len && value[type_len] != ';' && value[type_len] != ' ' && value[type_len] != '\t')
            type_len++;
        msg->sdp = type_len == strlen("application/sdp") &&
                   g_ascii_strncasecmp(value, "application/sdp", type_len) == 0;
    } else if ((value = header_value(line, len, "Content-Length", 'l', &value_len)) != NULL) {
        char digits[11];

        if (value_len > 0 && value_len < sizeof(digits)) {
            memcpy(digits, value, value_len);
            digits[value_len] = '\0';
            msg->has_length = ws_strtou32(digits, &after, &length) && *after == '\0';
            msg->length = length;
        }
    } else if ((value = header_value(line, len, "Content-Encoding", 'e', &value_len)) != NULL) {
        msg->encoded = !(value_len == strlen("identity") && g_ascii_strncasecmp(value, "identity", value_len) == 0);
    } else if ((value = header_value(line, len, "Call-ID", 'i', &value_len)) != NULL) {
        msg->call_id = value;
        msg->call_id_len = value_len;
    }
}

/* The keys of a body that SIP did not hand on, under tree; false when
 * dissect_sdp_keys() read it. */
static bool
read_body_apart(tvbuff_t *source, unsigned offset, unsigned length, const sip_message_t *msg, packet_info *pinfo,
                proto_tree *tree)
{
    tvbuff_t *body = tvb_new_subset_length(source, offset, length);
    body_place_t place;
    proto_item *ti;

    body_place(body, &place);
    if (wmem_map_contains(bodies_read(pinfo), &place))
        return false;
    ti = read_body_keys(body, pinfo, tree,
                        msg->call_id ? wmem_strndup(pinfo->pool, msg->call_id, msg->call_id_len) : NULL, true);
    proto_item_set_len(ti, (int)length);
    return true;
}

/* The number of bodies read apart in source. */
static unsigned
read_bodies_of_source(tvbuff_t *source, packet_info *pinfo, proto_tree *tree)
{
    unsigned len = tvb_captured_length(source);
    const char *text = len ? (const char *)tvb_get_ptr(source, 0, len) : NULL;
    sip_message_t msg;
    unsigned pos = 0;
    unsigned read = 0;

    memset(&msg, 0, sizeof(msg));
    while (pos < len) {
        const char *nl = (const char *)memchr(text + pos, '\n', len - pos);
        unsigned end = nl ? (unsigned)(nl - text) : len;
        unsigned line_len = end - pos;
        unsigned body;

        if (line_len > 0 && text[end - 1] == '\r')
            line_len--;
        if (!msg.in_headers) {
            if (is_sip_start_line(text + pos, line_len)) {
                memset(&msg, 0, sizeof(msg));
                msg.in_headers = true;
            }
            pos = end + 1;
            continue;
        }
        if (line_len > 0) {
            read_sip_header(text + pos, line_len, &msg);
            pos = end + 1;
            continue;
        }
        /* The empty line: the body follows, Content-Length long, or to the
         * end of the datagram without one (RFC 3261 18.3).  A body cut
         * short is left for the frame that holds all of it. */
        msg.in_headers = false;
        body = nl ? end + 1 : len;
        if (msg.has_length && msg.length > len - body)
            break;
        if (msg.sdp && !msg.encoded && (msg.has_length ? msg.length : len - body) > 0 &&
            read_body_apart(source, body, msg.has_length ? msg.length : len - body, &msg, pinfo, tree))
            read++;
        pos = msg.has_length ? body + msg.length : len;
    }
    return read;
}

/* A postdissector: returns 0 (MSSTUN left out of the frame's layers) when
 * it read nothing. */
static int
dissect_sip_bodies_apart(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    unsigned read = 0;

    if (!msstun_srtp_enabled() || !proto_is_frame_protocol(pinfo->layers, "sip"))
        return 0;
    for (GSList *src = pinfo->data_src; src; src = src->next)
        read += read_bodies_of_source(get_data_source_tvb((const struct data_source *)src->data), pinfo, tree);
    return read ? (int)tvb_captured_length(tvb) : 0;
}

/*
 * The keys table
 */

UAT_CSTRING_CB_DEF(key_rows, crypto, key_row_t)
UAT_CSTRING_CB_DEF(key_rows, comment, key_row_t)

static void *
key_row_copy(void *dest, const void *source, size_t len _U_)
{
    key_row_t *d = (key_row_t *)dest;
    const key_row_t *s = (const key_row_t *)source;

    d->crypto = g_strdup(s->crypto);
    d->comment = g_strdup(s->comment);
    return d;
}

static msstun_uat_ret_t
key_row_update(void *record, char **error)
{
    const key_row_t *row = (const key_row_t *)record;
    const char *hit = row->crypto ? strstr(row->crypto, CRYPTO_PREFIX) : NULL;
    msstun_srtp_key_t key;

    if (!hit || msstun_srtp_parse_crypto(hit + strlen(CRYPTO_PREFIX), strlen(hit + strlen(CRYPTO_PREFIX)), &key) !=
                MSSTUN_CRYPTO_OK) {
        *error = g_strdup("Not an a=crypto attribute with AES_CM_128_HMAC_SHA1_80 or _32 and a 30-byte inline key");
        return false;
    }
    return true;
}

static void
key_row_free(void *record)
{
    key_row_t *row = (key_row_t *)record;

    g_free(row->crypto);
    g_free(row->comment);
}

void
msstun_srtp_keys_register(module_t *module, int proto)
{
    static hf_register_info hf[] = {
        { &hf_msstun_srtp_sdp_key,
          { "SDES Key", "msstun.srtp.sdp.key", FT_STRING, BASE_NONE, NULL, 0x0,
            "An a=crypto key of this SDP that SRTP decryption will try", HFILL }},
        { &hf_msstun_srtp_sdp_cryptoscale,
          { "Scale SRTP Key", "msstun.srtp.sdp.cryptoscale", FT_STRING, BASE_NONE, NULL, 0x0,
            "An a=cryptoscale attribute (Scale SRTP): recognised, not used for decryption", HFILL }},
    };
    static int *ett[] = {
        &ett_msstun_srtp_sdp,
    };
    static ei_register_info ei[] = {
        { &ei_msstun_srtp_cryptoscale,
          { "msstun.srtp.cryptoscale", PI_UNDECODED, PI_NOTE,
            "Scale SRTP key (a=cryptoscale): not used for decryption", EXPFILL }},
        { &ei_msstun_srtp_unsupported,
          { "msstun.srtp.unsupported_suite", PI_UNDECODED, PI_NOTE,
            "SDES crypto suite that MSSTUN does not decrypt", EXPFILL }},
        { &ei_msstun_srtp_too_many_claims,
          { "msstun.srtp.too_many_sdp_media", PI_UNDECODED, PI_WARN,
            "Media not claimed for decryption: the capture's SDP media reached the number MSSTUN claims",
            EXPFILL }},
        { &ei_msstun_srtp_too_many_keys,
          { "msstun.srtp.too_many_keys", PI_UNDECODED, PI_WARN,
            "Key not used: the capture's keys reached the number that decryption holds", EXPFILL }},
        { &ei_msstun_srtp_keys_apart,
          { "msstun.srtp.keys_without_sdp", PI_PROTOCOL, PI_NOTE,
            "SRTP keys read from an application/sdp body that SIP did not hand on: SIP or its SDP setup threw "
            "an exception first", EXPFILL }},
    };
    static uat_field_t key_row_fields[] = {
        UAT_FLD_CSTRING(key_rows, crypto, "Crypto attribute",
                        "a=crypto:TAG SUITE inline:KEY_SALT[|LIFETIME][|MKI:LENGTH], as in SDP"),
        UAT_FLD_CSTRING(key_rows, comment, "Comment", "Where the key comes from"),
        UAT_END_FIELDS
    };
    expert_module_t *expert;
    uat_t *key_uat;

    proto_srtp_keys = proto;
    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert = expert_register_protocol(proto);
    expert_register_field_array(expert, ei, array_length(ei));

    prefs_register_bool_preference(module, "srtp_decrypt", "Decrypt SRTP and SRTCP",
        "Decrypt SRTP and SRTCP with the SDES keys (a=crypto) of the SDP in the capture, the keys file and "
        "the keys table",
        &pref_decrypt);
    prefs_register_filename_preference(module, "srtp_keys", "SRTP keys file",
        "A text file in which every a=crypto attribute, anywhere in a line (client logs, SIP traces, JSON), "
        "is an SDES key to try",
        &pref_keys_file, false);
    key_uat = uat_new("MSSTUN SRTP keys", sizeof(key_row_t), "msstun_srtp_keys", true, &key_rows, &num_key_rows,
                      UAT_AFFECTS_DISSECTION, NULL, key_row_copy, key_row_update, key_row_free, NULL, NULL,
                      key_row_fields);
    prefs_register_uat_preference(module, "srtp_keys_table", "SRTP keys table",
        "SDES keys (a=crypto attributes) to try on every SRTP and SRTCP stream", key_uat);

    /* No protocol of its own: the body stays SDP's in the layers and in
     * "-G decodes".  The description is what Decode As shows for it (4.6
     * refuses a table entry that has neither). */
    sdp_keys_handle = create_dissector_handle_with_name_and_description(dissect_sdp_keys, -1, "msstun_sdp_keys",
                                                                        "SDP, with SRTP keys for MSSTUN");
    register_postdissector(create_dissector_handle(dissect_sip_bodies_apart, proto));
    register_init_routine(srtp_keys_init);
    register_cleanup_routine(srtp_keys_cleanup);
}

void
msstun_srtp_keys_handoff(void)
{
    msstun_handle = find_dissector("msstun");
    /* Plugin handoffs run after the built-in ones: SDP's entry is there. */
    sdp_handle = dissector_get_string_handle(find_dissector_table("media_type"), "application/sdp");
    if (sdp_handle && sdp_handle != sdp_keys_handle)
        dissector_add_string("media_type", "application/sdp", sdp_keys_handle);
}
