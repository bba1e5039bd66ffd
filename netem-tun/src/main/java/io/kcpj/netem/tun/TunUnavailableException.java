package io.kcpj.netem.tun;

/**
 * The TUN bridge cannot run in this process or on this machine: not Linux, JNA missing, no {@code
 * /dev/net/tun}, missing privileges (CAP_NET_ADMIN and CAP_SYS_ADMIN, i.e. root), or no iproute2
 * {@code ip} command. The message names the missing piece and how to provide it. Thrown by {@link
 * TunPreflight#check()} and by {@link TunBridge#start()} before anything is created.
 */
public class TunUnavailableException extends TunException {

  private static final long serialVersionUID = 1L;

  /** With a message naming what is missing and how to fix it. */
  public TunUnavailableException(String message) {
    super(message);
  }

  /** With a message and a cause. */
  public TunUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
