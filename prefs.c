/* prefs.c
 * The preferences of the MSSTUN module (Edit > Preferences > Protocols >
 * MSSTUN, or "-o msstun.<name>:<value>").  They are registered from
 * proto_register_msstun(); the other files read them through msstun_prefs().
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "packet-msstun.h"

/* Lync/Skype for Business Edge defaults: media on UDP 3478, TURN over
 * TCP 443 on both Edge interfaces, and TCP 3478 for TURN clients that
 * use it.  Teams (and Skype for Business Online) clients reach the
 * Transport Relays on UDP 3478-3481 (3479 audio, 3480 video, 3481
 * sharing, for QoS). */
#define DEFAULT_UDP_PORTS           "3478-3481"
#define DEFAULT_TCP_INTERNAL_PORTS  "443,3478"
#define DEFAULT_TCP_EXTERNAL_PORTS  "443"
/* The range the Lync/Skype for Business Lua plugin learned ports in. */
#define DEFAULT_LEARN_PORTS         "1024-65535"

static msstun_prefs_t pref_values = {
    .udp_enabled = true,
    .tcp_internal_enabled = true,
    .tcp_external_enabled = true,
    .show_original = false,
    .decode_data = true,
    .learn_media = true,
    .heuristic = false,
};

const msstun_prefs_t *
msstun_prefs(void)
{
    return &pref_values;
}

void
msstun_prefs_register(module_t *module)
{
    range_convert_str(wmem_epan_scope(), &pref_values.udp_ports, DEFAULT_UDP_PORTS, 65535);
    range_convert_str(wmem_epan_scope(), &pref_values.tcp_internal_ports, DEFAULT_TCP_INTERNAL_PORTS, 65535);
    range_convert_str(wmem_epan_scope(), &pref_values.tcp_external_ports, DEFAULT_TCP_EXTERNAL_PORTS, 65535);
    range_convert_str(wmem_epan_scope(), &pref_values.learn_ports, DEFAULT_LEARN_PORTS, 65535);

    prefs_register_bool_preference(module, "udp_enabled", "Decode UDP ports",
        "Classify and decode STUN/TURN, RTP, RTCP and DTLS on the UDP ports below",
        &pref_values.udp_enabled);
    prefs_register_range_preference(module, "udp_ports", "UDP ports",
        "UDP ports of the Edge's or Teams relays' TURN service (default " DEFAULT_UDP_PORTS ")",
        &pref_values.udp_ports, 65535);
    prefs_register_bool_preference(module, "tcp_internal_enabled", "Decode TCP ports (internal Edge)",
        "Decode MS-TURN over TCP, pseudo-TLS and RFC 4571 framing on the internal TCP ports below",
        &pref_values.tcp_internal_enabled);
    prefs_register_range_preference(module, "tcp_internal_ports", "TCP ports (internal Edge)",
        "TCP ports of the Edge's internal interface (default " DEFAULT_TCP_INTERNAL_PORTS ")",
        &pref_values.tcp_internal_ports, 65535);
    prefs_register_bool_preference(module, "tcp_external_enabled", "Decode TCP ports (external Edge)",
        "Decode MS-TURN over TCP, pseudo-TLS and RFC 4571 framing on the external TCP ports below",
        &pref_values.tcp_external_enabled);
    prefs_register_range_preference(module, "tcp_external_ports", "TCP ports (external Edge)",
        "TCP ports of the Edge's external interface (default " DEFAULT_TCP_EXTERNAL_PORTS ")",
        &pref_values.tcp_external_ports, 65535);
    prefs_register_bool_preference(module, "show_original", "Show original dissection",
        "Also show how the dissector that owned the port before (STUN, TLS) decodes each frame",
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
    prefs_register_bool_preference(module, "heuristic", "Detect on other ports",
        "Recognise STUN/TURN on any UDP port (peer-to-peer media without Decode As) and take over "
        "the 5-tuple it arrives on",
        &pref_values.heuristic);
}
