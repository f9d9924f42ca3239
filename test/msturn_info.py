# msturn_info.py
# The Info column of the frames of the generated MS-TURN captures (captures/gen_msturn.py
# --describe) that both suite_mux.py (every frame's columns) and suite_msstun.py (every
# message's fields) check: one copy of each text.
#
# SPDX-License-Identifier: GPL-2.0-or-later

INFO_UDP3478 = {  # msturn-udp3478.pcap, every frame
    1: 'Allocate Request',
    2: 'Allocate Error Response error 401 Unauthorized alternate 192.0.2.1:3478',
    3: 'Allocate Request',
    4: ('Allocate Success Response relayed 192.0.2.15:50000 relayed [2001:db8::15]:50002 mapped '
        '198.51.100.7:40000 lifetime 480'),
    5: 'Send Request to 203.0.113.9:50012 | Binding Request user pQ7z:Ab3d controlling',
    6: 'Data Indication from 203.0.113.9:50012 | Binding Success Response mapped 192.0.2.15:50000',
    7: 'Send Request to 203.0.113.9:50012 | PT=DynamicRTP-Type-104, SSRC=0x1A2B3C4D, Seq=1000, Time=160000, Mark',
    8: 'Data Indication from 203.0.113.9:50012 | Sender Report   Source description   ',
    9: 'Set Active Destination Request to 203.0.113.9:50012',
    10: 'Set Active Destination Success Response',
    11: 'PT=DynamicRTP-Type-104, SSRC=0x1A2B3C4D, Seq=1001, Time=160320',
    12: 'PT=DynamicRTP-Type-104, SSRC=0x5E6F7A8B, Seq=2003, Time=480960',
    13: 'PT=DynamicRTP-Type-104, SSRC=0x1A2B3C4D, Seq=1002, Time=160640',
    14: 'PT=DynamicRTP-Type-104, SSRC=0x5E6F7A8B, Seq=2004, Time=481280',
    15: 'Sender Report   Source description   ',
    16: 'Receiver Report   Source description   ',
    17: 'Set Active Destination Request to 203.0.113.9:50014',
    18: 'Set Active Destination Error Response error 439 Active Destination Already Set',
    19: ('Multiplexed TURN session 0x3b8e07bb823e5a6d | PT=DynamicRTP-Type-104, SSRC=0x1A2B3C4D, '
         'Seq=1003, Time=160960'),
    20: 'Allocate Request lifetime 480',
    21: 'Allocate Success Response relayed 192.0.2.15:50000 mapped 198.51.100.7:40000 lifetime 480',
    22: 'Allocate Request bandwidth Reservation Check',
    23: 'Allocate Success Response mapped 198.51.100.7:40000 lifetime 480',
    24: 'Allocate Request',
    25: 'Allocate Success Response relayed 192.0.2.15:50000 mapped 198.51.100.7:40000 lifetime 480',
    26: 'Allocate Request',
}

INFO_TCP443 = {  # msturn-tcp443.pcap, its MS-TURN control frames
    6: 'Allocate Request',
    7: 'Allocate Error Response error 401 Unauthorized alternate 192.0.2.1:443',
    8: 'Allocate Request',
    9: ('Allocate Success Response relayed 192.0.2.15:50100 relayed [2001:db8::15]:50102 mapped '
        '198.51.100.7:41000 lifetime 480'),
    10: 'Send Request to 203.0.113.9:50012 | Binding Request user pQ7z:Ab3d controlling',
    11: ('Data Indication from 203.0.113.9:50012 | Binding Success Response mapped 192.0.2.15:50100 '
         '; Data Indication from 203.0.113.9:50012 | Binding Request user Ab3d:pQ7z controlled'),
    13: 'Send Request to 203.0.113.9:50012 | Binding Success Response mapped 203.0.113.9:50012',
    15: 'Set Active Destination Request to 203.0.113.9:50012',
    16: 'Set Active Destination Success Response',
}
