/* tap-msstun-quality.h
 * The call-quality arithmetic of the media paths report: round trip from
 * RTCP at the capture point, Microsoft's Call Quality Dashboard verdict and
 * the ITU-T G.107 E-model.  Pure functions, no state, no Wireshark types.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#ifndef TAP_MSSTUN_QUALITY_H
#define TAP_MSSTUN_QUALITY_H

#include <stdbool.h>
#include <stdint.h>

/* Round trip in ms between the capture point and the end that sent a report
 * block, from the capture times (s) of the SR the block names (LSR) and of
 * the block, and the block's DLSR (1/65536 s).  Negative when the figures
 * contradict each other (a DLSR longer than the time between them). */
double msstun_quality_rtt_ms(double sr_time, double block_time, uint32_t dlsr);

/* The middle 32 bits of an NTP timestamp, as LSR names an SR (RFC 3550 6.4.1). */
uint32_t msstun_quality_ntp_middle(uint32_t ntp_seconds, uint32_t ntp_fraction);

typedef enum {
    MSSTUN_MEDIA_UNKNOWN,
    MSSTUN_MEDIA_AUDIO,
    MSSTUN_MEDIA_VIDEO
} msstun_media_type_t;

/* By the RTP clock rate: 90000 Hz is video (RFC 3551), the audio rates audio. */
msstun_media_type_t msstun_quality_media_type(unsigned clock_rate);

/* The audio thresholds of CQD a capture can measure (see the .c). */
#define MSSTUN_CQD_AUDIO_LOSS_PCT   10.0
#define MSSTUN_CQD_AUDIO_JITTER_MS  30.0
#define MSSTUN_CQD_AUDIO_RTT_MS     500.0
/* CQD classifies an audio stream only when its Packet Utilization (the
 * packets sent) is over this; below, the stream is Unclassified. */
#define MSSTUN_CQD_AUDIO_MIN_PACKETS 500U

typedef enum {
    MSSTUN_CQD_NONE,            /* no threshold exceeded */
    MSSTUN_CQD_LOSS,
    MSSTUN_CQD_JITTER,
    MSSTUN_CQD_RTT
} msstun_cqd_reason_t;

/* The first of CQD's audio thresholds (loss, jitter, round trip) that the
 * figures exceed; a figure that is not known is NAN. */
msstun_cqd_reason_t msstun_quality_cqd_audio(double loss_pct, double jitter_ms, double rtt_ms);

/* A codec's G.113 Appendix I impairment values. */
typedef struct {
    const char *name;
    double      ie;             /* equipment impairment factor */
    double      bpl;            /* packet-loss robustness factor */
} msstun_codec_impairment_t;

/* The values for an RTP payload type and encoding name (NULL when static),
 * or NULL when no published value applies (SILK, RTAudio, G.722, ...). */
const msstun_codec_impairment_t *msstun_quality_codec(unsigned payload_type, const char *encoding_name);

/* G.722 (RFC 3551's static type 9, or named G722): a wideband codec, whose
 * impairment values are on the wideband scale of G.107.1 (see the .c). */
bool msstun_quality_is_g722(unsigned payload_type, const char *encoding_name);

/* The one-way mouth-to-ear delay in ms the E-model is given: half the round
 * trip, plus a jitter buffer of twice the mean jitter, plus one packet. */
double msstun_quality_one_way_ms(double rtt_ms, double mean_jitter_ms, double packet_ms);

/* G.107 (06/2015) transmission rating R with the default values of its
 * Table 1 but T = Ta = one_way_ms, Tr = 2 one_way_ms, Ie and Bpl of the
 * codec, Ppl = loss_pct and BurstR = burst_ratio. */
double msstun_quality_emodel_r(double ie, double bpl, double loss_pct, double burst_ratio, double one_way_ms);

/* G.107 Annex B (B-4): MOS (conversational quality, estimated) of R. */
double msstun_quality_mos(double r);

#endif /* TAP_MSSTUN_QUALITY_H */
