# CodePilot sandbox tracebacks: how a block's error is shown to the model. One of the bootstrap
# files (see bootstrap.py); nothing here decides what a block may reach. Frames of the
# bootstrap files (named "<codepilot-...>") are left out.

_BLOCK_FILE = "<control-block>"
_TRACEBACK_FRAMES = 30


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
    if filename != _BLOCK_FILE:
        return None
    # Split only when a traceback is shown: most blocks never need their lines.
    if _State.source is None:
        _State.source = _State.code.splitlines()
    if 0 < line <= len(_State.source):
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
