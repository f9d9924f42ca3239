/* conversation_ports.h
 * The learner and the one owner of the conversations MSSTUN claims
 * (conversation_ports.c): media learned from what STUN/TURN messages teach,
 * and RTP, RTCP and SRTCP set up on learned and SDP addresses, with the
 * 5-tuple kept by the multiplexer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef CONVERSATION_PORTS_H
#define CONVERSATION_PORTS_H

#include "msstun-compat.h"
#include "tap-msstun.h"

#include <epan/packet.h>
#include <epan/dissectors/packet-rtp.h>

struct srtp_info;

/* What a message teaches about where media will flow. */
typedef enum {
    MSSTUN_LEARN_RELAYED,       /* the relayed address of a TURN allocation */
    MSSTUN_LEARN_REFLEXIVE,     /* the reflexive address of a TURN allocation */
    MSSTUN_LEARN_PEER,          /* a peer that a TURN message names */
    MSSTUN_LEARN_CHECK          /* the 5-tuple of an answered connectivity check */
} msstun_learn_kind_t;

typedef struct {
    msstun_learn_kind_t kind;
    address  addr;
    uint32_t port;
    uint32_t other_port;        /* CHECK, PEER: the port at the other end, or 0 */
} msstun_learned_t;

/* Media learned from STUN/TURN and ICE: each becomes RTP/RTCP decoded by the
 * multiplexer (the msstun.learn_media and msstun.learn_ports preferences). */
void msstun_learn_media(packet_info *pinfo, const msstun_learned_t *learned, unsigned count);
void msstun_ports_handoff(void);

/* RTP set up for addr:port (towards any port when other_port is 0), with
 * setup_method and the payload type names, and the conversation kept by the
 * multiplexer from this frame on. */
void msstun_claim_rtp(packet_info *pinfo, port_type ptype, const address *addr, uint32_t port,
                      uint32_t other_port, const char *setup_method, unsigned media_type,
                      rtp_dyn_payload_t *payloads);

/* RTP's setup information, MSSTUN's label and this frame, for the packets
 * to addr:port from other_addr:other_port (UDP or TCP, as pinfo), unless
 * RTP finds a setup for them; the conversation's dissector stays as it
 * was.  The multiplexer hands RTP media that no signalling set up (relayed,
 * after Set Active Destination, 0xFF10, end-to-end data), which RTP would
 * label "DECODE AS".  First pass only. */
void msstun_claim_media(packet_info *pinfo, const address *addr, uint32_t port, const address *other_addr,
                        uint32_t other_port);

/* The conversation of addr:port (UDP, towards any peer) kept by the
 * multiplexer from this frame on, created if there is none. */
void msstun_claim_udp_port(packet_info *pinfo, const address *addr, uint32_t port);

/* The UDP conversation of addr:port towards other_port taken back from RTP,
 * if RTP holds it (DTLS-SRTP setup by Wireshark's DTLS). */
void msstun_claim_back_from_rtp(packet_info *pinfo, const address *addr, uint32_t port, uint32_t other_port);

/* RTCP told that addr:port towards other_port carries SRTCP (UDP or TCP),
 * the conversation kept by the multiplexer. */
void msstun_claim_srtcp(packet_info *pinfo, const address *addr, uint32_t port, uint32_t other_port,
                        struct srtp_info *info);

/*
 * RFC 6062 relay legs: the TCP connection between a TURN allocation's
 * relayed transport address and a peer, which the server opens for a
 * successful Connect (RFC 6062 5.2) or the peer opens, as a
 * ConnectionAttempt indication tells (5.3).  Learned on the first pass from
 * the messages of the allocation's control connection and kept as the TCP
 * conversation's dissector from the message on.
 */

/* Pending Connect requests remembered per control connection, to learn
 * the relay leg from their success; later ones are not. */
#define MSSTUN_RELAY_LEG_MAX_CONNECTS   64

typedef struct {
    uint32_t frame;             /* the message that named the connection */
    const char *label;          /* "RFC 6062 relay leg of relayed address ..., peer ... (frame N)" */
} msstun_relay_leg_t;

/* Registers the expert item of the relay legs (in protocol MSSTUN). */
void msstun_ports_register(void);

/* Learns from a TURN message (tvb) on a TCP control connection (depth 0):
 * its relayed address (Allocate success), the peer of a Connect request, and
 * the relay leg a Connect success or ConnectionAttempt names, when the
 * capture has that TCP connection.  A Connect request past
 * MSSTUN_RELAY_LEG_MAX_CONNECTS pending gets an expert item in tree. */
void msstun_learn_relay_leg(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const msstun_tap_t *rec);

/* The relay leg this TCP segment belongs to, or NULL. */
const msstun_relay_leg_t *msstun_relay_leg_of(packet_info *pinfo);

#endif /* CONVERSATION_PORTS_H */
