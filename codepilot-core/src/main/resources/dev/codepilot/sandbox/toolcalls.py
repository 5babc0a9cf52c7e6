# CodePilot sandbox tool calls: the Python functions a block calls its tools by, how their
# arguments and replies cross to the host, the block's `results`, help() and the MCP helpers.
# One of the bootstrap files (see bootstrap.py); nothing here decides what a block may reach:
# the host function takes plain data and answers with text, and checks what it is given.

# Loaded after guards.py, whose names (_SHADOWS, _real_getattr, ...) it uses.

import builtins as _builtins
import importlib as _importlib

_TOOLS_FILE = "<codepilot-tools>"

_EXCEPTIONS = {
    name: _real_getattr(_builtins, name)
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


def _loads(text):
    # json is imported on first use: most contexts never need it, and it is slow to load.
    return _importlib.import_module("json").loads(text)


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value, tool, key, depth=0):
    """A copy made of built-in types only, so the host can read it without running block code.
    tool and key name the argument in an error."""
    kind = type(value)
    if kind is str or value is None or kind is bool or kind is int or kind is float:
        return value
    if depth > 64:
        raise TypeError("%s() argument '%s' is nested too deeply" % (tool, key))
    if kind is list or kind is tuple:
        return [_plain(item, tool, key, depth + 1) for item in value]
    if kind is dict:
        result = {}
        for name, item in value.items():
            if type(name) is not str:
                raise TypeError("%s() argument '%s': dict keys must be str, not %s"
                                % (tool, key, type(name).__name__))
            result[name] = _plain(item, tool, key, depth + 1)
        return result
    raise TypeError("%s() argument '%s' must be plain data (str, int, float, bool, None, list,"
                    " dict), not %s" % (tool, key, kind.__name__))


_MISSING = object()


def _call(tool, names, values):
    """Calls the host's tool with every parameter given."""
    scalars = _SCALARS
    return _reply(_State.host(tool, names, [
        value if type(value) in scalars else _plain(value, tool, name)
        for name, value in zip(names, values)]))


def _call_some(tool, names, values):
    """Calls the host's tool with the parameters given (the others are _MISSING)."""
    kept = []
    plain = []
    for name, value in zip(names, values):
        if value is not _MISSING:
            kept.append(name)
            plain.append(value if type(value) in _SCALARS else _plain(value, tool, name))
    return _reply(_State.host(tool, kept, plain))


def _reply(reply):
    """The host's answer, decoded (see BlockValues.encode)."""
    kind = reply[0]
    if kind == "s":
        return reply[1:]
    if kind == "n":
        return None
    if kind == "i":
        return int(reply[1:])
    if kind == "t":
        return True
    if kind == "f":
        return False
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


# Restored in the block's namespace before every block, with the guards' shadows.
_SHADOWS["McpError"] = McpError
_SHADOWS["AgentError"] = AgentError
_SHADOWS["McpContent"] = McpContent
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
        # One call with the names as a constant and the values as they came; tools with
        # optional parameters leave out the ones not given.
        call = "_call_some" if any(p.endswith("=") for p in params) else "_call"
        wrap = "_mcp_content" if group else ""
        source = "def %s(%s):\n    return %s(%s(%r, %r, (%s)))\n" % (
            local, signature, wrap, call, name, tuple(names), "".join(n + ", " for n in names))
        scope = {"_call": _call, "_call_some": _call_some, "_MISSING": _MISSING,
                 "_mcp_content": _mcp_content}
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
    _State.prepare_names()
