/* msstun-compat.h
 * Every difference between the Wireshark releases the plugin builds against
 * (4.0 on Debian 12, 4.2 on Ubuntu 24.04, 4.4 and 4.6).  The dissector code is written once,
 * against the newest names, and this header maps them for older releases.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef MSSTUN_COMPAT_H
#define MSSTUN_COMPAT_H

#include <wireshark.h>
#include <ws_version.h>

#include <epan/proto.h>
#include <epan/tap.h>

#define MSSTUN_WS_VERSION_AT_LEAST(major, minor) \
    (WIRESHARK_VERSION_MAJOR > (major) || \
     (WIRESHARK_VERSION_MAJOR == (major) && WIRESHARK_VERSION_MINOR >= (minor)))

/*
 * Windows: TRY (epan/except.h) calls setjmp() in the plugin, and
 * except_throw() calls longjmp() in libwireshark.  For 64-bit Windows,
 * MinGW's setjmp() gives the C runtime its frame address so that longjmp()
 * unwinds the stack by SEH (RtlUnwindEx); from the MSVC longjmp() of the
 * official Wireshark to a frame GCC described, that unwind is known to end
 * in STATUS_BAD_STACK.  With no frame, longjmp() restores the registers
 * without unwinding, all that C code without SEH handlers needs.
 */
#if defined(_WIN64) && defined(__MINGW64__)
#include <setjmp.h>
#undef setjmp
#define setjmp(buf) _setjmp((buf), NULL)
#endif

/*
 * Plugin registration: every release exports plugin_version,
 * plugin_want_major/minor and plugin_register().  4.4 adds
 * plugin_describe() and installs <wsutil/plugins.h>, which Debian's 4.0
 * does not install (checked on 4.0.17, 4.4.19 and 4.6.9).
 */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 4)
#include <wsutil/plugins.h>
#define MSSTUN_HAVE_PLUGIN_DESCRIBE 1
#endif

/* tvb accessors were renamed in 4.4 (tvb_get_guint8 -> tvb_get_uint8, ...). */
#if !MSSTUN_WS_VERSION_AT_LEAST(4, 4)
#define tvb_get_uint8(tvb, offset) tvb_get_guint8(tvb, offset)
#endif

/* val_to_str() gained a wmem scope as first argument in 4.6. */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 6)
#define msstun_val_to_str(scope, val, vs, fmt) val_to_str(scope, val, vs, fmt)
#else
#define msstun_val_to_str(scope, val, vs, fmt) val_to_str_wmem(scope, val, vs, fmt)
#endif

/* The Telephony menu's group: REGISTER_STAT_GROUP_TELEPHONY up to 4.2,
 * REGISTER_TELEPHONY_GROUP_UNSORTED from 4.4 on (checked on 4.2.2 and
 * 4.4.19). */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 4)
#define MSSTUN_TELEPHONY_GROUP REGISTER_TELEPHONY_GROUP_UNSORTED
#else
#define MSSTUN_TELEPHONY_GROUP REGISTER_STAT_GROUP_TELEPHONY
#endif

/* Unit strings are wrapped in UNS() from 4.2 on; 4.0 takes the pointer. */
#ifndef UNS
#define UNS(x) (x)
#endif

/* Boolean preferences are gboolean up to 4.2 and bool from 4.4 on (checked
 * on 4.2.2 and 4.4.19). */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 4)
typedef bool msstun_pref_bool_t;
#else
typedef gboolean msstun_pref_bool_t;
#endif

/* Heuristic dissectors return gboolean up to 4.2 and bool from 4.4 on. */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 4)
typedef bool msstun_heur_ret_t;
#else
typedef gboolean msstun_heur_ret_t;
#endif

/* The RTP payload type numbers moved from <epan/rtp_pt.h> to
 * <epan/dissectors/packet-rtp_pt.h> in 4.6. */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 6)
#define MSSTUN_RTP_PT_HEADER <epan/dissectors/packet-rtp_pt.h>
#else
#define MSSTUN_RTP_PT_HEADER <epan/rtp_pt.h>
#endif

/* RTP stream analysis (ui/tap-rtp-analysis.c, which the media paths report
 * follows): 4.0 takes a packet as in time sequence when its timestamp is
 * not before the first packet's, 4.4 and 4.6 when it is not before the last
 * in-sequence packet's (seen with a reordered packet: a late packet counts
 * in the jitter statistics of 4.0 and 4.2.2 only). */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 4)
#define MSSTUN_RTP_IN_TIME_SEQUENCE(first_ts, last_ts, ts) ((last_ts) <= (ts))
#else
#define MSSTUN_RTP_IN_TIME_SEQUENCE(first_ts, last_ts, ts) ((first_ts) <= (ts))
#endif
/* The RTP tap's extended timestamp is the one the analysis uses from 4.4
 * on.  In 4.0 it jumps by 2^32 after the first packet of a conversation the
 * RTP dissector had no data for (RTP in MS-TURN TCP end-to-end data), and
 * the analysis works on the 32-bit timestamp. */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 4)
#define MSSTUN_RTP_TAP_EXTENDED_TIMESTAMP 1
#endif

/*
 * Sequence analysis (Statistics > Flow Graph, tshark -z flow,...): no
 * release installs <epan/sequence_analysis.h>, although libwireshark exports
 * its functions.  These are the declarations the plugin uses, and the
 * leading members of seq_analysis_item_t and seq_analysis_info_t, which
 * are the same in every release but for the type of the flags: gboolean up
 * to 4.2, bool from 4.4 on (checked against the libwireshark of 4.0.17,
 * 4.2.2, 4.4.19 and 4.6.9: sequence_analysis_use_color_filter() writes
 * has_color_filter as 4 bytes in 4.0 and 4.2 and as 1 byte in 4.4 and 4.6,
 * at the same offset).  Items are only ever allocated and freed by
 * libwireshark.
 *
 * A build that has the real header (in-tree, or from Wireshark's source
 * tree as Windows builds are) compiles against it instead, and
 * tap-msstun-flow.c checks the mirror's member offsets against it
 * (MSSTUN_CHECK_SEQ_LAYOUT).  No Debian or Ubuntu release installs it, so
 * the releases above were checked by behaviour, not by that check.
 */
#if defined(__has_include)
#if __has_include(<epan/sequence_analysis.h>)
#include <epan/sequence_analysis.h>
#define MSSTUN_CHECK_SEQ_LAYOUT 1
#endif
#endif

#if MSSTUN_WS_VERSION_AT_LEAST(4, 4)
typedef bool msstun_seq_flag_t;
#else
typedef gboolean msstun_seq_flag_t;
#endif

typedef struct {
    uint32_t frame_number;
    address  src_addr;
    uint16_t port_src;
    address  dst_addr;
    uint16_t port_dst;
    char    *frame_label;
    char    *time_str;
    char    *comment;
    uint16_t conv_num;
    unsigned fg_color;
    unsigned bg_color;
    msstun_seq_flag_t has_color_filter;
    msstun_seq_flag_t display;
    unsigned src_node;
    unsigned dst_node;
    uint16_t line_style;
    /* Further members, different in each release. */
} msstun_seq_item_t;

typedef struct {
    const char *name;
    msstun_seq_flag_t any_addr;
    int         nconv;
    GQueue     *items;
    /* Further members. */
} msstun_seq_info_t;

#ifndef MSSTUN_CHECK_SEQ_LAYOUT
WS_DLL_PUBLIC void register_seq_analysis(const char *name, const char *ui_name, const int proto_id,
                                         const char *tap_listener, unsigned tap_flags, tap_packet_cb tap_func);
/* Returns a seq_analysis_item_t, or NULL when the packet has no addresses. */
WS_DLL_PUBLIC void *sequence_analysis_create_sai_with_addresses(packet_info *pinfo, void *sainfo);
#endif

/* UAT update callbacks return gboolean up to 4.0 and bool from 4.2 on
 * (checked on 4.2.2). */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 2)
typedef bool msstun_uat_ret_t;
#else
typedef gboolean msstun_uat_ret_t;
#endif

/* rtp_dyn_payload_insert() takes a channel count from 4.2 on (checked on
 * 4.0.17, 4.2.2, 4.4 and 4.6). */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 2)
#define msstun_rtp_dyn_payload_insert(payloads, pt, name, rate, channels) \
    rtp_dyn_payload_insert(payloads, pt, name, rate, channels)
#else
#define msstun_rtp_dyn_payload_insert(payloads, pt, name, rate, channels) \
    rtp_dyn_payload_insert(payloads, pt, name, rate)
#endif

/* rtp_dyn_payload_get_full() also gives the channel count and the fmtp
 * map from 4.2 on (checked on 4.0.17, 4.2.2 and 4.6). */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 2)
#define msstun_rtp_dyn_payload_get(payloads, pt, name, rate) \
    rtp_dyn_payload_get_full(payloads, pt, name, rate, &(unsigned){ 0 }, &(wmem_map_t *){ NULL })
#else
#define msstun_rtp_dyn_payload_get(payloads, pt, name, rate) rtp_dyn_payload_get_full(payloads, pt, name, rate)
#endif

/* What the RTP dissector keeps about a packet's conversation (its payload
 * type map), in its per-packet data under key 0: struct _rtp_conversation_info
 * in 4.0, struct _rtp_packet_info from 4.2 on, when the conversation's own
 * data became private (checked on 4.0.17, 4.2.2 and 4.6). */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 2)
typedef struct _rtp_packet_info msstun_rtp_packet_data_t;
#else
typedef struct _rtp_conversation_info msstun_rtp_packet_data_t;
#endif
#define MSSTUN_RTP_PACKET_DATA_KEY 0

/* wmem's user callbacks return gboolean in 4.0 and bool from 4.2 on
 * (checked on 4.0.17, 4.2 and 4.6). */
#if MSSTUN_WS_VERSION_AT_LEAST(4, 2)
typedef bool msstun_wmem_cb_ret_t;
#else
typedef gboolean msstun_wmem_cb_ret_t;
#endif

#endif /* MSSTUN_COMPAT_H */
