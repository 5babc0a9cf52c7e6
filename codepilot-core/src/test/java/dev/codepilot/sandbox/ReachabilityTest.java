package dev.codepilot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.codepilot.config.RuntimeConfig;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What a block can reach by the names the policy lets it use: everything reachable from the module
 * views it imports, the built-ins it sees and values it makes, walked by public attribute names,
 * must lead to no real module ({@code sys}, {@code os}, {@code builtins}, the import machinery), no
 * frame or code object, none of the built-ins that evaluate, open or hand out namespaces, and
 * nothing of the bootstrap. This is the general claim behind the private-name rule, checked over
 * the default modules and many more a user may allow.
 */
class ReachabilityTest {

  /** Modules users commonly allow, besides the defaults. */
  private static final List<String> MORE_MODULES =
      List.of(
          "string",
          "textwrap",
          "statistics",
          "functools",
          "decimal",
          "fractions",
          "heapq",
          "bisect",
          "hashlib",
          "base64",
          "uuid",
          "csv",
          "difflib",
          "enum",
          "dataclasses",
          "operator",
          "copy",
          "pprint",
          "calendar",
          "time",
          "html",
          "unicodedata",
          "zlib",
          "struct",
          "array",
          "secrets",
          "shlex",
          "fnmatch",
          "urllib",
          "ipaddress",
          "contextlib",
          "abc",
          "numbers",
          "cmath",
          "colorsys",
          "graphlib",
          "keyword",
          "reprlib",
          "weakref");

  /** Walks from the roots by public names; prints each forbidden object found and its path. */
  private static final String WALK =
      """
      T = I("types")
      ROOTS = %s
      PRIVATE_OK = %s
      MAX_DEPTH = %d
      INTERNAL = {"gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "cr_await",
                  "cr_origin", "ag_frame", "ag_code", "ag_await", "tb_frame", "tb_next",
                  "f_back", "f_builtins", "f_code", "f_globals", "f_locals", "f_trace",
                  "co_code", "co_consts", "co_names"}
      PUBLIC = {"_asdict", "_replace", "_fields", "_field_defaults", "_make",
                "__init__", "__name__", "__doc__"}
      real_modules = {id(m) for m in list(sys.modules.values())}
      B = sys.modules["builtins"]
      forbidden = {id(B.__dict__[n]): "builtin " + n for n in
                   ("eval", "exec", "compile", "open", "__import__", "vars", "globals",
                    "locals", "breakpoint", "input", "getattr", "setattr", "delattr")}
      for n in ("_real_compile", "_real_exec", "_real_eval", "_real_getattr", "_State",
                "_cp_run", "_cp_configure", "_view", "_make_guards"):
          forbidden[id(M[n])] = "bootstrap " + n
      forbidden[id(M)] = "bootstrap globals"
      roots = []
      for name in ROOTS:
          try:
              exec("import " + name + " as _m", {}, scope := {})
          except ImportError as error:
              print("unimportable", name, error, "<-", name)
              continue
          roots.append((scope["_m"], name))
      blocked = %s
      for name in dir(B):
          if not name.startswith("_") and name not in blocked:
              roots.append((getattr(B, name), name))
      pathlib, re, datetime, json, random, collections, itertools, typing = [
          I(n) for n in ("pathlib", "re", "datetime", "json", "random", "collections",
                         "itertools", "typing")]
      roots += [(pathlib.Path("a/b"), "Path()"), (re.compile("a"), "re.compile()"),
                (re.match("a", "a"), "re.match()"), (datetime.datetime.now(), "now()"),
                (json.JSONDecoder(), "JSONDecoder()"), (random.Random(1), "Random()"),
                (collections.OrderedDict(a=1), "OrderedDict()"), (itertools.count(), "count()"),
                (typing.List[int], "List[int]"), ((x for x in [1]), "generator"),
                (collections.namedtuple("P", "a")(1), "namedtuple()")]
      seen = set()
      found = {}
      queue = [(value, path, 0) for value, path in roots]
      while queue:
          value, path, depth = queue.pop(0)
          if id(value) in seen:
              continue
          seen.add(id(value))
          if id(value) in forbidden:
              found.setdefault(forbidden[id(value)], path)
              continue
          if isinstance(value, T.ModuleType):
              if id(value) in real_modules:
                  found.setdefault("module " + value.__name__, path)
              elif depth < MAX_DEPTH:
                  for name in dir(value):
                      if not name.startswith("_"):
                          queue.append((getattr(value, name), path + "." + name, depth + 1))
              continue
          if isinstance(value, (T.FrameType, T.CodeType, T.TracebackType)):
              found.setdefault(type(value).__name__, path)
              continue
          if depth >= MAX_DEPTH or isinstance(value, (str, bytes, int, float, bool, type(None))):
              continue
          try:
              names = dir(value)
          except Exception:
              continue
          for name in names:
              if name in INTERNAL or (name.startswith("_") and name not in PUBLIC
                                      and not PRIVATE_OK):
                  continue
              if name.startswith("__") and name not in PUBLIC:
                  continue
              try:
                  queue.append((getattr(value, name), path + "." + name, depth + 1))
              except Exception:
                  pass
      for what, path in sorted(found.items()):
          print(what, "<-", path)
      print("walked", len(seen))
      """;

  private static String walk(List<String> modules, boolean privateNames, int depth) {
    Set<String> importable = Set.copyOf(modules);
    String roots =
        modules.stream().map(m -> "'" + m + "'").collect(Collectors.joining(", ", "[", "]"));
    String blocked =
        Stream.of(
                "eval",
                "exec",
                "compile",
                "open",
                "globals",
                "locals",
                "vars",
                "breakpoint",
                "input",
                "exit",
                "quit",
                "help",
                "copyright",
                "credits",
                "license",
                "getattr",
                "setattr",
                "delattr")
            .map(n -> "'" + n + "'")
            .collect(Collectors.joining(", ", "{", "}"));
    try (PastThePolicy context =
        new PastThePolicy(name -> importable.contains(name.split("\\.")[0]))) {
      return context.run(WALK.formatted(roots, privateNames ? "True" : "False", depth, blocked));
    }
  }

  @Test
  void publicNamesLeadToNothingOfTheInterpreter() {
    List<String> modules =
        Stream.concat(RuntimeConfig.DEFAULT_ALLOWED_IMPORTS.stream(), MORE_MODULES.stream())
            .distinct()
            .toList();

    String outcome = walk(modules, false, 6);

    assertThat(outcome).startsWith("ran\n").contains("walked");
    assertThat(outcome.lines().filter(l -> l.contains(" <- ")).toList()).isEmpty();
    assertThat(Integer.parseInt(outcome.strip().replaceAll("(?s).*walked ", "")))
        .as("objects walked")
        .isGreaterThan(5_000);
  }

  /** The walk finds what it looks for: with private names allowed, the old route is there. */
  @Test
  void withPrivateNamesTheWalkReachesRealModules() {
    String outcome = walk(List.of("pathlib"), true, 3);

    assertThat(outcome).startsWith("ran\n").contains("module sys <- ");
  }
}
