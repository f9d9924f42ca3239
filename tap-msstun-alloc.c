/* tap-msstun-alloc.c
 * The TURN allocations of one report (see tap-msstun-alloc.h).  What a
 * message means for an allocation is the dissector's reading, in the tap
 * record (relayed_mask, reflexive_mask, peer_mask, connection_id); this file
 * only keeps it per allocation and counts the data relayed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "tap-msstun-alloc.h"

/* An RFC 6062 connection between the relayed address and a peer, as the
 * control connection names it (Connect success or ConnectionAttempt), and
 * a TCP data connection bound to one (ConnectionBind). */
typedef struct {
    msstun_alloc_t *alloc;
    char           *peer;
} connection_t;

struct msstun_alloc_tracker {
    GHashTable    *allocs;      /* "client server transport" -> msstun_alloc_t */
    GHashTable    *relays;      /* relayed transport address -> msstun_alloc_t */
    GHashTable    *connections; /* "server connection-id" -> connection_t */
    GHashTable    *data_conns;  /* "client server TCP" of a data connection -> connection_t */
    msstun_alloc_t *far_end;    /* the second allocation of the last record, or NULL */
    GDestroyNotify free_report_data;
};

static char *
key_of(const char *client, const char *server, bool over_tcp)
{
    return msstun_report_pair_key(client, server, over_tcp ? "TCP" : "UDP");
}

static void *
lookup_either_way(GHashTable *table, const char *a, const char *b, bool over_tcp, bool *forward)
{
    return msstun_report_lookup_either_way(table, a, b, over_tcp ? "TCP" : "UDP", forward);
}

static void
free_connection(gpointer data)
{
    connection_t *conn = (connection_t *)data;

    g_free(conn->peer);
    g_free(conn);
}

static void
free_peer_name(gpointer data)
{
    g_free(data);
}

msstun_alloc_tracker_t *
msstun_alloc_tracker_new(GDestroyNotify free_report_data)
{
    msstun_alloc_tracker_t *tracker = g_new0(msstun_alloc_tracker_t, 1);

    tracker->free_report_data = free_report_data;
    tracker->allocs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    tracker->relays = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    tracker->connections = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_connection);
    tracker->data_conns = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_connection);
    return tracker;
}

static void
free_alloc(msstun_alloc_tracker_t *tracker, msstun_alloc_t *alloc)
{
    if (alloc->report_data && tracker->free_report_data)
        tracker->free_report_data(alloc->report_data);
    g_free(alloc->client);
    g_free(alloc->server);
    msstun_strset_free(&alloc->relayed);
    g_free(alloc->first_relayed);
    g_free(alloc->reflexive);
    g_ptr_array_free(alloc->shown_peers, true);
    g_hash_table_destroy(alloc->peers);
    g_hash_table_destroy(alloc->channels);
    g_free(alloc->pending_dest);
    g_free(alloc->active_dest);
    g_hash_table_destroy(alloc->connects);
    g_free(alloc);
}

void
msstun_alloc_tracker_reset(msstun_alloc_tracker_t *tracker)
{
    GHashTableIter iter;
    gpointer value;

    tracker->far_end = NULL;
    g_hash_table_remove_all(tracker->data_conns);
    g_hash_table_remove_all(tracker->connections);
    g_hash_table_remove_all(tracker->relays);
    g_hash_table_iter_init(&iter, tracker->allocs);
    while (g_hash_table_iter_next(&iter, NULL, &value))
        free_alloc(tracker, (msstun_alloc_t *)value);
    g_hash_table_remove_all(tracker->allocs);
}

void
msstun_alloc_tracker_free(msstun_alloc_tracker_t *tracker)
{
    msstun_alloc_tracker_reset(tracker);
    g_hash_table_destroy(tracker->data_conns);
    g_hash_table_destroy(tracker->connections);
    g_hash_table_destroy(tracker->relays);
    g_hash_table_destroy(tracker->allocs);
    g_free(tracker);
}

msstun_alloc_t *
msstun_alloc_find(msstun_alloc_tracker_t *tracker, const char *a, const char *b, bool over_tcp, bool *a_is_client)
{
    return (msstun_alloc_t *)lookup_either_way(tracker->allocs, a, b, over_tcp, a_is_client);
}

msstun_alloc_t *
msstun_alloc_by_relayed(msstun_alloc_tracker_t *tracker, const char *relayed)
{
    return (msstun_alloc_t *)g_hash_table_lookup(tracker->relays, relayed);
}

const char *
msstun_alloc_channel_peer(const msstun_alloc_t *alloc, uint32_t channel)
{
    return (const char *)g_hash_table_lookup(alloc->channels, GUINT_TO_POINTER(channel));
}

static msstun_alloc_t *
new_alloc(msstun_alloc_tracker_t *tracker, char *owned_key, const char *client, const char *server, bool over_tcp)
{
    msstun_alloc_t *alloc = g_new0(msstun_alloc_t, 1);

    alloc->client = g_strdup(client);
    alloc->server = g_strdup(server);
    alloc->over_tcp = over_tcp;
    msstun_strset_init(&alloc->relayed);
    alloc->peers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    alloc->shown_peers = g_ptr_array_new();
    alloc->channels = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    alloc->connects = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref,
                                            free_peer_name);
    g_hash_table_insert(tracker->allocs, owned_key, alloc);
    return alloc;
}

/* The traffic of a peer; NULL past MSSTUN_ALLOC_MAX_PEERS. */
static msstun_peer_traffic_t *
peer_traffic(msstun_alloc_t *alloc, const char *name)
{
    msstun_peer_traffic_t *traffic = (msstun_peer_traffic_t *)g_hash_table_lookup(alloc->peers, name);
    char *owned;

    if (traffic)
        return traffic;
    if (g_hash_table_size(alloc->peers) >= MSSTUN_ALLOC_MAX_PEERS) {
        alloc->more_peers = true;
        return NULL;
    }
    owned = g_strdup(name);
    traffic = g_new0(msstun_peer_traffic_t, 1);
    g_hash_table_insert(alloc->peers, owned, traffic);
    if (alloc->shown_peers->len < MSSTUN_REPORT_SHOWN)
        g_ptr_array_add(alloc->shown_peers, owned);
    return traffic;
}

static void
add_traffic(msstun_traffic_t *traffic, bool toward_peer, uint32_t length)
{
    if (toward_peer) {
        traffic->tx_packets++;
        traffic->tx_bytes += length;
    } else {
        traffic->rx_packets++;
        traffic->rx_bytes += length;
    }
}

static void
count_traffic(msstun_alloc_t *alloc, const char *peer, bool relay_leg, bool toward_peer, uint32_t length)
{
    msstun_peer_traffic_t *traffic = peer_traffic(alloc, peer);

    if (traffic)
        add_traffic(relay_leg ? &traffic->relay_leg : &traffic->client_leg, toward_peer, length);
    add_traffic(relay_leg ? &alloc->all_peers.relay_leg : &alloc->all_peers.client_leg, toward_peer, length);
}

/* Data to or from the active destination on the allocation's own 5-tuple. */
static void
count_active_destination(msstun_alloc_t *alloc, bool from_client, uint32_t length)
{
    count_traffic(alloc, alloc->active_dest ? alloc->active_dest : "active destination", false, from_client,
                  length);
}

/* Requests and the Send indication go from the client to the server;
 * responses, Data and ConnectionAttempt indications the other way. */
static bool
sent_by_client(const msstun_tap_t *rec)
{
    return rec->cls == MSSTUN_CLASS_REQUEST || (rec->cls == MSSTUN_CLASS_INDICATION && rec->method == MSSTUN_METHOD_SEND);
}

static bool
is_allocation_method(unsigned method)
{
    switch (method) {
    case MSSTUN_METHOD_ALLOCATE:
    case MSSTUN_METHOD_REFRESH:
    case MSSTUN_METHOD_SEND:
    case MSSTUN_METHOD_DATA:
    case MSSTUN_METHOD_CREATE_PERMISSION:
    case MSSTUN_METHOD_CHANNEL_BIND:
    case MSSTUN_METHOD_CONNECT:
    case MSSTUN_METHOD_CONNECTION_BIND:
    case MSSTUN_METHOD_CONNECTION_ATTEMPT:
    case MSSTUN_METHOD_MS_SEND:
    case MSSTUN_METHOD_MS_DATA:
    case MSSTUN_METHOD_MS_SET_ACTIVE_DEST:
        return true;
    default:
        return false;
    }
}

static char *
connection_key(const char *server, uint32_t connection_id)
{
    return g_strdup_printf("%s %u", server, connection_id);
}

/* Past the bound, the allocation says that a connection of its own was
 * not tied to it. */
static void
add_connection(GHashTable *table, char *owned_key, msstun_alloc_t *alloc, const char *peer)
{
    connection_t *conn;

    if (g_hash_table_size(table) >= MSSTUN_ALLOC_MAX_CONNECTIONS && !g_hash_table_contains(table, owned_key)) {
        alloc->more_connections = true;
        g_free(owned_key);
        return;
    }
    conn = g_new0(connection_t, 1);
    conn->alloc = alloc;
    conn->peer = g_strdup(peer);
    g_hash_table_replace(table, owned_key, conn);
}

/* The allocation of a TURN message: its own, or for a ConnectionBind on a
 * data connection, that of the connection it binds (RFC 6062 4.3); a new
 * one when the message is the first of its 5-tuple. */
static msstun_alloc_t *
message_alloc(msstun_alloc_tracker_t *tracker, const msstun_tap_t *rec, const char *src, const char *dst,
              bool *from_client)
{
    bool client_first = sent_by_client(rec);
    const char *client = client_first ? src : dst;
    const char *server = client_first ? dst : src;
    connection_t *data_conn = (connection_t *)lookup_either_way(tracker->data_conns, src, dst, rec->over_tcp,
                                                                from_client);
    char *key;
    msstun_alloc_t *alloc;

    if (data_conn)
        return data_conn->alloc;
    if (rec->method == MSSTUN_METHOD_CONNECTION_BIND && rec->cls == MSSTUN_CLASS_REQUEST && rec->has_connection_id) {
        /* The connection was named on a control connection to the server
         * that the data connection goes to. */
        connection_t *conn;

        key = connection_key(server, rec->connection_id);
        conn = (connection_t *)g_hash_table_lookup(tracker->connections, key);
        g_free(key);
        if (conn) {
            add_connection(tracker->data_conns, key_of(client, server, true), conn->alloc, conn->peer);
            *from_client = true;
            return conn->alloc;
        }
    }
    *from_client = client_first;
    key = key_of(client, server, rec->over_tcp);
    alloc = (msstun_alloc_t *)g_hash_table_lookup(tracker->allocs, key);
    if (alloc) {
        g_free(key);
        return alloc;
    }
    alloc = new_alloc(tracker, key, client, server, rec->over_tcp);
    if (rec->method == MSSTUN_METHOD_CONNECTION_BIND && rec->cls == MSSTUN_CLASS_REQUEST && rec->has_connection_id) {
        /* A data connection whose control connection is not in the
         * capture: its own row, and its data counted there. */
        char *peer = g_strdup_printf("connection %u", rec->connection_id);

        add_connection(tracker->data_conns, key_of(client, server, true), alloc, peer);
        g_free(peer);
    }
    return alloc;
}

/* What a message means for its allocation, by the dissector's reading. */
static void
account_message(msstun_alloc_tracker_t *tracker, msstun_alloc_t *alloc, const packet_info *pinfo,
                const msstun_tap_t *rec, bool from_client)
{
    for (unsigned i = 0; i < rec->n_endpoints; i++) {
        const msstun_endpoint_t *ep = &rec->endpoints[i];
        char *name;

        if (!(rec->peer_mask & (1U << i)))
            continue;
        name = msstun_transport_address(&ep->addr, ep->port);
        /* A peer named is a peer, with or without data. */
        if (rec->data_length != 0)
            count_traffic(alloc, name, false, from_client, rec->data_length);
        else
            (void)peer_traffic(alloc, name);
        if (rec->method == MSSTUN_METHOD_CHANNEL_BIND && rec->cls == MSSTUN_CLASS_REQUEST && rec->channel != 0)
            g_hash_table_replace(alloc->channels, GUINT_TO_POINTER(rec->channel), g_strdup(name));
        if (!rec->retransmission && rec->method == MSSTUN_METHOD_MS_SET_ACTIVE_DEST &&
            rec->cls == MSSTUN_CLASS_REQUEST) {
            g_free(alloc->pending_dest);
            alloc->pending_dest = g_strdup(name);
        }
        if (rec->method == MSSTUN_METHOD_CONNECT && rec->cls == MSSTUN_CLASS_REQUEST) {
            GBytes *id = g_bytes_new(rec->transaction_id, sizeof(rec->transaction_id));

            if (g_hash_table_size(alloc->connects) < MSSTUN_ALLOC_MAX_CONNECTS ||
                g_hash_table_contains(alloc->connects, id)) {
                g_hash_table_replace(alloc->connects, id, g_strdup(name));
            } else {
                alloc->more_connects = true;
                g_bytes_unref(id);
            }
        }
        if (rec->method == MSSTUN_METHOD_CONNECTION_ATTEMPT && rec->has_connection_id)
            add_connection(tracker->connections, connection_key(alloc->server, rec->connection_id), alloc, name);
        g_free(name);
    }
    if (rec->retransmission)
        return;
    if (rec->method == MSSTUN_METHOD_CONNECT && rec->cls != MSSTUN_CLASS_REQUEST) {
        GBytes *id = g_bytes_new(rec->transaction_id, sizeof(rec->transaction_id));
        const char *connect_peer = (const char *)g_hash_table_lookup(alloc->connects, id);

        /* RFC 6062 4.3: the success names the connection to the peer of
         * its request. */
        if (connect_peer && rec->cls == MSSTUN_CLASS_SUCCESS && rec->has_connection_id)
            add_connection(tracker->connections, connection_key(alloc->server, rec->connection_id), alloc,
                           connect_peer);
        g_hash_table_remove(alloc->connects, id);
        g_bytes_unref(id);
    }
    if (rec->method == MSSTUN_METHOD_MS_SET_ACTIVE_DEST && rec->cls == MSSTUN_CLASS_SUCCESS && alloc->pending_dest) {
        g_free(alloc->active_dest);
        alloc->active_dest = g_strdup(alloc->pending_dest);
    }
    if (rec->cls != MSSTUN_CLASS_SUCCESS)
        return;
    if (rec->method == MSSTUN_METHOD_ALLOCATE)
        alloc->allocated = true;
    for (unsigned i = 0; i < rec->n_endpoints; i++) {
        const msstun_endpoint_t *ep = &rec->endpoints[i];

        if (rec->relayed_mask & (1U << i)) {
            char *relayed = msstun_transport_address(&ep->addr, ep->port);

            if (!g_hash_table_contains(tracker->relays, relayed))
                g_hash_table_insert(tracker->relays, g_strdup(relayed), alloc);
            if (!alloc->relayed_frame)
                alloc->relayed_frame = pinfo->num;
            /* An IPv4 one, as media mostly is, before an IPv6 one. */
            if (!alloc->first_relayed || (ep->addr.type == AT_IPv4 && !alloc->first_relayed_v4)) {
                g_free(alloc->first_relayed);
                alloc->first_relayed = g_strdup(relayed);
                alloc->first_relayed_v4 = ep->addr.type == AT_IPv4;
            }
            msstun_strset_add(&alloc->relayed, relayed);
        } else if (rec->reflexive_mask & (1U << i)) {
            g_free(alloc->reflexive);
            alloc->reflexive = msstun_transport_address(&ep->addr, ep->port);
        }
    }
}

/* A segment of an RFC 6062 relay leg (raw TCP data on no data connection:
 * the multiplexer's relay legs are the only other TCP connections with raw
 * data): relayed through the allocation at either end whose relayed address
 * it is, at both when two allocations connect their relayed addresses. */
static msstun_alloc_what_t
track_relay_leg(msstun_alloc_tracker_t *tracker, const char *src, const char *dst, uint32_t length,
                msstun_alloc_t **alloc, bool *from_client)
{
    msstun_alloc_t *from_relayed = msstun_alloc_by_relayed(tracker, src);
    msstun_alloc_t *to_relayed = msstun_alloc_by_relayed(tracker, dst);

    if (from_relayed)
        count_traffic(from_relayed, dst, true, true, length);
    if (to_relayed && to_relayed != from_relayed)
        count_traffic(to_relayed, src, true, false, length);
    else
        to_relayed = NULL;
    *from_client = from_relayed != NULL;
    *alloc = from_relayed ? from_relayed : to_relayed;
    if (from_relayed)
        tracker->far_end = to_relayed;
    return *alloc ? MSSTUN_ALLOC_DATA : MSSTUN_ALLOC_NONE;
}

/* Relayed data in no TURN message: on an allocation's 5-tuple (0xFF10,
 * TCP end-to-end data, RTP, RTCP or other data sent unwrapped to the
 * active destination), on an RFC 6062 data connection or relay leg, or
 * between a relayed address and a peer (RTP and RTCP of the relay leg). */
static msstun_alloc_what_t
track_data(msstun_alloc_tracker_t *tracker, const msstun_tap_t *rec, const char *src, const char *dst,
           msstun_alloc_t **alloc, bool *from_client)
{
    const msstun_note_t *note = rec->note;
    msstun_carrier_t carrier = note ? note->carrier : rec->carrier;
    uint32_t length = note ? note->length : rec->data_length;
    connection_t *conn;

    if (carrier == MSSTUN_CARRIER_RAW && rec->over_tcp) {
        conn = (connection_t *)lookup_either_way(tracker->data_conns, src, dst, true, from_client);
        if (!conn)
            return track_relay_leg(tracker, src, dst, length, alloc, from_client);
        *alloc = conn->alloc;
        count_traffic(conn->alloc, conn->peer, false, *from_client, length);
        return MSSTUN_ALLOC_DATA;
    }
    *alloc = (msstun_alloc_t *)lookup_either_way(tracker->allocs, src, dst, rec->over_tcp, from_client);
    if (*alloc) {
        /* Once a Set Active Destination succeeds, data between client and
         * server goes unwrapped (MS-TURN 2.2.2.8: MAGIC-COOKIE tells
         * messages from it); before, a datagram of no known kind is not
         * relayed data. */
        if (carrier == MSSTUN_CARRIER_RAW && !(*alloc)->active_dest) {
            *alloc = NULL;
            return MSSTUN_ALLOC_NONE;
        }
        count_active_destination(*alloc, *from_client, length);
        return MSSTUN_ALLOC_DATA;
    }
    if (carrier != MSSTUN_CARRIER_NONE)
        return MSSTUN_ALLOC_NONE;
    *from_client = (*alloc = msstun_alloc_by_relayed(tracker, src)) != NULL;
    if (!*alloc)
        *alloc = msstun_alloc_by_relayed(tracker, dst);
    if (!*alloc)
        return MSSTUN_ALLOC_NONE;
    count_traffic(*alloc, *from_client ? dst : src, true, *from_client, length);
    return MSSTUN_ALLOC_DATA;
}

msstun_alloc_what_t
msstun_alloc_kind_of(const msstun_tap_t *rec)
{
    /* Media in a carrier counts with its carrier; the messages relayed in
     * DATA are the peer's, not the allocation's. */
    if (rec->note)
        return rec->note->kind == MSSTUN_NOTE_PSEUDO_TLS || rec->note->carrier != MSSTUN_CARRIER_NONE ?
               MSSTUN_ALLOC_NONE : MSSTUN_ALLOC_DATA;
    if (rec->carrier != MSSTUN_CARRIER_NONE || (rec->is_channeldata && rec->depth == 0))
        return MSSTUN_ALLOC_DATA;
    if (rec->depth > 0 || rec->is_channeldata || !is_allocation_method(rec->method))
        return MSSTUN_ALLOC_NONE;
    return MSSTUN_ALLOC_MESSAGE;
}

msstun_alloc_what_t
msstun_alloc_track(msstun_alloc_tracker_t *tracker, const packet_info *pinfo, const msstun_tap_t *rec,
                   msstun_alloc_t **alloc, bool *from_client)
{
    char *src;
    char *dst;
    msstun_alloc_what_t what = MSSTUN_ALLOC_NONE;

    *alloc = NULL;
    *from_client = false;
    tracker->far_end = NULL;
    if (msstun_alloc_kind_of(rec) == MSSTUN_ALLOC_NONE)
        return MSSTUN_ALLOC_NONE;
    src = msstun_transport_address(&rec->src, rec->src_port);
    dst = msstun_transport_address(&rec->dst, rec->dst_port);
    if (rec->note || rec->carrier != MSSTUN_CARRIER_NONE) {
        what = track_data(tracker, rec, src, dst, alloc, from_client);
    } else if (rec->is_channeldata) {
        /* Either direction of a known allocation. */
        *alloc = (msstun_alloc_t *)lookup_either_way(tracker->allocs, src, dst, rec->over_tcp, from_client);
        if (*alloc) {
            const char *peer = msstun_alloc_channel_peer(*alloc, rec->channel);
            char *name = peer ? g_strdup(peer) : g_strdup_printf("channel 0x%04x", rec->channel);

            count_traffic(*alloc, name, false, *from_client, rec->data_length);
            g_free(name);
            what = MSSTUN_ALLOC_DATA;
        }
    } else {
        *alloc = message_alloc(tracker, rec, src, dst, from_client);
        account_message(tracker, *alloc, pinfo, rec, *from_client);
        what = MSSTUN_ALLOC_MESSAGE;
    }
    g_free(src);
    g_free(dst);
    return what;
}

msstun_alloc_t *
msstun_alloc_far_end(const msstun_alloc_tracker_t *tracker)
{
    return tracker->far_end;
}
