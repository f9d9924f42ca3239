/* tap-msstun-report.c
 * The life of the reports' state and the bounded string sets of their cells
 * (see tap-msstun-report.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "tap-msstun-report.h"

#include <epan/to_str.h>

char *
msstun_transport_address(const address *addr, uint32_t port)
{
    char *addr_str = address_to_str(NULL, addr);
    char *str = g_strdup_printf(addr->type == AT_IPv6 ? "[%s]:%u" : "%s:%u", addr_str, port);

    wmem_free(NULL, addr_str);
    return str;
}

char *
msstun_report_pair_key(const char *a, const char *b, const char *transport)
{
    return g_strdup_printf("%s %s %s", a, b, transport);
}

void *
msstun_report_lookup_either_way(GHashTable *table, const char *a, const char *b, const char *transport, bool *forward)
{
    char *key = msstun_report_pair_key(a, b, transport);
    void *value = g_hash_table_lookup(table, key);

    g_free(key);
    *forward = value != NULL;
    if (!value) {
        key = msstun_report_pair_key(b, a, transport);
        value = g_hash_table_lookup(table, key);
        g_free(key);
    }
    return value;
}

/*
 * String sets
 */

void
msstun_strset_init(msstun_strset_t *set)
{
    set->index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    set->shown = g_ptr_array_new();
}

void
msstun_strset_free(msstun_strset_t *set)
{
    g_ptr_array_free(set->shown, true);
    g_hash_table_destroy(set->index);
}

void
msstun_strset_clear(msstun_strset_t *set)
{
    g_ptr_array_set_size(set->shown, 0);
    g_hash_table_remove_all(set->index);
}

bool
msstun_strset_add(msstun_strset_t *set, char *owned)
{
    if (g_hash_table_contains(set->index, owned)) {
        g_free(owned);
        return false;
    }
    g_hash_table_add(set->index, owned);
    if (set->shown->len < MSSTUN_REPORT_SHOWN)
        g_ptr_array_add(set->shown, owned);
    return true;
}

char *
msstun_strset_join(const msstun_strset_t *set, const char *sep)
{
    GString *str = g_string_new(NULL);
    unsigned members = g_hash_table_size(set->index);

    for (unsigned i = 0; i < set->shown->len; i++)
        g_string_append_printf(str, "%s%s", i ? sep : "", (const char *)g_ptr_array_index(set->shown, i));
    if (members > set->shown->len)
        g_string_append_printf(str, " and %u more", members - set->shown->len);
    return g_string_free(str, false);
}

/*
 * Reports
 */

static void
free_cell(stat_tap_table_item_type *field)
{
    if (field->type == TABLE_ITEM_STRING) {
        g_free((char *)field->value.string_value);
        field->value.string_value = NULL;
    }
}

static void
clear_rows(stat_tap_table *table)
{
    for (unsigned row = 0; row < table->num_elements; row++) {
        for (unsigned column = 0; column < table->num_fields; column++)
            free_cell(&table->elements[row][column]);
        g_free(table->elements[row]);
    }
    g_free(table->elements);
    table->elements = NULL;
    table->num_elements = 0;
}

static void
free_report(msstun_report_t *report)
{
    if (!report->retired && report->kind->retire_state)
        report->kind->retire_state(report->state);
    report->kind->free_state(report->state);
    clear_rows(&report->table);
    g_array_free(report->ui.tables, true);
    g_free(report);
}

static msstun_report_t *
new_report(msstun_report_kind_t *kind)
{
    msstun_report_t *report = g_new0(msstun_report_t, 1);

    report->ui = *kind->registered;
    report->ui.tables = NULL;
    report->table.title = kind->table_name;
    report->table.num_fields = (unsigned)kind->registered->nfields;
    stat_tap_add_table(&report->ui, &report->table);
    report->kind = kind;
    report->generation = kind->generation;
    report->state = kind->new_state(report);
    if (!kind->live)
        kind->live = g_ptr_array_new();
    g_ptr_array_add(kind->live, report);
    return report;
}

/* Frees every report of the kind, or only the retired ones. */
static void
free_reports(msstun_report_kind_t *kind, bool retired_only)
{
    unsigned kept = 0;

    for (unsigned i = 0; kind->live && i < kind->live->len; i++) {
        msstun_report_t *report = (msstun_report_t *)g_ptr_array_index(kind->live, i);

        if (retired_only && !report->retired)
            g_ptr_array_index(kind->live, kept++) = report;
        else
            free_report(report);
    }
    if (kind->live)
        g_ptr_array_set_size(kind->live, kept);
}

/* The registered UI's table: one row, why a report is empty; its first
 * cell points at the kind (see msstun_report_free_item). */
static void
init_registered_table(msstun_report_kind_t *kind)
{
    stat_tap_table *table = stat_tap_find_table(kind->registered, kind->table_name);
    stat_tap_table_item_type *items;
    unsigned nfields = (unsigned)kind->registered->nfields;

    if (!table) {
        table = stat_tap_init_table(kind->table_name, nfields, 0, NULL);
        stat_tap_add_table(kind->registered, table);
    }
    if (table->num_elements > 0)
        return;
    items = g_new0(stat_tap_table_item_type, nfields);
    for (unsigned i = 0; i < nfields; i++) {
        items[i].type = kind->registered->fields[i].type;
        if (items[i].type == TABLE_ITEM_STRING)
            items[i].value.string_value = g_strdup(i == 0 ? kind->why_empty : "");
    }
    items[0].user_data.ptr_value = kind;
    stat_tap_init_table_row(table, 0, nfields, items);
    g_free(items);
}

void
msstun_report_init(msstun_report_kind_t *kind)
{
    init_registered_table(kind);
    /* Wireshark's dialog runs again (refcount counts its open dialogs; 0
     * in tshark): the reports of the earlier runs stop listening now, and
     * go when the registered table is reset. */
    if (kind->registered->refcount == 1) {
        for (unsigned i = 0; kind->live && i < kind->live->len; i++) {
            msstun_report_t *report = (msstun_report_t *)g_ptr_array_index(kind->live, i);

            if (!report->retired && kind->retire_state)
                kind->retire_state(report->state);
            report->retired = true;
        }
        kind->generation++;
    }
    if (kind->eager)
        new_report(kind);
}

msstun_report_t *
msstun_report_of(msstun_report_kind_t *kind, void *tapdata)
{
    stat_data_t *stat_data = (stat_data_t *)tapdata;
    msstun_report_t *report = NULL;

    if (stat_data->stat_tap_data != kind->registered)
        return (msstun_report_t *)stat_data->stat_tap_data;
    /* Reports made at the start of this run hear the same unfiltered
     * context, so any unclaimed one serves. */
    for (unsigned i = 0; kind->live && i < kind->live->len && !report; i++) {
        msstun_report_t *candidate = (msstun_report_t *)g_ptr_array_index(kind->live, i);

        if (!candidate->claimed && !candidate->retired && candidate->generation == kind->generation)
            report = candidate;
    }
    if (!report)
        report = new_report(kind);
    report->claimed = true;
    stat_data->stat_tap_data = &report->ui;
    return report;
}

void
msstun_report_reset_table(msstun_report_kind_t *kind, stat_tap_table *table)
{
    if (table == stat_tap_find_table(kind->registered, kind->table_name)) {
        /* The only dialog of the kind starts a run and drops its rows right
         * after this: the tables of its earlier runs can go. */
        if (kind->registered->refcount == 1)
            free_reports(kind, true);
        return;
    }
    for (unsigned i = 0; kind->live && i < kind->live->len; i++) {
        msstun_report_t *report = (msstun_report_t *)g_ptr_array_index(kind->live, i);

        if (&report->table == table) {
            clear_rows(table);
            kind->reset_state(report->state);
        }
    }
}

void
msstun_report_free_item(msstun_report_kind_t *kind, stat_tap_table_item_type *field)
{
    /* The last dialog of the kind closed (free_stat_tables()). */
    if (field->user_data.ptr_value == kind && kind->registered->refcount == 0) {
        field->user_data.ptr_value = NULL;
        free_reports(kind, false);
    }
    free_cell(field);
}

unsigned
msstun_report_add_row(msstun_report_t *report)
{
    stat_tap_table_item_type *items;
    unsigned nfields = report->table.num_fields;
    unsigned row = report->table.num_elements;

    items = g_new0(stat_tap_table_item_type, nfields);
    for (unsigned i = 0; i < nfields; i++) {
        items[i].type = report->ui.fields[i].type;
        if (items[i].type == TABLE_ITEM_STRING)
            items[i].value.string_value = g_strdup("");
    }
    stat_tap_init_table_row(&report->table, row, nfields, items);
    g_free(items);
    return row;
}

void
msstun_report_set_string(msstun_report_t *report, unsigned row, unsigned column, char *owned)
{
    stat_tap_table_item_type *item = stat_tap_get_field_data(&report->table, row, column);

    g_free((char *)item->value.string_value);
    item->value.string_value = owned;
}

void
msstun_report_set_uint(msstun_report_t *report, unsigned row, unsigned column, unsigned value)
{
    stat_tap_get_field_data(&report->table, row, column)->value.uint_value = value;
}
