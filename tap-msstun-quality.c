/* tap-msstun-quality.c
 * The call-quality arithmetic of the media paths report (tap-msstun-flow.c).
 *
 * Round trip at the capture point.  An SR of SSRC X passes the capture point
 * at capture time t_sr; the end that receives X later reports about X with
 * LSR = the middle 32 bits of that SR's NTP timestamp and DLSR = how long it
 * held the SR, and that block passes the capture point at t_rr.  Then
 * t_rr - t_sr - DLSR is the round trip between the capture point and the
 * reporting end, measured on the capture's own clock: no clock offset
 * between the ends enters it.  (RFC 3550 6.4.1's A - LSR - DLSR is the same
 * at the SR's sender, with A its own clock when the block arrives; the
 * capture point does not see that clock, so it is not used here.)  The
 * round trip of the whole path is the sum of the capture point's round
 * trips to the two ends.
 *
 * The verdict: Microsoft's "Stream classification in Call Quality Dashboard
 * (CQD)" (learn.microsoft.com/microsoftteams/stream-classification-in-call-
 * quality-dashboard) classifies an audio stream of more than 500 packets
 * (its Packet Utilization) as Poor when any of Round Trip > 500 ms, Packet
 * Loss Rate > 0.1 or Jitter > 30 ms (earlier versions of the page also had
 * Audio Degradation Avg > 1.0 and Ratio Concealed Samples Avg > 0.07), and
 * leaves a stream of 500 packets or fewer Unclassified.  A capture measures
 * the loss rate, the jitter (RFC 3550, as the clients report it) and the
 * round trip; the degradation (network MOS degradation) and the concealed
 * samples are computed inside the receiving client's decoder and are not on
 * the wire, so this verdict is CQD's on the three figures only.  CQD's
 * video thresholds (Video Post FECPLR, Video Local Frame Loss Percentage
 * Avg, Recv/Sent Frame Rate Avg, Low Frame Rate Call Percent) and its
 * application-sharing ones (Spoiled Tile Percent Total, RDP Tile Processing
 * Latency Avg, Relative One Way Average) are all decoder or renderer
 * figures: video streams get figures without a verdict.
 *
 * The estimate: ITU-T G.107 (06/2015) E-model, R = Ro - Is - Id - Ie,eff + A,
 * with every parameter at its default (G.107 Table 1) but the delays and the
 * codec's impairment.  Ie and Bpl are those of ITU-T G.113 Appendix I
 * (Tables I.1 and I.3): G.711 with the packet-loss concealment of G.711
 * Appendix I (Ie 0, Bpl 25.1: clients conceal loss; without concealment it
 * would be 4.3), G.729A with VAD (Ie 11, Bpl 19.0; the payload type does not
 * tell G.729 from G.729A).  G.722 has values only on the wideband scale of
 * ITU-T G.107.1 (Ro 129; G.113 Appendix IV), which this estimate does not
 * compute: its Ie,wb and Bpl could not be checked against the text of the
 * Recommendation, so G.722 gets no estimate, said as such.  SILK, RTAudio
 * and the other codecs have no published values: no estimate.  Loss is
 * taken as random (BurstR 1).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */

#include "tap-msstun-quality.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

double
msstun_quality_rtt_ms(double sr_time, double block_time, uint32_t dlsr)
{
    return (block_time - sr_time - dlsr / 65536.0) * 1000.0;
}

uint32_t
msstun_quality_ntp_middle(uint32_t ntp_seconds, uint32_t ntp_fraction)
{
    return (ntp_seconds << 16) | (ntp_fraction >> 16);
}

msstun_media_type_t
msstun_quality_media_type(unsigned clock_rate)
{
    if (clock_rate == 90000)
        return MSSTUN_MEDIA_VIDEO;
    if (clock_rate >= 8000 && clock_rate <= 48000)
        return MSSTUN_MEDIA_AUDIO;
    return MSSTUN_MEDIA_UNKNOWN;
}

msstun_cqd_reason_t
msstun_quality_cqd_audio(double loss_pct, double jitter_ms, double rtt_ms)
{
    /* A NAN compares false: an unknown figure exceeds nothing. */
    if (loss_pct > MSSTUN_CQD_AUDIO_LOSS_PCT)
        return MSSTUN_CQD_LOSS;
    if (jitter_ms > MSSTUN_CQD_AUDIO_JITTER_MS)
        return MSSTUN_CQD_JITTER;
    if (rtt_ms > MSSTUN_CQD_AUDIO_RTT_MS)
        return MSSTUN_CQD_RTT;
    return MSSTUN_CQD_NONE;
}

static const msstun_codec_impairment_t g711 = { "G.711 with PLC", 0.0, 25.1 };
static const msstun_codec_impairment_t g729a = { "G.729A with VAD", 11.0, 19.0 };

const msstun_codec_impairment_t *
msstun_quality_codec(unsigned payload_type, const char *encoding_name)
{
    /* RFC 3551's static types: 0 PCMU, 8 PCMA, 18 G729. */
    if (payload_type == 0 || payload_type == 8)
        return &g711;
    if (payload_type == 18)
        return &g729a;
    if (payload_type >= 96 && encoding_name) {
        if (strcmp(encoding_name, "PCMU") == 0 || strcmp(encoding_name, "PCMA") == 0)
            return &g711;
        if (strcmp(encoding_name, "G729") == 0)
            return &g729a;
    }
    return NULL;
}

bool
msstun_quality_is_g722(unsigned payload_type, const char *encoding_name)
{
    return payload_type == 9 || (payload_type >= 96 && encoding_name && strcmp(encoding_name, "G722") == 0);
}

double
msstun_quality_one_way_ms(double rtt_ms, double mean_jitter_ms, double packet_ms)
{
    return rtt_ms / 2 + 2 * mean_jitter_ms + packet_ms;
}

/* The default values of G.107 Table 1. */
#define E_SLR       8.0
#define E_RLR       2.0
#define E_STMR      15.0
#define E_LSTR      18.0
#define E_DS        3.0
#define E_TELR      65.0
#define E_WEPL      110.0
#define E_QDU       1.0
#define E_NC        (-70.0)
#define E_NFOR      (-64.0)
#define E_PS        35.0
#define E_PR        35.0
#define E_A         0.0
#define E_MT        100.0
#define E_ST        1.0

double
msstun_quality_emodel_r(double ie, double bpl, double loss_pct, double burst_ratio, double one_way_ms)
{
    double t = one_way_ms;
    double ta = one_way_ms;
    double tr = 2 * one_way_ms;
    double olr = E_SLR + E_RLR;

    /* 7.2: the basic signal-to-noise ratio. */
    double nos = E_PS - E_SLR - E_DS - 100 + 0.004 * pow(E_PS - olr - E_DS - 14, 2);
    double pre = E_PR + 10 * log10(1 + pow(10, (10 - E_LSTR) / 10));
    double nor = E_RLR - 121 + pre + 0.008 * pow(pre - 35, 2);
    double nfo = E_NFOR + E_RLR;
    double no = 10 * log10(pow(10, E_NC / 10) + pow(10, nos / 10) + pow(10, nor / 10) + pow(10, nfo / 10));
    double ro = 15 - 1.5 * (E_SLR + no);

    /* 7.3: the simultaneous impairments. */
    double xolr = olr + 0.2 * (64 + no - E_RLR);
    double iolr = 20 * (pow(1 + pow(xolr / 8, 8), 1.0 / 8) - xolr / 8);
    double stmro = -10 * log10(pow(10, -E_STMR / 10) + exp(-t / 4) * pow(10, -E_TELR / 10));
    double i_st = 12 * pow(1 + pow((stmro - 13) / 6, 8), 1.0 / 8) -
                  28 * pow(1 + pow((stmro + 1) / 19.4, 35), 1.0 / 35) -
                  13 * pow(1 + pow((stmro - 3) / 33, 13), 1.0 / 13) + 29;
    double q = 37 - 15 * log10(E_QDU);
    double g = 1.07 + 0.258 * q + 0.0602 * q * q;
    double y = (ro - 100) / 15 + 46 / 8.4 - g / 9;
    double z = 46 / 30.0 - g / 40;
    double iq = 15 * log10(1 + pow(10, y) + pow(10, z));
    double is = iolr + i_st + iq;

    /* 7.4: the delay impairments (talker echo, listener echo, absolute delay). */
    double roe = -1.5 * (no - E_RLR);
    double terv = E_TELR - 40 * log10((1 + t / 10) / (1 + t / 150)) + 6 * exp(-0.3 * t * t);
    double re = 80 + 2.5 * (terv - 14);
    double idte = ((roe - re) / 2 + sqrt(pow(roe - re, 2) / 4 + 100) - 1) * (1 - exp(-t));
    double rle = 10.5 * (E_WEPL + 7) * pow(tr + 1, -0.25);
    double idle = (ro - rle) / 2 + sqrt(pow(ro - rle, 2) / 4 + 169);
    double idd = 0;
    double id;
    double ie_eff;

    if (ta > E_MT) {
        double x = log10(ta / E_MT) / log10(2);

        idd = 25 * (pow(1 + pow(x, 6 * E_ST), 1 / (6 * E_ST)) - 3 * pow(1 + pow(x / 3, 6 * E_ST), 1 / (6 * E_ST)) + 2);
    }
    id = idte + idle + idd;

    /* 7.5: the equipment impairment under random (BurstR 1) or bursty loss. */
    ie_eff = ie + (95 - ie) * loss_pct / (loss_pct / burst_ratio + bpl);
    return ro - is - id - ie_eff + E_A;
}

double
msstun_quality_mos(double r)
{
    if (r <= 0)
        return 1.0;
    if (r >= 100)
        return 4.5;
    return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}
