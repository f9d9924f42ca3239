/* plugin.c
 * Registration of the msstun plugin, in the shape that Wireshark's
 * tools/make-plugin-reg.py generates for in-tree plugins.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#define WS_BUILD_DLL
#include "msstun-compat.h"

#include <epan/proto.h>

#ifndef VERSION
#define VERSION "0.0.0"
#endif

void proto_register_msstun(void);
void proto_reg_handoff_msstun(void);

static void
register_msstun_plugin(void)
{
    static proto_plugin plug_msstun;

    plug_msstun.register_protoinfo = proto_register_msstun;
    plug_msstun.register_handoff = proto_reg_handoff_msstun;
    proto_register_plugin(&plug_msstun);
}

WS_DLL_PUBLIC_DEF const char plugin_version[] = VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

void
plugin_register(void)
{
    register_msstun_plugin();
}

#ifdef MSSTUN_HAVE_PLUGIN_DESCRIBE
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t
plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR;
}
#endif
