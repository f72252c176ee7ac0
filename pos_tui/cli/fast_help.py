"""`pos`, `pos --help`, `pos -h` and `pos --version` without Typer or click (issue 12).

Importing Typer (and the click it bundles) costs `pos --help` about 100 ms on a
till's CPU, for a page that is all in pos_tui/cli/main.py's tables. So the
top-level help is printed here, with nothing but os and sys: click's help
layout (the usage line, the help text, the global options and the commands as
definition lists), click's wrapping and its `...` shortening of a command's
one-line help, ported below. tests/cli/test_fast_help.py holds it to the
letter of what Typer prints, in each language and at each terminal width.

`show()` returns None where it cannot promise the same bytes (Windows, a
stream click would rewrap, text it could not encode, an ANSI escape click
might strip, Typer's shell-completion variable set); the caller then asks Typer.
"""

import os
import sys

from pos_tui.cli.main import COMMANDS, GLOBAL_OPTIONS, HELP

USAGE = ("pos", "[OPTIONS] COMMAND [ARGS]...")  # the program and click's usage pieces of a group
HELP_OPTION = ("-h, --help", "Show this message and exit.")  # click's own line: click has no catalogue
_BREAKS = "\t\n\x0b\x0c\r"  # textwrap's whitespace besides the space


def show(args: list[str], language: str) -> int | None:
    """Print what Typer prints for `pos ARGS` (one of main.FAST) and return its exit code; None: ask Typer."""
    if sys.platform == "win32":  # click writes to the Windows console its own way
        return None
    if os.environ.get("_POS_COMPLETE"):  # Typer answers its shell-completion variable before any option
        return None
    if args == ["--version"]:
        from pos_tui import __version__

        return _write(sys.stdout, f"pos-tui {__version__}", 0)
    text = render(_translator(language), terminal_width())
    if not args:  # bare `pos`: click's "no args is help" is a usage error: the help on stderr, exit 2
        return _write(sys.stderr, text, 2)
    return _write(sys.stdout, text, 0)


def _translator(language: str):
    """`_` in `language`, set as the current language the way main() sets it for Typer."""
    if language == "en" and "pos_tui.i18n" not in sys.modules:
        return lambda message: message  # English is the source text: no catalogue to read
    from pos_tui.i18n import _, set_language

    set_language(language)
    return _


def _write(stream, text: str, code: int) -> int | None:
    """click.echo(text) to `stream` when click would write to that stream as it is; else None."""
    encoding, errors = getattr(stream, "encoding", None), getattr(stream, "errors", None)
    if encoding is None or errors is None or "\x1b" in text:
        return None
    import codecs

    try:
        if codecs.lookup(encoding).name == "ascii":  # click replaces an ASCII stream with a UTF-8 one
            return None
        text.encode(encoding, errors)
    except (LookupError, UnicodeError):
        return None
    stream.write(text + "\n")
    stream.flush()
    return code


def terminal_width() -> int:
    """The width click's HelpFormatter takes: the terminal's columns as shutil reads them, at most 78, at least 50."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns or 80
        except (AttributeError, ValueError, OSError):
            columns = 80
    return max(min(columns, 80) - 2, 50)


def render(_, width: int) -> str:
    """The top-level help as PosGroup.get_help() formats it in the language of `_`, without the final new line."""
    out = _Formatter(width)
    out.write_usage(*USAGE)
    text = _cleandoc(_(HELP)).partition("\f")[0]
    if text:
        out.write_paragraph()
        out.indent()
        out.write_text(text)
        out.dedent()
    options = [(f"{name} {metavar}" if metavar else name, _(help_text))
               for name, (metavar, help_text) in GLOBAL_OPTIONS.items()]
    out.section("Options")  # click's heading: click has no catalogue
    out.write_dl([*options, HELP_OPTION])
    out.dedent()
    limit = width - 6 - max(len(name) for name in COMMANDS)
    out.section(_("Commands"))
    out.write_dl([(name, short_help(_(summary), limit)) for name, (_module, summary) in COMMANDS.items()])
    out.dedent()
    return out.getvalue().rstrip("\n")


# --- click's formatting, ported (typer/_click/formatting.py, utils.py); term_len is len: no ANSI here ------


class _Formatter:
    """click.HelpFormatter, the parts a group's help uses."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.current_indent = 0
        self.buffer: list[str] = []

    def write(self, string: str) -> None:
        self.buffer.append(string)

    def indent(self) -> None:
        self.current_indent += 2

    def dedent(self) -> None:
        self.current_indent -= 2

    def write_usage(self, prog: str, args: str, prefix: str = "Usage: ") -> None:
        usage_prefix = f"{prefix:>{self.current_indent}}{prog} "
        text_width = self.width - self.current_indent
        if text_width >= len(usage_prefix) + 20:
            indent = " " * len(usage_prefix)
            self.write(wrap_text(args, text_width, initial_indent=usage_prefix, subsequent_indent=indent))
        else:
            self.write(usage_prefix)
            self.write("\n")
            indent = " " * (max(self.current_indent, len(prefix)) + 4)
            self.write(wrap_text(args, text_width, initial_indent=indent, subsequent_indent=indent))
        self.write("\n")

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}:\n")

    def write_paragraph(self) -> None:
        if self.buffer:
            self.write("\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write(wrap_text(text, self.width, initial_indent=indent, subsequent_indent=indent,
                             preserve_paragraphs=True))
        self.write("\n")

    def section(self, name: str) -> None:
        """click's `with formatter.section(name):` up to its body; the caller dedents after it."""
        self.write_paragraph()
        self.write_heading(name)
        self.indent()

    def write_dl(self, rows: list[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        first_col = min(max(len(row[0]) for row in rows), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - len(first)))
            else:
                self.write("\n")
                self.write(" " * (first_col + self.current_indent))
            text_width = max(self.width - first_col - 2, 10)
            lines = wrap_text(second, text_width, preserve_paragraphs=True).splitlines()
            if lines:
                self.write(f"{lines[0]}\n")
                for line in lines[1:]:
                    self.write(f"{'':>{first_col + self.current_indent}}{line}\n")
            else:
                self.write("\n")

    def getvalue(self) -> str:
        return "".join(self.buffer)


def wrap_text(text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "",
              preserve_paragraphs: bool = False) -> str:
    """click.formatting.wrap_text."""
    text = text.expandtabs()
    if not preserve_paragraphs:
        return fill(text, width, initial_indent, subsequent_indent)
    paragraphs: list[tuple[int, bool, str]] = []
    buf: list[str] = []
    indent = None

    def flush() -> None:
        if not buf:
            return
        if buf[0].strip() == "\b":
            paragraphs.append((indent or 0, True, "\n".join(buf[1:])))
        else:
            paragraphs.append((indent or 0, False, " ".join(buf)))
        del buf[:]

    for line in text.splitlines():
        if not line:
            flush()
            indent = None
        else:
            if indent is None:
                orig_len = len(line)
                line = line.lstrip()
                indent = orig_len - len(line)
            buf.append(line)
    flush()
    done = []
    for extra, raw, body in paragraphs:
        first, rest = initial_indent + " " * extra, subsequent_indent + " " * extra
        if raw:
            done.append("\n".join(f"{first if at == 0 else rest}{line}" for at, line in enumerate(body.splitlines())))
        else:
            done.append(fill(body, width, first, rest))
    return "\n\n".join(done)


def fill(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """click's TextWrapper(width, initial_indent=…, subsequent_indent=…, replace_whitespace=False).fill(text).

    A text that fits on its line is that line; one without a hyphen is cut into words and the spaces between
    them, as textwrap cuts it, and laid out by textwrap's loop below; one with a hyphen (textwrap may break
    after it, by a regular expression) is handed to textwrap itself.
    """
    if width <= 0:
        raise ValueError(f"invalid width {width!r} (must be > 0)")
    text = text.expandtabs()
    if text and text == text.strip() and not any(c in text for c in _BREAKS) and \
            len(initial_indent) + len(text) <= width:
        return initial_indent + text
    if "-" in text:
        import textwrap

        class Wrapper(textwrap.TextWrapper):
            def _handle_long_word(self, reversed_chunks: list[str], cur_line: list[str], cur_len: int,
                                  width: int) -> None:
                _long_word(reversed_chunks, cur_line, cur_len, width)

        wrapper = Wrapper(width, initial_indent=initial_indent, subsequent_indent=subsequent_indent,
                          replace_whitespace=False)
        return wrapper.fill(text)
    return "\n".join(_wrap_chunks(_chunks(text), width, initial_indent, subsequent_indent))


def _chunks(text: str) -> list[str]:
    """textwrap's chunks of a text without hyphens: runs of whitespace and runs of anything else."""
    chunks: list[str] = []
    start = 0
    for at in range(1, len(text) + 1):
        if at == len(text) or (text[at] in _BREAKS or text[at] == " ") != (text[start] in _BREAKS or
                                                                         text[start] == " "):
            chunks.append(text[start:at])
            start = at
    return chunks


def _wrap_chunks(chunks: list[str], full_width: int, initial_indent: str, subsequent_indent: str) -> list[str]:
    """textwrap.TextWrapper._wrap_chunks with drop_whitespace, break_long_words and no max_lines."""
    lines: list[str] = []
    chunks.reverse()
    while chunks:
        cur_line: list[str] = []
        cur_len = 0
        indent = subsequent_indent if lines else initial_indent
        width = full_width - len(indent)
        if chunks[-1].strip() == "" and lines:
            del chunks[-1]
        while chunks:
            size = len(chunks[-1])
            if cur_len + size <= width:
                cur_line.append(chunks.pop())
                cur_len += size
            else:
                break
        if chunks and len(chunks[-1]) > width:
            _long_word(chunks, cur_line, cur_len, width)
            cur_len = sum(map(len, cur_line))
        if cur_line and cur_line[-1].strip() == "":
            cur_len -= len(cur_line[-1])
            del cur_line[-1]
        if cur_line:
            lines.append(indent + "".join(cur_line))
    return lines


def _long_word(reversed_chunks: list[str], cur_line: list[str], cur_len: int, width: int) -> None:
    """click's TextWrapper._handle_long_word: cut the word at the line's end, whatever it is."""
    space_left = max(width - cur_len, 1)
    last = reversed_chunks[-1]
    cur_line.append(last[:space_left])
    reversed_chunks[-1] = last[space_left:]


def short_help(help_text: str, max_length: int = 45) -> str:
    """click.utils.make_default_short_help: the first sentence, or the words that fit and `...`."""
    paragraph_end = help_text.find("\n\n")
    if paragraph_end != -1:
        help_text = help_text[:paragraph_end]
    words = help_text.split()
    if not words:
        return ""
    if words[0] == "\b":
        words = words[1:]
    total_length = 0
    last_index = len(words) - 1
    for i, word in enumerate(words):
        total_length += len(word) + (i > 0)
        if total_length > max_length:
            break
        if word[-1] == ".":
            return " ".join(words[: i + 1])
        if total_length == max_length and i != last_index:
            break
    else:
        return " ".join(words)
    total_length += len("...")
    while i > 0:
        total_length -= len(words[i]) + (i > 0)
        if total_length <= max_length:
            break
        i -= 1
    return " ".join(words[:i]) + "..."


def _cleandoc(doc: str) -> str:
    """inspect.cleandoc (importing inspect costs more than this whole module)."""
    lines = doc.expandtabs().split("\n")
    margin = sys.maxsize
    for line in lines[1:]:
        content = len(line.lstrip())
        if content:
            margin = min(margin, len(line) - content)
    if lines:
        lines[0] = lines[0].lstrip()
    if margin < sys.maxsize:
        for i in range(1, len(lines)):
            lines[i] = lines[i][margin:]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines)
