/* fuzz-msstun.c
 * libFuzzer targets for the msstun plugin, in the manner of Wireshark's
 * fuzz/fuzzshark.c: epan is initialised once, then every input is
 * dissected as one kind of traffic, first without a tree (the first pass)
 * and then with a visible tree whose every label is formatted (the second
 * pass, as "tshark -2 -V" does), in an epan session of its own.
 *
 * The plugin's sources are compiled into the binary (with the sanitizer
 * and coverage instrumentation) and registered through its own
 * plugin_register() before epan_init().  One target per binary, chosen
 * at compile time with FUZZ_TARGET:
 *
 *   FUZZ_TARGET_UDP3478   the input is one UDP payload, client:50000 to
 *                         server:3478 (the multiplexer: STUN/TURN,
 *                         ChannelData, 0xFF10, RTP, RTCP, DTLS)
 *   FUZZ_TARGET_TCP443    the input is the byte stream of one TCP
 *                         connection client:50000 to server:443, cut into
 *                         segments: each segment is a 2-byte big-endian
 *                         header (top bit: 0 client to server, 1 server to
 *                         client; low 15 bits: length) and that many bytes
 *                         (fewer at the end of the input).  The segments
 *                         follow a three-way handshake with consistent
 *                         sequence and acknowledgement numbers, so that
 *                         pseudo-TLS, MS-TURN framing, RFC 4571 and TCP
 *                         reassembly are reached.
 *   FUZZ_TARGET_MESSAGE   the input is one MSSTUN message, dissected by
 *                         "msstun_message" (UDP 50000 to 40000, the port
 *                         given to that dissector as Decode As would)
 *
 * fuzz/input2pcap.py writes the same frames as a pcap, for tshark and the
 * regression corpus.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include <wireshark.h>
#include <epan/epan.h>
#include <epan/epan_dissect.h>
#include <epan/frame_data.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <epan/tvbuff.h>
#include <wiretap/wtap.h>
#include <wsutil/privileges.h>
#include <wsutil/wslog.h>

#define FUZZ_TARGET_UDP3478 1
#define FUZZ_TARGET_TCP443  2
#define FUZZ_TARGET_MESSAGE 3

#ifndef FUZZ_TARGET
#error "define FUZZ_TARGET (FUZZ_TARGET_UDP3478, FUZZ_TARGET_TCP443 or FUZZ_TARGET_MESSAGE)"
#endif

#define ETH_LEN          14U
#define IPV4_LEN         20U
#define UDP_LEN          8U
#define TCP_LEN          20U
#define MAX_FRAMES       1024U
#define MAX_IP_PAYLOAD   (65535U - IPV4_LEN - TCP_LEN)
#define CLIENT_PORT      50000U
#define MESSAGE_PORT     40000U
#define CLIENT_ISN       1000U
#define SERVER_ISN       500000U

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_PSH 0x08
#define TCP_ACK 0x10

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* plugin.c registers these tap listeners as a tap plugin, which a user
 * interface (tshark, Wireshark) calls; the harness is one. */
void plugin_register(void);
void register_tap_listener_msstun(void);
void register_tap_listener_msstun_flow(void);

struct packet_provider_data {
    guint32 base;               /* frame number before this input's first */
    nstime_t ts[MAX_FRAMES];
    unsigned count;
};

typedef struct {
    uint8_t *bytes;
    unsigned len;
} fuzz_frame_t;

static struct packet_provider_data provider;
static fuzz_frame_t frames[MAX_FRAMES];
static frame_data fdata[MAX_FRAMES];
static unsigned frame_count;
static unsigned client_serial;
static unsigned inputs_per_session = 50000;

static stat_tap_table_ui *tap_uis[2];
static stat_data_t tap_data[2];

static const nstime_t *
get_frame_ts(struct packet_provider_data *prov, guint32 frame_num)
{
    if (frame_num <= prov->base || frame_num > prov->base + prov->count)
        return NULL;
    return &prov->ts[frame_num - prov->base - 1];
}

static const char *
get_interface_name(struct packet_provider_data *prov _U_, guint32 interface_id _U_)
{
    return "fuzz";
}

static const char *
get_interface_description(struct packet_provider_data *prov _U_, guint32 interface_id _U_)
{
    return NULL;
}

static wtap_block_t
get_modified_block(struct packet_provider_data *prov _U_, const frame_data *fd _U_)
{
    return NULL;
}

static const struct packet_provider_funcs provider_funcs = {
    get_frame_ts,
    get_interface_name,
    get_interface_description,
    get_modified_block,
};

/*
 * Frames
 */

static void
put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

#if FUZZ_TARGET == FUZZ_TARGET_TCP443
static void
put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}
#endif

/* Ethernet and IPv4 headers for a frame carrying l4_len bytes of protocol
 * proto; from the client (10.0.0.10) or the server (192.0.2.1).  Returns
 * the frame, with room for the L4 header and payload after byte 34. */
static uint8_t *
new_frame(bool from_client, unsigned proto, unsigned l4_len)
{
    static const uint8_t client_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
    static const uint8_t server_mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
    uint8_t client_ip[4] = { 10, (uint8_t)(client_serial >> 16), (uint8_t)(client_serial >> 8), (uint8_t)client_serial };
    uint8_t server_ip[4] = { 192, 0, 2, 1 };

    /* What an input learns (media ports from its attributes) is bound to
     * the server too: the later inputs of the session talk to others. */
    if (client_serial > 0) {
        server_ip[0] = 100;
        server_ip[1] = (uint8_t)(64 + ((client_serial >> 16) & 0x3F));
        server_ip[2] = (uint8_t)(client_serial >> 8);
        server_ip[3] = (uint8_t)client_serial;
    }
    fuzz_frame_t *f = &frames[frame_count++];
    uint8_t *p;
    uint32_t sum = 0;

    f->len = ETH_LEN + IPV4_LEN + l4_len;
    f->bytes = p = g_malloc0(f->len);
    memcpy(p, from_client ? server_mac : client_mac, 6);
    memcpy(p + 6, from_client ? client_mac : server_mac, 6);
    put16(p + 12, 0x0800);
    p += ETH_LEN;
    p[0] = 0x45;
    put16(p + 2, IPV4_LEN + l4_len);
    put16(p + 4, frame_count);
    p[8] = 64;
    p[9] = (uint8_t)proto;
    memcpy(p + 12, from_client ? client_ip : server_ip, 4);
    memcpy(p + 16, from_client ? server_ip : client_ip, 4);
    for (unsigned i = 0; i < IPV4_LEN; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xFFFF) + (sum >> 16);
    put16(p + 10, ~sum & 0xFFFF);
    return f->bytes + ETH_LEN + IPV4_LEN;
}

#if FUZZ_TARGET != FUZZ_TARGET_TCP443
static void
add_udp(bool from_client, unsigned server_port, const uint8_t *payload, unsigned len)
{
    uint8_t *udp;

    if (len > 65535U - IPV4_LEN - UDP_LEN)
        len = 65535U - IPV4_LEN - UDP_LEN;
    udp = new_frame(from_client, 17, UDP_LEN + len);
    put16(udp, from_client ? CLIENT_PORT : server_port);
    put16(udp + 2, from_client ? server_port : CLIENT_PORT);
    put16(udp + 4, UDP_LEN + len);
    if (len)
        memcpy(udp + UDP_LEN, payload, len);
}
#endif

#if FUZZ_TARGET == FUZZ_TARGET_TCP443
static void
add_tcp(bool from_client, unsigned flags, uint32_t seq, uint32_t ack, const uint8_t *payload, unsigned len)
{
    uint8_t *tcp = new_frame(from_client, 6, TCP_LEN + len);

    put16(tcp, from_client ? CLIENT_PORT : 443);
    put16(tcp + 2, from_client ? 443 : CLIENT_PORT);
    put32(tcp + 4, seq);
    put32(tcp + 8, (flags & TCP_ACK) ? ack : 0);
    tcp[12] = (TCP_LEN / 4) << 4;
    tcp[13] = (uint8_t)flags;
    put16(tcp + 14, 65535);
    if (len)
        memcpy(tcp + TCP_LEN, payload, len);
}

static void
build_tcp443(const uint8_t *data, size_t size)
{
    uint32_t next_seq[2] = { CLIENT_ISN + 1, SERVER_ISN + 1 };  /* [0] client, [1] server */
    size_t pos = 0;

    add_tcp(true, TCP_SYN, CLIENT_ISN, 0, NULL, 0);
    add_tcp(false, TCP_SYN | TCP_ACK, SERVER_ISN, CLIENT_ISN + 1, NULL, 0);
    add_tcp(true, TCP_ACK, CLIENT_ISN + 1, SERVER_ISN + 1, NULL, 0);
    while (pos + 2 <= size && frame_count < MAX_FRAMES - 2) {
        unsigned head = (unsigned)(data[pos] << 8 | data[pos + 1]);
        bool from_client = (head & 0x8000) == 0;
        size_t len = head & 0x7FFF;
        unsigned dir = from_client ? 0 : 1;

        pos += 2;
        if (len > size - pos)
            len = size - pos;
        if (len == 0)
            continue;
        add_tcp(from_client, TCP_PSH | TCP_ACK, next_seq[dir], next_seq[!dir], data + pos, (unsigned)len);
        next_seq[dir] += (uint32_t)len;
        pos += len;
    }
    /* The close, so that what is still waiting for more data is shown. */
    add_tcp(true, TCP_FIN | TCP_ACK, next_seq[0], next_seq[1], NULL, 0);
    add_tcp(false, TCP_FIN | TCP_ACK, next_seq[1], next_seq[0] + 1, NULL, 0);
}
#endif

static void
build_frames(const uint8_t *data, size_t size)
{
    frame_count = 0;
#if FUZZ_TARGET == FUZZ_TARGET_UDP3478
    add_udp(true, 3478, data, (unsigned)MIN(size, MAX_IP_PAYLOAD));
#elif FUZZ_TARGET == FUZZ_TARGET_TCP443
    build_tcp443(data, size);
#else
    add_udp(true, MESSAGE_PORT, data, (unsigned)MIN(size, MAX_IP_PAYLOAD));
#endif
}

/*
 * Dissection
 */

/* What "tshark -V" does with every item: format its label. */
static void
format_labels(proto_node *node, gpointer data _U_)
{
    field_info *fi = PNODE_FINFO(node);

    if (fi && !fi->rep) {
        char label[ITEM_LABEL_LENGTH];

        proto_item_fill_label(fi, label);
    }
    proto_tree_children_foreach(node, format_labels, NULL);
}

static void
dissect_pass(epan_t *session, bool second)
{
    const frame_data *prev_dis = NULL;
    const frame_data *ref = NULL;
    nstime_t elapsed = NSTIME_INIT_ZERO;
    guint32 cum_bytes = 0;
    wtap_rec rec;

    for (unsigned i = 0; i < frame_count; i++) {
        epan_dissect_t *edt;
        tvbuff_t *tvb;

        wtap_rec_init(&rec);
        rec.rec_type = REC_TYPE_PACKET;
        rec.presence_flags = WTAP_HAS_TS | WTAP_HAS_CAP_LEN;
        rec.ts = provider.ts[i];
        rec.tsprec = WTAP_TSPREC_USEC;
        rec.rec_header.packet_header.caplen = frames[i].len;
        rec.rec_header.packet_header.len = frames[i].len;
        rec.rec_header.packet_header.pkt_encap = WTAP_ENCAP_ETHERNET;

        if (!second)
            frame_data_init(&fdata[i], provider.base + i + 1, &rec, 0, cum_bytes);
        frame_data_set_before_dissect(&fdata[i], &elapsed, &ref, prev_dis);
        edt = epan_dissect_new(session, second, second);
        tvb = tvb_new_real_data(frames[i].bytes, frames[i].len, frames[i].len);
        if (second)
            epan_dissect_run_with_taps(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, &rec, tvb, &fdata[i], NULL);
        else
            epan_dissect_run(edt, WTAP_FILE_TYPE_SUBTYPE_UNKNOWN, &rec, tvb, &fdata[i], NULL);
        if (second && edt->tree)
            proto_tree_children_foreach(edt->tree, format_labels, NULL);
        frame_data_set_after_dissect(&fdata[i], &cum_bytes);
        fdata[i].visited = 1;
        prev_dis = &fdata[i];
        epan_dissect_free(edt);
        wtap_rec_cleanup(&rec);
    }
}

/*
 * The plugin's reports (tap-msstun.c), as "-z msstun,allocations" and
 * "-z msstun,checks" run them: every row and cell read at the end.
 */

static void
tap_reset(void *tapdata)
{
    stat_data_t *sd = tapdata;

    reset_stat_table(sd->stat_tap_data);
}

static void
tap_draw(void *tapdata)
{
    stat_data_t *sd = tapdata;
    stat_tap_table_ui *ui = sd->stat_tap_data;
    size_t total = 0;

    for (unsigned t = 0; t < ui->tables->len; t++) {
        stat_tap_table *table = g_array_index(ui->tables, stat_tap_table *, t);

        for (unsigned row = 0; row < table->num_elements; row++) {
            for (unsigned col = 0; col < table->num_fields; col++) {
                stat_tap_table_item_type *item = stat_tap_get_field_data(table, row, col);

                if (item && item->type == TABLE_ITEM_STRING && item->value.string_value)
                    total += strlen(item->value.string_value);
            }
        }
    }
    /* Keeps the loop from being optimised away. */
    if (total == SIZE_MAX)
        abort();
}

static void
register_reports(void)
{
    static const char *const names[2] = { "msstun,allocations", "msstun,checks" };

    for (unsigned i = 0; i < 2; i++) {
        GString *err;

        tap_uis[i] = stat_tap_by_name(names[i]);
        if (!tap_uis[i]) {
            fprintf(stderr, "fuzz-msstun: no report %s: the plugin is not registered\n", names[i]);
            exit(1);
        }
        tap_data[i].stat_tap_data = tap_uis[i];
        tap_uis[i]->stat_tap_init_cb(tap_uis[i]);
        err = register_tap_listener(tap_uis[i]->tap_name, &tap_data[i], NULL, 0, tap_reset,
                                    tap_uis[i]->packet_func, tap_draw, NULL);
        if (err) {
            fprintf(stderr, "fuzz-msstun: %s\n", err->str);
            exit(1);
        }
    }
}

/* The protocols the plugin's traffic goes through, and those it hands
 * payloads to; every other one is disabled, as fuzzshark restricts a
 * target to one protocol.  Without this the TCP target stops at bugs of
 * Wireshark's own dissectors reached through TCP's heuristics or the
 * port's previous owner, with or without the plugin: Wireshark 4.0.17's
 * TLS ("frag_info && frag_info->offset == 0", packet-tls.c:2513) and Ceph
 * ("Frame visited, but no saved state", packet-ceph.c:1521) assertions,
 * inputs in fuzz/wireshark-only/.  The plugin still calls the TLS handle
 * for real TLS and unrecognised bytes; a disabled TLS returns 0. */
static void
only_plugin_protocols(void)
{
    static const char *const keep[] = {
        "frame", "eth", "ethertype", "ip", "udp", "tcp", "msstun", "msstun_message",
        "rtp", "rtcp", "srtcp", "dtls", "stun", "data", "_ws.malformed", "_ws.expert",
        "_ws.short", "_ws.lua", "_ws.unreassembled",
    };
    void *cookie = NULL;

    for (int id = proto_get_first_protocol(&cookie); id != -1; id = proto_get_next_protocol(&cookie)) {
        const char *name = proto_get_protocol_filter_name(id);
        bool wanted = false;

        for (size_t i = 0; i < G_N_ELEMENTS(keep); i++)
            wanted = wanted || strcmp(name, keep[i]) == 0;
        if (!wanted && !proto_is_pino(find_protocol_by_id(id)) && proto_can_toggle_protocol(id))
            proto_set_decoding(id, FALSE);
    }
}

int
LLVMFuzzerInitialize(int *argc _U_, char ***argv _U_)
{
    /* As the suite runs tshark: bugs abort, and a HOME without
     * preferences.  wmem allocations are separate heap blocks, so that
     * AddressSanitizer sees overruns of packet-scope buffers. */
    g_setenv("WIRESHARK_ABORT_ON_DISSECTOR_BUG", "1", TRUE);
    g_setenv("WIRESHARK_ABORT_ON_TOO_MANY_ITEMS", "1", TRUE);
    if (!g_getenv("WIRESHARK_DEBUG_WMEM_OVERRIDE"))
        g_setenv("WIRESHARK_DEBUG_WMEM_OVERRIDE", "simple", TRUE);
    g_setenv("G_SLICE", "always-malloc", TRUE);
    g_setenv("HOME", "/nonexistent", TRUE);
    g_unsetenv("XDG_CONFIG_HOME");

    if (g_getenv("MSSTUN_FUZZ_INPUTS_PER_SESSION"))
        inputs_per_session = (unsigned)MAX(1, atoi(g_getenv("MSSTUN_FUZZ_INPUTS_PER_SESSION")));
    ws_log_init("fuzz-msstun", NULL);
    ws_log_set_level(LOG_LEVEL_CRITICAL);
    init_process_policies();
    wtap_init(FALSE);
    plugin_register();
    if (!epan_init(NULL, NULL, FALSE)) {
        fprintf(stderr, "fuzz-msstun: epan_init failed\n");
        exit(1);
    }
    register_tap_listener_msstun();
    register_tap_listener_msstun_flow();
    epan_load_settings();
    prefs_apply_all();
    if (proto_get_id_by_filter_name("msstun") < 0) {
        fprintf(stderr, "fuzz-msstun: the msstun protocol is not registered\n");
        exit(1);
    }
    only_plugin_protocols();
#if FUZZ_TARGET == FUZZ_TARGET_MESSAGE
    {
        dissector_handle_t h = find_dissector("msstun_message");

        if (!h) {
            fprintf(stderr, "fuzz-msstun: no dissector msstun_message\n");
            exit(1);
        }
        dissector_add_uint("udp.port", MESSAGE_PORT, h);
    }
#endif
    register_reports();
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static epan_t *session;
    static unsigned session_inputs;

    if (session && session_inputs >= inputs_per_session) {
        epan_free(session);
        session = NULL;
    }
    if (!session) {
        session = epan_new(&provider, &provider_funcs);
        session_inputs = 0;
        provider.base = 0;
    }
    /* Each input of a session is a capture of its own: the client and the
     * server have addresses of their own (10.x.y.z and, after the first
     * input, 100.64.0.0/10) and the frame numbers follow the previous
     * input's, so that no conversation, stream or frame-keyed state is
     * shared between inputs (unless an input names a later input's
     * addresses in its attributes).  A session is replaced after
     * MSSTUN_FUZZ_INPUTS_PER_SESSION inputs (default 50000): epan_new()
     * and epan_free() for every input would cost about 30 ms and leak
     * about 6 MB each in Wireshark 4.0. */
    client_serial = session_inputs++;
    build_frames(data, size);
    provider.count = frame_count;
    for (unsigned i = 0; i < frame_count; i++) {
        guint32 n = provider.base + i;

        provider.ts[i].secs = 1700000000 + (time_t)(n / 1000);
        provider.ts[i].nsecs = (int)(n % 1000) * 1000000;
    }

    reset_tap_listeners();
    dissect_pass(session, false);
    dissect_pass(session, true);
    draw_tap_listeners(TRUE);
    reset_tap_listeners();
    for (unsigned i = 0; i < frame_count; i++) {
        frame_data_destroy(&fdata[i]);
        g_free(frames[i].bytes);
    }
    provider.base += frame_count;
    return 0;
}
