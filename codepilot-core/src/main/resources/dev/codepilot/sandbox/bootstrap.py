# CodePilot sandbox bootstrap.
#
# Runs once in every new context, before any control block. It defines how a checked block is
# run. Blocks run in a namespace of their own whose builtins leave out eval, exec, open and the
# like, whose imports pass an allow-list and return views of modules that hide private names
# and other modules, and whose tools are plain Python functions that talk to the host only in
# plain data and type-prefixed strings.
#
# The AST policy is not here: it runs in a context of its own (policy.py), so nothing a block
# reaches in this interpreter can read or change it. The host checks each block there before it
# calls _cp_run, and the compile, eval and exec built-ins of this whole context send every
# string they are given to the same check. Which modules may be imported is known only to the
# host and asked for each import. The context itself is the wall: it has no file, process,
# network, native, thread or host-class access.

import builtins as _builtins
import importlib as _importlib
import sys as _sys
import types as _types

_BLOCK_FILE = "<control-block>"
_TRACEBACK_FRAMES = 30
_TOOLS_FILE = "<codepilot-tools>"

_REMOVED_BUILTINS = frozenset({
    "eval", "exec", "compile", "open", "__import__", "globals", "locals", "vars",
    "breakpoint", "input", "exit", "quit", "help", "copyright", "credits", "license",
})

_EXCEPTIONS = {
    name: _builtins.getattr(_builtins, name)
    for name in (
        "ValueError", "TypeError", "PermissionError", "FileNotFoundError", "IsADirectoryError",
        "NotADirectoryError", "FileExistsError", "TimeoutError", "OSError", "KeyError",
        "IndexError", "LookupError", "RuntimeError", "NameError",
    )
}



class McpError(Exception):
    """An MCP server answered a tool call with an error (isError); the message is its text."""


McpError.__module__ = "builtins"
_EXCEPTIONS["McpError"] = McpError


class AgentError(Exception):
    """A sub-agent called from this block ended without calling done(); the message says why."""


AgentError.__module__ = "builtins"
_EXCEPTIONS["AgentError"] = AgentError

_real_compile = _builtins.compile
_real_exec = _builtins.exec
_real_eval = _builtins.eval
_real_getattr = _builtins.getattr
_real_setattr = _builtins.setattr
_real_delattr = _builtins.delattr


def _loads(text):
    # json is imported on first use: most contexts never need it, and it is slow to load.
    return _importlib.import_module("json").loads(text)


class _State:
    groups = {}
    signatures = {}
    limit = 20000
    host = None
    results = None
    tools = {}
    namespace = {}
    capture = None
    views = {}
    source = []


def _is_module_code(frame_globals):
    """Whether these globals are those of a loaded module. Looked up by the module's name and
    by its spec's name, since some modules rename themselves (_pydecimal calls itself
    decimal); only a module's own dictionary matches, which no block can make."""
    for key in (frame_globals.get("__name__"),
                _real_getattr(frame_globals.get("__spec__"), "name", None)):
        module = _sys.modules.get(key) if type(key) is str else None
        if module is not None and _builtins.vars(module) is frame_globals:
            return True
    return False


# Set once by _cp_configure: the host's answers. Each is kept in a closure of the guards below,
# not in a name a module exposes.
def _make_guards(check_source, check_attr, module_allowed):
    """The context-wide guards: attribute names, compiled strings and imports are decided by
    the host, with the same rules the block itself was checked against."""

    def check_name(name):
        if type(name) is not str:
            raise TypeError("attribute name must be a string")
        problem = check_attr(name)
        if problem:
            raise PermissionError(problem)

    def safe_getattr(obj, name, *default):
        check_name(name)
        return _real_getattr(obj, name, *default)

    def safe_setattr(obj, name, value):
        check_name(name)
        return _real_setattr(obj, name, value)

    def safe_delattr(obj, name):
        check_name(name)
        return _real_delattr(obj, name)

    def from_import_machinery():
        # Module loading compiles and executes the standard library's own files; no block
        # chooses what it compiles.
        caller = _sys._getframe(2).f_globals
        return (caller.get("__name__") in ("_frozen_importlib", "_frozen_importlib_external",
                                           "importlib._bootstrap",
                                           "importlib._bootstrap_external")
                and _is_module_code(caller))

    def checked(source, mode):
        if isinstance(source, (bytes, bytearray, memoryview)):
            source = bytes(source).decode("utf-8", "replace")
        if isinstance(source, str):
            problem = check_source(source, "eval" if mode == "eval" else "exec")
            if problem:
                raise PermissionError("SECURITY ERROR: code compiled at run time was refused: "
                                      + problem)
        elif not isinstance(source, _types.CodeType):
            raise PermissionError("SECURITY ERROR: only source text can be compiled in the"
                                  " sandbox, not %s" % type(source).__name__)

    def guarded_compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1,
                        **kwargs):
        if not from_import_machinery():
            checked(source, mode)
        return _real_compile(source, filename, mode, flags, dont_inherit, optimize, **kwargs)

    def guarded_eval(source, *args, **kwargs):
        if not from_import_machinery():
            checked(source, "eval")
        return _real_eval(source, *args, **kwargs)

    def guarded_exec(source, *args, **kwargs):
        if not from_import_machinery():
            checked(source, "exec")
        return _real_exec(source, *args, **kwargs)

    verdicts = {}

    def allowed(name):
        # The host's answer for a name never changes within a context; blocks import the same
        # modules again and again, so each is asked once.
        if type(name) is not str:
            return False
        verdict = verdicts.get(name)
        if verdict is None:
            verdict = verdicts[name] = bool(module_allowed(name))
        return verdict

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level:
            raise ImportError("relative imports are not allowed in the sandbox")
        if not allowed(name):
            raise ImportError("import of '%s' is not allowed in the sandbox" % (name,))
        module = _importlib.import_module(name)
        if fromlist:
            for item in fromlist:
                if type(item) is str and item != "*" and not item.startswith("_") \
                        and item not in _builtins.vars(module):
                    try:
                        _importlib.import_module(name + "." + item)
                    except ImportError:
                        pass
            return _view(module, allowed)
        return _view(_sys.modules[name.split(".")[0]], allowed)

    original_import = _builtins.__import__

    def import_hook(name, globals=None, locals=None, fromlist=(), level=0):
        """The context-wide __import__: only the code of loaded modules imports freely; block
        code (and anything it evaluates) passes the allow-list, whatever globals it claims."""
        if _is_module_code(_sys._getframe(1).f_globals):
            return original_import(name, globals, locals, fromlist, level)
        return guarded_import(name, globals, locals, fromlist, level)

    _builtins.__import__ = import_hook
    _builtins.compile = guarded_compile
    _builtins.eval = guarded_eval
    _builtins.exec = guarded_exec
    return safe_getattr, safe_setattr, safe_delattr


# Public functions of standard modules that resolve attribute names given as strings: getattr
# under another name, so module views leave them out.
_NAME_RESOLVERS = {
    "operator": frozenset({"attrgetter", "methodcaller"}),
    "string": frozenset({"Formatter"}),
}


def _view(module, allowed, seen=None):
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
    hidden = _NAME_RESOLVERS.get(name, ())
    for key, value in list(entries.items()):
        if key.startswith("_") or key in hidden:
            continue
        if isinstance(value, _types.ModuleType):
            if not allowed(value.__name__):
                continue
            value = _view(value, allowed, seen)
        view.__dict__[key] = value
    _State.views[name] = (len(entries), view)
    return view


def _unavailable(name):
    def refuse(*args, **kwargs):
        raise NameError("'%s' is not available in the sandbox" % name)
    refuse.__name__ = name
    return refuse


# GraalPy resolves a block's builtins from the real builtins module whatever the namespace's
# __builtins__ says, so the guarded names are shadowed in the namespace itself (globals come
# before builtins) and restored before every block. getattr, setattr and delattr join them
# once the guards exist (_cp_configure).
_SHADOWS = {name: _unavailable(name) for name in sorted(_REMOVED_BUILTINS) if name != "__import__"}
_SHADOWS["McpError"] = McpError
_SHADOWS["AgentError"] = AgentError


# Built-in modules whose functions act on or describe the host rather than the interpreter:
# the process and its relatives (signals, children, ids, limits), the machine (name, load,
# processors), its users and the working folder. GraalPy implements some of them outside the
# context's permissions (_signal raises signals in the JVM, time.tzset sets the JVM's time
# zone), others answer with host facts (pwd's home folder, uname), and some fail with a host
# exception no Python code can catch (getcwd, system). Built-in modules exist once per
# context, so replacing the functions here, before any block runs, removes them for every
# later importer (reload and re-import hand out the same module). What stays is listed: for
# posix, the calls that reach files only through the context's file system (none, which
# refuses them with PermissionError) and the pure helpers the standard library needs.
_POSIX_KEPT = frozenset({
    "WCOREDUMP", "WEXITSTATUS", "WIFCONTINUED", "WIFEXITED", "WIFSIGNALED", "WIFSTOPPED",
    "WSTOPSIG", "WTERMSIG", "waitstatus_to_exitcode", "fspath", "strerror", "urandom",
    "register_at_fork", "access", "stat", "lstat", "fstat", "listdir", "scandir", "open",
    "read", "write", "close", "lseek", "readlink", "isatty", "get_blocking", "set_blocking",
    "get_inheritable", "set_inheritable", "fsync", "ftruncate", "truncate", "mkdir", "rmdir",
    "unlink", "remove", "rename", "replace", "symlink", "link", "utime", "chmod", "fchmod",
    "chown", "fchown", "lchown", "statvfs", "fstatvfs", "device_encoding",
})
_SEALED = {
    "_signal": frozenset({"getsignal", "getitimer", "strsignal", "valid_signals",
                          "default_int_handler"}),
    "posix": _POSIX_KEPT,
    "pwd": frozenset(),
    "resource": frozenset(),
    "_posixsubprocess": frozenset(),
    "_posixshmem": frozenset(),
    "faulthandler": frozenset({"is_enabled"}),
    "time": None,  # only tzset, below
}


def _host_wide(name):
    def refuse(*args, **kwargs):
        raise PermissionError("%s() acts on the host, not the interpreter; it is not available"
                              " in the sandbox" % name.replace("posix.", "os.", 1))
    refuse.__name__ = name.rpartition(".")[2]
    return refuse


_real_uname = _importlib.import_module("posix").uname


def _seal_host_wide_builtins():
    for module_name, kept in _SEALED.items():
        try:
            module = _importlib.import_module(module_name)
        except ImportError:
            continue
        if kept is None:
            continue
        for name, value in list(_builtins.vars(module).items()):
            if (callable(value) and not isinstance(value, type) and not name.startswith("__")
                    and name not in kept):
                _real_setattr(module, name, _host_wide(module_name + "." + name))
    import time
    _real_setattr(time, "tzset", _host_wide("time.tzset"))
    # platform.system() (uuid needs it at import) reads uname: the kind of system stays, the
    # machine's name and kernel do not.
    posix = _importlib.import_module("posix")
    uname_result = type(_real_uname())
    system = _real_uname().sysname

    def uname():
        return uname_result((system, "", "", "", ""))
    _real_setattr(posix, "uname", uname)
    import _locale
    real_setlocale = _locale.setlocale

    def setlocale(category, locale=None):
        if locale is not None:
            raise PermissionError("locale.setlocale() would change the host's locale; it is not"
                                  " available in the sandbox")
        return real_setlocale(category)
    _real_setattr(_locale, "setlocale", setlocale)


_seal_host_wide_builtins()
# Library code that looks up the main module (pickle, dataclasses) finds an empty one, not
# this bootstrap.
_sys.modules["__main__"] = _types.ModuleType("__main__")


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


class _Results:
    """The full text of every execution result of this session, oldest first: results[0] is
    the first, results[-1] the latest. Read-only; older results are cut in what the model
    sees, never here."""

    __slots__ = ()

    def __len__(self):
        return _State.results(-1)

    def __getitem__(self, index):
        count = _State.results(-1)
        if type(index) is slice:
            return [self[i] for i in range(*index.indices(count))]
        if type(index) is not int:
            raise TypeError("results indices must be integers or slices, not %s"
                            % type(index).__name__)
        if index < 0:
            index += count
        if not 0 <= index < count:
            raise IndexError("results index out of range (there are %d results)" % count)
        text = _State.results(index)
        if type(text) is not str:
            raise IndexError("results index out of range")
        return text

    def __iter__(self):
        for index in range(_State.results(-1)):
            yield self[index]

    def __repr__(self):
        return ("<results: the full text of this session's %d execution results;"
                " results[-1] is the latest>" % _State.results(-1))


_RESULTS = _Results()


def _cp_configure(host, results, check_source, check_attr, module_allowed, limit):
    """Called once by the host, right after this file ran."""
    _State.host = host
    _State.results = results
    _State.limit = int(limit)
    getattr_, setattr_, delattr_ = _make_guards(check_source, check_attr, module_allowed)
    _SHADOWS.update(getattr=getattr_, setattr=setattr_, delattr=delattr_)
    _cp_reset_namespace()


def _cp_reset_namespace():
    _State.namespace = {"__name__": "__main__", "__doc__": None}


class McpContent:
    """A non-text content item an MCP tool returned: an image, audio or a resource."""

    def __init__(self, type=None, mime_type=None, data=None, text=None, uri=None, name=None):
        self.type = type
        self.mime_type = mime_type
        self.data = data
        self.text = text
        self.uri = uri
        self.name = name

    def __repr__(self):
        parts = [self.type or "content"]
        if self.mime_type:
            parts.append(self.mime_type)
        if self.uri:
            parts.append(self.uri)
        payload = self.data if self.data is not None else self.text
        if payload is not None:
            parts.append("%d chars" % len(payload))
        return "<McpContent %s>" % " ".join(parts)


McpContent.__module__ = "builtins"
_SHADOWS["McpContent"] = McpContent


def _mcp_content(value):
    """The result of a grouped (MCP) tool, with its marked content items as McpContent."""
    if type(value) is dict and len(value) == 1 and type(value.get("__mcp_content__")) is dict:
        fields = value["__mcp_content__"]
        return McpContent(**{k: fields.get(k) for k in
                             ("type", "mime_type", "data", "text", "uri", "name")})
    if type(value) is list:
        return [_mcp_content(item) for item in value]
    return value


class _ToolGroup:
    """The tools of one server (tools named "server.tool"): each is a method of this object."""

    def __repr__(self):
        return "<%s: tools %s; help(%s) shows them>" % (
            self.__doc__, ", ".join(sorted(_State.groups.get(self, ()))), self.__doc__)


def _group(name, members):
    """An object named name whose public attributes are the functions in members."""
    kind = type(name, (_ToolGroup,), {key: staticmethod(value) for key, value in members.items()})
    kind.__doc__ = name
    kind.__module__ = "builtins"
    group = kind()
    _State.groups[group] = sorted(members)
    return group


def _help(what=None):
    """help(tool) or help(server): prints the signature and documentation."""
    try:
        signature = _State.signatures.get(what) if callable(what) else None
    except TypeError:  # an unhashable callable
        signature = None
    if signature is not None:
        text = signature + "\n\n" + (what.__doc__ or "")
    elif isinstance(what, _ToolGroup):
        lines = ["%s: tools of the MCP server %s (call them with keyword arguments):"
                 % (what.__doc__, what.__doc__)]
        for key in _State.groups.get(what, ()):
            function = _real_getattr(what, key)
            summary = (function.__doc__ or "").strip().split("\n")[0]
            lines.append("  %s\n      %s" % (_State.signatures.get(function, key), summary))
        lines.append("help(%s.<tool>) shows one tool in full." % what.__doc__)
        text = "\n".join(lines)
    elif what is None:
        text = "help(tool) shows a tool's signature and documentation; tools: " + ", ".join(
            sorted(_State.tools))
    else:
        doc = _real_getattr(what, "__doc__", None)
        name = _real_getattr(what, "__name__", None)
        text = "%s\n\n%s" % (name if type(name) is str else type(what).__name__,
                              doc or "No documentation.")
    print(text.rstrip())


_SHADOWS["help"] = _help


def _cp_install_tools(spec):
    """spec: one record per tool (separated by \\x1e): name, parameters, doc, signature
    (separated by \\x1f); parameters are "name" or "name=" (optional), separated by commas. A
    dotted name "server.tool" becomes the method tool of an object named server."""
    tools = {}
    groups = {}
    signatures = {}
    for record in spec.split("\x1e") if spec else []:
        name, params, doc, shown = record.split("\x1f")
        params = [p for p in params.split(",") if p]
        names = [p.rstrip("=") for p in params]
        group, _, local = name.rpartition(".")
        for n in [local] + names + ([group] if group else []):
            if not n.isidentifier() or n.startswith("_"):
                raise ValueError("bad tool or parameter name: %r" % n)
        signature = ", ".join(p + "_MISSING" if p.endswith("=") else p for p in params)
        pairs = "".join("(%r, %s), " % (n, n) for n in names)
        wrap = "_mcp_content" if group else ""
        source = "def %s(%s):\n    return %s(_call(%r, (%s)))\n" % (
            local, signature, wrap, name, pairs)
        scope = {"_call": _call, "_MISSING": _MISSING, "_mcp_content": _mcp_content}
        _real_exec(_real_compile(source, _TOOLS_FILE, "exec"), scope)
        function = scope[local]
        function.__doc__ = doc
        if group:
            function.__qualname__ = name
            groups.setdefault(group, {})[local] = function
        else:
            tools[name] = function
        signatures[function] = shown
    _State.groups = {}
    _State.signatures = signatures
    for group, members in groups.items():
        tools[group] = _group(group, members)
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


def _cp_compile_error(code):
    """The error of a block the policy could not parse; the block is never run here."""
    _State.source = code.splitlines()
    try:
        _real_compile(code, _BLOCK_FILE, "exec")
    except SyntaxError as error:
        return _format_syntax_error(error)
    except (ValueError, RecursionError, MemoryError, OverflowError) as error:
        return _describe(error)
    return ""


def _cp_run(code):
    capture = _Capture(_State.limit)
    _State.capture = capture
    _State.source = code.splitlines()
    # The host checked the block against the policy before calling this.
    try:
        compiled = _real_compile(code, _BLOCK_FILE, "exec")
    except SyntaxError as error:
        return ("error", _format_syntax_error(error), "")
    except (ValueError, RecursionError, MemoryError) as error:
        return ("error", _describe(error), "")
    namespace = _State.namespace
    namespace.update(_State.tools)
    namespace.update(_SHADOWS)
    namespace["results"] = _RESULTS
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
