/* tap-msstun.c
 * Troubleshooting reports fed by the "msstun" tap:
 *
 *   Allocations  (tshark -z msstun,allocations[,filter]): one row per TURN
 *                client, server and transport;
 *   ICE checks   (tshark -z msstun,checks[,filter]): one row per candidate
 *                pair, with a verdict.
 *
 * They are stat tap tables, so tshark prints them and Wireshark lists them
 * in its Telephony menu.  Rows are kept in the order the allocations and
 * pairs first appear, and the cells of a row are rewritten from its state
 * whenever a packet changes it; a list in a cell names its first entries
 * and counts the rest, so a packet costs the same however long the lists.
 * The allocations themselves (addresses, peers, active destination,
 * channels, RFC 6062 connections and the data relayed) are those of the
 * report's own tracker (tap-msstun-alloc.c), which Media Paths shares; this
 * file adds how each allocation's requests were answered.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "tap-msstun-alloc.h"

#include <epan/tap.h>

void register_tap_listener_msstun(void);

#define ALLOCATIONS_TABLE   "MSSTUN TURN allocations"
#define CHECKS_TABLE        "MSSTUN ICE candidate pairs"

/* In the order an engineer reads them: who, what went through the relay and
 * what failed, then the bookkeeping. */
enum {
    ALLOC_CLIENT, ALLOC_SERVER, ALLOC_TRANSPORT, ALLOC_PEERS, ALLOC_ACTIVE_DEST, ALLOC_ERRORS, ALLOC_UNANSWERED,
    ALLOC_CHALLENGES, ALLOC_RELAYED, ALLOC_REFLEXIVE, ALLOC_REQUESTS, ALLOC_RETRIES, ALLOC_REFRESHES, ALLOC_LIFETIME,
    ALLOC_BANDWIDTH, ALLOC_MS_VERSION, ALLOC_FIRST, ALLOC_LAST, ALLOC_NFIELDS
};

static stat_tap_table_item alloc_fields[ALLOC_NFIELDS] = {
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Client", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Server", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Transport", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Peers", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Active Destination", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Errors", "%s" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Unanswered", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "401 Challenges", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Relayed", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Reflexive", "%s" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Requests", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Retries", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Refreshes", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Lifetime", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Bandwidth Admission", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "MS-Version", "%s" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "First Frame", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Last Frame", "%u" },
};

enum {
    PAIR_LOCAL, PAIR_REMOTE, PAIR_TRANSPORT, PAIR_USERNAME, PAIR_L_REQUESTS, PAIR_L_SUCCESS, PAIR_L_ERRORS,
    PAIR_R_REQUESTS, PAIR_R_SUCCESS, PAIR_R_ERRORS, PAIR_USE_CANDIDATE, PAIR_ROLE_CONFLICTS, PAIR_VERDICT,
    PAIR_NFIELDS
};

static stat_tap_table_item pair_fields[PAIR_NFIELDS] = {
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Local", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Remote", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Transport", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Username", "%s" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Requests L>R", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Success R>L", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Errors R>L", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Requests R>L", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Success L>R", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Errors L>R", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Use-Candidate", "%s" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Role Conflicts", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Verdict", "%s" },
};

G_STATIC_ASSERT(MSSTUN_MAX_ENDPOINTS <= 32);    /* the masks of msstun_tap_t */

/* Defined with the registration, below. */
static msstun_report_kind_t allocations_kind;
static msstun_report_kind_t checks_kind;

/* The Allocations report's own figures of an allocation: its row, and how
 * its requests were answered.  The allocation itself (addresses, peers,
 * data) is the tracker's (tap-msstun-alloc.c). */
typedef struct {
    unsigned    row;
    unsigned    requests;
    unsigned    retries;
    GHashTable *pending;        /* transaction IDs of requests not answered yet */
    unsigned    challenges;
    GArray     *errors;         /* unsigned pairs: code, count; bounded by the codes there are */
    unsigned    refreshes;
    unsigned    sad_ok;
    unsigned    sad_errors;
    GArray     *sad_error_codes;    /* unsigned, the first MSSTUN_REPORT_SHOWN */
    unsigned    bwm_requests[3];
    unsigned    bwm_site_responses;
    unsigned    bwm_site_valid;
} alloc_row_t;

typedef struct {
    unsigned    row;
    char       *local;          /* the side that sent the first check */
    char       *remote;
    unsigned    requests[2];    /* [0] local to remote, [1] remote to local */
    unsigned    successes[2];   /* answers to the requests of that direction */
    unsigned    errors[2];
    bool        use_candidate;
    unsigned    role_conflicts;
} pair_t;

/* The state of one report: its allocations or its pairs. */
typedef struct {
    msstun_report_t *report;
    GHashTable      *entries;   /* pairs: key string -> pair_t */
    msstun_alloc_tracker_t *allocs;     /* allocations: report_data is an alloc_row_t */
} table_state_t;

static const char *
transport_name(const msstun_tap_t *rec)
{
    if (rec->depth > 0)
        return rec->over_tcp ? "TURN/TCP" : "TURN/UDP";
    return rec->over_tcp ? "TCP" : "UDP";
}

/*
 * Allocations
 */

static void
free_alloc_row(gpointer data)
{
    alloc_row_t *row = (alloc_row_t *)data;

    g_hash_table_destroy(row->pending);
    g_array_free(row->errors, true);
    g_array_free(row->sad_error_codes, true);
    g_free(row);
}

static alloc_row_t *
alloc_row(msstun_report_t *report, msstun_alloc_t *alloc, const packet_info *pinfo)
{
    alloc_row_t *row = (alloc_row_t *)alloc->report_data;

    if (row)
        return row;
    row = g_new0(alloc_row_t, 1);
    row->row = msstun_report_add_row(report);
    row->errors = g_array_new(false, false, sizeof(unsigned));
    row->pending = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
    row->sad_error_codes = g_array_new(false, false, sizeof(unsigned));
    alloc->report_data = row;
    msstun_report_set_string(report, row->row, ALLOC_CLIENT, g_strdup(alloc->client));
    msstun_report_set_string(report, row->row, ALLOC_SERVER, g_strdup(alloc->server));
    msstun_report_set_string(report, row->row, ALLOC_TRANSPORT, g_strdup(alloc->over_tcp ? "TCP" : "UDP"));
    msstun_report_set_uint(report, row->row, ALLOC_FIRST, pinfo->num);
    return row;
}

static void
count_error(GArray *errors, unsigned code)
{
    for (unsigned i = 0; i + 1 < errors->len; i += 2) {
        if (g_array_index(errors, unsigned, i) == code) {
            g_array_index(errors, unsigned, i + 1)++;
            return;
        }
    }
    g_array_append_val(errors, code);
    code = 1;
    g_array_append_val(errors, code);
}

static void
append_traffic(GString *str, const msstun_peer_traffic_t *t)
{
    const msstun_traffic_t *c = &t->client_leg;
    const msstun_traffic_t *r = &t->relay_leg;

    g_string_append_printf(str, " sent %u/%uB received %u/%uB", c->tx_packets, c->tx_bytes, c->rx_packets,
                           c->rx_bytes);
    if (r->tx_packets || r->rx_packets)
        g_string_append_printf(str, " (relay leg sent %u/%uB received %u/%uB)", r->tx_packets, r->tx_bytes,
                               r->rx_packets, r->rx_bytes);
}

static void
subtract_traffic(msstun_traffic_t *from, const msstun_traffic_t *t)
{
    from->tx_packets -= t->tx_packets;
    from->tx_bytes -= t->tx_bytes;
    from->rx_packets -= t->rx_packets;
    from->rx_bytes -= t->rx_bytes;
}

static void
draw_allocation(msstun_report_t *report, const msstun_alloc_t *alloc)
{
    const alloc_row_t *row = (const alloc_row_t *)alloc->report_data;
    GString *str;
    msstun_peer_traffic_t others = alloc->all_peers;
    unsigned npeers = g_hash_table_size(alloc->peers);
    static const char *acm_names[3] = { "Check", "Commit", "Update" };

    msstun_report_set_uint(report, row->row, ALLOC_REQUESTS, row->requests);
    msstun_report_set_uint(report, row->row, ALLOC_RETRIES, row->retries);
    msstun_report_set_uint(report, row->row, ALLOC_UNANSWERED, g_hash_table_size(row->pending));
    msstun_report_set_uint(report, row->row, ALLOC_CHALLENGES, row->challenges);
    msstun_report_set_uint(report, row->row, ALLOC_REFRESHES, row->refreshes);

    str = g_string_new(NULL);
    for (unsigned i = 0; i + 1 < row->errors->len && i < 2 * MSSTUN_REPORT_SHOWN; i += 2)
        g_string_append_printf(str, "%s%u x%u", i ? ", " : "", g_array_index(row->errors, unsigned, i),
                               g_array_index(row->errors, unsigned, i + 1));
    if (row->errors->len > 2 * MSSTUN_REPORT_SHOWN)
        g_string_append_printf(str, " and %u more codes", row->errors->len / 2 - MSSTUN_REPORT_SHOWN);
    msstun_report_set_string(report, row->row, ALLOC_ERRORS, g_string_free(str, false));

    msstun_report_set_string(report, row->row, ALLOC_RELAYED, msstun_strset_join(&alloc->relayed, ", "));
    msstun_report_set_string(report, row->row, ALLOC_REFLEXIVE, g_strdup(alloc->reflexive ? alloc->reflexive : ""));

    str = g_string_new(NULL);
    for (unsigned i = 0; i < alloc->shown_peers->len; i++) {
        const char *name = (const char *)g_ptr_array_index(alloc->shown_peers, i);
        const msstun_peer_traffic_t *t = (const msstun_peer_traffic_t *)g_hash_table_lookup(alloc->peers, name);

        g_string_append_printf(str, "%s%s", i ? ", " : "", name);
        append_traffic(str, t);
        subtract_traffic(&others.client_leg, &t->client_leg);
        subtract_traffic(&others.relay_leg, &t->relay_leg);
    }
    if (npeers > alloc->shown_peers->len || alloc->more_peers) {
        g_string_append_printf(str, " and %u more peers", npeers - alloc->shown_peers->len);
        if (alloc->more_peers)
            g_string_append_printf(str, " and more (over %u)", MSSTUN_ALLOC_MAX_PEERS);
        append_traffic(str, &others);
    }
    if (alloc->more_connects)
        g_string_append_printf(str, "; Connect requests past %u pending not followed", MSSTUN_ALLOC_MAX_CONNECTS);
    if (alloc->more_connections)
        g_string_append_printf(str, "; RFC 6062 connections past %u not tied to this allocation",
                               MSSTUN_ALLOC_MAX_CONNECTIONS);
    msstun_report_set_string(report, row->row, ALLOC_PEERS, g_string_free(str, false));

    /* The destination the last successful Set Active Destination chose,
     * then how those requests were answered. */
    str = g_string_new(NULL);
    if (row->sad_ok || row->sad_errors) {
        g_string_append_printf(str, "%s (%u ok, %u error", alloc->active_dest ? alloc->active_dest : "none",
                               row->sad_ok, row->sad_errors);
        for (unsigned i = 0; i < row->sad_error_codes->len; i++)
            g_string_append_printf(str, "%s%u", i ? "," : " ", g_array_index(row->sad_error_codes, unsigned, i));
        if (row->sad_errors > row->sad_error_codes->len)
            g_string_append_printf(str, " and %u more", row->sad_errors - row->sad_error_codes->len);
        g_string_append_c(str, ')');
    }
    msstun_report_set_string(report, row->row, ALLOC_ACTIVE_DEST, g_string_free(str, false));

    str = g_string_new(NULL);
    for (unsigned i = 0; i < G_N_ELEMENTS(acm_names); i++) {
        if (row->bwm_requests[i])
            g_string_append_printf(str, "%s%s x%u", str->len ? ", " : "", acm_names[i], row->bwm_requests[i]);
    }
    if (row->bwm_site_responses)
        g_string_append_printf(str, "%ssite responses %u valid of %u", str->len ? ", " : "",
                               row->bwm_site_valid, row->bwm_site_responses);
    msstun_report_set_string(report, row->row, ALLOC_BANDWIDTH, g_string_free(str, false));
}

/* How a message's requests were answered: requests, retries, unanswered,
 * refreshes, errors and challenges, Set Active Destination and bandwidth
 * admission. */
static void
account_answers(alloc_row_t *row, const msstun_alloc_t *alloc, const msstun_tap_t *rec)
{
    /* Requests wait for their response; the MS-TURN Send request has none. */
    if (rec->cls == MSSTUN_CLASS_REQUEST && rec->method != MSSTUN_METHOD_MS_SEND)
        g_hash_table_add(row->pending, g_bytes_new(rec->transaction_id, sizeof(rec->transaction_id)));
    else if (rec->cls == MSSTUN_CLASS_SUCCESS || rec->cls == MSSTUN_CLASS_ERROR) {
        GBytes *id = g_bytes_new(rec->transaction_id, sizeof(rec->transaction_id));

        g_hash_table_remove(row->pending, id);
        g_bytes_unref(id);
    }
    if (rec->cls == MSSTUN_CLASS_REQUEST) {
        if (rec->retransmission) {
            row->retries++;
        } else {
            row->requests++;
            /* MS-TURN refreshes with Allocate (MS-TURN 3.2.5.x), RFC TURN with
             * Refresh.  A request leaves the tracker's "allocated" as it was. */
            if (rec->method == MSSTUN_METHOD_REFRESH || (rec->method == MSSTUN_METHOD_ALLOCATE && alloc->allocated))
                row->refreshes++;
            if (rec->bwm_acm >= 0 && rec->bwm_acm < 3)
                row->bwm_requests[rec->bwm_acm]++;
        }
    }
    if (rec->retransmission)
        return;
    if (rec->method == MSSTUN_METHOD_MS_SET_ACTIVE_DEST && rec->cls == MSSTUN_CLASS_SUCCESS) {
        row->sad_ok++;
    } else if (rec->method == MSSTUN_METHOD_MS_SET_ACTIVE_DEST && rec->cls == MSSTUN_CLASS_ERROR) {
        row->sad_errors++;
        if (row->sad_error_codes->len < MSSTUN_REPORT_SHOWN)
            g_array_append_val(row->sad_error_codes, rec->error_code);
    }
    if (rec->cls == MSSTUN_CLASS_ERROR && rec->error_code != 0) {
        /* A 401 to an Allocate is the credential challenge, not a failure. */
        if (rec->error_code == 401 && rec->method == MSSTUN_METHOD_ALLOCATE)
            row->challenges++;
        else
            count_error(row->errors, rec->error_code);
    }
    if (rec->cls == MSSTUN_CLASS_SUCCESS) {
        row->bwm_site_responses += rec->bwm_site_responses;
        row->bwm_site_valid += rec->bwm_site_valid;
    }
}

/* Whether the listener has a report yet: one without has no allocation
 * that data could go through. */
static bool
has_allocations_report(const void *tapdata)
{
    return ((const stat_data_t *)tapdata)->stat_tap_data != allocations_kind.registered;
}

static tap_packet_status
allocations_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
                   tap_flags_t flags _U_)
{
    const msstun_tap_t *rec = (const msstun_tap_t *)data;
    msstun_alloc_what_t may_be = msstun_alloc_kind_of(rec);
    msstun_report_t *report;
    msstun_alloc_t *alloc;
    msstun_alloc_t *far_end;
    alloc_row_t *row;
    bool from_client;

    if (may_be == MSSTUN_ALLOC_NONE || (may_be == MSSTUN_ALLOC_DATA && !has_allocations_report(tapdata)))
        return TAP_PACKET_DONT_REDRAW;
    report = msstun_report_of(&allocations_kind, tapdata);
    if (msstun_alloc_track(((table_state_t *)report->state)->allocs, pinfo, rec, &alloc, &from_client) ==
        MSSTUN_ALLOC_NONE)
        return TAP_PACKET_DONT_REDRAW;
    far_end = msstun_alloc_far_end(((table_state_t *)report->state)->allocs);
    if (far_end) {
        msstun_report_set_uint(report, alloc_row(report, far_end, pinfo)->row, ALLOC_LAST, pinfo->num);
        draw_allocation(report, far_end);
    }
    row = alloc_row(report, alloc, pinfo);
    msstun_report_set_uint(report, row->row, ALLOC_LAST, pinfo->num);
    if (may_be == MSSTUN_ALLOC_MESSAGE) {
        account_answers(row, alloc, rec);
        if (rec->ms_version)
            msstun_report_set_string(report, row->row, ALLOC_MS_VERSION, g_strdup_printf("%u", rec->ms_version));
        if (rec->has_lifetime && rec->cls == MSSTUN_CLASS_SUCCESS)
            msstun_report_set_string(report, row->row, ALLOC_LIFETIME, g_strdup_printf("%u", rec->lifetime));
    }
    draw_allocation(report, alloc);
    return TAP_PACKET_REDRAW;
}

/*
 * ICE candidate pairs
 */

static void
free_pair(gpointer data)
{
    pair_t *pair = (pair_t *)data;

    g_free(pair->local);
    g_free(pair->remote);
    g_free(pair);
}

/* "Valid" only when a Binding request and a success response were seen in
 * both directions; otherwise what is missing. */
static char *
pair_verdict(const pair_t *pair)
{
    GString *str;

    if (pair->successes[0] && pair->successes[1])
        return g_strdup("valid");
    str = g_string_new(NULL);
    for (unsigned dir = 0; dir < 2; dir++) {
        const char *from = dir == 0 ? "local" : "remote";

        if (pair->successes[dir])
            continue;
        if (str->len)
            g_string_append(str, "; ");
        if (pair->requests[dir] == 0)
            g_string_append_printf(str, "no check from %s", from);
        else if (pair->errors[dir])
            g_string_append_printf(str, "checks from %s answered with errors only", from);
        else
            g_string_append_printf(str, "checks from %s never answered", from);
    }
    return g_string_free(str, false);
}

static tap_packet_status
checks_packet(void *tapdata, packet_info *pinfo _U_, epan_dissect_t *edt _U_, const void *data,
              tap_flags_t flags _U_)
{
    const msstun_tap_t *rec = (const msstun_tap_t *)data;
    const char *transport = transport_name(rec);
    msstun_report_t *report;
    GHashTable *pairs;
    char *src;
    char *dst;
    pair_t *pair;
    unsigned dir;
    bool forward;

    if (rec->note || rec->is_channeldata || rec->method != MSSTUN_METHOD_BINDING ||
        rec->cls == MSSTUN_CLASS_INDICATION || rec->retransmission)
        return TAP_PACKET_DONT_REDRAW;
    report = msstun_report_of(&checks_kind, tapdata);
    pairs = ((table_state_t *)report->state)->entries;

    src = msstun_transport_address(&rec->src, rec->src_port);
    dst = msstun_transport_address(&rec->dst, rec->dst_port);
    pair = (pair_t *)msstun_report_lookup_either_way(pairs, src, dst, transport, &forward);
    /* A pair starts with a connectivity check: a Binding request carrying
     * USERNAME or ICE attributes (not a plain NAT-discovery Binding). */
    if (!pair && rec->cls == MSSTUN_CLASS_REQUEST && (rec->username || rec->use_candidate)) {
        pair = g_new0(pair_t, 1);
        pair->row = msstun_report_add_row(report);
        pair->local = g_strdup(src);
        pair->remote = g_strdup(dst);
        g_hash_table_insert(pairs, msstun_report_pair_key(src, dst, transport), pair);
        msstun_report_set_string(report, pair->row, PAIR_LOCAL, g_strdup(pair->local));
        msstun_report_set_string(report, pair->row, PAIR_REMOTE, g_strdup(pair->remote));
        msstun_report_set_string(report, pair->row, PAIR_TRANSPORT, g_strdup(transport));
        msstun_report_set_string(report, pair->row, PAIR_USERNAME, g_strdup(rec->username ? rec->username : ""));
    }
    if (!pair) {
        g_free(src);
        g_free(dst);
        return TAP_PACKET_DONT_REDRAW;
    }

    if (rec->cls == MSSTUN_CLASS_REQUEST) {
        dir = strcmp(src, pair->local) == 0 ? 0 : 1;
        pair->requests[dir]++;
        if (rec->use_candidate)
            pair->use_candidate = true;
    } else {
        /* A response answers the requests of the other side. */
        dir = strcmp(src, pair->remote) == 0 ? 0 : 1;
        if (rec->cls == MSSTUN_CLASS_SUCCESS) {
            pair->successes[dir]++;
        } else {
            pair->errors[dir]++;
            if (rec->error_code == 487)
                pair->role_conflicts++;
        }
    }
    g_free(src);
    g_free(dst);

    msstun_report_set_uint(report, pair->row, PAIR_L_REQUESTS, pair->requests[0]);
    msstun_report_set_uint(report, pair->row, PAIR_L_SUCCESS, pair->successes[0]);
    msstun_report_set_uint(report, pair->row, PAIR_L_ERRORS, pair->errors[0]);
    msstun_report_set_uint(report, pair->row, PAIR_R_REQUESTS, pair->requests[1]);
    msstun_report_set_uint(report, pair->row, PAIR_R_SUCCESS, pair->successes[1]);
    msstun_report_set_uint(report, pair->row, PAIR_R_ERRORS, pair->errors[1]);
    msstun_report_set_string(report, pair->row, PAIR_USE_CANDIDATE, g_strdup(pair->use_candidate ? "yes" : "no"));
    msstun_report_set_uint(report, pair->row, PAIR_ROLE_CONFLICTS, pair->role_conflicts);
    msstun_report_set_string(report, pair->row, PAIR_VERDICT, pair_verdict(pair));
    return TAP_PACKET_REDRAW;
}

/*
 * Registration
 */

/* Pairs in entries, or allocations in a tracker of their own. */
static table_state_t *
new_table_state(msstun_report_t *report, bool allocations)
{
    table_state_t *state = g_new0(table_state_t, 1);

    state->report = report;
    state->entries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_pair);
    if (allocations)
        state->allocs = msstun_alloc_tracker_new(free_alloc_row);
    return state;
}

static void *
new_allocations_state(msstun_report_t *report)
{
    return new_table_state(report, true);
}

static void *
new_checks_state(msstun_report_t *report)
{
    return new_table_state(report, false);
}

static void
free_table_state(void *data)
{
    table_state_t *state = (table_state_t *)data;

    if (state->allocs)
        msstun_alloc_tracker_free(state->allocs);
    g_hash_table_destroy(state->entries);
    g_free(state);
}

static void
reset_table_state(void *data)
{
    table_state_t *state = (table_state_t *)data;

    if (state->allocs)
        msstun_alloc_tracker_reset(state->allocs);
    g_hash_table_remove_all(state->entries);
}

static tap_param filter_param[] = {
    { PARAM_FILTER, "filter", "Filter", NULL, true }
};

MSSTUN_REPORT_CALLBACKS(allocations, allocations_kind)
MSSTUN_REPORT_CALLBACKS(checks, checks_kind)

static stat_tap_table_ui allocations_ui = {
    MSSTUN_TELEPHONY_GROUP,
    "MSSTUN TURN Allocations",
    "msstun",
    "msstun,allocations",
    allocations_init,
    allocations_packet,
    allocations_reset,
    allocations_free_item,
    NULL,
    G_N_ELEMENTS(alloc_fields), alloc_fields,
    G_N_ELEMENTS(filter_param), filter_param,
    NULL,
    0
};

static stat_tap_table_ui checks_ui = {
    MSSTUN_TELEPHONY_GROUP,
    "MSSTUN ICE Checks",
    "msstun",
    "msstun,checks",
    checks_init,
    checks_packet,
    checks_reset,
    checks_free_item,
    NULL,
    G_N_ELEMENTS(pair_fields), pair_fields,
    G_N_ELEMENTS(filter_param), filter_param,
    NULL,
    0
};

static msstun_report_kind_t allocations_kind = {
    &allocations_ui, ALLOCATIONS_TABLE,
    "(none: no TURN allocation message passed the filter; TURN on ports other than UDP 3478 and TCP 443 "
    "needs --enable-heuristic msstun_udp or msstun_tcp, or Decode As MSSTUN)",
    false, new_allocations_state, NULL, free_table_state, reset_table_state, NULL, 0
};

static msstun_report_kind_t checks_kind = {
    &checks_ui, CHECKS_TABLE,
    "(none: no ICE connectivity check (Binding request with USERNAME) passed the filter; checks on ports "
    "other than UDP 3478 and TCP 443 need --enable-heuristic msstun_udp or msstun_tcp, or Decode As MSSTUN)",
    false, new_checks_state, NULL, free_table_state, reset_table_state, NULL, 0
};

void
register_tap_listener_msstun(void)
{
    register_stat_tap_table_ui(&allocations_ui);
    register_stat_tap_table_ui(&checks_ui);
}
