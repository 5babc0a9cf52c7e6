# CodePilot sandbox policy: the AST check every control block passes before it runs.
#
# This file runs in a context of its own (a "checker"), never in the context that runs blocks:
# it only ever parses and walks text, so no block can read or change the rules below, whatever
# it reaches in its own interpreter. The interpreter that runs blocks calls back into this check
# for every string it compiles at run time (eval, exec, compile, typing's string annotations),
# so code made from strings passes the same rules as the block itself.
#
# The rules, and why they are general rather than a list of known escapes:
# - Attribute names: a block reaches objects by public names only. Dunder names other than
#   __init__, __name__ and __doc__ lead to the interpreter's machinery (classes, globals,
#   frames); single-underscore names are where every standard module keeps its internals,
#   including references to other modules (pathlib's _flavour is os.path, whose sys is the real
#   sys). A handful of names that are public API despite the underscore (namedtuple's) are
#   allowed. Frame and code attributes without underscores (gi_frame, tb_frame, f_globals, ...)
#   are refused for the same reason. Format strings and class patterns read attributes named
#   in data, so only literal format strings (their fields checked) and keyword class patterns
#   are allowed.
# - Names: the built-ins that evaluate, compile, open, import by name, or hand out namespaces.
# - Imports: only allowed modules, never a private module or name.
# The same attribute rule is applied at run time by the sandbox's getattr, setattr and delattr.

import _ast
import _string

ALLOWED_DUNDER_ATTRS = frozenset({"__init__", "__name__", "__doc__"})
ALLOWED_DUNDER_NAMES = frozenset({"__name__", "__doc__"})
# Public API whose names start with an underscore so they cannot clash with field names.
PUBLIC_UNDERSCORE_ATTRS = frozenset({"_asdict", "_replace", "_fields", "_field_defaults", "_make"})
BANNED_NAMES = frozenset({
    "eval", "exec", "compile", "open", "__import__", "globals", "locals", "vars",
    "breakpoint", "input", "exit", "quit",
})
ATTR_FUNCTIONS = frozenset({"getattr", "setattr", "delattr"})
FORMAT_METHODS = frozenset({"format", "format_map"})
# Attributes that hand out interpreter internals (frames, code objects) without an underscore.
INTERNAL_ATTRS = frozenset({
    "gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "cr_await", "cr_origin",
    "ag_frame", "ag_code", "ag_await", "tb_frame", "tb_next", "f_back", "f_builtins",
    "f_code", "f_globals", "f_locals", "f_trace", "co_code", "co_consts", "co_names",
})


def is_dunder(name):
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def attr_problem(name, by_name=False):
    """Why a block may not reach the attribute `name`, or None when it may. `by_name`: asked
    for getattr and its kin, which can take a format method off any object."""
    if by_name and name in FORMAT_METHODS:
        return "%s() may only be called on a literal string; use an f-string" % name
    if name.startswith("_"):
        if is_dunder(name):
            if name not in ALLOWED_DUNDER_ATTRS:
                return "access to the attribute '%s' is not allowed" % name
        elif name not in PUBLIC_UNDERSCORE_ATTRS:
            return ("access to the private attribute '%s' is not allowed (blocks use public"
                    " names only)" % name)
    if name in INTERNAL_ATTRS:
        return "access to the interpreter internals '%s' is not allowed" % name
    return None


class Rejected(Exception):
    pass


# Fields that never hold a node to check: context and operator markers (nodes without fields
# of their own) and names, numbers and strings. The policy reads the names it checks itself.
_LEAF_FIELDS = frozenset({
    "ctx", "op", "ops", "id", "attr", "arg", "module", "level", "type_comment", "kind",
    "conversion", "is_async", "simple",
})

# Per AST node class, found once per interpreter: its visit method (None: visit the children)
# and the fields to walk.
_DISPATCH = {}


def _entry(kind):
    entry = _DISPATCH.get(kind)
    if entry is None:
        method = getattr(Policy, "visit_" + kind.__name__, None)
        if kind is _ast.Constant:
            fields = ()  # a constant's value is a plain value, or a tuple of them
        else:
            fields = tuple(field for field in kind._fields if field not in _LEAF_FIELDS)
        entry = _DISPATCH[kind] = (method, fields)
    return entry


class Policy:
    """Walks a parsed block and raises Rejected at the first construct the sandbox refuses."""

    def __init__(self, allowed):
        self.allowed = allowed
        self.scopes = ["module"]

    def visit(self, node):
        method, fields = _entry(type(node))
        if method is not None:
            method(self, node)
        elif fields:
            self.walk_fields(node, fields)

    def generic_visit(self, node):
        self.walk_fields(node, _entry(type(node))[1])

    def walk_fields(self, node, fields):
        dispatch = _DISPATCH
        for field in fields:
            value = getattr(node, field, None)
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
                    entry = _entry(type(item))
                method, child_fields = entry
                if method is not None:
                    method(self, item)
                elif child_fields:
                    self.walk_fields(item, child_fields)

    def fail(self, node, message):
        line = getattr(node, "lineno", None)
        raise Rejected(("line %d: %s" % (line, message)) if line else message)

    def check_attr(self, node, name):
        problem = attr_problem(name)
        if problem:
            self.fail(node, problem)

    def check_binding(self, node, name):
        if name == "__builtins__" or (is_dunder(name) and self.scopes[-1] != "class"
                                      and name not in ALLOWED_DUNDER_NAMES):
            self.fail(node, "binding the name '%s' is not allowed" % name)

    def module_allowed(self, name):
        parts = name.split(".")
        return parts[0] in self.allowed and not any(p.startswith("_") for p in parts)

    def check_module(self, node, name):
        if not name:
            self.fail(node, "relative imports are not allowed")
        if not self.module_allowed(name):
            self.fail(node, "import of '%s' is not allowed (allowed modules: %s)"
                      % (name, ", ".join(sorted(self.allowed)) or "none"))

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
        if name in BANNED_NAMES:
            self.fail(node, "'%s' is not available in the sandbox" % name)
        if name in ATTR_FUNCTIONS:
            self.fail(node, "'%s' may only be called directly, with a literal attribute name" % name)
        if is_dunder(name) and name not in ALLOWED_DUNDER_NAMES:
            if isinstance(node.ctx, _ast.Store):
                self.check_binding(node, name)
            else:
                self.fail(node, "the name '%s' is not allowed" % name)

    def visit_Attribute(self, node):
        self.check_attr(node, node.attr)
        if node.attr in FORMAT_METHODS:
            # A format string reads the attributes its fields name: only a literal one, whose
            # fields can be checked here, may be used (f-strings are checked like any code).
            value = node.value
            if not (isinstance(value, _ast.Constant) and isinstance(value.value, str)):
                self.fail(node, "%s() may only be called on a literal string; use an f-string"
                          % node.attr)
            self.check_format(node, value.value)
        self.generic_visit(node)

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, _ast.Name) and func.id in ATTR_FUNCTIONS:
            if (len(node.args) < 2 or not isinstance(node.args[1], _ast.Constant)
                    or not isinstance(node.args[1].value, str)):
                self.fail(node, "%s() needs a literal string as the attribute name" % func.id)
            problem = attr_problem(node.args[1].value, by_name=True)
            if problem:
                self.fail(node, problem)
            for arg in node.args:
                self.visit(arg)
            for keyword in node.keywords:
                self.visit(keyword)
            return
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
        if node.patterns:
            # Positional sub-patterns read the attributes a class's __match_args__ names, which
            # a class made from a dict (type() with three arguments) can set to anything.
            self.fail(node, "positional patterns in a class pattern are not allowed; name the"
                            " attributes (case Point(x=a, y=b))")
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
            value = getattr(node, field, None)
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


_ALLOWED_SETS = {}


def _modules(allowed):
    modules = _ALLOWED_SETS.get(allowed)
    if modules is None:
        modules = _ALLOWED_SETS[allowed] = frozenset(name for name in allowed.split(",") if name)
    return modules


def module_allowed(name, allowed):
    """Whether a block may import `name` (a dotted module name) given the allowed modules."""
    return Policy(_modules(allowed)).module_allowed(name)


def check(code, mode, allowed):
    """The verdict on one piece of source: "" when it may run, "syntax" when it does not parse
    (the interpreter that compiles it reports the error itself), otherwise the reason it is
    refused. `allowed` is the comma-separated list of importable modules."""
    modules = _modules(allowed)
    try:
        tree = compile(code, "<control-block>", mode, _ast.PyCF_ONLY_AST)
    except (SyntaxError, ValueError, OverflowError, MemoryError):
        return "syntax"
    except RecursionError:
        return "the block is nested too deeply to be checked"
    try:
        Policy(modules).visit(tree)
    except Rejected as rejection:
        return str(rejection)
    except RecursionError:
        return "the block is nested too deeply to be checked"
    return ""
