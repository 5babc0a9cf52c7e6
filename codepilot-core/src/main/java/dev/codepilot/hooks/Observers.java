package dev.codepilot.hooks;

import dev.codepilot.model.ModelException;
import dev.codepilot.model.ModelReply;
import dev.codepilot.model.ModelRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@link RunObserver}s of one hook system as one: each call goes to each observer in the order
 * they were added; one that throws is reported and the others still hear of it.
 */
final class Observers implements RunObserver {

  private final List<RunObserver> observers;
  private final Consumer<String> errorReporter;

  Observers(List<RunObserver> observers, Consumer<String> errorReporter) {
    this.observers = observers;
    this.errorReporter = errorReporter;
  }

  @Override
  public void runStarted(RunStart run) {
    each("runStarted", o -> o.runStarted(run));
  }

  @Override
  public void stepStarted(int step) {
    each("stepStarted", o -> o.stepStarted(step));
  }

  @Override
  public void modelCallStarted(ModelRequest request) {
    each("modelCallStarted", o -> o.modelCallStarted(request));
  }

  @Override
  public void modelTextStarted() {
    each("modelTextStarted", RunObserver::modelTextStarted);
  }

  @Override
  public void modelCallEnded(ModelReply reply) {
    each("modelCallEnded", o -> o.modelCallEnded(reply));
  }

  @Override
  public void modelCallFailed(ModelException failure) {
    each("modelCallFailed", o -> o.modelCallFailed(failure));
  }

  @Override
  public void blockStarted(String code) {
    each("blockStarted", o -> o.blockStarted(code));
  }

  @Override
  public void blockEnded(BlockEnd block) {
    each("blockEnded", o -> o.blockEnded(block));
  }

  @Override
  public void toolCallStarted(String tool, Map<String, Object> args) {
    each("toolCallStarted", o -> o.toolCallStarted(tool, args));
  }

  @Override
  public void toolCallEnded(ToolCallEnd call) {
    each("toolCallEnded", o -> o.toolCallEnded(call));
  }

  @Override
  public void runEnded(RunEnd run) {
    each("runEnded", o -> o.runEnded(run));
  }

  @Override
  public RunObserver forSubAgent(String agent) {
    List<RunObserver> children = new ArrayList<>();
    each(
        "forSubAgent",
        o -> {
          RunObserver child = o.forSubAgent(agent);
          if (child != null && child != NONE) {
            children.add(child);
          }
        });
    return children.isEmpty() ? NONE : new Observers(List.copyOf(children), errorReporter);
  }

  private void each(String method, Consumer<RunObserver> call) {
    for (RunObserver observer : observers) {
      try {
        call.accept(observer);
      } catch (RuntimeException | Error e) {
        if (e instanceof VirtualMachineError vme) {
          throw vme;
        }
        errorReporter.accept("a run observer failed in " + method + ": " + e);
      }
    }
  }
}
