package dev.codepilot.sandbox;

import java.io.InputStream;
import java.io.OutputStream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The settings every GraalPy context of the sandbox is built with: the wall. Contexts that run
 * blocks and contexts that check them are built alike, on the shared engine.
 */
final class LockedContexts {

  /** Nothing of the host is visible: no public members, no mappings, no array or list access. */
  private static final HostAccess NO_HOST_ACCESS =
      HostAccess.newBuilder().allowMutableTargetMappings().build();

  private LockedContexts() {}

  /**
   * A builder under {@link SandboxPolicy#CONSTRAINED} with no file system (see {@link
   * NoFileSystem}), process, network, native, thread, environment, host-class or polyglot access,
   * and nowhere to print.
   */
  static Context.Builder builder() {
    return Context.newBuilder("python")
        .engine(SandboxEngine.get())
        .sandbox(SandboxPolicy.CONSTRAINED)
        .allowIO(IOAccess.newBuilder().fileSystem(NoFileSystem.create()).build())
        .allowCreateProcess(false)
        .allowNativeAccess(false)
        .allowCreateThread(false)
        .allowEnvironmentAccess(EnvironmentAccess.NONE)
        .allowHostClassLookup(className -> false)
        .allowHostClassLoading(false)
        .allowPolyglotAccess(PolyglotAccess.NONE)
        .allowHostAccess(NO_HOST_ACCESS)
        .allowInnerContextOptions(false)
        .in(InputStream.nullInputStream())
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream());
  }
}
