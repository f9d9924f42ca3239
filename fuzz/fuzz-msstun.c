/* fuzz-msstun.c
 * libFuzzer targets for the msstun plugin, in the manner of Wireshark's
 * fuzz/fuzzshark.c: epan is initialised once, then every input is
 * dissected as one kind of traffic, first without a tree (the first pass)
 * and then with a visible tree whose every label is formatted (the second
 * pass, as "tshark -2 -V" does), in an epan session of its own.
 *
 * The plugin's sources are compiled into the binary (with the sanitizer
 * and coverage instrumentation) and registered through its own
 * plugin_register() before epan_init().  One target per binary, chosen
 * at compile time with FUZZ_TARGET:
 *
 *   FUZZ_TARGET_UDP3478   the input is one UDP payload, client:50000 to
 *                         server:3478 (the multiplexer: STUN/TURN,
 *                         ChannelData, 0xFF10, RTP, RTCP, DTLS)
 *   FUZZ_TARGET_TCP443    the input is the byte stream of one TCP
 *                         connection client:50000 to server:443, cut into
 *                         segments: each segment is a 2-byte big-endian
 *                         header (top bit: 0 client to server, 1 server to
 *                         client; low 15 bits: length) and that many bytes
 *                         (fewer at the end of the input).  The segments
 *                         follow a SYN and a SYN-ACK, with consistent
 *                         sequence and acknowledgement numbers, so that
 *                         pseudo-TLS, MS-TURN framing, RFC 4571 and TCP
 *                         reassembly are reached.  (No frame without
 *                         payload follows: neither the handshake's last
 *                         ACK nor a close reach the plugin, and an input
 *                         costs by the frame.)
 *   FUZZ_TARGET_MESSAGE   the input is one MSSTUN message, dissected by
 *                         "msstun_message" (UDP 50000 to 40000, the port
 *                         given to that dissector as Decode As would)
 *   FUZZ_TARGET_SRTP      the input is up to 8 records, each a type
 *                         byte, a 2-byte big-endian length and that many
 *                         bytes, sent as UDP datagrams between client:50000
 *                         and server:3478 (see build_srtp()): plaintext RTP
 *                         and RTCP packets that the harness protects (RFC
 *                         3711) with one of the keys of the keys file, so
 *                         that they authenticate and decrypt; raw payloads;
 *                         SIP messages with SDP (UDP 5060), whose a=crypto
 *                         keys and media sections the plugin reads
 *
 * Every target runs with the keys file preference (msstun.srtp_keys) set
 * to fuzz/srtp-keys.txt, two fixed SDES keys (set_keys_file()), so that RTP-like
 * inputs go through the key trial, and taps what "-z msstun,allocations",
 * "-z msstun,checks", "-z msstun,media" and "-z flow,msstun,network" tap,
 * drawn after every input as tshark draws them.
 *
 * fuzz/input2pcap.py writes the same frames as a pcap, for tshark and the
 * regression corpus; with MSSTUN_FUZZ_PCAP=FILE set, a target writes the
 * frames of the inputs it runs to FILE itself (the srtp target's frames
 * depend on its encryption).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include <gcrypt.h>
#include <wireshark.h>
#include <epan/column.h>
#include <epan/column-info.h>
#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/frame_data.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <epan/timestamp.h>
#include <epan/tvbuff.h>
#include <wiretap/wtap.h>
#include <wsutil/buffer.h>
#include <wsutil/privileges.h>
#include <wsutil/wslog.h>

#include "msstun-compat.h"

#define FUZZ_TARGET_UDP3478 1
#define FUZZ_TARGET_TCP443  2
#define FUZZ_TARGET_MESSAGE 3
#define FUZZ_TARGET_SRTP    4

#ifndef FUZZ_TARGET
#error "define FUZZ_TARGET (FUZZ_TARGET_UDP3478, FUZZ_TARGET_TCP443, FUZZ_TARGET_MESSAGE or FUZZ_TARGET_SRTP)"
#endif

#define ETH_LEN          14U
#define IPV4_LEN         20U
#define UDP_LEN          8U
#define TCP_LEN          20U
#define MAX_FRAMES       1024U
#define MAX_IP_PAYLOAD   (65535U - IPV4_LEN - TCP_LEN)
#define CLIENT_PORT      50000U
#define MESSAGE_PORT     40000U
#define CLIENT_ISN       1000U
#define SERVER_ISN       500000U
#define SIP_PORT         5060U

#define TCP_SYN 0x02
#define TCP_PSH 0x08
#define TCP_ACK 0x10

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* plugin.c registers these tap listeners as a tap plugin, which a user
 * interface (tshark, Wireshark) calls; the harness is one. */
void plugin_register(void);
void register_tap_listener_msstun(void);
void register_tap_listener_msstun_flow(void);

/* Sequence analysis, which "tshark -z flow,msstun,network" runs: exported
 * by libwireshark, not declared by an installed header (msstun-compat.h). */
struct register_analysis;
WS_DLL_PUBLIC struct register_analysis *sequence_analysis_find_by_name(const char *name);
WS_DLL_PUBLIC msstun_seq_info_t *sequence_analysis_info_new(void);
WS_DLL_PUBLIC const char *sequence_analysis_get_tap_listener_name(struct register_analysis *analysis);
WS_DLL_PUBLIC unsigned sequence_analysis_get_tap_flags(struct register_analysis *analysis);
WS_DLL_PUBLIC tap_packet_cb sequence_analysis_get_packet_func(struct register_analysis *analysis);
WS_DLL_PUBLIC int sequence_analysis_get_nodes(msstun_seq_info_t *sainfo);
WS_DLL_PUBLIC void sequence_analysis_dump_to_file(FILE *of, msstun_seq_info_t *sainfo, unsigned first_node);
WS_DLL_PUBLIC void sequence_analysis_list_free(msstun_seq_info_t *sainfo);

struct packet_provider_data {
    guint32 base;               /* frame number before this input's first */
    nstime_t ts[MAX_FRAMES];
    unsigned count;
};

typedef struct {
    uint8_t *bytes;
    unsigned len;
} fuzz_frame_t;

static struct packet_provider_data provider;
static fuzz_frame_t frames[MAX_FRAMES];
static frame_data fdata[MAX_FRAMES];
static unsigned frame_count;
static unsigned client_serial;
/* The SDES keys of a session's SIP inputs stay for the rest of the
 * session, and every new stream tries each of them: srtp sessions are
 * short, so that an input's cost does not grow with its session. */
#if FUZZ_TARGET == FUZZ_TARGET_SRTP
static unsigned inputs_per_session = 1000;
#else
static unsigned inputs_per_session = 50000;
#endif

#define N_REPORTS 3
static stat_tap_table_ui *tap_uis[N_REPORTS];
static stat_data_t tap_data[N_REPORTS];
static msstun_seq_info_t *flow_info;
static FILE *flow_out;          /* /dev/null: where the flow graph is drawn */
static column_info cinfo;       /* the columns, which the flow graph reads */
static FILE *pcap_out;          /* MSSTUN_FUZZ_PCAP */

static const nstime_t *
get_frame_ts(struct packet_provider_data *prov, guint32 frame_num)
{
    if (frame_num <= prov->base || frame_num > prov->base + prov->count)
        return NULL;
    return &prov->ts[frame_num - prov->base - 1];
}

/* The interface callbacks take the record's section number from 4.4 on
 * (checked on 4.2.2 and 4.4.19). */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 4)
#define INTERFACE_CALLBACK_PARAMS \
    struct packet_provider_data *prov _U_, uint32_t interface_id _U_, unsigned section _U_
#else
#define INTERFACE_CALLBACK_PARAMS struct packet_provider_data *prov _U_, guint32 interface_id _U_
#endif

static const char *
get_interface_name(INTERFACE_CALLBACK_PARAMS)
{
    return "fuzz";
}

static const char *
get_interface_description(INTERFACE_CALLBACK_PARAMS)
{
    return NULL;
}

static wtap_block_t
get_modified_block(struct packet_provider_data *prov _U_, const frame_data *fd _U_)
{
    return NULL;
}

/* 4.6 adds process information callbacks, which may be NULL (checked on
 * 4.6.9): no record here has any. */
static const struct packet_provider_funcs provider_funcs = {
    .get_frame_ts = get_frame_ts,
    .get_interface_name = get_interface_name,
    .get_interface_description = get_interface_description,
    .get_modified_block = get_modified_block,
};


/*
 * SRTP keys
 */

/* The master keys and salts of the keys file: A, AES_CM_128_HMAC_SHA1_80
 * without MKI, is that of RFC 3711 B.2; B, AES_CM_128_HMAC_SHA1_32 with a
 * 1-byte MKI of value 1 and the lifetime of [MS-SDPEXT] 3.1.5.23, has
 * bytes of its own. */
#define KEY_LEN  16U
#define SALT_LEN 14U

typedef struct {
    uint8_t master[KEY_LEN + SALT_LEN];
    unsigned tag_len;
    unsigned mki_len;           /* the MKI is 1 when there is one */
    const char *params;         /* after the suite and the inline key */
    const char *suite;
} fuzz_key_t;

static const fuzz_key_t fuzz_keys[2] = {
    { { 0xE1, 0xF9, 0x7A, 0x0D, 0x3E, 0x01, 0x8B, 0xE0, 0xD6, 0x4F, 0xA3, 0x2C, 0x06, 0xDE, 0x41, 0x39,
        0x0E, 0xC6, 0x75, 0xAD, 0x49, 0x8A, 0xFE, 0xEB, 0xB6, 0x96, 0x0B, 0x3A, 0xAB, 0xE6 },
      10, 0, "", "AES_CM_128_HMAC_SHA1_80" },
    { { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F,
        0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x2D },
      4, 1, "|2^31|1:1", "AES_CM_128_HMAC_SHA1_32" },
};

/* The keys file, fuzz/srtp-keys.txt (MSSTUN_FUZZ_KEYS_FILE, set by
 * fuzz/CMakeLists.txt), which the suite also gives tshark for the srtp
 * regression pcaps: it must hold the keys above. */
static void
set_keys_file(void)
{
    char *text = NULL;
    char *pref;
    char *errmsg = NULL;

    if (!g_file_get_contents(MSSTUN_FUZZ_KEYS_FILE, &text, NULL, NULL)) {
        fprintf(stderr, "fuzz-msstun: cannot read %s\n", MSSTUN_FUZZ_KEYS_FILE);
        exit(1);
    }
    for (unsigned i = 0; i < G_N_ELEMENTS(fuzz_keys); i++) {
        char *b64 = g_base64_encode(fuzz_keys[i].master, sizeof(fuzz_keys[i].master));
        char *line = g_strdup_printf("a=crypto:%u %s inline:%s%s\n", i + 1, fuzz_keys[i].suite, b64,
                                     fuzz_keys[i].params);

        if (!strstr(text, line)) {
            fprintf(stderr, "fuzz-msstun: %s does not hold %s", MSSTUN_FUZZ_KEYS_FILE, line);
            exit(1);
        }
        g_free(line);
        g_free(b64);
    }
    g_free(text);
    pref = g_strdup_printf("msstun.srtp_keys:%s", MSSTUN_FUZZ_KEYS_FILE);
    if (prefs_set_pref(pref, &errmsg) != PREFS_SET_OK) {
        fprintf(stderr, "fuzz-msstun: %s: %s\n", pref, errmsg ? errmsg : "not set");
        exit(1);
    }
    g_free(pref);
}

/*
 * Frames
 */

static void
put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

#if FUZZ_TARGET == FUZZ_TARGET_TCP443
static void
put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}
#endif

/* Ethernet and IPv4 headers for a frame carrying l4_len bytes of protocol
 * proto; from the client (10.0.0.10) or the server (192.0.2.1).  Returns
 * the frame, with room for the L4 header and payload after byte 34. */
static uint8_t *
new_frame(bool from_client, unsigned proto, unsigned l4_len)
{
    static const uint8_t client_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
    static const uint8_t server_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
    uint8_t client_ip[4] = { 10, (uint8_t)(client_serial >> 16), (uint8_t)(client_serial >> 8), (uint8_t)client_serial };
    uint8_t server_ip[4] = { 192, 0, 2, 1 };

    /* What an input learns (media ports from its attributes) is bound to
     * the server too: the later inputs of the session talk to others. */
    if (client_serial > 0) {
        server_ip[0] = 100;
        server_ip[1] = (uint8_t)(64 + ((client_serial >> 16) & 0x3F));
        server_ip[2] = (uint8_t)(client_serial >> 8);
        server_ip[3] = (uint8_t)client_serial;
    }
    fuzz_frame_t *f = &frames[frame_count++];
    uint8_t *p;
    uint32_t sum = 0;

    f->len = ETH_LEN + IPV4_LEN + l4_len;
    f->bytes = p = g_malloc0(f->len);
    memcpy(p, from_client ? server_mac : client_mac, 6);
    memcpy(p + 6, from_client ? client_mac : server_mac, 6);
    put16(p + 12, 0x0800);
    p += ETH_LEN;
    p[0] = 0x45;
    put16(p + 2, IPV4_LEN + l4_len);
    put16(p + 4, frame_count);
    p[8] = 64;
    p[9] = (uint8_t)proto;
    memcpy(p + 12, from_client ? client_ip : server_ip, 4);
    memcpy(p + 16, from_client ? server_ip : client_ip, 4);
    for (unsigned i = 0; i < IPV4_LEN; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    put16(p + 10, ~sum & 0xFFFF);
    return f->bytes + ETH_LEN + IPV4_LEN;
}

#if FUZZ_TARGET != FUZZ_TARGET_TCP443
static void
add_udp(bool from_client, unsigned server_port, const uint8_t *payload, unsigned len)
{
    uint8_t *udp;

    if (len > 65535U - IPV4_LEN - UDP_LEN)
        len = 65535U - IPV4_LEN - UDP_LEN;
    udp = new_frame(from_client, 17, UDP_LEN + len);
    put16(udp, from_client ? CLIENT_PORT : server_port);
    put16(udp + 2, from_client ? server_port : CLIENT_PORT);
    put16(udp + 4, UDP_LEN + len);
    if (len)
        memcpy(udp + UDP_LEN, payload, len);
}
#endif

#if FUZZ_TARGET == FUZZ_TARGET_TCP443
static void
add_tcp(bool from_client, unsigned flags, uint32_t seq, uint32_t ack, const uint8_t *payload, unsigned len)
{
    uint8_t *tcp = new_frame(from_client, 6, TCP_LEN + len);

    put16(tcp, from_client ? CLIENT_PORT : 443);
    put16(tcp + 2, from_client ? 443 : CLIENT_PORT);
    put32(tcp + 4, seq);
    put32(tcp + 8, (flags & TCP_ACK) ? ack : 0);
    tcp[12] = (TCP_LEN / 4) << 4;
    tcp[13] = (uint8_t)flags;
    put16(tcp + 14, 65535);
    if (len)
        memcpy(tcp + TCP_LEN, payload, len);
}

static void
build_tcp443(const uint8_t *data, size_t size)
{
    uint32_t next_seq[2] = { CLIENT_ISN + 1, SERVER_ISN + 1 };  /* [0] client, [1] server */
    size_t pos = 0;

    add_tcp(true, TCP_SYN, CLIENT_ISN, 0, NULL, 0);
    add_tcp(false, TCP_SYN | TCP_ACK, SERVER_ISN, CLIENT_ISN + 1, NULL, 0);
    while (pos + 2 <= size && frame_count < MAX_FRAMES) {
        unsigned head = (unsigned)(data[pos] << 8 | data[pos + 1]);
        bool from_client = (head & 0x8000) == 0;
        size_t len = head & 0x7FFF;
        unsigned dir = from_client ? 0 : 1;

        pos += 2;
        if (len > size - pos)
            len = size - pos;
        if (len == 0)
            continue;
        add_tcp(from_client, TCP_PSH | TCP_ACK, next_seq[dir], next_seq[!dir], data + pos, (unsigned)len);
        next_seq[dir] += (uint32_t)len;
        pos += len;
    }
}
#endif

#if FUZZ_TARGET == FUZZ_TARGET_SRTP
/*
 * RFC 3711 protection of the srtp target's packets, with libgcrypt (and
 * not the plugin's srtp-crypto.c, which it checks): AES-128 counter mode
 * and HMAC-SHA1, session keys derived with a key derivation rate of 0.
 */

#define SRTP_AUTH_LEN 20U
#define RTP_HEADER_LEN 12U
#define RTCP_HEADER_LEN 8U
#define MAX_TRAILER (4U + 1U + 10U)     /* SRTCP index, MKI, tag */

typedef struct {
    uint8_t enc[KEY_LEN];
    uint8_t auth[SRTP_AUTH_LEN];
    uint8_t salt[SALT_LEN];
} session_keys_t;

static session_keys_t session_keys[2][2];  /* [key][rtcp] */
static uint8_t protected_buf[65536 + MAX_TRAILER];

/* XORs the AES-CM keystream of key from iv into buf. */
static void
aes_cm(const uint8_t key[KEY_LEN], const uint8_t iv[16], uint8_t *buf, size_t len)
{
    gcry_cipher_hd_t h;

    if (gcry_cipher_open(&h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CTR, 0) || gcry_cipher_setkey(h, key, KEY_LEN) ||
        gcry_cipher_setctr(h, iv, 16) || gcry_cipher_encrypt(h, buf, len, NULL, 0)) {
        fprintf(stderr, "fuzz-msstun: libgcrypt AES-CM failed\n");
        exit(1);
    }
    gcry_cipher_close(h);
}

/* RFC 3711 4.3.1: IV = (label * 2^48 XOR master salt) * 2^16. */
static void
derive(const fuzz_key_t *key, uint8_t label, uint8_t *out, size_t len)
{
    uint8_t iv[16] = { 0 };

    memcpy(iv, key->master + KEY_LEN, SALT_LEN);
    iv[7] ^= label;
    memset(out, 0, len);
    aes_cm(key->master, iv, out, len);
}

static void
derive_session_keys(void)
{
    for (unsigned k = 0; k < G_N_ELEMENTS(fuzz_keys); k++) {
        for (unsigned rtcp = 0; rtcp < 2; rtcp++) {
            session_keys_t *s = &session_keys[k][rtcp];

            derive(&fuzz_keys[k], (uint8_t)(3 * rtcp + 0), s->enc, sizeof(s->enc));
            derive(&fuzz_keys[k], (uint8_t)(3 * rtcp + 1), s->auth, sizeof(s->auth));
            derive(&fuzz_keys[k], (uint8_t)(3 * rtcp + 2), s->salt, sizeof(s->salt));
        }
    }
}

/* RFC 3711 4.1.1: IV = (salt * 2^16) XOR (SSRC * 2^64) XOR (index * 2^16). */
static void
packet_iv(const session_keys_t *s, uint32_t ssrc, uint64_t index, uint8_t iv[16])
{
    memset(iv, 0, 16);
    memcpy(iv, s->salt, SALT_LEN);
    for (unsigned i = 0; i < 4; i++)
        iv[4 + i] ^= (uint8_t)(ssrc >> (24 - 8 * i));
    for (unsigned i = 0; i < 6; i++)
        iv[8 + i] ^= (uint8_t)(index >> (40 - 8 * i));
}

/* HMAC-SHA1 over the authenticated portion and the 4 bytes of extra
 * (the ROC of SRTP; nothing for SRTCP, whose index is in the portion). */
static void
auth_tag(const session_keys_t *s, const uint8_t *pkt, size_t len, const uint8_t *extra, size_t extra_len,
         uint8_t *tag, size_t tag_len)
{
    gcry_mac_hd_t h;
    uint8_t full[SRTP_AUTH_LEN];
    size_t full_len = sizeof(full);

    if (gcry_mac_open(&h, GCRY_MAC_HMAC_SHA1, 0, NULL) || gcry_mac_setkey(h, s->auth, sizeof(s->auth)) ||
        gcry_mac_write(h, pkt, len) || (extra_len && gcry_mac_write(h, extra, extra_len)) ||
        gcry_mac_read(h, full, &full_len)) {
        fprintf(stderr, "fuzz-msstun: libgcrypt HMAC-SHA1 failed\n");
        exit(1);
    }
    gcry_mac_close(h);
    memcpy(tag, full, tag_len);
}

/* The RTP header length (RFC 3550 5.1, 5.3.1), at most len. */
static size_t
rtp_header_len(const uint8_t *pkt, size_t len)
{
    size_t hdr = RTP_HEADER_LEN + 4U * (pkt[0] & 0x0F);

    if ((pkt[0] & 0x10) && hdr + 4 <= len)
        hdr += 4 + 4U * (size_t)(pkt[hdr + 2] << 8 | pkt[hdr + 3]);
    return MIN(hdr, len);
}

/* SRTP (RFC 3711 3.1): the payload encrypted with index ROC * 2^16 + SEQ,
 * then the MKI and the tag over the packet and the ROC.  len >= 12. */
static size_t
protect_rtp(const fuzz_key_t *key, const session_keys_t *s, const uint8_t *plain, size_t len, uint32_t roc,
            uint8_t *out)
{
    size_t hdr = rtp_header_len(plain, len);
    uint32_t ssrc = (uint32_t)plain[8] << 24 | (uint32_t)plain[9] << 16 | (uint32_t)plain[10] << 8 | plain[11];
    uint64_t index = (uint64_t)roc << 16 | (uint64_t)(plain[2] << 8 | plain[3]);
    uint8_t roc_bytes[4] = { (uint8_t)(roc >> 24), (uint8_t)(roc >> 16), (uint8_t)(roc >> 8), (uint8_t)roc };
    uint8_t iv[16];

    memcpy(out, plain, len);
    packet_iv(s, ssrc, index, iv);
    if (len > hdr)
        aes_cm(s->enc, iv, out + hdr, len - hdr);
    if (key->mki_len)
        out[len] = 1;
    auth_tag(s, out, len, roc_bytes, sizeof(roc_bytes), out + len + key->mki_len, key->tag_len);
    return len + key->mki_len + key->tag_len;
}

/* SRTCP (RFC 3711 3.4): all but the first 8 bytes encrypted (unless
 * clear) with the 31-bit index, then the E flag and index, the MKI and the
 * tag over the packet and the E flag and index.  len >= 8. */
static size_t
protect_rtcp(const fuzz_key_t *key, const session_keys_t *s, const uint8_t *plain, size_t len, uint32_t index,
             bool clear, uint8_t *out)
{
    uint32_t ssrc = (uint32_t)plain[4] << 24 | (uint32_t)plain[5] << 16 | (uint32_t)plain[6] << 8 | plain[7];
    uint32_t e_index = (index & 0x7FFFFFFFU) | (clear ? 0 : 0x80000000U);
    uint8_t iv[16];

    memcpy(out, plain, len);
    if (!clear) {
        packet_iv(s, ssrc, index & 0x7FFFFFFFU, iv);
        aes_cm(s->enc, iv, out + RTCP_HEADER_LEN, len - RTCP_HEADER_LEN);
    }
    out[len] = (uint8_t)(e_index >> 24);
    out[len + 1] = (uint8_t)(e_index >> 16);
    out[len + 2] = (uint8_t)(e_index >> 8);
    out[len + 3] = (uint8_t)e_index;
    if (key->mki_len)
        out[len + 4] = 1;
    auth_tag(s, out, len + 4, NULL, 0, out + len + 4 + key->mki_len, key->tag_len);
    return len + 4 + key->mki_len + key->tag_len;
}

/* Record types: the low two bits are the kind, the others flags. */
#define REC_KIND      0x03
#define REC_RTP       0x00      /* ROC (4 bytes) and a plaintext RTP packet */
#define REC_RTCP      0x01      /* SRTCP index (4 bytes) and a plaintext compound RTCP packet */
#define REC_RAW       0x02      /* a UDP payload, sent as it is */
#define REC_SIP       0x03      /* a SIP message, to UDP port 5060 */
#define REC_KEY_B     0x04      /* protected with key B rather than A */
#define REC_SERVER    0x08      /* from the server */
#define REC_BAD_TAG   0x10      /* the tag's last bit flipped */
#define REC_CLEAR     0x20      /* SRTCP without encryption (E flag 0) */

/* Binding a key takes one packet, a ROC rollover two, a call set up in
 * SIP and its media some more: 8 records keep an input cheap (an input
 * costs by the frame). */
#define MAX_SRTP_RECORDS 8U

static void
build_srtp(const uint8_t *data, size_t size)
{
    size_t pos = 0;

    while (pos + 3 <= size && frame_count < MAX_SRTP_RECORDS) {
        unsigned type = data[pos];
        size_t len = (size_t)(data[pos + 1] << 8 | data[pos + 2]);
        const uint8_t *body = data + pos + 3;
        bool from_client = !(type & REC_SERVER);
        const fuzz_key_t *key = &fuzz_keys[(type & REC_KEY_B) ? 1 : 0];
        unsigned kind = type & REC_KIND;
        size_t out_len = 0;

        pos += 3;
        len = MIN(len, size - pos);
        pos += len;
        if (kind == REC_SIP) {
            add_udp(from_client, SIP_PORT, body, (unsigned)len);
            continue;
        }
        if (kind == REC_RTP && len >= 4 + RTP_HEADER_LEN) {
            uint32_t roc = (uint32_t)body[0] << 24 | (uint32_t)body[1] << 16 | (uint32_t)body[2] << 8 | body[3];

            out_len = protect_rtp(key, &session_keys[key - fuzz_keys][0], body + 4, MIN(len - 4, 65536U),
                                  roc, protected_buf);
        } else if (kind == REC_RTCP && len >= 4 + RTCP_HEADER_LEN) {
            uint32_t index = (uint32_t)body[0] << 24 | (uint32_t)body[1] << 16 | (uint32_t)body[2] << 8 | body[3];

            out_len = protect_rtcp(key, &session_keys[key - fuzz_keys][1], body + 4, MIN(len - 4, 65536U),
                                   index, (type & REC_CLEAR) != 0, protected_buf);
        }
        if (out_len == 0) {
            add_udp(from_client, 3478, body, (unsigned)len);
            continue;
        }
        if (type & REC_BAD_TAG)
            protected_buf[out_len - 1] ^= 1;
        add_udp(from_client, 3478, protected_buf, (unsigned)out_len);
    }
}
#endif

static void
build_frames(const uint8_t *data, size_t size)
{
    frame_count = 0;
#if FUZZ_TARGET == FUZZ_TARGET_UDP3478
    add_udp(true, 3478, data, (unsigned)MIN(size, MAX_IP_PAYLOAD));
#elif FUZZ_TARGET == FUZZ_TARGET_TCP443
    build_tcp443(data, size);
#elif FUZZ_TARGET == FUZZ_TARGET_SRTP
    build_srtp(data, size);
#else
    add_udp(true, MESSAGE_PORT, data, (unsigned)MIN(size, MAX_IP_PAYLOAD));
#endif
}

/*
 * Dissection
 */

/* What "tshark -V" does with every item: format its label. */
static void
format_labels(proto_node *node, gpointer data _U_)
{
    field_info *fi = PNODE_FINFO(node);

    if (fi && !fi->rep) {
        char label[ITEM_LABEL_LENGTH];
#if MSSTUN_WS_VERSION_AT_LEAST(4, 6)
        size_t value_offset;

        /* 4.6 also gives the offset of the value in the label. */
        proto_item_fill_label(fi, label, &value_offset);
#else
        proto_item_fill_label(fi, label);
#endif
    }
    proto_tree_children_foreach(node, format_labels, NULL);
}

static void
dissect_pass(epan_t *session, bool second)
{
    const frame_data *prev_dis = NULL;
    const frame_data *ref = NULL;
    nstime_t elapsed = NSTIME_INIT_ZERO;
    guint32 cum_bytes = 0;
    wtap_rec rec;

    for (unsigned i = 0; i < frame_count; i++) {
        epan_dissect_t *edt;

        /* From 4.6 on the record holds the frame's bytes (rec.data, sized
         * by wtap_rec_init()), from which epan_dissect_run() makes the
         * tvb, and wtap_setup_packet_rec() sets a packet record up, with
         * the record type's name, which the frame dissector puts in a
         * column; before, the caller gives epan_dissect_run() a tvb
         * (checked on 4.4.19 and 4.6.9). */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 6)
        wtap_rec_init(&rec, frames[i].len);
        wtap_setup_packet_rec(&rec, WTAP_ENCAP_ETHERNET);
        ws_buffer_append(&rec.data, frames[i].bytes, frames[i].len);
#else
        wtap_rec_init(&rec);
        rec.rec_type = REC_TYPE_PACKET;
        rec.rec_header.packet_header.pkt_encap = WTAP_ENCAP_ETHERNET;
#endif
        rec.presence_flags = WTAP_HAS_TS | WTAP_HAS_CAP_LEN;
        rec.ts = provider.ts[i];
        rec.tsprec = WTAP_TSPREC_USEC;
        rec.rec_header.packet_header.caplen = frames[i].len;
        rec.rec_header.packet_header.len = frames[i].len;

        if (!second)
            frame_data_init(&fdata[i], provider.base + i + 1, &rec, 0, cum_bytes);
        frame_data_set_before_dissect(&fdata[i], &elapsed, &ref, prev_dis);
        /* As tshark: a first-pass tree when a postdissector wants fields. */
        edt = epan_dissect_new(session, second || postdissectors_want_hfids(), second);
#if MSSTUN_WS_VERSION_AT_LEAST(4, 6)
        /* 4.6's libwireshark primes the tree with the fields postdissectors
         * want itself, for a frame not yet visited. */
        if (second)
            epan_dissect_run_with_taps(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, &rec, &fdata[i], &cinfo);
        else
            epan_dissect_run(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, &rec, &fdata[i], NULL);
#else
        prime_epan_dissect_with_postdissector_wanted_hfids(edt);
        {
            tvbuff_t *tvb = tvb_new_real_data(frames[i].bytes, frames[i].len, frames[i].len);

            if (second)
                epan_dissect_run_with_taps(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, &rec, tvb, &fdata[i], &cinfo);
            else
                epan_dissect_run(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, &rec, tvb, &fdata[i], NULL);
        }
#endif
        if (second && edt->tree)
            proto_tree_children_foreach(edt->tree, format_labels, NULL);
        frame_data_set_after_dissect(&fdata[i], &cum_bytes);
        fdata[i].visited = 1;
        prev_dis = &fdata[i];
        epan_dissect_free(edt);
        wtap_rec_cleanup(&rec);
    }
}

/*
 * The plugin's reports (tap-msstun.c, tap-msstun-flow.c), as
 * "-z msstun,allocations", "-z msstun,checks" and "-z msstun,media" run
 * them: every row and cell read at the end; and the flow graph, as
 * "-z flow,msstun,network" draws it (ui/cli/tap-flow.c), to /dev/null.
 */

static void
tap_reset(void *tapdata)
{
    stat_data_t *sd = tapdata;

    reset_stat_table(sd->stat_tap_data);
}

static void
tap_draw(void *tapdata)
{
    stat_data_t *sd = tapdata;
    stat_tap_table_ui *ui = sd->stat_tap_data;
    size_t total = 0;

    for (unsigned t = 0; t < ui->tables->len; t++) {
        stat_tap_table *table = g_array_index(ui->tables, stat_tap_table *, t);

        for (unsigned row = 0; row < table->num_elements; row++) {
            for (unsigned col = 0; col < table->num_fields; col++) {
                stat_tap_table_item_type *item = stat_tap_get_field_data(table, row, col);

                if (item && item->type == TABLE_ITEM_STRING && item->value.string_value)
                    total += strlen(item->value.string_value);
            }
        }
    }
    /* Keeps the loop from being optimised away. */
    if (total == SIZE_MAX)
        abort();
}

static void
flow_draw(void *tapdata)
{
    msstun_seq_info_t *sainfo = tapdata;

    sequence_analysis_get_nodes(sainfo);
    sequence_analysis_dump_to_file(flow_out, sainfo, 0);
    sequence_analysis_list_free(sainfo);
}

static void
register_flow(void)
{
    struct register_analysis *analysis = sequence_analysis_find_by_name("msstun");
    GString *err;

    flow_out = fopen("/dev/null", "w");
    if (!analysis || !flow_out) {
        fprintf(stderr, "fuzz-msstun: no msstun sequence analysis or no /dev/null\n");
        exit(1);
    }
    flow_info = sequence_analysis_info_new();
    flow_info->any_addr = FALSE;        /* "network": the IP addresses */
    err = register_tap_listener(sequence_analysis_get_tap_listener_name(analysis), flow_info, NULL,
                                sequence_analysis_get_tap_flags(analysis), NULL,
                                sequence_analysis_get_packet_func(analysis), flow_draw, NULL);
    if (err) {
        fprintf(stderr, "fuzz-msstun: %s\n", err->str);
        exit(1);
    }
}

static void
register_reports(void)
{
    static const char *const names[N_REPORTS] = { "msstun,allocations", "msstun,checks", "msstun,media" };

    for (unsigned i = 0; i < N_REPORTS; i++) {
        GString *err;

        tap_uis[i] = stat_tap_by_name(names[i]);
        if (!tap_uis[i]) {
            fprintf(stderr, "fuzz-msstun: no report %s: the plugin is not registered\n", names[i]);
            exit(1);
        }
        tap_data[i].stat_tap_data = tap_uis[i];
        tap_uis[i]->stat_tap_init_cb(tap_uis[i]);
        err = register_tap_listener(tap_uis[i]->tap_name, &tap_data[i], NULL, 0, tap_reset,
                                    tap_uis[i]->packet_func, tap_draw, NULL);
        if (err) {
            fprintf(stderr, "fuzz-msstun: %s\n", err->str);
            exit(1);
        }
    }
    register_flow();
}

/* The protocols the plugin's traffic goes through, and those it hands
 * payloads to; every other one is disabled, as fuzzshark restricts a
 * target to one protocol.  Without this the TCP target stops at bugs of
 * Wireshark's own dissectors reached through TCP's heuristics or the
 * port's previous owner, with or without the plugin: Wireshark 4.0.17's
 * TLS ("frag_info && frag_info->offset == 0", packet-tls.c:2513) and Ceph
 * ("Frame visited, but no saved state", packet-ceph.c:1521) assertions,
 * inputs in fuzz/wireshark-only/.  The plugin still calls the TLS handle
 * for real TLS and unrecognised bytes; a disabled TLS returns 0. */
static void
only_plugin_protocols(void)
{
    static const char *const keep[] = {
        "frame", "eth", "ethertype", "ip", "udp", "tcp", "msstun", "msstun_message",
        "rtp", "rtcp", "srtcp", "dtls", "stun", "data", "_ws.malformed", "_ws.expert",
        "_ws.short", "_ws.lua", "_ws.unreassembled",
#if FUZZ_TARGET == FUZZ_TARGET_SRTP
        /* The SDP that SRTP keys come from. */
        "sip", "sdp", "mime_multipart",
#endif
    };
    void *cookie = NULL;

    for (int id = proto_get_first_protocol(&cookie); id != -1; id = proto_get_next_protocol(&cookie)) {
        const char *name = proto_get_protocol_filter_name(id);
        bool wanted = false;

        for (size_t i = 0; i < G_N_ELEMENTS(keep); i++)
            wanted = wanted || strcmp(name, keep[i]) == 0;
        if (!wanted && !proto_is_pino(find_protocol_by_id(id)) && proto_can_toggle_protocol(id))
            proto_set_decoding(id, FALSE);
    }
}

/* MSSTUN_FUZZ_PCAP: the frames of every input, as a pcap (Ethernet). */
static void
put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void
open_pcap(const char *path)
{
    uint8_t header[24] = { 0 };

    pcap_out = fopen(path, "wb");
    if (!pcap_out) {
        fprintf(stderr, "fuzz-msstun: cannot write %s\n", path);
        exit(1);
    }
    put_le32(header, 0xA1B2C3D4U);
    header[4] = 2;                      /* version 2.4 */
    header[6] = 4;
    put_le32(header + 16, 65535);       /* snapshot length */
    put_le32(header + 20, 1);           /* LINKTYPE_ETHERNET */
    fwrite(header, 1, sizeof(header), pcap_out);
}

static void
write_pcap_frames(void)
{
    for (unsigned i = 0; i < frame_count; i++) {
        uint8_t record[16];

        put_le32(record, (uint32_t)provider.ts[i].secs);
        put_le32(record + 4, (uint32_t)(provider.ts[i].nsecs / 1000));
        put_le32(record + 8, frames[i].len);
        put_le32(record + 12, frames[i].len);
        fwrite(record, 1, sizeof(record), pcap_out);
        fwrite(frames[i].bytes, 1, frames[i].len, pcap_out);
    }
    fflush(pcap_out);
}

int
LLVMFuzzerInitialize(int *argc _U_, char ***argv _U_)
{
    /* As the suite runs tshark: bugs abort, and a HOME without
     * preferences.  wmem allocations are separate heap blocks, so that
     * AddressSanitizer sees overruns of packet-scope buffers. */
    g_setenv("WIRESHARK_ABORT_ON_DISSECTOR_BUG", "1", TRUE);
    g_setenv("WIRESHARK_ABORT_ON_TOO_MANY_ITEMS", "1", TRUE);
    if (!g_getenv("WIRESHARK_DEBUG_WMEM_OVERRIDE"))
        g_setenv("WIRESHARK_DEBUG_WMEM_OVERRIDE", "simple", TRUE);
    g_setenv("G_SLICE", "always-malloc", TRUE);
    g_setenv("HOME", "/nonexistent", TRUE);
    g_unsetenv("XDG_CONFIG_HOME");

    if (g_getenv("MSSTUN_FUZZ_INPUTS_PER_SESSION"))
        inputs_per_session = (unsigned)MAX(1, atoi(g_getenv("MSSTUN_FUZZ_INPUTS_PER_SESSION")));
    /* 4.6's ws_log_init() takes the program name from GLib. */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 6)
    g_set_prgname("fuzz-msstun");
    ws_log_init(NULL);
#else
    ws_log_init("fuzz-msstun", NULL);
#endif
    ws_log_set_level(LOG_LEVEL_CRITICAL);
    init_process_policies();
    wtap_init(FALSE);
    plugin_register();
    if (!epan_init(NULL, NULL, FALSE)) {
        fprintf(stderr, "fuzz-msstun: epan_init failed\n");
        exit(1);
    }
    register_tap_listener_msstun();
    register_tap_listener_msstun_flow();
    epan_load_settings();
    set_keys_file();
    prefs_apply_all();
    /* The columns and time format of tshark's defaults. */
    timestamp_set_type(TS_RELATIVE);
    timestamp_set_precision(TS_PREC_AUTO);
    timestamp_set_seconds_type(TS_SECONDS_DEFAULT);
    build_column_format_array(&cinfo, prefs.num_cols, TRUE);
    if (proto_get_id_by_filter_name("msstun") < 0) {
        fprintf(stderr, "fuzz-msstun: the msstun protocol is not registered\n");
        exit(1);
    }
    only_plugin_protocols();
#if FUZZ_TARGET == FUZZ_TARGET_MESSAGE
    {
        dissector_handle_t h = find_dissector("msstun_message");

        if (!h) {
            fprintf(stderr, "fuzz-msstun: no dissector msstun_message\n");
            exit(1);
        }
        dissector_add_uint("udp.port", MESSAGE_PORT, h);
    }
#endif
    register_reports();
#if FUZZ_TARGET == FUZZ_TARGET_SRTP
    derive_session_keys();
#endif
    if (g_getenv("MSSTUN_FUZZ_PCAP"))
        open_pcap(g_getenv("MSSTUN_FUZZ_PCAP"));
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static epan_t *session;
    static unsigned session_inputs;

    if (session && session_inputs >= inputs_per_session) {
        epan_free(session);
        session = NULL;
    }
    if (!session) {
        session = epan_new(&provider, &provider_funcs);
        session_inputs = 0;
        provider.base = 0;
    }
    /* Each input of a session is a capture of its own: the client and the
     * server have addresses of their own (10.x.y.z and, after the first
     * input, 100.64.0.0/10) and the frame numbers follow the previous
     * input's, so that no conversation, stream or frame-keyed state is
     * shared between inputs (unless an input names a later input's
     * addresses in its attributes).  A session is replaced after
     * MSSTUN_FUZZ_INPUTS_PER_SESSION inputs (default 50000, srtp 1000):
     * epan_new() and epan_free() for every input would cost about 30 ms
     * and leak about 6 MB each in Wireshark 4.0. */
    client_serial = session_inputs++;
    build_frames(data, size);
    provider.count = frame_count;
    for (unsigned i = 0; i < frame_count; i++) {
        guint32 n = provider.base + i;

        provider.ts[i].secs = 1700000000 + (time_t)(n / 1000);
        provider.ts[i].nsecs = (int)(n % 1000) * 1000000;
    }
    if (pcap_out)
        write_pcap_frames();

    reset_tap_listeners();
    dissect_pass(session, false);
    dissect_pass(session, true);
    draw_tap_listeners(TRUE);
    reset_tap_listeners();
    for (unsigned i = 0; i < frame_count; i++) {
        frame_data_destroy(&fdata[i]);
        g_free(frames[i].bytes);
    }
    provider.base += frame_count;
    return 0;
}
