/* tap-msstun-alloc.h
 * The TURN allocations of one report, as the "msstun" tap tells them: one
 * model that the Allocations report (tap-msstun.c) and Media Paths
 * (tap-msstun-flow.c) both read.
 *
 * An allocation is keyed by its client's 5-tuple (client, server,
 * transport).  It holds what the dissector says each message means for it
 * (the tap record's relayed, reflexive and peer addresses), the active
 * destination, the channels, the RFC 6062 connections, and the data relayed
 * through it per peer, in every carrier: Send/Data, ChannelData, 0xFF10,
 * MS-TURN TCP end-to-end data, data sent unwrapped to the active
 * destination, RFC 6062 data connections, and, apart, the relay leg
 * (between a relayed address and a peer) where the capture has it: RTP and
 * RTCP there, and the segments of an RFC 6062 relay leg (TCP payload
 * bytes), counted by the allocation at each end whose relayed address it
 * is.
 *
 * Each report owns one tracker, made and freed with its state; every string
 * is the tracker's own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TAP_MSSTUN_ALLOC_H
#define TAP_MSSTUN_ALLOC_H

#include "tap-msstun.h"
#include "tap-msstun-report.h"

/* Bounds of one tracker.  Past them the data of further peers counts in the
 * allocation's totals only (the Allocations report says "and more (over
 * 4096)"), further Connect requests are not matched with their success and
 * further RFC 6062 connections are not tied to their allocation (their data
 * connections get rows of their own); the allocation notes each (more_peers,
 * more_connects, more_connections), which the Allocations report shows in
 * its Peers column. */
#define MSSTUN_ALLOC_MAX_PEERS          4096    /* per allocation */
#define MSSTUN_ALLOC_MAX_CONNECTS       64      /* Connect requests waiting for their answer, per allocation */
#define MSSTUN_ALLOC_MAX_CONNECTIONS    4096    /* CONNECTION-IDs and data connections, per tracker */

typedef struct {
    unsigned tx_packets;        /* toward the peer */
    unsigned tx_bytes;
    unsigned rx_packets;        /* from the peer */
    unsigned rx_bytes;
} msstun_traffic_t;

/* What went between the client and a peer: on the client's leg (to and
 * from the server, in any carrier) and on the relay leg. */
typedef struct {
    msstun_traffic_t client_leg;
    msstun_traffic_t relay_leg;
} msstun_peer_traffic_t;

typedef struct {
    char       *client;         /* transport addresses, "192.0.2.1:3478" */
    char       *server;
    bool        over_tcp;
    bool        allocated;      /* an Allocate succeeded */
    msstun_strset_t relayed;    /* every relayed address allocated */
    char       *first_relayed;  /* the first IPv4 one, else the first; NULL before any */
    bool        first_relayed_v4;
    uint32_t    relayed_frame;  /* of the first success that allocated one */
    char       *reflexive;      /* the last one a success named */
    GHashTable *peers;          /* char * -> msstun_peer_traffic_t *, at most MSSTUN_ALLOC_MAX_PEERS */
    GPtrArray  *shown_peers;    /* the first MSSTUN_REPORT_SHOWN peers, names in peers */
    bool        more_peers;     /* peers past the bound, counted in all_peers only */
    msstun_peer_traffic_t all_peers;    /* the sums over every peer */
    GHashTable *channels;       /* channel -> char * peer */
    char       *pending_dest;   /* the destination of the last Set Active Destination request */
    char       *active_dest;    /* and of the last one that succeeded */
    GHashTable *connects;       /* GBytes * transaction ID of a Connect request -> char * peer */
    bool        more_connects;  /* Connect requests past MSSTUN_ALLOC_MAX_CONNECTS pending, not followed */
    bool        more_connections;   /* its RFC 6062 connections past MSSTUN_ALLOC_MAX_CONNECTIONS, not tied */
    void       *report_data;    /* the report's own, freed by the tracker's free_report_data */
} msstun_alloc_t;

typedef struct msstun_alloc_tracker msstun_alloc_tracker_t;

/* What a tap record was to the allocations. */
typedef enum {
    MSSTUN_ALLOC_NONE,          /* about no allocation */
    MSSTUN_ALLOC_MESSAGE,       /* a TURN message of the allocation, or of one of its data connections */
    MSSTUN_ALLOC_DATA           /* data relayed through it (counted), in no TURN message */
} msstun_alloc_what_t;

msstun_alloc_tracker_t *msstun_alloc_tracker_new(GDestroyNotify free_report_data);
void msstun_alloc_tracker_reset(msstun_alloc_tracker_t *tracker);
void msstun_alloc_tracker_free(msstun_alloc_tracker_t *tracker);

/* What a record may be to the allocations, from the record alone:
 * MSSTUN_ALLOC_MESSAGE for a TURN message (which makes its allocation when
 * it is the first), MSSTUN_ALLOC_DATA for data (which only an allocation
 * already made can have relayed), MSSTUN_ALLOC_NONE otherwise. */
msstun_alloc_what_t msstun_alloc_kind_of(const msstun_tap_t *rec);

/* Takes in one record of the "msstun" tap; *alloc is the allocation it was
 * about (NULL for none) and *from_client whether it went from the client's
 * side (toward the peer). */
msstun_alloc_what_t msstun_alloc_track(msstun_alloc_tracker_t *tracker, const packet_info *pinfo,
                                       const msstun_tap_t *rec, msstun_alloc_t **alloc, bool *from_client);

/* The allocation whose client and server are a and b in either order;
 * *a_is_client tells which. */
msstun_alloc_t *msstun_alloc_find(msstun_alloc_tracker_t *tracker, const char *a, const char *b, bool over_tcp,
                                  bool *a_is_client);
/* The allocation that a relayed address belongs to. */
msstun_alloc_t *msstun_alloc_by_relayed(msstun_alloc_tracker_t *tracker, const char *relayed);
/* The other allocation the last record of msstun_alloc_track() was about:
 * a relay leg between the relayed addresses of two allocations is relayed
 * through both (the first is *alloc, this one received it); else NULL. */
msstun_alloc_t *msstun_alloc_far_end(const msstun_alloc_tracker_t *tracker);

/* The peer a channel of the allocation is bound to, or NULL. */
const char *msstun_alloc_channel_peer(const msstun_alloc_t *alloc, uint32_t channel);

#endif /* TAP_MSSTUN_ALLOC_H */
