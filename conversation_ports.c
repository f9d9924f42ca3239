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
    char method[MAX_RTP_SETUP_METHOD_SIZE + 1];
    uint32_t frame = pinfo->num;
    address writable;

    if (!foreign_setup(find_media_conversation(pinfo->num, ctype, addr, port, other_port), method, sizeof(method),
                       &frame))
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

void
msstun_ports_handoff(void)
{
    msstun_handle = find_dissector("msstun");
    rtp_handle = find_dissector("rtp");
    proto_rtp = proto_get_id_by_filter_name("rtp");
    proto_rtcp = proto_get_id_by_filter_name("rtcp");
}
