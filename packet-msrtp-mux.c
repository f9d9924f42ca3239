/* packet-msrtp-mux.c
 * The MSSTUN port multiplexer: classifies what arrives on the Edge's UDP
 * and TCP ports (STUN/TURN of every dialect, TURN ChannelData, MS
 * multiplexed TURN, RTP, RTCP, DTLS, TLS and MS-TURN pseudo-TLS) and hands
 * each payload to the dissector it belongs to.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Specifications:
 *   RFC 7983  Multiplexing on one port (first-byte ranges)
 *   RFC 4571  Framing RTP and RTCP over TCP (also MS-ICE2 ICE-TCP)
 *   RFC 5766/8656 TURN (ChannelData, TURN over TCP); RFC 6062 TCP relay
 *   RFC 3550, RFC 5761 (RTP/RTCP on one port), RFC 5506 (reduced-size RTCP)
 *   [MS-TURN] 2.1.1 pseudo-TLS, 2.1.4 TCP framing, 2.2.3 multiplexed TURN
 *
 * TCP streams on the Edge ports carry one of:
 *   - real TLS (SIP, web conferencing): the whole connection goes to
 *     Wireshark's TLS dissector, segment by segment, so that it reassembles
 *     and decrypts as it would without this plugin;
 *   - MS-TURN over TCP: an optional pseudo-TLS handshake (a TLS 1.0
 *     ClientHello offering only 0x0018, answered by ServerHello and
 *     ServerHelloDone in one record), then frames of Type(1) Reserved(1)
 *     Length(2): 0x02 carries one MS-TURN message, 0x03 end-to-end data,
 *     itself a stream of RFC 4571 frames that need not align with the
 *     outer frames;
 *   - RFC 4571 framing (ICE-TCP);
 *   - RFC 5766 TURN over TCP: STUN messages and 4-byte padded ChannelData
 *     back to back, and after an RFC 6062 ConnectionBind success, raw data.
 * The kind is decided from the first payload on the connection long enough
 * to tell (a shorter one waits for the next segment) and remembered per
 * conversation, by frame number, so every pass agrees.
 */

#include "packet-msstun.h"
#include "conversation_ports.h"
#include "prefs.h"
#include "srtp.h"

#include <epan/conversation.h>
#include <epan/exceptions.h>
#include <epan/expert.h>
#include <epan/proto_data.h>
#include <epan/tfs.h>
#include <epan/dissectors/packet-rtcp.h>
#include <epan/dissectors/packet-rtp.h>
#include <epan/dissectors/packet-tcp.h>
#include <wsutil/ws_roundup.h>

void proto_register_msrtp_mux(void);
void proto_reg_handoff_msrtp_mux(void);

/* Relayed payloads (DATA, ChannelData, 0xFF10, TCP end-to-end data) go back
 * into the classifier; this bounds that recursion. */
#define MSSTUN_MAX_NESTING          4

#define CHANNELDATA_HDR_LEN         4U
#define MS_MULTIPLEXED_TURN         0xFF10  /* MS-TURN 2.2.3 */
#define MTURN_HDR_LEN               12U      /* channel, length, session ID */
#define MSTURN_TCP_HDR_LEN          4U       /* MS-TURN 2.1.4 */
#define MSTURN_TCP_CONTROL          0x02
#define MSTURN_TCP_END_TO_END       0x03
#define RFC4571_HDR_LEN             2U
#define TLS_RECORD_HDR_LEN          5U
#define PSEUDO_TLS_CLIENT_HELLO_LEN 50       /* MS-TURN 2.1.1 */
#define PSEUDO_TLS_SERVER_HELLO_LEN 83
#define PSEUDO_TLS_CIPHER_SUITE     0x0018  /* TLS_DH_anon_WITH_RC4_128_MD5 */
#define STUN_CONNECTION_BIND_REQUEST 0x000B /* RFC 6062 */
#define STUN_CONNECTION_BIND_SUCCESS 0x010B
#define STUN_TRANSACTION_LEN        16U      /* header bytes 4-19: cookie and ID, or a classic 128-bit ID */
#define E2E_RESYNC_SCAN_LIMIT       2048U    /* offsets tried per end-to-end frame after a gap */
#define E2E_KNOWN_SSRCS             4U       /* sources remembered per direction to resynchronise on */

/* Keys of the per-packet counters (packet scope). */
#define PKT_KEY_PDU_INDEX           0
#define PKT_KEY_E2E_INDEX           1
#define PKT_KEY_PDU_OFFSET          2   /* where the next MS-TURN frame starts in TCP's payload */

typedef enum {
    TCP_MODE_ORIGINAL = 1,  /* none of ours: left to TCP's other port and heuristics */
    TCP_MODE_UNDECIDED,     /* too few bytes yet to tell: decided on a later segment */
    TCP_MODE_TLS,
    TCP_MODE_MSTURN,        /* pseudo-TLS and MS-TURN framing */
    TCP_MODE_RFC4571,
    TCP_MODE_RAW_TURN,      /* RFC 5766 TURN over TCP */
    TCP_MODE_RAW_DATA       /* RFC 6062 data connection after ConnectionBind */
} msstun_tcp_mode_t;

/* An RFC 4571 frame of TCP end-to-end data not complete yet: its bytes so
 * far, only ever appended to. */
typedef struct {
    uint8_t *bytes;
    unsigned length;
    unsigned capacity;
} msstun_e2e_partial_t;

/* Where an end-to-end data frame stands in its direction's inner stream. */
typedef enum {
    E2E_IN_STEP,        /* its bytes follow the ones before */
    E2E_REPEATED,       /* a retransmitted copy: its bytes were already counted */
    E2E_UNFRAMED        /* RTP or RTCP without RFC 4571 framing */
} msstun_e2e_status_t;

/* What the first pass learned about one end-to-end data frame, for every
 * pass to show the same. */
typedef struct {
    msstun_e2e_partial_t *partial;  /* the unfinished inner frame it goes on with, or NULL */
    unsigned carried;               /* bytes of that frame before this one */
    unsigned skipped;               /* after a gap: bytes before the first frame that validates */
    uint8_t  status;                /* msstun_e2e_status_t */
    bool     after_gap;             /* the stream was interrupted before this frame */
} msstun_e2e_record_t;

/* The inner RFC 4571 stream of one direction, on the first pass.  MS-TURN
 * frames are placed by their TCP sequence numbers, so that a retransmitted
 * copy is not counted twice and a missing, overlapping or out-of-order
 * segment is a gap, after which the stream resynchronises. */
typedef struct {
    msstun_e2e_partial_t *partial;  /* unfinished inner frame, or NULL */
    uint32_t next_seq;              /* TCP sequence number after the last MS-TURN frame */
    bool     seq_known;
    bool     started;               /* an end-to-end frame was placed */
    bool     control_seen;          /* a control frame or pseudo-TLS record came first */
    bool     lost_sync;             /* skip to the next inner frame that validates */
    bool     gap_unreported;        /* the next end-to-end frame says there was a gap */
    bool     had_gap;
    bool     framed;                /* RFC 4571 frames were found in it */
    uint32_t ssrcs[E2E_KNOWN_SSRCS];  /* the last RTP/RTCP sources of its inner frames */
    unsigned n_ssrcs;
} msstun_e2e_stream_t;

/* What the multiplexer keeps per 5-tuple; each member is created when
 * first needed. */
typedef struct {
    wmem_tree_t *tcp_modes;         /* TCP stream mode by first frame */
    wmem_tree_t *e2e_records;       /* per end-to-end frame */
    msstun_e2e_stream_t e2e_stream[2]; /* inner stream per direction */
    uint8_t      bind_request_id[STUN_TRANSACTION_LEN]; /* last RFC 6062 ConnectionBind request */
    unsigned     bind_request_dir;  /* its direction + 1; 0: none */
    const struct srtp_info *srtcp_suite; /* RTCP told about SRTCP with it, or NULL */
    bool         opened_with_tls;   /* first TCP payload a TLS record (real or pseudo) */
} msstun_mux_conv_t;

/* Lync/Skype for Business Edge defaults: media on UDP 3478, TURN over TCP
 * 443 and, for TURN clients that use it, TCP 3478.  Teams (and Skype for
 * Business Online) clients reach the Transport Relays on UDP 3478-3481
 * (3479 audio, 3480 video, 3481 sharing, for QoS). */
#define MSSTUN_UDP_PORTS    "3478-3481"
#define MSSTUN_TCP_PORTS    "443,3478"

static dissector_handle_t msstun_handle;
static dissector_handle_t msstun_message_handle;
static dissector_handle_t rtp_handle;
static dissector_handle_t rtcp_handle;
static dissector_handle_t dtls_handle;
static dissector_handle_t tls_handle;
static dissector_handle_t stun_udp_handle;
static dissector_handle_t stun_tcp_handle;

static int hf_msstun_channel = -1;
static int hf_msstun_channel_length = -1;
static int hf_msstun_channel_padding = -1;
static int hf_msstun_mturn_channel = -1;
static int hf_msstun_mturn_length = -1;
static int hf_msstun_mturn_session_id = -1;
static int hf_msstun_tcp_type = -1;
static int hf_msstun_tcp_reserved = -1;
static int hf_msstun_tcp_length = -1;
static int hf_msstun_rfc4571_length = -1;
static int hf_msstun_rfc4571_partial = -1;
static int hf_msstun_rfc4571_reassembled = -1;
static int hf_msstun_rfc4571_skipped = -1;
static int hf_msstun_ptls_content_type = -1;
static int hf_msstun_ptls_version = -1;
static int hf_msstun_ptls_record_length = -1;
static int hf_msstun_ptls_handshake_type = -1;
static int hf_msstun_ptls_handshake_length = -1;
static int hf_msstun_ptls_hello_version = -1;
static int hf_msstun_ptls_gmt_unix_time = -1;
static int hf_msstun_ptls_random = -1;
static int hf_msstun_ptls_session_id_length = -1;
static int hf_msstun_ptls_session_id = -1;
static int hf_msstun_ptls_cipher_suites_length = -1;
static int hf_msstun_ptls_cipher_suite = -1;
static int hf_msstun_ptls_compression_methods_length = -1;
static int hf_msstun_ptls_compression_method = -1;
static int hf_msstun_ptls_pseudo = -1;
static int hf_msstun_unrecognised_first_byte = -1;
static int hf_msstun_original = -1;

static int ett_msstun_mux = -1;
static int ett_msstun_ptls_handshake = -1;
static int ett_msstun_original = -1;

static expert_field ei_msstun_nesting = EI_INIT;
static expert_field ei_msstun_tcp_bad_type = EI_INIT;
static expert_field ei_msstun_tcp_no_length = EI_INIT;
static expert_field ei_msstun_tcp_control_not_stun = EI_INIT;
static expert_field ei_msstun_ptls_not_pseudo = EI_INIT;
static expert_field ei_msstun_unrecognised = EI_INIT;
static expert_field ei_msstun_srtcp_encrypted = EI_INIT;
static expert_field ei_msstun_srtcp_clear_malformed = EI_INIT;
static expert_field ei_msstun_unrecognised_payload = EI_INIT;
static expert_field ei_msstun_layer_limit = EI_INIT;
static expert_field ei_msstun_original_exception = EI_INIT;
static expert_field ei_msstun_e2e_repeated = EI_INIT;
static expert_field ei_msstun_e2e_gap = EI_INIT;
static expert_field ei_msstun_e2e_lost_sync = EI_INIT;

static const value_string msstun_tcp_type_vals[] = {
    { MSTURN_TCP_CONTROL,    "TURN control message" },
    { MSTURN_TCP_END_TO_END, "End-to-end data" },
    { 0, NULL }
};

static const value_string msstun_tls_content_type_vals[] = {
    { 20, "Change Cipher Spec" },
    { 21, "Alert" },
    { 22, "Handshake" },
    { 23, "Application Data" },
    { 0, NULL }
};

static const value_string msstun_tls_handshake_type_vals[] = {
    { 1,  "Client Hello" },
    { 2,  "Server Hello" },
    { 11, "Certificate" },
    { 12, "Server Key Exchange" },
    { 14, "Server Hello Done" },
    { 0, NULL }
};

static const value_string msstun_tls_version_vals[] = {
    { 0x0300, "SSL 3.0" },
    { 0x0301, "TLS 1.0" },
    { 0x0302, "TLS 1.1" },
    { 0x0303, "TLS 1.2" },
    { 0, NULL }
};

static const value_string msstun_cipher_suite_vals[] = {
    { PSEUDO_TLS_CIPHER_SUITE, "TLS_DH_anon_WITH_RC4_128_MD5" },
    { 0, NULL }
};

/* Why a payload on a TURN port is shown as data: what its first byte would
 * have made it (RFC 7983 ranges, with ChannelData's RFC 5766 0x40-0x7F and
 * MS-TURN 2.2.3 multiplexed TURN), and that it is not. */
static const range_string msstun_first_byte_rvals[] = {
    { 0x00, 0x03, "STUN/TURN range, but not a STUN/TURN message" },
    { 0x04, 0x0F, "Outside every range that MSSTUN decodes" },
    { 0x10, 0x13, "ZRTP range, not decoded by MSSTUN" },
    { 0x14, 0x3F, "DTLS range, but not a DTLS record" },
    { 0x40, 0x7F, "ChannelData range, but not ChannelData of matching length" },
    { 0x80, 0xBF, "RTP/RTCP range, but neither RTP nor RTCP" },
    { 0xC0, 0xFE, "Outside every range that MSSTUN decodes" },
    { 0xFF, 0xFF, "Not a multiplexed TURN (0xFF10) header of matching length" },
    { 0, 0, NULL }
};

static const true_false_string msstun_pseudo_tfs = {
    "MS-TURN pseudo-TLS (no keys are negotiated)", "Not the MS-TURN pseudo-TLS handshake"
};

/*
 * Helpers
 */

static void msstun_dissect_payload(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                                   const msstun_payload_ctx_t *ctx);

static msstun_mux_conv_t *
mux_conv_data(packet_info *pinfo)
{
    return (msstun_mux_conv_t *)msstun_conversation_data(pinfo, proto_msstun, sizeof(msstun_mux_conv_t));
}

/* Which end of the connection sent this segment: 0 or 1. */
static unsigned
direction(packet_info *pinfo)
{
    int cmp = cmp_address(&pinfo->src, &pinfo->dst);

    if (cmp == 0)
        return pinfo->srcport > pinfo->destport;
    return cmp > 0;
}

/* Counts the PDUs of one kind in the frame being dissected; stable across
 * passes because PDUs are always dissected in the same order. */
static unsigned
next_packet_index(packet_info *pinfo, unsigned key)
{
    unsigned count = GPOINTER_TO_UINT(p_get_proto_data(pinfo->pool, pinfo, proto_msstun, key));

    p_add_proto_data(pinfo->pool, pinfo, proto_msstun, key, GUINT_TO_POINTER(count + 1));
    return count;
}

/* Every sub-dissector that takes a payload leaves its protocol in
 * pinfo->layers for the rest of the frame, and Wireshark refuses a call
 * beyond gui.max_tree_depth layers (500) with a dissector bug that loses the
 * frame's remaining PDUs and desynchronises the TCP stream.  One segment can
 * hold hundreds of small PDUs (64 KiB when captured before TSO splits it), so
 * once fewer than this many layers are left, which is more than one payload
 * takes (RTP and its codec, RTCP, DTLS, data), payloads are not handed on. */
#define SUBDISSECTOR_LAYER_HEADROOM 16

/* Whether a payload may still go to a sub-dissector in this frame; if not,
 * says so over the payload. */
static bool
subdissector_room(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    unsigned layers = wmem_list_count(pinfo->layers);

    if (layers + SUBDISSECTOR_LAYER_HEADROOM < prefs.gui_max_tree_depth)
        return true;
    proto_tree_add_expert_format(tree, pinfo, &ei_msstun_layer_limit, tvb, 0, -1,
                                 "Payload not dissected: the frame has %u protocol layers, near the %u "
                                 "that preference gui.max_tree_depth allows",
                                 layers, prefs.gui_max_tree_depth);
    return false;
}

/* A payload shown as data, if the frame has room for the layer. */
static void
show_data(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    if (subdissector_room(tvb, pinfo, tree))
        call_data_dissector(tvb, pinfo, tree);
}

/* Separates the Info text of several PDUs in one frame. */
static void
start_pdu_info(packet_info *pinfo)
{
    if (next_packet_index(pinfo, PKT_KEY_PDU_INDEX) > 0) {
        col_append_str(pinfo->cinfo, COL_INFO, " ; ");
        col_set_fence(pinfo->cinfo, COL_INFO);
    }
}

/* "Show original dissection": how Wireshark's own dissector for these
 * ports decodes the frame (STUN; TLS for a TCP connection that opened with
 * a TLS record, real or MS-TURN pseudo-TLS), in a subtree of its own,
 * without letting it rewrite the columns.  When it gives up on the frame,
 * the subtree says why, and neither the frame nor its columns suffer: the
 * dissection shown is MSSTUN's. */
static void
show_original(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data, bool tls)
{
    dissector_handle_t volatile handle;
    proto_item *ti;
    proto_tree *volatile original_tree;

    if (!msstun_prefs()->show_original || !subdissector_room(tvb, pinfo, tree))
        return;
    if (pinfo->ptype == PT_TCP)
        handle = tls ? tls_handle : stun_tcp_handle;
    else
        handle = stun_udp_handle;
    ti = proto_tree_add_item(tree, hf_msstun_original, tvb, 0, -1, ENC_NA);
    proto_item_append_text(ti, " (%s)", dissector_handle_get_protocol_short_name(handle));
    original_tree = proto_item_add_subtree(ti, ett_msstun_original);
    col_set_writable(pinfo->cinfo, -1, false);
    TRY {
        call_dissector_only(handle, tvb, pinfo, original_tree, data);
    }
    CATCH_BOUNDS_ERRORS {
        proto_tree_add_expert_format(original_tree, pinfo, &ei_msstun_original_exception, tvb, 0, 0,
                                     "Wireshark's %s dissector stopped: %s",
                                     dissector_handle_get_protocol_short_name(handle),
                                     EXCEPT_CODE == BoundsError ? "packet size limited during capture"
                                     : EXCEPT_CODE == FragmentBoundsError ? "unreassembled packet"
                                     : "malformed packet");
    }
    FINALLY {
        col_set_writable(pinfo->cinfo, -1, true);
    }
    ENDTRY;
}

/*
 * Classification (RFC 7983 first-byte ranges, refined by length checks)
 */

/* Walks a compound RTCP packet; returns where the walk ends.  Plain RTCP
 * ends exactly at len; SRTCP encrypts all but the first 8 bytes and appends
 * its index and authentication tag, so its walk stops early.  So does the
 * walk of a packet cut short by the capture, at the first header that was
 * not captured. */
static unsigned
rtcp_compound_end(tvbuff_t *tvb, unsigned len)
{
    unsigned captured = tvb_captured_length(tvb);
    unsigned offset = 0;

    while (len - offset >= 4 && captured >= offset + 4) {
        unsigned packet_type = tvb_get_uint8(tvb, offset + 1);
        unsigned packet_len = 4 * (tvb_get_ntohs(tvb, offset + 2) + 1U);

        /* RFC 5761 4: RTCP packet types 192-223; the marker bit is part of it. */
        if ((tvb_get_uint8(tvb, offset) >> 6) != 2 || packet_type < 192 || packet_type > 223 ||
            packet_len > len - offset)
            break;
        offset += packet_len;
    }
    return offset;
}

static bool
looks_like_rtcp(tvbuff_t *tvb, unsigned len)
{
    return len >= 8 && rtcp_compound_end(tvb, len) >= 8;
}

/* SRTCP: the first RTCP header is in clear, the rest is not, and at least
 * the index and a 32-bit tag follow (RFC 3711 3.4).  A packet cut short by
 * the capture has no trailer to tell: it goes to RTCP, which shows what
 * was captured. */
static bool
is_srtcp(tvbuff_t *tvb, unsigned len)
{
    unsigned end = rtcp_compound_end(tvb, len);

    return tvb_captured_length(tvb) >= len && end < len && len - end >= 8;
}

/* Where the E flag and SRTCP index sit tell the suite apart: last for AEAD
 * suites (RFC 7714 9, the tag precedes it), 10 or 4 bytes before the end for
 * AES_CM with HMAC-SHA1-80 or -32 (RFC 3711 3.4), one more with the 1-byte
 * MKI that Microsoft clients send.  The index counts up from 0, so a
 * plausible one has the E flag set and few high bits.  Returns the number
 * of bytes after the index (MKI and tag), or -1. */
static int
srtcp_trailer_length(tvbuff_t *tvb, unsigned len)
{
    static const unsigned trailers[] = { 0, 10, 4, 11, 5 };

    for (unsigned i = 0; i < G_N_ELEMENTS(trailers); i++) {
        uint32_t e_index;

        if (len < 8 + trailers[i] + 4)
            continue;
        e_index = tvb_get_ntohl(tvb, len - trailers[i] - 4);
        if ((e_index & 0xFF000000) == 0x80000000)
            return (int)trailers[i];
    }
    return -1;
}

/* Lets Wireshark's RTCP dissector show SRTCP as encrypted instead of
 * parsing ciphertext; returns the suite RTCP was told about, or NULL. */
static const struct srtp_info *
setup_srtcp(tvbuff_t *tvb, packet_info *pinfo)
{
    /* By the bytes after the index: AEAD; AES_CM_128_HMAC_SHA1_80 (the only
     * suite of MS-SDPEXT) and _32, without and with a 1-byte MKI. */
    static struct srtp_info suites[] = {
        { SRTP_ENC_ALG_AES_GCM, SRTP_AUTH_ALG_GMAC, 0, 0 },
        { SRTP_ENC_ALG_AES_CM, SRTP_AUTH_ALG_HMAC_SHA1, 0, 10 },
        { SRTP_ENC_ALG_AES_CM, SRTP_AUTH_ALG_HMAC_SHA1, 0, 4 },
        { SRTP_ENC_ALG_AES_CM, SRTP_AUTH_ALG_HMAC_SHA1, 1, 10 },
        { SRTP_ENC_ALG_AES_CM, SRTP_AUTH_ALG_HMAC_SHA1, 1, 4 },
    };
    msstun_mux_conv_t *conv_data = mux_conv_data(pinfo);
    struct srtp_info *info = NULL;
    int trailer;

    if (conv_data->srtcp_suite || PINFO_FD_VISITED(pinfo))
        return conv_data->srtcp_suite;
    trailer = srtcp_trailer_length(tvb, tvb_reported_length(tvb));
    for (unsigned i = 0; i < G_N_ELEMENTS(suites); i++) {
        if ((int)(suites[i].mki_len + suites[i].auth_tag_len) == trailer)
            info = &suites[i];
    }
    if (!info)
        return NULL;
    conv_data->srtcp_suite = info;
    /* RTCP finds it from either end. */
    msstun_claim_srtcp(pinfo, &pinfo->dst, pinfo->destport, pinfo->srcport, info);
    msstun_claim_srtcp(pinfo, &pinfo->src, pinfo->srcport, pinfo->destport, info);
    return info;
}

/* The header checks that the captured bytes allow: in a packet cut short
 * by the capture, an extension length or padding count that was not
 * captured is not checked, and RTP shows the header that was. */
static bool
looks_like_rtp(tvbuff_t *tvb, unsigned len)
{
    unsigned captured = tvb_captured_length(tvb);
    unsigned b0;
    unsigned header;

    if (len < 12 || captured < 1)
        return false;
    b0 = tvb_get_uint8(tvb, 0);
    if ((b0 >> 6) != 2)
        return false;
    header = 12 + 4 * (b0 & 0x0F);
    if (header > len)
        return false;
    if (b0 & 0x10) {
        if (header + 4 > len)
            return false;
        if (captured < header + 4)
            return true;
        header += 4 + 4 * tvb_get_ntohs(tvb, header + 2);
        if (header > len)
            return false;
    }
    if ((b0 & 0x20) && captured >= len) {
        unsigned padding = tvb_get_uint8(tvb, len - 1);

        if (padding == 0 || header + padding > len)
            return false;
    }
    return true;
}

static bool
looks_like_dtls(tvbuff_t *tvb, unsigned len)
{
    unsigned content_type;

    if (len < 13)
        return false;
    content_type = tvb_get_uint8(tvb, 0);
    return content_type >= 20 && content_type <= 25 && tvb_get_uint8(tvb, 1) == 0xFE;
}

/* ChannelData: channel 0x4000-0x7FFF, length, data; padded to 4 on TCP
 * and optionally on UDP (RFC 5766 11.5). */
static bool
looks_like_channeldata(tvbuff_t *tvb, unsigned len, bool over_tcp)
{
    unsigned data_len;

    if (len < CHANNELDATA_HDR_LEN || (tvb_get_uint8(tvb, 0) & 0xC0) != 0x40)
        return false;
    data_len = tvb_get_ntohs(tvb, 2);
    if (CHANNELDATA_HDR_LEN + WS_ROUNDUP_4(data_len) == len)
        return true;
    return !over_tcp && CHANNELDATA_HDR_LEN + data_len == len;
}

static bool
looks_like_mturn(tvbuff_t *tvb, unsigned len)
{
    return len >= MTURN_HDR_LEN &&
           tvb_get_ntohs(tvb, 0) == MS_MULTIPLEXED_TURN &&
           tvb_get_ntohs(tvb, 2) + 4U == len;
}

/* An RFC 4571 frame holding exactly one STUN, RTP or RTCP packet. */
static bool
looks_like_rfc4571(tvbuff_t *tvb, unsigned len)
{
    tvbuff_t *inner;
    unsigned inner_len;

    if (len < RFC4571_HDR_LEN + 8 || tvb_get_ntohs(tvb, 0) + RFC4571_HDR_LEN != len)
        return false;
    inner = tvb_new_subset_remaining(tvb, RFC4571_HDR_LEN);
    inner_len = len - RFC4571_HDR_LEN;
    return msstun_is_message(inner, 0, inner_len) || looks_like_rtcp(inner, inner_len) ||
           looks_like_rtp(inner, inner_len);
}

static void
dissect_channeldata(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const msstun_payload_ctx_t *ctx)
{
    unsigned len = tvb_reported_length(tvb);
    uint32_t channel;
    uint32_t data_len;
    proto_item *ti;
    proto_tree *mux_tree;
    msstun_tap_t *rec;
    msstun_payload_ctx_t inner = { ctx->depth + 1, ctx->over_tcp, NULL, false, MSSTUN_CARRIER_CHANNELDATA };

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "MSSTUN");
    ti = proto_tree_add_item(tree, proto_msstun, tvb, 0, len, ENC_NA);
    proto_item_append_text(ti, ", ChannelData");
    mux_tree = proto_item_add_subtree(ti, ett_msstun_mux);
    msstun_mark_stun(mux_tree, tvb, 0, len);
    proto_tree_add_item_ret_uint(mux_tree, hf_msstun_channel, tvb, 0, 2, ENC_BIG_ENDIAN, &channel);
    proto_tree_add_item_ret_uint(mux_tree, hf_msstun_channel_length, tvb, 2, 2, ENC_BIG_ENDIAN, &data_len);
    col_add_fstr(pinfo->cinfo, COL_INFO, "ChannelData 0x%04x", channel);
    rec = wmem_new0(pinfo->pool, msstun_tap_t);
    rec->is_channeldata = true;
    rec->bwm_acm = -1;
    rec->channel = channel;
    rec->data_length = data_len;
    rec->depth = ctx->depth;
    rec->over_tcp = ctx->over_tcp;
    copy_address_shallow(&rec->src, &pinfo->src);
    copy_address_shallow(&rec->dst, &pinfo->dst);
    rec->src_port = pinfo->srcport;
    rec->dst_port = pinfo->destport;
    msstun_tap_queue(pinfo, rec);
    if (CHANNELDATA_HDR_LEN + data_len < len)
        proto_tree_add_item(mux_tree, hf_msstun_channel_padding, tvb, CHANNELDATA_HDR_LEN + data_len,
                            len - CHANNELDATA_HDR_LEN - data_len, ENC_NA);
    if (data_len > 0)
        msstun_dissect_payload(tvb_new_subset_length(tvb, CHANNELDATA_HDR_LEN, data_len), pinfo, mux_tree, &inner);
}

/* MS-TURN 2.2.3: 0xFF10, length (session ID included), 8-byte session ID. */
static void
dissect_mturn(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const msstun_payload_ctx_t *ctx)
{
    unsigned len = tvb_reported_length(tvb);
    proto_item *ti;
    proto_tree *mux_tree;
    uint64_t session_id;
    msstun_payload_ctx_t inner = { ctx->depth + 1, ctx->over_tcp, NULL, false, MSSTUN_CARRIER_MTURN };

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "MSSTUN");
    ti = proto_tree_add_item(tree, proto_msstun, tvb, 0, len, ENC_NA);
    proto_item_append_text(ti, ", Multiplexed TURN");
    mux_tree = proto_item_add_subtree(ti, ett_msstun_mux);
    msstun_mark_stun(mux_tree, tvb, 0, len);
    proto_tree_add_item(mux_tree, hf_msstun_mturn_channel, tvb, 0, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item(mux_tree, hf_msstun_mturn_length, tvb, 2, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item_ret_uint64(mux_tree, hf_msstun_mturn_session_id, tvb, 4, 8, ENC_BIG_ENDIAN, &session_id);
    col_add_fstr(pinfo->cinfo, COL_INFO, "Multiplexed TURN session 0x%016" PRIx64, session_id);
    if (ctx->depth == 0 && len > MTURN_HDR_LEN)
        msstun_tap_carrier(pinfo, MSSTUN_CARRIER_MTURN, ctx->over_tcp, len - MTURN_HDR_LEN);
    if (len > MTURN_HDR_LEN)
        msstun_dissect_payload(tvb_new_subset_remaining(tvb, MTURN_HDR_LEN), pinfo, mux_tree, &inner);
}

static void
dissect_rfc4571_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const msstun_payload_ctx_t *ctx)
{
    proto_item *ti;
    proto_tree *mux_tree;
    msstun_payload_ctx_t inner = { ctx->depth + 1, true, ctx->peer, ctx->toward_peer, ctx->carrier };

    ti = proto_tree_add_item(tree, proto_msstun, tvb, 0, RFC4571_HDR_LEN, ENC_NA);
    proto_item_append_text(ti, ", RFC 4571 framing");
    mux_tree = proto_item_add_subtree(ti, ett_msstun_mux);
    proto_tree_add_item(mux_tree, hf_msstun_rfc4571_length, tvb, 0, 2, ENC_BIG_ENDIAN);
    msstun_dissect_payload(tvb_new_subset_remaining(tvb, RFC4571_HDR_LEN), pinfo, tree, &inner);
}

/* One STUN/TURN message, then what it carries and what it teaches. */
static void
dissect_message(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const msstun_payload_ctx_t *ctx)
{
    msstun_message_result_t result;

    dissect_msstun_message(tvb, pinfo, tree, ctx, &result);
    msstun_learn_media(pinfo, result.learned, result.n_learned);
    if (result.tap) {
        msstun_learn_relay_leg(tvb, pinfo, tree, result.tap);
        msstun_tap_queue(pinfo, result.tap);
    }
    if (result.relayed) {
        msstun_payload_ctx_t inner = { ctx->depth + 1, ctx->over_tcp, result.peer, result.toward_peer,
                                       MSSTUN_CARRIER_DATA };

        msstun_dissect_payload(result.relayed, pinfo, result.relayed_tree, &inner);
    }
}

typedef enum {
    PAYLOAD_UNKNOWN,
    PAYLOAD_STUN,
    PAYLOAD_CHANNELDATA,
    PAYLOAD_MTURN,
    PAYLOAD_RTCP,
    PAYLOAD_RTP,
    PAYLOAD_DTLS,
    PAYLOAD_RFC4571
} msstun_payload_kind_t;

/* DTLS-SRTP (RFC 5764): on a use_srtp extension Wireshark's DTLS (4.4 and
 * 4.6 already on the ClientHello) gives the datagram's 5-tuple to RTP, which
 * would then take the STUN checks and DTLS records that follow on it.  The
 * multiplexer keeps the 5-tuple, from the same frame, and hands RTP on with
 * the setup DTLS made, as for media it learns itself. */
static void
keep_dtls_srtp_conversation(packet_info *pinfo, const msstun_payload_ctx_t *ctx)
{
    if (PINFO_FD_VISITED(pinfo) || ctx->depth > 0 || pinfo->ptype != PT_UDP)
        return;
    /* srtp_add_address() registers either end towards the other's port. */
    msstun_claim_back_from_rtp(pinfo, &pinfo->src, pinfo->srcport, pinfo->destport);
    msstun_claim_back_from_rtp(pinfo, &pinfo->dst, pinfo->destport, pinfo->srcport);
}

static msstun_payload_kind_t
classify_payload(tvbuff_t *tvb, const msstun_payload_ctx_t *ctx)
{
    unsigned len = tvb_reported_length(tvb);
    unsigned b0;

    if (len < 4 || (unsigned)tvb_captured_length(tvb) < 4)
        return PAYLOAD_UNKNOWN;
    b0 = tvb_get_uint8(tvb, 0);
    if (b0 <= 3 && msstun_is_message(tvb, 0, len))
        return PAYLOAD_STUN;
    if (b0 >= 0x40 && b0 <= 0x7F && looks_like_channeldata(tvb, len, ctx->over_tcp))
        return PAYLOAD_CHANNELDATA;
    if (b0 == 0xFF && looks_like_mturn(tvb, len))
        return PAYLOAD_MTURN;
    if (b0 >= 0x80 && b0 <= 0xBF) {
        if (looks_like_rtcp(tvb, len))
            return PAYLOAD_RTCP;
        if (looks_like_rtp(tvb, len))
            return PAYLOAD_RTP;
    }
    if (b0 >= 20 && b0 <= 63 && looks_like_dtls(tvb, len))
        return PAYLOAD_DTLS;
    /* Relayed ICE-TCP keeps its RFC 4571 framing inside DATA. */
    if (ctx->depth > 0 && looks_like_rfc4571(tvb, len))
        return PAYLOAD_RFC4571;
    return PAYLOAD_UNKNOWN;
}

/* SRTCP by RFC 3711 3.4: the E flag and index follow the compound, then
 * the MKI and tag.  With E set only the first header and SSRC are clear,
 * and Wireshark's RTCP dissector stops there after an SR, RR or APP header;
 * reduced-size SRTCP (RFC 5506, MS-RTP feedback) starts with another type,
 * whose ciphertext RTCP parses: running off the end there is encryption.
 * Anything else thrown, and a clear part that does not end at the index,
 * is a malformed packet. */
static void
dissect_srtcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const struct srtp_info *suite)
{
    unsigned len = tvb_reported_length(tvb);
    unsigned trailer = 4 + suite->mki_len + suite->auth_tag_len;
    unsigned index_offset, first_length, first_type;
    bool encrypted;

    if (len < 8 + trailer) {
        proto_tree_add_expert_format(tree, pinfo, &ei_msstun_srtcp_clear_malformed, tvb, 0, -1,
                                     "SRTCP of %u bytes: shorter than a clear header, index and tag (%u)",
                                     len, 8 + trailer);
        call_dissector_only(rtcp_handle, tvb, pinfo, tree, NULL);
        return;
    }
    index_offset = len - trailer;
    encrypted = (tvb_get_uint8(tvb, index_offset) & 0x80) != 0;
    first_type = tvb_get_uint8(tvb, 1);
    first_length = 4 * (tvb_get_ntohs(tvb, 2) + 1U);
    if (encrypted ? first_length > index_offset : rtcp_compound_end(tvb, index_offset) != index_offset)
        proto_tree_add_expert_format(tree, pinfo, &ei_msstun_srtcp_clear_malformed, tvb, 0, index_offset,
                                     encrypted ? "SRTCP: the first RTCP packet (%u bytes) runs past the SRTCP index "
                                                 "at byte %u"
                                               : "SRTCP, not encrypted (E flag clear): the RTCP packets do not end "
                                                 "at the SRTCP index at byte %u",
                                     encrypted ? first_length : index_offset, index_offset);
    /* RFC 3550 12.1: SR 200, RR 201, APP 204. */
    if (!encrypted || first_type == 200 || first_type == 201 || first_type == 204) {
        call_dissector_only(rtcp_handle, tvb, pinfo, tree, NULL);
        return;
    }
    TRY {
        call_dissector_only(rtcp_handle, tvb, pinfo, tree, NULL);
    }
    CATCH_BOUNDS_ERRORS {
        proto_tree_add_expert(tree, pinfo, &ei_msstun_srtcp_encrypted, tvb, 8, index_offset - 8);
    }
    ENDTRY;
}

/* RTCP, or SRTCP decrypted or shown as far as it is clear; false when the
 * SRTP module decrypted it. */
static bool
dissect_rtcp_payload(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    const struct srtp_info *suite;

    if (!subdissector_room(tvb, pinfo, tree))
        return true;
    if (!is_srtcp(tvb, tvb_reported_length(tvb)))
        call_dissector_only(rtcp_handle, tvb, pinfo, tree, NULL);
    else if (msstun_srtp_dissect(tvb, pinfo, tree, true))
        return false;
    else if ((suite = setup_srtcp(tvb, pinfo)) != NULL)
        dissect_srtcp(tvb, pinfo, tree, suite);
    else
        call_data_dissector(tvb, pinfo, tree);
    return true;
}

/* Returns false when the payload is none of the kinds this plugin knows. */
static bool
dissect_classified(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const msstun_payload_ctx_t *ctx)
{
    msstun_payload_kind_t kind = classify_payload(tvb, ctx);

    if (kind == PAYLOAD_UNKNOWN)
        return false;
    if (ctx->depth > 0 && kind != PAYLOAD_RFC4571) {
        /* The carrier's summary stays; the relayed packet's follows it.
         * DTLS appends to the column with its own ", " separator. */
        if (kind != PAYLOAD_DTLS)
            col_append_str(pinfo->cinfo, COL_INFO, " | ");
        col_set_fence(pinfo->cinfo, COL_INFO);
    }
    switch (kind) {
    case PAYLOAD_STUN:
        dissect_message(tvb, pinfo, tree, ctx);
        break;
    case PAYLOAD_CHANNELDATA:
        dissect_channeldata(tvb, pinfo, tree, ctx);
        break;
    case PAYLOAD_MTURN:
        dissect_mturn(tvb, pinfo, tree, ctx);
        break;
    case PAYLOAD_RTCP:
        msstun_tap_note(tvb, pinfo, ctx,
                        dissect_rtcp_payload(tvb, pinfo, tree) ? MSSTUN_NOTE_RTCP : MSSTUN_NOTE_SRTCP, NULL);
        break;
    case PAYLOAD_RTP:
        msstun_tap_note(tvb, pinfo, ctx, MSSTUN_NOTE_RTP, NULL);
        /* Media that no signalling set up (relayed, after Set Active
         * Destination, 0xFF10, end-to-end data): its first packet does. */
        msstun_claim_media(pinfo, &pinfo->net_dst, pinfo->destport, &pinfo->net_src, pinfo->srcport);
        if (subdissector_room(tvb, pinfo, tree) && !msstun_srtp_dissect(tvb, pinfo, tree, false))
            call_dissector_only(rtp_handle, tvb, pinfo, tree, NULL);
        break;
    case PAYLOAD_DTLS:
        if (subdissector_room(tvb, pinfo, tree))
            call_dissector_only(dtls_handle, tvb, pinfo, tree, NULL);
        keep_dtls_srtp_conversation(pinfo, ctx);
        break;
    case PAYLOAD_RFC4571:
        dissect_rfc4571_frame(tvb, pinfo, tree, ctx);
        break;
    case PAYLOAD_UNKNOWN:
        break;
    }
    return true;
}

/* Classifies one datagram-like payload and hands it on; anything else is
 * shown as data.  Relayed payloads come back here. */
static void
msstun_dissect_payload(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const msstun_payload_ctx_t *ctx)
{
    if (ctx->depth > MSSTUN_MAX_NESTING) {
        proto_tree_add_expert(tree, pinfo, &ei_msstun_nesting, tvb, 0, -1);
        return;
    }
    if (!msstun_prefs()->decode_data && ctx->depth > 0)
        return;
    if (!dissect_classified(tvb, pinfo, tree, ctx) && ctx->depth > 0)
        show_data(tvb, pinfo, tree);
}

/* The item of the protocol that carries the payload: the last one so far. */
static proto_item *
carrier_item(proto_tree *tree)
{
    return tree ? tree->last_child : NULL;
}

/* A hidden item of proto over the payload, for display filters, under the
 * carrier's item when it has a subtree: Statistics > Protocol Hierarchy
 * walks the top level only. */
static void
add_hidden_protocol(tvbuff_t *tvb, proto_tree *tree, proto_item *carrier, int proto)
{
    proto_tree *under = carrier ? proto_item_get_subtree(carrier) : NULL;

    proto_item_set_hidden(proto_tree_add_item(under ? under : tree, proto, tvb, 0, -1, ENC_NA));
}

/* The "msstun" filter matches every frame MSSTUN dissected: where the
 * payload went straight to RTP, RTCP, DTLS or TLS, without an MSSTUN item
 * of its own, a hidden one says that MSSTUN classified it.  Not where
 * nothing came after MSSTUN (a TCP segment that only starts a PDU): a
 * layer that adds no item leaves the frame's protocols, as it does on the
 * second pass, where TCP does not call MSSTUN for that segment. */
static void
mark_msstun(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *carrier)
{
    wmem_list_frame_t *last = wmem_list_tail(pinfo->layers);
    GPtrArray *found;

    if (!tree || !last || GPOINTER_TO_INT(wmem_list_frame_data(last)) == proto_msstun)
        return;
    found = proto_find_first_finfo(tree, proto_msstun);
    if (found->len == 0)
        add_hidden_protocol(tvb, tree, carrier, proto_msstun);
    g_ptr_array_free(found, true);
}

/*
 * UDP
 */

/* Whether either end of the datagram is one of MSSTUN's UDP ports (its
 * "udp.port" preference), as opposed to a port given to it by Decode As or
 * learned from STUN/TURN. */
static range_t *turn_udp_ports;

static bool
on_turn_port(const packet_info *pinfo)
{
    return turn_udp_ports &&
           (value_is_in_range(turn_udp_ports, pinfo->srcport) || value_is_in_range(turn_udp_ports, pinfo->destport));
}

/* A copy of the "udp.port" preference, taken when it is registered and
 * whenever the module's preferences change (the preference's own range is
 * replaced then). */
static void
apply_msstun_prefs(void)
{
    wmem_free(wmem_epan_scope(), turn_udp_ports);
    turn_udp_ports = range_copy(wmem_epan_scope(), prefs_get_range_value("msstun", "udp.port"));
}

/* A datagram on a TURN port that is none of the kinds the multiplexer
 * knows: data, said so, and not handed on for another dissector to guess
 * at (Teams clients send such datagrams to the relays). */
static int
dissect_unrecognised_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    proto_item *ti;
    proto_tree *mux_tree;

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "MSSTUN");
    ti = proto_tree_add_item(tree, proto_msstun, tvb, 0, -1, ENC_NA);
    proto_item_append_text(ti, ", Unrecognised Payload");
    mux_tree = proto_item_add_subtree(ti, ett_msstun_mux);
    proto_tree_add_expert(mux_tree, pinfo, &ei_msstun_unrecognised_payload, tvb, 0, -1);
    if (tvb_captured_length(tvb) > 0) {
        col_add_fstr(pinfo->cinfo, COL_INFO, "Unrecognised payload (first byte 0x%02x)", tvb_get_uint8(tvb, 0));
        proto_tree_add_item(mux_tree, hf_msstun_unrecognised_first_byte, tvb, 0, 1, ENC_NA);
    } else {
        col_set_str(pinfo->cinfo, COL_INFO, "Unrecognised payload");
    }
    /* Relayed data when the client sends it to its active destination. */
    msstun_tap_carrier(pinfo, MSSTUN_CARRIER_RAW, false, tvb_reported_length(tvb));
    show_data(tvb, pinfo, tree);
    return tvb_captured_length(tvb);
}

static int
dissect_msstun_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    msstun_payload_ctx_t ctx = { 0, false, NULL, false, MSSTUN_CARRIER_NONE };
    int len;

    if (dissect_classified(tvb, pinfo, tree, &ctx))
        len = tvb_captured_length(tvb);
    else if (on_turn_port(pinfo))
        len = dissect_unrecognised_udp(tvb, pinfo, tree);
    else
        return 0;   /* Decode As or a learned port: UDP tries the others */
    show_original(tvb, pinfo, tree, data, false);
    return len;
}

/* "Detect on other ports": STUN/TURN with a cookie or MAGIC-COOKIE and an
 * exact length, the signatures that RTP and random data do not have.  The
 * 5-tuple is not taken over here: only a successful check makes it media
 * (conversation_ports.c), so an unanswered check leaves it alone. */
static msstun_heur_ret_t
dissect_msstun_heur_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    unsigned len = tvb_reported_length(tvb);
    proto_item *carrier;

    if (len < MSSTUN_HEADER_LEN || tvb_captured_length(tvb) < MSSTUN_HEADER_LEN + 8)
        return false;
    if (tvb_get_ntohl(tvb, 4) != MSSTUN_RFC5389_COOKIE && tvb_get_ntohl(tvb, 24) != MSSTUN_MS_TURN_COOKIE)
        return false;
    if (!msstun_is_message(tvb, 0, len))
        return false;
    carrier = carrier_item(tree);
    dissect_msstun_udp(tvb, pinfo, tree, data);
    mark_msstun(tvb, pinfo, tree, carrier);
    return true;
}

/*
 * TCP
 */

/* A pseudo-TLS hello: at least min_len bytes, with fixed bytes at fixed
 * offsets from its start. */
typedef struct {
    unsigned offset;
    const uint8_t *bytes;
    unsigned len;
} fixed_bytes_t;

typedef struct {
    unsigned min_len;
    unsigned n_fixed;
    fixed_bytes_t fixed[3];
} pseudo_tls_hello_t;

/* MS-TURN 2.1.1: the ClientHello that opens a pseudo-TLS session. */
static const uint8_t client_hello_fixed_head[] = { 0x16, 0x03, 0x01, 0x00, 0x2D, 0x01, 0x00, 0x00, 0x29, 0x03, 0x01 };
static const uint8_t client_hello_fixed_tail[] = { 0x00, 0x00, 0x02, 0x00, 0x18, 0x01, 0x00 };
static const pseudo_tls_hello_t pseudo_tls_client_hello = {
    PSEUDO_TLS_CLIENT_HELLO_LEN, 2, {
        { 0, client_hello_fixed_head, sizeof(client_hello_fixed_head) },
        { 43, client_hello_fixed_tail, sizeof(client_hello_fixed_tail) },
    }
};

/* ServerHello with cipher 0x0018 and ServerHelloDone in one record, with
 * no Certificate: impossible in a real DH_anon handshake. */
static const uint8_t server_hello_fixed_head[] = { 0x16, 0x03, 0x01, 0x00, 0x4E, 0x02, 0x00, 0x00, 0x46, 0x03, 0x01 };
static const uint8_t server_hello_session_id_len[] = { 0x20 };
static const uint8_t server_hello_fixed_tail[] = { 0x00, 0x18, 0x00, 0x0E, 0x00, 0x00, 0x00 };
static const pseudo_tls_hello_t pseudo_tls_server_hello = {
    PSEUDO_TLS_SERVER_HELLO_LEN, 3, {
        { 0, server_hello_fixed_head, sizeof(server_hello_fixed_head) },
        { 43, server_hello_session_id_len, sizeof(server_hello_session_id_len) },
        { 76, server_hello_fixed_tail, sizeof(server_hello_fixed_tail) },
    }
};

static bool
is_pseudo_tls_hello(tvbuff_t *tvb, unsigned offset, const pseudo_tls_hello_t *hello)
{
    if (tvb_captured_length_remaining(tvb, offset) < (int)hello->min_len)
        return false;
    for (unsigned i = 0; i < hello->n_fixed; i++)
        if (tvb_memeql(tvb, offset + hello->fixed[i].offset, hello->fixed[i].bytes, hello->fixed[i].len) != 0)
            return false;
    return true;
}

static bool
is_tls_record(tvbuff_t *tvb, unsigned offset)
{
    unsigned content_type;

    if (tvb_captured_length_remaining(tvb, offset) < 3)
        return false;
    content_type = tvb_get_uint8(tvb, offset);
    return content_type >= 20 && content_type <= 23 &&
           tvb_get_uint8(tvb, offset + 1) == 3 && tvb_get_uint8(tvb, offset + 2) <= 4;
}

/* The MAGIC-COOKIE attribute (MS-TURN 2.2.2.8): type, length 4, value. */
static const uint8_t magic_cookie_attribute[] = { 0x00, 0x0F, 0x00, 0x04, 0x72, 0xC6, 0x4B, 0xC6 };

#define LENGTHLESS_COOKIE_OFFSET    (2 + MSSTUN_HEADER_LEN)
#define LENGTHLESS_MIN_LEN          (LENGTHLESS_COOKIE_OFFSET + sizeof(magic_cookie_attribute))

/* Whether a frame can end at offset: the captured bytes end there, or
 * another MS-TURN frame or pseudo-TLS record begins. */
static bool
frame_may_end_at(tvbuff_t *tvb, unsigned offset)
{
    unsigned avail = tvb_captured_length_remaining(tvb, offset);
    unsigned b0;

    if (avail == 0)
        return true;
    if (avail < 2)
        return false;
    b0 = tvb_get_uint8(tvb, offset);
    return ((b0 == MSTURN_TCP_CONTROL || b0 == MSTURN_TCP_END_TO_END) && tvb_get_uint8(tvb, offset + 1) == 0) ||
           is_tls_record(tvb, offset);
}

/* "03 00" followed directly by a STUN header whose first attribute is
 * MAGIC-COOKIE: libnice 0.1.21 frames MS-TURN this way, without the Length
 * field of MS-TURN 2.1.4.  A message too short for MAGIC-COOKIE (under 30
 * bytes with the type) is taken for such a frame when the Length reading
 * (bytes 2-3, the message type, as the length) ends inside the bytes that
 * are there on something that is not a frame, and the message ends where
 * a frame can.  Returns the STUN message length, or 0. */
static unsigned
lengthless_frame_message_len(tvbuff_t *tvb, unsigned offset)
{
    unsigned avail = tvb_captured_length_remaining(tvb, offset);
    unsigned length_reading = MSTURN_TCP_HDR_LEN + tvb_get_ntohs(tvb, offset + 2);
    unsigned message_len;

    if (avail < 2 + MSSTUN_HEADER_LEN || (tvb_get_uint8(tvb, offset + 2) & 0xC0) != 0)
        return 0;
    message_len = MSSTUN_HEADER_LEN + tvb_get_ntohs(tvb, offset + 4);
    if (avail >= LENGTHLESS_MIN_LEN &&
        tvb_memeql(tvb, offset + LENGTHLESS_COOKIE_OFFSET, magic_cookie_attribute, sizeof(magic_cookie_attribute)) == 0)
        return message_len;
    if (message_len >= MSSTUN_HEADER_LEN + sizeof(magic_cookie_attribute) || (message_len & 3) != 0 ||
        2 + message_len > avail || length_reading > avail || frame_may_end_at(tvb, offset + length_reading) ||
        !frame_may_end_at(tvb, offset + 2 + message_len))
        return 0;
    return message_len;
}

/* Whether fewer bytes than it takes to recognise a length-less frame are
 * there, and those that are may begin one: a message type (not the
 * reserved 0), a message length with room for MAGIC-COOKIE, and as much of
 * that attribute as there is. */
static bool
lengthless_frame_incomplete(tvbuff_t *tvb, unsigned offset)
{
    unsigned avail = tvb_captured_length_remaining(tvb, offset);

    if (avail < 4 || avail >= LENGTHLESS_MIN_LEN || tvb_get_ntohs(tvb, offset + 2) == 0 ||
        (tvb_get_uint8(tvb, offset + 2) & 0xC0) != 0)
        return false;
    if (avail >= 6 && tvb_get_ntohs(tvb, offset + 4) < sizeof(magic_cookie_attribute))
        return false;
    return avail <= LENGTHLESS_COOKIE_OFFSET ||
           tvb_memeql(tvb, offset + LENGTHLESS_COOKIE_OFFSET, magic_cookie_attribute,
                      avail - LENGTHLESS_COOKIE_OFFSET) == 0;
}

/* RFC 5766 11.5 TURN over TCP seen mid-stream, without the Allocate: a
 * ChannelData message, padded to 4, that carries RTP, RTCP, STUN or DTLS and
 * fills the segment or is followed by another ChannelData or STUN header. */
static bool
starts_with_tcp_channeldata(tvbuff_t *tvb, unsigned avail)
{
    unsigned data_len;
    unsigned end;
    tvbuff_t *inner;

    if (avail < CHANNELDATA_HDR_LEN || (tvb_get_uint8(tvb, 0) & 0xC0) != 0x40)
        return false;
    data_len = tvb_get_ntohs(tvb, 2);
    end = CHANNELDATA_HDR_LEN + WS_ROUNDUP_4(data_len);
    if (end > avail || (end < avail && (end + CHANNELDATA_HDR_LEN > avail || (tvb_get_uint8(tvb, end) & 0x80))))
        return false;
    inner = tvb_new_subset_length(tvb, CHANNELDATA_HDR_LEN, data_len);
    return looks_like_rtp(inner, data_len) || looks_like_rtcp(inner, data_len) || looks_like_dtls(inner, data_len) ||
           msstun_is_message(inner, 0, data_len);
}

/* Whether the bytes there are all the start of a pseudo-TLS hello of
 * hello_len bytes whose first bytes are head. */
static bool
is_pseudo_tls_hello_prefix(tvbuff_t *tvb, const uint8_t *head, unsigned head_len, unsigned hello_len)
{
    unsigned avail = tvb_captured_length(tvb);

    return avail < hello_len && tvb_memeql(tvb, 0, head, MIN(avail, head_len)) == 0;
}

/* The fewest bytes that tell the modes apart: an RFC 4571 length and an
 * RTP fixed header, which also hold a TURN-over-TCP header and its cookie. */
#define TCP_MODE_MIN_BYTES      (RFC4571_HDR_LEN + 12)

/* RFC 4571 (MS-ICE2 2.2): a length, then STUN (cookie-less legacy MS-ICE
 * included), RTP or RTCP, of which only the first bytes need be there. */
static bool
starts_with_rfc4571(tvbuff_t *tvb, unsigned avail)
{
    unsigned frame_len = tvb_get_ntohs(tvb, 0);
    unsigned b2 = tvb_get_uint8(tvb, 2);
    tvbuff_t *inner;

    if ((b2 & 0xC0) == 0)
        return (avail >= 10 && tvb_get_ntohl(tvb, 6) == MSSTUN_RFC5389_COOKIE) ||
               (RFC4571_HDR_LEN + frame_len <= avail && msstun_is_message(tvb, RFC4571_HDR_LEN, frame_len));
    if ((b2 >> 6) != 2 || frame_len < 8)
        return false;
    inner = tvb_new_subset_length_caplen(tvb, RFC4571_HDR_LEN, MIN(avail - RFC4571_HDR_LEN, frame_len), frame_len);
    return looks_like_rtp(inner, frame_len) || looks_like_rtcp(inner, frame_len);
}

static msstun_tcp_mode_t
detect_tcp_mode(tvbuff_t *tvb)
{
    static const uint8_t client_hello_head[] = { 0x16, 0x03, 0x01, 0x00, 0x2D, 0x01 };
    static const uint8_t server_hello_head[] = { 0x16, 0x03, 0x01, 0x00, 0x4E, 0x02 };
    unsigned avail = tvb_captured_length(tvb);
    unsigned b0;

    if (is_pseudo_tls_hello_prefix(tvb, client_hello_head, sizeof(client_hello_head), PSEUDO_TLS_CLIENT_HELLO_LEN) ||
        is_pseudo_tls_hello_prefix(tvb, server_hello_head, sizeof(server_hello_head), PSEUDO_TLS_SERVER_HELLO_LEN))
        return TCP_MODE_UNDECIDED;
    if (is_pseudo_tls_hello(tvb, 0, &pseudo_tls_client_hello) || is_pseudo_tls_hello(tvb, 0, &pseudo_tls_server_hello))
        return TCP_MODE_MSTURN;
    if (is_tls_record(tvb, 0))
        return TCP_MODE_TLS;
    if (avail < MSTURN_TCP_HDR_LEN)
        return TCP_MODE_UNDECIDED;
    b0 = tvb_get_uint8(tvb, 0);
    if ((b0 == MSTURN_TCP_CONTROL || b0 == MSTURN_TCP_END_TO_END) && tvb_get_uint8(tvb, 1) == 0)
        return TCP_MODE_MSTURN;
    if (avail >= TCP_MODE_MIN_BYTES && starts_with_rfc4571(tvb, avail))
        return TCP_MODE_RFC4571;
    if ((b0 & 0xC0) == 0 && avail >= 8 && tvb_get_ntohl(tvb, 4) == MSSTUN_RFC5389_COOKIE)
        return TCP_MODE_RAW_TURN;
    if (starts_with_tcp_channeldata(tvb, avail))
        return TCP_MODE_RAW_TURN;
    return avail < TCP_MODE_MIN_BYTES ? TCP_MODE_UNDECIDED : TCP_MODE_ORIGINAL;
}

/* The connection's mode for this frame: decided on the first pass from the
 * first payload long enough to tell, and looked up by frame afterwards. */
static msstun_tcp_mode_t
tcp_mode(tvbuff_t *tvb, packet_info *pinfo, msstun_mux_conv_t *conv_data)
{
    msstun_tcp_mode_t mode = TCP_MODE_UNDECIDED;

    if (conv_data->tcp_modes) {
        void *stored = wmem_tree_lookup32_le(conv_data->tcp_modes, pinfo->num);

        if (stored)
            mode = (msstun_tcp_mode_t)GPOINTER_TO_UINT(stored);
    }
    if (mode != TCP_MODE_UNDECIDED || PINFO_FD_VISITED(pinfo) || tvb_reported_length(tvb) == 0)
        return mode;
    mode = detect_tcp_mode(tvb);
    if (!conv_data->tcp_modes)
        conv_data->tcp_modes = wmem_tree_new(wmem_file_scope());
    if (mode != TCP_MODE_UNDECIDED)
        conv_data->opened_with_tls = is_tls_record(tvb, 0);
    wmem_tree_insert32(conv_data->tcp_modes, pinfo->num, GUINT_TO_POINTER(mode));
    return mode;
}

static void
set_tcp_mode_from(packet_info *pinfo, msstun_tcp_mode_t mode, uint32_t frame)
{
    msstun_mux_conv_t *conv_data = mux_conv_data(pinfo);

    if (PINFO_FD_VISITED(pinfo))
        return;
    if (!conv_data->tcp_modes)
        conv_data->tcp_modes = wmem_tree_new(wmem_file_scope());
    wmem_tree_insert32(conv_data->tcp_modes, frame, GUINT_TO_POINTER(mode));
}

/* RFC 6062 4.3 and 5.2: a client opens a data connection to the server
 * and sends ConnectionBind on it; after the server's success response the
 * connection carries the peer's raw data, both ways.  Only raw RFC 5766
 * TURN over TCP does this: the success must answer a ConnectionBind request
 * sent the other way on the same connection. */
static void
note_connection_bind(tvbuff_t *tvb, packet_info *pinfo)
{
    msstun_mux_conv_t *conv_data = mux_conv_data(pinfo);
    unsigned type = tvb_get_ntohs(tvb, 0);
    unsigned dir = direction(pinfo);

    if (PINFO_FD_VISITED(pinfo) || tvb_captured_length(tvb) < MSSTUN_HEADER_LEN)
        return;
    if (type == STUN_CONNECTION_BIND_REQUEST) {
        tvb_memcpy(tvb, conv_data->bind_request_id, 4, STUN_TRANSACTION_LEN);
        conv_data->bind_request_dir = dir + 1;
    } else if (type == STUN_CONNECTION_BIND_SUCCESS && conv_data->bind_request_dir == 2 - dir &&
               tvb_memeql(tvb, 4, conv_data->bind_request_id, STUN_TRANSACTION_LEN) == 0) {
        set_tcp_mode_from(pinfo, TCP_MODE_RAW_DATA, pinfo->num + 1);
    }
}

static void
dissect_tcp_stun_message(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    msstun_payload_ctx_t ctx = { 0, true, NULL, false, MSSTUN_CARRIER_NONE };

    dissect_message(tvb, pinfo, tree, &ctx);
}

/* ClientHello / ServerHello bodies (RFC 2246 7.4.1.2, 7.4.1.3). */
static void
dissect_pseudo_tls_hello(tvbuff_t *tvb, proto_tree *tree, unsigned offset, unsigned end, bool server)
{
    uint32_t sid_len;
    uint32_t n;

    if (end - offset < 2 + 32 + 1)
        return;
    proto_tree_add_item(tree, hf_msstun_ptls_hello_version, tvb, offset, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item(tree, hf_msstun_ptls_gmt_unix_time, tvb, offset + 2, 4, ENC_TIME_SECS | ENC_BIG_ENDIAN);
    proto_tree_add_item(tree, hf_msstun_ptls_random, tvb, offset + 6, 28, ENC_NA);
    offset += 34;
    proto_tree_add_item_ret_uint(tree, hf_msstun_ptls_session_id_length, tvb, offset, 1, ENC_NA, &sid_len);
    offset += 1;
    if (sid_len > end - offset)
        return;
    if (sid_len > 0)
        proto_tree_add_item(tree, hf_msstun_ptls_session_id, tvb, offset, sid_len, ENC_NA);
    offset += sid_len;
    if (server) {
        if (end - offset < 3)
            return;
        proto_tree_add_item(tree, hf_msstun_ptls_cipher_suite, tvb, offset, 2, ENC_BIG_ENDIAN);
        proto_tree_add_item(tree, hf_msstun_ptls_compression_method, tvb, offset + 2, 1, ENC_NA);
        return;
    }
    if (end - offset < 2)
        return;
    proto_tree_add_item_ret_uint(tree, hf_msstun_ptls_cipher_suites_length, tvb, offset, 2, ENC_BIG_ENDIAN, &n);
    offset += 2;
    for (unsigned i = 0; i + 2 <= n && end - offset >= 2; i += 2, offset += 2)
        proto_tree_add_item(tree, hf_msstun_ptls_cipher_suite, tvb, offset, 2, ENC_BIG_ENDIAN);
    if (end - offset < 1)
        return;
    proto_tree_add_item_ret_uint(tree, hf_msstun_ptls_compression_methods_length, tvb, offset, 1, ENC_NA, &n);
    offset += 1;
    for (unsigned i = 0; i < n && offset < end; i++, offset++)
        proto_tree_add_item(tree, hf_msstun_ptls_compression_method, tvb, offset, 1, ENC_NA);
}

/* A TLS record on an MS-TURN connection: the pseudo-TLS handshake
 * (MS-TURN 2.1.1), shown with msstun fields. */
static void
dissect_pseudo_tls(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    unsigned len = tvb_reported_length(tvb);
    unsigned offset = TLS_RECORD_HDR_LEN;
    bool pseudo = is_pseudo_tls_hello(tvb, 0, &pseudo_tls_client_hello) ||
                  is_pseudo_tls_hello(tvb, 0, &pseudo_tls_server_hello);
    proto_item *ti;
    proto_tree *ptls_tree;

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "MSSTUN");
    col_add_str(pinfo->cinfo, COL_INFO, "Pseudo-TLS");
    ti = proto_tree_add_item(tree, proto_msstun, tvb, 0, len, ENC_NA);
    proto_item_append_text(ti, ", Pseudo-TLS");
    ptls_tree = proto_item_add_subtree(ti, ett_msstun_mux);
    ti = proto_tree_add_boolean(ptls_tree, hf_msstun_ptls_pseudo, tvb, 0, 0, pseudo);
    proto_item_set_generated(ti);
    if (!pseudo)
        expert_add_info(pinfo, ti, &ei_msstun_ptls_not_pseudo);
    else
        msstun_tap_note(tvb, pinfo, NULL, MSSTUN_NOTE_PSEUDO_TLS,
                        is_pseudo_tls_hello(tvb, 0, &pseudo_tls_client_hello) ? "ClientHello" : "ServerHello");
    proto_tree_add_item(ptls_tree, hf_msstun_ptls_content_type, tvb, 0, 1, ENC_NA);
    proto_tree_add_item(ptls_tree, hf_msstun_ptls_version, tvb, 1, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item(ptls_tree, hf_msstun_ptls_record_length, tvb, 3, 2, ENC_BIG_ENDIAN);
    if (tvb_get_uint8(tvb, 0) != 22)
        return;

    /* The handshake messages of the record, one after the other. */
    while (len - offset >= 4) {
        unsigned hs_type = tvb_get_uint8(tvb, offset);
        unsigned hs_len = MIN(tvb_get_ntoh24(tvb, offset + 1), len - offset - 4);
        const char *name = val_to_str_const(hs_type, msstun_tls_handshake_type_vals, "Unknown Handshake");
        proto_tree *hs_tree;

        hs_tree = proto_tree_add_subtree(ptls_tree, tvb, offset, 4 + hs_len, ett_msstun_ptls_handshake, NULL, name);
        proto_tree_add_item(hs_tree, hf_msstun_ptls_handshake_type, tvb, offset, 1, ENC_NA);
        proto_tree_add_item(hs_tree, hf_msstun_ptls_handshake_length, tvb, offset + 1, 3, ENC_BIG_ENDIAN);
        col_append_sep_str(pinfo->cinfo, COL_INFO, offset == TLS_RECORD_HDR_LEN ? " " : ", ", name);
        if (hs_type == 1 || hs_type == 2)
            dissect_pseudo_tls_hello(tvb, hs_tree, offset + 4, offset + 4 + hs_len, hs_type == 2);
        offset += 4 + hs_len;
    }
}

/* The length of the RFC 4571 frame that starts with partial->bytes and
 * goes on with the payload; 0 when its 2-byte length is not complete yet. */
static unsigned
rfc4571_total_length(const msstun_e2e_partial_t *partial, unsigned carried, tvbuff_t *payload)
{
    unsigned payload_len = tvb_reported_length(payload);

    if (carried >= RFC4571_HDR_LEN)
        return RFC4571_HDR_LEN + ((unsigned)partial->bytes[0] << 8 | partial->bytes[1]);
    if (carried == 1 && payload_len >= 1)
        return RFC4571_HDR_LEN + ((unsigned)partial->bytes[0] << 8 | tvb_get_uint8(payload, 0));
    return 0;
}

static void
partial_append(msstun_e2e_partial_t *partial, tvbuff_t *tvb, unsigned offset, unsigned length)
{
    if (partial->length + length > partial->capacity) {
        partial->capacity = MAX(partial->length + length, 2 * partial->capacity);
        partial->bytes = (uint8_t *)wmem_realloc(wmem_file_scope(), partial->bytes, partial->capacity);
    }
    tvb_memcpy(tvb, partial->bytes + partial->length, offset, length);
    partial->length += length;
}

/* The RTP or RTCP source of an inner frame's packet (the SSRC of RTP, the
 * sender's SSRC of RTCP), if it is one and those bytes are there. */
static bool
inner_frame_ssrc(tvbuff_t *inner, unsigned frame_len, uint32_t *ssrc)
{
    unsigned captured = tvb_captured_length(inner);
    unsigned packet_type;

    if (captured < 8 || frame_len < 8 || (tvb_get_uint8(inner, 0) >> 6) != 2)
        return false;
    packet_type = tvb_get_uint8(inner, 1);
    if (packet_type >= 192 && packet_type <= 223) {
        *ssrc = tvb_get_ntohl(inner, 4);
        return 4 * (tvb_get_ntohs(inner, 2) + 1U) <= frame_len;
    }
    if (captured < 12 || !looks_like_rtp(inner, frame_len))
        return false;
    *ssrc = tvb_get_ntohl(inner, 8);
    return true;
}

static bool
e2e_knows_ssrc(const msstun_e2e_stream_t *stream, uint32_t ssrc)
{
    for (unsigned i = 0; i < MIN(stream->n_ssrcs, E2E_KNOWN_SSRCS); i++) {
        if (stream->ssrcs[i] == ssrc)
            return true;
    }
    return false;
}

/* First pass: remembers the source of an RTP or RTCP packet of the stream. */
static void
e2e_note_ssrc(msstun_e2e_stream_t *stream, tvbuff_t *packet)
{
    uint32_t ssrc;

    if (inner_frame_ssrc(packet, tvb_reported_length(packet), &ssrc) && !e2e_knows_ssrc(stream, ssrc))
        stream->ssrcs[stream->n_ssrcs++ % E2E_KNOWN_SSRCS] = ssrc;
}

/* Whether an inner frame can be trusted to start at offset after a gap,
 * checked in constant time so that the scan stays linear: its length, then
 * STUN with the RFC 5389 cookie, or RTP or RTCP of a source the stream
 * carried before.  Before any source is known, RTP or RTCP must fill the
 * bytes there or be followed by another frame of the same source.  A frame
 * that goes on past the bytes there is trusted only by its cookie or
 * source. */
static bool
rfc4571_frame_validates(tvbuff_t *tvb, unsigned offset, unsigned avail, const msstun_e2e_stream_t *stream)
{
    unsigned frame_len;
    unsigned next_len;
    unsigned end;
    tvbuff_t *inner;
    uint32_t ssrc;
    uint32_t next_ssrc;

    if (avail - offset < RFC4571_HDR_LEN + 12)
        return false;
    frame_len = tvb_get_ntohs(tvb, offset);
    if (frame_len < 12)
        return false;
    inner = tvb_new_subset_length_caplen(tvb, offset + RFC4571_HDR_LEN,
                                         MIN(frame_len, avail - offset - RFC4571_HDR_LEN), frame_len);
    if (tvb_get_uint8(inner, 0) <= 3)
        return frame_len >= MSSTUN_HEADER_LEN && MSSTUN_HEADER_LEN + tvb_get_ntohs(inner, 2) == frame_len &&
               tvb_get_ntohl(inner, 4) == MSSTUN_RFC5389_COOKIE;
    if (!inner_frame_ssrc(inner, frame_len, &ssrc))
        return false;
    if (stream->n_ssrcs > 0)
        return e2e_knows_ssrc(stream, ssrc);
    end = offset + RFC4571_HDR_LEN + frame_len;
    if (end > avail)
        return false;
    if (end == avail)
        return true;
    if (avail - end < RFC4571_HDR_LEN + 12)
        return false;
    next_len = tvb_get_ntohs(tvb, end);
    inner = tvb_new_subset_length_caplen(tvb, end + RFC4571_HDR_LEN, MIN(next_len, avail - end - RFC4571_HDR_LEN),
                                         next_len);
    return inner_frame_ssrc(inner, next_len, &next_ssrc) && next_ssrc == ssrc;
}

/* Whether the bytes at offset can begin an inner frame, as far as they go:
 * a length, then the start of STUN whose length fits it, of RTP or RTCP.
 * In step, a frame that cannot means the framing was lost. */
static bool
inner_frame_plausible(tvbuff_t *tvb, unsigned offset, unsigned avail)
{
    unsigned frame_len;
    unsigned inner_avail;
    unsigned b0;
    uint32_t ssrc;

    if (avail - offset < RFC4571_HDR_LEN + 1)
        return true;
    frame_len = tvb_get_ntohs(tvb, offset);
    inner_avail = MIN(frame_len, avail - offset - RFC4571_HDR_LEN);
    if (frame_len == 0)
        return true;
    if (frame_len < 8)
        return false;
    b0 = tvb_get_uint8(tvb, offset + RFC4571_HDR_LEN);
    if (b0 <= 3)
        return inner_avail < 4 || MSSTUN_HEADER_LEN + tvb_get_ntohs(tvb, offset + RFC4571_HDR_LEN + 2) == frame_len;
    if ((b0 >> 6) != 2)
        return false;
    if (inner_avail < 12)
        return true;
    return inner_frame_ssrc(tvb_new_subset_length_caplen(tvb, offset + RFC4571_HDR_LEN, inner_avail, frame_len),
                            frame_len, &ssrc);
}

/* After a gap, where the first inner frame that can be trusted starts (at
 * most E2E_RESYNC_SCAN_LIMIT offsets in), or avail when none does. */
static unsigned
resync_offset(tvbuff_t *tvb, unsigned avail, const msstun_e2e_stream_t *stream)
{
    for (unsigned offset = 0; offset < avail && offset < E2E_RESYNC_SCAN_LIMIT; offset++) {
        if (rfc4571_frame_validates(tvb, offset, avail, stream))
            return offset;
    }
    return avail;
}

/* Unframed media: RTP/RTCP straight in the end-to-end frame. */
static bool
is_unframed_media(tvbuff_t *tvb, unsigned len)
{
    return len >= 2 && (tvb_get_uint8(tvb, 0) >> 6) == 2 &&
           (looks_like_rtcp(tvb, len) || looks_like_rtp(tvb, len)) && !looks_like_rfc4571(tvb, len);
}

/* First pass: where this end-to-end frame stands in its direction's inner
 * stream, from the stream's state, which it then advances past the frame's
 * complete inner frames (the rest become the new partial in
 * dissect_end_to_end_data).  A frame cut short by the capture ends the
 * stream's synchronisation. */
static msstun_e2e_record_t *
e2e_place(tvbuff_t *tvb, msstun_e2e_stream_t *stream, bool repeated)
{
    msstun_e2e_record_t *record = wmem_new0(wmem_file_scope(), msstun_e2e_record_t);
    unsigned avail = tvb_captured_length(tvb);
    uint32_t ssrc;

    if (repeated) {
        record->status = E2E_REPEATED;
        return record;
    }
    record->after_gap = stream->gap_unreported;
    stream->gap_unreported = false;
    /* End-to-end data follows the control frames that set up the session
     * (Allocate, Set Active Destination); without them, the capture started
     * mid-connection and the first frame may begin anywhere in the inner
     * stream. */
    if (!stream->started) {
        stream->started = true;
        stream->lost_sync = !stream->control_seen;
    }
    if (stream->lost_sync) {
        record->skipped = resync_offset(tvb, avail, stream);
        stream->lost_sync = record->skipped == avail;
        /* Unframed media is taken only from a sender that does not frame
         * it, and after a gap only from a known source. */
        if (stream->lost_sync && !stream->framed && is_unframed_media(tvb, tvb_reported_length(tvb)) &&
            inner_frame_ssrc(tvb, tvb_reported_length(tvb), &ssrc) &&
            (stream->had_gap ? e2e_knows_ssrc(stream, ssrc) : stream->n_ssrcs == 0)) {
            record->status = E2E_UNFRAMED;
            record->skipped = 0;
        }
    } else if (!stream->partial && is_unframed_media(tvb, tvb_reported_length(tvb))) {
        record->status = E2E_UNFRAMED;
    } else if (stream->partial) {
        record->partial = stream->partial;
        record->carried = stream->partial->length;
    }
    if (record->status == E2E_UNFRAMED)
        e2e_note_ssrc(stream, tvb);
    return record;
}

/* The stream loses bytes: its unfinished inner frame is dropped, and the
 * next end-to-end data frame says so and resynchronises. */
static void
e2e_interrupt(msstun_e2e_stream_t *stream)
{
    stream->partial = NULL;
    stream->lost_sync = true;
    stream->gap_unreported = true;
    stream->had_gap = true;
}

/* Notes the sequence number of an MS-TURN frame on the first pass: whether
 * it repeats bytes already seen (a retransmission), and whether bytes are
 * missing, overlap or came out of order before it (a gap: the unfinished
 * inner frame is dropped and the stream resynchronises).  Returns true for
 * a repeat. */
static bool
e2e_track_sequence(msstun_e2e_stream_t *stream, uint32_t seq, unsigned captured)
{
    uint32_t end = seq + captured;

    if (stream->seq_known && seq != stream->next_seq) {
        if ((int32_t)(end - stream->next_seq) <= 0)
            return true;
        e2e_interrupt(stream);
    }
    if (!stream->seq_known || (int32_t)(end - stream->next_seq) > 0)
        stream->next_seq = end;
    stream->seq_known = true;
    return false;
}

/* The record of this frame's e2e_index-th end-to-end data frame: stored
 * when store is given (first pass), looked up otherwise. */
static msstun_e2e_record_t *
e2e_record(msstun_mux_conv_t *conv_data, uint32_t frame, unsigned e2e_index, msstun_e2e_record_t *store)
{
    uint32_t key_words[2] = { frame, e2e_index };
    wmem_tree_key_t key[2] = { { 2, key_words }, { 0, NULL } };

    if (!conv_data->e2e_records)
        conv_data->e2e_records = wmem_tree_new(wmem_file_scope());
    if (store) {
        wmem_tree_insert32_array(conv_data->e2e_records, key, store);
        return store;
    }
    return (msstun_e2e_record_t *)wmem_tree_lookup32_array(conv_data->e2e_records, key);
}

/* The inner frames of an end-to-end data frame placed by record, and the
 * start of an unfinished one, which the first pass keeps. */
static void
dissect_e2e_frames(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const msstun_e2e_record_t *record,
                   msstun_e2e_stream_t *e2e)
{
    unsigned payload_len = tvb_captured_length(tvb);
    unsigned offset = record->skipped;
    unsigned carried = 0;
    tvbuff_t *stream = tvb;
    unsigned stream_len = payload_len;
    msstun_payload_ctx_t ctx = { 1, true, NULL, false, MSSTUN_CARRIER_TCP_E2E };

    if (record->skipped > 0)
        proto_tree_add_item(tree, hf_msstun_rfc4571_skipped, tvb, 0, record->skipped, ENC_NA);
    if (record->partial && payload_len > 0) {
        unsigned total = rfc4571_total_length(record->partial, record->carried, tvb);
        uint8_t *buf;

        carried = record->carried;
        if (total == 0 || carried + payload_len < total) {
            /* The inner frame goes on in a later end-to-end frame. */
            proto_item *ti = proto_tree_add_item(tree, hf_msstun_rfc4571_partial, tvb, 0, payload_len, ENC_NA);

            proto_item_append_text(ti, " (%u bytes so far of %u)", carried + payload_len, total);
            if (!PINFO_FD_VISITED(pinfo))
                partial_append(record->partial, tvb, 0, payload_len);
            return;
        }
        /* This frame completes it: the only copy of the whole inner frame. */
        stream_len = carried + payload_len;
        buf = (uint8_t *)wmem_alloc(pinfo->pool, stream_len);
        memcpy(buf, record->partial->bytes, carried);
        tvb_memcpy(tvb, buf + carried, 0, payload_len);
        stream = tvb_new_child_real_data(tvb, buf, stream_len, stream_len);
        add_new_data_source(pinfo, stream, "Reassembled RFC 4571 data");
        if (!PINFO_FD_VISITED(pinfo))
            e2e->partial = NULL;
    }

    while (stream_len - offset >= RFC4571_HDR_LEN) {
        unsigned frame_len = tvb_get_ntohs(stream, offset);
        tvbuff_t *frame;
        proto_item *ti;

        if (!inner_frame_plausible(stream, offset, stream_len)) {
            ti = proto_tree_add_item(tree, hf_msstun_rfc4571_skipped, stream, offset, stream_len - offset, ENC_NA);
            expert_add_info(pinfo, ti, &ei_msstun_e2e_lost_sync);
            if (!PINFO_FD_VISITED(pinfo))
                e2e_interrupt(e2e);
            return;
        }
        if (frame_len > stream_len - offset - RFC4571_HDR_LEN)
            break;
        if (offset < carried) {
            ti = proto_tree_add_boolean(tree, hf_msstun_rfc4571_reassembled, stream, offset,
                                        RFC4571_HDR_LEN + frame_len, true);
            proto_item_set_generated(ti);
        }
        frame = tvb_new_subset_length(stream, offset, RFC4571_HDR_LEN + frame_len);
        if (!PINFO_FD_VISITED(pinfo)) {
            e2e->framed = true;
            e2e_note_ssrc(e2e, tvb_new_subset_remaining(frame, RFC4571_HDR_LEN));
        }
        dissect_rfc4571_frame(frame, pinfo, tree, &ctx);
        offset += RFC4571_HDR_LEN + frame_len;
    }
    if (offset < stream_len) {
        proto_tree_add_item(tree, hf_msstun_rfc4571_partial, stream, offset, stream_len - offset, ENC_NA);
        if (!PINFO_FD_VISITED(pinfo)) {
            msstun_e2e_partial_t *partial = wmem_new0(wmem_file_scope(), msstun_e2e_partial_t);

            partial_append(partial, stream, offset, stream_len - offset);
            e2e->partial = partial;
        }
    }
}

/* End-to-end data (type 0x03) is a stream of RFC 4571 frames that need not
 * align with the outer frames (MS-TURN 2.1.4; libnice splits and packs
 * them).  The first pass collects an unfinished inner frame, append-only,
 * and records for each outer frame how many of its bytes came before, and
 * whether a retransmission or a gap came first; every pass rebuilds an
 * inner frame once, in the outer frame that completes it, so time and
 * memory stay linear however finely a frame is split. */
static void
dissect_end_to_end_data(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, bool repeated)
{
    msstun_mux_conv_t *conv_data = mux_conv_data(pinfo);
    msstun_e2e_stream_t *e2e = &conv_data->e2e_stream[direction(pinfo)];
    unsigned e2e_index = next_packet_index(pinfo, PKT_KEY_E2E_INDEX);
    msstun_e2e_record_t *record;

    if (!PINFO_FD_VISITED(pinfo))
        record = e2e_record(conv_data, pinfo->num, e2e_index, e2e_place(tvb, e2e, repeated));
    else
        record = e2e_record(conv_data, pinfo->num, e2e_index, NULL);
    if (!record)
        return;
    if (record->status == E2E_REPEATED) {
        proto_tree_add_expert(tree, pinfo, &ei_msstun_e2e_repeated, tvb, 0, -1);
        return;
    }
    if (record->after_gap)
        proto_tree_add_expert(tree, pinfo, &ei_msstun_e2e_gap, tvb, 0, 0);
    if (record->status == E2E_UNFRAMED) {
        msstun_payload_ctx_t ctx = { 1, true, NULL, false, MSSTUN_CARRIER_TCP_E2E };

        dissect_classified(tvb, pinfo, tree, &ctx);
        return;
    }
    dissect_e2e_frames(tvb, pinfo, tree, record, e2e);
    /* Bytes the capture cut off: the inner stream goes on after a gap. */
    if (!PINFO_FD_VISITED(pinfo) && tvb_captured_length(tvb) < tvb_reported_length(tvb))
        e2e_interrupt(e2e);
}

/* MS-TURN 2.1.4 framing, and the pseudo-TLS records before it.  Reads
 * only captured bytes: where those that give the length are not there
 * yet, asks TCP for one more segment (0); without reassembly, takes what
 * there is. */
static unsigned
get_msturn_pdu_len(packet_info *pinfo, tvbuff_t *tvb, int offset, void *data _U_)
{
    unsigned avail = tvb_captured_length_remaining(tvb, offset);
    unsigned b0;
    unsigned length;
    unsigned message_len;

    if (avail < MSTURN_TCP_HDR_LEN)
        return pinfo->can_desegment ? 0 : avail;
    if (is_tls_record(tvb, offset)) {
        if (avail < TLS_RECORD_HDR_LEN)
            return pinfo->can_desegment ? 0 : avail;
        return TLS_RECORD_HDR_LEN + tvb_get_ntohs(tvb, offset + 3);
    }
    b0 = tvb_get_uint8(tvb, offset);
    if ((b0 == MSTURN_TCP_CONTROL || b0 == MSTURN_TCP_END_TO_END) && tvb_get_uint8(tvb, offset + 1) == 0) {
        length = tvb_get_ntohs(tvb, offset + 2);
        if (length < MSSTUN_HEADER_LEN) {
            /* Too short for a STUN message: perhaps libnice's frame without
             * the Length field, whose message type is read here instead.  A
             * frame that ends where the bytes do is taken as it reads. */
            if (pinfo->can_desegment && avail != MSTURN_TCP_HDR_LEN + length &&
                lengthless_frame_incomplete(tvb, offset))
                return 0;
            if ((message_len = lengthless_frame_message_len(tvb, offset)) != 0)
                return 2 + message_len;
        }
        return MSTURN_TCP_HDR_LEN + length;
    }
    /* Not a frame: the rest of the segment, shown as undecodable. */
    return tvb_reported_length_remaining(tvb, offset);
}

/* First pass: places the MS-TURN frame being dissected in its direction's
 * stream by its TCP sequence number (that of the payload TCP handed over,
 * plus the frames before it in that payload); true when all its bytes came
 * before (a retransmission, which TCP passes on when it does not analyse
 * sequence numbers). */
static bool
msturn_frame_repeats(tvbuff_t *tvb, packet_info *pinfo, const struct tcpinfo *tcpinfo)
{
    unsigned offset = GPOINTER_TO_UINT(p_get_proto_data(pinfo->pool, pinfo, proto_msstun, PKT_KEY_PDU_OFFSET));

    p_add_proto_data(pinfo->pool, pinfo, proto_msstun, PKT_KEY_PDU_OFFSET,
                     GUINT_TO_POINTER(offset + tvb_reported_length(tvb)));
    if (PINFO_FD_VISITED(pinfo) || !tcpinfo)
        return false;
    return e2e_track_sequence(&mux_conv_data(pinfo)->e2e_stream[direction(pinfo)], tcpinfo->seq + offset,
                              tvb_captured_length(tvb));
}

static int
dissect_msturn_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    unsigned len = tvb_reported_length(tvb);
    unsigned b0 = tvb_get_uint8(tvb, 0);
    unsigned header_len = MSTURN_TCP_HDR_LEN;
    bool repeated = msturn_frame_repeats(tvb, pinfo, (const struct tcpinfo *)data);
    proto_item *ti;
    proto_item *type_item;
    proto_tree *frame_tree;
    tvbuff_t *payload;

    start_pdu_info(pinfo);
    if (!PINFO_FD_VISITED(pinfo) && (is_tls_record(tvb, 0) || b0 == MSTURN_TCP_CONTROL))
        mux_conv_data(pinfo)->e2e_stream[direction(pinfo)].control_seen = true;
    if (is_tls_record(tvb, 0)) {
        dissect_pseudo_tls(tvb, pinfo, tree);
        return len;
    }
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "MSSTUN");
    ti = proto_tree_add_item(tree, proto_msstun, tvb, 0, MIN(len, MSTURN_TCP_HDR_LEN), ENC_NA);
    proto_item_append_text(ti, ", MS-TURN TCP framing");
    frame_tree = proto_item_add_subtree(ti, ett_msstun_mux);
    if (len < MSTURN_TCP_HDR_LEN || (b0 != MSTURN_TCP_CONTROL && b0 != MSTURN_TCP_END_TO_END) ||
        tvb_get_uint8(tvb, 1) != 0) {
        col_add_str(pinfo->cinfo, COL_INFO, "MS-TURN TCP: not a frame");
        proto_tree_add_expert(frame_tree, pinfo, &ei_msstun_tcp_bad_type, tvb, 0, len);
        /* The framing is lost here, and with it the end-to-end bytes. */
        if (!PINFO_FD_VISITED(pinfo))
            e2e_interrupt(&mux_conv_data(pinfo)->e2e_stream[direction(pinfo)]);
        show_data(tvb, pinfo, tree);
        return len;
    }
    type_item = proto_tree_add_item(frame_tree, hf_msstun_tcp_type, tvb, 0, 1, ENC_NA);
    proto_tree_add_item(frame_tree, hf_msstun_tcp_reserved, tvb, 1, 1, ENC_NA);
    if (tvb_get_ntohs(tvb, 2) + MSTURN_TCP_HDR_LEN != len) {
        /* libnice's framing without the Length field */
        header_len = 2;
        expert_add_info(pinfo, type_item, &ei_msstun_tcp_no_length);
    } else {
        proto_tree_add_item(frame_tree, hf_msstun_tcp_length, tvb, 2, 2, ENC_BIG_ENDIAN);
    }
    payload = tvb_new_subset_remaining(tvb, header_len);
    if (b0 == MSTURN_TCP_CONTROL || header_len == 2) {
        if (msstun_is_message(payload, 0, len - header_len)) {
            dissect_tcp_stun_message(payload, pinfo, tree);
        } else {
            col_add_str(pinfo->cinfo, COL_INFO, "MS-TURN TCP control frame");
            proto_tree_add_expert(frame_tree, pinfo, &ei_msstun_tcp_control_not_stun, payload, 0, -1);
            show_data(payload, pinfo, tree);
        }
    } else {
        col_add_str(pinfo->cinfo, COL_INFO, "MS-TURN end-to-end data");
        if (len > header_len) {
            /* A retransmitted copy relays nothing new: counted once. */
            if (!repeated)
                msstun_tap_carrier(pinfo, MSSTUN_CARRIER_TCP_E2E, true, len - header_len);
            dissect_end_to_end_data(payload, pinfo, tree, repeated);
        }
    }
    return len;
}

static unsigned
get_rfc4571_pdu_len(packet_info *pinfo _U_, tvbuff_t *tvb, int offset, void *data _U_)
{
    return RFC4571_HDR_LEN + tvb_get_ntohs(tvb, offset);
}

static int
dissect_rfc4571_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    msstun_payload_ctx_t ctx = { 0, true, NULL, false, MSSTUN_CARRIER_NONE };
    tvbuff_t *payload = tvb_new_subset_remaining(tvb, RFC4571_HDR_LEN);
    proto_item *ti;
    proto_tree *frame_tree;

    start_pdu_info(pinfo);
    ti = proto_tree_add_item(tree, proto_msstun, tvb, 0, RFC4571_HDR_LEN, ENC_NA);
    proto_item_append_text(ti, ", RFC 4571 framing");
    frame_tree = proto_item_add_subtree(ti, ett_msstun_mux);
    proto_tree_add_item(frame_tree, hf_msstun_rfc4571_length, tvb, 0, 2, ENC_BIG_ENDIAN);
    if (!dissect_classified(payload, pinfo, tree, &ctx)) {
        proto_tree_add_expert(frame_tree, pinfo, &ei_msstun_unrecognised, payload, 0, -1);
        show_data(payload, pinfo, tree);
    }
    return tvb_reported_length(tvb);
}

/* RFC 5766 TURN over TCP: STUN messages and padded ChannelData. */
static unsigned
get_raw_turn_pdu_len(packet_info *pinfo _U_, tvbuff_t *tvb, int offset, void *data _U_)
{
    unsigned b0 = tvb_get_uint8(tvb, offset);

    if ((b0 & 0xC0) == 0)
        return MSSTUN_HEADER_LEN + tvb_get_ntohs(tvb, offset + 2);
    if ((b0 & 0xC0) == 0x40)
        return CHANNELDATA_HDR_LEN + WS_ROUNDUP_4(tvb_get_ntohs(tvb, offset + 2));
    return tvb_reported_length_remaining(tvb, offset);
}

static int
dissect_raw_turn_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    unsigned len = tvb_reported_length(tvb);
    msstun_payload_ctx_t ctx = { 0, true, NULL, false, MSSTUN_CARRIER_NONE };

    start_pdu_info(pinfo);
    if (msstun_is_message(tvb, 0, len)) {
        dissect_tcp_stun_message(tvb, pinfo, tree);
        note_connection_bind(tvb, pinfo);
    }
    else if (looks_like_channeldata(tvb, len, true))
        dissect_channeldata(tvb, pinfo, tree, &ctx);
    else
        show_data(tvb, pinfo, tree);
    return len;
}

static int
dissect_msstun_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    msstun_mux_conv_t *conv_data = mux_conv_data(pinfo);
    int len = tvb_captured_length(tvb);
    const msstun_relay_leg_t *leg = msstun_relay_leg_of(pinfo);

    if (leg) {
        /* RFC 6062 5.2, 5.3: the peer's own bytes, as on the client's data
         * connection. */
        col_set_str(pinfo->cinfo, COL_PROTOCOL, "MSSTUN");
        col_set_str(pinfo->cinfo, COL_INFO, "RFC 6062 relay leg data");
        proto_item_append_text(proto_tree_add_item(tree, proto_msstun, tvb, 0, 0, ENC_NA), ", %s", leg->label);
        msstun_tap_carrier(pinfo, MSSTUN_CARRIER_RAW, true, tvb_reported_length(tvb));
        show_data(tvb, pinfo, tree);
        return len;
    }
    switch (tcp_mode(tvb, pinfo, conv_data)) {
    case TCP_MODE_TLS:
        /* Real TLS is Wireshark's: the connection's later segments go to it
         * straight from TCP, and this one as if TCP had called it, so that it
         * reassembles and decrypts as it does without the plugin. */
        if (!PINFO_FD_VISITED(pinfo))
            conversation_set_dissector_from_frame_number(find_or_create_conversation(pinfo), pinfo->num + 1,
                                                         tls_handle);
        pinfo->can_desegment = pinfo->saved_can_desegment;
        return call_dissector_only(tls_handle, tvb, pinfo, tree, data);
    case TCP_MODE_MSTURN:
        p_add_proto_data(pinfo->pool, pinfo, proto_msstun, PKT_KEY_PDU_OFFSET, GUINT_TO_POINTER(0));
        tcp_dissect_pdus(tvb, pinfo, tree, true, MSTURN_TCP_HDR_LEN, get_msturn_pdu_len, dissect_msturn_pdu, data);
        break;
    case TCP_MODE_RFC4571:
        tcp_dissect_pdus(tvb, pinfo, tree, true, RFC4571_HDR_LEN, get_rfc4571_pdu_len, dissect_rfc4571_pdu, data);
        break;
    case TCP_MODE_RAW_TURN:
        tcp_dissect_pdus(tvb, pinfo, tree, true, CHANNELDATA_HDR_LEN, get_raw_turn_pdu_len, dissect_raw_turn_pdu,
                         data);
        break;
    case TCP_MODE_RAW_DATA:
        col_set_str(pinfo->cinfo, COL_PROTOCOL, "MSSTUN");
        col_set_str(pinfo->cinfo, COL_INFO, "RFC 6062 relayed data");
        msstun_tap_carrier(pinfo, MSSTUN_CARRIER_RAW, true, tvb_reported_length(tvb));
        show_data(tvb, pinfo, tree);
        break;
    case TCP_MODE_UNDECIDED:
        /* Too few bytes to tell the connection's kind (a ClientHello split
         * 3 + 47): TCP joins them to the next segment; without reassembly
         * this segment is left to the others and the next one decides. */
        if (!pinfo->can_desegment || tvb_reported_length(tvb) == 0)
            return 0;
        pinfo->desegment_offset = 0;
        pinfo->desegment_len = DESEGMENT_ONE_MORE_SEGMENT;
        return len;
    case TCP_MODE_ORIGINAL:
    default:
        /* None of ours: TCP goes on to the other port and the heuristics
         * (Wireshark's STUN and TLS among them). */
        return 0;
    }
    show_original(tvb, pinfo, tree, data, conv_data->opened_with_tls);
    return len;
}

/* "msstun": the multiplexer, for the Edge ports and Decode As. */
static int
dissect_msstun_transport(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    proto_item *volatile carrier = carrier_item(tree);
    volatile int len = 0;

    TRY {
        len = pinfo->ptype == PT_TCP ? dissect_msstun_tcp(tvb, pinfo, tree, data)
                                     : dissect_msstun_udp(tvb, pinfo, tree, data);
    }
    CATCH_ALL {
        /* A short or malformed payload that MSSTUN handed on. */
        mark_msstun(tvb, pinfo, tree, carrier);
        RETHROW;
    }
    ENDTRY;
    if (len > 0)
        mark_msstun(tvb, pinfo, tree, carrier);
    return len;
}

/* "msstun_message" (Decode As "MSSTUN message"): one STUN/TURN message per
 * payload, without the classification. */
static int
dissect_msstun_message_only(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    msstun_payload_ctx_t ctx = { 0, pinfo->ptype == PT_TCP, NULL, false, MSSTUN_CARRIER_NONE };

    if (!msstun_is_message(tvb, 0, tvb_reported_length(tvb)))
        return 0;
    add_hidden_protocol(tvb, tree, carrier_item(tree), proto_msstun_message);
    dissect_message(tvb, pinfo, tree, &ctx);
    return tvb_reported_length(tvb);
}

/* The multiplexer's fields, preferences and dissector, in protocol MSSTUN
 * (registered by packet-msstun.c before this). */
void
proto_register_msrtp_mux(void)
{
    static hf_register_info hf[] = {
        { &hf_msstun_channel,
          { "Channel Number", "msstun.channel", FT_UINT16, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_channel_length,
          { "Channel Data Length", "msstun.channel.length", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_channel_padding,
          { "Channel Data Padding", "msstun.channel.padding", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_mturn_channel,
          { "Multiplexed TURN Channel", "msstun.mturn.channel", FT_UINT16, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_mturn_length,
          { "Multiplexed TURN Length", "msstun.mturn.length", FT_UINT16, BASE_DEC, NULL, 0x0,
            "Bytes after the length field, session ID included", HFILL }},
        { &hf_msstun_mturn_session_id,
          { "Multiplexed TURN Session ID", "msstun.mturn.session_id", FT_UINT64, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_tcp_type,
          { "Frame Type", "msstun.tcp.type", FT_UINT8, BASE_HEX, VALS(msstun_tcp_type_vals), 0x0, NULL, HFILL }},
        { &hf_msstun_tcp_reserved,
          { "Frame Reserved", "msstun.tcp.reserved", FT_UINT8, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_tcp_length,
          { "Frame Length", "msstun.tcp.length", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_rfc4571_length,
          { "RFC 4571 Length", "msstun.rfc4571.length", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_rfc4571_partial,
          { "Partial RFC 4571 Frame", "msstun.rfc4571.partial", FT_BYTES, BASE_NONE, NULL, 0x0,
            "Start of a frame that continues in the next end-to-end data frame", HFILL }},
        { &hf_msstun_rfc4571_reassembled,
          { "Reassembled Across Frames", "msstun.rfc4571.reassembled", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "This RFC 4571 frame began in an earlier end-to-end data frame", HFILL }},
        { &hf_msstun_rfc4571_skipped,
          { "Skipped Bytes", "msstun.rfc4571.skipped", FT_BYTES, BASE_NONE, NULL, 0x0,
            "After a gap in the end-to-end data: bytes before the first RFC 4571 frame that validates", HFILL }},
        { &hf_msstun_ptls_content_type,
          { "Content Type", "msstun.pseudotls.content_type", FT_UINT8, BASE_DEC, VALS(msstun_tls_content_type_vals),
            0x0, NULL, HFILL }},
        { &hf_msstun_ptls_version,
          { "Record Version", "msstun.pseudotls.version", FT_UINT16, BASE_HEX, VALS(msstun_tls_version_vals), 0x0,
            NULL, HFILL }},
        { &hf_msstun_ptls_record_length,
          { "Record Length", "msstun.pseudotls.record_length", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_ptls_handshake_type,
          { "Handshake Type", "msstun.pseudotls.handshake_type", FT_UINT8, BASE_DEC,
            VALS(msstun_tls_handshake_type_vals), 0x0, NULL, HFILL }},
        { &hf_msstun_ptls_handshake_length,
          { "Handshake Length", "msstun.pseudotls.handshake_length", FT_UINT24, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_ptls_hello_version,
          { "Hello Version", "msstun.pseudotls.hello_version", FT_UINT16, BASE_HEX, VALS(msstun_tls_version_vals),
            0x0, NULL, HFILL }},
        { &hf_msstun_ptls_gmt_unix_time,
          { "GMT Unix Time", "msstun.pseudotls.gmt_unix_time", FT_ABSOLUTE_TIME, ABSOLUTE_TIME_UTC, NULL, 0x0,
            NULL, HFILL }},
        { &hf_msstun_ptls_random,
          { "Random Bytes", "msstun.pseudotls.random", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_ptls_session_id_length,
          { "Session ID Length", "msstun.pseudotls.session_id_length", FT_UINT8, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_ptls_session_id,
          { "Session ID", "msstun.pseudotls.session_id", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_ptls_cipher_suites_length,
          { "Cipher Suites Length", "msstun.pseudotls.cipher_suites_length", FT_UINT16, BASE_DEC, NULL, 0x0,
            NULL, HFILL }},
        { &hf_msstun_ptls_cipher_suite,
          { "Cipher Suite", "msstun.pseudotls.cipher_suite", FT_UINT16, BASE_HEX, VALS(msstun_cipher_suite_vals),
            0x0, NULL, HFILL }},
        { &hf_msstun_ptls_compression_methods_length,
          { "Compression Methods Length", "msstun.pseudotls.compression_methods_length", FT_UINT8, BASE_DEC, NULL,
            0x0, NULL, HFILL }},
        { &hf_msstun_ptls_compression_method,
          { "Compression Method", "msstun.pseudotls.compression_method", FT_UINT8, BASE_DEC, NULL, 0x0,
            NULL, HFILL }},
        { &hf_msstun_ptls_pseudo,
          { "Pseudo-TLS", "msstun.pseudotls", FT_BOOLEAN, BASE_NONE, TFS(&msstun_pseudo_tfs), 0x0,
            "Whether this record matches the MS-TURN pseudo-TLS handshake", HFILL }},
        { &hf_msstun_unrecognised_first_byte,
          { "First Byte", "msstun.unrecognised_payload.first_byte", FT_UINT8, BASE_HEX | BASE_RANGE_STRING,
            RVALS(msstun_first_byte_rvals), 0x0,
            "Why the payload is shown as data: the kind its first byte would make it, and that it is not one",
            HFILL }},
        { &hf_msstun_original,
          { "Original Dissection", "msstun.original", FT_NONE, BASE_NONE, NULL, 0x0,
            "How Wireshark's own dissector for this port decodes the frame (preference show_original)", HFILL }},
    };

    static int *ett[] = {
        &ett_msstun_mux,
        &ett_msstun_ptls_handshake,
        &ett_msstun_original,
    };

    static ei_register_info ei[] = {
        { &ei_msstun_nesting,
          { "msstun.nesting_too_deep", PI_UNDECODED, PI_WARN, "Relayed payloads nested too deep", EXPFILL }},
        { &ei_msstun_tcp_bad_type,
          { "msstun.tcp.bad_type", PI_MALFORMED, PI_ERROR,
            "Not an MS-TURN TCP frame (type 0x02 or 0x03, reserved 0)", EXPFILL }},
        { &ei_msstun_tcp_no_length,
          { "msstun.tcp.no_length", PI_PROTOCOL, PI_WARN,
            "MS-TURN TCP frame without its Length field (libnice style, not MS-TURN 2.1.4)", EXPFILL }},
        { &ei_msstun_tcp_control_not_stun,
          { "msstun.tcp.control_not_stun", PI_MALFORMED, PI_ERROR,
            "TURN control frame does not hold one STUN/TURN message", EXPFILL }},
        { &ei_msstun_ptls_not_pseudo,
          { "msstun.pseudotls.unexpected", PI_PROTOCOL, PI_WARN,
            "TLS record on an MS-TURN connection that is not the pseudo-TLS handshake", EXPFILL }},
        { &ei_msstun_srtcp_encrypted,
          { "msstun.srtcp_encrypted", PI_UNDECODED, PI_NOTE,
            "Reduced-size SRTCP: the packets after the first header are encrypted", EXPFILL }},
        { &ei_msstun_srtcp_clear_malformed,
          { "msstun.srtcp.clear_malformed", PI_MALFORMED, PI_ERROR,
            "SRTCP: the clear RTCP packets do not fit the SRTCP index and tag", EXPFILL }},
        { &ei_msstun_unrecognised,
          { "msstun.unrecognised", PI_UNDECODED, PI_NOTE, "Payload not recognised", EXPFILL }},
        { &ei_msstun_layer_limit,
          { "msstun.layer_limit", PI_UNDECODED, PI_WARN,
            "Payload not dissected: the frame is near Wireshark's limit of protocol layers (gui.max_tree_depth)",
            EXPFILL }},
        { &ei_msstun_original_exception,
          { "msstun.original.exception", PI_UNDECODED, PI_NOTE,
            "Wireshark's own dissector gave up on this frame (shown for comparison only)", EXPFILL }},
        { &ei_msstun_e2e_repeated,
          { "msstun.rfc4571.repeated", PI_SEQUENCE, PI_NOTE,
            "Retransmitted end-to-end data: its bytes were already dissected", EXPFILL }},
        { &ei_msstun_e2e_gap,
          { "msstun.rfc4571.gap", PI_SEQUENCE, PI_WARN,
            "End-to-end data after a gap (missing, overlapping or out-of-order TCP bytes): the unfinished RFC 4571 "
            "frame was dropped and the stream resynchronised", EXPFILL }},
        { &ei_msstun_e2e_lost_sync,
          { "msstun.rfc4571.lost_sync", PI_SEQUENCE, PI_WARN,
            "Not the start of an RFC 4571 frame of STUN, RTP or RTCP: the end-to-end data lost its framing and "
            "resynchronises on a later frame", EXPFILL }},
        { &ei_msstun_unrecognised_payload,
          { "msstun.unrecognised_payload", PI_UNDECODED, PI_NOTE,
            "Unrecognised payload on a TURN port: not STUN/TURN, ChannelData, multiplexed TURN, RTP, RTCP or DTLS",
            EXPFILL }},
    };

    expert_module_t *expert_mux;
    module_t *msstun_module;

    proto_register_field_array(proto_msstun, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_mux = expert_register_protocol(proto_msstun);
    expert_register_field_array(expert_mux, ei, array_length(ei));
    msstun_ports_register();

    msstun_module = prefs_register_protocol(proto_msstun, apply_msstun_prefs);
    msstun_prefs_register(msstun_module);
    msstun_srtp_register(msstun_module, proto_msstun);

    msstun_handle = register_dissector("msstun", dissect_msstun_transport, proto_msstun);
    msstun_message_handle = register_dissector("msstun_message", dissect_msstun_message_only, proto_msstun_message);
}

void
proto_reg_handoff_msrtp_mux(void)
{
    dissector_add_for_decode_as("udp.port", msstun_message_handle);
    dissector_add_for_decode_as("tcp.port", msstun_message_handle);

    rtp_handle = find_dissector_add_dependency("rtp", proto_msstun);
    rtcp_handle = find_dissector_add_dependency("rtcp", proto_msstun);
    dtls_handle = find_dissector_add_dependency("dtls", proto_msstun);
    tls_handle = find_dissector_add_dependency("tls", proto_msstun);
    stun_udp_handle = find_dissector_add_dependency("stun-udp", proto_msstun);
    stun_tcp_handle = find_dissector_add_dependency("stun-tcp", proto_msstun);

    /* The Edge ports, as preferences "udp.port" and "tcp.port" of MSSTUN and
     * in Decode As; other ports by Decode As or the heuristic. */
    dissector_add_uint_range_with_preference("udp.port", MSSTUN_UDP_PORTS, msstun_handle);
    dissector_add_uint_range_with_preference("tcp.port", MSSTUN_TCP_PORTS, msstun_handle);
    apply_msstun_prefs();
    heur_dissector_add("udp", dissect_msstun_heur_udp, "MSSTUN over UDP", "msstun_udp", proto_msstun,
                       HEURISTIC_DISABLE);
    msstun_ports_handoff();
    msstun_srtp_handoff();
}
