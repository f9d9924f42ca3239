/* tap-msstun.c
 * Troubleshooting reports fed by the "msstun" tap:
 *
 *   Allocations  (tshark -z msstun,allocations[,filter]): one row per TURN
 *                client, server and transport;
 *   ICE checks   (tshark -z msstun,checks[,filter]): one row per candidate
 *                pair, with a verdict.
 *
 * They are stat tap tables, so tshark prints them and Wireshark lists them
 * in its Statistics menu.  Rows are kept in the order the allocations and
 * pairs first appear, and every cell is rewritten from the accumulated state
 * whenever a packet changes it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "packet-msstun.h"

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <epan/to_str.h>

void register_tap_listener_msstun(void);

#define ALLOCATIONS_TABLE   "MSSTUN TURN allocations"
#define CHECKS_TABLE        "MSSTUN ICE candidate pairs"

/* Dialects whose MAPPED-ADDRESS is the relayed address (MS-TURN 3.2.5.1):
 * MS-TURN, legacy MS-TURN and the cookie-less TURN-08 numbering. */
#define DIALECT_MS_TURN_FIRST       3

/* Columns of the widest table. */
#define MAX_FIELDS                  18

enum {
    ALLOC_CLIENT, ALLOC_SERVER, ALLOC_TRANSPORT, ALLOC_FIRST, ALLOC_LAST, ALLOC_REQUESTS, ALLOC_RETRIES,
    ALLOC_UNANSWERED, ALLOC_CHALLENGES, ALLOC_ERRORS, ALLOC_RELAYED, ALLOC_REFLEXIVE, ALLOC_LIFETIME, ALLOC_REFRESHES,
    ALLOC_MS_VERSION, ALLOC_PEERS, ALLOC_ACTIVE_DEST, ALLOC_BANDWIDTH, ALLOC_NFIELDS
};

static stat_tap_table_item alloc_fields[ALLOC_NFIELDS] = {
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Client", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Server", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Transport", "%s" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "First Frame", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Last Frame", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Requests", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Retries", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Unanswered", "%u" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "401 Challenges", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Errors", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Relayed", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Reflexive", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Lifetime", "%s" },
    { TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Refreshes", "%u" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "MS-Version", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Peers", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Set Active Destination", "%s" },
    { TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Bandwidth Admission", "%s" },
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

typedef struct {
    unsigned tx_packets;
    unsigned tx_bytes;
    unsigned rx_packets;
    unsigned rx_bytes;
} peer_traffic_t;

typedef struct {
    unsigned    row;
    char       *client;
    unsigned    requests;
    unsigned    retries;
    GHashTable *pending;        /* transaction IDs of requests not answered yet */
    unsigned    challenges;
    GArray     *errors;         /* unsigned pairs: code, count */
    GPtrArray  *relayed;        /* char *, each once */
    char       *reflexive;
    bool        allocated;
    unsigned    refreshes;
    GPtrArray  *peer_names;     /* char *, in order of appearance */
    GHashTable *peers;          /* char * -> peer_traffic_t * */
    GHashTable *channels;       /* channel -> char * peer */
    unsigned    sad_ok;
    GArray     *sad_errors;     /* unsigned codes */
    unsigned    bwm_requests[3];
    unsigned    bwm_site_responses;
    unsigned    bwm_site_valid;
} allocation_t;

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

/* One report (one -z argument, one dialog).  tshark and Wireshark hand
 * every listener of a table report the stat_tap_table_ui that was
 * registered, tables included, so two reports at once (two -z arguments
 * with different filters) would count into the same rows.  Each listener
 * gets its own report on its first packet instead: a copy of the
 * registered UI with a table of its own, and the allocations or pairs
 * behind its rows.  The listener's stat_data_t is pointed at the copy,
 * which is what tshark prints and Wireshark shows. */
typedef struct {
    stat_tap_table_ui ui;
    GHashTable       *entries;  /* key string -> allocation_t or pair_t */
} report_t;

static GPtrArray *reports;      /* every report_t made */

static char *
transport_address(const address *addr, uint32_t port)
{
    char *addr_str = address_to_str(NULL, addr);
    char *str = g_strdup_printf(addr->type == AT_IPv6 ? "[%s]:%u" : "%s:%u", addr_str, port);

    wmem_free(NULL, addr_str);
    return str;
}

static const char *
transport_name(const msstun_tap_t *rec)
{
    if (rec->depth > 0)
        return rec->over_tcp ? "TURN/TCP" : "TURN/UDP";
    return rec->over_tcp ? "TCP" : "UDP";
}

static char *
make_key(const char *a, const char *b, const char *transport)
{
    return g_strdup_printf("%s %s %s", a, b, transport);
}

/* Looks an allocation or pair up as a -> b, then as b -> a; *forward tells
 * which one matched. */
static void *
lookup_either_way(GHashTable *table, const char *a, const char *b, const char *transport, bool *forward)
{
    char *key = make_key(a, b, transport);
    void *value = g_hash_table_lookup(table, key);

    g_free(key);
    *forward = value != NULL;
    if (!value) {
        key = make_key(b, a, transport);
        value = g_hash_table_lookup(table, key);
        g_free(key);
    }
    return value;
}

/*
 * Table cells
 */

static void
set_string(stat_tap_table *table, unsigned row, unsigned column, char *owned)
{
    stat_tap_table_item_type *item = stat_tap_get_field_data(table, row, column);

    g_free((char *)item->value.string_value);
    item->value.string_value = owned;
}

static void
set_uint(stat_tap_table *table, unsigned row, unsigned column, unsigned value)
{
    stat_tap_get_field_data(table, row, column)->value.uint_value = value;
}

static unsigned
add_row(stat_tap_table *table, const stat_tap_table_item *fields, unsigned nfields)
{
    /* Both tables fit. */
    G_STATIC_ASSERT((unsigned)ALLOC_NFIELDS <= MAX_FIELDS && (unsigned)PAIR_NFIELDS <= MAX_FIELDS);
    stat_tap_table_item_type items[MAX_FIELDS];
    unsigned row = table->num_elements;

    memset(items, 0, sizeof(items));
    for (unsigned i = 0; i < nfields; i++) {
        items[i].type = fields[i].type;
        if (fields[i].type == TABLE_ITEM_STRING)
            items[i].value.string_value = g_strdup("");
    }
    stat_tap_init_table_row(table, row, nfields, items);
    return row;
}

static void
free_table_item(stat_tap_table *table _U_, guint row _U_, guint column _U_, stat_tap_table_item_type *field_data)
{
    if (field_data->type == TABLE_ITEM_STRING) {
        g_free((char *)field_data->value.string_value);
        field_data->value.string_value = NULL;
    }
}

static void
clear_rows(stat_tap_table *table, const stat_tap_table_item *fields, unsigned nfields)
{
    for (unsigned row = 0; row < table->num_elements; row++) {
        for (unsigned column = 0; column < nfields; column++) {
            if (fields[column].type == TABLE_ITEM_STRING)
                free_table_item(table, row, column, stat_tap_get_field_data(table, row, column));
        }
        g_free(table->elements[row]);
    }
    g_free(table->elements);
    table->elements = NULL;
    table->num_elements = 0;
}

/*
 * Reports
 */

static report_t *
find_report(const stat_tap_table_ui *ui)
{
    for (unsigned i = 0; reports && i < reports->len; i++) {
        report_t *report = (report_t *)g_ptr_array_index(reports, i);

        if (&report->ui == ui)
            return report;
    }
    return NULL;
}

static stat_tap_table *
report_table(const report_t *report)
{
    return g_array_index(report->ui.tables, stat_tap_table *, 0);
}

/* The report of the listener whose tap data this is, made on its first packet. */
static report_t *
listener_report(stat_data_t *stat_data, const char *name, unsigned nfields, GDestroyNotify free_entry)
{
    report_t *report = find_report(stat_data->stat_tap_data);

    if (report)
        return report;
    report = g_new0(report_t, 1);
    report->ui = *stat_data->stat_tap_data;
    report->ui.tables = NULL;
    stat_tap_add_table(&report->ui, stat_tap_init_table(name, nfields, 0, NULL));
    report->entries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_entry);
    if (!reports)
        reports = g_ptr_array_new();
    g_ptr_array_add(reports, report);
    stat_data->stat_tap_data = &report->ui;
    return report;
}

/*
 * Allocations
 */

static void
free_allocation(gpointer data)
{
    allocation_t *alloc = (allocation_t *)data;

    g_free(alloc->client);
    g_hash_table_destroy(alloc->pending);
    g_array_free(alloc->errors, true);
    g_ptr_array_free(alloc->relayed, true);
    g_free(alloc->reflexive);
    g_ptr_array_free(alloc->peer_names, true);
    g_hash_table_destroy(alloc->peers);
    g_hash_table_destroy(alloc->channels);
    g_array_free(alloc->sad_errors, true);
    g_free(alloc);
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

/* Requests and the Send indication go from the client to the server;
 * responses, Data and ConnectionAttempt indications the other way. */
static bool
sent_by_client(const msstun_tap_t *rec)
{
    return rec->cls == MSSTUN_CLASS_REQUEST || (rec->cls == MSSTUN_CLASS_INDICATION && rec->method == MSSTUN_METHOD_SEND);
}

/* Adds owned to list unless an equal string is there (then frees it). */
void
msstun_add_unique(GPtrArray *list, char *owned)
{
    for (unsigned i = 0; i < list->len; i++) {
        if (strcmp((const char *)g_ptr_array_index(list, i), owned) == 0) {
            g_free(owned);
            return;
        }
    }
    g_ptr_array_add(list, owned);
}

static peer_traffic_t *
peer_traffic(allocation_t *alloc, char *owned_name)
{
    peer_traffic_t *traffic = (peer_traffic_t *)g_hash_table_lookup(alloc->peers, owned_name);

    if (traffic) {
        g_free(owned_name);
        return traffic;
    }
    traffic = g_new0(peer_traffic_t, 1);
    g_ptr_array_add(alloc->peer_names, owned_name);
    g_hash_table_insert(alloc->peers, owned_name, traffic);
    return traffic;
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

/* The strings of list, separated by sep, in a new string. */
char *
msstun_join_strings(GPtrArray *list, const char *sep)
{
    GString *str = g_string_new(NULL);

    for (unsigned i = 0; i < list->len; i++)
        g_string_append_printf(str, "%s%s", i ? sep : "", (const char *)g_ptr_array_index(list, i));
    return g_string_free(str, false);
}

static void
draw_allocation(stat_tap_table *table, const allocation_t *alloc)
{
    GString *str;
    static const char *acm_names[3] = { "Check", "Commit", "Update" };

    set_uint(table, alloc->row, ALLOC_REQUESTS, alloc->requests);
    set_uint(table, alloc->row, ALLOC_RETRIES, alloc->retries);
    set_uint(table, alloc->row, ALLOC_UNANSWERED, g_hash_table_size(alloc->pending));
    set_uint(table, alloc->row, ALLOC_CHALLENGES, alloc->challenges);
    set_uint(table, alloc->row, ALLOC_REFRESHES, alloc->refreshes);

    str = g_string_new(NULL);
    for (unsigned i = 0; i + 1 < alloc->errors->len; i += 2)
        g_string_append_printf(str, "%s%u x%u", i ? ", " : "", g_array_index(alloc->errors, unsigned, i),
                               g_array_index(alloc->errors, unsigned, i + 1));
    set_string(table, alloc->row, ALLOC_ERRORS, g_string_free(str, false));

    set_string(table, alloc->row, ALLOC_RELAYED, msstun_join_strings(alloc->relayed, ", "));
    set_string(table, alloc->row, ALLOC_REFLEXIVE, g_strdup(alloc->reflexive ? alloc->reflexive : ""));

    str = g_string_new(NULL);
    for (unsigned i = 0; i < alloc->peer_names->len; i++) {
        const char *name = (const char *)g_ptr_array_index(alloc->peer_names, i);
        const peer_traffic_t *t = (const peer_traffic_t *)g_hash_table_lookup(alloc->peers, name);

        g_string_append_printf(str, "%s%s sent %u/%uB received %u/%uB", i ? ", " : "", name,
                               t->tx_packets, t->tx_bytes, t->rx_packets, t->rx_bytes);
    }
    set_string(table, alloc->row, ALLOC_PEERS, g_string_free(str, false));

    str = g_string_new(NULL);
    if (alloc->sad_ok || alloc->sad_errors->len) {
        g_string_append_printf(str, "%u ok, %u error", alloc->sad_ok, alloc->sad_errors->len);
        for (unsigned i = 0; i < alloc->sad_errors->len; i++)
            g_string_append_printf(str, "%s%u", i ? "," : " ", g_array_index(alloc->sad_errors, unsigned, i));
    }
    set_string(table, alloc->row, ALLOC_ACTIVE_DEST, g_string_free(str, false));

    str = g_string_new(NULL);
    for (unsigned i = 0; i < G_N_ELEMENTS(acm_names); i++) {
        if (alloc->bwm_requests[i])
            g_string_append_printf(str, "%s%s x%u", str->len ? ", " : "", acm_names[i], alloc->bwm_requests[i]);
    }
    if (alloc->bwm_site_responses)
        g_string_append_printf(str, "%ssite responses %u valid of %u", str->len ? ", " : "",
                               alloc->bwm_site_valid, alloc->bwm_site_responses);
    set_string(table, alloc->row, ALLOC_BANDWIDTH, g_string_free(str, false));
}

static allocation_t *
find_allocation(report_t *report, packet_info *pinfo, const msstun_tap_t *rec, bool *from_client)
{
    GHashTable *allocations = report->entries;
    stat_tap_table *table = report_table(report);
    char *src = transport_address(&rec->src, rec->src_port);
    char *dst = transport_address(&rec->dst, rec->dst_port);
    const char *transport = transport_name(rec);
    char *key;
    allocation_t *alloc;

    if (rec->is_channeldata) {
        /* Either direction of a known allocation. */
        alloc = (allocation_t *)lookup_either_way(allocations, src, dst, transport, from_client);
        g_free(src);
        g_free(dst);
        return alloc;
    }

    *from_client = sent_by_client(rec);
    key = *from_client ? make_key(src, dst, transport) : make_key(dst, src, transport);
    alloc = (allocation_t *)g_hash_table_lookup(allocations, key);
    if (!alloc) {
        alloc = g_new0(allocation_t, 1);
        alloc->row = add_row(table, alloc_fields, ALLOC_NFIELDS);
        alloc->client = g_strdup(*from_client ? src : dst);
        alloc->errors = g_array_new(false, false, sizeof(unsigned));
        alloc->pending = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
        alloc->relayed = g_ptr_array_new_with_free_func(g_free);
        alloc->peer_names = g_ptr_array_new();
        alloc->peers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        alloc->channels = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
        alloc->sad_errors = g_array_new(false, false, sizeof(unsigned));
        g_hash_table_insert(allocations, key, alloc);
        set_string(table, alloc->row, ALLOC_CLIENT, g_strdup(alloc->client));
        set_string(table, alloc->row, ALLOC_SERVER, g_strdup(*from_client ? dst : src));
        set_string(table, alloc->row, ALLOC_TRANSPORT, g_strdup(transport));
        set_uint(table, alloc->row, ALLOC_FIRST, pinfo->num);
    } else {
        g_free(key);
    }
    g_free(src);
    g_free(dst);
    return alloc;
}

static void
account_peers(allocation_t *alloc, const msstun_tap_t *rec, bool from_client)
{
    for (unsigned i = 0; i < rec->n_endpoints; i++) {
        const msstun_endpoint_t *ep = &rec->endpoints[i];
        peer_traffic_t *traffic;

        if (ep->role != MSSTUN_ROLE_DESTINATION && ep->role != MSSTUN_ROLE_REMOTE && ep->role != MSSTUN_ROLE_XOR_PEER)
            continue;
        traffic = peer_traffic(alloc, transport_address(&ep->addr, ep->port));
        if (rec->method == MSSTUN_METHOD_CHANNEL_BIND && rec->cls == MSSTUN_CLASS_REQUEST && rec->channel != 0)
            g_hash_table_insert(alloc->channels, GUINT_TO_POINTER(rec->channel),
                                transport_address(&ep->addr, ep->port));
        if (rec->data_length == 0)
            continue;
        if (from_client) {
            traffic->tx_packets++;
            traffic->tx_bytes += rec->data_length;
        } else {
            traffic->rx_packets++;
            traffic->rx_bytes += rec->data_length;
        }
    }
}

static void
account_allocation_result(allocation_t *alloc, const msstun_tap_t *rec)
{
    bool ms_turn = rec->dialect >= DIALECT_MS_TURN_FIRST;

    if (rec->method == MSSTUN_METHOD_MS_SET_ACTIVE_DEST) {
        if (rec->cls == MSSTUN_CLASS_SUCCESS)
            alloc->sad_ok++;
        else if (rec->cls == MSSTUN_CLASS_ERROR)
            g_array_append_val(alloc->sad_errors, rec->error_code);
    }
    if (rec->cls == MSSTUN_CLASS_ERROR && rec->error_code != 0) {
        /* A 401 to an Allocate is the credential challenge, not a failure. */
        if (rec->error_code == 401 && rec->method == MSSTUN_METHOD_ALLOCATE)
            alloc->challenges++;
        else
            count_error(alloc->errors, rec->error_code);
    }
    if (rec->cls != MSSTUN_CLASS_SUCCESS)
        return;
    alloc->bwm_site_responses += rec->bwm_site_responses;
    alloc->bwm_site_valid += rec->bwm_site_valid;
    if (rec->method != MSSTUN_METHOD_ALLOCATE && rec->method != MSSTUN_METHOD_REFRESH)
        return;
    if (rec->method == MSSTUN_METHOD_ALLOCATE)
        alloc->allocated = true;
    for (unsigned i = 0; i < rec->n_endpoints; i++) {
        const msstun_endpoint_t *ep = &rec->endpoints[i];

        if ((ep->role == MSSTUN_ROLE_MAPPED && ms_turn) || ep->role == MSSTUN_ROLE_MS_ALT_MAPPED ||
            ep->role == MSSTUN_ROLE_XOR_RELAYED) {
            msstun_add_unique(alloc->relayed, transport_address(&ep->addr, ep->port));
        } else if (ep->role == MSSTUN_ROLE_MS_XOR_MAPPED || ep->role == MSSTUN_ROLE_XOR_MAPPED) {
            g_free(alloc->reflexive);
            alloc->reflexive = transport_address(&ep->addr, ep->port);
        }
    }
}

static tap_packet_status
allocations_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_, const void *data,
                   tap_flags_t flags _U_)
{
    const msstun_tap_t *rec = (const msstun_tap_t *)data;
    report_t *report;
    stat_tap_table *table;
    allocation_t *alloc;
    bool from_client;

    if (rec->depth > 0 || (!rec->is_channeldata && !is_allocation_method(rec->method)))
        return TAP_PACKET_DONT_REDRAW;
    report = listener_report((stat_data_t *)tapdata, ALLOCATIONS_TABLE, ALLOC_NFIELDS, free_allocation);
    table = report_table(report);
    alloc = find_allocation(report, pinfo, rec, &from_client);
    if (!alloc)
        return TAP_PACKET_DONT_REDRAW;
    set_uint(table, alloc->row, ALLOC_LAST, pinfo->num);

    if (rec->is_channeldata) {
        const char *peer = (const char *)g_hash_table_lookup(alloc->channels, GUINT_TO_POINTER(rec->channel));
        char *name = peer ? g_strdup(peer) : g_strdup_printf("channel 0x%04x", rec->channel);
        peer_traffic_t *traffic = peer_traffic(alloc, name);

        if (from_client) {
            traffic->tx_packets++;
            traffic->tx_bytes += rec->data_length;
        } else {
            traffic->rx_packets++;
            traffic->rx_bytes += rec->data_length;
        }
        draw_allocation(table, alloc);
        return TAP_PACKET_REDRAW;
    }

    /* Requests wait for their response; the MS-TURN Send request has none. */
    if (rec->cls == MSSTUN_CLASS_REQUEST && rec->method != MSSTUN_METHOD_MS_SEND)
        g_hash_table_add(alloc->pending, g_bytes_new(rec->transaction_id, sizeof(rec->transaction_id)));
    else if (rec->cls == MSSTUN_CLASS_SUCCESS || rec->cls == MSSTUN_CLASS_ERROR) {
        GBytes *id = g_bytes_new(rec->transaction_id, sizeof(rec->transaction_id));

        g_hash_table_remove(alloc->pending, id);
        g_bytes_unref(id);
    }
    if (rec->cls == MSSTUN_CLASS_REQUEST) {
        if (rec->retransmission) {
            alloc->retries++;
        } else {
            alloc->requests++;
            /* MS-TURN refreshes with Allocate (MS-TURN 3.2.5.x), RFC TURN with Refresh. */
            if (rec->method == MSSTUN_METHOD_REFRESH || (rec->method == MSSTUN_METHOD_ALLOCATE && alloc->allocated))
                alloc->refreshes++;
            if (rec->bwm_acm >= 0 && rec->bwm_acm < 3)
                alloc->bwm_requests[rec->bwm_acm]++;
        }
    }
    if (!rec->retransmission)
        account_allocation_result(alloc, rec);
    account_peers(alloc, rec, from_client);
    if (rec->ms_version)
        set_string(table, alloc->row, ALLOC_MS_VERSION, g_strdup_printf("%u", rec->ms_version));
    if (rec->has_lifetime && rec->cls == MSSTUN_CLASS_SUCCESS)
        set_string(table, alloc->row, ALLOC_LIFETIME, g_strdup_printf("%u", rec->lifetime));
    draw_allocation(table, alloc);
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
    report_t *report;
    stat_tap_table *table;
    GHashTable *pairs;
    char *src;
    char *dst;
    pair_t *pair;
    unsigned dir;
    bool forward;

    if (rec->is_channeldata || rec->method != MSSTUN_METHOD_BINDING || rec->cls == MSSTUN_CLASS_INDICATION ||
        rec->retransmission)
        return TAP_PACKET_DONT_REDRAW;
    report = listener_report((stat_data_t *)tapdata, CHECKS_TABLE, PAIR_NFIELDS, free_pair);
    table = report_table(report);
    pairs = report->entries;

    src = transport_address(&rec->src, rec->src_port);
    dst = transport_address(&rec->dst, rec->dst_port);
    pair = (pair_t *)lookup_either_way(pairs, src, dst, transport, &forward);
    /* A pair starts with a connectivity check: a Binding request carrying
     * USERNAME or ICE attributes (not a plain NAT-discovery Binding). */
    if (!pair && rec->cls == MSSTUN_CLASS_REQUEST && (rec->username || rec->use_candidate)) {
        pair = g_new0(pair_t, 1);
        pair->row = add_row(table, pair_fields, PAIR_NFIELDS);
        pair->local = g_strdup(src);
        pair->remote = g_strdup(dst);
        g_hash_table_insert(pairs, make_key(src, dst, transport), pair);
        set_string(table, pair->row, PAIR_LOCAL, g_strdup(pair->local));
        set_string(table, pair->row, PAIR_REMOTE, g_strdup(pair->remote));
        set_string(table, pair->row, PAIR_TRANSPORT, g_strdup(transport));
        set_string(table, pair->row, PAIR_USERNAME, g_strdup(rec->username ? rec->username : ""));
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

    set_uint(table, pair->row, PAIR_L_REQUESTS, pair->requests[0]);
    set_uint(table, pair->row, PAIR_L_SUCCESS, pair->successes[0]);
    set_uint(table, pair->row, PAIR_L_ERRORS, pair->errors[0]);
    set_uint(table, pair->row, PAIR_R_REQUESTS, pair->requests[1]);
    set_uint(table, pair->row, PAIR_R_SUCCESS, pair->successes[1]);
    set_uint(table, pair->row, PAIR_R_ERRORS, pair->errors[1]);
    set_string(table, pair->row, PAIR_USE_CANDIDATE, g_strdup(pair->use_candidate ? "yes" : "no"));
    set_uint(table, pair->row, PAIR_ROLE_CONFLICTS, pair->role_conflicts);
    set_string(table, pair->row, PAIR_VERDICT, pair_verdict(pair));
    return TAP_PACKET_REDRAW;
}

/*
 * Registration
 */

static void
reset_table(stat_tap_table *table)
{
    if (strcmp(table->title, ALLOCATIONS_TABLE) == 0)
        clear_rows(table, alloc_fields, ALLOC_NFIELDS);
    else
        clear_rows(table, pair_fields, PAIR_NFIELDS);
    for (unsigned i = 0; reports && i < reports->len; i++) {
        report_t *report = (report_t *)g_ptr_array_index(reports, i);

        if (report_table(report) == table)
            g_hash_table_remove_all(report->entries);
    }
}

/* The registered UI keeps an empty table: what a report shows before its
 * first packet, or with none. */
static void
init_table(stat_tap_table_ui *ui, const char *name, unsigned nfields)
{
    if (!stat_tap_find_table(ui, name))
        stat_tap_add_table(ui, stat_tap_init_table(name, nfields, 0, NULL));
}

static void
allocations_init(stat_tap_table_ui *ui)
{
    init_table(ui, ALLOCATIONS_TABLE, ALLOC_NFIELDS);
}

static void
checks_init(stat_tap_table_ui *ui)
{
    init_table(ui, CHECKS_TABLE, PAIR_NFIELDS);
}

static tap_param filter_param[] = {
    { PARAM_FILTER, "filter", "Filter", NULL, true }
};

static stat_tap_table_ui allocations_ui = {
    REGISTER_PACKET_STAT_GROUP_UNSORTED,
    "MSSTUN TURN Allocations",
    "msstun",
    "msstun,allocations",
    allocations_init,
    allocations_packet,
    reset_table,
    free_table_item,
    NULL,
    G_N_ELEMENTS(alloc_fields), alloc_fields,
    G_N_ELEMENTS(filter_param), filter_param,
    NULL,
    0
};

static stat_tap_table_ui checks_ui = {
    REGISTER_PACKET_STAT_GROUP_UNSORTED,
    "MSSTUN ICE Checks",
    "msstun",
    "msstun,checks",
    checks_init,
    checks_packet,
    reset_table,
    free_table_item,
    NULL,
    G_N_ELEMENTS(pair_fields), pair_fields,
    G_N_ELEMENTS(filter_param), filter_param,
    NULL,
    0
};

void
register_tap_listener_msstun(void)
{
    register_stat_tap_table_ui(&allocations_ui);
    register_stat_tap_table_ui(&checks_ui);
}
