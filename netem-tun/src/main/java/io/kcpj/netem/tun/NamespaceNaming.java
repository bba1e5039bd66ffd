package io.kcpj.netem.tun;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The naming scheme of the namespaces a bridge creates: {@code <prefix><pid>-<sequence>-a} and
 * {@code …-b}, where {@code pid} is the creating JVM's process id and {@code sequence} counts
 * bridges within that JVM. Parallel runs (different pids) and successive bridges in one JVM never
 * collide, and a leftover of a crashed run is recognisable: it carries our prefix and a pid that is
 * no longer alive. Pure functions; any thread.
 */
final class NamespaceNaming {

  /** Characters allowed in a prefix and in explicit namespace names. */
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.-]+");

  /** Longest accepted prefix (namespace names become file names under /run/netns). */
  static final int MAX_PREFIX_LENGTH = 40;

  private NamespaceNaming() {}

  /** The generated name of one side's namespace. */
  static String name(String prefix, long pid, int sequence, Side side) {
    return prefix + pid + "-" + sequence + "-" + side.name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The pid encoded in {@code namespace} if it follows our scheme with this exact prefix, else
   * empty (a name that merely starts with the prefix but does not match is never ours).
   */
  static OptionalLong ownerPid(String prefix, String namespace) {
    if (!namespace.startsWith(prefix)) {
      return OptionalLong.empty();
    }
    Matcher m =
        Pattern.compile("([0-9]{1,18})-[0-9]{1,9}-[ab]")
            .matcher(namespace.substring(prefix.length()));
    return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
  }

  /** Validates a prefix: 1..40 characters from {@code [A-Za-z0-9_.-]}. */
  static String checkPrefix(String prefix) {
    if (prefix == null || prefix.length() > MAX_PREFIX_LENGTH || !SAFE.matcher(prefix).matches()) {
      throw new IllegalArgumentException(
          "namespace prefix must be 1.."
              + MAX_PREFIX_LENGTH
              + " characters from [A-Za-z0-9_.-]: "
              + prefix);
    }
    return prefix;
  }

  /**
   * Validates an explicit namespace name: 1..200 characters from {@code [A-Za-z0-9_.-]}, not . or
   * ..
   */
  static String checkName(String name) {
    if (name == null
        || name.length() > 200
        || !SAFE.matcher(name).matches()
        || name.equals(".")
        || name.equals("..")) {
      throw new IllegalArgumentException(
          "namespace name must be 1..200 characters from [A-Za-z0-9_.-]"
              + " and not . or ..: "
              + name);
    }
    return name;
  }
}
