package io.kcpj.core;

/**
 * Traffic and error counters of one engine, anchored on kcp-go's SNMP list.
 *
 * <p>The engine increments the fields as it works; readers on the engine's thread read them
 * directly. Another thread reads a consistent-enough copy with {@link #snapshot()} taken on the
 * engine's thread, or tolerates slightly stale values (plain fields, no synchronisation). {@link
 * #addTo(KcpCounters)} sums engines into a server-wide total.
 *
 * <table>
 *   <caption>Fields and their kcp-go names</caption>
 *   <tr><th>field</th><th>kcp-go</th><th>meaning</th></tr>
 *   <tr><td>datagramsIn / datagramsOut</td><td>InPkts / OutPkts</td><td>datagrams given to input / emitted</td></tr>
 *   <tr><td>segmentsIn / segmentsOut</td><td>InSegs / OutSegs</td><td>segments of any command parsed / emitted</td></tr>
 *   <tr><td>bytesIn / bytesOut</td><td>InBytes / OutBytes</td><td>wire bytes of datagrams in / out</td></tr>
 *   <tr><td>payloadBytesSent / Received</td><td>BytesSent / BytesReceived</td><td>application bytes queued by send / returned by recv</td></tr>
 *   <tr><td>retransmittedSegments</td><td>RetransSegs</td><td>all retransmissions (timeout + fast)</td></tr>
 *   <tr><td>fastRetransmittedSegments</td><td>FastRetransSegs</td><td>retransmissions by fast-ack count</td></tr>
 *   <tr><td>lostSegments</td><td>LostSegs</td><td>retransmissions by timeout</td></tr>
 *   <tr><td>repeatedSegments</td><td>RepeatSegs</td><td>PUSH segments received twice or outside the window</td></tr>
 *   <tr><td>errorsTooShort, errorsWrongConv, errorsBadLength, errorsBadCommand</td><td>KCPInErrors</td><td>datagrams rejected by input, by cause</td></tr>
 *   <tr><td>redundantSegments</td><td>(kcpj)</td><td>proactive copies of unacknowledged segments sent (not in retransmittedSegments)</td></tr>
 *   <tr><td>probeSegments</td><td>(kcpj)</td><td>tail-loss probes (also in retransmittedSegments)</td></tr>
 *   <tr><td>messagesDeliveredEarly</td><td>(kcpj)</td><td>unordered/sequenced messages delivered before a missing earlier segment</td></tr>
 *   <tr><td>staleMessagesDropped</td><td>(kcpj)</td><td>sequenced messages dropped because a newer one was delivered</td></tr>
 *   <tr><td>spuriousRetransmissions</td><td>(kcpj)</td><td>retransmissions shown unneeded: an ACK echoed a send time earlier than the segment's latest retransmission; each retransmission counted at most once (before this rule duplicate ACKs could count one several times)</td></tr>
 * </table>
 *
 * <p>With thin-stream loss detection, retransmissions found by RACK count as fast retransmissions
 * and those of an outage resume as lost segments.
 */
public final class KcpCounters {
  public long datagramsIn;
  public long datagramsOut;
  public long segmentsIn;
  public long segmentsOut;
  public long bytesIn;
  public long bytesOut;
  public long payloadBytesSent;
  public long payloadBytesReceived;
  public long retransmittedSegments;
  public long fastRetransmittedSegments;
  public long lostSegments;
  public long repeatedSegments;
  public long errorsTooShort;
  public long errorsWrongConv;
  public long errorsBadLength;
  public long errorsBadCommand;
  public long redundantSegments;
  public long probeSegments;
  public long messagesDeliveredEarly;
  public long staleMessagesDropped;
  public long spuriousRetransmissions;

  /** All input errors together (kcp-go's KCPInErrors). */
  public long inputErrors() {
    return errorsTooShort + errorsWrongConv + errorsBadLength + errorsBadCommand;
  }

  /** A copy of the current values. */
  public KcpCounters snapshot() {
    KcpCounters c = new KcpCounters();
    addTo(c);
    return c;
  }

  /** Adds every field of this into {@code total}. */
  public void addTo(KcpCounters total) {
    total.datagramsIn += datagramsIn;
    total.datagramsOut += datagramsOut;
    total.segmentsIn += segmentsIn;
    total.segmentsOut += segmentsOut;
    total.bytesIn += bytesIn;
    total.bytesOut += bytesOut;
    total.payloadBytesSent += payloadBytesSent;
    total.payloadBytesReceived += payloadBytesReceived;
    total.retransmittedSegments += retransmittedSegments;
    total.fastRetransmittedSegments += fastRetransmittedSegments;
    total.lostSegments += lostSegments;
    total.repeatedSegments += repeatedSegments;
    total.errorsTooShort += errorsTooShort;
    total.errorsWrongConv += errorsWrongConv;
    total.errorsBadLength += errorsBadLength;
    total.errorsBadCommand += errorsBadCommand;
    total.redundantSegments += redundantSegments;
    total.probeSegments += probeSegments;
    total.messagesDeliveredEarly += messagesDeliveredEarly;
    total.staleMessagesDropped += staleMessagesDropped;
    total.spuriousRetransmissions += spuriousRetransmissions;
  }

  @Override
  public String toString() {
    return "KcpCounters{datagramsIn="
        + datagramsIn
        + ", datagramsOut="
        + datagramsOut
        + ", segmentsIn="
        + segmentsIn
        + ", segmentsOut="
        + segmentsOut
        + ", bytesIn="
        + bytesIn
        + ", bytesOut="
        + bytesOut
        + ", payloadBytesSent="
        + payloadBytesSent
        + ", payloadBytesReceived="
        + payloadBytesReceived
        + ", retransmitted="
        + retransmittedSegments
        + ", fastRetransmitted="
        + fastRetransmittedSegments
        + ", lost="
        + lostSegments
        + ", repeated="
        + repeatedSegments
        + ", errorsTooShort="
        + errorsTooShort
        + ", errorsWrongConv="
        + errorsWrongConv
        + ", errorsBadLength="
        + errorsBadLength
        + ", errorsBadCommand="
        + errorsBadCommand
        + ", redundant="
        + redundantSegments
        + ", probes="
        + probeSegments
        + ", deliveredEarly="
        + messagesDeliveredEarly
        + ", staleDropped="
        + staleMessagesDropped
        + ", spurious="
        + spuriousRetransmissions
        + '}';
  }
}
