/* prefs.h
 * The preferences of the MSSTUN module (prefs.c), which the multiplexer
 * registers and the other files read.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef MSSTUN_PREFS_H
#define MSSTUN_PREFS_H

#include "msstun-compat.h"

#include <epan/prefs.h>
#include <epan/range.h>

typedef struct {
    msstun_pref_bool_t show_original;
    msstun_pref_bool_t decode_data;
    msstun_pref_bool_t learn_media;
    range_t *learn_ports;
} msstun_prefs_t;

void msstun_prefs_register(module_t *module);
const msstun_prefs_t *msstun_prefs(void);

#endif /* MSSTUN_PREFS_H */
