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

#include "packet-msstun.h"

#include <epan/dissectors/packet-rtp.h>

static dissector_handle_t msstun_handle;

/* Registers addr:port as media, towards any peer (other_port 0) or towards
 * the peer port given.  UDP only: RFC 4571 media on TCP keeps the
 * multiplexer of the TCP connection it arrives on. */
static void
learn_address(packet_info *pinfo, const address *addr, uint32_t port, uint32_t other_port)
{
    const msstun_prefs_t *settings = msstun_prefs();
    address learned;
    address null_addr;
    conversation_t *conv;
    unsigned options = NO_ADDR_B | (other_port == 0 ? NO_PORT_B : 0);

    if (port == 0 || (addr->type != AT_IPv4 && addr->type != AT_IPv6) || !value_is_in_range(settings->learn_ports, port))
        return;

    clear_address(&null_addr);
    conv = find_conversation(pinfo->num, addr, &null_addr, CONVERSATION_UDP, port, other_port, options);
    if (conv && conversation_get_dissector(conv, pinfo->num) == msstun_handle)
        return;

    /* rtp_add_address() wants a writable address; it copies it. */
    copy_address_shallow(&learned, addr);
    rtp_add_address(pinfo, PT_UDP, &learned, port, other_port, "MSSTUN", pinfo->num, RTP_MEDIA_AUDIO, NULL);

    /* RTP now owns the conversation from this frame on; the multiplexer
     * takes it back from the same frame (a dissector set from an earlier one
     * would lose to RTP's in 4.4 and 4.6) and hands RTP and RTCP on, with
     * the setup information RTP keeps. */
    conv = find_conversation(pinfo->num, addr, &null_addr, CONVERSATION_UDP, port, other_port, options);
    if (conv)
        conversation_set_dissector_from_frame_number(conv, pinfo->num, msstun_handle);
}

/* The relayed, reflexive and peer addresses a message named, towards any
 * peer; the sender of a success response to a check, towards the port it
 * answered. */
void
msstun_learn_media(packet_info *pinfo, const msstun_learned_t *learned, unsigned count)
{
    if (PINFO_FD_VISITED(pinfo) || !msstun_prefs()->learn_media || !msstun_handle)
        return;
    for (unsigned i = 0; i < count; i++)
        learn_address(pinfo, &learned[i].addr, learned[i].port,
                      learned[i].kind == MSSTUN_LEARN_CHECK ? learned[i].other_port : 0);
}

void
msstun_ports_handoff(void)
{
    msstun_handle = find_dissector("msstun");
}
