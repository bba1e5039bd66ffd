package io.kcpj.netem.tun;

/**
 * A failure of the TUN bridge: a setup command that failed (the message quotes the command and its
 * output), a system call that failed (the message names it and its errno), or a teardown step that
 * could not complete. Unchecked. See {@link TunUnavailableException} for the case where the bridge
 * cannot run here at all.
 */
public class TunException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** With a message. */
  public TunException(String message) {
    super(message);
  }

  /** With a message and a cause. */
  public TunException(String message, Throwable cause) {
    super(message, cause);
  }
}
