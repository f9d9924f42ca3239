/* tap-msstun.h
 * The records of the "msstun" tap, what the reports (tap-msstun.c,
 * tap-msstun-alloc.c, tap-msstun-flow.c) read: one for each STUN/TURN
 * message and ChannelData packet, for relayed data in a carrier without a
 * STUN header, and for each RTP, RTCP or pseudo-TLS handshake the
 * multiplexer hands on.  The message dissector (packet-msstun.c) queues
 * them, for itself and for the multiplexer (packet-msstun.h); this header
 * has the records and the numbers in them, nothing above them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TAP_MSSTUN_H
#define TAP_MSSTUN_H

#include "msstun-compat.h"

#include <epan/address.h>
#include <epan/proto.h>

/* MSSTUN (packet-msstun.c): the protocol of the tap and of the flow graph. */
extern int proto_msstun;

/* Address attributes; each role has its own fields. */
typedef enum {
    MSSTUN_ROLE_MAPPED,
    MSSTUN_ROLE_RESPONSE,
    MSSTUN_ROLE_SOURCE,
    MSSTUN_ROLE_CHANGED,
    MSSTUN_ROLE_REFLECTED_FROM,
    MSSTUN_ROLE_ALTERNATE_SERVER,
    MSSTUN_ROLE_DESTINATION,
    MSSTUN_ROLE_REMOTE,
    MSSTUN_ROLE_XOR_PEER,
    MSSTUN_ROLE_XOR_RELAYED,
    MSSTUN_ROLE_XOR_MAPPED,
    MSSTUN_ROLE_MS_XOR_MAPPED,
    MSSTUN_ROLE_XOR_REFLECTED_FROM,
    MSSTUN_ROLE_RESPONSE_ORIGIN,
    MSSTUN_ROLE_OTHER_ADDRESS,
    MSSTUN_ROLE_MS_ALT_MAPPED,
    MSSTUN_ROLE_REMOTE_SITE,
    MSSTUN_ROLE_REMOTE_RELAY_SITE,
    MSSTUN_ROLE_LOCAL_SITE,
    MSSTUN_ROLE_LOCAL_RELAY_SITE,
    MSSTUN_ROLE_COUNT
} msstun_addr_role_t;

#define MSSTUN_MAX_ENDPOINTS        16

/* A transport address carried by an address attribute. */
typedef struct {
    msstun_addr_role_t role;
    address            addr;
    uint32_t           port;
} msstun_endpoint_t;

/* What a payload was carried in. */
typedef enum {
    MSSTUN_CARRIER_NONE,            /* the packet itself */
    MSSTUN_CARRIER_DATA,            /* the DATA attribute of a Send or Data message */
    MSSTUN_CARRIER_CHANNELDATA,
    MSSTUN_CARRIER_MTURN,           /* MS-TURN 0xFF10 multiplexed TURN */
    MSSTUN_CARRIER_TCP_E2E,         /* MS-TURN TCP end-to-end data */
    /* Bytes with no framing at all on the packet's own 5-tuple: an RFC 6062
     * TCP data connection after its ConnectionBind success, or a datagram on
     * a TURN port that is none of the kinds the multiplexer knows. */
    MSSTUN_CARRIER_RAW
} msstun_carrier_t;

/* Media and handshakes that the multiplexer hands on, for the flow graph
 * and the media paths report (tap-msstun-flow.c). */
typedef enum {
    MSSTUN_NOTE_RTP,
    MSSTUN_NOTE_RTCP,
    MSSTUN_NOTE_PSEUDO_TLS,
    /* SRTCP that the SRTP module decrypted: noted from its plaintext, as
     * MSSTUN_NOTE_RTCP. */
    MSSTUN_NOTE_SRTCP
} msstun_note_kind_t;

typedef struct {
    msstun_note_kind_t kind;
    msstun_carrier_t   carrier;
    uint32_t ssrc;              /* RTP SSRC, or the sender SSRC of RTCP */
    uint32_t seq;               /* RTP sequence number */
    uint32_t timestamp;         /* RTP timestamp ... */
    bool     marker;            /* ... and marker bit, for the flow graph's jitter */
    uint32_t length;            /* bytes of the RTP or RTCP packet */
    unsigned payload_type;      /* RTP payload type, or the first RTCP packet type */
    unsigned n_reported;        /* RTCP report blocks ... */
    uint32_t reported[31];      /* ... and the SSRCs they are about */
    const char *handshake;      /* pseudo-TLS: the handshake messages */
    /* RTCP SR: the middle 32 bits of its NTP timestamp (what a report
     * block's LSR names), RFC 3550 6.4.1. */
    bool     has_sr_ntp;
    uint32_t sr_ntp_middle;
    /* The report blocks in full, in the order of reported[]: the first
     * n_blocks were captured whole. */
    unsigned n_blocks;
    struct {
        uint8_t  fraction_lost; /* of 256 */
        int32_t  cumulative_lost;
        uint32_t highest_seq;   /* extended */
        uint32_t jitter;        /* in timestamp units */
        uint32_t lsr;
        uint32_t dlsr;          /* in 1/65536 s */
    } blocks[31];
} msstun_note_t;

/* Reads a note's figures from the RTP or RTCP packet (or RTCP compound) in
 * tvb: the header, and an SR's or RR's report blocks, whose figures past the
 * SSRCs only when clear (RTCP, or the plaintext of SRTCP). */
void msstun_note_read(msstun_note_t *note, tvbuff_t *tvb, msstun_note_kind_t kind, bool clear);

/* What the "msstun" tap gets for each STUN/TURN message and ChannelData
 * packet (tap-msstun.c builds the troubleshooting reports from it). */
typedef struct {
    bool        is_channeldata;
    unsigned    method;         /* msstun.method */
    unsigned    cls;            /* msstun.class */
    unsigned    dialect;
    unsigned    depth;          /* 0 unless relayed inside DATA */
    bool        over_tcp;
    bool        retransmission;
    uint8_t     transaction_id[16]; /* bytes 4..19 of the message */
    unsigned    error_code;     /* 0 when none */
    bool        has_lifetime;
    uint32_t    lifetime;
    uint32_t    ms_version;     /* 0 when absent */
    bool        use_candidate;
    const char *username;       /* displayable, or NULL */
    int         bwm_acm;        /* MS-TURNBWM admission message type, -1 when absent */
    unsigned    bwm_site_responses;
    unsigned    bwm_site_valid;
    uint32_t    data_length;    /* relayed bytes (DATA or ChannelData) */
    uint32_t    channel;        /* ChannelData channel or CHANNEL-NUMBER, 0 when none */
    bool        has_connection_id;  /* RFC 6062 CONNECTION-ID */
    uint32_t    connection_id;
    /* The transport addresses of the message: those of the packet, or for
     * a message relayed inside DATA, the TURN client and the peer. */
    address     src;
    address     dst;
    uint32_t    src_port;
    uint32_t    dst_port;
    unsigned    n_endpoints;
    msstun_endpoint_t endpoints[MSSTUN_MAX_ENDPOINTS];
    /* What the message means for its TURN allocation, by the dissector's
     * rules for its dialect (bit i stands for endpoints[i]): the relayed
     * addresses a server allocated, the client's reflexive address, and the
     * peers the message names. */
    uint32_t    relayed_mask;
    uint32_t    reflexive_mask;
    uint32_t    peer_mask;
    /* Set, with method 0, on the records of msstun_tap_carrier(): relayed
     * data in a carrier with no STUN header (0xFF10 multiplexed TURN, TCP
     * end-to-end data) or with none at all (MSSTUN_CARRIER_RAW), data_length
     * bytes. */
    msstun_carrier_t carrier;
    /* Set, with method 0, on the records of msstun_tap_note(). */
    const msstun_note_t *note;
    const msstun_endpoint_t *peer;  /* the TURN peer of a payload carried in DATA */
} msstun_tap_t;

/* Methods: the 12-bit RFC 5389 methods, plus the MS-TURN message types that
 * have no RFC method, numbered above 0xFFF so that they cannot collide. */
#define MSSTUN_METHOD_BINDING               0x001
#define MSSTUN_METHOD_SHARED_SECRET         0x002
#define MSSTUN_METHOD_ALLOCATE              0x003
#define MSSTUN_METHOD_REFRESH               0x004
#define MSSTUN_METHOD_SEND                  0x006
#define MSSTUN_METHOD_DATA                  0x007
#define MSSTUN_METHOD_CREATE_PERMISSION     0x008
#define MSSTUN_METHOD_CHANNEL_BIND          0x009
#define MSSTUN_METHOD_CONNECT               0x00A
#define MSSTUN_METHOD_CONNECTION_BIND       0x00B
#define MSSTUN_METHOD_CONNECTION_ATTEMPT    0x00C
#define MSSTUN_METHOD_GOOG_PING             0x080
#define MSSTUN_METHOD_MS_SEND               0x1004  /* MS-TURN 0x0004 Send request */
#define MSSTUN_METHOD_MS_DATA               0x1005  /* MS-TURN 0x0115 Data Indication */
#define MSSTUN_METHOD_MS_SET_ACTIVE_DEST    0x1006  /* MS-TURN 0x0006/0x0106/0x0116 */

#define MSSTUN_CLASS_REQUEST        0
#define MSSTUN_CLASS_INDICATION     1
#define MSSTUN_CLASS_SUCCESS        2
#define MSSTUN_CLASS_ERROR          3

/* The names of the methods (msstun.method), from packet-msstun.c. */
extern const value_string msstun_method_vals[];

#endif /* TAP_MSSTUN_H */
