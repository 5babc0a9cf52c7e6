# CodePilot sandbox bootstrap: the entry points the host calls in a context that runs blocks.
#
# A new context evaluates the bootstrap files in this order, into one namespace (BlockContext
# lists them; each keeps its own name in tracebacks and profiles):
#   guards.py      everything that keeps a block inside its interpreter at run time: checked
#                  compile/eval/exec, getattr/setattr/delattr and imports, module views, the
#                  shadowed built-ins, the host-wide built-ins replaced (the only file that
#                  matters for security, beside policy.py and the context's settings);
#   output.py      the capture of what a block prints;
#   tracebacks.py  how a block's error is shown;
#   toolcalls.py   the tool functions, how arguments and replies cross to the host, `results`,
#                  help() and the MCP helpers;
#   bootstrap.py   this file: configure, run a checked block, report a block that did not parse.
#
# Blocks run in a namespace of their own whose builtins leave out eval, exec, open and the
# like, whose imports pass an allow-list and return views of modules that hide private names
# and other modules, and whose tools are plain Python functions that talk to the host only in
# plain data and type-prefixed strings.
#
# The AST policy is not here: it runs in a context of its own (policy.py), so nothing a block
# reaches in this interpreter can read or change it. The host checks each block there before it
# calls _cp_run, and the compile, eval and exec built-ins of this whole context send every
# string they are given to the same check (guards.py). Which modules may be imported is known
# only to the host and asked for each import. The context itself is the wall: it has no file,
# process, network, native, thread or host-class access.


class _State:
    groups = {}
    signatures = {}
    limit = 20000
    host = None
    results = None
    tools = {}
    namespace = {}
    capture = None
    # The running block's text, and its lines once a traceback needed them.
    code = ""
    source = None
    # What every block's namespace gets before it runs: the tools, then the shadows of the
    # removed built-ins (which win over a tool of the same name), then `results`.
    preset = {}

    @staticmethod
    def prepare_names():
        preset = dict(_State.tools)
        preset.update(_SHADOWS)
        preset["results"] = _RESULTS
        _State.preset = preset


def _cp_configure(host, results, check_source, check_attr, module_allowed, limit):
    """Called once by the host, right after the bootstrap files ran."""
    _State.host = host
    _State.results = results
    _State.limit = int(limit)
    _State.capture = _Capture(_State.limit)
    getattr_, setattr_, delattr_ = _make_guards(check_source, check_attr, module_allowed)
    _SHADOWS.update(getattr=getattr_, setattr=setattr_, delattr=delattr_)
    _State.prepare_names()
    _cp_reset_namespace()


def _cp_reset_namespace():
    _State.namespace = {"__name__": "__main__", "__doc__": None}


def _cp_compile_error(code):
    """The error of a block the policy could not parse; the block is never run here."""
    _State.code = code
    _State.source = None
    try:
        _real_compile(code, _BLOCK_FILE, "exec")
    except SyntaxError as error:
        return _format_syntax_error(error)
    except (ValueError, RecursionError, MemoryError, OverflowError) as error:
        return _describe(error)
    return ""


def _cp_run(code):
    """Runs a block the host checked against the policy: (status, detail, output)."""
    capture = _State.capture
    capture.reset()
    _State.code = code
    _State.source = None
    try:
        compiled = _real_compile(code, _BLOCK_FILE, "exec")
    except SyntaxError as error:
        return ("error", _format_syntax_error(error), "")
    except (ValueError, RecursionError, MemoryError) as error:
        return ("error", _describe(error), "")
    namespace = _State.namespace
    namespace.update(_State.preset)
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
    """The output of a block that was interrupted, which _cp_run could not return."""
    _sys.stdout, _sys.stderr = _sys.__stdout__, _sys.__stderr__
    capture = _State.capture
    text = capture.text() if capture is not None else ""
    if capture is not None:
        capture.reset()
    return text
