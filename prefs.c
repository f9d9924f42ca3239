/* prefs.c
 * The preferences of the MSSTUN module (Edit > Preferences > Protocols >
 * MSSTUN, or "-o msstun.<name>:<value>").  They are registered from
 * proto_register_msstun(); the other files read them through msstun_prefs().
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "prefs.h"

/* The range the Lync/Skype for Business Lua plugin learned ports in. */
#define DEFAULT_LEARN_PORTS         "1024-65535"

static msstun_prefs_t pref_values = {
    .show_original = false,
    .decode_data = true,
    .learn_media = true,
};

const msstun_prefs_t *
msstun_prefs(void)
{
    return &pref_values;
}

void
msstun_prefs_register(module_t *module)
{
    range_convert_str(wmem_epan_scope(), &pref_values.learn_ports, DEFAULT_LEARN_PORTS, 65535);

    prefs_register_bool_preference(module, "show_original", "Show original dissection",
        "Also show how Wireshark's own STUN or TLS dissector decodes each frame",
        &pref_values.show_original);
    prefs_register_bool_preference(module, "decode_data", "Decode relayed payloads",
        "Decode the payloads of DATA attributes, ChannelData, multiplexed TURN and TCP end-to-end data "
        "as STUN, RTP, RTCP or DTLS",
        &pref_values.decode_data);
    prefs_register_bool_preference(module, "learn_media", "Learn media ports",
        "Register the relayed, reflexive and peer addresses of TURN allocations and the 5-tuples of "
        "successful ICE checks as RTP/RTCP conversations decoded by MSSTUN",
        &pref_values.learn_media);
    prefs_register_range_preference(module, "learn_ports", "Learned port range",
        "Only ports in this range are learned (default " DEFAULT_LEARN_PORTS ")",
        &pref_values.learn_ports, 65535);
    /* Ports are the "udp.port" and "tcp.port" preferences that Wireshark
     * makes for MSSTUN (packet-msrtp-mux.c), which also show in Decode As;
     * the heuristic is Wireshark's own switch (msstun_udp). */
    prefs_register_obsolete_preference(module, "udp_enabled");
    prefs_register_obsolete_preference(module, "udp_ports");
    prefs_register_obsolete_preference(module, "tcp_internal_enabled");
    prefs_register_obsolete_preference(module, "tcp_internal_ports");
    prefs_register_obsolete_preference(module, "tcp_external_enabled");
    prefs_register_obsolete_preference(module, "tcp_external_ports");
    prefs_register_obsolete_preference(module, "heuristic");
}
