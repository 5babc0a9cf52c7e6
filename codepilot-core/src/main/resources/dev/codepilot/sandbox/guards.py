# CodePilot sandbox guards: everything that keeps a checked block inside its interpreter at run
# time, in the context that runs blocks. The first of the bootstrap files (see bootstrap.py).
#
# The AST policy itself is not here: it runs in contexts of its own (policy.py), so nothing a
# block reaches in this interpreter can read or change it. What this file adds, behind the
# policy and the context's wall (no file, process, network, native, thread or host-class
# access):
# - the compile, eval and exec built-ins of the whole context send every string they are given
#   to the policy's check (asked of the host), so code made from strings passes the same rules;
# - getattr, setattr and delattr check the attribute name with the policy's rule;
# - the context-wide __import__ lets only the code of loaded modules import freely; block code
#   passes the host's allow-list and gets views of modules that hide private names and other
#   modules;
# - the built-ins a block may not call are shadowed in its namespace (restored before every
#   block, see _SHADOWS);
# - built-in functions that act on the host rather than the interpreter are replaced for the
#   whole context before any block runs;
# - the main module is an empty one, not the bootstrap.
# Nothing else in the bootstrap files decides what a block may reach.

import builtins as _builtins
import importlib as _importlib
import sys as _sys
import types as _types

_REMOVED_BUILTINS = frozenset({
    "eval", "exec", "compile", "open", "__import__", "globals", "locals", "vars",
    "breakpoint", "input", "exit", "quit", "help", "copyright", "credits", "license",
})

_real_compile = _builtins.compile
_real_exec = _builtins.exec
_real_eval = _builtins.eval
_real_getattr = _builtins.getattr
_real_setattr = _builtins.setattr
_real_delattr = _builtins.delattr


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
        # A module imported before (the usual case: blocks import the same modules again and
        # again) is taken from sys.modules, as the import system itself does first; one still
        # being initialised goes through the import system, which waits for it.
        module = _sys.modules.get(name)
        if module is None or _real_getattr(_real_getattr(module, "__spec__", None),
                                           "_initializing", False):
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


# The views handed out, by module name, with the number of names the module had: a module that
# gained names since (a submodule imported later) gets a new view.
_VIEWS = {}


def _view(module, allowed, seen=None):
    """A read-only stand-in for a module: public names only, other modules only if allowed."""
    name = module.__name__
    entries = _builtins.vars(module)
    cached = _VIEWS.get(name)
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
    _VIEWS[name] = (len(entries), view)
    return view


def _unavailable(name):
    def refuse(*args, **kwargs):
        raise NameError("'%s' is not available in the sandbox" % name)
    refuse.__name__ = name
    return refuse


# GraalPy resolves a block's builtins from the real builtins module whatever the namespace's
# __builtins__ says, so the guarded names are shadowed in the namespace itself (globals come
# before builtins) and restored before every block. getattr, setattr and delattr join them
# once the guards exist (_cp_configure); the tool-call glue adds its own names (help, McpError).
_SHADOWS = {name: _unavailable(name) for name in sorted(_REMOVED_BUILTINS) if name != "__import__"}


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

