/* srtp.c
 * SRTP and SRTCP decryption with SDES keys (srtp-keys.c), for the RTP and
 * RTCP packets that the multiplexer hands to Wireshark's dissectors.
 *
 * TURN-relayed media never matches the addresses of the SDP, so a key is
 * bound to a stream (SSRC and direction) by trying the candidate keys
 * until the authentication tag verifies: both tag lengths, and MKI lengths
 * 0, the declared one, 1 and 4.  Keys whose a=x-ssrc-range covers the
 * SSRC come first, then keys announced for the packet's source address,
 * each group from the most recent.  Everything is decided on the first
 * pass and kept per packet (key, rollover counter, tag and MKI length),
 * so that later passes, the GUI and RTP Player decrypt identically; the
 * plaintext itself is made again at each dissection and not kept.
 *
 * The search costs a tag check per key, tag and MKI length (and rollover
 * counter), and a capture can hold any number of new SSRCs: it is bounded
 * (SEARCH_* below).  A stream is searched once; one that no key fits is
 * not tried again until new keys arrive.  A key's sessions (libgcrypt
 * handles, about 7 kB) are derived when it is tried and released when it
 * fails, so that memory follows the keys that decrypt a stream, not the
 * keys listed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Specifications:
 *   RFC 3711  SRTP: 3.3.1 rollover counter, 3.4 SRTCP, 4 algorithms
 *   RFC 4568  SDES
 */

#include "conversation_ports.h"
#include "srtp.h"
#include "srtp-keys.h"

#include <epan/conversation.h>
#include <epan/exceptions.h>
#include <epan/expert.h>
#include <epan/proto_data.h>
#include <epan/tfs.h>
#include <epan/dissectors/packet-rtcp.h>

/* Proto data keys (proto_srtp_msstun): the number of SRTP/SRTCP packets seen
 * so far in the frame (packet scope), and the record of the n-th one
 * (file scope, SRTP_PKT_KEY_RECORD + n). */
#define SRTP_PKT_KEY_COUNT          0x53525450  /* "SRTP" */
#define SRTP_PKT_KEY_RECORD         0x53525500

#define AUTH_STATUS_BAD             0
#define AUTH_STATUS_GOOD            1
#define AUTH_STATUS_UNVERIFIED      2

typedef enum {
    PKT_DECRYPTED,
    PKT_AUTH_FAILED,
    PKT_NO_KEY,
    PKT_UNVERIFIED,
    PKT_NOT_SEARCHED            /* a bound of the key search stopped it */
} pkt_status_t;

/* What the first pass decided for one SRTP or SRTCP packet. */
typedef struct {
    msstun_srtp_key_t *key;     /* NULL for PKT_NO_KEY */
    uint32_t roc;
    uint8_t  tag_len;
    uint8_t  mki_len;
    uint8_t  status;            /* pkt_status_t */
} pkt_record_t;

/* A stream: one SSRC in one direction of one transport. */
typedef struct {
    address  src;
    address  dst;
    uint32_t src_port;
    uint32_t dst_port;
    uint32_t ssrc;
    bool     rtcp;
} stream_id_t;

/* The transport of relayed RTP as RTP looks its conversation up: the
 * destination address and port, and the source port. */
typedef struct {
    address addr;
    uint32_t port;
    uint32_t other_port;
    conversation_type ctype;
} carrier_id_t;

typedef struct {
    msstun_srtp_key_t *key;     /* NULL while unbound */
    unsigned tag_len;
    unsigned mki_len;
    uint32_t roc;               /* RFC 3711 3.3.1 ROC and s_l */
    uint16_t s_l;
    uint32_t first_frame;       /* where the stream (or its transport) began */
    unsigned keys_tried;        /* keys [0, keys_tried) failed on it while unbound */
    uint64_t spent;             /* tag checks its key search spent */
    uint16_t last_seq;          /* while unbound: the sequence number of its last packet */
    bool     seen;              /* while unbound: a packet of it came before */
    bool     starved;           /* its search reached the stream's or the capture's bound */
} stream_t;

/*
 * Bounds of the key search, in tag checks (an HMAC-SHA1 over a packet);
 * deriving a key's session counts as DERIVE_CHECKS of them (measured with
 * libgcrypt 1.10: 0.7 us to derive a session, 0.35 us to check the tag of
 * a 200-byte packet).
 * The whole capture spends no more than SEARCH_CAPTURE (about 0.4 s of
 * CPU), one stream no more than half of it.  A new stream's first packet is searched while
 * the capture's first packets have spent less than a quarter of it; past
 * that, a stream is searched once it looks like SRTP: a second packet
 * whose sequence number follows the first by 1 to PLAUSIBLE_SEQ_STEP (for
 * SRTCP, a second packet).  Past a bound, the packets of streams left
 * unsearched say so (expert item msstun.srtp.search_bound).
 */
#define SEARCH_CAPTURE              (1U << 20)
#define SEARCH_STREAM               (SEARCH_CAPTURE / 2)
#define SEARCH_FIRST_PACKETS        (SEARCH_CAPTURE / 4)
#define DERIVE_CHECKS               2U
#define PLAUSIBLE_SEQ_STEP          64U

/* What the current capture's searches spent. */
static uint64_t search_spent;
static uint64_t first_packets_spent;

/* One search: the stream, and whether it is a first packet's. */
typedef struct {
    stream_t *stream;
    bool first_packet;
} search_t;

/* MSSTUN, which SRTP's items and proto data belong to: handed over by
 * msstun_srtp_register(), so that SRTP includes nothing of the files that
 * call it. */
static int proto_srtp_msstun = -1;
static int proto_rtcp = -1;
static dissector_handle_t rtp_handle;
static dissector_handle_t rtcp_handle;
static wmem_map_t *streams;
static wmem_map_t *carriers;    /* carrier_id_t -> wmem_array_t of msstun_rtpmap_t */

static int hf_msstun_srtp_auth_status = -1;
static int hf_msstun_srtp_roc = -1;
static int hf_msstun_srtp_index = -1;
static int hf_msstun_srtp_e_flag = -1;
static int hf_msstun_srtp_mki = -1;
static int hf_msstun_srtp_auth_tag = -1;
static int hf_msstun_srtp_suite = -1;
static int hf_msstun_srtp_crypto_tag = -1;
static int hf_msstun_srtp_key_frame = -1;
static int hf_msstun_srtp_key_file = -1;
static int hf_msstun_srtp_key_line = -1;
static int hf_msstun_srtp_key_row = -1;

static int ett_msstun_srtp = -1;

static expert_field ei_msstun_srtp_auth_failed = EI_INIT;
static expert_field ei_msstun_srtp_no_key = EI_INIT;
static expert_field ei_msstun_srtp_truncated = EI_INIT;
static expert_field ei_msstun_srtp_search_bound = EI_INIT;

static const value_string auth_status_vals[] = {
    { AUTH_STATUS_BAD,        "Bad" },
    { AUTH_STATUS_GOOD,       "Good" },
    { AUTH_STATUS_UNVERIFIED, "Unverified" },
    { 0, NULL }
};

static const true_false_string e_flag_tfs = { "Encrypted", "Not encrypted" };

static unsigned
stream_hash(const void *k)
{
    const stream_id_t *id = (const stream_id_t *)k;
    unsigned hash = id->ssrc ^ (id->src_port << 16) ^ id->dst_port ^ (id->rtcp ? 0x9E3779B9U : 0);

    hash = add_address_to_hash(hash, &id->src);
    return add_address_to_hash(hash, &id->dst);
}

static gboolean
stream_equal(const void *a, const void *b)
{
    const stream_id_t *x = (const stream_id_t *)a;
    const stream_id_t *y = (const stream_id_t *)b;

    return x->ssrc == y->ssrc && x->rtcp == y->rtcp && x->src_port == y->src_port && x->dst_port == y->dst_port &&
           addresses_equal(&x->src, &y->src) && addresses_equal(&x->dst, &y->dst);
}

static unsigned
carrier_hash(const void *k)
{
    const carrier_id_t *id = (const carrier_id_t *)k;

    return add_address_to_hash(id->port ^ (id->other_port << 16) ^ (unsigned)id->ctype, &id->addr);
}

static gboolean
carrier_equal(const void *a, const void *b)
{
    const carrier_id_t *x = (const carrier_id_t *)a;
    const carrier_id_t *y = (const carrier_id_t *)b;

    return x->port == y->port && x->other_port == y->other_port && x->ctype == y->ctype &&
           addresses_equal(&x->addr, &y->addr);
}

static stream_t *
find_stream(packet_info *pinfo, uint32_t ssrc, bool rtcp)
{
    stream_id_t id;
    stream_id_t *stored;
    stream_t *stream;
    conversation_t *conv;

    copy_address_shallow(&id.src, &pinfo->src);
    copy_address_shallow(&id.dst, &pinfo->dst);
    id.src_port = pinfo->srcport;
    id.dst_port = pinfo->destport;
    id.ssrc = ssrc;
    id.rtcp = rtcp;
    stream = (stream_t *)wmem_map_lookup(streams, &id);
    if (stream)
        return stream;
    stored = wmem_new(wmem_file_scope(), stream_id_t);
    *stored = id;
    copy_address_wmem(wmem_file_scope(), &stored->src, &pinfo->src);
    copy_address_wmem(wmem_file_scope(), &stored->dst, &pinfo->dst);
    stream = wmem_new0(wmem_file_scope(), stream_t);
    /* Streams are followed once a key is known: a stream began no later
     * than its transport (a TURN allocation's flow, a TCP connection). */
    conv = find_conversation_pinfo(pinfo, 0);
    stream->first_frame = conv && conv->setup_frame < pinfo->num ? conv->setup_frame : pinfo->num;
    wmem_map_insert(streams, stored, stream);
    return stream;
}

static bool
verify(msstun_srtp_key_t *key, const uint8_t *pkt, size_t len, bool rtcp, unsigned tag_len, unsigned mki_len,
       uint32_t roc)
{
    if (rtcp)
        return srtcp_verify(&key->rtcp, pkt, len, tag_len, mki_len) == SRTP_OK;
    return srtp_rtp_verify(&key->rtp, pkt, len, tag_len, mki_len, roc) == SRTP_OK;
}

/* Takes checks from the search's bounds; false (and the search stops)
 * when they are reached. */
static bool
spend(search_t *search, unsigned checks)
{
    stream_t *stream = search->stream;

    if (stream->spent >= SEARCH_STREAM || search_spent >= SEARCH_CAPTURE ||
        (search->first_packet && first_packets_spent >= SEARCH_FIRST_PACKETS))
        return false;
    stream->spent += checks;
    search_spent += checks;
    if (search->first_packet)
        first_packets_spent += checks;
    return true;
}

/* A stream is bound to a key: the key keeps its sessions from then on (an
 * earlier packet may need them again on a later pass). */
static void
bind_to(stream_t *stream, msstun_srtp_key_t *key, unsigned tag_len, unsigned mki_len)
{
    stream->key = key;
    stream->tag_len = tag_len;
    stream->mki_len = mki_len;
    key->streams_bound++;
}

/* Tries one key at one rollover counter with both tag lengths and each
 * MKI length; a declared MKI must also match the packet's.  The key's
 * session is ready.  *stopped says that a bound stopped the search. */
static bool
try_forms(msstun_srtp_key_t *key, const uint8_t *pkt, size_t len, bool rtcp, uint32_t roc, search_t *search,
          bool *stopped)
{
    const unsigned tags[] = { key->tag_len, key->tag_len == SRTP_TAG_LEN_80 ? SRTP_TAG_LEN_32 : SRTP_TAG_LEN_80 };
    const unsigned mkis[] = { key->mki_len, 0, 1, 4 };

    for (unsigned t = 0; t < G_N_ELEMENTS(tags); t++) {
        for (unsigned m = 0; m < G_N_ELEMENTS(mkis); m++) {
            unsigned mki_len = mkis[m];
            bool seen = false;

            for (unsigned k = 0; k < m; k++)
                seen = seen || mkis[k] == mki_len;
            if (seen || len < tags[t] + mki_len)
                continue;
            if (key->mki_len > 0 && mki_len == key->mki_len) {
                uint32_t mki = 0;

                for (unsigned k = 0; k < mki_len; k++)
                    mki = (mki << 8) | pkt[len - tags[t] - mki_len + k];
                if (mki != key->mki)
                    continue;
            }
            if (!spend(search, 1)) {
                *stopped = true;
                return false;
            }
            if (verify(key, pkt, len, rtcp, tags[t], mki_len, roc)) {
                bind_to(search->stream, key, tags[t], mki_len);
                return true;
            }
        }
    }
    return false;
}

/* Tries one key at the rollover counters [*roc, roc_end); *roc returns
 * the one that verified.  The key's session is derived for the trial and
 * released when the key fails (unless a stream is bound to it). */
static bool
try_key(msstun_srtp_key_t *key, const uint8_t *pkt, size_t len, bool rtcp, uint32_t *roc, uint32_t roc_end,
        search_t *search, bool *stopped)
{
    if (!spend(search, DERIVE_CHECKS)) {
        *stopped = true;
        return false;
    }
    if (!msstun_srtp_key_ready(key, rtcp))
        return false;
    for (; *roc < roc_end && !*stopped; (*roc)++) {
        if (try_forms(key, pkt, len, rtcp, *roc, search, stopped))
            return true;
    }
    msstun_srtp_key_release(key);
    return false;
}

/* Whether a stream could be past its first rollover counter under a key.
 * A key from an SDP seen before the stream began set up a session that the
 * stream started in the capture: its first packet there has ROC 0.  Keys
 * from the keys file or the table, and a key whose SDP came later (a
 * re-INVITE of a call under way when the capture started), may be hours
 * into a call.  Besides the cost (up to 2,048 tag checks per key), each
 * check is a 2^-32 chance of a false match, which the keys of many calls
 * make real. */
static bool
key_may_have_rolled(const msstun_srtp_key_t *key, const stream_t *stream)
{
    return key->origin != MSSTUN_SRTP_KEY_SDP || key->where > stream->first_frame;
}

/* Tries the keys from index first on at the rollover counters [roc,
 * roc_end) (past 0, only the keys that may have rolled), in order of
 * preference: those of the stream's SSRC range and source first, the most
 * recent first; *roc returns the one that verified. */
static bool
bind_stream(packet_info *pinfo, const uint8_t *pkt, size_t len, bool rtcp, uint32_t ssrc, uint32_t *roc,
            uint32_t roc_end, unsigned first, search_t *search, bool *stopped)
{
    unsigned count = msstun_srtp_key_count();
    uint32_t first_roc = *roc;

    for (int score = 3; score >= 0 && !*stopped; score--) {
        for (unsigned i = count; i-- > first && !*stopped;) {
            msstun_srtp_key_t *key = msstun_srtp_key(i);
            bool covers = key->has_ssrc_range && ssrc >= key->ssrc_low && ssrc <= key->ssrc_high;
            bool from_src = key->port == pinfo->srcport && addresses_equal(&key->addr, &pinfo->src);

            *roc = first_roc;
            if ((covers ? 2 : 0) + (from_src ? 1 : 0) == score &&
                (first_roc == 0 || key_may_have_rolled(key, search->stream)) &&
                try_key(key, pkt, len, rtcp, roc, roc_end, search, stopped))
                return true;
        }
    }
    *roc = first_roc;
    return false;
}

/* A stream first seen mid-call is past its first rollover counter: an
 * 8-hour call wraps its sequence number 22 times at 50 audio packets/s,
 * 132 times at 300 video packets/s.  An RTP stream that no key verifies
 * at ROC 0 is tried at ROCs 1 to ROC_CANDIDATES - 1 too, with the keys
 * that may have rolled: 2^24 packets, 15 hours at 300 packets/s.  That
 * costs up to ROC_CANDIDATES tag checks per key, tag length and MKI
 * length, once per stream and key (a key is never tried twice on a
 * stream), not per packet; with a 32-bit tag the chance that a wrong key
 * or ROC verifies is 2^-32 per check. */
#define ROC_CANDIDATES              256U

/* Binds a stream not bound yet: every key at ROC 0, then (RTP) the keys
 * that may have rolled at the other candidates, each key derived once for
 * them all; *roc returns the rollover counter found. */
static bool
bind_new_stream(packet_info *pinfo, const uint8_t *pkt, size_t len, bool rtcp, uint32_t ssrc, search_t *search,
                uint32_t *roc, bool *stopped)
{
    unsigned first = search->stream->keys_tried;

    *roc = 0;
    if (bind_stream(pinfo, pkt, len, rtcp, ssrc, roc, 1, first, search, stopped))
        return true;
    *roc = 1;
    if (!rtcp && !*stopped && bind_stream(pinfo, pkt, len, rtcp, ssrc, roc, ROC_CANDIDATES, first, search, stopped))
        return true;
    *roc = 0;
    return false;
}

/* Whether an unbound stream's key search may run on this packet: while
 * the capture's first packets are within their bound, or once the stream
 * looks like SRTP (a second packet, for RTP with a sequence number that
 * follows). */
static bool
may_search(stream_t *stream, bool rtcp, uint16_t seq, bool *first_packet)
{
    bool follows = stream->seen && (rtcp || (uint16_t)(seq - stream->last_seq - 1) < PLAUSIBLE_SEQ_STEP);

    stream->seen = true;
    stream->last_seq = seq;
    *first_packet = !follows;
    return follows || first_packets_spent < SEARCH_FIRST_PACKETS;
}

/* Merges the rtpmaps of a key into those of a carrier (the newer name
 * wins); returns whether the carrier's names changed. */
static bool
merge_rtpmaps(wmem_array_t *names, wmem_array_t *rtpmaps)
{
    bool changed = false;

    for (unsigned i = 0; i < wmem_array_get_count(rtpmaps); i++) {
        const msstun_rtpmap_t *entry = (const msstun_rtpmap_t *)wmem_array_index(rtpmaps, i);
        unsigned j;

        for (j = 0; j < wmem_array_get_count(names); j++) {
            msstun_rtpmap_t *known = (msstun_rtpmap_t *)wmem_array_index(names, j);

            if (known->pt == entry->pt) {
                if (strcmp(known->name, entry->name) != 0 || known->rate != entry->rate ||
                    known->channels != entry->channels) {
                    *known = *entry;
                    changed = true;
                }
                break;
            }
        }
        if (j == wmem_array_get_count(names)) {
            wmem_array_append_one(names, *entry);
            changed = true;
        }
    }
    return changed;
}

/* RTP names the payload types of a packet (and RTP analysis and RTP Player
 * take the clock rate of a dynamic one) from the RTP conversation of its
 * transport, which for relayed media is the carrier's (the TURN client and
 * server, a ChannelData or TCP 443 connection) and never the SDP's
 * addresses.  When an RTP stream binds to a key, the conversation towards
 * the packet's destination, as RTP looks it up (a "carrier"), gets the
 * a=rtpmap names of the key's media section, merged with those that other
 * streams gave it (the newer stream's name wins for a payload type both
 * define), once per stream; not the SDP's own addresses, which Wireshark's
 * SDP setup names.  The multiplexer keeps dissecting that transport. */
static void
name_payloads(packet_info *pinfo, const msstun_srtp_key_t *key)
{
    conversation_type ctype = conversation_pt_to_conversation_type(pinfo->ptype);
    carrier_id_t id;
    carrier_id_t *stored;
    wmem_array_t *names;

    if (!key->rtpmaps || (ctype != CONVERSATION_UDP && ctype != CONVERSATION_TCP) ||
        msstun_srtp_sdp_media(&pinfo->net_dst, pinfo->destport))
        return;
    copy_address_shallow(&id.addr, &pinfo->net_dst);
    id.port = pinfo->destport;
    id.other_port = pinfo->srcport;
    id.ctype = ctype;
    names = (wmem_array_t *)wmem_map_lookup(carriers, &id);
    if (!names) {
        stored = wmem_new(wmem_file_scope(), carrier_id_t);
        *stored = id;
        copy_address_wmem(wmem_file_scope(), &stored->addr, &pinfo->net_dst);
        names = wmem_array_new(wmem_file_scope(), sizeof(msstun_rtpmap_t));
        wmem_map_insert(carriers, stored, names);
    }
    if (!merge_rtpmaps(names, key->rtpmaps))
        return;
    msstun_claim_rtp(pinfo, pinfo->ptype, &pinfo->net_dst, pinfo->destport, pinfo->srcport, "MSSTUN SRTP",
                     key->media_type, msstun_srtp_payloads_new(names));
}

static pkt_record_t *
new_record(pkt_status_t status, const stream_t *stream, uint32_t roc)
{
    pkt_record_t *rec = wmem_new0(wmem_file_scope(), pkt_record_t);

    rec->status = (uint8_t)status;
    if (status == PKT_NO_KEY || status == PKT_NOT_SEARCHED)
        return rec;
    rec->key = stream->key;
    rec->roc = roc;
    rec->tag_len = (uint8_t)stream->tag_len;
    rec->mki_len = (uint8_t)stream->mki_len;
    return rec;
}

/* First pass: which key, ROC, tag and MKI length decrypt this packet. */
static pkt_record_t *
decide(tvbuff_t *tvb, packet_info *pinfo, bool rtcp)
{
    unsigned len = tvb_reported_length(tvb);
    const uint8_t *pkt;
    stream_t *stream;
    const msstun_srtp_key_t *bound_to;
    search_t search;
    uint32_t ssrc;
    uint16_t seq = 0;
    uint32_t roc = 0;
    bool stopped = false;

    if ((unsigned)tvb_captured_length(tvb) < len || len < (rtcp ? SRTCP_HEADER_LEN : SRTP_RTP_HEADER_LEN)) {
        stream = (unsigned)tvb_captured_length(tvb) >= 12 ? find_stream(pinfo, tvb_get_ntohl(tvb, rtcp ? 4 : 8), rtcp)
                                                          : NULL;
        if (!stream || !stream->key)
            return NULL;
        return new_record(PKT_UNVERIFIED, stream, 0);
    }
    pkt = tvb_get_ptr(tvb, 0, len);
    ssrc = tvb_get_ntohl(tvb, rtcp ? 4 : 8);
    stream = find_stream(pinfo, ssrc, rtcp);
    search.stream = stream;
    search.first_packet = false;
    bound_to = stream->key;
    if (!rtcp)
        seq = tvb_get_ntohs(tvb, 2);
    if (stream->key) {
        if (!rtcp)
            roc = srtp_estimate_roc(stream->roc, stream->s_l, seq);
        /* A stream rekeyed (a re-INVITE) verifies with a key that arrived
         * after its own (key ids count from 1). */
        if (!verify(stream->key, pkt, len, rtcp, stream->tag_len, stream->mki_len, roc) &&
            !bind_stream(pinfo, pkt, len, rtcp, ssrc, &roc, roc + 1, stream->key->id, &search, &stopped))
            return new_record(PKT_AUTH_FAILED, stream, roc);
    } else if (stream->keys_tried == msstun_srtp_key_count()) {
        return new_record(PKT_NO_KEY, stream, 0);
    } else if (stream->starved || !may_search(stream, rtcp, seq, &search.first_packet)) {
        return new_record(PKT_NOT_SEARCHED, stream, 0);
    } else if (!bind_new_stream(pinfo, pkt, len, rtcp, ssrc, &search, &roc, &stopped)) {
        /* A first packet's search stopped at its bound is tried again
         * with the stream's next packet. */
        if (!stopped)
            stream->keys_tried = msstun_srtp_key_count();
        else if (!search.first_packet || first_packets_spent < SEARCH_FIRST_PACKETS)
            stream->starved = true;
        return new_record(stopped ? PKT_NOT_SEARCHED : PKT_NO_KEY, stream, 0);
    } else if (!rtcp) {
        stream->roc = roc;
        stream->s_l = seq;
    }
    if (!rtcp) {
        /* RFC 3711 3.3.1: update ROC and s_l once the packet verified. */
        if (roc == stream->roc + 1) {
            stream->roc = roc;
            stream->s_l = seq;
        } else if (roc == stream->roc && seq > stream->s_l) {
            stream->s_l = seq;
        }
    }
    if (!rtcp && stream->key != bound_to)
        name_payloads(pinfo, stream->key);
    return new_record(PKT_DECRYPTED, stream, roc);
}

static void
add_key_source(proto_tree *tree, tvbuff_t *tvb, const msstun_srtp_key_t *key)
{
    proto_item *ti;

    ti = proto_tree_add_string(tree, hf_msstun_srtp_suite, tvb, 0, 0,
                               key->tag_len == SRTP_TAG_LEN_32 ? "AES_CM_128_HMAC_SHA1_32" : "AES_CM_128_HMAC_SHA1_80");
    proto_item_set_generated(ti);
    ti = proto_tree_add_uint(tree, hf_msstun_srtp_crypto_tag, tvb, 0, 0, key->crypto_tag);
    proto_item_set_generated(ti);
    switch (key->origin) {
    case MSSTUN_SRTP_KEY_SDP:
        ti = proto_tree_add_uint(tree, hf_msstun_srtp_key_frame, tvb, 0, 0, key->where);
        break;
    case MSSTUN_SRTP_KEY_FILE:
        ti = proto_tree_add_string(tree, hf_msstun_srtp_key_file, tvb, 0, 0, msstun_srtp_keys_file());
        proto_item_set_generated(ti);
        ti = proto_tree_add_uint(tree, hf_msstun_srtp_key_line, tvb, 0, 0, key->where);
        break;
    case MSSTUN_SRTP_KEY_TABLE:
    default:
        ti = proto_tree_add_uint(tree, hf_msstun_srtp_key_row, tvb, 0, 0, key->where);
        break;
    }
    proto_item_set_generated(ti);
}

/* Hands the plaintext to RTP or RTCP.  An RTCP conversation set up as
 * SRTCP (by Wireshark's SDP dissector, or by the multiplexer for the
 * packets it cannot decrypt) would make RTCP look for an SRTCP trailer in
 * the plaintext.  RTCP (packet-rtcp.c, dissect_rtcp_common())
 * takes that setup only from the conversation of the packet's addresses
 * and ports; it ignores its data argument, and its "srtcp" handle differs
 * only where there is no conversation.  Any plaintext it is given that
 * keeps the trailer (E flag cleared) is shown as protocol "srtcp", which
 * users' "rtcp" filters miss.  So the setup is hidden for the duration of
 * the call, the only way these releases offer.  (RTP conversations that
 * the SDP dissector set up as SRTP are set up again as RTP when
 * srtp-keys.c claims them.) */
static void
call_plaintext(tvbuff_t *plain, packet_info *pinfo, proto_tree *tree, bool rtcp)
{
    /* volatile: read after the longjmp of an exception */
    struct _rtcp_conversation_info *volatile info = NULL;
    struct srtp_info *volatile saved = NULL;
    conversation_t *conv;

    if (rtcp) {
        conv = find_conversation(pinfo->num, &pinfo->net_src, &pinfo->net_dst,
                                 conversation_pt_to_conversation_type(pinfo->ptype), pinfo->srcport,
                                 pinfo->destport, NO_ADDR_B);
        info = conv ? (struct _rtcp_conversation_info *)conversation_get_proto_data(conv, proto_rtcp) : NULL;
    }
    if (info) {
        saved = info->srtcp_info;
        info->srtcp_info = NULL;
    }
    TRY {
        call_dissector_only(rtcp ? rtcp_handle : rtp_handle, plain, pinfo, tree, NULL);
    }
    FINALLY {
        if (info)
            info->srtcp_info = saved;
    }
    ENDTRY;
}

/* Every pass: the SRTP fields, and the plaintext to RTP or RTCP. */
static bool
show_packet(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, bool rtcp, const pkt_record_t *rec)
{
    unsigned len = tvb_reported_length(tvb);
    proto_item *ti;
    proto_item *status_item;
    proto_tree *srtp_tree;
    uint8_t *out;
    size_t out_len = 0;
    uint32_t srtcp_index = 0;
    bool encrypted = true;
    unsigned trailer;
    srtp_status_t result;
    tvbuff_t *plain;

    ti = proto_tree_add_item(tree, proto_srtp_msstun, tvb, 0, -1, ENC_NA);
    proto_item_append_text(ti, rtcp ? ", SRTCP" : ", SRTP");
    srtp_tree = proto_item_add_subtree(ti, ett_msstun_srtp);
    if (rec->status == PKT_NO_KEY) {
        proto_item_append_text(ti, " (no key)");
        expert_add_info(pinfo, ti, &ei_msstun_srtp_no_key);
        return false;
    }
    if (rec->status == PKT_NOT_SEARCHED) {
        proto_item_append_text(ti, " (not searched)");
        expert_add_info_format(pinfo, ti, &ei_msstun_srtp_search_bound,
                               "Not decrypted: the key search reached its bound (%u tag checks for the first "
                               "packets of new streams, %u per stream, %u per capture)%s",
                               SEARCH_FIRST_PACKETS, SEARCH_STREAM, SEARCH_CAPTURE,
                               rtcp ? "" : "; a stream is searched again when its next packet follows");
        return false;
    }
    add_key_source(srtp_tree, tvb, rec->key);
    if (rec->status == PKT_UNVERIFIED) {
        status_item = proto_tree_add_uint(srtp_tree, hf_msstun_srtp_auth_status, tvb, 0, 0, AUTH_STATUS_UNVERIFIED);
        proto_item_set_generated(status_item);
        expert_add_info(pinfo, status_item, &ei_msstun_srtp_truncated);
        return false;
    }
    /* A packet of a bound stream too short for the stream's MKI and tag
     * (hence its authentication failed) shows neither. */
    trailer = rec->tag_len + rec->mki_len;
    if (len >= trailer) {
        if (rec->mki_len > 0)
            proto_tree_add_item(srtp_tree, hf_msstun_srtp_mki, tvb, len - trailer, rec->mki_len, ENC_NA);
        proto_tree_add_item(srtp_tree, hf_msstun_srtp_auth_tag, tvb, len - rec->tag_len, rec->tag_len, ENC_NA);
    }
    /* The tag was checked on the first pass (decide()); the key's session
     * is derived again if it was released since. */
    out = (uint8_t *)wmem_alloc(pinfo->pool, len);
    if (rec->status == PKT_AUTH_FAILED || !msstun_srtp_key_ready(rec->key, rtcp))
        result = SRTP_ERR_AUTH;
    else if (rtcp)
        result = srtcp_decrypt(&rec->key->rtcp, tvb_get_ptr(tvb, 0, len), len, rec->tag_len, rec->mki_len, out,
                               &out_len, &srtcp_index, &encrypted);
    else
        result = srtp_rtp_decrypt(&rec->key->rtp, tvb_get_ptr(tvb, 0, len), len, rec->tag_len, rec->mki_len,
                                  rec->roc, out, &out_len);
    if (result != SRTP_OK) {
        status_item = proto_tree_add_uint(srtp_tree, hf_msstun_srtp_auth_status, tvb,
                                          len >= trailer ? len - rec->tag_len : 0, len >= trailer ? rec->tag_len : 0,
                                          AUTH_STATUS_BAD);
        proto_item_set_generated(status_item);
        expert_add_info(pinfo, status_item, &ei_msstun_srtp_auth_failed);
        proto_item_append_text(ti, " (authentication failed)");
        return false;
    }
    status_item = proto_tree_add_uint(srtp_tree, hf_msstun_srtp_auth_status, tvb, len - rec->tag_len, rec->tag_len,
                                      AUTH_STATUS_GOOD);
    proto_item_set_generated(status_item);
    if (rtcp) {
        proto_tree_add_boolean(srtp_tree, hf_msstun_srtp_e_flag, tvb, (int)out_len, SRTCP_INDEX_LEN,
                               encrypted ? 0x80000000U : 0);
        proto_tree_add_uint64(srtp_tree, hf_msstun_srtp_index, tvb, (int)out_len, SRTCP_INDEX_LEN, srtcp_index);
    } else {
        proto_item *roc_item = proto_tree_add_uint(srtp_tree, hf_msstun_srtp_roc, tvb, 0, 0, rec->roc);

        proto_item_set_generated(roc_item);
        roc_item = proto_tree_add_uint64(srtp_tree, hf_msstun_srtp_index, tvb, 2, 2,
                                         ((uint64_t)rec->roc << 16) | tvb_get_ntohs(tvb, 2));
        proto_item_set_generated(roc_item);
    }
    proto_item_append_text(ti, " decrypted");
    plain = tvb_new_child_real_data(tvb, out, (unsigned)out_len, (int)out_len);
    add_new_data_source(pinfo, plain, rtcp ? "Decrypted SRTCP" : "Decrypted SRTP");
    call_plaintext(plain, pinfo, tree, rtcp);
    return true;
}

bool
msstun_srtp_dissect(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, bool rtcp)
{
    unsigned n;
    pkt_record_t *rec;

    /* Keys are only ever added while a file is read: none now, none for
     * any earlier pass either, and no per-packet state to look up. */
    if (!msstun_srtp_enabled() || msstun_srtp_key_count() == 0)
        return false;
    n = GPOINTER_TO_UINT(p_get_proto_data(pinfo->pool, pinfo, proto_srtp_msstun, SRTP_PKT_KEY_COUNT));
    p_add_proto_data(pinfo->pool, pinfo, proto_srtp_msstun, SRTP_PKT_KEY_COUNT, GUINT_TO_POINTER(n + 1));
    rec = (pkt_record_t *)p_get_proto_data(wmem_file_scope(), pinfo, proto_srtp_msstun, SRTP_PKT_KEY_RECORD + n);
    if (!rec) {
        if (PINFO_FD_VISITED(pinfo) || !(rec = decide(tvb, pinfo, rtcp)))
            return false;
        p_add_proto_data(wmem_file_scope(), pinfo, proto_srtp_msstun, SRTP_PKT_KEY_RECORD + n, rec);
    }
    return show_packet(tvb, pinfo, tree, rtcp, rec);
}

static void
srtp_init(void)
{
    search_spent = 0;
    first_packets_spent = 0;
}

void
msstun_srtp_register(module_t *module, int proto)
{
    static hf_register_info hf[] = {
        { &hf_msstun_srtp_auth_status,
          { "Authentication Status", "msstun.srtp.auth.status", FT_UINT8, BASE_NONE, VALS(auth_status_vals), 0x0,
            "Whether the SRTP/SRTCP authentication tag verified with the key", HFILL }},
        { &hf_msstun_srtp_roc,
          { "Rollover Counter", "msstun.srtp.roc", FT_UINT32, BASE_DEC, NULL, 0x0,
            "RFC 3711 ROC: how many times the sequence number wrapped", HFILL }},
        { &hf_msstun_srtp_index,
          { "Index", "msstun.srtp.index", FT_UINT64, BASE_DEC, NULL, 0x0,
            "SRTP packet index (ROC * 65536 + sequence number) or SRTCP index", HFILL }},
        { &hf_msstun_srtp_e_flag,
          { "E Flag", "msstun.srtp.e_flag", FT_BOOLEAN, 32, TFS(&e_flag_tfs), 0x80000000,
            "Whether the SRTCP packet is encrypted", HFILL }},
        { &hf_msstun_srtp_mki,
          { "MKI", "msstun.srtp.mki", FT_BYTES, BASE_NONE, NULL, 0x0, "Master key identifier", HFILL }},
        { &hf_msstun_srtp_auth_tag,
          { "Authentication Tag", "msstun.srtp.auth_tag", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_srtp_suite,
          { "Crypto Suite", "msstun.srtp.suite", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_srtp_crypto_tag,
          { "Crypto Tag", "msstun.srtp.crypto_tag", FT_UINT32, BASE_DEC, NULL, 0x0,
            "The tag of the a=crypto attribute of the key", HFILL }},
        { &hf_msstun_srtp_key_frame,
          { "Key From SDP In", "msstun.srtp.key_frame", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "The frame of the SDP that carried the key", HFILL }},
        { &hf_msstun_srtp_key_file,
          { "Key From File", "msstun.srtp.key_file", FT_STRING, BASE_NONE, NULL, 0x0,
            "The keys file (msstun.srtp_keys) that carried the key", HFILL }},
        { &hf_msstun_srtp_key_line,
          { "Key File Line", "msstun.srtp.key_line", FT_UINT32, BASE_DEC, NULL, 0x0,
            "The line of the keys file that carried the key", HFILL }},
        { &hf_msstun_srtp_key_row,
          { "Key Table Row", "msstun.srtp.key_row", FT_UINT32, BASE_DEC, NULL, 0x0,
            "The row of the SRTP keys table (msstun.srtp_keys_table) that holds the key", HFILL }},
    };
    static int *ett[] = {
        &ett_msstun_srtp,
    };
    static ei_register_info ei[] = {
        { &ei_msstun_srtp_auth_failed,
          { "msstun.srtp.auth_failed", PI_CHECKSUM, PI_WARN,
            "SRTP authentication failed: the tag does not verify with the stream's key", EXPFILL }},
        { &ei_msstun_srtp_no_key,
          { "msstun.srtp.no_key", PI_UNDECODED, PI_NOTE,
            "No SDES key verifies this stream's packets: left encrypted", EXPFILL }},
        { &ei_msstun_srtp_truncated,
          { "msstun.srtp.truncated", PI_UNDECODED, PI_NOTE,
            "Packet cut short by the capture: not verified or decrypted", EXPFILL }},
        { &ei_msstun_srtp_search_bound,
          { "msstun.srtp.search_bound", PI_UNDECODED, PI_WARN,
            "Not decrypted: the key search reached its bound", EXPFILL }},
    };
    expert_module_t *expert;

    proto_srtp_msstun = proto;
    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert = expert_register_protocol(proto);
    expert_register_field_array(expert, ei, array_length(ei));
    msstun_srtp_keys_register(module, proto_srtp_msstun);
    streams = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), stream_hash, stream_equal);
    register_init_routine(srtp_init);
    carriers = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), carrier_hash, carrier_equal);
}

void
msstun_srtp_handoff(void)
{
    rtp_handle = find_dissector_add_dependency("rtp", proto_srtp_msstun);
    rtcp_handle = find_dissector_add_dependency("rtcp", proto_srtp_msstun);
    proto_rtcp = proto_get_id_by_filter_name("rtcp");
    msstun_srtp_keys_handoff();
}
