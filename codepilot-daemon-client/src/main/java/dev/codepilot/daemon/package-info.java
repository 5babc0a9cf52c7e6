/**
 * The {@code codepilot} command's daemon wire: the client that forwards arguments, working
 * directory, environment, standard streams and Ctrl-C ({@link dev.codepilot.daemon.DaemonClient}),
 * the framed connection both sides speak ({@link dev.codepilot.daemon.Connection}), and the
 * per-user folder that holds the daemons' sockets ({@link dev.codepilot.daemon.DaemonFolders}).
 * Used by the command line only; not an API.
 */
package dev.codepilot.daemon;
