/* plugin.c
 * Registration of the msstun plugin.  Each file registers what it owns:
 * packet-msstun.c the protocols MSSTUN and "MSSTUN message" with the
 * message fields, packet-msrtp-mux.c the multiplexer's fields, preferences
 * (prefs.c, srtp.c) and dissectors in MSSTUN.  The multiplexer's part needs
 * the protocol, so the two run in this order from one proto_plugin
 * (Wireshark runs separate proto_plugins in an order it does not promise),
 * as plugins/epan/wimax registers its files from proto_register_wimax().
 * Taps: one tap_plugin per register_tap_listener_X.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define WS_BUILD_DLL
#include "msstun-compat.h"

#include <epan/proto.h>
#include <epan/tap.h>

#ifndef VERSION
#define VERSION "0.0.0"
#endif

void proto_register_msstun(void);
void proto_register_msrtp_mux(void);
void proto_reg_handoff_msrtp_mux(void);
void register_tap_listener_msstun(void);
void register_tap_listener_msstun_flow(void);

WS_DLL_PUBLIC_DEF const char plugin_version[] = VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

static void
register_msstun_protoinfo(void)
{
    proto_register_msstun();
    proto_register_msrtp_mux();
}

void
plugin_register(void)
{
    static proto_plugin plug_msstun;
    static tap_plugin plug_tap_msstun;
    static tap_plugin plug_tap_msstun_flow;

    plug_msstun.register_protoinfo = register_msstun_protoinfo;
    plug_msstun.register_handoff = proto_reg_handoff_msrtp_mux;
    proto_register_plugin(&plug_msstun);

    plug_tap_msstun.register_tap_listener = register_tap_listener_msstun;
    tap_register_plugin(&plug_tap_msstun);
    plug_tap_msstun_flow.register_tap_listener = register_tap_listener_msstun_flow;
    tap_register_plugin(&plug_tap_msstun_flow);
}

#ifdef MSSTUN_HAVE_PLUGIN_DESCRIBE
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t
plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER;
}
#endif
