/* tap-msstun-flow.c
 * The call flow and the media paths of MSSTUN:
 *
 *   Flow graph   (Statistics > Flow Graph "MSSTUN", tshark -z flow,msstun,
 *                network[,filter]): one arrow per STUN/TURN message and
 *                pseudo-TLS handshake, and one summarised arrow per media
 *                stream (RTP or RTCP SSRC, ChannelData channel);
 *   Media paths  (Telephony > MSSTUN Media Paths, tshark -z msstun,media
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

#include "tap-msstun.h"
#include "tap-msstun-report.h"
#include "tap-msstun-alloc.h"
#include "tap-msstun-quality.h"

#include <math.h>

#include MSSTUN_RTP_PT_HEADER
#include <epan/epan_dissect.h>
#include <epan/proto_data.h>
#include <epan/tap.h>
#include <epan/dissectors/packet-rtp.h>

void register_tap_listener_msstun_flow(void);

#ifdef MSSTUN_CHECK_SEQ_LAYOUT
/* The mirror of msstun-compat.h against the real header. */
#define MSSTUN_SAME_MEMBER(mirror, real, member) \
    G_STATIC_ASSERT(offsetof(mirror, member) == offsetof(real, member) && \
                    sizeof(((mirror *)0)->member) == sizeof(((real *)0)->member))
MSSTUN_SAME_MEMBER(msstun_seq_item_t, seq_analysis_item_t, frame_number);
MSSTUN_SAME_MEMBER(msstun_seq_item_t, seq_analysis_item_t, src_addr);
MSSTUN_SAME_MEMBER(msstun_seq_item_t, seq_analysis_item_t, port_src);
MSSTUN_SAME_MEMBER(msstun_seq_item_t, seq_analysis_item_t, dst_addr);
MSSTUN_SAME_MEMBER(msstun_seq_item_t, seq_analysis_item_t, port_dst);
MSSTUN_SAME_MEMBER(msstun_seq_item_t, seq_analysis_item_t, frame_label);
MSSTUN_SAME_MEMBER(msstun_seq_item_t, seq_analysis_item_t, time_str);
MSSTUN_SAME_MEMBER(msstun_seq_item_t, seq_analysis_item_t, comment);
MSSTUN_SAME_MEMBER(msstun_seq_item_t, seq_analysis_item_t, conv_num);
MSSTUN_SAME_MEMBER(msstun_seq_item_t, seq_analysis_item_t, fg_color);
MSSTUN_SAME_MEMBER(msstun_seq_item_t, seq_analysis_item_t, bg_color);
MSSTUN_SAME_MEMBER(msstun_seq_item_t, seq_analysis_item_t, has_color_filter);
MSSTUN_SAME_MEMBER(msstun_seq_item_t, seq_analysis_item_t, display);
MSSTUN_SAME_MEMBER(msstun_seq_item_t, seq_analysis_item_t, src_node);
MSSTUN_SAME_MEMBER(msstun_seq_item_t, seq_analysis_item_t, dst_node);
MSSTUN_SAME_MEMBER(msstun_seq_item_t, seq_analysis_item_t, line_style);
MSSTUN_SAME_MEMBER(msstun_seq_info_t, seq_analysis_info_t, name);
MSSTUN_SAME_MEMBER(msstun_seq_info_t, seq_analysis_info_t, any_addr);
MSSTUN_SAME_MEMBER(msstun_seq_info_t, seq_analysis_info_t, nconv);
MSSTUN_SAME_MEMBER(msstun_seq_info_t, seq_analysis_info_t, items);
#endif

#define MEDIA_TABLE         "MSSTUN media paths"

static const value_string class_names[] = {
    { MSSTUN_CLASS_REQUEST,     "Request" },
    { MSSTUN_CLASS_INDICATION,  "Indication" },
    { MSSTUN_CLASS_SUCCESS,     "Success" },
    { MSSTUN_CLASS_ERROR,       "Error" },
    { 0, NULL }
};

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
    name = msstun_transport_address(&ep->addr, ep->port);
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
                if (rec->relayed_mask & (1U << i)) {
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
    case MSSTUN_CARRIER_RAW:
        break;
    }
    return over_tcp ? "TCP" : "UDP";
}

/*
 * Flow graph
 */

/* How many carriers an arrow's comment names before it counts the others. */
#define FLOW_CARRIERS_SHOWN     4

/* What an arrow's label calls a class: as a SIP flow does ("OK", the error
 * code), short enough to read over the arrow. */
static const value_string arrow_class_names[] = {
    { MSSTUN_CLASS_REQUEST,     "Req" },
    { MSSTUN_CLASS_INDICATION,  "Ind" },
    { MSSTUN_CLASS_SUCCESS,     "OK" },
    { MSSTUN_CLASS_ERROR,       "Err" },
    { 0, NULL }
};

/* An arrow's label: the message alone ("Allocate 401", "Set Active Dest
 * Req"); its addresses and attributes are in the comment (the Info column). */
static char *
arrow_label(const msstun_tap_t *rec)
{
    GString *str = g_string_new(rec->method == MSSTUN_METHOD_MS_SET_ACTIVE_DEST ? "Set Active Dest" :
                                val_to_str_const(rec->method, msstun_method_vals, "Unknown method"));

    if (rec->cls == MSSTUN_CLASS_ERROR && rec->error_code)
        g_string_append_printf(str, " %u", rec->error_code);
    else
        g_string_append_printf(str, " %s", val_to_str_const(rec->cls, arrow_class_names, "?"));
    if (rec->retransmission)
        g_string_append(str, " (retx)");
    return g_string_free(str, false);
}

/* One summarised arrow. */
typedef struct {
    msstun_seq_item_t *item;
    const char *key;            /* its key in the streams map */
    char    *carriers;          /* the carriers named, ", then "-separated */
    const char *last_carrier;   /* the carrier of the last packet */
    unsigned n_named;           /* carriers named */
    unsigned n_changes;         /* changes of carrier after the named ones */
    unsigned packets;
    uint32_t first_frame;
    uint32_t last_frame;
    uint32_t prev_last_frame;   /* before the last packet counted */
    /* RTP: the SSRC whose verdict the arrow carries. */
    bool     rtp;
    uint32_t ssrc;
} flow_stream_t;

/* The media paths' figures of every stream the graph draws (below). */
typedef struct media_state media_state_t;

static media_state_t *new_quality_tracker(void);
static void track_quality(media_state_t *tracker, packet_info *pinfo, const msstun_tap_t *rec);
static const char *stream_verdict(const media_state_t *tracker, uint32_t ssrc);
static bool take_changed_verdict(media_state_t *tracker, uint32_t *ssrc);

/* How many arrows of one SSRC follow each change of its verdict; the
 * others take it when they count a packet. */
#define FLOW_VERDICT_ARROWS     16

/* What one flow graph has drawn so far.  It lives in the comment of a
 * hidden first arrow of the graph (libwireshark g_free()s it with the
 * arrow), so that it belongs to that graph and goes with it; what it points
 * to is in file scope.  no_text makes the comment read as empty. */
typedef struct {
    char               no_text;     /* '\0' */
    char               magic[15];   /* FLOW_STATE_MAGIC */
    wmem_map_t        *streams;     /* key string -> flow_stream_t */
    wmem_map_t        *relays;      /* relayed transport addresses allocated */
    msstun_seq_item_t *last_item;   /* the arrow of the last message */
    /* The ChannelData arrow that counted the packet of channeldata_frame,
     * until what the ChannelData carries is known. */
    flow_stream_t     *channeldata;
    uint32_t           channeldata_frame;
    uint32_t           channel;
    /* The quality of the streams, as Media Paths computes it from the
     * same packets, for the verdict on their arrows. */
    media_state_t     *quality;
    wmem_map_t        *ssrc_arrows; /* SSRC -> wmem_array_t of flow_stream_t *, the first FLOW_VERDICT_ARROWS */
} flow_state_t;

#define FLOW_STATE_MAGIC    "msstun flow"

/* A new arrow between the addresses of the packet; takes label and comment. */
static msstun_seq_item_t *
add_arrow(packet_info *pinfo, msstun_seq_info_t *sainfo, char *label, char *comment)
{
    msstun_seq_item_t *sai = (msstun_seq_item_t *)sequence_analysis_create_sai_with_addresses(pinfo, (void *)sainfo);

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

/* The state of the graph, in its first arrow; a graph without arrows is new
 * (or drawn again) and gets a new state. */
static flow_state_t *
flow_state(packet_info *pinfo, msstun_seq_info_t *sainfo)
{
    msstun_seq_item_t *first = (msstun_seq_item_t *)g_queue_peek_head(sainfo->items);
    flow_state_t *state;

    if (first && !first->display && first->comment && first->comment[0] == '\0' &&
        strcmp(first->comment + 1, FLOW_STATE_MAGIC) == 0)
        return (flow_state_t *)(void *)first->comment;
    if (first)
        return NULL;
    state = g_new0(flow_state_t, 1);
    (void)g_strlcpy(state->magic, FLOW_STATE_MAGIC, sizeof(state->magic));
    state->streams = wmem_map_new(wmem_file_scope(), g_str_hash, g_str_equal);
    state->relays = wmem_map_new(wmem_file_scope(), g_str_hash, g_str_equal);
    state->ssrc_arrows = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
    state->quality = new_quality_tracker();
    first = add_arrow(pinfo, sainfo, g_strdup(""), (char *)state);
    if (!first)
        return NULL;
    first->display = false;
    return state;
}

static void
describe_stream(const flow_state_t *state, flow_stream_t *stream)
{
    GString *str = g_string_new(NULL);

    if (stream->packets == 1)
        g_string_printf(str, "1 packet, frame %u, %s", stream->first_frame, stream->carriers);
    else
        g_string_printf(str, "%u packets, frames %u-%u, %s", stream->packets, stream->first_frame,
                        stream->last_frame, stream->carriers);
    if (stream->n_changes)
        g_string_append_printf(str, ", then %u more changes of carrier", stream->n_changes);
    if (stream->rtp) {
        /* The stream's verdict in Media Paths, when it names a reason. */
        const char *verdict = stream_verdict(state->quality, stream->ssrc);

        if (verdict)
            g_string_append_printf(str, "; %s", verdict);
    }
    g_free(stream->item->comment);
    stream->item->comment = g_string_free(str, false);
}

/* A new RTP arrow follows the verdict of its SSRC. */
static void
follow_verdict(flow_state_t *state, flow_stream_t *stream, uint32_t ssrc)
{
    wmem_array_t *arrows = (wmem_array_t *)wmem_map_lookup(state->ssrc_arrows, GUINT_TO_POINTER(ssrc));

    stream->rtp = true;
    stream->ssrc = ssrc;
    if (!arrows) {
        arrows = wmem_array_new(wmem_file_scope(), sizeof(flow_stream_t *));
        wmem_map_insert(state->ssrc_arrows, GUINT_TO_POINTER(ssrc), arrows);
    }
    if (wmem_array_get_count(arrows) < FLOW_VERDICT_ARROWS)
        wmem_array_append_one(arrows, stream);
}

/* The arrows of the streams whose verdict the last packet changed. */
static void
redescribe_changed(flow_state_t *state)
{
    uint32_t ssrc;

    while (take_changed_verdict(state->quality, &ssrc)) {
        wmem_array_t *arrows = (wmem_array_t *)wmem_map_lookup(state->ssrc_arrows, GUINT_TO_POINTER(ssrc));

        for (unsigned i = 0; arrows && i < wmem_array_get_count(arrows); i++) {
            flow_stream_t *stream = *(flow_stream_t **)wmem_array_index(arrows, i);

            if (stream->item->display)
                describe_stream(state, stream);
        }
    }
}

/* Counts a packet on the arrow of its stream, carried as carrier says;
 * note is the RTP note of the packet, or NULL. */
static flow_stream_t *
count_stream(flow_state_t *state, packet_info *pinfo, msstun_seq_info_t *sainfo, char *owned_key, char *owned_label,
             char *owned_carrier, const msstun_note_t *note)
{
    flow_stream_t *stream = (flow_stream_t *)wmem_map_lookup(state->streams, owned_key);

    if (stream) {
        /* A stream that changes carrier: "Send/Data, then UDP". */
        if (strcmp(stream->last_carrier, owned_carrier) != 0) {
            if (stream->n_named < FLOW_CARRIERS_SHOWN) {
                stream->carriers = wmem_strdup_printf(wmem_file_scope(), "%s, then %s", stream->carriers,
                                                      owned_carrier);
                stream->n_named++;
            } else {
                stream->n_changes++;
            }
            stream->last_carrier = wmem_strdup(wmem_file_scope(), owned_carrier);
        }
        g_free(owned_label);
    } else {
        msstun_seq_item_t *sai = add_arrow(pinfo, sainfo, owned_label, NULL);

        if (!sai) {
            g_free(owned_key);
            g_free(owned_carrier);
            return NULL;
        }
        stream = wmem_new0(wmem_file_scope(), flow_stream_t);
        stream->item = sai;
        stream->key = wmem_strdup(wmem_file_scope(), owned_key);
        stream->carriers = wmem_strdup(wmem_file_scope(), owned_carrier);
        stream->last_carrier = stream->carriers;
        stream->n_named = 1;
        stream->first_frame = pinfo->num;
        wmem_map_insert(state->streams, stream->key, stream);
    }
    g_free(owned_key);
    g_free(owned_carrier);
    stream->packets++;
    stream->prev_last_frame = stream->last_frame;
    stream->last_frame = pinfo->num;
    if (note && !stream->rtp)
        follow_verdict(state, stream, note->ssrc);
    describe_stream(state, stream);
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
        wmem_map_remove(state->streams, stream->key);
    } else {
        describe_stream(state, stream);
    }
}

static char *
stream_key(const char *kind, uint32_t id, const packet_info *pinfo)
{
    char *src = msstun_transport_address(&pinfo->src, pinfo->srcport);
    char *dst = msstun_transport_address(&pinfo->dst, pinfo->destport);
    char *key = g_strdup_printf("%s %u %s %s", kind, id, src, dst);

    g_free(src);
    g_free(dst);
    return key;
}

/* Between a relayed transport address and a peer. */
static bool
is_relay_leg(const flow_state_t *state, const packet_info *pinfo)
{
    char *src = msstun_transport_address(&pinfo->src, pinfo->srcport);
    char *dst = msstun_transport_address(&pinfo->dst, pinfo->destport);
    bool relay_leg = wmem_map_contains(state->relays, src) || wmem_map_contains(state->relays, dst);

    g_free(src);
    g_free(dst);
    return relay_leg;
}

static void
note_relays(flow_state_t *state, const msstun_tap_t *rec)
{
    for (unsigned i = 0; i < rec->n_endpoints; i++) {
        char *name;

        if (!(rec->relayed_mask & (1U << i)))
            continue;
        name = msstun_transport_address(&rec->endpoints[i].addr, rec->endpoints[i].port);
        if (!wmem_map_contains(state->relays, name))
            wmem_map_insert(state->relays, wmem_strdup(wmem_file_scope(), name), NULL);
        g_free(name);
    }
}

static tap_packet_status
flow_note(flow_state_t *state, packet_info *pinfo, msstun_seq_info_t *sainfo, const msstun_tap_t *rec)
{
    const msstun_note_t *note = rec->note;
    GString *what;

    if (note->kind == MSSTUN_NOTE_PSEUDO_TLS) {
        state->last_item = add_arrow(pinfo, sainfo, g_strdup_printf("pseudo %s", note->handshake),
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
                     g_string_free(what, false), note);
    else
        count_stream(state, pinfo, sainfo, stream_key("RTCP", note->ssrc, pinfo),
                     g_strdup_printf("RTCP SSRC 0x%08x", note->ssrc), g_string_free(what, false), NULL);
    return TAP_PACKET_REDRAW;
}

static tap_packet_status
flow_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data, tap_flags_t flags _U_)
{
    msstun_seq_info_t *sainfo = (msstun_seq_info_t *)tapdata;
    const msstun_tap_t *rec = (const msstun_tap_t *)data;
    flow_state_t *state = flow_state(pinfo, sainfo);
    const char *info;
    char *label;

    if (!state)
        return TAP_PACKET_DONT_REDRAW;
    track_quality(state->quality, pinfo, rec);
    /* A carrier's arrow is that of the media it carries. */
    if (rec->carrier != MSSTUN_CARRIER_NONE) {
        redescribe_changed(state);
        return TAP_PACKET_DONT_REDRAW;
    }
    if (rec->note) {
        tap_packet_status status = flow_note(state, pinfo, sainfo, rec);

        redescribe_changed(state);
        return status;
    }
    if (rec->is_channeldata) {
        state->channeldata = count_stream(state, pinfo, sainfo, stream_key("ChannelData", rec->channel, pinfo),
                                          g_strdup_printf("ChannelData 0x%04x", rec->channel),
                                          g_strdup(rec->over_tcp ? "TCP" : "UDP"), NULL);
        state->channeldata_frame = pinfo->num;
        state->channel = rec->channel;
        return TAP_PACKET_REDRAW;
    }
    label = arrow_label(rec);
    note_relays(state, rec);
    if (rec->depth > 0) {
        /* A message relayed in DATA: told on the arrow of its carrier,
         * "Send: Binding Req" (Send and Data carry it, whatever their class),
         * "Data: Binding OK, Binding Req" for two. */
        if (state->last_item && state->last_item->frame_number == pinfo->num) {
            char *outer = state->last_item->frame_label;
            const char *space = strchr(outer, ' ');

            if (strchr(outer, ':'))
                state->last_item->frame_label = g_strdup_printf("%s, %s", outer, label);
            else
                state->last_item->frame_label = g_strdup_printf("%.*s: %s", space ? (int)(space - outer) :
                                                                (int)strlen(outer), outer, label);
            g_free(outer);
        }
        g_free(label);
        return TAP_PACKET_REDRAW;
    }
    info = col_get_text(pinfo->cinfo, COL_INFO);
    state->last_item = add_arrow(pinfo, sainfo, label, g_strdup_printf("%s%s", info ? info : "",
                                                                      rec->retransmission ? " (retransmission)" : ""));
    return TAP_PACKET_REDRAW;
}

/*
 * Media paths
 */

/* In the order an engineer reads them: the verdict and its figures, then
 * where the stream went, then the figures of each leg. */
enum {
    MEDIA_SSRC, MEDIA_VERDICT, MEDIA_LOSS, MEDIA_JITTER, MEDIA_RTT, MEDIA_MOS, MEDIA_PATH, MEDIA_HOPS,
    MEDIA_SETUP_FRAME, MEDIA_LEARNED, MEDIA_LEGS, MEDIA_PACKETS, MEDIA_LOST,
    MEDIA_SEQ_ERRORS, MEDIA_MAX_JITTER, MEDIA_MEAN_JITTER, MEDIA_EXPECTED, MEDIA_LOSS_RATE, MEDIA_DUPLICATES,
    MEDIA_MAX_DELTA, MEDIA_PAYLOAD_TYPES, MEDIA_RECEIVER_REPORT, MEDIA_RTCP, MEDIA_NFIELDS
};

static stat_tap_table_item media_fields[MEDIA_NFIELDS] = {
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "SSRC", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Verdict", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Loss", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Jitter", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Round Trip", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "MOS", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Path", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Hops", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Setup Frame", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Learned From", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Captured On", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Packets", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Lost", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Sequence Errors", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Max Jitter (ms)", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Mean Jitter (ms)", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Expected", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Loss (%)", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Duplicates", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Max Delta (ms)", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Payload Types", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Receiver Report", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "RTCP", "%s" },
};

/* Which way a leg's packets go on the path: the segments before and after
 * the capture point. */
typedef enum {
    MEDIA_LEG_DIRECT,           /* sender <-> receiver, the capture point between */
    MEDIA_LEG_TO_PEER,          /* relayed, from the TURN client to the peer */
    MEDIA_LEG_TO_CLIENT         /* relayed, from the peer to the TURN client */
} media_leg_kind_t;

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
    double   arrival_ms;        /* of the last packet in time sequence */
    double   jitter;
    double   max_jitter;
    double   mean_jitter;
    double   max_delta;         /* between arrivals, of regular packets */
    unsigned total;
    unsigned seq_errors;
    unsigned pt;
    unsigned clock_rate;        /* of the last packet with one */
    /* Duplicates: the sequence numbers received among the DUPLICATE_WINDOW
     * up to the highest, bit i for highest - i. */
    uint16_t highest_seq;
    uint64_t seen;
    unsigned duplicates;
    media_leg_kind_t kind;      /* of its first packet */
    char    *encoding;          /* of its first packet, or NULL */
} media_leg_t;

/* How far back (in sequence numbers) a duplicate is recognised. */
#define DUPLICATE_WINDOW        64

/* The packet duration the E-model's jitter buffer holds (its one-way
 * delay): the 20 ms of the RTP profiles' audio (RFC 3551 4.5). */
#define MEDIA_PACKET_MS         20.0

/* How many legs a stream's cells show before they count the others. */
#define MEDIA_LEGS_SHOWN        8

/* One stream (SSRC) of one report.  Its per-leg figures (legs, then
 * shown_legs in order of appearance) are where call quality per leg
 * belongs. */
typedef struct {
    unsigned   row;
    uint32_t   ssrc;
    uint32_t   setup_frame;
    msstun_strset_t paths;
    msstun_strset_t hops;
    msstun_strset_t payload_types;
    GHashTable *legs;           /* "src > dst" -> media_leg_t */
    GPtrArray  *shown_legs;     /* the first MEDIA_LEGS_SHOWN legs */
    /* The verdict cell, and whether it names a reason (a CQD threshold
     * exceeded): for the flow graph's arrows. */
    char       *verdict;
    bool        verdict_reason;
} media_stream_t;

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
    /* The last report block about it captured whole, and who sent it. */
    bool     has_block;
    uint32_t reporter;
    uint8_t  fraction_lost;
    int32_t  cumulative_lost;
    uint32_t jitter;            /* in timestamp units */
} media_rtcp_t;

/* The last SRs of an SSRC seen: their LSR (the middle of their NTP
 * timestamp) and when the capture point last saw each. */
#define MEDIA_SRS_KEPT      4

typedef struct {
    uint32_t middle[MEDIA_SRS_KEPT];
    double   seen_at[MEDIA_SRS_KEPT];
    unsigned n;                 /* kept */
    unsigned next;              /* the next to replace */
} media_srs_t;

/* A round trip measured, and the LSR it was measured with (a block seen
 * again on the next leg measures nothing new). */
typedef struct {
    uint32_t lsr;
    double   ms;
} media_rtt_t;

/* One media paths report: its streams from the (filtered) "rtp" listener,
 * and the context from its own unfiltered listeners on the "msstun" tap and
 * (RTCP without MSSTUN) the "frame" tap, registered when the report is made
 * and removed when it is retired.
 * Or the quality tracker of a flow graph: the same, without a report and
 * its listeners, fed by the graph's own listener (RTP from its notes). */
struct media_state {
    msstun_report_t *report;    /* NULL for a flow graph's tracker */
    bool            listening;  /* the "msstun" listener is registered */
    GHashTable     *streams;    /* SSRC -> media_stream_t */
    msstun_alloc_tracker_t *allocs;     /* the TURN allocations */
    GHashTable     *labels;     /* frame -> char * label of its first message */
    GHashTable     *rtcp;       /* SSRC -> media_rtcp_t */
    GArray         *notes;      /* media_note_t of notes_frame */
    uint32_t        notes_frame;
    uint32_t        channel;    /* of the ChannelData of notes_frame */
    /* Round trips from RTCP (tap-msstun-quality.c), from a third listener. */
    bool            quality_listening;
    /* RTCP without the multiplexer, from a fourth listener (plain_rtcp_packet). */
    bool            plain_rtcp_listening;
    GHashTable     *srs;        /* SSRC -> media_srs_t, its last SRs seen */
    GHashTable     *rtt_about;  /* SSRC -> media_rtt_t, capture point <-> its receiver */
    GHashTable     *rtt_by;     /* SSRC -> media_rtt_t, capture point <-> its sender */
    /* The report's column of each MEDIA_ column, -1 for none; NULL for the
     * full table. */
    const int      *columns;
    /* A flow graph's tracker: the SSRCs whose verdict changed, until the
     * graph takes them. */
    GArray         *changed;
};

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
extended_timestamp(const media_state_t *state, const media_leg_t *leg, const struct _rtp_info *rtp)
{
#ifdef MSSTUN_RTP_TAP_EXTENDED_TIMESTAMP
    /* (A flow graph's tracker makes its RTP records from notes, without.) */
    if (state->report)
        return rtp->info_extended_timestamp;
#else
    (void)state;
#endif
    /* Unwrapped along the leg, from 2^32 so that it may go back. */
    if (!leg->started)
        return G_GUINT64_CONSTANT(0x100000000) + rtp->info_timestamp;
    return leg->timestamp + (int64_t)(int32_t)(rtp->info_timestamp - (uint32_t)leg->timestamp);
}

/* A packet whose sequence number was already received on the leg, among
 * the last DUPLICATE_WINDOW: counted as a duplicate.  (Wireshark counts
 * duplicates among the sequence errors only.) */
static void
count_duplicate(media_leg_t *leg, uint16_t seq)
{
    int16_t ahead = (int16_t)(uint16_t)(seq - leg->highest_seq);

    if (ahead > 0) {
        leg->seen = ahead >= DUPLICATE_WINDOW ? 1 : (leg->seen << ahead) | 1;
        leg->highest_seq = seq;
    } else if (-ahead < DUPLICATE_WINDOW) {
        uint64_t bit = G_GUINT64_CONSTANT(1) << -ahead;

        if (leg->seen & bit)
            leg->duplicates++;
        leg->seen |= bit;
    }
}

/* Expected packets from the sequence numbers, across wraps, as
 * rtpstream_info_calc() counts them. */
static unsigned
leg_expected(const media_leg_t *leg)
{
    return leg->stop_seq + leg->seq_cycles * 0x10000 - leg->start_seq + 1;
}

/* rtppacket_analyse(), for what the report shows. */
static void
analyse_packet(const media_state_t *state, media_leg_t *leg, const packet_info *pinfo, const struct _rtp_info *rtp)
{
    double now = nstime_to_msec(&pinfo->rel_ts);
    uint64_t timestamp = extended_timestamp(state, leg, rtp);
    bool in_time_sequence;
    bool regular;
    unsigned rate;

    if (!leg->started) {
        leg->started = true;
        leg->start_seq = leg->stop_seq = leg->seq_num = rtp->info_seq_num;
        leg->first_timestamp = leg->seq_timestamp = leg->timestamp = timestamp;
        leg->arrival_ms = now;
        leg->pt = rtp->info_payload_type;
        leg->clock_rate = clock_rate(rtp);
        leg->total = 1;
        leg->highest_seq = (uint16_t)rtp->info_seq_num;
        leg->seen = 1;
        return;
    }
    count_duplicate(leg, (uint16_t)rtp->info_seq_num);
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
        leg->clock_rate = rate;
        double expected = leg->arrival_ms + (double)((int64_t)timestamp - (int64_t)leg->seq_timestamp) /
                                      (rate / 1000);

        double jitter = (15 * leg->jitter + fabs(now - expected)) / 16;

        leg->jitter = jitter;
        if (regular) {
            if (jitter > leg->max_jitter)
                leg->max_jitter = jitter;
            leg->mean_jitter = (leg->mean_jitter * (leg->total - 1) + jitter) / leg->total;
        }
    }
    if (regular && now - leg->arrival_ms > leg->max_delta)
        leg->max_delta = now - leg->arrival_ms;
    if (in_time_sequence) {
        leg->arrival_ms = now;
        leg->seq_timestamp = timestamp;
    }
    leg->timestamp = timestamp;
    leg->stop_seq = rtp->info_seq_num;
    leg->total++;
}

/* Defined with the registration, below. */
static msstun_report_kind_t media_kind;
static msstun_report_kind_t quality_kind;

/* Whether the report shows a column (a flow graph's tracker shows none):
 * the cells of the others are not made. */
static bool
cell_shown(const media_state_t *state, unsigned column)
{
    return state->report && (!state->columns || state->columns[column] >= 0);
}

/* A cell of the report, in its column of the quality form's. */
static void
set_cell(media_state_t *state, unsigned row, unsigned column, char *owned)
{
    if (!cell_shown(state, column)) {
        g_free(owned);
        return;
    }
    msstun_report_set_string(state->report, row, state->columns ? (unsigned)state->columns[column] : column, owned);
}

/* Whether leg is one of the (at most MEDIA_LEGS_SHOWN) legs the cells show;
 * g_ptr_array_find() is newer than Wireshark 4.0's GLib floor (2.50). */
static bool
leg_is_shown(const media_stream_t *stream, const media_leg_t *leg)
{
    for (unsigned i = 0; i < stream->shown_legs->len; i++) {
        if (g_ptr_array_index(stream->shown_legs, i) == leg)
            return true;
    }
    return false;
}

/* One value per leg, "a / b", for the legs shown, and how many more. */
static void
draw_leg_cell(media_state_t *state, const media_stream_t *stream, unsigned column)
{
    GString *str;
    unsigned nlegs = g_hash_table_size(stream->legs);

    if (!cell_shown(state, column))
        return;
    str = g_string_new(NULL);
    for (unsigned i = 0; i < stream->shown_legs->len; i++) {
        const media_leg_t *leg = (const media_leg_t *)g_ptr_array_index(stream->shown_legs, i);
        unsigned expected = leg_expected(leg);

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
        case MEDIA_MEAN_JITTER:
            g_string_append_printf(str, "%.3f", leg->mean_jitter);
            break;
        case MEDIA_EXPECTED:
            g_string_append_printf(str, "%u", expected);
            break;
        case MEDIA_LOSS_RATE:
            /* As -z rtp,streams shows it: of the expected, negative when
             * duplicates outnumber the lost. */
            g_string_append_printf(str, "%.1f", expected ? 100.0 * (int)(expected - leg->total) / expected : 0.0);
            break;
        case MEDIA_DUPLICATES:
            g_string_append_printf(str, "%u", leg->duplicates);
            break;
        default:
            g_string_append_printf(str, "%.3f", leg->max_delta);
            break;
        }
    }
    if (nlegs > stream->shown_legs->len)
        g_string_append_printf(str, " and %u more legs", nlegs - stream->shown_legs->len);
    set_cell(state, stream->row, column, g_string_free(str, false));
}

/* The segment before the capture point on a leg's way (upstream) or after
 * it (downstream).  Relayed, the capture point is the Edge: to the peer,
 * the client's leg comes before it and the relay's after it. */
static const char *
segment_name(const media_leg_t *leg, bool upstream)
{
    switch (leg->kind) {
    case MEDIA_LEG_TO_PEER:
        return upstream ? "client <-> Edge" : "relay <-> peer";
    case MEDIA_LEG_TO_CLIENT:
        return upstream ? "relay <-> peer" : "client <-> Edge";
    case MEDIA_LEG_DIRECT:
        break;
    }
    return upstream ? "sender <-> capture point" : "capture point <-> receiver";
}

static double
lost_percent(int lost, unsigned of)
{
    return of ? 100.0 * lost / of : NAN;
}

/* The quality cells of a stream.  Upstream is the first leg it was seen on
 * (where it reaches the capture point), downstream the last (where it
 * leaves); for a relayed stream captured on both legs of an Edge, what the
 * receiver reports lost beyond what the last leg misses was lost after the
 * Edge. */
static void
draw_quality(media_state_t *state, media_stream_t *stream)
{
    const media_leg_t *up;
    const media_leg_t *down;
    const media_rtcp_t *rtcp;
    const media_rtt_t *rtt_down;
    const media_rtt_t *rtt_up;
    const msstun_codec_impairment_t *codec;
    double loss_up;
    double loss_down = NAN;
    double jitter_up;
    double jitter_down = NAN;
    double rtt = NAN;
    double worst_loss;
    double e2e_loss;
    double e2e_jitter;
    int lost_up;
    const char *segment = NULL;
    char *reason = NULL;
    char *verdict;
    bool verdict_reason = false;
    GString *str;

    if (stream->shown_legs->len == 0)
        return;
    up = (const media_leg_t *)g_ptr_array_index(stream->shown_legs, 0);
    down = (const media_leg_t *)g_ptr_array_index(stream->shown_legs, stream->shown_legs->len - 1);
    rtcp = (const media_rtcp_t *)g_hash_table_lookup(state->rtcp, GUINT_TO_POINTER(stream->ssrc));
    rtt_down = (const media_rtt_t *)g_hash_table_lookup(state->rtt_about, GUINT_TO_POINTER(stream->ssrc));
    rtt_up = (const media_rtt_t *)g_hash_table_lookup(state->rtt_by, GUINT_TO_POINTER(stream->ssrc));

    lost_up = (int)(leg_expected(up) - up->total);
    loss_up = lost_percent(lost_up, leg_expected(up));
    jitter_up = up->clock_rate ? up->mean_jitter : NAN;
    e2e_loss = loss_up;
    e2e_jitter = jitter_up;
    if (rtcp && rtcp->has_block) {
        /* Lost after the last leg: reported lost, less what the last leg
         * already missed, of the packets that left on it. */
        loss_down = lost_percent(rtcp->cumulative_lost - (int)(leg_expected(down) - down->total), down->total);
        e2e_loss = lost_percent(rtcp->cumulative_lost, leg_expected(down));
        if (down->clock_rate) {
            jitter_down = rtcp->jitter * 1000.0 / down->clock_rate;
            e2e_jitter = jitter_down;
        }
    }
    if (rtt_down && rtt_up)
        rtt = rtt_down->ms + rtt_up->ms;

    /* Loss, each segment with its figure. */
    if (cell_shown(state, MEDIA_LOSS)) {
        str = g_string_new(NULL);
        g_string_printf(str, "%.1f%% %s", loss_up, segment_name(up, true));
        if (!isnan(loss_down))
            g_string_append_printf(str, ", %.1f%% %s", loss_down, segment_name(down, false));
        set_cell(state, stream->row, MEDIA_LOSS, g_string_free(str, false));
    }
    if (cell_shown(state, MEDIA_JITTER)) {
        str = g_string_new(NULL);
        if (isnan(jitter_up))
            g_string_printf(str, "(no clock rate)");
        else
            g_string_printf(str, "%.1f ms %s", jitter_up, segment_name(up, true));
        if (!isnan(jitter_down))
            g_string_append_printf(str, ", %.1f ms at the receiver", jitter_down);
        set_cell(state, stream->row, MEDIA_JITTER, g_string_free(str, false));
    }
    if (cell_shown(state, MEDIA_RTT)) {
        str = g_string_new(NULL);
        if (!isnan(rtt))
            g_string_printf(str, "%.1f ms: ", rtt);
        if (rtt_up)
            g_string_append_printf(str, "%.1f ms to the sender", rtt_up->ms);
        if (rtt_down)
            g_string_append_printf(str, "%s%.1f ms to the receiver", rtt_up ? ", " : "", rtt_down->ms);
        set_cell(state, stream->row, MEDIA_RTT, g_string_free(str, false));
    }

    /* CQD's verdict, on the worse segment. */
    worst_loss = !isnan(loss_down) && !(loss_down <= loss_up) ? loss_down : loss_up;
    switch (msstun_quality_media_type(down->clock_rate)) {
    case MSSTUN_MEDIA_AUDIO:
        switch (msstun_quality_cqd_audio(worst_loss, !(jitter_down <= jitter_up) && !isnan(jitter_down) ?
                                         jitter_down : jitter_up, rtt)) {
        case MSSTUN_CQD_LOSS:
            segment = worst_loss == loss_up ? segment_name(up, true) : segment_name(down, false);
            reason = g_strdup_printf("loss %.1f%% > %.0f%%, %s", worst_loss, MSSTUN_CQD_AUDIO_LOSS_PCT, segment);
            break;
        case MSSTUN_CQD_JITTER:
            if (jitter_up > MSSTUN_CQD_AUDIO_JITTER_MS)
                reason = g_strdup_printf("jitter %.1f ms > %.0f ms, %s", jitter_up, MSSTUN_CQD_AUDIO_JITTER_MS,
                                         segment_name(up, true));
            else
                reason = g_strdup_printf("jitter %.1f ms > %.0f ms, %s", jitter_down,
                                         MSSTUN_CQD_AUDIO_JITTER_MS, segment_name(down, false));
            break;
        case MSSTUN_CQD_RTT:
            reason = g_strdup_printf("round trip %.1f ms > %.0f ms, %s", rtt, MSSTUN_CQD_AUDIO_RTT_MS,
                                     rtt_up->ms > rtt_down->ms ? segment_name(up, true) : segment_name(down, false));
            break;
        default:
            break;
        }
        /* The packets the sender sent: those expected on the first leg. */
        if (leg_expected(up) <= MSSTUN_CQD_AUDIO_MIN_PACKETS)
            verdict = g_strdup_printf("Unclassified: %u packets (CQD classifies over %u)%s%s",
                                      (unsigned)leg_expected(up), MSSTUN_CQD_AUDIO_MIN_PACKETS,
                                      reason ? "; " : "", reason ? reason : "");
        else if (reason)
            verdict = g_strdup_printf("Poor: %s", reason);
        else
            verdict = g_strdup("Good");
        verdict_reason = reason != NULL;
        g_free(reason);
        break;
    case MSSTUN_MEDIA_VIDEO:
        verdict = g_strdup("no verdict: video (CQD judges video by decoder figures)");
        break;
    default:
        verdict = g_strdup("no verdict: not known as audio (no clock rate)");
        break;
    }
    if (state->changed && (verdict_reason != stream->verdict_reason || g_strcmp0(verdict, stream->verdict) != 0))
        g_array_append_val(state->changed, stream->ssrc);
    g_free(stream->verdict);
    stream->verdict = g_strdup(verdict);
    stream->verdict_reason = verdict_reason;
    set_cell(state, stream->row, MEDIA_VERDICT, verdict);

    /* The E-model estimate, end to end. */
    codec = msstun_quality_codec(down->pt, down->encoding);
    if (!cell_shown(state, MEDIA_MOS))
        return;
    if (msstun_quality_media_type(down->clock_rate) != MSSTUN_MEDIA_AUDIO) {
        set_cell(state, stream->row, MEDIA_MOS, g_strdup("no estimate: not known as audio"));
    } else if (!codec && msstun_quality_is_g722(down->pt, down->encoding)) {
        set_cell(state, stream->row, MEDIA_MOS,
                 g_strdup("no estimate: G.722 is wideband (ITU-T G.107.1 scale, G.113 Appendix IV values not built in)"));
    } else if (!codec) {
        set_cell(state, stream->row, MEDIA_MOS, down->encoding ?
                 g_strdup_printf("no estimate: no published G.113 values for %s", down->encoding) :
                 g_strdup_printf("no estimate: no published G.113 values for payload type %u", down->pt));
    } else {
        double r = msstun_quality_emodel_r(codec->ie, codec->bpl, e2e_loss > 0 ? e2e_loss : 0, 1.0,
                                           msstun_quality_one_way_ms(isnan(rtt) ? 0 : rtt,
                                                                     isnan(e2e_jitter) ? 0 : e2e_jitter,
                                                                     MEDIA_PACKET_MS));

        set_cell(state, stream->row, MEDIA_MOS,
                 g_strdup_printf("%.2f (R %.1f, %s%s)", msstun_quality_mos(r), r, codec->name,
                                 isnan(rtt) ? ", round trip not known" : ""));
    }
}

static void
draw_rtcp(media_state_t *state, uint32_t ssrc)
{
    media_stream_t *stream = (media_stream_t *)g_hash_table_lookup(state->streams, GUINT_TO_POINTER(ssrc));
    const media_rtcp_t *rtcp = (const media_rtcp_t *)g_hash_table_lookup(state->rtcp, GUINT_TO_POINTER(ssrc));

    if (stream && rtcp)
        set_cell(state, stream->row, MEDIA_RTCP,
                                 g_strdup_printf("%u sent, %u reports about it", rtcp->sent, rtcp->reports));
    if (stream && rtcp && rtcp->has_block) {
        /* The jitter at the clock rate of the stream's first leg. */
        const media_leg_t *leg = stream->shown_legs->len ?
                                 (const media_leg_t *)g_ptr_array_index(stream->shown_legs, 0) : NULL;
        char *jitter = leg && leg->clock_rate ? g_strdup_printf("%.3f ms", rtcp->jitter * 1000.0 / leg->clock_rate) :
                       g_strdup_printf("%u timestamp units", rtcp->jitter);

        set_cell(state, stream->row, MEDIA_RECEIVER_REPORT,
                                 g_strdup_printf("by 0x%08x: fraction lost %u/256 (%.1f%%), cumulative lost %d, "
                                                 "jitter %s", rtcp->reporter, rtcp->fraction_lost,
                                                 rtcp->fraction_lost * 100.0 / 256, rtcp->cumulative_lost, jitter));
        g_free(jitter);
    }
    if (stream)
        draw_quality(state, stream);
}

static void
free_media_stream(gpointer data)
{
    media_stream_t *stream = (media_stream_t *)data;

    msstun_strset_free(&stream->paths);
    msstun_strset_free(&stream->hops);
    msstun_strset_free(&stream->payload_types);
    g_free(stream->verdict);
    g_ptr_array_free(stream->shown_legs, true);
    g_hash_table_destroy(stream->legs);
    g_free(stream);
}

static void
free_media_leg(gpointer data)
{
    media_leg_t *leg = (media_leg_t *)data;

    g_free(leg->name);
    g_free(leg->encoding);
    g_free(leg);
}

static void
clear_notes(media_state_t *state)
{
    for (unsigned i = 0; i < state->notes->len; i++)
        g_free(g_array_index(state->notes, media_note_t, i).peer);
    g_array_set_size(state->notes, 0);
}

static void
context_note(media_state_t *state, const msstun_tap_t *rec)
{
    const msstun_note_t *note = rec->note;

    if (note->kind == MSSTUN_NOTE_RTP) {
        media_note_t entry = { note->ssrc, note->seq, note->carrier, rec->over_tcp,
                               rec->peer ? msstun_transport_address(&rec->peer->addr, rec->peer->port) : NULL,
                               note->carrier == MSSTUN_CARRIER_CHANNELDATA ? state->channel : 0 };

        g_array_append_val(state->notes, entry);
    } else if (note->kind == MSSTUN_NOTE_RTCP) {
        uint32_t ssrcs[32];
        unsigned n = 0;

        ssrcs[n++] = note->ssrc;
        for (unsigned i = 0; i < note->n_reported; i++)
            ssrcs[n++] = note->reported[i];
        for (unsigned i = 0; i < n; i++) {
            media_rtcp_t *rtcp = (media_rtcp_t *)g_hash_table_lookup(state->rtcp, GUINT_TO_POINTER(ssrcs[i]));

            if (!rtcp) {
                rtcp = g_new0(media_rtcp_t, 1);
                g_hash_table_insert(state->rtcp, GUINT_TO_POINTER(ssrcs[i]), rtcp);
            }
            if (i == 0) {
                rtcp->sent++;
            } else {
                rtcp->reports++;
                if (i - 1 < note->n_blocks) {
                    rtcp->has_block = true;
                    rtcp->reporter = note->ssrc;
                    rtcp->fraction_lost = note->blocks[i - 1].fraction_lost;
                    rtcp->cumulative_lost = note->blocks[i - 1].cumulative_lost;
                    rtcp->jitter = note->blocks[i - 1].jitter;
                }
            }
            draw_rtcp(state, ssrcs[i]);
        }
    }
}

/* What the "msstun" tap tells of the path. */
static tap_packet_status
track_context(media_state_t *state, const packet_info *pinfo, const msstun_tap_t *rec)
{
    msstun_alloc_t *alloc;
    bool from_client;

    (void)msstun_alloc_track(state->allocs, pinfo, rec, &alloc, &from_client);
    if (state->notes_frame != pinfo->num) {
        clear_notes(state);
        state->notes_frame = pinfo->num;
        state->channel = 0;
    }
    if (rec->carrier != MSSTUN_CARRIER_NONE)
        return TAP_PACKET_DONT_REDRAW;
    if (rec->note) {
        context_note(state, rec);
        return TAP_PACKET_REDRAW;
    }
    if (rec->is_channeldata) {
        state->channel = rec->channel;
        return TAP_PACKET_DONT_REDRAW;
    }
    if (!g_hash_table_contains(state->labels, GUINT_TO_POINTER(pinfo->num)))
        g_hash_table_insert(state->labels, GUINT_TO_POINTER(pinfo->num), message_label(rec));
    return TAP_PACKET_DONT_REDRAW;
}

/* The report's second listener: everything the "msstun" tap tells, unfiltered. */
static tap_packet_status
context_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data, tap_flags_t flags _U_)
{
    return track_context((media_state_t *)tapdata, pinfo, (const msstun_tap_t *)data);
}

/* The path of one packet, its hops from sender to receiver, and the frame
 * of the allocation it uses. */
static void
packet_path(media_state_t *state, const media_note_t *note, const char *src, const char *dst, bool over_tcp,
            char **path, char **hops, uint32_t *alloc_frame, media_leg_kind_t *kind)
{
    bool src_is_client;
    const msstun_alloc_t *alloc = msstun_alloc_find(state->allocs, src, dst, over_tcp, &src_is_client);
    const msstun_alloc_t *relay_alloc;
    const char *peer = NULL;
    const char *chain[4];
    unsigned n = 0;
    bool reverse = false;
    GString *str;

    *alloc_frame = 0;
    *kind = MEDIA_LEG_DIRECT;
    if (!note) {
        *path = g_strdup("not MSSTUN");
    } else if (alloc) {
        /* The leg between the TURN client and its server. */
        if (note->carrier == MSSTUN_CARRIER_DATA)
            peer = note->peer;
        else if (note->carrier == MSSTUN_CARRIER_CHANNELDATA)
            peer = msstun_alloc_channel_peer(alloc, note->channel);
        else
            peer = alloc->active_dest;
        *path = g_strdup(note->carrier == MSSTUN_CARRIER_NONE ? (over_tcp ? "relayed TCP, active destination" :
                                                                "relayed UDP, active destination") :
                         carrier_name(note->carrier, over_tcp));
        *alloc_frame = alloc->relayed_frame;
        *kind = src_is_client ? MEDIA_LEG_TO_PEER : MEDIA_LEG_TO_CLIENT;
        chain[n++] = alloc->client;
        chain[n++] = alloc->server;
        if (alloc->first_relayed)
            chain[n++] = alloc->first_relayed;
        if (peer)
            chain[n++] = peer;
        reverse = !src_is_client;
    } else if ((relay_alloc = msstun_alloc_by_relayed(state->allocs, src)) != NULL ||
               (relay_alloc = msstun_alloc_by_relayed(state->allocs, dst)) != NULL) {
        /* The leg between the relayed address and the peer. */
        bool from_relay = msstun_alloc_by_relayed(state->allocs, src) == relay_alloc;

        *path = g_strdup(over_tcp ? "relayed TCP, relay leg" : "relayed UDP, relay leg");
        *alloc_frame = relay_alloc->relayed_frame;
        *kind = from_relay ? MEDIA_LEG_TO_PEER : MEDIA_LEG_TO_CLIENT;
        chain[n++] = relay_alloc->client;
        chain[n++] = relay_alloc->server;
        chain[n++] = from_relay ? src : dst;
        chain[n++] = from_relay ? dst : src;
        reverse = !from_relay;
    } else {
        *path = g_strdup(note->carrier == MSSTUN_CARRIER_NONE ? (over_tcp ? "direct TCP" : "direct UDP") :
                         carrier_name(note->carrier, over_tcp));
    }
    if (n == 0) {
        chain[n++] = src;
        chain[n++] = dst;
    }
    str = g_string_new(NULL);
    for (unsigned i = 0; i < n; i++)
        g_string_append_printf(str, "%s%s", i ? " > " : "", chain[reverse ? n - 1 - i : i]);
    *hops = g_string_free(str, false);
}

static media_note_t *
take_note(media_state_t *state, const packet_info *pinfo, const struct _rtp_info *rtp)
{
    if (state->notes_frame != pinfo->num)
        return NULL;
    for (unsigned i = 0; i < state->notes->len; i++) {
        media_note_t *note = &g_array_index(state->notes, media_note_t, i);

        if (note->ssrc == rtp->info_sync_src && note->seq == rtp->info_seq_num) {
            /* Each note once. */
            note->ssrc = ~rtp->info_sync_src;
            return note;
        }
    }
    return NULL;
}

static media_stream_t *
new_media_stream(media_state_t *state, uint32_t ssrc)
{
    media_stream_t *stream = g_new0(media_stream_t, 1);

    stream->row = state->report ? msstun_report_add_row(state->report) : 0;
    stream->ssrc = ssrc;
    msstun_strset_init(&stream->paths);
    msstun_strset_init(&stream->hops);
    msstun_strset_init(&stream->payload_types);
    stream->legs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free_media_leg);
    stream->shown_legs = g_ptr_array_new();
    g_hash_table_insert(state->streams, GUINT_TO_POINTER(ssrc), stream);
    set_cell(state, stream->row, MEDIA_SSRC, g_strdup_printf("0x%08x", ssrc));
    draw_rtcp(state, ssrc);
    return stream;
}

/* Where the stream was set up: by signalling (the RTP conversation's setup
 * frame) or by the TURN allocation that carries it. */
static void
draw_setup(media_state_t *state, media_stream_t *stream, const packet_info *pinfo, const struct _rtp_info *rtp,
           uint32_t alloc_frame)
{
    const char *label = NULL;
    /* A setup frame that is the packet itself is RTP noting its own
     * conversation (called without one, as under Decode As; 4.4 and 4.6
     * show it on the first packet already, 4.0 from the second): not a
     * setup by signalling. */
    uint32_t setup = rtp->info_setup_frame_num != pinfo->num ? rtp->info_setup_frame_num : 0;

    stream->setup_frame = setup ? setup : alloc_frame;
    if (stream->setup_frame)
        label = (const char *)g_hash_table_lookup(state->labels, GUINT_TO_POINTER(stream->setup_frame));
    if (setup == 0 && alloc_frame != 0)
        set_cell(state, stream->row, MEDIA_LEARNED,
                                 g_strdup_printf("carried by TURN, %s", label ? label : "allocation"));
    else
        set_cell(state, stream->row, MEDIA_LEARNED, g_strdup(label ? label : ""));
    if (stream->setup_frame)
        set_cell(state, stream->row, MEDIA_SETUP_FRAME, g_strdup_printf("%u", stream->setup_frame));
}

static tap_packet_status
count_media_packet(media_state_t *state, packet_info *pinfo, const struct _rtp_info *rtp)
{
    media_stream_t *stream;
    media_leg_t *leg;
    media_note_t *note;
    char *src;
    char *dst;
    char *name;
    char *path;
    char *hops;
    uint32_t alloc_frame;
    media_leg_kind_t kind;
    bool new_leg;

    note = take_note(state, pinfo, rtp);
    stream = (media_stream_t *)g_hash_table_lookup(state->streams, GUINT_TO_POINTER(rtp->info_sync_src));
    if (!stream)
        stream = new_media_stream(state, rtp->info_sync_src);

    src = msstun_transport_address(&pinfo->src, pinfo->srcport);
    dst = msstun_transport_address(&pinfo->dst, pinfo->destport);
    name = g_strdup_printf("%s > %s", src, dst);
    leg = (media_leg_t *)g_hash_table_lookup(stream->legs, name);
    new_leg = leg == NULL;
    if (new_leg) {
        leg = g_new0(media_leg_t, 1);
        leg->name = name;
        g_hash_table_insert(stream->legs, leg->name, leg);
        if (stream->shown_legs->len < MEDIA_LEGS_SHOWN)
            g_ptr_array_add(stream->shown_legs, leg);
    } else {
        g_free(name);
    }
    analyse_packet(state, leg, pinfo, rtp);
    if (new_leg)
        draw_rtcp(state, rtp->info_sync_src);

    packet_path(state, note, src, dst, pinfo->ptype == PT_TCP, &path, &hops, &alloc_frame, &kind);
    if (new_leg) {
        leg->kind = kind;
        leg->encoding = g_strdup(rtp->info_payload_type_str);
    }
    g_free(src);
    g_free(dst);
    if (msstun_strset_add(&stream->paths, path))
        set_cell(state, stream->row, MEDIA_PATH, msstun_strset_join(&stream->paths, "; "));
    if (msstun_strset_add(&stream->hops, hops))
        set_cell(state, stream->row, MEDIA_HOPS, msstun_strset_join(&stream->hops, "; "));
    if (stream->setup_frame == 0)
        draw_setup(state, stream, pinfo, rtp, alloc_frame);
    if (msstun_strset_add(&stream->payload_types, rtp->info_payload_type_str ?
                          g_strdup_printf("%u (%s)", rtp->info_payload_type, rtp->info_payload_type_str) :
                          g_strdup_printf("%u", rtp->info_payload_type)))
        set_cell(state, stream->row, MEDIA_PAYLOAD_TYPES, msstun_strset_join(&stream->payload_types, ", "));
    /* The legs' cells change when a shown leg counts a packet, and the
     * count of the others when a leg is new. */
    if (new_leg || leg_is_shown(stream, leg)) {
        for (unsigned column = MEDIA_LEGS; column <= MEDIA_MAX_DELTA; column++)
            draw_leg_cell(state, stream, column);
        draw_quality(state, stream);
    }
    return TAP_PACKET_REDRAW;
}

static tap_packet_status
media_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data, tap_flags_t flags _U_)
{
    return count_media_packet((media_state_t *)msstun_report_of(&media_kind, tapdata)->state, pinfo,
                              (const struct _rtp_info *)data);
}

static tap_packet_status
quality_form_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
                    tap_flags_t flags _U_)
{
    return count_media_packet((media_state_t *)msstun_report_of(&quality_kind, tapdata)->state, pinfo,
                              (const struct _rtp_info *)data);
}

static void
note_rtt(GHashTable *rtts, uint32_t ssrc, uint32_t lsr, double ms)
{
    media_rtt_t *rtt = (media_rtt_t *)g_hash_table_lookup(rtts, GUINT_TO_POINTER(ssrc));

    if (!rtt) {
        rtt = g_new0(media_rtt_t, 1);
        g_hash_table_insert(rtts, GUINT_TO_POINTER(ssrc), rtt);
    }
    rtt->lsr = lsr;
    rtt->ms = ms;
}

static void
redraw_quality(media_state_t *state, uint32_t ssrc)
{
    media_stream_t *stream = (media_stream_t *)g_hash_table_lookup(state->streams, GUINT_TO_POINTER(ssrc));

    if (stream)
        draw_quality(state, stream);
}

/* An SR seen: when, by its LSR.  An SR relayed is seen on each leg; the
 * last sighting, nearest the receiver, is kept. */
static void
note_sr(media_state_t *state, const msstun_note_t *note, double now)
{
    media_srs_t *srs = (media_srs_t *)g_hash_table_lookup(state->srs, GUINT_TO_POINTER(note->ssrc));

    if (!srs) {
        srs = g_new0(media_srs_t, 1);
        g_hash_table_insert(state->srs, GUINT_TO_POINTER(note->ssrc), srs);
    }
    for (unsigned i = 0; i < srs->n; i++) {
        if (srs->middle[i] == note->sr_ntp_middle) {
            srs->seen_at[i] = now;
            return;
        }
    }
    srs->middle[srs->next] = note->sr_ntp_middle;
    srs->seen_at[srs->next] = now;
    srs->next = (srs->next + 1) % MEDIA_SRS_KEPT;
    if (srs->n < MEDIA_SRS_KEPT)
        srs->n++;
}

/* The report's third listener, on the "msstun" tap: the round trips that
 * RTCP gives at the capture point (tap-msstun-quality.c).  Its tap data is
 * &state->quality_listening, told apart from the context listener's. */
static tap_packet_status
track_rtt(media_state_t *state, const packet_info *pinfo, const msstun_tap_t *rec)
{
    const msstun_note_t *note = rec->note;
    double now = nstime_to_sec(&pinfo->rel_ts);
    bool redraw = false;

    if (rec->carrier != MSSTUN_CARRIER_NONE || !note || note->kind != MSSTUN_NOTE_RTCP)
        return TAP_PACKET_DONT_REDRAW;
    if (note->has_sr_ntp)
        note_sr(state, note, now);
    for (unsigned i = 0; i < note->n_blocks && i < note->n_reported; i++) {
        uint32_t about = note->reported[i];
        const media_srs_t *srs = (const media_srs_t *)g_hash_table_lookup(state->srs, GUINT_TO_POINTER(about));
        const media_rtt_t *known = (const media_rtt_t *)g_hash_table_lookup(state->rtt_about, GUINT_TO_POINTER(about));
        uint32_t lsr = note->blocks[i].lsr;

        /* A block seen again (relayed, on the next leg) measures nothing
         * new: the first sighting is the nearer to its sender. */
        if (lsr == 0 || !srs || (known && known->lsr == lsr))
            continue;
        for (unsigned k = 0; k < srs->n; k++) {
            double ms = msstun_quality_rtt_ms(srs->seen_at[k], now, note->blocks[i].dlsr);

            if (srs->middle[k] == lsr && ms >= 0) {
                note_rtt(state->rtt_about, about, lsr, ms);
                note_rtt(state->rtt_by, note->ssrc, lsr, ms);
                redraw_quality(state, about);
                redraw_quality(state, note->ssrc);
                redraw = true;
                break;
            }
        }
    }
    return redraw ? TAP_PACKET_REDRAW : TAP_PACKET_DONT_REDRAW;
}

static tap_packet_status
quality_rtcp_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
                    tap_flags_t flags _U_)
{
    return track_rtt((media_state_t *)(void *)((char *)tapdata - offsetof(media_state_t, quality_listening)), pinfo,
                     (const msstun_tap_t *)data);
}

/* The report's fourth listener, on the "frame" tap: RTCP that Wireshark's
 * RTCP dissector took without the multiplexer (RTP and RTCP that SDP set up
 * without keys, on a port of their own or multiplexed with RTP) makes the
 * same notes as the multiplexer's RTCP.  The filter primes the RTCP
 * protocol items, whose bytes each compound's note is read from; a frame
 * with MSSTUN has its RTCP noted by the multiplexer, and RTCP quoted by
 * ICMP reports nothing. */
#define PLAIN_RTCP_FILTER "rtcp && !msstun && !icmp && !icmpv6"

static int proto_rtcp_id = -1;

static void
note_plain_rtcp(media_state_t *state, packet_info *pinfo, tvbuff_t *compound)
{
    msstun_note_t note = { 0 };
    /* What the two trackers read of a record: the note, its carrier none. */
    msstun_tap_t rec = { 0 };

    msstun_note_read(&note, compound, MSSTUN_NOTE_RTCP, true);
    rec.note = &note;
    context_note(state, &rec);
    (void)track_rtt(state, pinfo, &rec);
}

static tap_packet_status
plain_rtcp_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt, const void *data _U_,
                  tap_flags_t flags _U_)
{
    media_state_t *state = (media_state_t *)(void *)((char *)tapdata - offsetof(media_state_t, plain_rtcp_listening));
    GPtrArray *items = edt && edt->tree ? proto_get_finfo_ptr_array(edt->tree, proto_rtcp_id) : NULL;
    tvbuff_t *source = NULL;
    int start = 0;
    int end = 0;
    bool redraw = false;

    /* One item for each packet of a compound, back to back (RFC 3550 6.1). */
    for (unsigned i = 0; items && i <= items->len; i++) {
        const field_info *fi = i < items->len ? (const field_info *)g_ptr_array_index(items, i) : NULL;

        if (fi && fi->ds_tvb == source && fi->start == end && fi->length > 0) {
            end += fi->length;
            continue;
        }
        /* An item lies within its data source; checked all the same, so
         * that nothing here can throw. */
        if (source && start >= 0 && (unsigned)end <= tvb_reported_length(source)) {
            note_plain_rtcp(state, pinfo, tvb_new_subset_length(source, start, end - start));
            redraw = true;
        }
        source = fi && fi->length > 0 ? fi->ds_tvb : NULL;
        start = fi ? fi->start : 0;
        end = fi ? fi->start + fi->length : 0;
    }
    return redraw ? TAP_PACKET_REDRAW : TAP_PACKET_DONT_REDRAW;
}

/*
 * The report's life (see tap-msstun.h)
 */

static media_state_t *
alloc_media_state(msstun_report_t *report)
{
    media_state_t *state = g_new0(media_state_t, 1);

    state->report = report;
    state->streams = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, free_media_stream);
    state->allocs = msstun_alloc_tracker_new(NULL);
    state->labels = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    state->rtcp = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    state->notes = g_array_new(false, false, sizeof(media_note_t));
    state->srs = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    state->rtt_about = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    state->rtt_by = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    return state;
}

static void *
new_media_state(msstun_report_t *report)
{
    media_state_t *state = alloc_media_state(report);
    GString *error;

    error = register_tap_listener("msstun", state, NULL, TL_REQUIRES_NOTHING, NULL, context_packet, NULL, NULL);
    if (error)
        g_string_free(error, true);
    else
        state->listening = true;
    error = register_tap_listener("msstun", &state->quality_listening, NULL, TL_REQUIRES_NOTHING, NULL,
                                  quality_rtcp_packet, NULL, NULL);
    if (error)
        g_string_free(error, true);
    else
        state->quality_listening = true;
    if (proto_rtcp_id == -1)
        proto_rtcp_id = proto_get_id_by_filter_name("rtcp");
    if (proto_rtcp_id != -1) {
        error = register_tap_listener("frame", &state->plain_rtcp_listening, PLAIN_RTCP_FILTER,
                                      TL_REQUIRES_NOTHING, NULL, plain_rtcp_packet, NULL, NULL);
        if (error)
            g_string_free(error, true);
        else
            state->plain_rtcp_listening = true;
    }
    return state;
}

static void
retire_media_state(void *data)
{
    media_state_t *state = (media_state_t *)data;

    if (state->listening)
        remove_tap_listener(state);
    if (state->quality_listening)
        remove_tap_listener(&state->quality_listening);
    if (state->plain_rtcp_listening)
        remove_tap_listener(&state->plain_rtcp_listening);
    state->listening = false;
    state->quality_listening = false;
    state->plain_rtcp_listening = false;
}

static void
reset_media_state(void *data)
{
    media_state_t *state = (media_state_t *)data;

    g_hash_table_remove_all(state->streams);
    msstun_alloc_tracker_reset(state->allocs);
    g_hash_table_remove_all(state->labels);
    g_hash_table_remove_all(state->rtcp);
    g_hash_table_remove_all(state->srs);
    g_hash_table_remove_all(state->rtt_about);
    g_hash_table_remove_all(state->rtt_by);
    clear_notes(state);
    state->notes_frame = 0;
}

static void
free_media_state(void *data)
{
    media_state_t *state = (media_state_t *)data;

    reset_media_state(state);
    g_hash_table_destroy(state->streams);
    msstun_alloc_tracker_free(state->allocs);
    g_hash_table_destroy(state->labels);
    g_hash_table_destroy(state->rtcp);
    g_hash_table_destroy(state->srs);
    g_hash_table_destroy(state->rtt_about);
    g_hash_table_destroy(state->rtt_by);
    g_array_free(state->notes, true);
    if (state->changed)
        g_array_free(state->changed, true);
    g_free(state);
}

/*
 * A flow graph's quality tracker
 */

static int proto_rtp = -1;

static msstun_wmem_cb_ret_t
free_quality_tracker(wmem_allocator_t *allocator _U_, wmem_cb_event_t event _U_, void *data)
{
    free_media_state(data);
    return false;
}

/* Lives as long as the graph's arrows, until the file is closed. */
static media_state_t *
new_quality_tracker(void)
{
    media_state_t *tracker = alloc_media_state(NULL);

    tracker->changed = g_array_new(false, false, sizeof(uint32_t));
    wmem_register_callback(wmem_file_scope(), free_quality_tracker, tracker);
    return tracker;
}

/* The RTP record the "rtp" tap would give for an RTP note: its header
 * fields, and the name and clock rate of a dynamic payload type from the
 * map the RTP dissector used for the packet. */
static void
rtp_record_of_note(packet_info *pinfo, const msstun_note_t *note, struct _rtp_info *rtp)
{
    memset(rtp, 0, sizeof(*rtp));
    rtp->info_sync_src = note->ssrc;
    rtp->info_seq_num = (uint16_t)note->seq;
    rtp->info_timestamp = note->timestamp;
    rtp->info_marker_set = note->marker;
    rtp->info_payload_type = (uint8_t)note->payload_type;
    if (note->payload_type >= 96) {
        const msstun_rtp_packet_data_t *info = (const msstun_rtp_packet_data_t *)
            p_get_proto_data(wmem_file_scope(), pinfo, proto_rtp, MSSTUN_RTP_PACKET_DATA_KEY);
        const char *name = NULL;
        int rate = 0;

        if (info && info->rtp_dyn_payload &&
            msstun_rtp_dyn_payload_get(info->rtp_dyn_payload, note->payload_type, &name, &rate)) {
            rtp->info_payload_type_str = name;
            rtp->info_payload_rate = rate;
        }
    }
}

/* A record of the graph's listener, for the tracker: the context, the
 * round trips, and the RTP that the notes tell. */
static void
track_quality(media_state_t *tracker, packet_info *pinfo, const msstun_tap_t *rec)
{
    (void)track_context(tracker, pinfo, rec);
    (void)track_rtt(tracker, pinfo, rec);
    if (rec->carrier == MSSTUN_CARRIER_NONE && rec->note && rec->note->kind == MSSTUN_NOTE_RTP) {
        struct _rtp_info rtp;

        rtp_record_of_note(pinfo, rec->note, &rtp);
        (void)count_media_packet(tracker, pinfo, &rtp);
    }
}

/* The verdict of an SSRC's stream when it names a reason, else NULL. */
static const char *
stream_verdict(const media_state_t *tracker, uint32_t ssrc)
{
    const media_stream_t *stream = (const media_stream_t *)g_hash_table_lookup(tracker->streams,
                                                                               GUINT_TO_POINTER(ssrc));

    return stream && stream->verdict_reason ? stream->verdict : NULL;
}

static bool
take_changed_verdict(media_state_t *tracker, uint32_t *ssrc)
{
    if (tracker->changed->len == 0)
        return false;
    *ssrc = g_array_index(tracker->changed, uint32_t, tracker->changed->len - 1);
    g_array_set_size(tracker->changed, tracker->changed->len - 1);
    return true;
}

MSSTUN_REPORT_CALLBACKS(media, media_kind)

static tap_param filter_param[] = {
    { PARAM_FILTER, "filter", "Filter", NULL, true }
};

static stat_tap_table_ui media_ui = {
    MSSTUN_TELEPHONY_GROUP,
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

/* Eager: the report and its "msstun" listener are made when a run starts,
 * so that the context is complete before the first RTP packet. */
static msstun_report_kind_t media_kind = {
    &media_ui, MEDIA_TABLE,
    "(none: no RTP passed the filter; RTP that the plugin does not carry or learn needs Decode As RTP, "
    "or --enable-heuristic msstun_udp for STUN and TURN on other ports)",
    true, new_media_state, retire_media_state, free_media_state, reset_media_state, NULL, 0
};

/* The quality form (tshark -z msstun,quality[,filter], Telephony >
 * MSSTUN Media Quality): one line per stream, its verdict and figures, for
 * scripts; the same report with fewer columns.  Not "msstun,media,quality":
 * the Qt GUI gives such a -z argument to the "msstun,media" dialog, with
 * "quality" as its filter. */
static const unsigned quality_media_columns[] = {
    MEDIA_SSRC, MEDIA_VERDICT, MEDIA_LOSS, MEDIA_JITTER, MEDIA_RTT, MEDIA_MOS, MEDIA_HOPS,
};

/* Media Paths' fields of those columns, and the quality column of each
 * Media Paths column, -1 for those it leaves out: made by
 * make_quality_columns() before the form is registered. */
static stat_tap_table_item quality_fields[G_N_ELEMENTS(quality_media_columns)];
static int quality_columns[MEDIA_NFIELDS];

static void
make_quality_columns(void)
{
    for (unsigned i = 0; i < MEDIA_NFIELDS; i++)
        quality_columns[i] = -1;
    for (unsigned i = 0; i < G_N_ELEMENTS(quality_media_columns); i++) {
        quality_fields[i] = media_fields[quality_media_columns[i]];
        quality_columns[quality_media_columns[i]] = (int)i;
    }
}

static void *
new_quality_state(msstun_report_t *report)
{
    media_state_t *state = (media_state_t *)new_media_state(report);

    state->columns = quality_columns;
    return state;
}

MSSTUN_REPORT_CALLBACKS(quality, quality_kind)

static stat_tap_table_ui quality_ui = {
    MSSTUN_TELEPHONY_GROUP,
    "MSSTUN Media Quality",
    "rtp",
    "msstun,quality",
    quality_init,
    quality_form_packet,
    quality_reset,
    quality_free_item,
    NULL,
    G_N_ELEMENTS(quality_fields), quality_fields,
    G_N_ELEMENTS(filter_param), filter_param,
    NULL,
    0
};

static msstun_report_kind_t quality_kind = {
    &quality_ui, "MSSTUN media quality",
    "(none: no RTP passed the filter)",
    true, new_quality_state, retire_media_state, free_media_state, reset_media_state, NULL, 0
};

void
register_tap_listener_msstun_flow(void)
{
    register_seq_analysis("msstun", "MSSTUN", proto_msstun, "msstun", TL_REQUIRES_COLUMNS, flow_packet);
    proto_rtp = proto_get_id_by_filter_name("rtp");
    register_stat_tap_table_ui(&media_ui);
    make_quality_columns();
    register_stat_tap_table_ui(&quality_ui);
}
