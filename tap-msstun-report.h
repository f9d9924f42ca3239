/* tap-msstun-report.h
 * What the report files (tap-msstun.c, tap-msstun-flow.c) share: the life
 * of a report's state, bounded string sets for its cells, and the text of
 * transport addresses.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TAP_MSSTUN_REPORT_H
#define TAP_MSSTUN_REPORT_H

#include "msstun-compat.h"

#include <epan/address.h>
#include <epan/stat_tap_ui.h>

/* How many entries a cell names before it counts the rest ("and 12 more"):
 * a cell stays readable and costs the same to rewrite however many entries
 * a capture makes. */
#define MSSTUN_REPORT_SHOWN         16

/* "192.0.2.1:3478", "[2001:db8::1]:3478", g_malloc'd. */
char *msstun_transport_address(const address *addr, uint32_t port);

/* The key of the transport addresses a and b over transport ("UDP", "TCP",
 * ...) in a report's table of pairs or allocations, g_malloc'd. */
char *msstun_report_pair_key(const char *a, const char *b, const char *transport);

/* Looks a pair up in table as a -> b, then as b -> a; *forward tells which
 * one matched. */
void *msstun_report_lookup_either_way(GHashTable *table, const char *a, const char *b, const char *transport,
                                      bool *forward);

/*
 * A set of strings in order of first appearance: membership by hash, and
 * the first MSSTUN_REPORT_SHOWN kept in order for display.
 */
typedef struct {
    GHashTable *index;          /* char * (owned), every member */
    GPtrArray  *shown;          /* the first members, pointers into index */
} msstun_strset_t;

void msstun_strset_init(msstun_strset_t *set);
void msstun_strset_free(msstun_strset_t *set);
void msstun_strset_clear(msstun_strset_t *set);
/* Takes owned (g_malloc'd); true when it was not a member yet. */
bool msstun_strset_add(msstun_strset_t *set, char *owned);
/* The shown members joined by sep, then " and N more" when there are. */
char *msstun_strset_join(const msstun_strset_t *set, const char *sep);

/*
 * The life of a report (one -z argument, one run of a Statistics dialog).
 *
 * tshark and Wireshark hand every listener of a stat tap table the
 * stat_tap_table_ui that was registered, tables included: two reports at
 * once (two -z arguments with different filters) would count into the same
 * rows.  So each listener gets a report of its own, a copy of the registered
 * UI with its own table and state, and its stat_data_t is pointed at the
 * copy, which is what tshark prints and Wireshark's dialog shows
 * (SimpleStatisticsDialog draws stat_data->stat_tap_data).
 *
 * The registered UI keeps one row that says why a report is empty; it is
 * what a listener that saw no packet shows.  Its cell also marks the end of
 * the reports made from the UI: free_stat_tables(), which the dialog calls
 * when the last dialog of the UI closes, hands it to the free callback, and
 * the reports go with it.  A dialog that runs again (a new display filter)
 * retires the reports of its earlier run: their extra listeners are removed
 * when the new run starts (msstun_report_init), and their tables freed when
 * the dialog resets the registered table, just before it drops the rows that
 * showed them.  tshark keeps every report until it exits.
 */
typedef struct msstun_report_kind msstun_report_kind_t;

typedef struct {
    stat_tap_table_ui     ui;       /* first: what the listener's stat_data points at */
    stat_tap_table        table;    /* ui.tables' only table */
    msstun_report_kind_t *kind;
    unsigned              generation;
    bool                  claimed;  /* a listener's stat_data points at it */
    bool                  retired;
    void                 *state;
} msstun_report_t;

struct msstun_report_kind {
    stat_tap_table_ui *registered;
    const char        *table_name;
    const char        *why_empty;   /* the first cell of the row of an empty report */
    bool               eager;       /* a report is made when a run starts, not on its first packet */
    void *(*new_state)(msstun_report_t *report);
    void  (*retire_state)(void *state);     /* removes what listens for it; may be NULL */
    void  (*free_state)(void *state);
    void  (*reset_state)(void *state);
    /* Every report not freed yet: an ownership list, no report's data. */
    GPtrArray         *live;
    unsigned           generation;  /* of the current dialog run */
};

/* The stat_tap_init_cb of a kind's UI. */
void msstun_report_init(msstun_report_kind_t *kind);
/* The report of the listener whose tap data this is: its own, or one made
 * (or taken from those msstun_report_init made) on its first packet. */
msstun_report_t *msstun_report_of(msstun_report_kind_t *kind, void *tapdata);
/* The stat_tap_reset_table_cb and stat_tap_free_table_item_cb of a kind's UI. */
void msstun_report_reset_table(msstun_report_kind_t *kind, stat_tap_table *table);
void msstun_report_free_item(msstun_report_kind_t *kind, stat_tap_table_item_type *field);

/* Defines the stat_tap_init_cb, stat_tap_reset_table_cb and
 * stat_tap_free_table_item_cb of a kind's UI: prefix##_init, _reset and
 * _free_item. */
#define MSSTUN_REPORT_CALLBACKS(prefix, kind) \
    static void \
    prefix##_init(stat_tap_table_ui *ui _U_) \
    { \
        msstun_report_init(&(kind)); \
    } \
    static void \
    prefix##_reset(stat_tap_table *table) \
    { \
        msstun_report_reset_table(&(kind), table); \
    } \
    static void \
    prefix##_free_item(stat_tap_table *table _U_, guint row _U_, guint column _U_, stat_tap_table_item_type *field) \
    { \
        msstun_report_free_item(&(kind), field); \
    }

/* A new row of strings and unsigned integers as the kind's fields say; its index. */
unsigned msstun_report_add_row(msstun_report_t *report);
void msstun_report_set_string(msstun_report_t *report, unsigned row, unsigned column, char *owned);
void msstun_report_set_uint(msstun_report_t *report, unsigned row, unsigned column, unsigned value);

#endif /* TAP_MSSTUN_REPORT_H */
