/* plugin.c
 * Registration of the msstun plugin, in the shape that Wireshark's
 * tools/make-plugin-reg.py generates for in-tree plugins: one proto_plugin
 * per proto_register_X / proto_reg_handoff_X of the sources, in the order
 * of their names, and one tap_plugin per register_tap_listener_X.
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
void proto_register_msstun_message(void);
void proto_reg_handoff_msstun(void);
void register_tap_listener_msstun(void);
void register_tap_listener_msstun_flow(void);

WS_DLL_PUBLIC_DEF const char plugin_version[] = VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

void
plugin_register(void)
{
    static proto_plugin plug_msstun;
    static proto_plugin plug_msstun_message;
    static tap_plugin plug_tap_msstun;
    static tap_plugin plug_tap_msstun_flow;

    plug_msstun.register_protoinfo = proto_register_msstun;
    plug_msstun.register_handoff = proto_reg_handoff_msstun;
    proto_register_plugin(&plug_msstun);
    plug_msstun_message.register_protoinfo = proto_register_msstun_message;
    plug_msstun_message.register_handoff = NULL;
    proto_register_plugin(&plug_msstun_message);

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
