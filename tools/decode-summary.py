#!/usr/bin/env python3
# Prints, for every capture the suite uses (../shared/captures and
# captures/), one line per frame of what the plugin made of it (frames it
# did not dissect only as such): the protocol
# stack up to the dissector it handed the payload to, the MSSTUN message and
# TCP frame types, the RTP/RTCP it found, where RTP was set up, and whether
# the frame is malformed.  The fields are the plugin's and the RTP/RTCP ones
# Wireshark has had unchanged since 4.0, so tools/matrix.sh compares this
# output between Wireshark versions.  Layers below the one MSSTUN (or UDP/TCP)
# handed the payload to are left out: they are Wireshark's own (4.6 names
# the X.509 layers of a certificate differently, for one).
#
# Runs tshark as tests do (test/conftest.py): the fresh build in a temporary
# personal plugin folder and no other msstun, as an unprivileged user when
# started as root.
#
# SPDX-License-Identifier: GPL-2.0-or-later

import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test'))

import conftest  # noqa: E402

FIELDS = ['frame.number', 'frame.protocols', 'msstun.type', 'msstun.tcp.type', 'rtp.ssrc', 'rtp.seq',
          'rtp.p_type', 'rtp.setup-frame', 'rtcp.pt', '_ws.malformed']


def transport(protocols):
    '''eth:ethertype:ip:tcp:tls -> eth:ethertype:ip:tcp.'''
    layers = protocols.split(':')
    for i, layer in enumerate(layers):
        if layer in ('udp', 'tcp'):
            return ':'.join(layers[:i + 1])
    return protocols


def handed_to(protocols):
    '''eth:ethertype:ip:tcp:msstun:dtls:x509sat:pkcs-1 -> eth:ethertype:ip:tcp:msstun:dtls.'''
    layers = protocols.split(':')
    for i, layer in enumerate(layers):
        if layer in ('udp', 'tcp'):
            j = i + 1
            while j < len(layers) and layers[j] == 'msstun':
                j += 1
            return ':'.join(layers[:j + 1])
    return protocols


def main():
    root = tempfile.mkdtemp(prefix='msstun-decode-')
    os.chmod(root, 0o755)
    try:
        run_as = conftest.UNPRIVILEGED_USER if os.geteuid() == 0 else None
        major_minor = conftest._wireshark_major_minor()
        home = conftest._make_home(root, 'home', run_as, conftest.plugin_path(), major_minor)
        plugin_dir = conftest.mirror_global_plugins(conftest.global_plugin_dir(), os.path.join(root, 'global'))
        tshark = conftest.TShark(home, run_as, plugin_dir)
        conftest._check_plugins(tshark, [os.path.join(home, '.local', 'lib', 'wireshark', 'plugins', major_minor,
                                                      'epan', 'msstun.so')])
        captures = ([os.path.join(conftest.SHARED_CAPTURES, c) for c in conftest.all_shared_captures()] +
                    [os.path.join(conftest.LOCAL_CAPTURES, c) for c in conftest.all_local_captures()])
        for capture in captures:
            if capture.startswith(conftest.SHARED_CAPTURES + os.sep):
                name = 'shared/' + os.path.relpath(capture, conftest.SHARED_CAPTURES)
            else:
                name = 'captures/' + os.path.basename(capture)
            for row in tshark.fields(capture, FIELDS):
                if 'msstun' not in row[1].split(':'):
                    # Not MSSTUN's frame: what Wireshark's own dissectors make of
                    # it is theirs to change between versions.
                    row = [row[0], transport(row[1]) + ':(not msstun)'] + [''] * (len(row) - 2)
                else:
                    row[1] = handed_to(row[1])
                    # RTP notes a conversation it made itself (when called
                    # without one) as set up by that very frame: on the first
                    # packet in 4.4 and 4.6, from the second in 4.0.
                    if row[7] == row[0]:
                        row[7] = ''
                print('%s\t%s' % (name, '\t'.join(row)))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == '__main__':
    main()
