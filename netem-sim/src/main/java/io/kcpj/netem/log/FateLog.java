package io.kcpj.netem.log;

/**
 * Receives one {@link FateRecord} per packet (and per duplicate copy) as the link decides its fate,
 * at offer time. Off by default: a link without a fate log does no logging work at all.
 *
 * <p>Called on the thread that drives the link. The record is reused: copy what you need.
 */
@FunctionalInterface
public interface FateLog {
  /** One packet's fate; the record is valid only during the call. */
  void record(FateRecord record);
}
