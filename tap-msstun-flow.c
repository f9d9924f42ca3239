/* tap-msstun-flow.c
 * The call flow and the media paths of MSSTUN:
 *
 *   Flow graph   (Statistics > Flow Graph "MSSTUN", tshark -z flow,msstun,
 *                network[,filter]): one arrow per STUN/TURN message and
 *                pseudo-TLS handshake, and one summarised arrow per media
 *                stream (RTP or RTCP SSRC, ChannelData channel);
 *   Media paths  (Statistics > MSSTUN Media Paths, tshark -z msstun,media
 *                [,filter]): one row per RTP stream (SSRC), with the way
 *                it was learned, the path and its hops, and for each leg
 *                captured the RTP statistics of Wireshark's RTP streams.
 *
 * The flow graph is fed by the "msstun" tap, which carries notes about the
 * RTP, RTCP and pseudo-TLS that the multiplexer hands on.  The media paths
 * table is fed by Wireshark's "rtp" tap; what the plugin knows about the
 * path (carrier, TURN allocations, active destinations, channels, RTCP)
 * comes from a second listener on the "msstun" tap.
 *
 * Wireshark's RTP stream analysis (ui/tap-rtp-analysis.c) is part of the
 * user interface libraries, not of libwireshark, so the statistics are
 * computed here from the RTP tap with its definitions: RFC 3550 A.8 jitter
 * in milliseconds at the clock rate of the payload type, sequence errors
 * and lost packets as rtppacket_analyse() and rtpstream_info_calc() count
 * them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "packet-msstun.h"

#include <math.h>

#include MSSTUN_RTP_PT_HEADER
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <epan/to_str.h>
#include <epan/dissectors/packet-rtp.h>

void register_tap_listener_msstun_flow(void);

#define MEDIA_TABLE         "MSSTUN media paths"

/* Dialects whose MAPPED-ADDRESS is the relayed address (MS-TURN 3.2.5.1),
 * as in tap-msstun.c. */
#define DIALECT_MS_TURN_FIRST       3

static const value_string class_names[] = {
    { MSSTUN_CLASS_REQUEST,     "Request" },
    { MSSTUN_CLASS_INDICATION,  "Indication" },
    { MSSTUN_CLASS_SUCCESS,     "Success" },
    { MSSTUN_CLASS_ERROR,       "Error" },
    { 0, NULL }
};

static char *
transport_address(const address *addr, uint32_t port)
{
    char *addr_str = address_to_str(NULL, addr);
    char *str = g_strdup_printf(addr->type == AT_IPv6 ? "[%s]:%u" : "%s:%u", addr_str, port);

    wmem_free(NULL, addr_str);
    return str;
}

static bool
is_relayed_role(const msstun_tap_t *rec, const msstun_endpoint_t *ep)
{
    return (ep->role == MSSTUN_ROLE_MAPPED && rec->dialect >= DIALECT_MS_TURN_FIRST) ||
           ep->role == MSSTUN_ROLE_MS_ALT_MAPPED || ep->role == MSSTUN_ROLE_XOR_RELAYED;
}

/* The first endpoint of the record with one of the two roles, or NULL. */
static const msstun_endpoint_t *
find_endpoint(const msstun_tap_t *rec, msstun_addr_role_t role, msstun_addr_role_t other_role)
{
    for (unsigned i = 0; i < rec->n_endpoints; i++) {
        if (rec->endpoints[i].role == role || rec->endpoints[i].role == other_role)
            return &rec->endpoints[i];
    }
    return NULL;
}

static void
append_endpoint(GString *str, const char *prefix, const msstun_endpoint_t *ep)
{
    char *name;

    if (!ep)
        return;
    name = transport_address(&ep->addr, ep->port);
    g_string_append_printf(str, "%s%s", prefix, name);
    g_free(name);
}

/* "Allocate Success relayed 192.0.2.15:50000", "Send Request to 203.0.113.9:50012", ... */
static char *
message_label(const msstun_tap_t *rec)
{
    GString *str = g_string_new(val_to_str_const(rec->method, msstun_method_vals, "Unknown method"));

    g_string_append_printf(str, " %s", val_to_str_const(rec->cls, class_names, "Unknown class"));
    if (rec->cls == MSSTUN_CLASS_ERROR && rec->error_code)
        g_string_append_printf(str, " %u", rec->error_code);
    switch (rec->method) {
    case MSSTUN_METHOD_ALLOCATE:
    case MSSTUN_METHOD_REFRESH:
        if (rec->cls == MSSTUN_CLASS_SUCCESS) {
            const char *sep = " relayed ";

            for (unsigned i = 0; i < rec->n_endpoints; i++) {
                if (is_relayed_role(rec, &rec->endpoints[i])) {
                    append_endpoint(str, sep, &rec->endpoints[i]);
                    sep = ", ";
                }
            }
        }
        break;
    case MSSTUN_METHOD_SEND:
    case MSSTUN_METHOD_MS_SEND:
    case MSSTUN_METHOD_MS_SET_ACTIVE_DEST:
    case MSSTUN_METHOD_CREATE_PERMISSION:
    case MSSTUN_METHOD_CHANNEL_BIND:
    case MSSTUN_METHOD_CONNECT:
        if (rec->cls == MSSTUN_CLASS_REQUEST || rec->cls == MSSTUN_CLASS_INDICATION)
            append_endpoint(str, " to ", find_endpoint(rec, MSSTUN_ROLE_DESTINATION, MSSTUN_ROLE_XOR_PEER));
        break;
    case MSSTUN_METHOD_DATA:
    case MSSTUN_METHOD_MS_DATA:
        append_endpoint(str, " from ", find_endpoint(rec, MSSTUN_ROLE_REMOTE, MSSTUN_ROLE_XOR_PEER));
        break;
    default:
        break;
    }
    if (rec->retransmission)
        g_string_append(str, " (retransmission)");
    return g_string_free(str, false);
}

static const char *
carrier_name(msstun_carrier_t carrier, bool over_tcp)
{
    switch (carrier) {
    case MSSTUN_CARRIER_DATA:
        return over_tcp ? "relayed TCP, Send/Data" : "relayed UDP, Send/Data";
    case MSSTUN_CARRIER_CHANNELDATA:
        return over_tcp ? "relayed TCP, ChannelData" : "relayed UDP, ChannelData";
    case MSSTUN_CARRIER_MTURN:
        return "relayed UDP, 0xFF10 multiplexed";
    case MSSTUN_CARRIER_TCP_E2E:
        return "relayed TCP, end-to-end data";
    case MSSTUN_CARRIER_NONE:
        break;
    }
    return over_tcp ? "TCP" : "UDP";
}

/*
 * Flow graph
 */

/* One summarised arrow. */
typedef struct {
    msstun_seq_item_t *item;
    const char *key;        /* its key in the streams table */
    char    *what;          /* the end of the comment */
    unsigned packets;
    uint32_t first_frame;
    uint32_t last_frame;
    uint32_t prev_last_frame;   /* before the last packet counted */
} flow_stream_t;

/* What one flow graph has drawn so far. */
typedef struct {
    GHashTable        *streams;     /* key string -> flow_stream_t */
    GHashTable        *relays;      /* relayed transport addresses allocated */
    msstun_seq_item_t *last_item;   /* the arrow of the last message */
    /* The ChannelData arrow that counted the packet of channeldata_frame,
     * until what the ChannelData carries is known. */
    flow_stream_t     *channeldata;
    uint32_t           channeldata_frame;
    uint32_t           channel;
} flow_state_t;

static GHashTable *flow_states;     /* seq_analysis_info_t -> flow_state_t */

static void
free_flow_stream(gpointer data)
{
    flow_stream_t *stream = (flow_stream_t *)data;

    g_free(stream->what);
    g_free(stream);
}

static void
free_flow_state(gpointer data)
{
    flow_state_t *state = (flow_state_t *)data;

    g_hash_table_destroy(state->streams);
    g_hash_table_destroy(state->relays);
    g_free(state);
}

/* The state of the graph; a graph without items is new or redrawn, and
 * starts again. */
static flow_state_t *
flow_state(msstun_seq_info_t *sainfo)
{
    flow_state_t *state;

    if (!flow_states)
        flow_states = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free_flow_state);
    state = (flow_state_t *)g_hash_table_lookup(flow_states, sainfo);
    if (state && g_queue_is_empty(sainfo->items)) {
        g_hash_table_remove_all(state->streams);
        g_hash_table_remove_all(state->relays);
        state->last_item = NULL;
        state->channeldata = NULL;
    } else if (!state) {
        state = g_new0(flow_state_t, 1);
        state->streams = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_flow_stream);
        state->relays = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_hash_table_insert(flow_states, sainfo, state);
    }
    return state;
}

/* A new arrow between the addresses of the packet; takes label and comment. */
static msstun_seq_item_t *
add_arrow(packet_info *pinfo, msstun_seq_info_t *sainfo, char *label, char *comment)
{
    msstun_seq_item_t *sai = (msstun_seq_item_t *)sequence_analysis_create_sai_with_addresses(pinfo, sainfo);

    if (!sai) {
        g_free(label);
        g_free(comment);
        return NULL;
    }
    sai->frame_number = pinfo->num;
    sai->port_src = (uint16_t)pinfo->srcport;
    sai->port_dst = (uint16_t)pinfo->destport;
    sai->frame_label = label;
    sai->comment = comment;
    sai->line_style = 1;
    sai->display = true;
    g_queue_push_tail(sainfo->items, sai);
    return sai;
}

static void
describe_stream(flow_stream_t *stream)
{
    g_free(stream->item->comment);
    if (stream->packets == 1)
        stream->item->comment = g_strdup_printf("1 packet, frame %u, %s", stream->first_frame, stream->what);
    else
        stream->item->comment = g_strdup_printf("%u packets, frames %u-%u, %s", stream->packets, stream->first_frame,
                                                stream->last_frame, stream->what);
}

static flow_stream_t *
count_stream(flow_state_t *state, packet_info *pinfo, msstun_seq_info_t *sainfo, char *owned_key, char *owned_label,
             char *owned_what)
{
    flow_stream_t *stream = (flow_stream_t *)g_hash_table_lookup(state->streams, owned_key);

    if (stream) {
        /* A stream that changes carrier: "Send/Data, then UDP". */
        if (!g_str_has_suffix(stream->what, owned_what)) {
            char *what = g_strdup_printf("%s, then %s", stream->what, owned_what);

            g_free(stream->what);
            stream->what = what;
        }
        g_free(owned_key);
        g_free(owned_label);
        g_free(owned_what);
    } else {
        msstun_seq_item_t *sai = add_arrow(pinfo, sainfo, owned_label, NULL);

        if (!sai) {
            g_free(owned_key);
            g_free(owned_what);
            return NULL;
        }
        stream = g_new0(flow_stream_t, 1);
        stream->item = sai;
        stream->key = owned_key;
        stream->what = owned_what;
        stream->first_frame = pinfo->num;
        g_hash_table_insert(state->streams, owned_key, stream);
    }
    stream->packets++;
    stream->prev_last_frame = stream->last_frame;
    stream->last_frame = pinfo->num;
    describe_stream(stream);
    return stream;
}

/* The ChannelData of this frame carries media, which its stream's arrow
 * counts: the ChannelData arrow takes the packet back, and disappears when
 * it has none left. */
static void
uncount_channeldata(flow_state_t *state, const packet_info *pinfo)
{
    flow_stream_t *stream = state->channeldata;

    if (!stream || state->channeldata_frame != pinfo->num)
        return;
    state->channeldata = NULL;
    stream->packets--;
    stream->last_frame = stream->prev_last_frame;
    if (stream->packets == 0) {
        stream->item->display = false;
        g_hash_table_remove(state->streams, stream->key);
    } else {
        describe_stream(stream);
    }
}

static char *
stream_key(const char *kind, uint32_t id, const packet_info *pinfo)
{
    char *src = transport_address(&pinfo->src, pinfo->srcport);
    char *dst = transport_address(&pinfo->dst, pinfo->destport);
    char *key = g_strdup_printf("%s %u %s %s", kind, id, src, dst);

    g_free(src);
    g_free(dst);
    return key;
}

/* Between a relayed transport address and a peer. */
static bool
is_relay_leg(const flow_state_t *state, const packet_info *pinfo)
{
    char *src = transport_address(&pinfo->src, pinfo->srcport);
    char *dst = transport_address(&pinfo->dst, pinfo->destport);
    bool relay_leg = g_hash_table_contains(state->relays, src) || g_hash_table_contains(state->relays, dst);

    g_free(src);
    g_free(dst);
    return relay_leg;
}

static void
note_relays(flow_state_t *state, const msstun_tap_t *rec)
{
    if ((rec->method != MSSTUN_METHOD_ALLOCATE && rec->method != MSSTUN_METHOD_REFRESH) ||
        rec->cls != MSSTUN_CLASS_SUCCESS)
        return;
    for (unsigned i = 0; i < rec->n_endpoints; i++) {
        if (is_relayed_role(rec, &rec->endpoints[i]))
            g_hash_table_add(state->relays, transport_address(&rec->endpoints[i].addr, rec->endpoints[i].port));
    }
}

static tap_packet_status
flow_note(flow_state_t *state, packet_info *pinfo, msstun_seq_info_t *sainfo, const msstun_tap_t *rec)
{
    const msstun_note_t *note = rec->note;
    GString *what;

    if (note->kind == MSSTUN_NOTE_PSEUDO_TLS) {
        state->last_item = add_arrow(pinfo, sainfo, g_strdup_printf("pseudo-TLS %s", note->handshake),
                                     g_strdup_printf("MS-TURN pseudo-TLS %s", note->handshake));
        return TAP_PACKET_REDRAW;
    }
    /* The stream's arrow stands for the ChannelData, Send or Data message
     * that carries it. */
    if (note->carrier == MSSTUN_CARRIER_CHANNELDATA)
        uncount_channeldata(state, pinfo);
    if (note->carrier == MSSTUN_CARRIER_DATA && state->last_item && state->last_item->frame_number == pinfo->num)
        state->last_item->display = false;

    what = g_string_new(carrier_name(note->carrier, rec->over_tcp));
    if (note->carrier == MSSTUN_CARRIER_NONE && is_relay_leg(state, pinfo))
        g_string_printf(what, "%s, relay leg", rec->over_tcp ? "relayed TCP" : "relayed UDP");
    if (note->carrier == MSSTUN_CARRIER_CHANNELDATA)
        g_string_append_printf(what, " 0x%04x", state->channel);
    if (rec->peer)
        append_endpoint(what, " peer ", rec->peer);
    if (note->kind == MSSTUN_NOTE_RTP)
        count_stream(state, pinfo, sainfo, stream_key("RTP", note->ssrc, pinfo),
                     g_strdup_printf("RTP SSRC 0x%08x PT %u", note->ssrc, note->payload_type),
                     g_string_free(what, false));
    else
        count_stream(state, pinfo, sainfo, stream_key("RTCP", note->ssrc, pinfo),
                     g_strdup_printf("RTCP SSRC 0x%08x", note->ssrc), g_string_free(what, false));
    return TAP_PACKET_REDRAW;
}

static tap_packet_status
flow_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data, tap_flags_t flags _U_)
{
    msstun_seq_info_t *sainfo = (msstun_seq_info_t *)tapdata;
    const msstun_tap_t *rec = (const msstun_tap_t *)data;
    flow_state_t *state = flow_state(sainfo);
    char *label;

    if (rec->note)
        return flow_note(state, pinfo, sainfo, rec);
    if (rec->is_channeldata) {
        state->channeldata = count_stream(state, pinfo, sainfo, stream_key("ChannelData", rec->channel, pinfo),
                                          g_strdup_printf("ChannelData 0x%04x", rec->channel),
                                          g_strdup(rec->over_tcp ? "TCP" : "UDP"));
        state->channeldata_frame = pinfo->num;
        state->channel = rec->channel;
        return TAP_PACKET_REDRAW;
    }
    label = message_label(rec);
    note_relays(state, rec);
    if (rec->depth > 0) {
        /* A message relayed in DATA: told on the arrow of its carrier. */
        if (state->last_item && state->last_item->frame_number == pinfo->num) {
            char *outer = state->last_item->frame_label;

            state->last_item->frame_label = g_strdup_printf("%s: %s", outer, label);
            g_free(outer);
        }
        g_free(label);
        return TAP_PACKET_REDRAW;
    }
    state->last_item = add_arrow(pinfo, sainfo, label, g_strdup(col_get_text(pinfo->cinfo, COL_INFO)));
    return TAP_PACKET_REDRAW;
}

/*
 * Media paths
 */

enum {
    MEDIA_SSRC, MEDIA_SETUP_FRAME, MEDIA_LEARNED, MEDIA_PATH, MEDIA_HOPS, MEDIA_LEGS, MEDIA_PACKETS, MEDIA_LOST,
    MEDIA_SEQ_ERRORS, MEDIA_MAX_JITTER, MEDIA_MEAN_JITTER, MEDIA_PAYLOAD_TYPES, MEDIA_RTCP, MEDIA_NFIELDS
};

static stat_tap_table_item media_fields[MEDIA_NFIELDS] = {
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "SSRC", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Setup Frame", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Learned From", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Path", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Hops", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Captured On", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Packets", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Lost", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Sequence Errors", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Max Jitter (ms)", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Mean Jitter (ms)", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Payload Types", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "RTCP", "%s" },
};

/* The RTP statistics of one leg, as rtppacket_analyse() keeps them. */
typedef struct {
    char    *name;              /* "src > dst" */
    bool     started;
    uint32_t start_seq;
    uint32_t stop_seq;
    uint32_t seq_num;
    unsigned seq_cycles;
    bool     under;
    uint64_t first_timestamp;
    uint64_t seq_timestamp;
    uint64_t timestamp;         /* of the last packet, extended */
    double   time;              /* ms */
    double   jitter;
    double   max_jitter;
    double   mean_jitter;
    unsigned total;
    unsigned seq_errors;
    unsigned pt;
} media_leg_t;

typedef struct {
    unsigned   row;
    uint32_t   ssrc;
    uint32_t   setup_frame;
    char      *learned;
    GPtrArray *paths;           /* char *, each once */
    GPtrArray *hops;            /* char *, each once */
    GPtrArray *legs;            /* media_leg_t * */
    GPtrArray *payload_types;   /* char *, each once */
} media_stream_t;

/* What the "msstun" tap tells about one TURN allocation. */
typedef struct {
    char       *client;
    char       *server;
    char       *relayed;        /* the first relayed address, or NULL */
    char       *active_dest;    /* the last successful Set Active Destination */
    char       *pending_dest;   /* the destination of the last request */
    uint32_t    frame;          /* of the Allocate success */
    GHashTable *channels;       /* channel -> char * peer */
} media_alloc_t;

/* An RTP note of the frame being tapped, waiting for its RTP tap record. */
typedef struct {
    uint32_t ssrc;
    uint32_t seq;
    msstun_carrier_t carrier;
    bool     over_tcp;
    char    *peer;
    uint32_t channel;
} media_note_t;

typedef struct {
    unsigned sent;              /* RTCP packets from the SSRC */
    unsigned reports;           /* report blocks about it */
} media_rtcp_t;

static struct {
    bool            listening;  /* the "msstun" listener is registered */
    stat_tap_table *table;
    GHashTable     *streams;    /* SSRC -> media_stream_t */
    GHashTable     *allocs;     /* "client server" -> media_alloc_t */
    GHashTable     *relays;     /* relayed address -> media_alloc_t */
    GHashTable     *labels;     /* frame -> char * label of its first message */
    GHashTable     *rtcp;       /* SSRC -> media_rtcp_t */
    GArray         *notes;      /* media_note_t of notes_frame */
    uint32_t        notes_frame;
    uint32_t        channel;    /* of the ChannelData of notes_frame */
} media;

/* RTP clock rates of the static payload types and of the dynamic ones by
 * name, as in ui/tap-rtp-analysis.c. */
static const struct {
    unsigned pt;
    unsigned rate;
} static_clock_rates[] = {
    { PT_PCMU, 8000 }, { PT_1016, 8000 }, { PT_G721, 8000 }, { PT_GSM, 8000 }, { PT_G723, 8000 },
    { PT_DVI4_8000, 8000 }, { PT_DVI4_16000, 16000 }, { PT_LPC, 8000 }, { PT_PCMA, 8000 }, { PT_G722, 8000 },
    { PT_L16_STEREO, 44100 }, { PT_L16_MONO, 44100 }, { PT_QCELP, 8000 }, { PT_CN, 8000 }, { PT_MPA, 90000 },
    { PT_G728, 8000 }, { PT_DVI4_11025, 11025 }, { PT_DVI4_22050, 22050 }, { PT_G729, 8000 },
    { PT_CN_OLD, 8000 }, { PT_CELB, 90000 }, { PT_JPEG, 90000 }, { PT_NV, 90000 }, { PT_H261, 90000 },
    { PT_MPV, 90000 }, { PT_MP2T, 90000 }, { PT_H263, 90000 },
};

static const struct {
    const char *name;
    unsigned    rate;
} dynamic_clock_rates[] = {
    { "AMR", 8000 }, { "AMR-WB", 16000 }, { "BMPEG", 90000 }, { "BT656", 90000 }, { "DV", 90000 },
    { "EVRC", 8000 }, { "EVRC0", 8000 }, { "EVRC1", 8000 }, { "EVRCB", 8000 }, { "EVRCB0", 8000 },
    { "EVRCB1", 8000 }, { "EVRCWB", 16000 }, { "EVRCWB0", 16000 }, { "EVRCWB1", 16000 }, { "EVS", 16000 },
    { "G7221", 16000 }, { "G726-16", 8000 }, { "G726-24", 8000 }, { "G726-32", 8000 }, { "G726-40", 8000 },
    { "G729D", 8000 }, { "G729E", 8000 }, { "GSM-EFR", 8000 }, { "H263-1998", 90000 }, { "H263-2000", 90000 },
    { "H264", 90000 }, { "MP1S", 90000 }, { "MP2P", 90000 }, { "MP4V-ES", 90000 }, { "mpa-robust", 90000 },
    { "opus", 48000 }, { "pointer", 90000 }, { "raw", 90000 }, { "red", 1000 }, { "SMV", 8000 },
    { "SMV0", 8000 }, { "t140", 1000 }, { "telephone-event", 8000 },
};

static unsigned
clock_rate(const struct _rtp_info *rtp)
{
    if (rtp->info_payload_type < 96) {
        for (unsigned i = 0; i < G_N_ELEMENTS(static_clock_rates); i++) {
            if (static_clock_rates[i].pt == rtp->info_payload_type)
                return static_clock_rates[i].rate;
        }
        return 0;
    }
    if (!rtp->info_payload_type_str || g_ascii_strncasecmp(rtp->info_payload_type_str, "telephone-event", 15) == 0)
        return 0;
    if (rtp->info_payload_rate != 0)
        return (unsigned)rtp->info_payload_rate;
    /* In reverse, so that a name is not taken for a longer one it begins. */
    for (unsigned i = G_N_ELEMENTS(dynamic_clock_rates); i-- > 0;) {
        if (g_ascii_strncasecmp(dynamic_clock_rates[i].name, rtp->info_payload_type_str,
                                strlen(dynamic_clock_rates[i].name)) == 0)
            return dynamic_clock_rates[i].rate;
    }
    return 0;
}

/* The timestamp of the packet as the RTP analysis of this Wireshark sees it. */
static uint64_t
extended_timestamp(const media_leg_t *leg, const struct _rtp_info *rtp)
{
#ifdef MSSTUN_RTP_TAP_EXTENDED_TIMESTAMP
    (void)leg;
    return rtp->info_extended_timestamp;
#else
    /* Unwrapped along the leg, from 2^32 so that it may go back. */
    if (!leg->started)
        return G_GUINT64_CONSTANT(0x100000000) + rtp->info_timestamp;
    return leg->timestamp + (int64_t)(int32_t)(rtp->info_timestamp - (uint32_t)leg->timestamp);
#endif
}

/* rtppacket_analyse(), for what the report shows. */
static void
analyse_packet(media_leg_t *leg, const packet_info *pinfo, const struct _rtp_info *rtp)
{
    double now = nstime_to_msec(&pinfo->rel_ts);
    uint64_t timestamp = extended_timestamp(leg, rtp);
    bool in_time_sequence;
    bool regular;
    unsigned rate;
    double jitter = 0;

    if (!leg->started) {
        leg->started = true;
        leg->start_seq = leg->stop_seq = leg->seq_num = rtp->info_seq_num;
        leg->first_timestamp = leg->seq_timestamp = leg->timestamp = timestamp;
        leg->time = now;
        leg->pt = rtp->info_payload_type;
        leg->total = 1;
        return;
    }
    in_time_sequence = MSSTUN_RTP_IN_TIME_SEQUENCE(leg->first_timestamp, leg->seq_timestamp, timestamp);
    if (in_time_sequence && !leg->under &&
        (rtp->info_seq_num < leg->start_seq || (rtp->info_seq_num == 0 && leg->stop_seq == 65535))) {
        leg->seq_cycles++;
        leg->under = true;
    } else if (in_time_sequence && leg->under && rtp->info_seq_num > leg->start_seq) {
        leg->under = false;
    }

    if (in_time_sequence && (leg->seq_num + 1 == rtp->info_seq_num || (leg->seq_num == 65535 && rtp->info_seq_num == 0))) {
        leg->seq_num = rtp->info_seq_num;
    } else if (in_time_sequence &&
               (leg->seq_num + 1 < rtp->info_seq_num || (uint32_t)(leg->seq_num - rtp->info_seq_num) > 0xFF00)) {
        leg->seq_num = rtp->info_seq_num;
        leg->seq_errors++;
    } else if (leg->seq_num + 1 > rtp->info_seq_num) {
        leg->seq_errors++;
    }

    /* Comfort noise, markers and packets back in time are not regular. */
    regular = !rtp->info_marker_set && in_time_sequence && rtp->info_payload_type != PT_CN &&
              rtp->info_payload_type != PT_CN_OLD && leg->pt != PT_CN && leg->pt != PT_CN_OLD;
    leg->pt = rtp->info_payload_type;
    rate = clock_rate(rtp);
    if (rate != 0) {
        double expected = leg->time + (double)((int64_t)timestamp - (int64_t)leg->seq_timestamp) /
                                      (rate / 1000);

        jitter = (15 * leg->jitter + fabs(now - expected)) / 16;
        leg->jitter = jitter;
        if (regular) {
            if (jitter > leg->max_jitter)
                leg->max_jitter = jitter;
            leg->mean_jitter = (leg->mean_jitter * (leg->total - 1) + jitter) / leg->total;
        }
    }
    if (in_time_sequence) {
        leg->time = now;
        leg->seq_timestamp = timestamp;
    }
    leg->timestamp = timestamp;
    leg->stop_seq = rtp->info_seq_num;
    leg->total++;
}

static void
set_cell(unsigned row, unsigned column, char *owned)
{
    stat_tap_table_item_type *item = stat_tap_get_field_data(media.table, row, column);

    g_free((char *)item->value.string_value);
    item->value.string_value = owned;
}

/* One value per leg, "a / b". */
static void
set_leg_cell(const media_stream_t *stream, unsigned column)
{
    GString *str = g_string_new(NULL);

    for (unsigned i = 0; i < stream->legs->len; i++) {
        const media_leg_t *leg = (const media_leg_t *)g_ptr_array_index(stream->legs, i);
        unsigned expected = leg->stop_seq + leg->seq_cycles * 0x10000 - leg->start_seq + 1;

        if (i)
            g_string_append(str, " / ");
        switch (column) {
        case MEDIA_LEGS:
            g_string_append(str, leg->name);
            break;
        case MEDIA_PACKETS:
            g_string_append_printf(str, "%u", leg->total);
            break;
        case MEDIA_LOST:
            g_string_append_printf(str, "%d", (int)(expected - leg->total));
            break;
        case MEDIA_SEQ_ERRORS:
            g_string_append_printf(str, "%u", leg->seq_errors);
            break;
        case MEDIA_MAX_JITTER:
            g_string_append_printf(str, "%.3f", leg->max_jitter);
            break;
        default:
            g_string_append_printf(str, "%.3f", leg->mean_jitter);
            break;
        }
    }
    set_cell(stream->row, column, g_string_free(str, false));
}

static void
draw_rtcp(uint32_t ssrc)
{
    const media_stream_t *stream = (const media_stream_t *)g_hash_table_lookup(media.streams, GUINT_TO_POINTER(ssrc));
    const media_rtcp_t *rtcp = (const media_rtcp_t *)g_hash_table_lookup(media.rtcp, GUINT_TO_POINTER(ssrc));

    if (stream && rtcp)
        set_cell(stream->row, MEDIA_RTCP, g_strdup_printf("%u sent, %u reports about it", rtcp->sent, rtcp->reports));
}

static void
free_media_stream(gpointer data)
{
    media_stream_t *stream = (media_stream_t *)data;

    g_free(stream->learned);
    g_ptr_array_free(stream->paths, true);
    g_ptr_array_free(stream->hops, true);
    g_ptr_array_free(stream->legs, true);
    g_ptr_array_free(stream->payload_types, true);
    g_free(stream);
}

static void
free_media_leg(gpointer data)
{
    media_leg_t *leg = (media_leg_t *)data;

    g_free(leg->name);
    g_free(leg);
}

static void
free_media_alloc(gpointer data)
{
    media_alloc_t *alloc = (media_alloc_t *)data;

    g_free(alloc->client);
    g_free(alloc->server);
    g_free(alloc->relayed);
    g_free(alloc->active_dest);
    g_free(alloc->pending_dest);
    g_hash_table_destroy(alloc->channels);
    g_free(alloc);
}

static void
clear_notes(void)
{
    for (unsigned i = 0; i < media.notes->len; i++)
        g_free(g_array_index(media.notes, media_note_t, i).peer);
    g_array_set_size(media.notes, 0);
}

static media_alloc_t *
find_media_alloc(const char *a, const char *b, bool *a_is_client)
{
    char *key = g_strdup_printf("%s %s", a, b);
    media_alloc_t *alloc = (media_alloc_t *)g_hash_table_lookup(media.allocs, key);

    g_free(key);
    *a_is_client = alloc != NULL;
    if (!alloc) {
        key = g_strdup_printf("%s %s", b, a);
        alloc = (media_alloc_t *)g_hash_table_lookup(media.allocs, key);
        g_free(key);
    }
    return alloc;
}

/* The TURN messages: allocations, active destinations and channels. */
static void
context_allocation(packet_info *pinfo, const msstun_tap_t *rec)
{
    bool from_client = rec->cls == MSSTUN_CLASS_REQUEST;
    char *src = transport_address(&rec->src, rec->src_port);
    char *dst = transport_address(&rec->dst, rec->dst_port);
    char *key = from_client ? g_strdup_printf("%s %s", src, dst) : g_strdup_printf("%s %s", dst, src);
    media_alloc_t *alloc = (media_alloc_t *)g_hash_table_lookup(media.allocs, key);
    const msstun_endpoint_t *ep;

    if (!alloc) {
        alloc = g_new0(media_alloc_t, 1);
        alloc->client = g_strdup(from_client ? src : dst);
        alloc->server = g_strdup(from_client ? dst : src);
        alloc->channels = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
        g_hash_table_insert(media.allocs, key, alloc);
    } else {
        g_free(key);
    }
    g_free(src);
    g_free(dst);

    if (rec->method == MSSTUN_METHOD_ALLOCATE && rec->cls == MSSTUN_CLASS_SUCCESS && !alloc->relayed) {
        for (unsigned i = 0; i < rec->n_endpoints && !alloc->relayed; i++) {
            if (is_relayed_role(rec, &rec->endpoints[i]) && rec->endpoints[i].addr.type == AT_IPv4) {
                alloc->relayed = transport_address(&rec->endpoints[i].addr, rec->endpoints[i].port);
                alloc->frame = pinfo->num;
                g_hash_table_insert(media.relays, g_strdup(alloc->relayed), alloc);
            }
        }
    }
    ep = find_endpoint(rec, MSSTUN_ROLE_DESTINATION, MSSTUN_ROLE_XOR_PEER);
    if (rec->method == MSSTUN_METHOD_MS_SET_ACTIVE_DEST && rec->cls == MSSTUN_CLASS_REQUEST && ep) {
        g_free(alloc->pending_dest);
        alloc->pending_dest = transport_address(&ep->addr, ep->port);
    } else if (rec->method == MSSTUN_METHOD_MS_SET_ACTIVE_DEST && rec->cls == MSSTUN_CLASS_SUCCESS &&
               alloc->pending_dest) {
        g_free(alloc->active_dest);
        alloc->active_dest = g_strdup(alloc->pending_dest);
    } else if (rec->method == MSSTUN_METHOD_CHANNEL_BIND && rec->cls == MSSTUN_CLASS_REQUEST && ep &&
               rec->channel != 0) {
        g_hash_table_insert(alloc->channels, GUINT_TO_POINTER(rec->channel), transport_address(&ep->addr, ep->port));
    }
}

static void
context_note(const msstun_tap_t *rec)
{
    const msstun_note_t *note = rec->note;

    if (note->kind == MSSTUN_NOTE_RTP) {
        media_note_t entry = { note->ssrc, note->seq, note->carrier, rec->over_tcp,
                               rec->peer ? transport_address(&rec->peer->addr, rec->peer->port) : NULL,
                               note->carrier == MSSTUN_CARRIER_CHANNELDATA ? media.channel : 0 };

        g_array_append_val(media.notes, entry);
    } else if (note->kind == MSSTUN_NOTE_RTCP) {
        uint32_t ssrcs[32];
        unsigned n = 0;

        ssrcs[n++] = note->ssrc;
        for (unsigned i = 0; i < note->n_reported; i++)
            ssrcs[n++] = note->reported[i];
        for (unsigned i = 0; i < n; i++) {
            media_rtcp_t *rtcp = (media_rtcp_t *)g_hash_table_lookup(media.rtcp, GUINT_TO_POINTER(ssrcs[i]));

            if (!rtcp) {
                rtcp = g_new0(media_rtcp_t, 1);
                g_hash_table_insert(media.rtcp, GUINT_TO_POINTER(ssrcs[i]), rtcp);
            }
            if (i == 0)
                rtcp->sent++;
            else
                rtcp->reports++;
            draw_rtcp(ssrcs[i]);
        }
    }
}

/* The second listener: everything the "msstun" tap tells, unfiltered. */
static tap_packet_status
context_packet(void *tapdata _U_, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
               tap_flags_t flags _U_)
{
    const msstun_tap_t *rec = (const msstun_tap_t *)data;

    if (!media.table)
        return TAP_PACKET_DONT_REDRAW;
    if (media.notes_frame != pinfo->num) {
        clear_notes();
        media.notes_frame = pinfo->num;
        media.channel = 0;
    }
    if (rec->note) {
        context_note(rec);
        return TAP_PACKET_REDRAW;
    }
    if (rec->is_channeldata) {
        media.channel = rec->channel;
        return TAP_PACKET_DONT_REDRAW;
    }
    if (!g_hash_table_contains(media.labels, GUINT_TO_POINTER(pinfo->num)))
        g_hash_table_insert(media.labels, GUINT_TO_POINTER(pinfo->num), message_label(rec));
    if (rec->depth == 0 && (rec->method == MSSTUN_METHOD_ALLOCATE || rec->method == MSSTUN_METHOD_MS_SET_ACTIVE_DEST ||
                            rec->method == MSSTUN_METHOD_CHANNEL_BIND))
        context_allocation(pinfo, rec);
    return TAP_PACKET_DONT_REDRAW;
}

/* The path of one packet, its hops from sender to receiver, and the frame
 * of the allocation it uses. */
static void
packet_path(const media_note_t *note, const char *src, const char *dst, bool over_tcp, char **path, char **hops,
            uint32_t *alloc_frame)
{
    bool src_is_client;
    media_alloc_t *alloc = find_media_alloc(src, dst, &src_is_client);
    const media_alloc_t *relay_alloc;
    const char *peer = NULL;
    GPtrArray *chain = g_ptr_array_new();
    bool reverse = false;

    *alloc_frame = 0;
    if (!note) {
        *path = g_strdup("not MSSTUN");
    } else if (alloc) {
        /* The leg between the TURN client and its server. */
        if (note->carrier == MSSTUN_CARRIER_DATA)
            peer = note->peer;
        else if (note->carrier == MSSTUN_CARRIER_CHANNELDATA)
            peer = (const char *)g_hash_table_lookup(alloc->channels, GUINT_TO_POINTER(note->channel));
        else
            peer = alloc->active_dest;
        *path = g_strdup(note->carrier == MSSTUN_CARRIER_NONE ? (over_tcp ? "relayed TCP, active destination" :
                                                                "relayed UDP, active destination") :
                         carrier_name(note->carrier, over_tcp));
        *alloc_frame = alloc->frame;
        g_ptr_array_add(chain, alloc->client);
        g_ptr_array_add(chain, alloc->server);
        if (alloc->relayed)
            g_ptr_array_add(chain, alloc->relayed);
        if (peer)
            g_ptr_array_add(chain, (char *)peer);
        reverse = !src_is_client;
    } else if ((relay_alloc = (const media_alloc_t *)g_hash_table_lookup(media.relays, src)) != NULL ||
               (relay_alloc = (const media_alloc_t *)g_hash_table_lookup(media.relays, dst)) != NULL) {
        /* The leg between the relayed address and the peer. */
        bool from_relay = strcmp(relay_alloc->relayed, src) == 0;

        *path = g_strdup(over_tcp ? "relayed TCP, relay leg" : "relayed UDP, relay leg");
        *alloc_frame = relay_alloc->frame;
        g_ptr_array_add(chain, relay_alloc->client);
        g_ptr_array_add(chain, relay_alloc->server);
        g_ptr_array_add(chain, relay_alloc->relayed);
        g_ptr_array_add(chain, (char *)(from_relay ? dst : src));
        reverse = !from_relay;
    } else {
        *path = g_strdup(note->carrier == MSSTUN_CARRIER_NONE ? (over_tcp ? "direct TCP" : "direct UDP") :
                         carrier_name(note->carrier, over_tcp));
    }
    if (chain->len == 0) {
        g_ptr_array_add(chain, (char *)src);
        g_ptr_array_add(chain, (char *)dst);
    }
    if (reverse) {
        for (unsigned i = 0; i < chain->len / 2; i++) {
            gpointer hop = g_ptr_array_index(chain, i);

            g_ptr_array_index(chain, i) = g_ptr_array_index(chain, chain->len - 1 - i);
            g_ptr_array_index(chain, chain->len - 1 - i) = hop;
        }
    }
    *hops = msstun_join_strings(chain, " > ");
    g_ptr_array_free(chain, true);
}

static media_note_t *
take_note(const packet_info *pinfo, const struct _rtp_info *rtp)
{
    if (media.notes_frame != pinfo->num)
        return NULL;
    for (unsigned i = 0; i < media.notes->len; i++) {
        media_note_t *note = &g_array_index(media.notes, media_note_t, i);

        if (note->ssrc == rtp->info_sync_src && note->seq == rtp->info_seq_num) {
            /* Each note once. */
            note->ssrc = ~rtp->info_sync_src;
            return note;
        }
    }
    return NULL;
}

static tap_packet_status
media_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data, tap_flags_t flags _U_)
{
    stat_data_t *stat_data = (stat_data_t *)tapdata;
    const struct _rtp_info *rtp = (const struct _rtp_info *)data;
    stat_tap_table *table = stat_tap_find_table(stat_data->stat_tap_data, MEDIA_TABLE);
    media_stream_t *stream;
    media_leg_t *leg = NULL;
    media_note_t *note;
    char *src;
    char *dst;
    char *name;
    char *path;
    char *hops;
    uint32_t alloc_frame;

    if (!table)
        return TAP_PACKET_DONT_REDRAW;
    note = take_note(pinfo, rtp);
    stream = (media_stream_t *)g_hash_table_lookup(media.streams, GUINT_TO_POINTER(rtp->info_sync_src));
    if (!stream) {
        stat_tap_table_item_type items[MEDIA_NFIELDS];

        memset(items, 0, sizeof(items));
        for (unsigned i = 0; i < MEDIA_NFIELDS; i++) {
            items[i].type = TABLE_ITEM_STRING;
            items[i].value.string_value = g_strdup("");
        }
        stream = g_new0(media_stream_t, 1);
        stream->row = table->num_elements;
        stream->ssrc = rtp->info_sync_src;
        stream->paths = g_ptr_array_new_with_free_func(g_free);
        stream->hops = g_ptr_array_new_with_free_func(g_free);
        stream->legs = g_ptr_array_new_with_free_func(free_media_leg);
        stream->payload_types = g_ptr_array_new_with_free_func(g_free);
        stat_tap_init_table_row(table, stream->row, MEDIA_NFIELDS, items);
        g_hash_table_insert(media.streams, GUINT_TO_POINTER(stream->ssrc), stream);
        set_cell(stream->row, MEDIA_SSRC, g_strdup_printf("0x%08x", stream->ssrc));
        draw_rtcp(stream->ssrc);
    }

    src = transport_address(&pinfo->src, pinfo->srcport);
    dst = transport_address(&pinfo->dst, pinfo->destport);
    name = g_strdup_printf("%s > %s", src, dst);
    for (unsigned i = 0; i < stream->legs->len && !leg; i++) {
        if (strcmp(((media_leg_t *)g_ptr_array_index(stream->legs, i))->name, name) == 0)
            leg = (media_leg_t *)g_ptr_array_index(stream->legs, i);
    }
    if (!leg) {
        leg = g_new0(media_leg_t, 1);
        leg->name = name;
        g_ptr_array_add(stream->legs, leg);
    } else {
        g_free(name);
    }
    analyse_packet(leg, pinfo, rtp);

    packet_path(note, src, dst, pinfo->ptype == PT_TCP, &path, &hops, &alloc_frame);
    msstun_add_unique(stream->paths, path);
    msstun_add_unique(stream->hops, hops);
    if (stream->setup_frame == 0) {
        const char *label = NULL;
        /* A setup frame that is the packet itself is RTP noting its own
         * conversation (called without one, as under Decode As; 4.4 and 4.6
         * show it on the first packet already, 4.0 from the second): not a
         * setup by signalling. */
        uint32_t setup = rtp->info_setup_frame_num != pinfo->num ? rtp->info_setup_frame_num : 0;

        stream->setup_frame = setup ? setup : alloc_frame;
        if (stream->setup_frame)
            label = (const char *)g_hash_table_lookup(media.labels, GUINT_TO_POINTER(stream->setup_frame));
        g_free(stream->learned);
        if (setup == 0 && alloc_frame != 0)
            stream->learned = g_strdup_printf("carried by TURN, %s", label ? label : "allocation");
        else
            stream->learned = g_strdup(label ? label : "");
        if (stream->setup_frame)
            set_cell(stream->row, MEDIA_SETUP_FRAME, g_strdup_printf("%u", stream->setup_frame));
        set_cell(stream->row, MEDIA_LEARNED, g_strdup(stream->learned));
    }
    msstun_add_unique(stream->payload_types, rtp->info_payload_type_str ?
               g_strdup_printf("%u (%s)", rtp->info_payload_type, rtp->info_payload_type_str) :
               g_strdup_printf("%u", rtp->info_payload_type));
    g_free(src);
    g_free(dst);

    set_cell(stream->row, MEDIA_PATH, msstun_join_strings(stream->paths, "; "));
    set_cell(stream->row, MEDIA_HOPS, msstun_join_strings(stream->hops, "; "));
    set_cell(stream->row, MEDIA_PAYLOAD_TYPES, msstun_join_strings(stream->payload_types, ", "));
    for (unsigned column = MEDIA_LEGS; column <= MEDIA_MEAN_JITTER; column++)
        set_leg_cell(stream, column);
    return TAP_PACKET_REDRAW;
}

static void
media_free_item(stat_tap_table *table _U_, guint row _U_, guint column _U_, stat_tap_table_item_type *field_data)
{
    g_free((char *)field_data->value.string_value);
    field_data->value.string_value = NULL;
}

static void
media_reset(stat_tap_table *table)
{
    for (unsigned row = 0; row < table->num_elements; row++) {
        for (unsigned column = 0; column < MEDIA_NFIELDS; column++)
            media_free_item(table, row, column, stat_tap_get_field_data(table, row, column));
        g_free(table->elements[row]);
    }
    g_free(table->elements);
    table->elements = NULL;
    table->num_elements = 0;
    g_hash_table_remove_all(media.streams);
    g_hash_table_remove_all(media.allocs);
    g_hash_table_remove_all(media.relays);
    g_hash_table_remove_all(media.labels);
    g_hash_table_remove_all(media.rtcp);
    clear_notes();
    media.notes_frame = 0;
}

static void
media_init(stat_tap_table_ui *ui)
{
    stat_tap_table *table = stat_tap_find_table(ui, MEDIA_TABLE);

    if (!media.streams) {
        media.streams = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free_media_stream);
        media.allocs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_media_alloc);
        media.relays = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        media.labels = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
        media.rtcp = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
        media.notes = g_array_new(false, false, sizeof(media_note_t));
    }
    if (table) {
        media_reset(table);
    } else {
        table = stat_tap_init_table(MEDIA_TABLE, MEDIA_NFIELDS, 0, NULL);
        stat_tap_add_table(ui, table);
    }
    media.table = table;
    /* The table listens to "rtp"; this listener, registered once, tells
     * it what the plugin knows of the path. */
    if (!media.listening) {
        GString *error = register_tap_listener("msstun", &media, NULL, TL_REQUIRES_NOTHING, NULL, context_packet,
                                               NULL, NULL);

        if (error)
            g_string_free(error, true);
        else
            media.listening = true;
    }
}

static tap_param filter_param[] = {
    { PARAM_FILTER, "filter", "Filter", NULL, true }
};

static stat_tap_table_ui media_ui = {
    REGISTER_PACKET_STAT_GROUP_UNSORTED,
    "MSSTUN Media Paths",
    "rtp",
    "msstun,media",
    media_init,
    media_packet,
    media_reset,
    media_free_item,
    NULL,
    G_N_ELEMENTS(media_fields), media_fields,
    G_N_ELEMENTS(filter_param), filter_param,
    NULL,
    0
};

void
register_tap_listener_msstun_flow(void)
{
    register_seq_analysis("msstun", "MSSTUN", proto_msstun, "msstun", TL_REQUIRES_COLUMNS, flow_packet);
    register_stat_tap_table_ui(&media_ui);
}
