package dev.codepilot.sandbox;

import dev.codepilot.config.RuntimeConfig;
import dev.codepilot.config.ToolConfig;
import dev.codepilot.hooks.Event;
import dev.codepilot.tools.*;
import java.nio.file.Path;
import java.time.Duration;
import java.util.*;
import org.junit.jupiter.api.Test;

class SandboxProbeTest {
  @Test
  void probe() throws Exception {
    List<Object> events = new ArrayList<>();
    List<String> exec = new ArrayList<>();
    ToolContext ctx = new ToolContext() {
      public Workspace workspace() { return new Workspace(Path.of("/tmp/ws"), false); }
      public RuntimeConfig runtimeConfig() { return RuntimeConfig.defaults(Path.of("/tmp/ws")); }
      public ToolConfig toolConfig(String n) { return ToolConfig.enabled(n); }
      public void appendExecution(String t) { exec.add(t); }
      public Object emit(Event e) { events.add(e); return null; }
      public String askUser(String q) { return "42"; }
      public void finish(String s) { events.add("finish:" + s); }
    };
    ToolRegistry reg = new ToolRegistry();
    reg.register(Tools.builder("add").description("Add.").param("a", PyType.INT).optionalParam("b", PyType.INT, 1)
        .handler(c -> c.optionalInteger("a").get() + c.optionalInteger("b").get()).build());
    try (PythonSandbox sb = new PythonSandbox(RuntimeConfig.DEFAULT_ALLOWED_IMPORTS, Duration.ofSeconds(60), 2000)) {
      long t0 = System.nanoTime();
      sb.warmUp();
      String[] blocks = {
        "x = 5\nprint('hello', x)",
        "import re\nprint(re)\nprint(re.enum)",
        "from re import compile as c\nprint(c)",
        "import json\nprint(json.dumps([1]))",
        "def f(n):\n  return f(n+1)\nf(0)",
        "def f(n):\n  return 1 if n == 0 else 1 + f(n-1)\nprint(f(500))",
        "print(getattr)\nprint(len([1,2]))",
        "x = (1,\n",
        "import json\njson.loads('{')",
        "class A:\n  __slots__ = ('a',)\n  def __repr__(self): return 'A!'\nprint(A())",
        "r = add(2)\nprint('r=', r)\nprint(add(a=3, b=4))\nthink('hmm')\ndone('ok!')",
        "add(1, 2, 3)",
        "from collections import abc\nprint(abc.Mapping)",
        "import typing\ndef f(x: \"__import__('os')\"): pass\ntyping.get_type_hints(f)",
      };
      for (String b : blocks) {
        long t = System.nanoTime();
        ExecutionResult r = sb.execute(b, reg.tools(), new ToolDispatcher(reg, ctx, Collections.emptyIterator()));
        String out = r.output().length() > 200 ? r.output().substring(0, 100) + "...(" + r.output().length() + ")" : r.output();
        System.out.printf("%6.1f ms  %-60s -> %s | %s | %s%n", (System.nanoTime() - t) / 1e6, b.replace('\n', ';'), r.status(), out.replace('\n', '/'), r.error().replace('\n', '/'));
      }
      System.out.println("events " + events + " exec " + exec);
    }
  }
}
