/* srtp.h
 * SRTP and SRTCP decryption with SDES keys (srtp.c, with the keys of
 * srtp-keys.c): what the multiplexer calls.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef MSSTUN_SRTP_H
#define MSSTUN_SRTP_H

#include <epan/packet.h>
#include <epan/prefs.h>

/* Registers SRTP's fields and preferences in proto and its module. */
void msstun_srtp_register(module_t *module, int proto);
void msstun_srtp_handoff(void);

/* Decrypts an SRTP packet (rtcp false) or an SRTCP packet that the
 * multiplexer is about to hand to Wireshark's RTP or RTCP dissector; on
 * success adds the "Decrypted SRTP" data source, hands the plaintext to
 * that dissector and returns true.  Returns false (and the caller goes on
 * as without keys) when no key applies. */
bool msstun_srtp_dissect(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, bool rtcp);

#endif /* MSSTUN_SRTP_H */
