# SPDX-License-Identifier: GPL-2.0-or-later
"""SIP (RFC 3261) calls over UDP 5060 with SDP (RFC 4566, RFC 4568 a=crypto, MS-SDPEXT) bodies."""

from .capture import Blob, UdpFlow


def audio_sdp(ip, port, ssrc, crypto):
    """An SDP offer or answer of one G.722 / PCMU / telephone-event audio stream with RTCP on port + 1,
    its SSRC in a=x-ssrc-range and its key in crypto (an a=crypto line), as Skype for Business writes it."""
    return ('v=0\r\no=- 0 0 IN IP4 %s\r\ns=session\r\nc=IN IP4 %s\r\nb=CT:99980\r\nt=0 0\r\n'
            'm=audio %d RTP/SAVP 9 0 101\r\n'
            'a=rtcp:%d\r\n'
            'a=x-ssrc-range:%d-%d\r\n'
            '%s\r\n'
            'a=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n'
            'a=fmtp:101 0-16\r\na=ptime:20\r\na=encryption:required\r\n'
            % (ip, ip, port, port + 1, ssrc, ssrc, crypto))


def media_sdp(ip, port, session, payload_type, encoding, rtcp_mux=False, crypto=None):
    """An RFC 4566 offer or answer of one audio stream of one payload type, named by a=rtpmap
    (encoding: 'SILK/16000' as Skype for Business offers it, 'PCMU/8000' as a gateway does);
    RTCP on the next port (RFC 3550 11) or, with rtcp_mux, on the RTP port (RFC 5761 5.1.1);
    with crypto (an RFC 4568 a=crypto line), as SRTP (RTP/SAVP)."""
    return ('v=0\r\n'
            'o=- %d 1 IN IP4 %s\r\n'
            's=session\r\n'
            'c=IN IP4 %s\r\n'
            't=0 0\r\n'
            'm=audio %d RTP/%s %d\r\n'
            '%s%s'
            'a=rtpmap:%d %s\r\n' % (session, ip, ip, port, 'SAVP' if crypto else 'AVP', payload_type,
                                     'a=rtcp-mux\r\n' if rtcp_mux else '',
                                     crypto + '\r\n' if crypto else '', payload_type, encoding))


def sip_call(call_id, caller, callee, a_ip, b_ip, offer, answer, tag, branch, cseq=1):
    """An INVITE with the offer, its 200 OK with the answer and the ACK, over UDP 5060."""
    common = 'From: <sip:%s@msstun.example>;tag=%s1\r\nCall-ID: %s\r\n' % (caller, tag, call_id)
    via = 'SIP/2.0/UDP %s:5060;branch=z9hG4bK-msstun-%s-%d' % (a_ip, branch, 2 * cseq - 1)
    invite = ('INVITE sip:%s@msstun.example SIP/2.0\r\nVia: %s\r\nMax-Forwards: 70\r\n'
              'To: <sip:%s@msstun.example>%s\r\n%sCSeq: %d INVITE\r\n'
              'Contact: <sip:%s@%s:5060;transport=udp>\r\n'
              'User-Agent: UCCAPI/16.0.0.0 OC/16.0.0.0 (Skype for Business)\r\n'
              'Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s'
              % (callee, via, callee, ';tag=%s2' % tag if cseq > 1 else '', common, cseq, caller, a_ip,
                 len(offer), offer))
    ok = ('SIP/2.0 200 OK\r\nVia: %s\r\nTo: <sip:%s@msstun.example>;tag=%s2\r\n%sCSeq: %d INVITE\r\n'
          'Contact: <sip:%s@%s:5060;transport=udp>\r\n'
          'Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n%s'
          % (via, callee, tag, common, cseq, callee, b_ip, len(answer), answer))
    ack = ('ACK sip:%s@%s:5060;transport=udp SIP/2.0\r\nVia: SIP/2.0/UDP %s:5060;branch=z9hG4bK-msstun-%s-%d\r\n'
           'Max-Forwards: 70\r\nTo: <sip:%s@msstun.example>;tag=%s2\r\n%sCSeq: %d ACK\r\n'
           'Content-Length: 0\r\n\r\n' % (callee, b_ip, a_ip, branch, 2 * cseq, callee, tag, common, cseq))
    return invite.encode(), ok.encode(), ack.encode()


def sip_call_setup(cap, a, b, messages, offer, answer):
    """INVITE, 200 OK and ACK over UDP 5060 between Hosts a and b; offer, answer: what their SDP holds."""
    sip = UdpFlow(cap, a, 5060, a.mac, b, 5060, b.mac)
    invite, ok, ack = messages
    sip.send('A', Blob(invite, ['SIP INVITE, ' + offer]), 'SIP INVITE (offer)')
    sip.send('B', Blob(ok, ['SIP 200 OK, ' + answer]), 'SIP 200 OK (answer)')
    sip.send('A', Blob(ack, ['SIP ACK']), 'SIP ACK')
