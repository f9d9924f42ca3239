/* packet-msstun.h
 * Interfaces shared by the files of the msstun plugin: the MSSTUN message
 * dissector (packet-msstun.c), the port multiplexer (packet-msrtp-mux.c)
 * and the preferences (prefs.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef PACKET_MSSTUN_H
#define PACKET_MSSTUN_H

#include "msstun-compat.h"

#include <epan/conversation.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/range.h>
#include <wsutil/ws_roundup.h>

#define MSSTUN_HEADER_LEN           20U
#define MSSTUN_RFC5389_COOKIE       0x2112A442  /* RFC 5389 section 6 */
#define MSSTUN_MS_TURN_COOKIE       0x72C64BC6  /* MS-TURN 2.2.2.8 MAGIC-COOKIE value */

/* Relayed payloads (DATA, ChannelData, 0xFF10, TCP end-to-end data) go back
 * into the classifier; this bounds that recursion. */
#define MSSTUN_MAX_NESTING          4

extern int proto_msstun;

/* How a payload reached the classifier. */
typedef struct {
    unsigned depth;         /* 0 for the outermost payload */
    bool     over_tcp;      /* carried by a TCP stream (padded ChannelData) */
} msstun_payload_ctx_t;

/* Per-conversation state shared by the files of the plugin; each member
 * is created when first needed. */
typedef struct {
    wmem_tree_t *transactions;      /* packet-msstun.c: requests by transaction ID */
    wmem_tree_t *tcp_modes;         /* packet-msrtp-mux.c: TCP stream mode by first frame */
    wmem_tree_t *e2e_carry;         /* packet-msrtp-mux.c: partial RFC 4571 frames */
    bool         srtcp_setup;       /* packet-msrtp-mux.c: RTCP told about SRTCP */
} msstun_conv_t;

/* packet-msstun.c: the STUN/TURN message dissector. */

msstun_conv_t *msstun_conv_data(conversation_t *conv);

/* true when tvb[offset..offset+length) is exactly one STUN/TURN message of
 * any dialect (RFC 5389/8489, MS-ICE2, MS-TURN, legacy MS-TURN, RFC 3489). */
bool msstun_is_message(tvbuff_t *tvb, unsigned offset, unsigned length);

/* Dissects the single message that fills tvb. */
int dissect_msstun_message(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                           const msstun_payload_ctx_t *ctx);

/* packet-msrtp-mux.c: the classifier and the transport entry points. */

/* Classifies one datagram-like payload (STUN/TURN, ChannelData, MS
 * multiplexed TURN, RTP, RTCP, DTLS, RFC 4571) and hands it on; anything
 * else is shown as data.  Relayed payloads come back here. */
void msstun_dissect_payload(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                            const msstun_payload_ctx_t *ctx);

void msstun_mux_register(void);
void msstun_mux_handoff(void);
void msstun_mux_apply_ports(void);

/* conversation_ports.c: media learned from STUN/TURN and ICE. */
void msstun_learn_media(packet_info *pinfo, const address *addr, uint32_t port, uint32_t other_port);
void msstun_ports_handoff(void);

/* prefs.c: the preferences of the MSSTUN module. */
typedef struct {
    msstun_pref_bool_t udp_enabled;
    range_t *udp_ports;
    msstun_pref_bool_t tcp_internal_enabled;
    range_t *tcp_internal_ports;
    msstun_pref_bool_t tcp_external_enabled;
    range_t *tcp_external_ports;
    msstun_pref_bool_t show_original;
    msstun_pref_bool_t decode_data;
    msstun_pref_bool_t learn_media;
    range_t *learn_ports;
    msstun_pref_bool_t heuristic;
} msstun_prefs_t;

void msstun_prefs_register(module_t *module);
const msstun_prefs_t *msstun_prefs(void);

#endif /* PACKET_MSSTUN_H */
