/* conversation_ports.c
 * Media ports learned from STUN/TURN and ICE: the relayed and reflexive
 * addresses of TURN allocations, the peers that TURN messages name, and the
 * 5-tuples of successful connectivity checks become RTP/RTCP conversations
 * ("Stream setup by MSSTUN (frame N)") that the multiplexer dissects, so
 * that STUN, RTP, RTCP and ChannelData on them are all decoded.
 *
 * Everything is learned on the first pass and kept in conversations, which
 * belong to the capture file: nothing outlives it, and only the learned
 * transport addresses are affected.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "conversation_ports.h"
#include "prefs.h"

#include <epan/conversation.h>
#include <epan/expert.h>
#include <epan/proto_data.h>
#include <epan/to_str.h>
#include <epan/dissectors/packet-rtcp.h>

static dissector_handle_t msstun_handle;
static dissector_handle_t rtp_handle;
static int proto_rtp = -1;
static int proto_rtcp = -1;

/*
 * Conversation claims.  Wireshark's RTP and RTCP setup (rtp_add_address(),
 * srtcp_add_address()) makes RTP or RTCP the conversation's dissector, which
 * would take the STUN checks, DTLS records and ChannelData that share the
 * 5-tuple away from the multiplexer.  Every setup MSSTUN makes (learned
 * media, SDP with keys, payload names of SRTP streams, SRTCP, DTLS-SRTP)
 * goes through here: RTP and RTCP keep their setup information ("Stream
 * setup by MSSTUN (frame N)") and the multiplexer takes the conversation
 * back from the same frame (a dissector set from an earlier frame would lose
 * to RTP's in 4.4 and 4.6), then hands RTP and RTCP on itself.
 */

static conversation_t *
find_media_conversation(uint32_t frame, conversation_type ctype, const address *addr, uint32_t port,
                        uint32_t other_port)
{
    address null_addr;

    clear_address(&null_addr);
    return find_conversation(frame, addr, &null_addr, ctype, port, other_port,
                             NO_ADDR_B | (other_port == 0 ? NO_PORT_B : 0));
}

static void
keep_conversation(packet_info *pinfo, conversation_t *conv)
{
    if (conv && conversation_get_dissector(conv, pinfo->num) != msstun_handle)
        conversation_set_dissector_from_frame_number(conv, pinfo->num, msstun_handle);
}

/* The label of a stream that another dissector (SDP, SIP, H.245) set up
 * on conv, which a claim keeps: RTP's own, private on 4.2 and later, is
 * found in the RTCP data that rtp_add_address() writes with it (UDP).  Not
 * MSSTUN's own labels, nor "DECODE AS", RTP's when nobody set it up.  Only
 * a label of conv's own setup frame: a setup frame before the conversation
 * would make rtp_add_address() start a new one in the past. */
static bool
foreign_setup(conversation_t *conv, char *method, size_t method_size, uint32_t *frame)
{
    const struct _rtcp_conversation_info *rtcp_data;

    if (!conv)
        return false;
    rtcp_data = (const struct _rtcp_conversation_info *)conversation_get_proto_data(conv, proto_rtcp);
    if (!rtcp_data || !rtcp_data->setup_method_set || rtcp_data->setup_frame_number != conv->setup_frame ||
        strncmp(rtcp_data->setup_method, "MSSTUN", strlen("MSSTUN")) == 0 ||
        strcmp(rtcp_data->setup_method, "DECODE AS") == 0)
        return false;
    (void)g_strlcpy(method, rtcp_data->setup_method, method_size);
    *frame = rtcp_data->setup_frame_number;
    return true;
}

void
msstun_claim_rtp(packet_info *pinfo, port_type ptype, const address *addr, uint32_t port, uint32_t other_port,
                 const char *setup_method, unsigned media_type, rtp_dyn_payload_t *payloads)
{
    conversation_type ctype = conversation_pt_to_conversation_type(ptype);
    conversation_t *conv = find_media_conversation(pinfo->num, ctype, addr, port, other_port);
    char method[MAX_RTP_SETUP_METHOD_SIZE + 1];
    uint32_t frame = pinfo->num;
    address writable;

    /* Media that SDP (or SIP, H.245) set up keeps that setup whole, its
     * label and its payload types (a SILK or RED dynamic type): a second
     * rtp_add_address() without payloads would start a conversation that
     * knows none of them.  Only the multiplexer takes the packets. */
    if (!payloads && foreign_setup(conv, method, sizeof(method), &frame)) {
        keep_conversation(pinfo, conv);
        return;
    }
    if (!foreign_setup(conv, method, sizeof(method), &frame))
        (void)g_strlcpy(method, setup_method, sizeof(method));
    /* rtp_add_address() wants a writable address; it copies it. */
    copy_address_shallow(&writable, addr);
    rtp_add_address(pinfo, ptype, &writable, (int)port, (int)other_port, method, frame, media_type, payloads);
    keep_conversation(pinfo, find_media_conversation(pinfo->num, ctype, addr, port, other_port));
}

/* The SRTCP setup that RTCP keeps for a conversation: rtp_add_address()
 * makes a conversation from its setup frame on, and sets RTCP up there
 * without it (UDP, RFC 5761 multiplexing) or not at all (TCP). */
typedef struct {
    struct srtp_info *info;
    char method[MAX_RTCP_SETUP_METHOD_SIZE + 1];
    uint32_t frame;
} srtcp_setup_t;

static void
put_srtcp_setup(conversation_t *conv, const srtcp_setup_t *setup)
{
    struct _rtcp_conversation_info *rtcp_data =
        (struct _rtcp_conversation_info *)conversation_get_proto_data(conv, proto_rtcp);

    if (!rtcp_data) {
        rtcp_data = wmem_new0(wmem_file_scope(), struct _rtcp_conversation_info);
        conversation_add_proto_data(conv, proto_rtcp, rtcp_data);
    }
    rtcp_data->setup_method_set = true;
    (void)g_strlcpy(rtcp_data->setup_method, setup->method, sizeof(rtcp_data->setup_method));
    rtcp_data->setup_frame_number = setup->frame;
    rtcp_data->srtcp_info = setup->info;
}

void
msstun_claim_media(packet_info *pinfo, const address *addr, uint32_t port, const address *other_addr,
                   uint32_t other_port)
{
    conversation_type ctype = conversation_pt_to_conversation_type(pinfo->ptype);
    const struct _rtcp_conversation_info *rtcp_data;
    srtcp_setup_t srtcp;
    dissector_handle_t before = NULL;
    dissector_handle_t before_start = NULL;
    conversation_t *conv;
    address writable;

    if (PINFO_FD_VISITED(pinfo) || (ctype != CONVERSATION_UDP && ctype != CONVERSATION_TCP))
        return;
    /* As RTP looks its setup up (packet-rtp.c, get_conv_info()). */
    conv = find_conversation(pinfo->num, addr, other_addr, ctype, port, other_port, NO_ADDR_B);
    if (conv && conversation_get_proto_data(conv, proto_rtp))
        return;
    memset(&srtcp, 0, sizeof(srtcp));
    rtcp_data = conv ? (const struct _rtcp_conversation_info *)conversation_get_proto_data(conv, proto_rtcp) : NULL;
    if (rtcp_data && rtcp_data->srtcp_info) {
        srtcp.info = rtcp_data->srtcp_info;
        (void)g_strlcpy(srtcp.method, rtcp_data->setup_method, sizeof(srtcp.method));
        srtcp.frame = rtcp_data->setup_frame_number;
    }
    if (conv) {
        before = conversation_get_dissector(conv, pinfo->num);
        before_start = conversation_get_dissector(conv, 0);
    }
    copy_address_shallow(&writable, addr);
    rtp_add_address(pinfo, pinfo->ptype, &writable, (int)port, (int)other_port, "MSSTUN", pinfo->num,
                    RTP_MEDIA_AUDIO, NULL);
    /* Only the label: the packets reach the multiplexer as they did (its
     * port, Decode As, a heuristic), and an earlier conversation there keeps
     * the dissector that srtcp_add_address() sets from its first frame. */
    if (conv)
        conversation_set_dissector_from_frame_number(conv, 0, before_start);
    conv = find_media_conversation(pinfo->num, ctype, addr, port, other_port);
    if (conv) {
        conversation_set_dissector_from_frame_number(conv, pinfo->num, before);
        /* SRTCP set up before the first RTP stays SRTCP (encrypted RTCP
         * shown as such, with its label). */
        if (srtcp.info)
            put_srtcp_setup(conv, &srtcp);
    }
}

void
msstun_claim_udp_port(packet_info *pinfo, const address *addr, uint32_t port)
{
    conversation_t *conv = find_media_conversation(pinfo->num, CONVERSATION_UDP, addr, port, 0);
    address null_addr;

    clear_address(&null_addr);
    if (!conv)
        conv = conversation_new(pinfo->num, addr, &null_addr, CONVERSATION_UDP, port, 0, NO_ADDR2 | NO_PORT2);
    keep_conversation(pinfo, conv);
}

void
msstun_claim_back_from_rtp(packet_info *pinfo, const address *addr, uint32_t port, uint32_t other_port)
{
    conversation_t *conv = find_media_conversation(pinfo->num, CONVERSATION_UDP, addr, port, other_port);

    if (conv && conversation_get_dissector(conv, pinfo->num) == rtp_handle)
        keep_conversation(pinfo, conv);
}

void
msstun_claim_srtcp(packet_info *pinfo, const address *addr, uint32_t port, uint32_t other_port,
                   struct srtp_info *info)
{
    conversation_type ctype = conversation_pt_to_conversation_type(pinfo->ptype);
    struct _rtcp_conversation_info *rtcp_data;
    conversation_t *conv = find_media_conversation(pinfo->num, ctype, addr, port, other_port);
    address null_addr;
    address writable;

    clear_address(&null_addr);
    if (ctype == CONVERSATION_UDP) {
        dissector_handle_t before = conv ? conversation_get_dissector(conv, 0) : NULL;

        copy_address_shallow(&writable, addr);
        srtcp_add_address(pinfo, &writable, port, other_port, "MSSTUN", pinfo->num, info);
        /* srtcp_add_address() makes RTCP the dissector from frame 0: the
         * frames before this one keep theirs, so that every pass agrees. */
        conv = find_media_conversation(pinfo->num, ctype, addr, port, other_port);
        if (conv)
            conversation_set_dissector_from_frame_number(conv, 0, before);
        keep_conversation(pinfo, conv);
        return;
    }
    /* RFC 4571 RTCP (TCP end-to-end data, relayed ICE-TCP): srtcp_add_address()
     * knows only UDP; this is the same setup for a TCP 5-tuple. */
    if (!conv)
        conv = conversation_new(pinfo->num, addr, &null_addr, ctype, port, other_port, NO_ADDR2);
    rtcp_data = (struct _rtcp_conversation_info *)conversation_get_proto_data(conv, proto_rtcp);
    if (!rtcp_data) {
        rtcp_data = wmem_new0(wmem_file_scope(), struct _rtcp_conversation_info);
        conversation_add_proto_data(conv, proto_rtcp, rtcp_data);
    }
    rtcp_data->setup_method_set = true;
    (void)g_strlcpy(rtcp_data->setup_method, "MSSTUN", sizeof(rtcp_data->setup_method));
    rtcp_data->setup_frame_number = pinfo->num;
    rtcp_data->srtcp_info = info;
}

/* Registers addr:port as media, towards any peer (other_port 0) or towards
 * the peer port given.  UDP only: RFC 4571 media on TCP keeps the
 * multiplexer of the TCP connection it arrives on. */
static void
learn_address(packet_info *pinfo, const address *addr, uint32_t port, uint32_t other_port)
{
    const msstun_prefs_t *settings = msstun_prefs();
    conversation_t *conv;

    if (port == 0 || (addr->type != AT_IPv4 && addr->type != AT_IPv6) || !value_is_in_range(settings->learn_ports, port))
        return;
    conv = find_media_conversation(pinfo->num, CONVERSATION_UDP, addr, port, other_port);
    if (conv && conversation_get_dissector(conv, pinfo->num) == msstun_handle)
        return;
    msstun_claim_rtp(pinfo, PT_UDP, addr, port, other_port, "MSSTUN", RTP_MEDIA_AUDIO, NULL);
}

/* The relayed and reflexive addresses a message named, towards any peer;
 * either end of a peer's media 5-tuples and the sender of a success
 * response to a check, towards the port at the other end. */
void
msstun_learn_media(packet_info *pinfo, const msstun_learned_t *learned, unsigned count)
{
    if (PINFO_FD_VISITED(pinfo) || !msstun_prefs()->learn_media || !msstun_handle)
        return;
    for (unsigned i = 0; i < count; i++)
        learn_address(pinfo, &learned[i].addr, learned[i].port, learned[i].other_port);
}

/*
 * RFC 6062 relay legs.  Per TCP control connection: the relayed address of
 * its allocation and the peers of its pending Connect requests; per relay
 * leg (the TCP conversation between relayed address and peer): the leg.
 * Both maps belong to the capture file.
 */

typedef struct {
    uint8_t id[16];             /* bytes 4..19 of the request */
} transaction_key_t;

typedef struct {
    msstun_endpoint_t relayed;  /* addr.type AT_NONE until an Allocate success names one */
    wmem_map_t *connects;       /* transaction_key_t * -> msstun_endpoint_t * peer */
} control_conn_t;

/* The frame's (file-scope) proto data of protocol MSSTUN under this key:
 * it holds a Connect request that the bound kept from being followed. */
#define RELAY_LEG_PKT_KEY_UNFOLLOWED    0x524C4547  /* "RLEG" */

static expert_field ei_msstun_relay_leg_bound = EI_INIT;

static wmem_map_t *control_conns;   /* conversation_t * -> control_conn_t * */
static wmem_map_t *relay_legs;      /* conversation_t * -> msstun_relay_leg_t * */

static unsigned
transaction_hash(const void *key)
{
    const transaction_key_t *k = (const transaction_key_t *)key;
    unsigned hash = 2166136261U;    /* FNV-1a */

    for (size_t i = 0; i < sizeof(k->id); i++)
        hash = (hash ^ k->id[i]) * 16777619U;
    return hash;
}

static gboolean
transaction_equal(const void *a, const void *b)
{
    return memcmp(((const transaction_key_t *)a)->id, ((const transaction_key_t *)b)->id,
                  sizeof(((const transaction_key_t *)a)->id)) == 0;
}

static conversation_t *
tcp_conversation(const packet_info *pinfo, const address *a, uint32_t a_port, const address *b, uint32_t b_port)
{
    return find_conversation(pinfo->num, a, b, CONVERSATION_TCP, a_port, b_port, 0);
}

static const msstun_endpoint_t *
first_peer(const msstun_tap_t *rec)
{
    for (unsigned i = 0; i < rec->n_endpoints; i++) {
        if (rec->peer_mask & (1U << i))
            return &rec->endpoints[i];
    }
    return NULL;
}

static void
copy_endpoint(msstun_endpoint_t *to, const msstun_endpoint_t *from)
{
    to->role = from->role;
    copy_address_wmem(wmem_file_scope(), &to->addr, &from->addr);
    to->port = from->port;
}

/* The TCP connection between the relayed address and peer, if the capture
 * has it (its handshake came before the message that names it), is the
 * multiplexer's from this frame on. */
static void
claim_relay_leg(packet_info *pinfo, const control_conn_t *control, const msstun_endpoint_t *peer)
{
    conversation_t *conv = tcp_conversation(pinfo, &control->relayed.addr, control->relayed.port, &peer->addr,
                                            peer->port);
    msstun_relay_leg_t *leg;

    if (!conv)
        return;
    leg = wmem_new0(wmem_file_scope(), msstun_relay_leg_t);
    leg->frame = pinfo->num;
    leg->label = wmem_strdup_printf(wmem_file_scope(), "RFC 6062 relay leg of relayed address %s port %u, peer %s "
                                    "port %u (frame %u)", address_to_str(pinfo->pool, &control->relayed.addr),
                                    control->relayed.port, address_to_str(pinfo->pool, &peer->addr), peer->port,
                                    pinfo->num);
    wmem_map_insert(relay_legs, conv, leg);
    conversation_set_dissector_from_frame_number(conv, pinfo->num, msstun_handle);
}

void
msstun_learn_relay_leg(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const msstun_tap_t *rec)
{
    conversation_t *conv;
    control_conn_t *control;
    const msstun_endpoint_t *peer;
    transaction_key_t probe;

    if (!msstun_handle || pinfo->ptype != PT_TCP || !rec->over_tcp || rec->depth > 0 || rec->is_channeldata)
        return;
    if (PINFO_FD_VISITED(pinfo)) {
        if (rec->method == MSSTUN_METHOD_CONNECT && rec->cls == MSSTUN_CLASS_REQUEST &&
            p_get_proto_data(wmem_file_scope(), pinfo, proto_msstun, RELAY_LEG_PKT_KEY_UNFOLLOWED))
            proto_tree_add_expert_format(tree, pinfo, &ei_msstun_relay_leg_bound, tvb, 0, 0,
                                         "RFC 6062 relay leg not learned: %u Connect requests of this "
                                         "connection already wait for their answer", MSSTUN_RELAY_LEG_MAX_CONNECTS);
        return;
    }
    conv = tcp_conversation(pinfo, &pinfo->src, pinfo->srcport, &pinfo->dst, pinfo->destport);
    if (!conv)
        return;
    control = (control_conn_t *)wmem_map_lookup(control_conns, conv);
    if (!control) {
        if (rec->method != MSSTUN_METHOD_ALLOCATE || rec->cls != MSSTUN_CLASS_SUCCESS || rec->relayed_mask == 0)
            return;
        control = wmem_new0(wmem_file_scope(), control_conn_t);
        control->connects = wmem_map_new(wmem_file_scope(), transaction_hash, transaction_equal);
        wmem_map_insert(control_conns, conv, control);
    }
    if (rec->method == MSSTUN_METHOD_ALLOCATE && rec->cls == MSSTUN_CLASS_SUCCESS) {
        /* The allocation of the connection: the first relayed address. */
        for (unsigned i = 0; i < rec->n_endpoints && control->relayed.addr.type == AT_NONE; i++) {
            if (rec->relayed_mask & (1U << i))
                copy_endpoint(&control->relayed, &rec->endpoints[i]);
        }
        return;
    }
    if (control->relayed.addr.type == AT_NONE)
        return;
    memcpy(probe.id, rec->transaction_id, sizeof(probe.id));
    peer = first_peer(rec);
    if (rec->method == MSSTUN_METHOD_CONNECT && rec->cls == MSSTUN_CLASS_REQUEST) {
        transaction_key_t *key;
        msstun_endpoint_t *copy;

        if (!peer)
            return;
        if (wmem_map_size(control->connects) >= MSSTUN_RELAY_LEG_MAX_CONNECTS &&
            !wmem_map_contains(control->connects, &probe)) {
            /* Said on every pass, from the first one's verdict. */
            p_add_proto_data(wmem_file_scope(), pinfo, proto_msstun, RELAY_LEG_PKT_KEY_UNFOLLOWED,
                             GUINT_TO_POINTER(1));
            proto_tree_add_expert_format(tree, pinfo, &ei_msstun_relay_leg_bound, tvb, 0, 0,
                                         "RFC 6062 relay leg not learned: %u Connect requests of this "
                                         "connection already wait for their answer", MSSTUN_RELAY_LEG_MAX_CONNECTS);
            return;
        }
        key = wmem_new(wmem_file_scope(), transaction_key_t);
        *key = probe;
        copy = wmem_new0(wmem_file_scope(), msstun_endpoint_t);
        copy_endpoint(copy, peer);
        wmem_map_insert(control->connects, key, copy);
    } else if (rec->method == MSSTUN_METHOD_CONNECT) {
        /* RFC 6062 5.2: the success comes once the server's connection
         * from the relayed address to the peer of the request is up. */
        const msstun_endpoint_t *connect_peer = (const msstun_endpoint_t *)wmem_map_remove(control->connects, &probe);

        if (connect_peer && rec->cls == MSSTUN_CLASS_SUCCESS)
            claim_relay_leg(pinfo, control, connect_peer);
    } else if (rec->method == MSSTUN_METHOD_CONNECTION_ATTEMPT && rec->cls == MSSTUN_CLASS_INDICATION && peer) {
        /* RFC 6062 5.3: the peer connected to the relayed address. */
        claim_relay_leg(pinfo, control, peer);
    }
}

const msstun_relay_leg_t *
msstun_relay_leg_of(packet_info *pinfo)
{
    conversation_t *conv;
    const msstun_relay_leg_t *leg;

    if (pinfo->ptype != PT_TCP || wmem_map_size(relay_legs) == 0)
        return NULL;
    conv = tcp_conversation(pinfo, &pinfo->src, pinfo->srcport, &pinfo->dst, pinfo->destport);
    leg = conv ? (const msstun_relay_leg_t *)wmem_map_lookup(relay_legs, conv) : NULL;
    return leg && leg->frame < pinfo->num ? leg : NULL;
}

void
msstun_ports_register(void)
{
    static ei_register_info ei[] = {
        { &ei_msstun_relay_leg_bound,
          { "msstun.relay_leg.bound", PI_UNDECODED, PI_NOTE,
            "RFC 6062 relay leg not learned: too many Connect requests wait for their answer", EXPFILL } },
    };

    expert_register_field_array(expert_register_protocol(proto_msstun), ei, array_length(ei));
}

void
msstun_ports_handoff(void)
{
    control_conns = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    relay_legs = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    msstun_handle = find_dissector("msstun");
    rtp_handle = find_dissector("rtp");
    proto_rtp = proto_get_id_by_filter_name("rtp");
    proto_rtcp = proto_get_id_by_filter_name("rtcp");
}
