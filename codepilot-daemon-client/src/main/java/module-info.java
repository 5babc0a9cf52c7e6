/**
 * The thin front of the {@code codepilot} command: it forwards a command to a warm per-user daemon
 * over a Unix-domain socket, and the daemon side of the same wire. No dependencies, so that the
 * client JVM starts like a script; {@code dev.codepilot.cli} runs the daemon itself.
 */
module dev.codepilot.daemon {
  // sun.misc.Signal relays Ctrl-C to the daemon.
  requires jdk.unsupported;

  exports dev.codepilot.daemon to
      dev.codepilot.cli;
}
