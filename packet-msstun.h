/* packet-msstun.h
 * Interfaces shared by the files of the msstun plugin.  Data flows one way:
 * the port multiplexer (packet-msrtp-mux.c) classifies, frames and
 * reassembles, calls the message dissector (packet-msstun.c), which
 * decodes one STUN/TURN message and returns what it found, and acts on it:
 * it dissects the relayed payload and has the learner (conversation_ports.c)
 * register the media endpoints.  The preferences are in prefs.c.
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

/* packet-msstun.c: method names (msstun.method), also used by the reports. */
extern const value_string msstun_method_vals[];

/* packet-msstun.c: the "msstun" tap. */
void msstun_tap_queue(packet_info *pinfo, msstun_tap_t *rec);

/* Queues a record of length bytes of relayed data in carrier (0xFF10 or TCP
 * end-to-end data) on this packet's 5-tuple; nothing when no one listens. */
void msstun_tap_carrier(packet_info *pinfo, msstun_carrier_t carrier, bool over_tcp, uint32_t length);

/* Queues a note about RTP, RTCP or a pseudo-TLS handshake in tvb, carried
 * as ctx says; nothing when no one listens. */
void msstun_tap_note(tvbuff_t *tvb, packet_info *pinfo, const msstun_payload_ctx_t *ctx, msstun_note_kind_t kind,
                     const char *handshake);

/* packet-msstun.c: the STUN/TURN message dissector.  It registers protocol
 * MSSTUN, which the other files add their fields to, and "msstun_message"
 * (Decode As of the message dissector alone, and the key of its
 * per-conversation state). */

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

/* conversation_ports.c: media learned from STUN/TURN and ICE. */
void msstun_learn_media(packet_info *pinfo, const msstun_learned_t *learned, unsigned count);
void msstun_ports_handoff(void);

/* prefs.c: the preferences of the MSSTUN module. */
typedef struct {
    msstun_pref_bool_t show_original;
    msstun_pref_bool_t decode_data;
    msstun_pref_bool_t learn_media;
    range_t *learn_ports;
} msstun_prefs_t;

void msstun_prefs_register(module_t *module);
const msstun_prefs_t *msstun_prefs(void);

#endif /* PACKET_MSSTUN_H */
