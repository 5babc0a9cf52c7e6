# CodePilot sandbox bootstrap.
#
# Runs once in every new context, before any control block. It defines how a block is
# checked and run. Blocks run in a namespace of their own whose builtins leave out eval, exec,
# open and the like, whose imports pass an allow-list and return views of modules that hide
# private names and other modules, and whose tools are plain Python functions that talk to the
# host only in plain data and type-prefixed strings. None of
# the names defined here is reachable from a block without the dunder access the policy
# refuses. The policy is a second wall: the context itself has no file, process, network,
# native, thread or host-class access.

import _ast
import _string
import builtins as _builtins
import importlib as _importlib
import sys as _sys
import types as _types

_BLOCK_FILE = "<control-block>"
_TRACEBACK_FRAMES = 30
_TOOLS_FILE = "<codepilot-tools>"

_ALLOWED_DUNDER_ATTRS = frozenset({"__init__", "__name__", "__doc__"})
_ALLOWED_DUNDER_NAMES = frozenset({"__name__", "__doc__"})
_BANNED_NAMES = frozenset({
    "eval", "exec", "compile", "open", "__import__", "globals", "locals", "vars",
    "breakpoint", "input", "exit", "quit",
})
_ATTR_FUNCTIONS = frozenset({"getattr", "setattr", "delattr"})
# Attributes that hand out interpreter internals (frames, code objects) without a dunder name.
_INTERNAL_ATTRS = frozenset({
    "gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "cr_await", "cr_origin",
    "ag_frame", "ag_code", "ag_await", "tb_frame", "tb_next", "f_back", "f_builtins",
    "f_code", "f_globals", "f_locals", "f_trace", "co_code", "co_consts", "co_names",
})
_REMOVED_BUILTINS = _BANNED_NAMES | {"help", "copyright", "credits", "license"}

_EXCEPTIONS = {
    name: _builtins.getattr(_builtins, name)
    for name in (
        "ValueError", "TypeError", "PermissionError", "FileNotFoundError", "IsADirectoryError",
        "NotADirectoryError", "FileExistsError", "TimeoutError", "OSError", "KeyError",
        "IndexError", "LookupError", "RuntimeError", "NameError",
    )
}

_real_compile = _builtins.compile
_real_exec = _builtins.exec
_real_getattr = _builtins.getattr
_real_setattr = _builtins.setattr
_real_delattr = _builtins.delattr


def _loads(text):
    # json is imported on first use: most contexts never need it, and it is slow to load.
    import json
    return json.loads(text)


class _State:
    allowed = frozenset()
    limit = 20000
    host = None
    tools = {}
    namespace = {}
    capture = None
    views = {}
    source = []


def _is_dunder(name):
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def _attr_problem(name):
    if _is_dunder(name) and name not in _ALLOWED_DUNDER_ATTRS:
        return "access to the attribute '%s' is not allowed" % name
    if name in _INTERNAL_ATTRS:
        return "access to the interpreter internals '%s' is not allowed" % name
    return None


def _module_allowed(name):
    parts = name.split(".")
    return parts[0] in _State.allowed and not any(p.startswith("_") for p in parts)


class _Rejected(Exception):
    pass


# Fields that never hold a node to check: context and operator markers (nodes without fields
# of their own) and names, numbers and strings. The policy reads the names it checks itself.
_LEAF_FIELDS = frozenset({
    "ctx", "op", "ops", "id", "attr", "arg", "module", "level", "type_comment", "kind",
    "conversion", "is_async", "simple",
})

# Per AST node class, found once per interpreter: its visit method (None: visit the children)
# and the fields to walk. Keys are the parser's own node classes; blocks never see this table.
_POLICY_DISPATCH = {}


def _policy_entry(kind):
    entry = _POLICY_DISPATCH.get(kind)
    if entry is None:
        method = _real_getattr(_Policy, "visit_" + kind.__name__, None)
        if kind is _ast.Constant:
            fields = ()  # a constant's value is a plain value, or a tuple of them
        else:
            fields = tuple(field for field in kind._fields if field not in _LEAF_FIELDS)
        entry = _POLICY_DISPATCH[kind] = (method, fields)
    return entry


class _Policy:
    """Walks a parsed block and raises _Rejected at the first construct the sandbox refuses."""

    def __init__(self):
        self.scopes = ["module"]

    def visit(self, node):
        method, fields = _policy_entry(type(node))
        if method is not None:
            method(self, node)
        elif fields:
            self.walk_fields(node, fields)

    def generic_visit(self, node):
        self.walk_fields(node, _policy_entry(type(node))[1])

    def walk_fields(self, node, fields):
        dispatch = _POLICY_DISPATCH
        for field in fields:
            value = _real_getattr(node, field, None)
            if type(value) is list:
                items = value
            elif isinstance(value, _ast.AST):
                items = (value,)
            else:
                continue
            for item in items:
                if not isinstance(item, _ast.AST):
                    continue
                # The work of visit(), inline: most nodes have no method of their own.
                entry = dispatch.get(type(item))
                if entry is None:
                    entry = _policy_entry(type(item))
                method, child_fields = entry
                if method is not None:
                    method(self, item)
                elif child_fields:
                    self.walk_fields(item, child_fields)

    def fail(self, node, message):
        line = _real_getattr(node, "lineno", None)
        raise _Rejected(("line %d: %s" % (line, message)) if line else message)

    def check_attr(self, node, name):
        problem = _attr_problem(name)
        if problem:
            self.fail(node, problem)

    def check_binding(self, node, name):
        if name == "__builtins__" or (_is_dunder(name) and self.scopes[-1] != "class"
                                      and name not in _ALLOWED_DUNDER_NAMES):
            self.fail(node, "binding the name '%s' is not allowed" % name)

    def check_module(self, node, name):
        if not name:
            self.fail(node, "relative imports are not allowed")
        if not _module_allowed(name):
            self.fail(node, "import of '%s' is not allowed (allowed modules: %s)"
                      % (name, ", ".join(sorted(_State.allowed)) or "none"))

    def visit_Import(self, node):
        for alias in node.names:
            self.check_module(node, alias.name)
            self.check_binding(node, alias.asname or alias.name.split(".")[0])

    def visit_ImportFrom(self, node):
        if node.level:
            self.fail(node, "relative imports are not allowed")
        self.check_module(node, node.module)
        for alias in node.names:
            if alias.name != "*" and alias.name.startswith("_"):
                self.fail(node, "importing the private name '%s' is not allowed" % alias.name)
            if alias.asname:
                self.check_binding(node, alias.asname)

    def visit_Name(self, node):
        name = node.id
        if name in _BANNED_NAMES:
            self.fail(node, "'%s' is not available in the sandbox" % name)
        if name in _ATTR_FUNCTIONS:
            self.fail(node, "'%s' may only be called directly, with a literal attribute name" % name)
        if _is_dunder(name) and name not in _ALLOWED_DUNDER_NAMES:
            if isinstance(node.ctx, _ast.Store):
                self.check_binding(node, name)
            else:
                self.fail(node, "the name '%s' is not allowed" % name)

    def visit_Attribute(self, node):
        self.check_attr(node, node.attr)
        self.generic_visit(node)

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, _ast.Name) and func.id in _ATTR_FUNCTIONS:
            if (len(node.args) < 2 or not isinstance(node.args[1], _ast.Constant)
                    or not isinstance(node.args[1].value, str)):
                self.fail(node, "%s() needs a literal string as the attribute name" % func.id)
            self.check_attr(node, node.args[1].value)
            for arg in node.args:
                self.visit(arg)
            for keyword in node.keywords:
                self.visit(keyword)
            return
        if (isinstance(func, _ast.Attribute) and func.attr in ("format", "format_map")
                and isinstance(func.value, _ast.Constant) and isinstance(func.value.value, str)):
            self.check_format(node, func.value.value)
        self.generic_visit(node)

    def check_format(self, node, text, depth=0):
        try:
            fields = list(_string.formatter_parser(text))
        except ValueError:
            return
        for _, field, spec, _ in fields:
            if field:
                for part in field.replace("[", ".").replace("]", "").split(".")[1:]:
                    if part.strip().startswith("_"):
                        self.fail(node, "format fields may not reach the attribute '%s'" % part)
            if spec and depth < 2:
                self.check_format(node, spec, depth + 1)

    def visit_MatchClass(self, node):
        for name in node.kwd_attrs:
            self.check_attr(node, name)
        self.generic_visit(node)

    def visit_arg(self, node):
        self.check_binding(node, node.arg)
        self.generic_visit(node)

    def visit_ExceptHandler(self, node):
        if node.name:
            self.check_binding(node, node.name)
        self.generic_visit(node)

    def visit_Global(self, node):
        for name in node.names:
            self.check_binding(node, name)

    visit_Nonlocal = visit_Global

    def visit_scope(self, node, kind):
        for decorator in node.decorator_list:
            self.visit(decorator)
        for field in ("args", "returns", "bases", "keywords", "type_params"):
            value = _real_getattr(node, field, None)
            if isinstance(value, list):
                for item in value:
                    self.visit(item)
            elif value is not None:
                self.visit(value)
        self.scopes.append(kind)
        try:
            for statement in node.body:
                self.visit(statement)
        finally:
            self.scopes.pop()

    def visit_FunctionDef(self, node):
        self.check_binding(node, node.name)
        self.visit_scope(node, "function")

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node):
        self.visit(node.args)
        self.scopes.append("function")
        try:
            self.visit(node.body)
        finally:
            self.scopes.pop()

    def visit_ClassDef(self, node):
        self.check_binding(node, node.name)
        self.visit_scope(node, "class")


def _check_name(name):
    if type(name) is not str:
        raise TypeError("attribute name must be a string")
    problem = _attr_problem(name)
    if problem:
        raise PermissionError(problem)


def _safe_getattr(obj, name, *default):
    _check_name(name)
    return _real_getattr(obj, name, *default)


def _safe_setattr(obj, name, value):
    _check_name(name)
    return _real_setattr(obj, name, value)


def _safe_delattr(obj, name):
    _check_name(name)
    return _real_delattr(obj, name)


def _view(module, seen=None):
    """A read-only stand-in for a module: public names only, other modules only if allowed."""
    name = module.__name__
    entries = _builtins.vars(module)
    cached = _State.views.get(name)
    if cached is not None and cached[0] == len(entries):
        return cached[1]
    seen = {} if seen is None else seen
    if name in seen:
        return seen[name]
    view = _types.ModuleType(name, entries.get("__doc__"))
    seen[name] = view
    for key, value in list(entries.items()):
        if key.startswith("_"):
            continue
        if isinstance(value, _types.ModuleType):
            if not _module_allowed(value.__name__):
                continue
            value = _view(value, seen)
        view.__dict__[key] = value
    _State.views[name] = (len(entries), view)
    return view


def _guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level:
        raise ImportError("relative imports are not allowed in the sandbox")
    if type(name) is not str or not _module_allowed(name):
        raise ImportError("import of '%s' is not allowed (allowed modules: %s)"
                          % (name, ", ".join(sorted(_State.allowed)) or "none"))
    module = _importlib.import_module(name)
    if fromlist:
        for item in fromlist:
            if type(item) is str and item != "*" and not item.startswith("_") \
                    and item not in _builtins.vars(module):
                try:
                    _importlib.import_module(name + "." + item)
                except ImportError:
                    pass
        return _view(module)
    return _view(_sys.modules[name.split(".")[0]])


def _unavailable(name):
    def refuse(*args, **kwargs):
        raise NameError("'%s' is not available in the sandbox" % name)
    refuse.__name__ = name
    return refuse


# GraalPy resolves a block's builtins from the real builtins module whatever the namespace's
# __builtins__ says, so the guarded names are shadowed in the namespace itself (globals come
# before builtins) and restored before every block.
_SHADOWS = {name: _unavailable(name) for name in sorted(_REMOVED_BUILTINS) if name != "__import__"}
_SHADOWS.update(getattr=_safe_getattr, setattr=_safe_setattr, delattr=_safe_delattr)

_original_import = _builtins.__import__


def _is_module_code(frame_globals):
    module = _sys.modules.get(frame_globals.get("__name__"))
    return module is not None and _builtins.vars(module) is frame_globals


def _import_hook(name, globals=None, locals=None, fromlist=(), level=0):
    """The context-wide __import__: only the code of loaded modules imports freely; block code
    (and anything it evaluates) passes the allow-list, whatever globals it claims."""
    if _is_module_code(_sys._getframe(1).f_globals):
        return _original_import(name, globals, locals, fromlist, level)
    return _guarded_import(name, globals, locals, fromlist, level)


_builtins.__import__ = _import_hook

# GraalPy implements a few built-ins with effects on the whole JVM that no context permission
# governs: _signal installs handlers for, and raises, signals of the host process (SIGTERM ends
# it; alarm and setitimer start host threads that raise SIGALRM), and time.tzset() changes the
# JVM's default time zone. Built-in modules exist once per context, so replacing the functions
# here, before any block runs, removes them for every later importer (reload and re-import
# hand out the same module). Reading signal settings stays possible.
_SIGNAL_READERS = frozenset({"getsignal", "getitimer", "strsignal", "valid_signals",
                             "default_int_handler"})


def _host_wide(name):
    def refuse(*args, **kwargs):
        raise PermissionError("%s() would affect the host process; it is not available in the"
                              " sandbox" % name)
    refuse.__name__ = name.rpartition(".")[2]
    return refuse


def _seal_host_wide_builtins():
    import _signal
    import time
    for name, value in list(_builtins.vars(_signal).items()):
        if (callable(value) and not isinstance(value, type) and not name.startswith("_")
                and name not in _SIGNAL_READERS):
            _real_setattr(_signal, name, _host_wide("signal." + name))
    _real_setattr(time, "tzset", _host_wide("time.tzset"))


_seal_host_wide_builtins()


class _Capture:
    """Collects what a block prints, keeping the head and the tail within a limit."""

    def __init__(self, limit):
        self.limit = limit
        self.head = []
        self.head_size = 0
        self.tail = []
        self.tail_size = 0
        self.total = 0

    def write(self, text):
        if type(text) is not str:
            text = str(text)
        size = len(text)
        self.total += size
        if self.head_size < self.limit:
            taken = text[:self.limit - self.head_size]
            self.head.append(taken)
            self.head_size += len(taken)
            text = text[len(taken):]
            if not text:
                return size
        self.tail.append(text)
        self.tail_size += len(text)
        if self.tail_size > 2 * self.limit:
            kept = "".join(self.tail)[-self.limit:]
            self.tail = [kept]
            self.tail_size = len(kept)
        return size

    def flush(self):
        pass

    def isatty(self):
        return False

    def text(self):
        head = "".join(self.head)
        tail = "".join(self.tail)[-self.limit:] if self.tail else ""
        dropped = self.total - len(head) - len(tail)
        if dropped > 0:
            return head + "\n[... %d chars truncated ...]\n" % dropped + tail
        return head + tail


def _plain(value, where, depth=0):
    """A copy made of built-in types only, so the host can read it without running block code."""
    kind = type(value)
    if kind is str or value is None or kind is bool or kind is int or kind is float:
        return value
    if depth > 64:
        raise TypeError("%s is nested too deeply" % where)
    if kind is list or kind is tuple:
        return [_plain(item, where, depth + 1) for item in value]
    if kind is dict:
        result = {}
        for key, item in value.items():
            if type(key) is not str:
                raise TypeError("%s: dict keys must be str, not %s" % (where, type(key).__name__))
            result[key] = _plain(item, where, depth + 1)
        return result
    raise TypeError("%s must be plain data (str, int, float, bool, None, list, dict), not %s"
                    % (where, kind.__name__))


_MISSING = object()


def _call(tool, pairs):
    names = []
    values = []
    for key, value in pairs:
        if value is not _MISSING:
            names.append(key)
            values.append(_plain(value, "%s() argument '%s'" % (tool, key)))
    reply = _State.host(tool, names, values)
    kind = reply[0]
    if kind == "s":
        return reply[1:]
    if kind == "n":
        return None
    if kind == "t":
        return True
    if kind == "f":
        return False
    if kind == "i":
        return int(reply[1:])
    if kind == "d":
        return float(reply[1:])
    if kind == "j":
        return _loads(reply[1:])
    error, _, message = reply[1:].partition("\n")
    raise _EXCEPTIONS.get(error, RuntimeError)(message)


def _cp_configure(host, allowed, limit):
    _State.host = host
    _State.allowed = frozenset(name for name in allowed.split(",") if name)
    _State.limit = int(limit)
    _cp_reset_namespace()


def _cp_reset_namespace():
    _State.namespace = {"__name__": "__main__", "__doc__": None}


def _cp_install_tools(spec):
    """spec: one record per tool (separated by \\x1e): name, parameters, doc (separated by
    \\x1f); parameters are "name" or "name=" (optional), separated by commas."""
    tools = {}
    for record in spec.split("\x1e") if spec else []:
        name, params, doc = record.split("\x1f")
        params = [p for p in params.split(",") if p]
        names = [p.rstrip("=") for p in params]
        for n in [name] + names:
            if not n.isidentifier() or n.startswith("_"):
                raise ValueError("bad tool or parameter name: %r" % n)
        signature = ", ".join(p + "_MISSING" if p.endswith("=") else p for p in params)
        pairs = "".join("(%r, %s), " % (n, n) for n in names)
        source = "def %s(%s):\n    return _call(%r, (%s))\n" % (name, signature, name, pairs)
        scope = {"_call": _call, "_MISSING": _MISSING}
        _real_exec(_real_compile(source, _TOOLS_FILE, "exec"), scope)
        function = scope[name]
        function.__doc__ = doc
        tools[name] = function
    for name, function in _State.tools.items():
        if _State.namespace.get(name) is function and name not in tools:
            del _State.namespace[name]
    _State.tools = tools


def _describe(error):
    kind = type(error)
    name = kind.__qualname__
    if kind.__module__ not in ("builtins", "__main__"):
        name = kind.__module__ + "." + name
    try:
        message = str(error)
    except BaseException:
        message = "<exception str() failed>"
    return name + (": " + message if message else "")


def _source_line(filename, line):
    if filename == _BLOCK_FILE and 0 < line <= len(_State.source):
        return _State.source[line - 1].strip()
    return None


def _display_file(filename):
    marker = "/lib/python3"
    at = filename.find(marker)
    if at >= 0:
        slash = filename.find("/", at + len(marker))
        if slash >= 0:
            return filename[slash + 1:]
    return filename


def _format_frames(error):
    entries = []
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        frame = (code.co_filename, tb.tb_lineno, code.co_name)
        tb = tb.tb_next
        if frame[0].startswith("<codepilot"):
            continue
        if entries and entries[-1][0] == frame:
            entries[-1][1] += 1
        else:
            entries.append([frame, 0])
    lines = []
    if len(entries) > _TRACEBACK_FRAMES:
        lines.append("  ... %d earlier frames not shown" % (len(entries) - _TRACEBACK_FRAMES))
        entries = entries[-_TRACEBACK_FRAMES:]
    for (filename, line, name), repeats in entries:
        lines.append('  File "%s", line %d, in %s' % (_display_file(filename), line, name))
        text = _source_line(filename, line)
        if text:
            lines.append("    " + text)
        if repeats:
            lines.append("  [Previous line repeated %d more times]" % repeats)
    return lines


def _format_exception(error, depth=0):
    if isinstance(error, SyntaxError) and not error.__traceback__:
        return _format_syntax_error(error)
    lines = []
    cause = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    if cause is not None and depth < 3:
        lines.append(_format_exception(cause, depth + 1))
        lines.append("\nThe above exception was the direct cause of the following exception:\n"
                     if error.__cause__ is not None else
                     "\nDuring handling of the above exception, another exception occurred:\n")
    frames = _format_frames(error)
    if frames:
        lines.append("Traceback (most recent call last):")
        lines.extend(frames)
    lines.append(_describe(error))
    return "\n".join(lines)


def _format_syntax_error(error):
    lines = ['  File "%s", line %s' % (error.filename or _BLOCK_FILE, error.lineno)]
    if error.text:
        text = error.text.rstrip("\n")
        stripped = text.lstrip()
        lines.append("    " + stripped)
        if error.offset:
            lines.append("    " + " " * max(0, error.offset - 1 - (len(text) - len(stripped))) + "^")
    lines.append("%s: %s" % (type(error).__name__, error.msg))
    return "\n".join(lines)


def _report(error):
    """The traceback text; a block's exception whose attributes fail (a property named
    __cause__, say) still gets its type named rather than taking the interpreter down."""
    try:
        return _format_exception(error)
    except BaseException:
        try:
            return "%s (its details could not be shown)" % type(error).__name__
        except BaseException:
            return "an exception whose details could not be shown"


def _cp_run(code):
    capture = _Capture(_State.limit)
    _State.capture = capture
    _State.source = code.splitlines()
    try:
        tree = _real_compile(code, _BLOCK_FILE, "exec", _ast.PyCF_ONLY_AST)
    except SyntaxError as error:
        return ("error", _format_syntax_error(error), "")
    except (ValueError, RecursionError, MemoryError) as error:
        return ("error", _describe(error), "")
    try:
        _Policy().visit(tree)
    except _Rejected as rejection:
        return ("security", str(rejection), "")
    except RecursionError:
        return ("security", "the block is nested too deeply to be checked", "")
    compiled = _real_compile(code, _BLOCK_FILE, "exec")
    namespace = _State.namespace
    namespace.update(_State.tools)
    namespace.update(_SHADOWS)
    saved = (_sys.stdout, _sys.stderr)
    _sys.stdout = _sys.stderr = capture
    try:
        _real_exec(compiled, namespace)
        status, detail = "ok", ""
    except MemoryError as error:
        status, detail = "memory", _report(error)
    except BaseException as error:
        status, detail = "error", _report(error)
    finally:
        _sys.stdout, _sys.stderr = saved
    return (status, detail, capture.text())


def _cp_take_output():
    _sys.stdout, _sys.stderr = _sys.__stdout__, _sys.__stderr__
    capture = _State.capture
    _State.capture = None
    return capture.text() if capture is not None else ""
