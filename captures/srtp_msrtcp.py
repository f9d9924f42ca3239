#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""srtp_msrtcp.py - a Skype for Business G.722 call keyed in plain SIP, its SRTCP with [MS-RTP]
profile-specific extensions.

  srtp-msrtcp.pcap  G.722 tones (480 Hz from the caller with MKI, 720 Hz from the callee, encoded by
                    libspandsp) and SRTCP whose SR and RR carry [MS-RTP] 2.2.11 profile-specific
                    extensions (Policy Server, TURN Server Bandwidth, Peer Info Exchange, Network
                    Congestion Notification, Modality Send Bandwidth Limit; Audio Healer Metrics,
                    Receiver-side Bandwidth Limit).

Built, written and described by gen_srtp.py (with every other SRTP capture: srtp-expected.json
holds them all)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lib.capture import PacedCapture, UdpFlow  # noqa: E402
from lib.media import G722Stream  # noqa: E402
from lib.net import Host  # noqa: E402
from lib.rtp import (ms_report, pse_audio_healer, pse_congestion, pse_modality_send_bw,  # noqa: E402
                     pse_peer_info, pse_policy_server_bw, pse_receiver_bw_limit, pse_turn_server_bw)
from lib.sip import audio_sdp, sip_call, sip_call_setup  # noqa: E402
from lib.srtp import SrtpSender, b64, key_salt, send_media  # noqa: E402
from srtp_sip import CALLEE_JITTER_US, CALLER_JITTER_US, MAC_A, MAC_B  # noqa: E402

MS_A_IP, MS_B_IP = '10.0.0.30', '10.0.0.40'
MS_A_RTP, MS_B_RTP = 50300, 50400
KEY_MA = key_salt('msrtcp-caller')   # |2^31|1:1, the key the caller sends with
KEY_MB = key_salt('msrtcp-callee')   # the answer's key, no MKI
SSRC_MA, SSRC_MB = 0x5A5A0001, 0x6B6B0002
MS_TONE_A, MS_TONE_B = 480, 720     # Hz, the G.722 tones of the caller and the callee
MS_CALL_ID = 'f0e1d2c3b4a5968778695a4b3c2d1e0f@10.0.0.30'
MS_PACKETS = 25                      # per direction, 20 ms each


def ms_sip_messages():
    offer = audio_sdp(MS_A_IP, MS_A_RTP, SSRC_MA,
                   'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31|1:1' % b64(KEY_MA))
    answer = audio_sdp(MS_B_IP, MS_B_RTP, SSRC_MB, 'a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:%s|2^31' % b64(KEY_MB))
    return sip_call(MS_CALL_ID, 'carol', 'dave', MS_A_IP, MS_B_IP, offer, answer, 'm', 'ms')


def build_msrtcp():
    """A Skype for Business G.722 call keyed in SIP over UDP: SRTP both
    ways (a 480 Hz tone from the caller with MKI 1:1, 720 Hz from the
    callee without MKI), and SRTCP whose SR and RR carry [MS-RTP]
    profile-specific extensions: the caller's SR Policy Server and TURN
    Server Bandwidth, Peer Info Exchange, Network Congestion Notification
    and Modality Send Bandwidth Limit; the callee's RR Audio Healer
    Metrics and Receiver-side Bandwidth Limit."""
    cap = PacedCapture('srtp-msrtcp.pcap', 'G.722 SRTP call keyed in SIP over UDP, SRTCP with MS-RTP '
                       'profile-specific extensions')
    a = Host(MS_A_IP, MAC_A, 128, 0x8000)
    b = Host(MS_B_IP, MAC_B, 128, 0x9000)
    sip_call_setup(cap, a, b, ms_sip_messages(), 'SDP offer: G722/8000 (PT 9), a=crypto:2 with MKI 1:1',
                   'SDP answer: G722/8000 (PT 9), a=crypto:2 without MKI')
    rtp = UdpFlow(cap, a, MS_A_RTP, MAC_A, b, MS_B_RTP, MAC_B)
    rtcp = UdpFlow(cap, a, MS_A_RTP + 1, MAC_A, b, MS_B_RTP + 1, MAC_B)
    sa = G722Stream('ms-caller', SSRC_MA, 20000, 480000, MS_TONE_A, b'carol@msstun.example')
    sb = G722Stream('ms-callee', SSRC_MB, 40000, 960000, MS_TONE_B, b'dave@msstun.example')
    send_a = SrtpSender(KEY_MA, 80, mki=1, mki_len=1)
    send_b = SrtpSender(KEY_MB, 80)
    t0 = cap.time_us()
    for i in range(MS_PACKETS):
        cap.at(t0 + i * 20000 + CALLER_JITTER_US[i % len(CALLER_JITTER_US)])
        p, info = sa.rtp(marker=(i == 0))
        send_media(cap, rtp, 'A', send_a, p, info, 'caller -> callee, G722 %d Hz' % MS_TONE_A)
        cap.at(t0 + i * 20000 + 10000 + CALLEE_JITTER_US[i % len(CALLEE_JITTER_US)])
        p, info = sb.rtp(marker=(i == 0))
        send_media(cap, rtp, 'B', send_b, p, info, 'callee -> caller, G722 %d Hz' % MS_TONE_B)
        if i == 9:
            cap.at(t0 + i * 20000 + 15000)
            congestion, sec, frac = pse_congestion(cap.time_us(), 0x06)
            p, info = ms_report(sa, 'SR', sb, cap.time_us(), [
                pse_policy_server_bw(2000000), pse_turn_server_bw(1500000),
                pse_peer_info(SSRC_MA, 8000000, 4000000, True), congestion, pse_modality_send_bw(2, 1200000)],
                {'policy_server_bandwidth': 2000000, 'turn_server_bandwidth': 1500000,
                 'peer_info': {'ssrc': '0x%08x' % SSRC_MA, 'inbound': 8000000, 'outbound': 4000000,
                               'no_cache': 1},
                 'congestion': {'ntp_msw': sec, 'ntp_lsw': frac, 'info': 0x06},
                 'modality_send_bandwidth': {'modality': 2, 'limit': 1200000}})
            send_media(cap, rtcp, 'A', send_a, p, info, 'caller SR with MS-RTP extensions')
            cap.at(t0 + i * 20000 + 17000)
            p, info = ms_report(sb, 'RR', sa, cap.time_us(), [
                pse_audio_healer(SSRC_MA, 3, 5, 2, 1000, 1, 2), pse_receiver_bw_limit(6000000)],
                {'audio_healer': {'ssrc': '0x%08x' % SSRC_MA, 'concealed': 3, 'stretched': 5, 'compressed': 2,
                                  'total': 1000, 'receive_quality_state': 1, 'fec_distance_request': 2},
                 'receiver_bandwidth_limit': 6000000})
            send_media(cap, rtcp, 'B', send_b, p, info, 'callee RR with MS-RTP extensions')
    return cap
