/* tap-msstun-note.c
 * The figures of a note (tap-msstun.h) read from an RTP or RTCP packet:
 * for the multiplexer's notes (packet-msstun.c) and for the RTCP that the
 * media paths report reads from Wireshark's own RTCP (tap-msstun-flow.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "tap-msstun.h"

void
msstun_note_read(msstun_note_t *note, tvbuff_t *tvb, msstun_note_kind_t kind, bool clear)
{
    unsigned len = tvb_reported_length(tvb);

    note->kind = kind;
    note->length = len;
    if (kind == MSSTUN_NOTE_PSEUDO_TLS || tvb_captured_length(tvb) < 12)
        return;
    note->ssrc = tvb_get_ntohl(tvb, kind == MSSTUN_NOTE_RTP ? 8 : 4);
    note->payload_type = tvb_get_uint8(tvb, 1) & (kind == MSSTUN_NOTE_RTP ? 0x7F : 0xFF);
    note->seq = tvb_get_ntohs(tvb, 2);
    if (kind == MSSTUN_NOTE_RTP) {
        note->timestamp = tvb_get_ntohl(tvb, 4);
        note->marker = (tvb_get_uint8(tvb, 1) & 0x80) != 0;
    }
    if (kind == MSSTUN_NOTE_RTCP && (note->payload_type == 200 || note->payload_type == 201)) {
        /* RFC 3550 6.4: report blocks of 24 bytes after the SR sender info or the RR header. */
        unsigned offset = note->payload_type == 200 ? 28 : 8;
        unsigned count = tvb_get_uint8(tvb, 0) & 0x1F;

        if (clear && note->payload_type == 200 && tvb_captured_length(tvb) >= 16) {
            note->has_sr_ntp = true;
            note->sr_ntp_middle = tvb_get_ntohl(tvb, 10);
        }
        for (unsigned i = 0; i < count && offset + 24 <= len && (unsigned)tvb_captured_length(tvb) >= offset + 4; i++) {
            note->reported[note->n_reported++] = tvb_get_ntohl(tvb, offset);
            if (clear && note->n_blocks == i && (unsigned)tvb_captured_length(tvb) >= offset + 24) {
                uint32_t lost = tvb_get_ntoh24(tvb, offset + 5);

                note->blocks[i].fraction_lost = tvb_get_uint8(tvb, offset + 4);
                /* 24 bits, signed (RFC 3550 6.4.1). */
                note->blocks[i].cumulative_lost = (int32_t)(lost ^ 0x800000) - 0x800000;
                note->blocks[i].highest_seq = tvb_get_ntohl(tvb, offset + 8);
                note->blocks[i].jitter = tvb_get_ntohl(tvb, offset + 12);
                note->blocks[i].lsr = tvb_get_ntohl(tvb, offset + 16);
                note->blocks[i].dlsr = tvb_get_ntohl(tvb, offset + 20);
                note->n_blocks++;
            }
            offset += 24;
        }
    }
}
