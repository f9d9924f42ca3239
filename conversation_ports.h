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

#endif /* CONVERSATION_PORTS_H */
