/* packet-msstun.h
 * The STUN/TURN message dissector (packet-msstun.c), what the multiplexer
 * (packet-msrtp-mux.c) calls.  Data flows one way: the multiplexer
 * classifies, frames and reassembles, calls the message dissector, which
 * decodes one STUN/TURN message and returns what it found, and acts on it:
 * it dissects the relayed payload, has the learner (conversation_ports.h)
 * register the media endpoints and queues the tap records the reports read
 * (tap-msstun.h).  No header below includes this one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef PACKET_MSSTUN_H
#define PACKET_MSSTUN_H

#include "msstun-compat.h"
#include "conversation_ports.h"
#include "tap-msstun.h"

#include <epan/packet.h>

#define MSSTUN_HEADER_LEN           20U
#define MSSTUN_RFC5389_COOKIE       0x2112A442  /* RFC 5389 section 6 */
#define MSSTUN_MS_TURN_COOKIE       0x72C64BC6  /* MS-TURN 2.2.2.8 MAGIC-COOKIE value */

/* The message dissector registers protocol MSSTUN (proto_msstun, in
 * tap-msstun.h), which the multiplexer adds its fields to (and hands on to
 * SRTP), and "msstun_message" (Decode As of the message dissector alone, and
 * the key of its per-conversation state). */
extern int proto_msstun_message;

/* The proto data of proto for this packet's own 5-tuple, allocated zeroed
 * with size bytes when first asked for.  Each file of the plugin keeps its
 * per-conversation state under its own protocol. */
void *msstun_conversation_data(packet_info *pinfo, int proto, size_t size);

/* true when tvb[offset..offset+length) is exactly one STUN/TURN message of
 * any dialect (RFC 5389/8489, MS-ICE2, MS-TURN, legacy MS-TURN, RFC 3489). */
bool msstun_is_message(tvbuff_t *tvb, unsigned offset, unsigned length);

/* Adds a hidden item of Wireshark's "stun" protocol over a STUN/TURN
 * message, ChannelData or multiplexed TURN (0xFF10) header, the frames
 * that Wireshark's STUN dissector shows, for users' "stun" filters and
 * colouring rules. */
void msstun_mark_stun(proto_tree *tree, tvbuff_t *tvb, unsigned offset, unsigned length);

/* How a payload reached the classifier. */
typedef struct {
    unsigned depth;         /* 0 for the outermost payload */
    bool     over_tcp;      /* carried by a TCP stream (padded ChannelData) */
    /* For a payload relayed inside DATA: the TURN peer, and whether the
     * carrier goes from the client towards the peer (Send) or back (Data). */
    const msstun_endpoint_t *peer;
    bool     toward_peer;
    msstun_carrier_t carrier;   /* the innermost carrier */
} msstun_payload_ctx_t;

/* What dissect_msstun_message() found in one message, for the multiplexer
 * to act on. */
typedef struct {
    msstun_tap_t *tap;              /* for the "msstun" tap; NULL in an ICMP error */
    tvbuff_t   *relayed;            /* the value of DATA, or NULL */
    proto_tree *relayed_tree;       /* where the relayed payload goes */
    const msstun_endpoint_t *peer;  /* the TURN peer of the relayed payload, or NULL */
    bool        toward_peer;        /* the carrier goes from the client to the peer */
    unsigned    n_learned;
    msstun_learned_t learned[4 * MSSTUN_MAX_ENDPOINTS + 1];    /* a peer: two 5-tuples, both ends */
} msstun_message_result_t;

/* Dissects the single message that fills tvb, carried as ctx says, and
 * fills result. */
int dissect_msstun_message(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                           const msstun_payload_ctx_t *ctx, msstun_message_result_t *result);

/* Queues a record on the "msstun" tap. */
void msstun_tap_queue(packet_info *pinfo, msstun_tap_t *rec);

/* Queues a record of length bytes of relayed data in carrier (0xFF10 or TCP
 * end-to-end data) on this packet's 5-tuple; nothing when no one listens. */
void msstun_tap_carrier(packet_info *pinfo, msstun_carrier_t carrier, bool over_tcp, uint32_t length);

/* Queues a note about RTP, RTCP or a pseudo-TLS handshake in tvb, carried
 * as ctx says; nothing when no one listens. */
void msstun_tap_note(tvbuff_t *tvb, packet_info *pinfo, const msstun_payload_ctx_t *ctx, msstun_note_kind_t kind,
                     const char *handshake);

#endif /* PACKET_MSSTUN_H */
