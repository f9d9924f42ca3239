/* packet-msstun.c
 * Routines for Microsoft STUN/TURN/ICE message dissection: MS-TURN,
 * MS-ICE2 and MS-TURNBWM next to the IETF STUN/TURN/ICE family
 *
 * msstun plugin for Wireshark
 * Copyright the msstun contributors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Specifications:
 *   RFC 3489  STUN (classic)                 https://www.rfc-editor.org/rfc/rfc3489
 *   RFC 5389  STUN                           https://www.rfc-editor.org/rfc/rfc5389
 *   RFC 8489  STUN (bis)                     https://www.rfc-editor.org/rfc/rfc8489
 *   RFC 5766  TURN                           https://www.rfc-editor.org/rfc/rfc5766
 *   RFC 8656  TURN (bis)                     https://www.rfc-editor.org/rfc/rfc8656
 *   RFC 6062  TURN extensions for TCP        https://www.rfc-editor.org/rfc/rfc6062
 *   RFC 6156  TURN extension for IPv6        https://www.rfc-editor.org/rfc/rfc6156
 *   RFC 5245/8445 ICE                        https://www.rfc-editor.org/rfc/rfc8445
 *   RFC 5780  NAT behavior discovery         https://www.rfc-editor.org/rfc/rfc5780
 *   [MS-TURN]    https://learn.microsoft.com/en-us/openspecs/office_protocols/ms-turn
 *   [MS-TURNBWM] https://learn.microsoft.com/en-us/openspecs/office_protocols/ms-turnbwm
 *   [MS-ICE2]    https://learn.microsoft.com/en-us/openspecs/office_protocols/ms-ice2
 *
 * The dialects, decided per message (never by a global setting):
 *
 *                     | RFC 5389/8489 | MS-ICE2      | MS-TURN         | legacy MS-TURN  | RFC 3489
 *   ------------------+---------------+--------------+-----------------+-----------------+----------
 *   bytes 4..7        | 0x2112A442    | 0x2112A442   | 0x2112A442 (1)  | transaction ID  | trans. ID
 *   first attribute   | any           | any          | MAGIC-COOKIE    | MAGIC-COOKIE    | any
 *   attribute padding | to 4 bytes    | none allowed | none            | none            | n/a (2)
 *   message types     | class/method  | Binding only | raw TURN-08 (3) | raw TURN-08 (3) | raw
 *   0x0012            | XOR-PEER-ADDR | -            | REMOTE-ADDRESS  | REMOTE-ADDRESS  | -
 *   0x0014 / 0x0015   | REALM / NONCE | -            | NONCE / REALM   | NONCE / REALM   | -
 *   USERNAME          | UTF-8         | UTF-8        | opaque          | opaque          | opaque
 *
 *   (1) Teams relays send Data Indications (0x0115) without the RFC cookie,
 *       so MS-TURN messages of one flow may differ in this respect.
 *   (2) RFC 3489 attributes are multiples of 4 by design.
 *   (3) 0x0004 is the MS-TURN Send request (RFC 5766: Refresh request),
 *       0x0115 the Data Indication (RFC: an unassigned error response),
 *       0x0006/0x0106/0x0116 Set Active Destination.
 *
 * The XOR rule is the same everywhere: X-Port ^= bytes 4..5 of the message,
 * IPv4 ^= bytes 4..7, IPv6 ^= bytes 4..19 (RFC 5389 15.2, MS-TURN 2.2.2.16).
 */

#include "packet-msstun.h"

#include <epan/conversation.h>
#include <epan/crc32-tvb.h>
#include <epan/exceptions.h>
#include <epan/expert.h>
#include <epan/proto_data.h>
#include <epan/show_exception.h>
#include <epan/tap.h>
#include <epan/tfs.h>
#include <epan/to_str.h>
#include <epan/unit_strings.h>
#include <wsutil/crc32.h>
#include <wsutil/ws_roundup.h>

#include <stdlib.h>

void proto_register_msstun(void);

/* Attribute types.  IETF numbering; MS-TURN swaps NONCE and REALM. */
#define ATT_MAPPED_ADDRESS          0x0001  /* RFC 3489/5389; MS-TURN: relay address */
#define ATT_RESPONSE_ADDRESS        0x0002  /* RFC 3489 */
#define ATT_CHANGE_REQUEST          0x0003  /* RFC 3489, RFC 5780 */
#define ATT_SOURCE_ADDRESS          0x0004  /* RFC 3489 */
#define ATT_CHANGED_ADDRESS         0x0005  /* RFC 3489 */
#define ATT_USERNAME                0x0006
#define ATT_PASSWORD                0x0007  /* RFC 3489 */
#define ATT_MESSAGE_INTEGRITY       0x0008
#define ATT_ERROR_CODE              0x0009
#define ATT_UNKNOWN_ATTRIBUTES      0x000A
#define ATT_REFLECTED_FROM          0x000B  /* RFC 3489 */
#define ATT_CHANNEL_NUMBER          0x000C  /* RFC 5766 */
#define ATT_LIFETIME                0x000D  /* RFC 5766, MS-TURN */
#define ATT_MS_ALTERNATE_SERVER     0x000E  /* MS-TURN */
#define ATT_MAGIC_COOKIE            0x000F  /* MS-TURN 2.2.2.8 */
#define ATT_BANDWIDTH               0x0010  /* MS-TURN 2.2.2.9 */
#define ATT_DESTINATION_ADDRESS     0x0011  /* MS-TURN 2.2.2.10 */
#define ATT_XOR_PEER_ADDRESS        0x0012  /* RFC 5766; MS-TURN: REMOTE-ADDRESS, plain */
#define ATT_DATA                    0x0013
#define ATT_REALM                   0x0014  /* RFC 5389; MS-TURN: NONCE */
#define ATT_NONCE                   0x0015  /* RFC 5389; MS-TURN: REALM */
#define ATT_XOR_RELAYED_ADDRESS     0x0016  /* RFC 5766 */
#define ATT_REQUESTED_ADDRESS_FAMILY 0x0017 /* RFC 6156, MS-TURN 2.2.2.15 */
#define ATT_EVEN_PORT               0x0018  /* RFC 5766 */
#define ATT_REQUESTED_TRANSPORT     0x0019  /* RFC 5766 */
#define ATT_DONT_FRAGMENT           0x001A  /* RFC 5766 */
#define ATT_ACCESS_TOKEN            0x001B  /* RFC 7635 */
#define ATT_MESSAGE_INTEGRITY_SHA256 0x001C /* RFC 8489 */
#define ATT_PASSWORD_ALGORITHM      0x001D  /* RFC 8489 */
#define ATT_USERHASH                0x001E  /* RFC 8489 */
#define ATT_XOR_MAPPED_ADDRESS      0x0020  /* RFC 5389, MS-ICE2 */
#define ATT_RESERVATION_TOKEN       0x0022  /* RFC 5766 */
#define ATT_PRIORITY                0x0024  /* RFC 8445 */
#define ATT_USE_CANDIDATE           0x0025  /* RFC 8445 */
#define ATT_PADDING                 0x0026  /* RFC 5780 */
#define ATT_RESPONSE_PORT           0x0027  /* RFC 5780 */
#define ATT_XOR_REFLECTED_FROM      0x0028  /* draft-ietf-behave-nat-behavior-discovery */
#define ATT_CONNECTION_ID           0x002A  /* RFC 6062 */
/* Comprehension-optional range */
#define ATT_ADDITIONAL_ADDRESS_FAMILY 0x8000 /* RFC 8656 */
#define ATT_ADDRESS_ERROR_CODE      0x8001  /* RFC 8656 */
#define ATT_PASSWORD_ALGORITHMS     0x8002  /* RFC 8489 */
#define ATT_ALTERNATE_DOMAIN        0x8003  /* RFC 8489 */
#define ATT_ICMP                    0x8004  /* RFC 8656 */
#define ATT_MS_UNKNOWN_8006         0x8006  /* seen in MS captures, undocumented */
#define ATT_MS_VERSION              0x8008  /* MS-TURN 2.2.2.17 */
#define ATT_MS_XOR_MAPPED_ADDRESS   0x8020  /* MS-TURN 2.2.2.16 */
#define ATT_SOFTWARE                0x8022  /* RFC 5389 */
#define ATT_ALTERNATE_SERVER        0x8023  /* RFC 5389 */
#define ATT_TRANSACTION_TRANSMIT_COUNTER 0x8025 /* RFC 7982 */
#define ATT_CACHE_TIMEOUT           0x8027  /* RFC 5780 */
#define ATT_FINGERPRINT             0x8028  /* RFC 5389 */
#define ATT_ICE_CONTROLLED          0x8029  /* RFC 8445 */
#define ATT_ICE_CONTROLLING         0x802A  /* RFC 8445 */
#define ATT_RESPONSE_ORIGIN         0x802B  /* RFC 5780 */
#define ATT_OTHER_ADDRESS           0x802C  /* RFC 5780 */
#define ATT_ECN_CHECK_STUN          0x802D  /* RFC 6679 */
#define ATT_THIRD_PARTY_AUTHORIZATION 0x802E /* RFC 7635 */
#define ATT_MOBILITY_TICKET         0x8030  /* RFC 8016 */
#define ATT_MS_ALTERNATE_HOST_NAME  0x8032  /* MS-TURN 2.2.2 */
#define ATT_MS_APP_ID               0x8037  /* MS-TURN 2.2.2 */
#define ATT_MS_SECURE_TAG           0x8039  /* MS-TURN 2.2.2 */
#define ATT_MS_SEQUENCE_NUMBER      0x8050  /* MS-TURN 2.2.2.21 */
#define ATT_MS_CANDIDATE_IDENTIFIER 0x8054  /* MS-ICE2 2.2 */
#define ATT_MS_SERVICE_QUALITY      0x8055  /* MS-TURN */
#define ATT_BWM_ACM                 0x8056  /* MS-TURNBWM 2.2.1 */
#define ATT_BWM_RSV_ID              0x8057  /* MS-TURNBWM 2.2.2 */
#define ATT_BWM_RSV_AMOUNT          0x8058  /* MS-TURNBWM 2.2.3 */
#define ATT_BWM_REMOTE_SITE         0x8059  /* MS-TURNBWM */
#define ATT_BWM_REMOTE_RELAY_SITE   0x805A  /* MS-TURNBWM */
#define ATT_BWM_LOCAL_SITE          0x805B  /* MS-TURNBWM 2.2.6 */
#define ATT_BWM_LOCAL_RELAY_SITE    0x805C  /* MS-TURNBWM */
#define ATT_BWM_REMOTE_SITE_RP      0x805D  /* MS-TURNBWM 2.2.8 */
#define ATT_BWM_REMOTE_RELAY_SITE_RP 0x805E /* MS-TURNBWM */
#define ATT_BWM_LOCAL_SITE_RP       0x805F  /* MS-TURNBWM */
#define ATT_BWM_LOCAL_RELAY_SITE_RP 0x8060  /* MS-TURNBWM 2.2.11 */
#define ATT_BWM_SIP_DIALOG_ID       0x8061  /* MS-TURNBWM */
#define ATT_BWM_SIP_CALL_ID         0x8062  /* MS-TURNBWM */
#define ATT_BWM_LOCATION_PROFILE    0x8068  /* MS-TURNBWM */
#define ATT_MS_IMPLEMENTATION_VERSION 0x8070 /* MS-ICE2 2.2 */
#define ATT_MS_ALT_MAPPED_ADDRESS   0x8090  /* MS-TURN 2.2.2.23 */
#define ATT_MS_MULTIPLEXED_SESSION_ID 0x8095 /* MS-TURN 2.2.2 */
#define ATT_NOMINATION              0xC001  /* draft-thatcher-ice-renomination */
#define ATT_GOOG_NETWORK_INFO       0xC057  /* Google, undocumented */
#define ATT_GOOG_LAST_ICE_CHECK_RECEIVED 0xC058
#define ATT_GOOG_MISC_INFO          0xC059
#define ATT_GOOG_OBSOLETE_1         0xC05A
#define ATT_GOOG_CONNECTION_ID      0xC05B
#define ATT_GOOG_DELTA              0xC05C
#define ATT_GOOG_DELTA_ACK          0xC05D
#define ATT_GOOG_DELTA_SYNC_REQ     0xC05E
#define ATT_GOOG_MESSAGE_INTEGRITY_32 0xC060

#define FINGERPRINT_XOR             0x5354554E  /* RFC 5389 15.5 */


typedef enum {
    DIALECT_RFC5389 = 1,
    DIALECT_MSICE2_UNPADDED,
    DIALECT_MSTURN,
    DIALECT_MSTURN_LEGACY,
    DIALECT_RFC3489
} msstun_dialect_t;



/* What one message said, collected while its attributes are walked. */
typedef struct {
    tvbuff_t   *tvb;            /* the whole message */
    uint16_t    type;
    unsigned    method;
    unsigned    cls;
    msstun_dialect_t dialect;
    bool        ms_semantics;   /* MS-TURN attribute numbering and encodings */
    wmem_strbuf_t *info;        /* key facts for the Info column */
    unsigned    data_length;    /* DATA value, relayed payload */
    unsigned    depth;          /* 0 unless relayed inside another message */
    unsigned    end;            /* 20 + the message length, at most the payload's */
    msstun_tap_t *rec;          /* what the "msstun" tap gets */
    msstun_message_result_t *result;
} msstun_msg_t;

typedef struct {
    uint32_t req_frame;
    uint32_t rsp_frame;
    nstime_t req_time;
} msstun_transaction_t;

/* What the message dissector keeps per 5-tuple. */
typedef struct {
    wmem_tree_t *transactions;      /* requests by transaction ID */
    /* The ICE checks on this 5-tuple.  Direction 0 is from the sender of
     * the first check; successes count the answers to the requests of each
     * direction. */
    address      check_local;
    uint32_t     check_local_port;
    unsigned     check_requests[2];
    unsigned     check_successes[2];
    /* The TURN allocation made on this 5-tuple (the relayed address of its
     * Allocate success, AT_NONE before), its client and the peers learned
     * for it. */
    address      relayed;
    uint32_t     relayed_port;
    address      client;
    uint32_t     client_port;
    wmem_map_t  *peers;
} msstun_message_conv_t;

int proto_msstun = -1;
int proto_msstun_message = -1;
static int proto_stun = -1;
static int msstun_tap = -1;

static int hf_msstun_type = -1;
static int hf_msstun_method = -1;
static int hf_msstun_class = -1;
static int hf_msstun_length = -1;
static int hf_msstun_cookie = -1;
static int hf_msstun_id = -1;
static int hf_msstun_dialect = -1;
static int hf_msstun_padded = -1;
static int hf_msstun_attributes = -1;
static int hf_msstun_attribute = -1;
static int hf_msstun_response_in = -1;
static int hf_msstun_response_to = -1;
static int hf_msstun_time = -1;
static int hf_msstun_retransmission_of = -1;
static int hf_msstun_att_type = -1;
static int hf_msstun_att_type_optional = -1;
static int hf_msstun_att_length = -1;
static int hf_msstun_att_padding = -1;
static int hf_msstun_att_value = -1;
static int hf_msstun_att_reserved = -1;
static int hf_msstun_att_reserved16 = -1;
static int hf_msstun_att_reserved24 = -1;
static int hf_msstun_att_family = -1;
static int hf_msstun_att_xor_port = -1;
static int hf_msstun_att_xor_ipv4 = -1;
static int hf_msstun_att_xor_ipv6 = -1;
static int hf_msstun_addr = -1;
static int hf_msstun_addr6 = -1;
static int hf_msstun_port = -1;
/* IPv4, IPv6 and port of each address role (role_fields[]). */
static int hf_msstun_role_mapped_ipv4 = -1;
static int hf_msstun_role_mapped_ipv6 = -1;
static int hf_msstun_role_mapped_port = -1;
static int hf_msstun_role_response_ipv4 = -1;
static int hf_msstun_role_response_ipv6 = -1;
static int hf_msstun_role_response_port = -1;
static int hf_msstun_role_source_ipv4 = -1;
static int hf_msstun_role_source_ipv6 = -1;
static int hf_msstun_role_source_port = -1;
static int hf_msstun_role_changed_ipv4 = -1;
static int hf_msstun_role_changed_ipv6 = -1;
static int hf_msstun_role_changed_port = -1;
static int hf_msstun_role_reflected_from_ipv4 = -1;
static int hf_msstun_role_reflected_from_ipv6 = -1;
static int hf_msstun_role_reflected_from_port = -1;
static int hf_msstun_role_alternate_server_ipv4 = -1;
static int hf_msstun_role_alternate_server_ipv6 = -1;
static int hf_msstun_role_alternate_server_port = -1;
static int hf_msstun_role_destination_ipv4 = -1;
static int hf_msstun_role_destination_ipv6 = -1;
static int hf_msstun_role_destination_port = -1;
static int hf_msstun_role_remote_ipv4 = -1;
static int hf_msstun_role_remote_ipv6 = -1;
static int hf_msstun_role_remote_port = -1;
static int hf_msstun_role_xor_peer_ipv4 = -1;
static int hf_msstun_role_xor_peer_ipv6 = -1;
static int hf_msstun_role_xor_peer_port = -1;
static int hf_msstun_role_xor_relayed_ipv4 = -1;
static int hf_msstun_role_xor_relayed_ipv6 = -1;
static int hf_msstun_role_xor_relayed_port = -1;
static int hf_msstun_role_xor_mapped_ipv4 = -1;
static int hf_msstun_role_xor_mapped_ipv6 = -1;
static int hf_msstun_role_xor_mapped_port = -1;
static int hf_msstun_role_ms_xor_mapped_ipv4 = -1;
static int hf_msstun_role_ms_xor_mapped_ipv6 = -1;
static int hf_msstun_role_ms_xor_mapped_port = -1;
static int hf_msstun_role_xor_reflected_from_ipv4 = -1;
static int hf_msstun_role_xor_reflected_from_ipv6 = -1;
static int hf_msstun_role_xor_reflected_from_port = -1;
static int hf_msstun_role_response_origin_ipv4 = -1;
static int hf_msstun_role_response_origin_ipv6 = -1;
static int hf_msstun_role_response_origin_port = -1;
static int hf_msstun_role_other_address_ipv4 = -1;
static int hf_msstun_role_other_address_ipv6 = -1;
static int hf_msstun_role_other_address_port = -1;
static int hf_msstun_role_ms_alt_mapped_ipv4 = -1;
static int hf_msstun_role_ms_alt_mapped_ipv6 = -1;
static int hf_msstun_role_ms_alt_mapped_port = -1;
static int hf_msstun_role_remote_site_ipv4 = -1;
static int hf_msstun_role_remote_site_ipv6 = -1;
static int hf_msstun_role_remote_site_port = -1;
static int hf_msstun_role_remote_relay_site_ipv4 = -1;
static int hf_msstun_role_remote_relay_site_ipv6 = -1;
static int hf_msstun_role_remote_relay_site_port = -1;
static int hf_msstun_role_local_site_ipv4 = -1;
static int hf_msstun_role_local_site_ipv6 = -1;
static int hf_msstun_role_local_site_port = -1;
static int hf_msstun_role_local_relay_site_ipv4 = -1;
static int hf_msstun_role_local_relay_site_ipv6 = -1;
static int hf_msstun_role_local_relay_site_port = -1;
static int hf_msstun_att_change_ip = -1;
static int hf_msstun_att_change_port = -1;
static int hf_msstun_att_username = -1;
static int hf_msstun_att_username_opaque = -1;
static int hf_msstun_att_password = -1;
static int hf_msstun_att_hmac_sha1 = -1;
static int hf_msstun_att_hmac_sha256 = -1;
static int hf_msstun_att_hmac = -1;
static int hf_msstun_att_error_reserved = -1;
static int hf_msstun_att_address_error_reserved = -1;
static int hf_msstun_att_error_class = -1;
static int hf_msstun_att_error_number = -1;
static int hf_msstun_att_error = -1;
static int hf_msstun_att_error_reason = -1;
static int hf_msstun_att_unknown_type = -1;
static int hf_msstun_att_channel = -1;
static int hf_msstun_att_rffu = -1;
static int hf_msstun_att_lifetime = -1;
static int hf_msstun_att_magic_cookie = -1;
static int hf_msstun_att_bandwidth = -1;
static int hf_msstun_att_data = -1;
static int hf_msstun_att_realm = -1;
static int hf_msstun_att_nonce = -1;
static int hf_msstun_att_requested_family = -1;
static int hf_msstun_att_even_port_reserve = -1;
static int hf_msstun_att_transport = -1;
static int hf_msstun_att_access_token = -1;
static int hf_msstun_att_pw_alg = -1;
static int hf_msstun_att_pw_alg_params_len = -1;
static int hf_msstun_att_pw_alg_params = -1;
static int hf_msstun_att_userhash = -1;
static int hf_msstun_att_reservation_token = -1;
static int hf_msstun_att_priority = -1;
static int hf_msstun_att_padding_value = -1;
static int hf_msstun_att_response_port = -1;
static int hf_msstun_att_connection_id = -1;
static int hf_msstun_att_icmp_type = -1;
static int hf_msstun_att_icmp_code = -1;
static int hf_msstun_att_icmp_error_data = -1;
static int hf_msstun_att_software = -1;
static int hf_msstun_att_alternate_domain = -1;
static int hf_msstun_att_transmit_req = -1;
static int hf_msstun_att_transmit_resp = -1;
static int hf_msstun_att_cache_timeout = -1;
static int hf_msstun_att_fingerprint = -1;
static int hf_msstun_att_fingerprint_status = -1;
static int hf_msstun_att_fingerprint_legacy = -1;
static int hf_msstun_att_tie_breaker = -1;
static int hf_msstun_att_ecn_check = -1;
static int hf_msstun_att_third_party_auth = -1;
static int hf_msstun_att_mobility_ticket = -1;
static int hf_msstun_att_ms_unknown_8006 = -1;
static int hf_msstun_att_ms_version = -1;
static int hf_msstun_att_ms_alt_host_name = -1;
static int hf_msstun_att_ms_app_id = -1;
static int hf_msstun_att_ms_secure_tag = -1;
static int hf_msstun_att_ms_connection_id = -1;
static int hf_msstun_att_ms_sequence_number = -1;
static int hf_msstun_att_ms_candidate_id = -1;
static int hf_msstun_att_ms_stream_type = -1;
static int hf_msstun_att_ms_service_quality = -1;
static int hf_msstun_att_ms_impl_version = -1;
static int hf_msstun_att_ms_multiplexed_session_id = -1;
static int hf_msstun_att_bwm_acm_type = -1;
static int hf_msstun_att_bwm_rsv_id = -1;
static int hf_msstun_att_bwm_min_send = -1;
static int hf_msstun_att_bwm_max_send = -1;
static int hf_msstun_att_bwm_min_recv = -1;
static int hf_msstun_att_bwm_max_recv = -1;
static int hf_msstun_att_bwm_valid = -1;
static int hf_msstun_att_bwm_pstn_failover = -1;
static int hf_msstun_att_bwm_rp_reserved = -1;
static int hf_msstun_att_bwm_rp_reserved31 = -1;
static int hf_msstun_att_bwm_rp_max_send = -1;
static int hf_msstun_att_bwm_rp_max_recv = -1;
static int hf_msstun_att_bwm_sip_dialog_id = -1;
static int hf_msstun_att_bwm_sip_call_id = -1;
static int hf_msstun_att_bwm_peer_location = -1;
static int hf_msstun_att_bwm_self_location = -1;
static int hf_msstun_att_bwm_federation = -1;
static int hf_msstun_att_nomination = -1;
static int hf_msstun_att_goog_network_id = -1;
static int hf_msstun_att_goog_network_cost = -1;
static int hf_msstun_att_goog_misc_info = -1;

/* The fields of each address role, indexed by msstun_addr_role_t. */
typedef struct {
    int *ipv4;
    int *ipv6;
    int *port;
} role_fields_t;

static const role_fields_t role_fields[MSSTUN_ROLE_COUNT] = {
    [MSSTUN_ROLE_MAPPED] = {
        &hf_msstun_role_mapped_ipv4, &hf_msstun_role_mapped_ipv6,
        &hf_msstun_role_mapped_port },
    [MSSTUN_ROLE_RESPONSE] = {
        &hf_msstun_role_response_ipv4, &hf_msstun_role_response_ipv6,
        &hf_msstun_role_response_port },
    [MSSTUN_ROLE_SOURCE] = {
        &hf_msstun_role_source_ipv4, &hf_msstun_role_source_ipv6,
        &hf_msstun_role_source_port },
    [MSSTUN_ROLE_CHANGED] = {
        &hf_msstun_role_changed_ipv4, &hf_msstun_role_changed_ipv6,
        &hf_msstun_role_changed_port },
    [MSSTUN_ROLE_REFLECTED_FROM] = {
        &hf_msstun_role_reflected_from_ipv4, &hf_msstun_role_reflected_from_ipv6,
        &hf_msstun_role_reflected_from_port },
    [MSSTUN_ROLE_ALTERNATE_SERVER] = {
        &hf_msstun_role_alternate_server_ipv4, &hf_msstun_role_alternate_server_ipv6,
        &hf_msstun_role_alternate_server_port },
    [MSSTUN_ROLE_DESTINATION] = {
        &hf_msstun_role_destination_ipv4, &hf_msstun_role_destination_ipv6,
        &hf_msstun_role_destination_port },
    [MSSTUN_ROLE_REMOTE] = {
        &hf_msstun_role_remote_ipv4, &hf_msstun_role_remote_ipv6,
        &hf_msstun_role_remote_port },
    [MSSTUN_ROLE_XOR_PEER] = {
        &hf_msstun_role_xor_peer_ipv4, &hf_msstun_role_xor_peer_ipv6,
        &hf_msstun_role_xor_peer_port },
    [MSSTUN_ROLE_XOR_RELAYED] = {
        &hf_msstun_role_xor_relayed_ipv4, &hf_msstun_role_xor_relayed_ipv6,
        &hf_msstun_role_xor_relayed_port },
    [MSSTUN_ROLE_XOR_MAPPED] = {
        &hf_msstun_role_xor_mapped_ipv4, &hf_msstun_role_xor_mapped_ipv6,
        &hf_msstun_role_xor_mapped_port },
    [MSSTUN_ROLE_MS_XOR_MAPPED] = {
        &hf_msstun_role_ms_xor_mapped_ipv4, &hf_msstun_role_ms_xor_mapped_ipv6,
        &hf_msstun_role_ms_xor_mapped_port },
    [MSSTUN_ROLE_XOR_REFLECTED_FROM] = {
        &hf_msstun_role_xor_reflected_from_ipv4, &hf_msstun_role_xor_reflected_from_ipv6,
        &hf_msstun_role_xor_reflected_from_port },
    [MSSTUN_ROLE_RESPONSE_ORIGIN] = {
        &hf_msstun_role_response_origin_ipv4, &hf_msstun_role_response_origin_ipv6,
        &hf_msstun_role_response_origin_port },
    [MSSTUN_ROLE_OTHER_ADDRESS] = {
        &hf_msstun_role_other_address_ipv4, &hf_msstun_role_other_address_ipv6,
        &hf_msstun_role_other_address_port },
    [MSSTUN_ROLE_MS_ALT_MAPPED] = {
        &hf_msstun_role_ms_alt_mapped_ipv4, &hf_msstun_role_ms_alt_mapped_ipv6,
        &hf_msstun_role_ms_alt_mapped_port },
    [MSSTUN_ROLE_REMOTE_SITE] = {
        &hf_msstun_role_remote_site_ipv4, &hf_msstun_role_remote_site_ipv6,
        &hf_msstun_role_remote_site_port },
    [MSSTUN_ROLE_REMOTE_RELAY_SITE] = {
        &hf_msstun_role_remote_relay_site_ipv4, &hf_msstun_role_remote_relay_site_ipv6,
        &hf_msstun_role_remote_relay_site_port },
    [MSSTUN_ROLE_LOCAL_SITE] = {
        &hf_msstun_role_local_site_ipv4, &hf_msstun_role_local_site_ipv6,
        &hf_msstun_role_local_site_port },
    [MSSTUN_ROLE_LOCAL_RELAY_SITE] = {
        &hf_msstun_role_local_relay_site_ipv4, &hf_msstun_role_local_relay_site_ipv6,
        &hf_msstun_role_local_relay_site_port },
};

static int ett_msstun = -1;
static int ett_msstun_attributes = -1;
static int ett_msstun_attribute = -1;

static expert_field ei_msstun_length_mismatch = EI_INIT;
static expert_field ei_msstun_walk_mismatch = EI_INIT;
static expert_field ei_msstun_padding_fallback = EI_INIT;
static expert_field ei_msstun_att_truncated = EI_INIT;
static expert_field ei_msstun_att_bogus_length = EI_INIT;
static expert_field ei_msstun_att_short = EI_INIT;
static expert_field ei_msstun_att_long = EI_INIT;
static expert_field ei_msstun_att_unknown_required = EI_INIT;
static expert_field ei_msstun_att_bad_family = EI_INIT;
static expert_field ei_msstun_att_hmac_length = EI_INIT;
static expert_field ei_msstun_att_fingerprint_bad = EI_INIT;
static expert_field ei_msstun_att_fingerprint_legacy = EI_INIT;
static expert_field ei_msstun_att_fingerprint_not_last = EI_INIT;
static expert_field ei_msstun_att_not_captured = EI_INIT;
static expert_field ei_msstun_ms_sequence_number_only = EI_INIT;
static expert_field ei_msstun_magic_cookie_not_first = EI_INIT;
static expert_field ei_msstun_error_response = EI_INIT;
static expert_field ei_msstun_auth_challenge = EI_INIT;
static expert_field ei_msstun_ms_send_response = EI_INIT;
static expert_field ei_msstun_retransmission = EI_INIT;
static expert_field ei_msstun_no_response = EI_INIT;
static expert_field ei_msstun_pair_not_valid = EI_INIT;
static expert_field ei_msstun_learn_bound = EI_INIT;

static const value_string msstun_class_vals[] = {
    { MSSTUN_CLASS_REQUEST,    "Request" },
    { MSSTUN_CLASS_INDICATION, "Indication" },
    { MSSTUN_CLASS_SUCCESS,    "Success Response" },
    { MSSTUN_CLASS_ERROR,      "Error Response" },
    { 0, NULL }
};

const value_string msstun_method_vals[] = {
    { MSSTUN_METHOD_BINDING,            "Binding" },
    { MSSTUN_METHOD_SHARED_SECRET,      "Shared Secret" },
    { MSSTUN_METHOD_ALLOCATE,           "Allocate" },
    { MSSTUN_METHOD_REFRESH,            "Refresh" },
    { MSSTUN_METHOD_SEND,               "Send" },
    { MSSTUN_METHOD_DATA,               "Data" },
    { MSSTUN_METHOD_CREATE_PERMISSION,  "CreatePermission" },
    { MSSTUN_METHOD_CHANNEL_BIND,       "ChannelBind" },
    { MSSTUN_METHOD_CONNECT,            "Connect" },
    { MSSTUN_METHOD_CONNECTION_BIND,    "ConnectionBind" },
    { MSSTUN_METHOD_CONNECTION_ATTEMPT, "ConnectionAttempt" },
    { MSSTUN_METHOD_GOOG_PING,          "GOOG-PING" },
    { MSSTUN_METHOD_MS_SEND,            "Send" },
    { MSSTUN_METHOD_MS_DATA,            "Data" },
    { MSSTUN_METHOD_MS_SET_ACTIVE_DEST, "Set Active Destination" },
    { 0, NULL }
};

static const value_string msstun_dialect_vals[] = {
    { DIALECT_RFC5389,         "RFC 5389/8489" },
    { DIALECT_MSICE2_UNPADDED, "MS-ICE2 (unpadded attributes)" },
    { DIALECT_MSTURN,          "MS-TURN" },
    { DIALECT_MSTURN_LEGACY,   "MS-TURN, 128-bit transaction ID (no RFC 5389 cookie)" },
    { DIALECT_RFC3489,         "RFC 3489 (classic)" },
    { 0, NULL }
};

/* Sorted by value.  RFC 5389/8489/5766/8656/6062, RFC 3489, MS-TURN and
 * MS-ICE2BWM codes. */
static const value_string msstun_error_code_vals[] = {
    { 274, "Disable Candidate" },           /* MS-ICE2BWM */
    { 275, "Disable Candidate Pair" },      /* MS-ICE2BWM */
    { 300, "Try Alternate" },
    { 400, "Bad Request" },
    { 401, "Unauthorized" },
    { 403, "Forbidden" },
    { 405, "Mobility Forbidden" },
    { 420, "Unknown Attribute" },
    { 430, "Stale Credentials" },           /* RFC 3489 */
    { 431, "Integrity Check Failure" },     /* RFC 3489 */
    { 432, "Missing Username" },            /* RFC 3489 */
    { 433, "Use TLS" },                     /* RFC 3489 */
    { 434, "Missing Realm" },               /* MS-TURN */
    { 435, "Missing Nonce" },               /* MS-TURN */
    { 436, "Unknown User" },                /* MS-TURN */
    { 437, "Allocation Mismatch" },
    { 438, "Stale Nonce" },
    { 439, "Active Destination Already Set" }, /* TURN-04, MS-TURN */
    { 440, "Address Family not Supported" },
    { 441, "Wrong Credentials" },
    { 442, "Unsupported Transport Protocol" },
    { 443, "Peer Address Family Mismatch" },
    { 446, "Connection Already Exists" },   /* RFC 6062 */
    { 447, "Connection Timeout or Failure" }, /* RFC 6062 */
    { 486, "Allocation Quota Reached" },
    { 487, "Role Conflict" },
    { 500, "Server Error" },
    { 507, "Insufficient Capacity" },
    { 508, "Insufficient Port Capacity" },
    { 600, "Global Failure" },
    { 0, NULL }
};
static value_string_ext msstun_error_code_vals_ext = VALUE_STRING_EXT_INIT(msstun_error_code_vals);

static const value_string msstun_family_vals[] = {
    { 0x01, "IPv4" },
    { 0x02, "IPv6" },
    { 0, NULL }
};

static const value_string msstun_transport_vals[] = {
    { 6,  "TCP" },
    { 17, "UDP" },
    { 0, NULL }
};

/* MS-TURN 2.2.2.17 */
static const value_string msstun_ms_version_vals[] = {
    { 1, "MS-ICE" },
    { 2, "MS-ICE2" },
    { 3, "MS-ICE2 with HMAC-SHA256" },
    { 4, "MS-ICE2 with HMAC-SHA256 and IPv6" },
    { 5, "Multiplexed TURN over UDP" },
    { 6, "Multiplexed TURN over UDP and TCP" },
    { 0, NULL }
};

/* MS-ICE2 2.2: versions below 3 send IETFDRAFT-STUN-02 formats only. */
static const range_string msstun_impl_version_rvals[] = {
    { 0, 2,          "RFC 3489bis-02 message formats only" },
    { 3, 0xFFFFFFFF, "RFC 5389 message formats" },
    { 0, 0, NULL }
};

static const value_string msstun_stream_type_vals[] = {
    { 1, "Audio" },
    { 2, "Video" },
    { 3, "Supplemental Video" },
    { 4, "Data" },
    { 0, NULL }
};

static const value_string msstun_service_quality_vals[] = {
    { 0, "Best effort delivery" },
    { 1, "Reliable delivery" },
    { 0, NULL }
};

/* MS-TURNBWM 2.2.1 */
static const value_string msstun_bwm_acm_vals[] = {
    { 0, "Reservation Check" },
    { 1, "Reservation Commit" },
    { 2, "Reservation Update" },
    { 0, NULL }
};

/* Wireshark's tfs_set_notset lives in libwireshark: on Windows its address
 * is not a constant a plugin's static field array may hold. */
static const true_false_string msstun_set_tfs = { "Set", "Not set" };

static const value_string msstun_location_vals[] = {
    { 0, "Unknown" },
    { 1, "Internet" },
    { 2, "Intranet" },
    { 0, NULL }
};

static const value_string msstun_federation_vals[] = {
    { 0, "No federation" },
    { 1, "Enterprise federation" },
    { 2, "Public cloud federation" },
    { 0, NULL }
};

static const value_string msstun_pw_alg_vals[] = {
    { 1, "MD5" },
    { 2, "SHA-256" },
    { 0, NULL }
};

/* Values of the checksum status field written by proto_tree_add_checksum();
 * a plugin cannot use epan's exported proto_checksum_vals table. */
static const value_string msstun_checksum_status_vals[] = {
    { PROTO_CHECKSUM_E_BAD,        "Bad" },
    { PROTO_CHECKSUM_E_GOOD,       "Good" },
    { PROTO_CHECKSUM_E_UNVERIFIED, "Unverified" },
    { PROTO_CHECKSUM_E_NOT_PRESENT, "Not present" },
    { PROTO_CHECKSUM_E_ILLEGAL,    "Illegal" },
    { 0, NULL }
};

static const true_false_string msstun_optional_tfs = { "Comprehension-optional", "Comprehension-required" };
static const true_false_string msstun_padded_tfs = { "Padded to 4 bytes", "Not padded" };

static const unit_name_string msstun_units_seconds = { " second", " seconds" };
static const unit_name_string msstun_units_kbps = { " kbit/s", NULL };

/*
 * The message header and the attribute walk
 */

typedef struct {
    bool ends_exactly;          /* the walk ends at 20 + length */
    bool has_destination;       /* DESTINATION-ADDRESS present */
    bool has_data;              /* DATA present */
} msstun_walk_t;

static msstun_walk_t
walk_attributes(tvbuff_t *tvb, unsigned offset, unsigned end, bool padded)
{
    msstun_walk_t walk = { false, false, false };

    while (offset + 4 <= end) {
        unsigned att_type = tvb_get_ntohs(tvb, offset);
        unsigned att_len = tvb_get_ntohs(tvb, offset + 2);

        if (att_type == ATT_DESTINATION_ADDRESS)
            walk.has_destination = true;
        else if (att_type == ATT_DATA)
            walk.has_data = true;
        offset += 4 + (padded ? WS_ROUNDUP_4(att_len) : att_len);
    }
    walk.ends_exactly = (offset == end);
    return walk;
}

static bool
starts_with_magic_cookie(tvbuff_t *tvb, unsigned offset, unsigned msg_len)
{
    return msg_len >= MSSTUN_HEADER_LEN + 8 &&
           tvb_captured_length_remaining(tvb, offset) >= (int)MSSTUN_HEADER_LEN + 8 &&
           tvb_get_ntohs(tvb, offset + 20) == ATT_MAGIC_COOKIE &&
           tvb_get_ntohs(tvb, offset + 22) == 4 &&
           tvb_get_ntohl(tvb, offset + 24) == MSSTUN_MS_TURN_COOKIE;
}

/* When an MS-TURN message type means an MS method rather than the RFC 5389
 * method its bits encode. */
typedef enum {
    MS_NEVER,           /* always the RFC method (Binding, Shared Secret, Allocate) */
    MS_ALWAYS,          /* always the MS method (Data Indication, Set Active Destination) */
    MS_IF_SEMANTICS,    /* the MS method in an MS-TURN dialect (Send responses) */
    MS_IF_SEND          /* ... or when it carries DESTINATION-ADDRESS or DATA (0x0004) */
} ms_rule_t;

/* The RFC 3489 and TURN-08 message types: the only ones accepted without
 * any cookie (MS-TURN 2.2.1, RFC 3489 11.1), and what each means. */
static const struct {
    uint16_t  type;
    ms_rule_t rule;
    unsigned  ms_method;
    unsigned  ms_class;
} classic_types[] = {
    { 0x0001, MS_NEVER,        0,                               0 },    /* Binding */
    { 0x0101, MS_NEVER,        0,                               0 },
    { 0x0111, MS_NEVER,        0,                               0 },
    { 0x0002, MS_NEVER,        0,                               0 },    /* Shared Secret */
    { 0x0102, MS_NEVER,        0,                               0 },
    { 0x0112, MS_NEVER,        0,                               0 },
    { 0x0003, MS_NEVER,        0,                               0 },    /* Allocate */
    { 0x0103, MS_NEVER,        0,                               0 },
    { 0x0113, MS_NEVER,        0,                               0 },
    /* Refresh in RFC 5766, Send in MS-TURN */
    { 0x0004, MS_IF_SEND,      MSSTUN_METHOD_MS_SEND,           MSSTUN_CLASS_REQUEST },
    { 0x0104, MS_IF_SEMANTICS, MSSTUN_METHOD_MS_SEND,           MSSTUN_CLASS_SUCCESS },
    { 0x0114, MS_IF_SEMANTICS, MSSTUN_METHOD_MS_SEND,           MSSTUN_CLASS_ERROR },
    /* An error response's bits in RFC 5389, a Data Indication in MS-TURN */
    { 0x0115, MS_ALWAYS,       MSSTUN_METHOD_MS_DATA,           MSSTUN_CLASS_INDICATION },
    { 0x0006, MS_ALWAYS,       MSSTUN_METHOD_MS_SET_ACTIVE_DEST, MSSTUN_CLASS_REQUEST },
    { 0x0106, MS_ALWAYS,       MSSTUN_METHOD_MS_SET_ACTIVE_DEST, MSSTUN_CLASS_SUCCESS },
    { 0x0116, MS_ALWAYS,       MSSTUN_METHOD_MS_SET_ACTIVE_DEST, MSSTUN_CLASS_ERROR },
};

static int
classic_type_index(unsigned type)
{
    for (unsigned i = 0; i < array_length(classic_types); i++) {
        if (classic_types[i].type == type)
            return (int)i;
    }
    return -1;
}

bool
msstun_is_message(tvbuff_t *tvb, unsigned offset, unsigned length)
{
    unsigned type;

    if (length < MSSTUN_HEADER_LEN || tvb_captured_length_remaining(tvb, offset) < (int)MSSTUN_HEADER_LEN)
        return false;
    type = tvb_get_ntohs(tvb, offset);
    if (type & 0xC000)
        return false;
    if (MSSTUN_HEADER_LEN + tvb_get_ntohs(tvb, offset + 2) != length)
        return false;
    if (tvb_get_ntohl(tvb, offset + 4) == MSSTUN_RFC5389_COOKIE) {
        /* RFC 7983: STUN methods above 0x0FF would collide with DTLS-SRTP. */
        return (type & 0x3C00) == 0;
    }
    /* MS-TURN without the RFC cookie: MAGIC-COOKIE first, also in a
     * message that the capture's snapshot length cut. */
    if (starts_with_magic_cookie(tvb, offset, length))
        return true;
    /* A cookie-less classic message: a known type and a clean walk. */
    return (unsigned)tvb_captured_length_remaining(tvb, offset) >= length && classic_type_index(type) >= 0 &&
           walk_attributes(tvb, offset + MSSTUN_HEADER_LEN, offset + length, false).ends_exactly;
}

/* Names the message.  MS-TURN's raw types take precedence over the RFC 5389
 * class/method split where the two disagree (MS-TURN 2.2.1). */
static void
classify_type(msstun_msg_t *msg, const msstun_walk_t *walk)
{
    unsigned type = msg->type;
    int i = classic_type_index(type);
    bool ms_method = false;

    if (i >= 0) {
        switch (classic_types[i].rule) {
        case MS_NEVER:
            break;
        case MS_ALWAYS:
            ms_method = true;
            break;
        case MS_IF_SEMANTICS:
            ms_method = msg->ms_semantics;
            break;
        case MS_IF_SEND:
            ms_method = msg->ms_semantics || walk->has_destination || walk->has_data;
            break;
        }
    }
    if (ms_method) {
        msg->method = classic_types[i].ms_method;
        msg->cls = classic_types[i].ms_class;
        return;
    }
    msg->method = (type & 0x000F) | ((type & 0x00E0) >> 1) | ((type & 0x3E00) >> 2);
    msg->cls = ((type & 0x0010) >> 4) | ((type & 0x0100) >> 7);
}

static void
add_info(msstun_msg_t *msg, const char *label, const char *value)
{
    wmem_strbuf_append_printf(msg->info, " %s %s", label, value);
}

/*
 * Attribute values: a descriptor per attribute type says how to decode it
 */

typedef struct att_desc att_desc_t;

/* Decodes a value whose length the descriptor allows; returns a summary
 * for the attribute line, or NULL. */
typedef const char *(*att_decoder_t)(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item,
                                     msstun_msg_t *msg, const att_desc_t *desc, unsigned att_offset);

typedef enum {
    ATT_KIND_OPAQUE,        /* known, not decoded: the value as bytes */
    ATT_KIND_BYTES,         /* the value in hf */
    ATT_KIND_STRING,        /* UTF-8 in hf, and the summary */
    ATT_KIND_UINT,          /* a number of min_len bytes in hf, and the summary */
    ATT_KIND_UINT16_LIST,   /* 16-bit numbers in hf, one after the other */
    ATT_KIND_FIELDS,        /* the fields of a fixed layout */
    ATT_KIND_ADDRESS,       /* Reserved, Family, Port, Address */
    ATT_KIND_XOR_ADDRESS,   /* the same, XOR-encoded */
    ATT_KIND_CUSTOM         /* decode */
} att_kind_t;

typedef struct {
    int     *hf;            /* NULL ends a layout */
    uint8_t  offset;
    uint8_t  length;
} att_field_t;

struct att_desc {
    uint16_t            type;
    const char         *name;
    att_kind_t          kind;
    int                *hf;            /* BYTES, STRING, UINT, UINT16_LIST */
    const att_field_t  *fields;        /* FIELDS */
    const value_string *summary_vals;  /* FIELDS: the summary names the first byte's value */
    uint16_t            min_len;       /* shorter values get ei_msstun_att_short */
    uint16_t            max_len;       /* longer ones ei_msstun_att_long; 0 for no maximum */
    msstun_addr_role_t  role;          /* ADDRESS, XOR_ADDRESS */
    const char         *info_label;    /* the summary goes to the Info column after it */
    att_decoder_t       decode;        /* CUSTOM */
};

/* Reserved(1) Family(1) Port(2) Address(4/16), plain or XOR-encoded.
 * Returns "address:port" for the attribute summary, or NULL. */
static void
keep_endpoint(packet_info *pinfo, msstun_msg_t *msg, msstun_addr_role_t role, const address *addr, uint32_t port)
{
    if (msg->rec->n_endpoints == MSSTUN_MAX_ENDPOINTS)
        return;
    msg->rec->endpoints[msg->rec->n_endpoints].role = role;
    copy_address_wmem(pinfo->pool, &msg->rec->endpoints[msg->rec->n_endpoints].addr, addr);
    msg->rec->endpoints[msg->rec->n_endpoints].port = port;
    msg->rec->n_endpoints++;
}

static const char *
dissect_address(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item,
                msstun_msg_t *msg, msstun_addr_role_t role, bool xored)
{
    unsigned len = tvb_reported_length(tvb);
    uint32_t family;
    uint32_t port;
    address addr;
    proto_item *ti;

    proto_tree_add_item(tree, hf_msstun_att_reserved, tvb, 0, 1, ENC_NA);
    proto_tree_add_item_ret_uint(tree, hf_msstun_att_family, tvb, 1, 1, ENC_NA, &family);
    /* The XOR-decoded port and address are computed, not on the wire: generated. */
    if (xored) {
        proto_tree_add_item(tree, hf_msstun_att_xor_port, tvb, 2, 2, ENC_BIG_ENDIAN);
        port = tvb_get_ntohs(tvb, 2) ^ tvb_get_ntohs(msg->tvb, 4);
        ti = proto_tree_add_uint(tree, *role_fields[role].port, tvb, 2, 2, port);
        proto_item_set_generated(ti);
    } else {
        proto_tree_add_item_ret_uint(tree, *role_fields[role].port, tvb, 2, 2, ENC_BIG_ENDIAN, &port);
    }
    ti = proto_tree_add_uint(tree, hf_msstun_port, tvb, 2, 2, port);
    proto_item_set_hidden(ti);
    if (xored)
        proto_item_set_generated(ti);

    if (family == 0x01 && len == 8) {
        ws_in4_addr ipv4 = tvb_get_ipv4(tvb, 4);

        if (xored) {
            proto_tree_add_item(tree, hf_msstun_att_xor_ipv4, tvb, 4, 4, ENC_BIG_ENDIAN);
            ipv4 ^= tvb_get_ipv4(msg->tvb, 4);
        }
        ti = proto_tree_add_ipv4(tree, *role_fields[role].ipv4, tvb, 4, 4, ipv4);
        if (xored)
            proto_item_set_generated(ti);
        ti = proto_tree_add_ipv4(tree, hf_msstun_addr, tvb, 4, 4, ipv4);
        proto_item_set_hidden(ti);
        if (xored)
            proto_item_set_generated(ti);
        set_address(&addr, AT_IPv4, 4, &ipv4);
        keep_endpoint(pinfo, msg, role, &addr, port);
        return wmem_strdup_printf(pinfo->pool, "%s:%u", address_to_str(pinfo->pool, &addr), port);
    }
    if (family == 0x02 && len == 20) {
        ws_in6_addr ipv6;

        tvb_get_ipv6(tvb, 4, &ipv6);
        if (xored) {
            ws_in6_addr key;

            proto_tree_add_item(tree, hf_msstun_att_xor_ipv6, tvb, 4, 16, ENC_NA);
            tvb_get_ipv6(msg->tvb, 4, &key);
            for (unsigned i = 0; i < 16; i++)
                ipv6.bytes[i] ^= key.bytes[i];
        }
        ti = proto_tree_add_ipv6(tree, *role_fields[role].ipv6, tvb, 4, 16, &ipv6);
        if (xored)
            proto_item_set_generated(ti);
        ti = proto_tree_add_ipv6(tree, hf_msstun_addr6, tvb, 4, 16, &ipv6);
        proto_item_set_hidden(ti);
        if (xored)
            proto_item_set_generated(ti);
        set_address(&addr, AT_IPv6, 16, &ipv6);
        keep_endpoint(pinfo, msg, role, &addr, port);
        return wmem_strdup_printf(pinfo->pool, "[%s]:%u", address_to_str(pinfo->pool, &addr), port);
    }
    expert_add_info_format(pinfo, att_item, &ei_msstun_att_bad_family,
                           "Address family 0x%02x with a %u-byte value", family, len);
    return NULL;
}

static const char *
dissect_string(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, int hf)
{
    char *str = NULL;

    proto_tree_add_item_ret_display_string(tree, hf, tvb, 0, tvb_reported_length(tvb),
                                           ENC_UTF_8, pinfo->pool, &str);
    return str;
}

/* FINGERPRINT (RFC 5389 15.5): CRC-32 of the message up to the attribute,
 * XOR 0x5354554E.  Older Microsoft stacks used a CRC-32 table with one
 * mistyped entry (0x8BBEB8EA written as 0x08BBE8EA); MS-ICE2 3.1.4.8.2
 * accepts it for legacy peers, and so does this check. */
static uint32_t
legacy_ms_crc32(tvbuff_t *tvb, unsigned length)
{
    uint32_t crc = 0xFFFFFFFF;

    for (unsigned i = 0; i < length; i++) {
        uint32_t entry = crc32_ccitt_table_lookup((crc ^ tvb_get_uint8(tvb, i)) & 0xFF);

        if (entry == 0x8BBEB8EA)
            entry = 0x08BBE8EA;
        crc = entry ^ (crc >> 8);
    }
    return ~crc;
}

/* Only the last attribute can be a FINGERPRINT (RFC 8489 14.7), so a
 * message costs at most one CRC (and its legacy variant) over its bytes. */
static const char *
dissect_fingerprint(tvbuff_t *att_tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item,
                    msstun_msg_t *msg, const att_desc_t *desc _U_, unsigned att_offset)
{
    uint32_t computed;
    uint32_t received;

    received = tvb_get_ntohl(att_tvb, 0);
    if (att_offset + 4 + tvb_reported_length(att_tvb) != msg->end) {
        proto_tree_add_checksum(tree, att_tvb, 0, hf_msstun_att_fingerprint, hf_msstun_att_fingerprint_status,
                                NULL, pinfo, 0, ENC_BIG_ENDIAN, PROTO_CHECKSUM_NO_FLAGS);
        expert_add_info(pinfo, att_item, &ei_msstun_att_fingerprint_not_last);
        return wmem_strdup_printf(pinfo->pool, "0x%08x (not verified: not the last attribute)", received);
    }
    computed = crc32_ccitt_tvb(msg->tvb, att_offset) ^ FINGERPRINT_XOR;
    if (computed != received) {
        uint32_t legacy = legacy_ms_crc32(msg->tvb, att_offset) ^ FINGERPRINT_XOR;

        if (legacy == received) {
            proto_item *ti;

            computed = legacy;
            ti = proto_tree_add_boolean(tree, hf_msstun_att_fingerprint_legacy, att_tvb, 0, 4, true);
            proto_item_set_generated(ti);
            expert_add_info(pinfo, ti, &ei_msstun_att_fingerprint_legacy);
        }
    }
    proto_tree_add_checksum(tree, att_tvb, 0, hf_msstun_att_fingerprint, hf_msstun_att_fingerprint_status,
                            &ei_msstun_att_fingerprint_bad, pinfo, computed, ENC_BIG_ENDIAN,
                            PROTO_CHECKSUM_VERIFY);
    return wmem_strdup_printf(pinfo->pool, "0x%08x (%s)", received, computed == received ? "correct" : "incorrect");
}

/* Adds the field of a value that holds one, with the value's summary. */
static const char *
dissect_uint(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, int hf, unsigned size, uint32_t *value)
{
    proto_tree_add_item_ret_uint(tree, hf, tvb, 0, size, ENC_BIG_ENDIAN, value);
    return wmem_strdup_printf(pinfo->pool, "%u", *value);
}

/* MS-TURN 3.2.5.1: in an Allocate response this is the relay. */
static const char *
dissect_mapped_address(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item,
                       msstun_msg_t *msg, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    const char *summary = dissect_address(tvb, pinfo, tree, att_item, msg, MSSTUN_ROLE_MAPPED, false);

    if (summary)
        add_info(msg, (msg->ms_semantics && msg->method == MSSTUN_METHOD_ALLOCATE) ? "relayed" : "mapped", summary);
    return summary;
}

/* UTF-8 from RFC 5389 on; opaque in RFC 3489 and MS-TURN.  A Binding
 * check's USERNAME (the ICE "remote:local" fragments) names the check in
 * the Info column, as Wireshark's STUN shows it ("user"). */
static const char *
dissect_username(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item _U_,
                 msstun_msg_t *msg, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    unsigned len = tvb_reported_length(tvb);
    const char *summary = NULL;

    if (msg->ms_semantics) {
        proto_tree_add_item(tree, hf_msstun_att_username_opaque, tvb, 0, len, ENC_NA);
        msg->rec->username = tvb_format_text(pinfo->pool, tvb, 0, len);
    } else {
        msg->rec->username = dissect_string(tvb, pinfo, tree, hf_msstun_att_username);
        summary = msg->rec->username;
    }
    if (msg->method == MSSTUN_METHOD_BINDING)
        add_info(msg, "user", msg->rec->username);
    return summary;
}

static const char *
dissect_message_integrity(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item,
                          msstun_msg_t *msg _U_, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    unsigned len = tvb_reported_length(tvb);

    if (len == 20) {
        proto_tree_add_item(tree, hf_msstun_att_hmac_sha1, tvb, 0, len, ENC_NA);
        return "HMAC-SHA1";
    }
    if (len == 32) {
        /* MS-TURN 2.2.2.17: MS-VERSION 3 and later use HMAC-SHA256 here. */
        proto_tree_add_item(tree, hf_msstun_att_hmac_sha256, tvb, 0, len, ENC_NA);
        return "HMAC-SHA256";
    }
    proto_tree_add_item(tree, hf_msstun_att_hmac, tvb, 0, len, ENC_NA);
    expert_add_info(pinfo, att_item, &ei_msstun_att_hmac_length);
    return NULL;
}

/* Class and number in bytes 2..3 (RFC 8489 14.8), then the reason phrase.
 * Returns the summary, and the code in *code. */
static const char *
dissect_error_value(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, unsigned *code)
{
    uint32_t err_class;
    uint32_t err_number;
    const char *reason;
    proto_item *ti;

    proto_tree_add_item_ret_uint(tree, hf_msstun_att_error_class, tvb, 2, 1, ENC_NA, &err_class);
    proto_tree_add_item_ret_uint(tree, hf_msstun_att_error_number, tvb, 3, 1, ENC_NA, &err_number);
    *code = err_class * 100 + err_number;
    ti = proto_tree_add_uint(tree, hf_msstun_att_error, tvb, 2, 2, *code);
    proto_item_set_generated(ti);
    if (tvb_reported_length(tvb) > 4)
        reason = dissect_string(tvb_new_subset_remaining(tvb, 4), pinfo, tree, hf_msstun_att_error_reason);
    else
        reason = val_to_str_ext_const(*code, &msstun_error_code_vals_ext, "");
    return wmem_strdup_printf(pinfo->pool, "%u %s", *code, reason);
}

/* ERROR-CODE: 21 reserved bits before the class.  Its code is the
 * message's. */
static const char *
dissect_error_code(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item _U_,
                   msstun_msg_t *msg, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    proto_tree_add_item(tree, hf_msstun_att_error_reserved, tvb, 0, 3, ENC_BIG_ENDIAN);
    return dissect_error_value(tvb, pinfo, tree, &msg->rec->error_code);
}

/* ADDRESS-ERROR-CODE (RFC 8656 18.13): the address family the error is
 * about, 13 reserved bits, then as ERROR-CODE.  The code is that of one
 * address family of an Allocate, not the message's. */
static const char *
dissect_address_error_code(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item _U_,
                           msstun_msg_t *msg _U_, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    unsigned code;

    proto_tree_add_item(tree, hf_msstun_att_requested_family, tvb, 0, 1, ENC_NA);
    proto_tree_add_item(tree, hf_msstun_att_address_error_reserved, tvb, 1, 2, ENC_BIG_ENDIAN);
    return dissect_error_value(tvb, pinfo, tree, &code);
}

static const char *
dissect_channel_number(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item _U_,
                       msstun_msg_t *msg, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    uint32_t channel;

    proto_tree_add_item_ret_uint(tree, hf_msstun_att_channel, tvb, 0, 2, ENC_BIG_ENDIAN, &channel);
    msg->rec->channel = channel;
    proto_tree_add_item(tree, hf_msstun_att_rffu, tvb, 2, 2, ENC_BIG_ENDIAN);
    return wmem_strdup_printf(pinfo->pool, "0x%04x", channel);
}

static const char *
dissect_lifetime(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item _U_,
                 msstun_msg_t *msg, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    msg->rec->has_lifetime = true;
    return dissect_uint(tvb, pinfo, tree, hf_msstun_att_lifetime, 4, &msg->rec->lifetime);
}

/* RFC 6062 6.2.1: what ties a data connection to its peer's connection. */
static const char *
dissect_connection_id(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item _U_,
                      msstun_msg_t *msg, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    msg->rec->has_connection_id = true;
    return dissect_uint(tvb, pinfo, tree, hf_msstun_att_connection_id, 4, &msg->rec->connection_id);
}

static const char *
dissect_magic_cookie(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item,
                     msstun_msg_t *msg _U_, const att_desc_t *desc _U_, unsigned att_offset)
{
    uint32_t value;

    proto_tree_add_item_ret_uint(tree, hf_msstun_att_magic_cookie, tvb, 0, 4, ENC_BIG_ENDIAN, &value);
    /* MS-TURN 2.2.2.8: it MUST be the first attribute. */
    if (att_offset != MSSTUN_HEADER_LEN)
        expert_add_info(pinfo, att_item, &ei_msstun_magic_cookie_not_first);
    return wmem_strdup_printf(pinfo->pool, "0x%08x", value);
}

/* The relayed payload: dissected by the caller of dissect_msstun_message(). */
static const char *
dissect_data(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item _U_,
             msstun_msg_t *msg, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    unsigned len = tvb_reported_length(tvb);

    proto_tree_add_item(tree, hf_msstun_att_data, tvb, 0, len, ENC_NA);
    msg->data_length = len;
    msg->result->relayed = len > 0 ? tvb : NULL;
    msg->result->relayed_tree = tree;
    return wmem_strdup_printf(pinfo->pool, "%u bytes", len);
}

static const char *
dissect_use_candidate(tvbuff_t *tvb _U_, packet_info *pinfo _U_, proto_tree *tree _U_, proto_item *att_item _U_,
                      msstun_msg_t *msg, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    msg->rec->use_candidate = true;
    wmem_strbuf_append(msg->info, " use-candidate");
    return NULL;
}

/* RFC 8489 14.11: algorithm, parameters length, parameters. */
static const char *
dissect_password_algorithm(tvbuff_t *tvb, packet_info *pinfo _U_, proto_tree *tree, proto_item *att_item _U_,
                           msstun_msg_t *msg _U_, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    uint32_t params_len;

    proto_tree_add_item(tree, hf_msstun_att_pw_alg, tvb, 0, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item_ret_uint(tree, hf_msstun_att_pw_alg_params_len, tvb, 2, 2, ENC_BIG_ENDIAN, &params_len);
    if (params_len > 0 && params_len <= tvb_reported_length(tvb) - 4)
        proto_tree_add_item(tree, hf_msstun_att_pw_alg_params, tvb, 4, params_len, ENC_NA);
    return NULL;
}

/* RFC 8489 14.12: a list of algorithms, each padded to 4 bytes. */
static const char *
dissect_password_algorithms(tvbuff_t *tvb, packet_info *pinfo _U_, proto_tree *tree, proto_item *att_item _U_,
                            msstun_msg_t *msg _U_, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    unsigned len = tvb_reported_length(tvb);
    uint32_t params_len;

    for (unsigned off = 0; off + 4 <= len; ) {
        proto_tree_add_item(tree, hf_msstun_att_pw_alg, tvb, off, 2, ENC_BIG_ENDIAN);
        proto_tree_add_item_ret_uint(tree, hf_msstun_att_pw_alg_params_len, tvb, off + 2, 2, ENC_BIG_ENDIAN,
                                     &params_len);
        off += 4;
        if (params_len > len - off)
            break;
        if (params_len > 0)
            proto_tree_add_item(tree, hf_msstun_att_pw_alg_params, tvb, off, params_len, ENC_NA);
        off += WS_ROUNDUP_4(params_len);
    }
    return NULL;
}

static const char *
dissect_ms_version(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item _U_,
                   msstun_msg_t *msg, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    uint32_t value;

    proto_tree_add_item_ret_uint(tree, hf_msstun_att_ms_version, tvb, 0, 4, ENC_BIG_ENDIAN, &value);
    msg->rec->ms_version = value;
    return wmem_strdup_printf(pinfo->pool, "%u (%s)", value, val_to_str_const(value, msstun_ms_version_vals, "Unknown"));
}

static const char *
dissect_ice_role(tvbuff_t *tvb, packet_info *pinfo _U_, proto_tree *tree, proto_item *att_item _U_,
                 msstun_msg_t *msg, const att_desc_t *desc, unsigned att_offset _U_)
{
    proto_tree_add_item(tree, hf_msstun_att_tie_breaker, tvb, 0, 8, ENC_BIG_ENDIAN);
    wmem_strbuf_append(msg->info, desc->type == ATT_ICE_CONTROLLING ? " controlling" : " controlled");
    return NULL;
}

/* Format undocumented: 4 bytes in every capture seen. */
static const char *
dissect_ms_app_id(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item _U_,
                  msstun_msg_t *msg _U_, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    uint32_t value;

    if (tvb_reported_length(tvb) != 4) {
        proto_tree_add_item(tree, hf_msstun_att_value, tvb, 0, tvb_reported_length(tvb), ENC_NA);
        return NULL;
    }
    return dissect_uint(tvb, pinfo, tree, hf_msstun_att_ms_app_id, 4, &value);
}

/* Connection ID (20 bytes) and sequence number (MS-TURN 2.2.2.21).  Teams
 * clients send the sequence number alone, in 4 bytes. */
static const char *
dissect_ms_sequence_number(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item,
                           msstun_msg_t *msg _U_, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    unsigned len = tvb_reported_length(tvb);
    uint32_t value;

    if (len == 4) {
        proto_tree_add_item_ret_uint(tree, hf_msstun_att_ms_sequence_number, tvb, 0, 4, ENC_BIG_ENDIAN, &value);
        expert_add_info(pinfo, att_item, &ei_msstun_ms_sequence_number_only);
    } else if (len >= 24) {
        proto_tree_add_item(tree, hf_msstun_att_ms_connection_id, tvb, 0, 20, ENC_NA);
        proto_tree_add_item_ret_uint(tree, hf_msstun_att_ms_sequence_number, tvb, 20, 4, ENC_BIG_ENDIAN, &value);
    } else {
        expert_add_info(pinfo, att_item, &ei_msstun_att_short);
        return NULL;
    }
    return wmem_strdup_printf(pinfo->pool, "sequence %u", value);
}

/* The foundation, NUL-padded to a multiple of 4 (MS-ICE2 2.2). */
static const char *
dissect_ms_candidate_identifier(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item _U_,
                                msstun_msg_t *msg _U_, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    char *foundation = NULL;

    proto_tree_add_item_ret_display_string(tree, hf_msstun_att_ms_candidate_id, tvb, 0, tvb_reported_length(tvb),
                                           ENC_ASCII, pinfo->pool, &foundation);
    return foundation;
}

static const char *
dissect_ms_service_quality(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item _U_,
                           msstun_msg_t *msg _U_, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    uint32_t stream_type;
    uint32_t quality;

    proto_tree_add_item_ret_uint(tree, hf_msstun_att_ms_stream_type, tvb, 0, 2, ENC_BIG_ENDIAN, &stream_type);
    proto_tree_add_item_ret_uint(tree, hf_msstun_att_ms_service_quality, tvb, 2, 2, ENC_BIG_ENDIAN, &quality);
    return wmem_strdup_printf(pinfo->pool, "%s, %s",
                              val_to_str_const(stream_type, msstun_stream_type_vals, "Unknown stream type"),
                              val_to_str_const(quality, msstun_service_quality_vals, "Unknown quality"));
}

static const char *
dissect_bwm_acm(tvbuff_t *tvb, packet_info *pinfo _U_, proto_tree *tree, proto_item *att_item _U_,
                msstun_msg_t *msg, const att_desc_t *desc _U_, unsigned att_offset _U_)
{
    uint32_t value;

    proto_tree_add_item(tree, hf_msstun_att_reserved16, tvb, 0, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item_ret_uint(tree, hf_msstun_att_bwm_acm_type, tvb, 2, 2, ENC_BIG_ENDIAN, &value);
    msg->rec->bwm_acm = (int)value;
    return val_to_str_const(value, msstun_bwm_acm_vals, "Unknown");
}

/* MS-TURNBWM 2.2.8 / 2.2.11: V and F bits (F only in the site, not the
 * relay site, responses), then the granted bandwidths. */
static const char *
dissect_site_response(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item _U_,
                      msstun_msg_t *msg, const att_desc_t *desc, unsigned att_offset _U_)
{
    static int * const flags_vf[] = {
        &hf_msstun_att_bwm_valid, &hf_msstun_att_bwm_pstn_failover, &hf_msstun_att_bwm_rp_reserved, NULL
    };
    static int * const flags_v[] = {
        &hf_msstun_att_bwm_valid, &hf_msstun_att_bwm_rp_reserved31, NULL
    };
    bool has_failover_bit = desc->type == ATT_BWM_REMOTE_SITE_RP || desc->type == ATT_BWM_LOCAL_SITE_RP;
    uint32_t max_send;
    uint32_t max_recv;

    proto_tree_add_bitmask_list(tree, tvb, 0, 4, has_failover_bit ? flags_vf : flags_v, ENC_BIG_ENDIAN);
    proto_tree_add_item_ret_uint(tree, hf_msstun_att_bwm_rp_max_send, tvb, 4, 4, ENC_BIG_ENDIAN, &max_send);
    proto_tree_add_item_ret_uint(tree, hf_msstun_att_bwm_rp_max_recv, tvb, 8, 4, ENC_BIG_ENDIAN, &max_recv);
    msg->rec->bwm_site_responses++;
    if (tvb_get_uint8(tvb, 0) & 0x80)
        msg->rec->bwm_site_valid++;
    return wmem_strdup_printf(pinfo->pool, "%s, send %u kbit/s, receive %u kbit/s",
                              (tvb_get_uint8(tvb, 0) & 0x80) ? "valid" : "not valid", max_send, max_recv);
}

/* Fixed layouts: the fields of a value, at their offsets. */
static const att_field_t no_fields[] = {
    { NULL, 0, 0 }
};
static const att_field_t change_request_fields[] = {
    { &hf_msstun_att_change_ip, 0, 4 },
    { &hf_msstun_att_change_port, 0, 4 },
    { NULL, 0, 0 }
};
static const att_field_t family_fields[] = {
    { &hf_msstun_att_requested_family, 0, 1 },
    { &hf_msstun_att_reserved24, 1, 3 },
    { NULL, 0, 0 }
};
static const att_field_t even_port_fields[] = {
    { &hf_msstun_att_even_port_reserve, 0, 1 },
    { NULL, 0, 0 }
};
static const att_field_t transport_fields[] = {
    { &hf_msstun_att_transport, 0, 1 },
    { &hf_msstun_att_rffu, 1, 3 },
    { NULL, 0, 0 }
};
static const att_field_t icmp_fields[] = {
    { &hf_msstun_att_reserved16, 0, 2 },
    { &hf_msstun_att_icmp_type, 2, 1 },
    { &hf_msstun_att_icmp_code, 3, 1 },
    { &hf_msstun_att_icmp_error_data, 4, 4 },
    { NULL, 0, 0 }
};
static const att_field_t transmit_counter_fields[] = {
    { &hf_msstun_att_reserved16, 0, 2 },
    { &hf_msstun_att_transmit_req, 2, 1 },
    { &hf_msstun_att_transmit_resp, 3, 1 },
    { NULL, 0, 0 }
};
static const att_field_t multiplexed_session_id_fields[] = {
    { &hf_msstun_att_ms_multiplexed_session_id, 0, 8 },
    { NULL, 0, 0 }
};
/* MS-TURNBWM 2.2.3 figure order. */
static const att_field_t bwm_rsv_amount_fields[] = {
    { &hf_msstun_att_bwm_min_send, 0, 4 },
    { &hf_msstun_att_bwm_max_send, 4, 4 },
    { &hf_msstun_att_bwm_min_recv, 8, 4 },
    { &hf_msstun_att_bwm_max_recv, 12, 4 },
    { NULL, 0, 0 }
};
static const att_field_t bwm_location_profile_fields[] = {
    { &hf_msstun_att_bwm_peer_location, 0, 1 },
    { &hf_msstun_att_bwm_self_location, 1, 1 },
    { &hf_msstun_att_bwm_federation, 2, 1 },
    { &hf_msstun_att_reserved, 3, 1 },
    { NULL, 0, 0 }
};
static const att_field_t goog_network_info_fields[] = {
    { &hf_msstun_att_goog_network_id, 0, 2 },
    { &hf_msstun_att_goog_network_cost, 2, 2 },
    { NULL, 0, 0 }
};

#define ATTR_OPAQUE(type, name) \
    { type, name, ATT_KIND_OPAQUE, NULL, NULL, NULL, 0, 0, MSSTUN_ROLE_MAPPED, NULL, NULL }
#define ATTR_BYTES(type, name, hf, min, max) \
    { type, name, ATT_KIND_BYTES, hf, NULL, NULL, min, max, MSSTUN_ROLE_MAPPED, NULL, NULL }
#define ATTR_STRING(type, name, hf) \
    { type, name, ATT_KIND_STRING, hf, NULL, NULL, 0, 0, MSSTUN_ROLE_MAPPED, NULL, NULL }
#define ATTR_UINT(type, name, hf, size, label) \
    { type, name, ATT_KIND_UINT, hf, NULL, NULL, size, 0, MSSTUN_ROLE_MAPPED, label, NULL }
#define ATTR_UINT16_LIST(type, name, hf) \
    { type, name, ATT_KIND_UINT16_LIST, hf, NULL, NULL, 0, 0, MSSTUN_ROLE_MAPPED, NULL, NULL }
#define ATTR_FIELDS(type, name, fields, min, vals) \
    { type, name, ATT_KIND_FIELDS, NULL, fields, vals, min, 0, MSSTUN_ROLE_MAPPED, NULL, NULL }
#define ATTR_ADDRESS(type, name, role, label) \
    { type, name, ATT_KIND_ADDRESS, NULL, NULL, NULL, 4, 0, role, label, NULL }
#define ATTR_XOR_ADDRESS(type, name, role, label) \
    { type, name, ATT_KIND_XOR_ADDRESS, NULL, NULL, NULL, 4, 0, role, label, NULL }
#define ATTR_CUSTOM(type, name, decode, min, max, label) \
    { type, name, ATT_KIND_CUSTOM, NULL, NULL, NULL, min, max, MSSTUN_ROLE_MAPPED, label, decode }

/* Every attribute type this dissector knows, sorted by type (it is searched
 * with bsearch()), with the IETF numbering. */
static const att_desc_t attributes[] = {
    ATTR_CUSTOM(ATT_MAPPED_ADDRESS, "MAPPED-ADDRESS", dissect_mapped_address, 4, 0, NULL),
    ATTR_ADDRESS(ATT_RESPONSE_ADDRESS, "RESPONSE-ADDRESS", MSSTUN_ROLE_RESPONSE, NULL),
    ATTR_FIELDS(ATT_CHANGE_REQUEST, "CHANGE-REQUEST", change_request_fields, 4, NULL),
    ATTR_ADDRESS(ATT_SOURCE_ADDRESS, "SOURCE-ADDRESS", MSSTUN_ROLE_SOURCE, NULL),
    ATTR_ADDRESS(ATT_CHANGED_ADDRESS, "CHANGED-ADDRESS", MSSTUN_ROLE_CHANGED, NULL),
    ATTR_CUSTOM(ATT_USERNAME, "USERNAME", dissect_username, 0, 0, NULL),
    ATTR_BYTES(ATT_PASSWORD, "PASSWORD", &hf_msstun_att_password, 0, 0),
    ATTR_CUSTOM(ATT_MESSAGE_INTEGRITY, "MESSAGE-INTEGRITY", dissect_message_integrity, 0, 0, NULL),
    ATTR_CUSTOM(ATT_ERROR_CODE, "ERROR-CODE", dissect_error_code, 4, 0, "error"),
    ATTR_UINT16_LIST(ATT_UNKNOWN_ATTRIBUTES, "UNKNOWN-ATTRIBUTES", &hf_msstun_att_unknown_type),
    ATTR_ADDRESS(ATT_REFLECTED_FROM, "REFLECTED-FROM", MSSTUN_ROLE_REFLECTED_FROM, NULL),
    ATTR_CUSTOM(ATT_CHANNEL_NUMBER, "CHANNEL-NUMBER", dissect_channel_number, 4, 0, "channel"),
    ATTR_CUSTOM(ATT_LIFETIME, "LIFETIME", dissect_lifetime, 4, 0, "lifetime"),
    ATTR_ADDRESS(ATT_MS_ALTERNATE_SERVER, "MS-ALTERNATE-SERVER", MSSTUN_ROLE_ALTERNATE_SERVER, "alternate"),
    ATTR_CUSTOM(ATT_MAGIC_COOKIE, "MAGIC-COOKIE", dissect_magic_cookie, 4, 0, NULL),
    ATTR_UINT(ATT_BANDWIDTH, "BANDWIDTH", &hf_msstun_att_bandwidth, 4, NULL),
    ATTR_ADDRESS(ATT_DESTINATION_ADDRESS, "DESTINATION-ADDRESS", MSSTUN_ROLE_DESTINATION, "to"),
    ATTR_XOR_ADDRESS(ATT_XOR_PEER_ADDRESS, "XOR-PEER-ADDRESS", MSSTUN_ROLE_XOR_PEER, "peer"),
    ATTR_CUSTOM(ATT_DATA, "DATA", dissect_data, 0, 0, NULL),
    ATTR_STRING(ATT_REALM, "REALM", &hf_msstun_att_realm),
    ATTR_STRING(ATT_NONCE, "NONCE", &hf_msstun_att_nonce),
    ATTR_XOR_ADDRESS(ATT_XOR_RELAYED_ADDRESS, "XOR-RELAYED-ADDRESS", MSSTUN_ROLE_XOR_RELAYED, "relayed"),
    ATTR_FIELDS(ATT_REQUESTED_ADDRESS_FAMILY, "REQUESTED-ADDRESS-FAMILY", family_fields, 4, msstun_family_vals),
    ATTR_FIELDS(ATT_EVEN_PORT, "EVEN-PORT", even_port_fields, 1, NULL),
    ATTR_FIELDS(ATT_REQUESTED_TRANSPORT, "REQUESTED-TRANSPORT", transport_fields, 4, msstun_transport_vals),
    ATTR_FIELDS(ATT_DONT_FRAGMENT, "DONT-FRAGMENT", no_fields, 0, NULL),
    ATTR_BYTES(ATT_ACCESS_TOKEN, "ACCESS-TOKEN", &hf_msstun_att_access_token, 0, 0),
    /* RFC 8489 14.6: at least 16 bytes, at most 32. */
    ATTR_BYTES(ATT_MESSAGE_INTEGRITY_SHA256, "MESSAGE-INTEGRITY-SHA256", &hf_msstun_att_hmac_sha256, 16, 32),
    ATTR_CUSTOM(ATT_PASSWORD_ALGORITHM, "PASSWORD-ALGORITHM", dissect_password_algorithm, 4, 0, NULL),
    ATTR_BYTES(ATT_USERHASH, "USERHASH", &hf_msstun_att_userhash, 0, 0),
    ATTR_XOR_ADDRESS(ATT_XOR_MAPPED_ADDRESS, "XOR-MAPPED-ADDRESS", MSSTUN_ROLE_XOR_MAPPED, "mapped"),
    ATTR_BYTES(ATT_RESERVATION_TOKEN, "RESERVATION-TOKEN", &hf_msstun_att_reservation_token, 0, 0),
    ATTR_UINT(ATT_PRIORITY, "PRIORITY", &hf_msstun_att_priority, 4, NULL),
    ATTR_CUSTOM(ATT_USE_CANDIDATE, "USE-CANDIDATE", dissect_use_candidate, 0, 0, NULL),
    ATTR_BYTES(ATT_PADDING, "PADDING", &hf_msstun_att_padding_value, 0, 0),
    ATTR_UINT(ATT_RESPONSE_PORT, "RESPONSE-PORT", &hf_msstun_att_response_port, 2, NULL),
    ATTR_XOR_ADDRESS(ATT_XOR_REFLECTED_FROM, "XOR-REFLECTED-FROM", MSSTUN_ROLE_XOR_REFLECTED_FROM, NULL),
    ATTR_CUSTOM(ATT_CONNECTION_ID, "CONNECTION-ID", dissect_connection_id, 4, 0, "connection"),
    ATTR_FIELDS(ATT_ADDITIONAL_ADDRESS_FAMILY, "ADDITIONAL-ADDRESS-FAMILY", family_fields, 4, msstun_family_vals),
    ATTR_CUSTOM(ATT_ADDRESS_ERROR_CODE, "ADDRESS-ERROR-CODE", dissect_address_error_code, 4, 0, NULL),
    ATTR_CUSTOM(ATT_PASSWORD_ALGORITHMS, "PASSWORD-ALGORITHMS", dissect_password_algorithms, 0, 0, NULL),
    ATTR_STRING(ATT_ALTERNATE_DOMAIN, "ALTERNATE-DOMAIN", &hf_msstun_att_alternate_domain),
    ATTR_FIELDS(ATT_ICMP, "ICMP", icmp_fields, 8, NULL),
    ATTR_UINT(ATT_MS_UNKNOWN_8006, "MS-UNKNOWN-8006", &hf_msstun_att_ms_unknown_8006, 4, NULL),
    ATTR_CUSTOM(ATT_MS_VERSION, "MS-VERSION", dissect_ms_version, 4, 0, NULL),
    ATTR_XOR_ADDRESS(ATT_MS_XOR_MAPPED_ADDRESS, "MS-XOR-MAPPED-ADDRESS", MSSTUN_ROLE_MS_XOR_MAPPED, "mapped"),
    ATTR_STRING(ATT_SOFTWARE, "SOFTWARE", &hf_msstun_att_software),
    ATTR_ADDRESS(ATT_ALTERNATE_SERVER, "ALTERNATE-SERVER", MSSTUN_ROLE_ALTERNATE_SERVER, "alternate"),
    ATTR_FIELDS(ATT_TRANSACTION_TRANSMIT_COUNTER, "TRANSACTION-TRANSMIT-COUNTER", transmit_counter_fields, 4, NULL),
    ATTR_UINT(ATT_CACHE_TIMEOUT, "CACHE-TIMEOUT", &hf_msstun_att_cache_timeout, 4, NULL),
    ATTR_CUSTOM(ATT_FINGERPRINT, "FINGERPRINT", dissect_fingerprint, 4, 4, NULL),
    ATTR_CUSTOM(ATT_ICE_CONTROLLED, "ICE-CONTROLLED", dissect_ice_role, 8, 0, NULL),
    ATTR_CUSTOM(ATT_ICE_CONTROLLING, "ICE-CONTROLLING", dissect_ice_role, 8, 0, NULL),
    ATTR_ADDRESS(ATT_RESPONSE_ORIGIN, "RESPONSE-ORIGIN", MSSTUN_ROLE_RESPONSE_ORIGIN, NULL),
    ATTR_ADDRESS(ATT_OTHER_ADDRESS, "OTHER-ADDRESS", MSSTUN_ROLE_OTHER_ADDRESS, NULL),
    ATTR_UINT(ATT_ECN_CHECK_STUN, "ECN-CHECK-STUN", &hf_msstun_att_ecn_check, 4, NULL),
    ATTR_STRING(ATT_THIRD_PARTY_AUTHORIZATION, "THIRD-PARTY-AUTHORIZATION", &hf_msstun_att_third_party_auth),
    ATTR_BYTES(ATT_MOBILITY_TICKET, "MOBILITY-TICKET", &hf_msstun_att_mobility_ticket, 0, 0),
    ATTR_STRING(ATT_MS_ALTERNATE_HOST_NAME, "MS-ALTERNATE-HOST-NAME", &hf_msstun_att_ms_alt_host_name),
    ATTR_CUSTOM(ATT_MS_APP_ID, "MS-APP-ID", dissect_ms_app_id, 0, 0, NULL),
    ATTR_BYTES(ATT_MS_SECURE_TAG, "MS-SECURE-TAG", &hf_msstun_att_ms_secure_tag, 0, 0),
    ATTR_CUSTOM(ATT_MS_SEQUENCE_NUMBER, "MS-SEQUENCE-NUMBER", dissect_ms_sequence_number, 4, 0, NULL),
    ATTR_CUSTOM(ATT_MS_CANDIDATE_IDENTIFIER, "CANDIDATE-IDENTIFIER", dissect_ms_candidate_identifier, 0, 0, NULL),
    ATTR_CUSTOM(ATT_MS_SERVICE_QUALITY, "MS-SERVICE-QUALITY", dissect_ms_service_quality, 4, 0, NULL),
    ATTR_CUSTOM(ATT_BWM_ACM, "BANDWIDTH-ACM", dissect_bwm_acm, 4, 0, "bandwidth"),
    ATTR_BYTES(ATT_BWM_RSV_ID, "BANDWIDTH-RSV-ID", &hf_msstun_att_bwm_rsv_id, 0, 0),
    ATTR_FIELDS(ATT_BWM_RSV_AMOUNT, "BANDWIDTH-RSV-AMOUNT", bwm_rsv_amount_fields, 16, NULL),
    ATTR_XOR_ADDRESS(ATT_BWM_REMOTE_SITE, "REMOTE-SITE-ADDR", MSSTUN_ROLE_REMOTE_SITE, NULL),
    ATTR_XOR_ADDRESS(ATT_BWM_REMOTE_RELAY_SITE, "REMOTE-RELAY-SITE-ADDR", MSSTUN_ROLE_REMOTE_RELAY_SITE, NULL),
    ATTR_XOR_ADDRESS(ATT_BWM_LOCAL_SITE, "LOCAL-SITE-ADDR", MSSTUN_ROLE_LOCAL_SITE, NULL),
    ATTR_XOR_ADDRESS(ATT_BWM_LOCAL_RELAY_SITE, "LOCAL-RELAY-SITE-ADDR", MSSTUN_ROLE_LOCAL_RELAY_SITE, NULL),
    ATTR_CUSTOM(ATT_BWM_REMOTE_SITE_RP, "REMOTE-SITE-ADDR-RP", dissect_site_response, 12, 0, NULL),
    ATTR_CUSTOM(ATT_BWM_REMOTE_RELAY_SITE_RP, "REMOTE-RELAY-SITE-ADDR-RP", dissect_site_response, 12, 0, NULL),
    ATTR_CUSTOM(ATT_BWM_LOCAL_SITE_RP, "LOCAL-SITE-ADDR-RP", dissect_site_response, 12, 0, NULL),
    ATTR_CUSTOM(ATT_BWM_LOCAL_RELAY_SITE_RP, "LOCAL-RELAY-SITE-ADDR-RP", dissect_site_response, 12, 0, NULL),
    ATTR_STRING(ATT_BWM_SIP_DIALOG_ID, "SIP-DIALOG-ID", &hf_msstun_att_bwm_sip_dialog_id),
    ATTR_STRING(ATT_BWM_SIP_CALL_ID, "SIP-CALL-ID", &hf_msstun_att_bwm_sip_call_id),
    ATTR_FIELDS(ATT_BWM_LOCATION_PROFILE, "LOCATION-PROFILE", bwm_location_profile_fields, 4, NULL),
    ATTR_UINT(ATT_MS_IMPLEMENTATION_VERSION, "IMPLEMENTATION-VERSION", &hf_msstun_att_ms_impl_version, 4, NULL),
    ATTR_ADDRESS(ATT_MS_ALT_MAPPED_ADDRESS, "MS-ALT-MAPPED-ADDRESS", MSSTUN_ROLE_MS_ALT_MAPPED, "relayed"),
    ATTR_FIELDS(ATT_MS_MULTIPLEXED_SESSION_ID, "MULTIPLEXED-TURN-SESSION-ID", multiplexed_session_id_fields, 8, NULL),
    ATTR_UINT(ATT_NOMINATION, "NOMINATION", &hf_msstun_att_nomination, 4, NULL),
    ATTR_FIELDS(ATT_GOOG_NETWORK_INFO, "GOOG-NETWORK-INFO", goog_network_info_fields, 4, NULL),
    ATTR_OPAQUE(ATT_GOOG_LAST_ICE_CHECK_RECEIVED, "GOOG-LAST-ICE-CHECK-RECEIVED"),
    ATTR_UINT16_LIST(ATT_GOOG_MISC_INFO, "GOOG-MISC-INFO", &hf_msstun_att_goog_misc_info),
    ATTR_OPAQUE(ATT_GOOG_OBSOLETE_1, "GOOG-OBSOLETE-1"),
    ATTR_OPAQUE(ATT_GOOG_CONNECTION_ID, "GOOG-CONNECTION-ID"),
    ATTR_OPAQUE(ATT_GOOG_DELTA, "GOOG-DELTA"),
    ATTR_OPAQUE(ATT_GOOG_DELTA_ACK, "GOOG-DELTA-ACK"),
    ATTR_OPAQUE(ATT_GOOG_DELTA_SYNC_REQ, "GOOG-DELTA-SYNC-REQ"),
    ATTR_OPAQUE(ATT_GOOG_MESSAGE_INTEGRITY_32, "GOOG-MESSAGE-INTEGRITY-32"),
};

/* MS-TURN's own meaning of three numbers: REMOTE-ADDRESS, plain (a real
 * Teams relay confirms it), and NONCE and REALM the other way round from
 * RFC 5389 on (the numbers of rfc3489bis-02).  Sorted by type. */
static const att_desc_t ms_turn_attributes[] = {
    ATTR_ADDRESS(ATT_XOR_PEER_ADDRESS, "REMOTE-ADDRESS", MSSTUN_ROLE_REMOTE, "from"),
    ATTR_STRING(ATT_REALM, "NONCE", &hf_msstun_att_nonce),
    ATTR_STRING(ATT_NONCE, "REALM", &hf_msstun_att_realm),
};

#undef ATTR_OPAQUE
#undef ATTR_BYTES
#undef ATTR_STRING
#undef ATTR_UINT
#undef ATTR_UINT16_LIST
#undef ATTR_FIELDS
#undef ATTR_ADDRESS
#undef ATTR_XOR_ADDRESS
#undef ATTR_CUSTOM

/* The names of the types in attributes[], for the fields that show
 * attribute types; filled in from the table at registration. */
static value_string msstun_attribute_vals[array_length(attributes) + 1];
static value_string_ext msstun_attribute_vals_ext = VALUE_STRING_EXT_INIT(msstun_attribute_vals);

static int
compare_attribute_type(const void *key, const void *desc)
{
    return (int)*(const unsigned *)key - (int)((const att_desc_t *)desc)->type;
}

/* The descriptor of att_type in this message's numbering, or NULL. */
static const att_desc_t *
find_attribute(const msstun_msg_t *msg, unsigned att_type)
{
    const att_desc_t *desc = NULL;

    if (msg->ms_semantics)
        desc = (const att_desc_t *)bsearch(&att_type, ms_turn_attributes, array_length(ms_turn_attributes),
                                           sizeof(att_desc_t), compare_attribute_type);
    if (!desc)
        desc = (const att_desc_t *)bsearch(&att_type, attributes, array_length(attributes), sizeof(att_desc_t),
                                           compare_attribute_type);
    return desc;
}

/* Decodes one attribute value, as its descriptor (NULL for an unknown
 * type) says.  att_tvb holds exactly the value; att_offset is where the
 * attribute starts in the message.  Returns a summary for the attribute
 * line, or NULL. */
static const char *
dissect_attribute_value(tvbuff_t *att_tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item,
                        msstun_msg_t *msg, const att_desc_t *desc, unsigned att_type, unsigned att_offset)
{
    unsigned len = tvb_reported_length(att_tvb);
    const char *summary = NULL;
    uint32_t value;

    if (!desc) {
        if (len > 0)
            proto_tree_add_item(tree, hf_msstun_att_value, att_tvb, 0, len, ENC_NA);
        if (!(att_type & 0x8000))
            expert_add_info(pinfo, att_item, &ei_msstun_att_unknown_required);
        return NULL;
    }
    if (len < desc->min_len) {
        expert_add_info(pinfo, att_item, &ei_msstun_att_short);
        return NULL;
    }
    if (desc->max_len != 0 && len > desc->max_len) {
        expert_add_info(pinfo, att_item, &ei_msstun_att_long);
        return NULL;
    }

    switch (desc->kind) {
    case ATT_KIND_OPAQUE:
        if (len > 0)
            proto_tree_add_item(tree, hf_msstun_att_value, att_tvb, 0, len, ENC_NA);
        break;
    case ATT_KIND_BYTES:
        proto_tree_add_item(tree, *desc->hf, att_tvb, 0, len, ENC_NA);
        break;
    case ATT_KIND_STRING:
        summary = dissect_string(att_tvb, pinfo, tree, *desc->hf);
        break;
    case ATT_KIND_UINT:
        summary = dissect_uint(att_tvb, pinfo, tree, *desc->hf, desc->min_len, &value);
        break;
    case ATT_KIND_UINT16_LIST:
        for (unsigned off = 0; off + 2 <= len; off += 2)
            proto_tree_add_item(tree, *desc->hf, att_tvb, off, 2, ENC_BIG_ENDIAN);
        break;
    case ATT_KIND_FIELDS:
        for (const att_field_t *field = desc->fields; field->hf; field++)
            proto_tree_add_item(tree, *field->hf, att_tvb, field->offset, field->length, ENC_BIG_ENDIAN);
        if (desc->summary_vals)
            summary = val_to_str_const(tvb_get_uint8(att_tvb, 0), desc->summary_vals, "Unknown");
        break;
    case ATT_KIND_ADDRESS:
    case ATT_KIND_XOR_ADDRESS:
        summary = dissect_address(att_tvb, pinfo, tree, att_item, msg, desc->role, desc->kind == ATT_KIND_XOR_ADDRESS);
        break;
    case ATT_KIND_CUSTOM:
        summary = desc->decode(att_tvb, pinfo, tree, att_item, msg, desc, att_offset);
        break;
    }
    if (summary && desc->info_label)
        add_info(msg, desc->info_label, summary);
    return summary;
}

/* A value that defeats its decoder must not hide the attributes after it. */
static const char *
dissect_attribute_guarded(tvbuff_t *att_tvb, packet_info *pinfo, proto_tree *tree, proto_item *att_item,
                          msstun_msg_t *msg, const att_desc_t *desc, unsigned att_type, unsigned att_offset)
{
    const char *volatile summary = NULL;

    TRY {
        summary = dissect_attribute_value(att_tvb, pinfo, tree, att_item, msg, desc, att_type, att_offset);
    }
    CATCH_NONFATAL_ERRORS {
        show_exception(att_tvb, pinfo, tree, EXCEPT_CODE, GET_MESSAGE);
    }
    ENDTRY;
    return summary;
}

/* The capture's snapshot length (or an ICMP error quoting the message) cut
 * it at captured, before end: the attributes from offset on are flagged,
 * not decoded. */
static void
not_captured(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, unsigned offset, unsigned end, unsigned captured)
{
    unsigned shown = captured > offset ? captured - offset : 0;

    proto_tree_add_expert_format(tree, pinfo, &ei_msstun_att_not_captured, tvb, offset, shown,
                                 "%u bytes of attributes not captured", end - captured);
}

/* Walks the attributes in [MSSTUN_HEADER_LEN, end).  Every turn advances
 * by at least the 4-byte attribute header or stops, so the walk is bounded
 * by the 16-bit message length. */
static void
dissect_attributes(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, msstun_msg_t *msg,
                   unsigned end, bool padded)
{
    unsigned offset = MSSTUN_HEADER_LEN;
    unsigned captured = tvb_captured_length(tvb);

    while (offset < end) {
        unsigned att_type;
        unsigned att_len;
        unsigned value_len;
        unsigned pad = 0;
        proto_item *att_item;
        proto_tree *att_tree;
        proto_item *len_item;
        const att_desc_t *desc;
        const char *name;
        const char *summary;

        if (end - offset < 4) {
            proto_tree_add_expert_format(tree, pinfo, &ei_msstun_att_truncated, tvb, offset, end - offset,
                                         "Truncated attribute header (%u bytes)", end - offset);
            return;
        }
        if (captured < offset + 4) {
            not_captured(tvb, pinfo, tree, offset, end, captured);
            return;
        }
        att_type = tvb_get_ntohs(tvb, offset);
        att_len = tvb_get_ntohs(tvb, offset + 2);
        value_len = MIN(att_len, end - offset - 4);
        if (padded && value_len == att_len)
            pad = MIN(WS_ROUNDUP_4(att_len) - att_len, end - offset - 4 - att_len);

        desc = find_attribute(msg, att_type);
        name = desc ? desc->name : "Unknown";
        att_item = proto_tree_add_uint_format(tree, hf_msstun_attribute, tvb, offset, 4 + value_len + pad,
                                              att_type, "%s", name);
        att_tree = proto_item_add_subtree(att_item, ett_msstun_attribute);
        proto_tree_add_uint_format_value(att_tree, hf_msstun_att_type, tvb, offset, 2, att_type,
                                         "%s (0x%04x)", name, att_type);
        proto_tree_add_item(att_tree, hf_msstun_att_type_optional, tvb, offset, 2, ENC_BIG_ENDIAN);
        len_item = proto_tree_add_item(att_tree, hf_msstun_att_length, tvb, offset + 2, 2, ENC_BIG_ENDIAN);
        if (value_len < att_len) {
            proto_item_append_text(len_item, " (bogus, goes past the end of the message)");
            expert_add_info(pinfo, len_item, &ei_msstun_att_bogus_length);
        }

        if (captured < offset + 4 + value_len) {
            not_captured(tvb, pinfo, att_tree, offset + 4, end, captured);
            return;
        }
        summary = dissect_attribute_guarded(tvb_new_subset_length(tvb, offset + 4, value_len), pinfo, att_tree,
                                            att_item, msg, desc, att_type, offset);
        if (summary)
            proto_item_append_text(att_item, ": %s", summary);
        if (pad > 0)
            proto_tree_add_item(att_tree, hf_msstun_att_padding, tvb, offset + 4 + value_len, pad, ENC_NA);
        if (value_len < att_len)
            return;
        offset += 4 + value_len + pad;
    }
}

/* A learned media address is a wildcard conversation shared by every peer
 * that talks to it; its 5-tuples get exact conversations of their own
 * (created on the first pass). */
void *
msstun_conversation_data(packet_info *pinfo, int proto, size_t size)
{
    conversation_type ctype = conversation_pt_to_conversation_type(pinfo->ptype);
    conversation_t *conv = find_conversation(pinfo->num, &pinfo->src, &pinfo->dst, ctype, pinfo->srcport,
                                             pinfo->destport, 0);
    void *conv_data;

    if (!conv || ((conv->options & (NO_ADDR2 | NO_PORT2)) && !PINFO_FD_VISITED(pinfo)))
        conv = conversation_new(pinfo->num, &pinfo->src, &pinfo->dst, ctype, pinfo->srcport, pinfo->destport, 0);
    conv_data = conversation_get_proto_data(conv, proto);
    if (!conv_data) {
        conv_data = wmem_alloc0(wmem_file_scope(), size);
        conversation_add_proto_data(conv, proto, conv_data);
    }
    return conv_data;
}

/* Users' "stun" display filters, colouring rules and profiles select the
 * STUN/TURN messages, ChannelData and multiplexed TURN that Wireshark's
 * STUN dissector would have shown: each carries a hidden item of it, in
 * MSSTUN's subtree (Statistics > Protocol Hierarchy lists the top-level
 * protocols only). */
void
msstun_mark_stun(proto_tree *tree, tvbuff_t *tvb, unsigned offset, unsigned length)
{
    if (proto_stun > 0)
        proto_item_set_hidden(proto_tree_add_item(tree, proto_stun, tvb, offset, length, ENC_NA));
}

static msstun_message_conv_t *
message_conv_data(packet_info *pinfo)
{
    return (msstun_message_conv_t *)msstun_conversation_data(pinfo, proto_msstun_message,
                                                             sizeof(msstun_message_conv_t));
}

static void
add_learned(msstun_message_result_t *result, msstun_learn_kind_t kind, const address *addr, uint32_t port,
            uint32_t other_port)
{
    msstun_learned_t *learned;

    if (result->n_learned >= G_N_ELEMENTS(result->learned))
        return;
    learned = &result->learned[result->n_learned++];
    learned->kind = kind;
    copy_address_shallow(&learned->addr, addr);
    learned->port = port;
    learned->other_port = other_port;
}

/*
 * Transactions: requests and responses are matched on bytes 4..19 (the
 * 96-bit ID with its cookie, or the 128-bit legacy ID) per conversation.
 */
static void
track_transaction(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, msstun_msg_t *msg)
{
    msstun_message_conv_t *conv_data = message_conv_data(pinfo);
    msstun_transaction_t *trans = NULL;
    uint32_t id[4];
    wmem_tree_key_t key[2];
    proto_item *ti;

    /* Indications (MS Data Indications included) and the MS-TURN Send
     * request, which has no response, are not transactions; nor is a
     * message quoted in an ICMP error. */
    if (msg->cls == MSSTUN_CLASS_INDICATION || msg->method == MSSTUN_METHOD_MS_SEND || pinfo->flags.in_error_pkt)
        return;

    for (unsigned i = 0; i < 4; i++)
        id[i] = tvb_get_ntohl(tvb, 4 + 4 * i);
    key[0].length = 4;
    key[0].key = id;
    key[1].length = 0;
    key[1].key = NULL;

    if (conv_data->transactions)
        trans = (msstun_transaction_t *)wmem_tree_lookup32_array(conv_data->transactions, key);

    if (!PINFO_FD_VISITED(pinfo)) {
        if (!conv_data->transactions)
            conv_data->transactions = wmem_tree_new(wmem_file_scope());
        if (!trans) {
            trans = wmem_new0(wmem_file_scope(), msstun_transaction_t);
            wmem_tree_insert32_array(conv_data->transactions, key, trans);
        }
        if (msg->cls == MSSTUN_CLASS_REQUEST) {
            if (trans->req_frame == 0) {
                trans->req_frame = pinfo->num;
                trans->req_time = pinfo->abs_ts;
            }
        } else if (trans->req_frame != 0 && trans->rsp_frame == 0) {
            /* A response captured before any request of its transaction
             * answers none that this capture shows. */
            trans->rsp_frame = pinfo->num;
        }
    }
    if (!trans)
        return;

    if (msg->cls == MSSTUN_CLASS_REQUEST) {
        if (trans->req_frame != 0 && trans->req_frame != pinfo->num) {
            msg->rec->retransmission = true;
            ti = proto_tree_add_uint(tree, hf_msstun_retransmission_of, tvb, 0, 0, trans->req_frame);
            proto_item_set_generated(ti);
            expert_add_info(pinfo, ti, &ei_msstun_retransmission);
        }
        if (trans->rsp_frame != 0) {
            ti = proto_tree_add_uint(tree, hf_msstun_response_in, tvb, 0, 0, trans->rsp_frame);
            proto_item_set_generated(ti);
        } else if (PINFO_FD_VISITED(pinfo)) {
            /* Only a second pass knows that no response ever came. */
            proto_tree_add_expert(tree, pinfo, &ei_msstun_no_response, tvb, 0, 0);
        }
    } else if (trans->req_frame != 0 && trans->req_frame < pinfo->num) {
        nstime_t delta;

        /* A successful connectivity check: media follows on its 5-tuple. */
        if (msg->method == MSSTUN_METHOD_BINDING && msg->cls == MSSTUN_CLASS_SUCCESS && msg->depth == 0)
            add_learned(msg->result, MSSTUN_LEARN_CHECK, &pinfo->src, pinfo->srcport, pinfo->destport);

        ti = proto_tree_add_uint(tree, hf_msstun_response_to, tvb, 0, 0, trans->req_frame);
        proto_item_set_generated(ti);
        nstime_delta(&delta, &pinfo->abs_ts, &trans->req_time);
        ti = proto_tree_add_time(tree, hf_msstun_time, tvb, 0, 0, &delta);
        proto_item_set_generated(ti);
        if (trans->rsp_frame != 0 && trans->rsp_frame != pinfo->num) {
            msg->rec->retransmission = true;
            ti = proto_tree_add_uint(tree, hf_msstun_retransmission_of, tvb, 0, 0, trans->rsp_frame);
            proto_item_set_generated(ti);
            expert_add_info(pinfo, ti, &ei_msstun_retransmission);
        }
    }
}

/* The media endpoints learned from TURN: the peers of one allocation, and
 * every endpoint of the capture. */
#define ALLOCATION_PEERS_MAX    64U
#define LEARNED_MAX             8192U

static unsigned learned_in_capture;

typedef struct {
    address  addr;
    uint32_t port;
} learned_peer_t;

static unsigned
learned_peer_hash(const void *k)
{
    const learned_peer_t *peer = (const learned_peer_t *)k;

    return add_address_to_hash(peer->port * 2654435761U, &peer->addr);
}

static gboolean
learned_peer_equal(const void *a, const void *b)
{
    const learned_peer_t *x = (const learned_peer_t *)a;
    const learned_peer_t *y = (const learned_peer_t *)b;

    return x->port == y->port && addresses_equal(&x->addr, &y->addr);
}

static void
learning_init(void)
{
    learned_in_capture = 0;
}

/* Whether one more endpoint may be learned in this capture (counted). */
static bool
capture_learns_one(void)
{
    if (learned_in_capture >= LEARNED_MAX)
        return false;
    learned_in_capture++;
    return true;
}

/* A peer named on the allocation's 5-tuple, learned on the two 5-tuples it
 * can carry media on (first pass): the relayed leg (peer <-> relayed
 * address) and the client's own transport address, which ICE uses for its
 * host and reflexive candidates too (peer <-> client port).  Each is
 * learned from both ends: Wireshark finds a conversation of one address
 * and two ports only by the destination of a packet once the 5-tuple has
 * a conversation of its own.  false when a bound refuses the peer. */
static bool
learn_peer(msstun_message_conv_t *conv_data, const msstun_msg_t *msg, const msstun_endpoint_t *ep)
{
    learned_peer_t probe;
    learned_peer_t *peer;

    copy_address_shallow(&probe.addr, &ep->addr);
    probe.port = ep->port;
    if (!conv_data->peers)
        conv_data->peers = wmem_map_new(wmem_file_scope(), learned_peer_hash, learned_peer_equal);
    if (!wmem_map_contains(conv_data->peers, &probe)) {
        if (wmem_map_size(conv_data->peers) >= ALLOCATION_PEERS_MAX || !capture_learns_one())
            return false;
        peer = wmem_new(wmem_file_scope(), learned_peer_t);
        copy_address_wmem(wmem_file_scope(), &peer->addr, &ep->addr);
        peer->port = ep->port;
        wmem_map_insert(conv_data->peers, peer, peer);
    }
    add_learned(msg->result, MSSTUN_LEARN_PEER, &ep->addr, ep->port, conv_data->relayed_port);
    add_learned(msg->result, MSSTUN_LEARN_PEER, &conv_data->relayed, conv_data->relayed_port, ep->port);
    add_learned(msg->result, MSSTUN_LEARN_PEER, &ep->addr, ep->port, conv_data->client_port);
    add_learned(msg->result, MSSTUN_LEARN_PEER, &conv_data->client, conv_data->client_port, ep->port);
    return true;
}

/* The transport addresses this message reveals as media endpoints
 * (MS-TURN 3.2.5.1, RFC 5766 6.3 and 10-11; see also the port learning of
 * the Lync Lua plugin, which knew only DESTINATION-ADDRESS).  A TURN server
 * allocates relayed and reflexive addresses (learned towards any peer); the
 * peers that the messages of an allocation's 5-tuple name are learned only
 * on the 5-tuples of that allocation they can carry media on (learn_peer()),
 * so that a STUN message from a host without an allocation moves no other
 * protocol's port.  The allocation's peers and
 * the capture's endpoints are bounded (ei_msstun_learn_bound; the frame
 * remembers it for later passes). */
static void
endpoints_to_learn(packet_info *pinfo, proto_item *ti, const msstun_msg_t *msg)
{
    bool allocated = msg->method == MSSTUN_METHOD_ALLOCATE && msg->cls == MSSTUN_CLASS_SUCCESS;
    bool first_pass = !PINFO_FD_VISITED(pinfo);
    msstun_message_conv_t *conv_data = NULL;
    bool refused = false;

    for (unsigned i = 0; i < msg->rec->n_endpoints; i++) {
        const msstun_endpoint_t *ep = &msg->rec->endpoints[i];
        bool relayed = false;

        switch (ep->role) {
        case MSSTUN_ROLE_MAPPED:           /* MS-TURN: the relayed address */
            relayed = allocated && msg->ms_semantics;
            break;
        case MSSTUN_ROLE_MS_ALT_MAPPED:
        case MSSTUN_ROLE_XOR_RELAYED:
            relayed = allocated;
            break;
        case MSSTUN_ROLE_MS_XOR_MAPPED:
        case MSSTUN_ROLE_XOR_MAPPED:
            if (allocated) {
                msg->rec->reflexive_mask |= 1U << i;
                if (first_pass && !capture_learns_one())
                    refused = true;
                else if (first_pass)
                    add_learned(msg->result, MSSTUN_LEARN_REFLEXIVE, &ep->addr, ep->port, 0);
            }
            break;
        case MSSTUN_ROLE_DESTINATION:
        case MSSTUN_ROLE_REMOTE:
        case MSSTUN_ROLE_XOR_PEER:
            msg->rec->peer_mask |= 1U << i;
            if (!first_pass)
                break;
            if (!conv_data)
                conv_data = message_conv_data(pinfo);
            if (conv_data->relayed.type != AT_NONE && !learn_peer(conv_data, msg, ep))
                refused = true;
            break;
        default:
            break;
        }
        if (!relayed)
            continue;
        msg->rec->relayed_mask |= 1U << i;
        if (!first_pass)
            continue;
        if (!conv_data)
            conv_data = message_conv_data(pinfo);
        /* The allocation of this 5-tuple: the first relayed address. */
        if (conv_data->relayed.type == AT_NONE) {
            copy_address_wmem(wmem_file_scope(), &conv_data->relayed, &ep->addr);
            conv_data->relayed_port = ep->port;
            /* The success goes to the client (RFC 5766 6.2). */
            copy_address_wmem(wmem_file_scope(), &conv_data->client, &pinfo->dst);
            conv_data->client_port = pinfo->destport;
        }
        if (capture_learns_one())
            add_learned(msg->result, MSSTUN_LEARN_RELAYED, &ep->addr, ep->port, 0);
        else
            refused = true;
    }
    if (refused)
        p_add_proto_data(wmem_file_scope(), pinfo, proto_msstun_message, 0, GUINT_TO_POINTER(1));
    if ((msg->rec->peer_mask | msg->rec->relayed_mask | msg->rec->reflexive_mask) != 0 &&
        p_get_proto_data(wmem_file_scope(), pinfo, proto_msstun_message, 0))
        expert_add_info_format(pinfo, ti, &ei_msstun_learn_bound,
                               "Media endpoints not learned: an allocation learns at most %u peers, a capture "
                               "at most %u endpoints", ALLOCATION_PEERS_MAX, LEARNED_MAX);
}

/* Connectivity checks on this 5-tuple (direct ones, not relayed inside
 * DATA): counted on the first pass; a later pass flags the checks of a pair
 * that never got a success response in both directions. */
static void
check_pair(packet_info *pinfo, proto_item *ti, const msstun_msg_t *msg)
{
    msstun_message_conv_t *conv_data;
    bool from_local;
    unsigned dir;

    if (msg->method != MSSTUN_METHOD_BINDING || msg->depth > 0 || msg->cls == MSSTUN_CLASS_INDICATION ||
        msg->rec->retransmission)
        return;
    conv_data = message_conv_data(pinfo);
    if (conv_data->check_local.type == AT_NONE) {
        /* A pair starts with a Binding request carrying USERNAME or ICE
         * attributes, not with a plain NAT-discovery Binding. */
        if (msg->cls != MSSTUN_CLASS_REQUEST || !(msg->rec->username || msg->rec->use_candidate) ||
            PINFO_FD_VISITED(pinfo))
            return;
        copy_address_wmem(wmem_file_scope(), &conv_data->check_local, &pinfo->src);
        conv_data->check_local_port = pinfo->srcport;
    }
    from_local = addresses_equal(&pinfo->src, &conv_data->check_local) && pinfo->srcport == conv_data->check_local_port;

    if (!PINFO_FD_VISITED(pinfo)) {
        if (msg->cls == MSSTUN_CLASS_REQUEST) {
            conv_data->check_requests[from_local ? 0 : 1]++;
        } else if (msg->cls == MSSTUN_CLASS_SUCCESS) {
            /* A response answers the checks of the other side. */
            conv_data->check_successes[from_local ? 1 : 0]++;
        }
        return;
    }
    dir = from_local ? 0 : 1;
    if (msg->cls == MSSTUN_CLASS_REQUEST && !(conv_data->check_successes[0] && conv_data->check_successes[1]))
        expert_add_info_format(pinfo, ti, &ei_msstun_pair_not_valid,
                               "ICE candidate pair not valid: %s",
                               conv_data->check_successes[dir] == 0 ? "checks in this direction never succeeded"
                                                                   : "checks in the other direction never succeeded");
}

static void
add_error_expert(packet_info *pinfo, proto_item *ti, const msstun_msg_t *msg)
{
    const char *reason = val_to_str_ext_const(msg->rec->error_code, &msstun_error_code_vals_ext, "Unknown error");

    if (msg->rec->error_code == 0) {
        expert_add_info_format(pinfo, ti, &ei_msstun_error_response, "%s error response without a valid ERROR-CODE",
                               val_to_str_const(msg->method, msstun_method_vals, "Unknown"));
        return;
    }

    /* A 401 to an Allocate is the normal first step of the long-term
     * credential exchange (RFC 5766 6.2, MS-TURN 3.2.5). */
    if (msg->rec->error_code == 401 && msg->method == MSSTUN_METHOD_ALLOCATE)
        expert_add_info_format(pinfo, ti, &ei_msstun_auth_challenge,
                               "Authentication challenge: %u %s", msg->rec->error_code, reason);
    else
        expert_add_info_format(pinfo, ti, &ei_msstun_error_response,
                               "%s error %u %s", val_to_str_const(msg->method, msstun_method_vals, "Unknown"),
                               msg->rec->error_code, reason);
}

/* The TURN peer named by a message that carries DATA. */
static const msstun_endpoint_t *
relay_peer(const msstun_msg_t *msg)
{
    for (unsigned i = 0; i < msg->rec->n_endpoints; i++) {
        msstun_addr_role_t role = msg->rec->endpoints[i].role;

        if (role == MSSTUN_ROLE_DESTINATION || role == MSSTUN_ROLE_REMOTE || role == MSSTUN_ROLE_XOR_PEER)
            return &msg->rec->endpoints[i];
    }
    return NULL;
}

static void
fill_tap_record(packet_info *pinfo, const msstun_msg_t *msg, const msstun_payload_ctx_t *ctx)
{
    msstun_tap_t *rec = msg->rec;

    rec->method = msg->method;
    rec->cls = msg->cls;
    rec->dialect = msg->dialect;
    rec->depth = msg->depth;
    rec->over_tcp = ctx->over_tcp;
    rec->data_length = msg->data_length;
    tvb_memcpy(msg->tvb, rec->transaction_id, 4, sizeof(rec->transaction_id));
    copy_address_shallow(&rec->src, &pinfo->src);
    copy_address_shallow(&rec->dst, &pinfo->dst);
    rec->src_port = pinfo->srcport;
    rec->dst_port = pinfo->destport;
    /* Relayed inside DATA: between the TURN client and the peer. */
    if (ctx->peer) {
        if (ctx->toward_peer) {
            copy_address_shallow(&rec->dst, &ctx->peer->addr);
            rec->dst_port = ctx->peer->port;
        } else {
            copy_address_shallow(&rec->src, &ctx->peer->addr);
            rec->src_port = ctx->peer->port;
        }
    }
}

void
msstun_tap_queue(packet_info *pinfo, msstun_tap_t *rec)
{
    tap_queue_packet(msstun_tap, pinfo, rec);
}

void
msstun_tap_carrier(packet_info *pinfo, msstun_carrier_t carrier, bool over_tcp, uint32_t length)
{
    msstun_tap_t *rec;

    if (!have_tap_listener(msstun_tap) || pinfo->flags.in_error_pkt)
        return;
    rec = wmem_new0(pinfo->pool, msstun_tap_t);
    rec->carrier = carrier;
    rec->over_tcp = over_tcp;
    rec->data_length = length;
    rec->bwm_acm = -1;
    copy_address_shallow(&rec->src, &pinfo->src);
    copy_address_shallow(&rec->dst, &pinfo->dst);
    rec->src_port = pinfo->srcport;
    rec->dst_port = pinfo->destport;
    tap_queue_packet(msstun_tap, pinfo, rec);
}

void
msstun_tap_note(tvbuff_t *tvb, packet_info *pinfo, const msstun_payload_ctx_t *ctx, msstun_note_kind_t kind,
                const char *handshake)
{
    msstun_tap_t *rec;
    msstun_note_t *note;
    bool clear = kind != MSSTUN_NOTE_SRTCP;  /* the figures past the header */

    if (!have_tap_listener(msstun_tap) || pinfo->flags.in_error_pkt)
        return;
    if (kind == MSSTUN_NOTE_SRTCP) {
        /* The plaintext is the data source the SRTP module just added; its
         * header is the clear header of the SRTCP packet (RFC 3711 3.4). */
        GSList *last = g_slist_last(pinfo->data_src);
        tvbuff_t *plain = last ? get_data_source_tvb((const struct data_source *)last->data) : NULL;

        kind = MSSTUN_NOTE_RTCP;
        if (plain && tvb_captured_length(plain) >= 8 && tvb_captured_length(tvb) >= 8 &&
            tvb_memeql(plain, 0, tvb_get_ptr(tvb, 0, 8), 8) == 0) {
            tvb = plain;
            clear = true;
        }
    }
    note = wmem_new0(pinfo->pool, msstun_note_t);
    msstun_note_read(note, tvb, kind, clear);
    note->handshake = handshake;
    rec = wmem_new0(pinfo->pool, msstun_tap_t);
    rec->note = note;
    rec->bwm_acm = -1;
    if (ctx) {
        note->carrier = ctx->carrier;
        rec->depth = ctx->depth;
        rec->over_tcp = ctx->over_tcp;
        rec->peer = ctx->peer;
    } else {
        rec->over_tcp = pinfo->ptype == PT_TCP;
    }
    copy_address_shallow(&rec->src, &pinfo->src);
    copy_address_shallow(&rec->dst, &pinfo->dst);
    rec->src_port = pinfo->srcport;
    rec->dst_port = pinfo->destport;
    tap_queue_packet(msstun_tap, pinfo, rec);
}

int
dissect_msstun_message(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const msstun_payload_ctx_t *ctx,
                       msstun_message_result_t *result)
{
    unsigned reported = tvb_reported_length(tvb);
    unsigned msg_len;
    unsigned end;
    bool has_cookie;
    bool padded;
    msstun_msg_t msg;
    msstun_walk_t walk = { false, false, false };
    proto_item *ti;
    proto_item *len_item;
    proto_tree *msstun_tree;
    proto_tree *att_tree;

    memset(result, 0, sizeof(*result));
    if (reported < MSSTUN_HEADER_LEN || (tvb_get_ntohs(tvb, 0) & 0xC000))
        return 0;

    memset(&msg, 0, sizeof(msg));
    msg.tvb = tvb;
    msg.depth = ctx->depth;
    msg.result = result;
    msg.rec = wmem_new0(pinfo->pool, msstun_tap_t);
    msg.rec->bwm_acm = -1;
    msg.type = tvb_get_ntohs(tvb, 0);
    msg_len = tvb_get_ntohs(tvb, 2);
    end = MIN(MSSTUN_HEADER_LEN + msg_len, reported);
    msg.end = end;
    has_cookie = tvb_get_ntohl(tvb, 4) == MSSTUN_RFC5389_COOKIE;

    /* The dialect: the header cookie, and MAGIC-COOKIE as first attribute. */
    if (starts_with_magic_cookie(tvb, 0, end)) {
        msg.dialect = has_cookie ? DIALECT_MSTURN : DIALECT_MSTURN_LEGACY;
        msg.ms_semantics = true;
    } else if (has_cookie) {
        msg.dialect = DIALECT_RFC5389;
    } else {
        msg.dialect = DIALECT_RFC3489;
        msg.ms_semantics = true;    /* TURN-08 numbering, as in MS-TURN */
    }

    /* The dialect's padding rule first; the other one when the walk does
     * not end exactly at 20 + length. */
    padded = (msg.dialect == DIALECT_RFC5389);
    if ((unsigned)tvb_captured_length(tvb) >= end) {
        walk = walk_attributes(tvb, MSSTUN_HEADER_LEN, end, padded);
        if (!walk.ends_exactly) {
            msstun_walk_t other = walk_attributes(tvb, MSSTUN_HEADER_LEN, end, !padded);

            if (other.ends_exactly) {
                walk = other;
                padded = !padded;
                if (msg.dialect == DIALECT_RFC5389)
                    msg.dialect = DIALECT_MSICE2_UNPADDED;
            }
        }
    }
    classify_type(&msg, &walk);
    /* 0x0115 is an MS-TURN Data Indication whatever its header. */
    if (msg.method == MSSTUN_METHOD_MS_DATA)
        msg.ms_semantics = true;

    msg.info = wmem_strbuf_new(pinfo->pool, "");
    wmem_strbuf_append_printf(msg.info, "%s %s",
                              msstun_val_to_str(pinfo->pool, msg.method, msstun_method_vals, "Method 0x%03x"),
                              val_to_str_const(msg.cls, msstun_class_vals, ""));

    col_set_str(pinfo->cinfo, COL_PROTOCOL, "MSSTUN");
    /* The header's own facts first: they stay whatever the attributes do. */
    col_add_str(pinfo->cinfo, COL_INFO, wmem_strbuf_get_str(msg.info));

    ti = proto_tree_add_item(tree, proto_msstun, tvb, 0, end, ENC_NA);
    msstun_tree = proto_item_add_subtree(ti, ett_msstun);
    msstun_mark_stun(msstun_tree, tvb, 0, end);
    proto_tree_add_item(msstun_tree, hf_msstun_type, tvb, 0, 2, ENC_BIG_ENDIAN);
    ti = proto_tree_add_uint(msstun_tree, hf_msstun_method, tvb, 0, 2, msg.method);
    proto_item_set_generated(ti);
    ti = proto_tree_add_uint(msstun_tree, hf_msstun_class, tvb, 0, 2, msg.cls);
    proto_item_set_generated(ti);
    len_item = proto_tree_add_item(msstun_tree, hf_msstun_length, tvb, 2, 2, ENC_BIG_ENDIAN);
    if (MSSTUN_HEADER_LEN + msg_len != reported)
        expert_add_info_format(pinfo, len_item, &ei_msstun_length_mismatch,
                               "Message length %u, but %u bytes follow the header",
                               msg_len, reported - MSSTUN_HEADER_LEN);
    if (has_cookie) {
        proto_tree_add_item(msstun_tree, hf_msstun_cookie, tvb, 4, 4, ENC_BIG_ENDIAN);
        proto_tree_add_item(msstun_tree, hf_msstun_id, tvb, 8, 12, ENC_NA);
    } else {
        proto_tree_add_item(msstun_tree, hf_msstun_id, tvb, 4, 16, ENC_NA);
    }
    ti = proto_tree_add_uint(msstun_tree, hf_msstun_dialect, tvb, 0, 0, msg.dialect);
    proto_item_set_generated(ti);
    ti = proto_tree_add_boolean(msstun_tree, hf_msstun_padded, tvb, 0, 0, padded);
    proto_item_set_generated(ti);
    if (!walk.ends_exactly && (unsigned)tvb_captured_length(tvb) >= end && end > MSSTUN_HEADER_LEN)
        expert_add_info(pinfo, ti, &ei_msstun_walk_mismatch);
    else if (padded && msg.dialect != DIALECT_RFC5389)
        /* Only the RFC 5389 dialect pads; the others fell back to it. */
        expert_add_info(pinfo, ti, &ei_msstun_padding_fallback);

    track_transaction(tvb, pinfo, msstun_tree, &msg);

    if (end > MSSTUN_HEADER_LEN) {
        ti = proto_tree_add_item(msstun_tree, hf_msstun_attributes, tvb, MSSTUN_HEADER_LEN,
                                 end - MSSTUN_HEADER_LEN, ENC_NA);
        att_tree = proto_item_add_subtree(ti, ett_msstun_attributes);
        dissect_attributes(tvb, pinfo, att_tree, &msg, end, padded);
    }

    /* A message quoted in an ICMP error teaches nothing. */
    if (!pinfo->flags.in_error_pkt) {
        endpoints_to_learn(pinfo, proto_tree_get_parent(msstun_tree), &msg);
        check_pair(pinfo, proto_tree_get_parent(msstun_tree), &msg);
    }

    if (msg.cls == MSSTUN_CLASS_ERROR)
        add_error_expert(pinfo, proto_tree_get_parent(msstun_tree), &msg);
    if (msg.method == MSSTUN_METHOD_MS_SEND && msg.cls != MSSTUN_CLASS_REQUEST)
        expert_add_info(pinfo, proto_tree_get_parent(msstun_tree), &ei_msstun_ms_send_response);

    proto_item_append_text(proto_tree_get_parent(msstun_tree), ", %s", wmem_strbuf_get_str(msg.info));
    col_add_str(pinfo->cinfo, COL_INFO, wmem_strbuf_get_str(msg.info));

    if (!pinfo->flags.in_error_pkt) {
        fill_tap_record(pinfo, &msg, ctx);
        result->tap = msg.rec;
    }
    if (result->relayed) {
        result->peer = relay_peer(&msg);
        result->toward_peer = msg.cls == MSSTUN_CLASS_REQUEST || msg.method == MSSTUN_METHOD_SEND;
    }
    return end;
}

void
proto_register_msstun(void)
{
    static hf_register_info hf[] = {
        { &hf_msstun_type,
          { "Message Type", "msstun.type", FT_UINT16, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_method,
          { "Method", "msstun.method", FT_UINT16, BASE_HEX, VALS(msstun_method_vals), 0x0,
            "Message method; MS-TURN types without an RFC method are numbered above 0x0FFF", HFILL }},
        { &hf_msstun_class,
          { "Class", "msstun.class", FT_UINT8, BASE_DEC, VALS(msstun_class_vals), 0x0, NULL, HFILL }},
        { &hf_msstun_length,
          { "Message Length", "msstun.length", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_cookie,
          { "Message Cookie", "msstun.cookie", FT_UINT32, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_id,
          { "Transaction ID", "msstun.id", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_dialect,
          { "Dialect", "msstun.dialect", FT_UINT8, BASE_DEC, VALS(msstun_dialect_vals), 0x0,
            "Message format, decided from this message alone", HFILL }},
        { &hf_msstun_padded,
          { "Attribute Padding", "msstun.padded", FT_BOOLEAN, BASE_NONE, TFS(&msstun_padded_tfs), 0x0,
            "Whether the attribute walk used 4-byte padding", HFILL }},
        { &hf_msstun_attributes,
          { "Attributes", "msstun.attributes", FT_NONE, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_attribute,
          { "Attribute", "msstun.attribute", FT_UINT16, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_response_in,
          { "Response In", "msstun.response_in", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0,
            "The response to this request is in this frame", HFILL }},
        { &hf_msstun_response_to,
          { "Response To", "msstun.response_to", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0,
            "This is a response to the request in this frame", HFILL }},
        { &hf_msstun_time,
          { "Time", "msstun.time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
            "The time between the request and the response", HFILL }},
        { &hf_msstun_retransmission_of,
          { "Retransmission Of", "msstun.retransmission_of", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "This message repeats the transaction first seen in this frame", HFILL }},
        { &hf_msstun_att_type,
          { "Attribute Type", "msstun.att.type", FT_UINT16, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_type_optional,
          { "Comprehension", "msstun.att.type.optional", FT_BOOLEAN, 16, TFS(&msstun_optional_tfs), 0x8000,
            NULL, HFILL }},
        { &hf_msstun_att_length,
          { "Attribute Length", "msstun.att.length", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_padding,
          { "Padding", "msstun.att.padding", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_value,
          { "Value", "msstun.att.value", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_reserved,
          { "Reserved", "msstun.att.reserved", FT_UINT8, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_reserved16,
          { "Reserved", "msstun.att.reserved16", FT_UINT16, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_reserved24,
          { "Reserved", "msstun.att.reserved24", FT_UINT24, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_family,
          { "Protocol Family", "msstun.att.family", FT_UINT8, BASE_HEX, VALS(msstun_family_vals), 0x0, NULL, HFILL }},
        { &hf_msstun_att_xor_port,
          { "X-Port", "msstun.att.xor_port", FT_UINT16, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_xor_ipv4,
          { "X-Address", "msstun.att.xor_ipv4", FT_UINT32, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_xor_ipv6,
          { "X-Address IPv6", "msstun.att.xor_ipv6", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_addr,
          { "Address", "msstun.addr", FT_IPv4, BASE_NONE, NULL, 0x0,
            "Any IPv4 address carried by an address attribute", HFILL }},
        { &hf_msstun_addr6,
          { "IPv6 Address", "msstun.addr6", FT_IPv6, BASE_NONE, NULL, 0x0,
            "Any IPv6 address carried by an address attribute", HFILL }},
        { &hf_msstun_port,
          { "Port", "msstun.port", FT_UINT16, BASE_DEC, NULL, 0x0,
            "Any port carried by an address attribute", HFILL }},
        { &hf_msstun_role_mapped_ipv4,
          { "Mapped IPv4", "msstun.att.mapped.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_mapped_ipv6,
          { "Mapped IPv6", "msstun.att.mapped.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_mapped_port,
          { "Mapped Port", "msstun.att.mapped.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_response_ipv4,
          { "Response IPv4", "msstun.att.response.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_response_ipv6,
          { "Response IPv6", "msstun.att.response.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_response_port,
          { "Response Port", "msstun.att.response.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_source_ipv4,
          { "Source IPv4", "msstun.att.source.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_source_ipv6,
          { "Source IPv6", "msstun.att.source.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_source_port,
          { "Source Port", "msstun.att.source.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_changed_ipv4,
          { "Changed IPv4", "msstun.att.changed.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_changed_ipv6,
          { "Changed IPv6", "msstun.att.changed.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_changed_port,
          { "Changed Port", "msstun.att.changed.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_reflected_from_ipv4,
          { "Reflected From IPv4", "msstun.att.reflected_from.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_reflected_from_ipv6,
          { "Reflected From IPv6", "msstun.att.reflected_from.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_reflected_from_port,
          { "Reflected From Port", "msstun.att.reflected_from.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_alternate_server_ipv4,
          { "Alternate Server IPv4", "msstun.att.alternate_server.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_alternate_server_ipv6,
          { "Alternate Server IPv6", "msstun.att.alternate_server.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_alternate_server_port,
          { "Alternate Server Port", "msstun.att.alternate_server.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_destination_ipv4,
          { "Destination IPv4", "msstun.att.destination.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_destination_ipv6,
          { "Destination IPv6", "msstun.att.destination.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_destination_port,
          { "Destination Port", "msstun.att.destination.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_remote_ipv4,
          { "Remote IPv4", "msstun.att.remote.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_remote_ipv6,
          { "Remote IPv6", "msstun.att.remote.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_remote_port,
          { "Remote Port", "msstun.att.remote.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_xor_peer_ipv4,
          { "XOR Peer IPv4", "msstun.att.xor_peer.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_xor_peer_ipv6,
          { "XOR Peer IPv6", "msstun.att.xor_peer.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_xor_peer_port,
          { "XOR Peer Port", "msstun.att.xor_peer.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_xor_relayed_ipv4,
          { "XOR Relayed IPv4", "msstun.att.xor_relayed.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_xor_relayed_ipv6,
          { "XOR Relayed IPv6", "msstun.att.xor_relayed.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_xor_relayed_port,
          { "XOR Relayed Port", "msstun.att.xor_relayed.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_xor_mapped_ipv4,
          { "XOR Mapped IPv4", "msstun.att.xor_mapped.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_xor_mapped_ipv6,
          { "XOR Mapped IPv6", "msstun.att.xor_mapped.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_xor_mapped_port,
          { "XOR Mapped Port", "msstun.att.xor_mapped.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_ms_xor_mapped_ipv4,
          { "MS XOR Mapped IPv4", "msstun.att.ms_xor_mapped.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_ms_xor_mapped_ipv6,
          { "MS XOR Mapped IPv6", "msstun.att.ms_xor_mapped.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_ms_xor_mapped_port,
          { "MS XOR Mapped Port", "msstun.att.ms_xor_mapped.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_xor_reflected_from_ipv4,
          { "XOR Reflected From IPv4", "msstun.att.xor_reflected_from.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0,
            NULL, HFILL }},
        { &hf_msstun_role_xor_reflected_from_ipv6,
          { "XOR Reflected From IPv6", "msstun.att.xor_reflected_from.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0,
            NULL, HFILL }},
        { &hf_msstun_role_xor_reflected_from_port,
          { "XOR Reflected From Port", "msstun.att.xor_reflected_from.port", FT_UINT16, BASE_DEC, NULL, 0x0,
            NULL, HFILL }},
        { &hf_msstun_role_response_origin_ipv4,
          { "Response Origin IPv4", "msstun.att.response_origin.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_response_origin_ipv6,
          { "Response Origin IPv6", "msstun.att.response_origin.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_response_origin_port,
          { "Response Origin Port", "msstun.att.response_origin.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_other_address_ipv4,
          { "Other Address IPv4", "msstun.att.other_address.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_other_address_ipv6,
          { "Other Address IPv6", "msstun.att.other_address.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_other_address_port,
          { "Other Address Port", "msstun.att.other_address.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_ms_alt_mapped_ipv4,
          { "MS Alternate Mapped IPv4", "msstun.att.ms_alt_mapped.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_ms_alt_mapped_ipv6,
          { "MS Alternate Mapped IPv6", "msstun.att.ms_alt_mapped.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_ms_alt_mapped_port,
          { "MS Alternate Mapped Port", "msstun.att.ms_alt_mapped.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_remote_site_ipv4,
          { "Remote Site IPv4", "msstun.att.remote_site.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_remote_site_ipv6,
          { "Remote Site IPv6", "msstun.att.remote_site.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_remote_site_port,
          { "Remote Site Port", "msstun.att.remote_site.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_remote_relay_site_ipv4,
          { "Remote Relay Site IPv4", "msstun.att.remote_relay_site.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0,
            NULL, HFILL }},
        { &hf_msstun_role_remote_relay_site_ipv6,
          { "Remote Relay Site IPv6", "msstun.att.remote_relay_site.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0,
            NULL, HFILL }},
        { &hf_msstun_role_remote_relay_site_port,
          { "Remote Relay Site Port", "msstun.att.remote_relay_site.port", FT_UINT16, BASE_DEC, NULL, 0x0,
            NULL, HFILL }},
        { &hf_msstun_role_local_site_ipv4,
          { "Local Site IPv4", "msstun.att.local_site.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_local_site_ipv6,
          { "Local Site IPv6", "msstun.att.local_site.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_local_site_port,
          { "Local Site Port", "msstun.att.local_site.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_local_relay_site_ipv4,
          { "Local Relay Site IPv4", "msstun.att.local_relay_site.ipv4", FT_IPv4, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_local_relay_site_ipv6,
          { "Local Relay Site IPv6", "msstun.att.local_relay_site.ipv6", FT_IPv6, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_role_local_relay_site_port,
          { "Local Relay Site Port", "msstun.att.local_relay_site.port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_change_ip,
          { "Change IP", "msstun.att.change_ip", FT_BOOLEAN, 32, TFS(&msstun_set_tfs), 0x00000004, NULL, HFILL }},
        { &hf_msstun_att_change_port,
          { "Change Port", "msstun.att.change_port", FT_BOOLEAN, 32, TFS(&msstun_set_tfs), 0x00000002, NULL, HFILL }},
        { &hf_msstun_att_username,
          { "Username", "msstun.att.username", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_username_opaque,
          { "Username (Opaque)", "msstun.att.username_opaque", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_password,
          { "Password", "msstun.att.password", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_hmac_sha1,
          { "HMAC-SHA1", "msstun.att.hmac_sha1", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_hmac_sha256,
          { "HMAC-SHA256", "msstun.att.hmac_sha256", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_hmac,
          { "HMAC", "msstun.att.hmac", FT_BYTES, BASE_NONE, NULL, 0x0,
            "Message integrity of an unexpected length", HFILL }},
        { &hf_msstun_att_error_reserved,
          { "Reserved Bits", "msstun.att.error.reserved", FT_UINT24, BASE_HEX, NULL, 0xFFFFF8, NULL, HFILL }},
        { &hf_msstun_att_address_error_reserved,
          { "Reserved Bits", "msstun.att.address_error.reserved", FT_UINT16, BASE_HEX, NULL, 0xFFF8, NULL, HFILL }},
        { &hf_msstun_att_error_class,
          { "Error Class", "msstun.att.error.class", FT_UINT8, BASE_DEC, NULL, 0x07, NULL, HFILL }},
        { &hf_msstun_att_error_number,
          { "Error Number", "msstun.att.error.number", FT_UINT8, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_error,
          { "Error Code", "msstun.att.error", FT_UINT16, BASE_DEC | BASE_EXT_STRING, &msstun_error_code_vals_ext, 0x0,
            "Class * 100 + number", HFILL }},
        { &hf_msstun_att_error_reason,
          { "Error Reason Phrase", "msstun.att.error.reason", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_unknown_type,
          { "Unknown Attribute", "msstun.att.unknown", FT_UINT16, BASE_HEX | BASE_EXT_STRING,
            &msstun_attribute_vals_ext, 0x0, NULL, HFILL }},
        { &hf_msstun_att_channel,
          { "Channel Number", "msstun.att.channel", FT_UINT16, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_rffu,
          { "RFFU", "msstun.att.rffu", FT_UINT24, BASE_HEX, NULL, 0x0, "Reserved for future use", HFILL }},
        { &hf_msstun_att_lifetime,
          { "Lifetime", "msstun.att.lifetime", FT_UINT32, BASE_DEC | BASE_UNIT_STRING, &msstun_units_seconds, 0x0,
            NULL, HFILL }},
        { &hf_msstun_att_magic_cookie,
          { "Magic Cookie", "msstun.att.magic_cookie", FT_UINT32, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_bandwidth,
          { "Bandwidth", "msstun.att.bandwidth", FT_UINT32, BASE_DEC | BASE_UNIT_STRING, &msstun_units_kbps, 0x0,
            "Peak bandwidth (MS-TURN 2.2.2.9)", HFILL }},
        { &hf_msstun_att_data,
          { "Data", "msstun.att.data", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_realm,
          { "Realm", "msstun.att.realm", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_nonce,
          { "Nonce", "msstun.att.nonce", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_requested_family,
          { "Requested Address Family", "msstun.att.requested_family", FT_UINT8, BASE_HEX, VALS(msstun_family_vals), 0x0,
            NULL, HFILL }},
        { &hf_msstun_att_even_port_reserve,
          { "Reserve Next Port", "msstun.att.even_port.reserve_next", FT_BOOLEAN, 8, TFS(&msstun_set_tfs), 0x80,
            NULL, HFILL }},
        { &hf_msstun_att_transport,
          { "Requested Transport", "msstun.att.transport", FT_UINT8, BASE_DEC, VALS(msstun_transport_vals), 0x0,
            NULL, HFILL }},
        { &hf_msstun_att_access_token,
          { "Access Token", "msstun.att.access_token", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_pw_alg,
          { "Password Algorithm", "msstun.att.pw_alg", FT_UINT16, BASE_DEC, VALS(msstun_pw_alg_vals), 0x0, NULL, HFILL }},
        { &hf_msstun_att_pw_alg_params_len,
          { "Algorithm Parameters Length", "msstun.att.pw_alg.params_len", FT_UINT16, BASE_DEC, NULL, 0x0,
            NULL, HFILL }},
        { &hf_msstun_att_pw_alg_params,
          { "Algorithm Parameters", "msstun.att.pw_alg.params", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_userhash,
          { "Userhash", "msstun.att.userhash", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_reservation_token,
          { "Reservation Token", "msstun.att.reservation_token", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_priority,
          { "Priority", "msstun.att.priority", FT_UINT32, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_padding_value,
          { "Padding Value", "msstun.att.padding_value", FT_BYTES, BASE_NONE, NULL, 0x0,
            "Contents of the RFC 5780 PADDING attribute", HFILL }},
        { &hf_msstun_att_response_port,
          { "Response Port", "msstun.att.response_port", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_connection_id,
          { "Connection ID", "msstun.att.connection_id", FT_UINT32, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_icmp_type,
          { "ICMP Type", "msstun.att.icmp.type", FT_UINT8, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_icmp_code,
          { "ICMP Code", "msstun.att.icmp.code", FT_UINT8, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_icmp_error_data,
          { "ICMP Error Data", "msstun.att.icmp.error_data", FT_UINT32, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_software,
          { "Software", "msstun.att.software", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_alternate_domain,
          { "Alternate Domain", "msstun.att.alternate_domain", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_transmit_req,
          { "Request Transmit Counter", "msstun.att.transmit_counter.req", FT_UINT8, BASE_DEC, NULL, 0x0,
            NULL, HFILL }},
        { &hf_msstun_att_transmit_resp,
          { "Response Transmit Counter", "msstun.att.transmit_counter.resp", FT_UINT8, BASE_DEC, NULL, 0x0,
            NULL, HFILL }},
        { &hf_msstun_att_cache_timeout,
          { "Cache Timeout", "msstun.att.cache_timeout", FT_UINT32, BASE_DEC | BASE_UNIT_STRING,
            &msstun_units_seconds, 0x0, NULL, HFILL }},
        { &hf_msstun_att_fingerprint,
          { "CRC-32", "msstun.att.fingerprint", FT_UINT32, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_fingerprint_status,
          { "CRC-32 Status", "msstun.att.fingerprint.status", FT_UINT8, BASE_NONE,
            VALS(msstun_checksum_status_vals), 0x0, NULL, HFILL }},
        { &hf_msstun_att_fingerprint_legacy,
          { "Legacy MS CRC-32", "msstun.att.fingerprint.legacy", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "Computed with the CRC-32 table of older Microsoft stacks", HFILL }},
        { &hf_msstun_att_tie_breaker,
          { "Tie Breaker", "msstun.att.tie_breaker", FT_UINT64, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_ecn_check,
          { "ECN Check", "msstun.att.ecn_check", FT_UINT32, BASE_HEX, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_third_party_auth,
          { "Third Party Authorization", "msstun.att.third_party_authorization", FT_STRING, BASE_NONE, NULL, 0x0,
            NULL, HFILL }},
        { &hf_msstun_att_mobility_ticket,
          { "Mobility Ticket", "msstun.att.mobility_ticket", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_ms_unknown_8006,
          { "MS Attribute 0x8006", "msstun.att.ms.unknown_8006", FT_UINT32, BASE_HEX, NULL, 0x0,
            "Undocumented attribute seen in Microsoft captures", HFILL }},
        { &hf_msstun_att_ms_version,
          { "MS-Version", "msstun.att.ms.version", FT_UINT32, BASE_DEC, VALS(msstun_ms_version_vals), 0x0, NULL, HFILL }},
        { &hf_msstun_att_ms_alt_host_name,
          { "MS Alternate Host Name", "msstun.att.ms.alt_host_name", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_ms_app_id,
          { "MS Application ID", "msstun.att.ms.app_id", FT_UINT32, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_ms_secure_tag,
          { "MS Secure Tag", "msstun.att.ms.secure_tag", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_ms_connection_id,
          { "Connection ID", "msstun.att.ms.connection_id", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_ms_sequence_number,
          { "Sequence Number", "msstun.att.ms.sequence_number", FT_UINT32, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_ms_candidate_id,
          { "Candidate Identifier", "msstun.att.ms.candidate_id", FT_STRINGZPAD, BASE_NONE, NULL, 0x0,
            "Foundation of the local candidate (MS-ICE2)", HFILL }},
        { &hf_msstun_att_ms_stream_type,
          { "Stream Type", "msstun.att.ms.stream_type", FT_UINT16, BASE_DEC, VALS(msstun_stream_type_vals), 0x0,
            NULL, HFILL }},
        { &hf_msstun_att_ms_service_quality,
          { "Service Quality", "msstun.att.ms.service_quality", FT_UINT16, BASE_DEC,
            VALS(msstun_service_quality_vals), 0x0, NULL, HFILL }},
        { &hf_msstun_att_ms_impl_version,
          { "Implementation Version", "msstun.att.ms.implementation_version", FT_UINT32, BASE_DEC | BASE_RANGE_STRING,
            RVALS(msstun_impl_version_rvals), 0x0, NULL, HFILL }},
        { &hf_msstun_att_ms_multiplexed_session_id,
          { "Multiplexed TURN Session ID", "msstun.att.ms.multiplexed_session_id", FT_UINT64, BASE_HEX, NULL, 0x0,
            NULL, HFILL }},
        { &hf_msstun_att_bwm_acm_type,
          { "Admission Control Message", "msstun.att.bwm.acm_type", FT_UINT16, BASE_DEC, VALS(msstun_bwm_acm_vals),
            0x0, NULL, HFILL }},
        { &hf_msstun_att_bwm_rsv_id,
          { "Reservation ID", "msstun.att.bwm.rsv_id", FT_BYTES, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_bwm_min_send,
          { "Minimum Send Bandwidth", "msstun.att.bwm.min_send", FT_UINT32, BASE_DEC | BASE_UNIT_STRING,
            &msstun_units_kbps, 0x0, NULL, HFILL }},
        { &hf_msstun_att_bwm_max_send,
          { "Maximum Send Bandwidth", "msstun.att.bwm.max_send", FT_UINT32, BASE_DEC | BASE_UNIT_STRING,
            &msstun_units_kbps, 0x0, NULL, HFILL }},
        { &hf_msstun_att_bwm_min_recv,
          { "Minimum Receive Bandwidth", "msstun.att.bwm.min_recv", FT_UINT32, BASE_DEC | BASE_UNIT_STRING,
            &msstun_units_kbps, 0x0, NULL, HFILL }},
        { &hf_msstun_att_bwm_max_recv,
          { "Maximum Receive Bandwidth", "msstun.att.bwm.max_recv", FT_UINT32, BASE_DEC | BASE_UNIT_STRING,
            &msstun_units_kbps, 0x0, NULL, HFILL }},
        { &hf_msstun_att_bwm_valid,
          { "Valid", "msstun.att.bwm.valid", FT_BOOLEAN, 32, TFS(&msstun_set_tfs), 0x80000000, NULL, HFILL }},
        { &hf_msstun_att_bwm_pstn_failover,
          { "PSTN Failover", "msstun.att.bwm.pstn_failover", FT_BOOLEAN, 32, TFS(&msstun_set_tfs), 0x40000000,
            NULL, HFILL }},
        { &hf_msstun_att_bwm_rp_reserved,
          { "Reserved Bits", "msstun.att.bwm.reserved_bits", FT_UINT32, BASE_HEX, NULL, 0x3FFFFFFF, NULL, HFILL }},
        { &hf_msstun_att_bwm_rp_reserved31,
          { "Reserved Bits", "msstun.att.bwm.reserved_bits", FT_UINT32, BASE_HEX, NULL, 0x7FFFFFFF, NULL, HFILL }},
        { &hf_msstun_att_bwm_rp_max_send,
          { "Maximum Send Bandwidth", "msstun.att.bwm.rp_max_send", FT_UINT32, BASE_DEC | BASE_UNIT_STRING,
            &msstun_units_kbps, 0x0, NULL, HFILL }},
        { &hf_msstun_att_bwm_rp_max_recv,
          { "Maximum Receive Bandwidth", "msstun.att.bwm.rp_max_recv", FT_UINT32, BASE_DEC | BASE_UNIT_STRING,
            &msstun_units_kbps, 0x0, NULL, HFILL }},
        { &hf_msstun_att_bwm_sip_dialog_id,
          { "SIP Dialog ID", "msstun.att.bwm.sip_dialog_id", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_bwm_sip_call_id,
          { "SIP Call ID", "msstun.att.bwm.sip_call_id", FT_STRING, BASE_NONE, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_bwm_peer_location,
          { "Peer Location", "msstun.att.bwm.peer_location", FT_UINT8, BASE_DEC, VALS(msstun_location_vals), 0x0,
            NULL, HFILL }},
        { &hf_msstun_att_bwm_self_location,
          { "Self Location", "msstun.att.bwm.self_location", FT_UINT8, BASE_DEC, VALS(msstun_location_vals), 0x0,
            NULL, HFILL }},
        { &hf_msstun_att_bwm_federation,
          { "Federation", "msstun.att.bwm.federation", FT_UINT8, BASE_DEC, VALS(msstun_federation_vals), 0x0,
            NULL, HFILL }},
        { &hf_msstun_att_nomination,
          { "Nomination", "msstun.att.nomination", FT_UINT32, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_goog_network_id,
          { "Network ID", "msstun.att.goog.network_id", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_goog_network_cost,
          { "Network Cost", "msstun.att.goog.network_cost", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
        { &hf_msstun_att_goog_misc_info,
          { "Miscellaneous Info", "msstun.att.goog.misc_info", FT_UINT16, BASE_DEC, NULL, 0x0, NULL, HFILL }},
    };

    static int *ett[] = {
        &ett_msstun,
        &ett_msstun_attributes,
        &ett_msstun_attribute,
    };

    static ei_register_info ei[] = {
        { &ei_msstun_length_mismatch,
          { "msstun.length_mismatch", PI_MALFORMED, PI_ERROR,
            "Message length does not match the payload", EXPFILL }},
        { &ei_msstun_walk_mismatch,
          { "msstun.walk_mismatch", PI_MALFORMED, PI_ERROR,
            "Attributes do not end at the message length, padded or not", EXPFILL }},
        { &ei_msstun_padding_fallback,
          { "msstun.padding_fallback", PI_PROTOCOL, PI_NOTE,
            "Attribute padding differs from this dialect's rule", EXPFILL }},
        { &ei_msstun_att_truncated,
          { "msstun.att.truncated", PI_MALFORMED, PI_ERROR, "Truncated attribute header", EXPFILL }},
        { &ei_msstun_att_bogus_length,
          { "msstun.att.bogus_length", PI_MALFORMED, PI_ERROR,
            "Attribute length goes past the end of the message", EXPFILL }},
        { &ei_msstun_att_short,
          { "msstun.att.short", PI_MALFORMED, PI_ERROR, "Attribute value too short for its format", EXPFILL }},
        { &ei_msstun_att_long,
          { "msstun.att.long", PI_MALFORMED, PI_ERROR, "Attribute value too long for its format", EXPFILL }},
        { &ei_msstun_att_unknown_required,
          { "msstun.att.unknown_required", PI_UNDECODED, PI_WARN,
            "Unknown comprehension-required attribute", EXPFILL }},
        { &ei_msstun_att_bad_family,
          { "msstun.att.bad_family", PI_MALFORMED, PI_ERROR, "Unknown address family or length", EXPFILL }},
        { &ei_msstun_att_hmac_length,
          { "msstun.att.hmac_length", PI_PROTOCOL, PI_WARN,
            "MESSAGE-INTEGRITY is neither 20 (HMAC-SHA1) nor 32 (HMAC-SHA256) bytes", EXPFILL }},
        { &ei_msstun_att_fingerprint_bad,
          { "msstun.att.fingerprint.bad", PI_CHECKSUM, PI_WARN, "Bad FINGERPRINT", EXPFILL }},
        { &ei_msstun_att_fingerprint_legacy,
          { "msstun.att.fingerprint.legacy_crc", PI_CHECKSUM, PI_NOTE,
            "FINGERPRINT uses the legacy Microsoft CRC-32 variant", EXPFILL }},
        { &ei_msstun_att_not_captured,
          { "msstun.att.not_captured", PI_UNDECODED, PI_WARN,
            "Attributes not captured (the snapshot length, or an ICMP error quoting the message, cut it)",
            EXPFILL }},
        { &ei_msstun_att_fingerprint_not_last,
          { "msstun.att.fingerprint.not_last", PI_PROTOCOL, PI_WARN,
            "FINGERPRINT is not the last attribute (RFC 8489 14.7): not verified", EXPFILL }},
        { &ei_msstun_ms_sequence_number_only,
          { "msstun.att.ms.sequence_number_only", PI_PROTOCOL, PI_NOTE,
            "MS-SEQUENCE-NUMBER holds the sequence number only, without the Connection ID of MS-TURN 2.2.2.21",
            EXPFILL }},
        { &ei_msstun_magic_cookie_not_first,
          { "msstun.magic_cookie_not_first", PI_PROTOCOL, PI_WARN,
            "MAGIC-COOKIE must be the first attribute (MS-TURN 2.2.2.8)", EXPFILL }},
        { &ei_msstun_error_response,
          { "msstun.error_response", PI_RESPONSE_CODE, PI_WARN, "Error response", EXPFILL }},
        { &ei_msstun_auth_challenge,
          { "msstun.auth_challenge", PI_RESPONSE_CODE, PI_NOTE, "Authentication challenge", EXPFILL }},
        { &ei_msstun_ms_send_response,
          { "msstun.ms_send_response", PI_PROTOCOL, PI_WARN,
            "MS-TURN servers must not answer a Send request (MS-TURN 2.2.1)", EXPFILL }},
        { &ei_msstun_retransmission,
          { "msstun.retransmission", PI_SEQUENCE, PI_NOTE, "Retransmitted message", EXPFILL }},
        { &ei_msstun_no_response,
          { "msstun.no_response", PI_SEQUENCE, PI_WARN, "No response seen to this request", EXPFILL }},
        { &ei_msstun_learn_bound,
          { "msstun.learn_bound", PI_UNDECODED, PI_WARN,
            "Media endpoints not learned: a bound on learned endpoints was reached", EXPFILL }},
        { &ei_msstun_pair_not_valid,
          { "msstun.pair_not_valid", PI_SEQUENCE, PI_WARN,
            "ICE candidate pair not valid in both directions", EXPFILL }},
    };

    expert_module_t *expert_msstun;

    for (unsigned i = 0; i < array_length(attributes); i++) {
        msstun_attribute_vals[i].value = attributes[i].type;
        msstun_attribute_vals[i].strptr = attributes[i].name;
    }

    /* MSSTUN: every frame this plugin decodes carries its item, and its
     * messages' fields are MSSTUN's.  The multiplexer (packet-msrtp-mux.c),
     * SRTP and the preferences add their fields and settings to it after
     * this (plugin.c). */
    proto_msstun = proto_register_protocol("Microsoft STUN/TURN/ICE", "MSSTUN", "msstun");
    proto_register_field_array(proto_msstun, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_msstun = expert_register_protocol(proto_msstun);
    /* "MSSTUN message", in Decode As: one STUN/TURN message per payload,
     * without the multiplexer's classification.  Its frames carry a hidden
     * msstun_message item next to the MSSTUN tree. */
    proto_msstun_message = proto_register_protocol("MSSTUN message (STUN/TURN only)", "MSSTUN message",
                                                   "msstun_message");
    expert_register_field_array(expert_msstun, ei, array_length(ei));

    msstun_tap = register_tap("msstun");
    register_init_routine(learning_init);
    /* Plugins register after every built-in protocol. */
    proto_stun = proto_get_id_by_filter_name("stun");
}
