"""Makes remote strings safe to show: valid UTF-8, control characters escaped, length capped,
secrets masked (`***` + last 4 characters), as DESIGN.md "Safety" requires of every report.

Every string that came from a platform, a test log or an artifact passes `clean()` before it
reaches the HTML page, the JSON summary, the history file or the terminal.
"""
import os
import re

# Default cap for one table cell or event field, in characters (not bytes).
DEFAULT_CAP = 400

# Environment variables whose values are secrets (docs/configuration.md).
SECRET_ENV_VARS = ("ADMIN_TOKEN", "OPENROUTER_API_KEY", "OPENAI_API_KEY")

# Shapes of secrets that may appear in remote text even when the tool's environment does not
# hold them: a bearer header, an OpenAI/OpenRouter-style key, a token=... query or JSON field.
_SECRET_PATTERNS = (
    re.compile(r"(?i)(bearer\s+)([A-Za-z0-9._~+/=-]{8,})"),
    re.compile(r"()\b(sk-[A-Za-z0-9_-]{12,})"),
    re.compile(r"(?i)((?:token|api_key|apikey|secret|password)[\"']?\s*[:=]\s*[\"']?)"
               r"([^\s\"'&,}]{8,})"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u2028\u2029]")


def mask(secret):
    """`***` plus the last four characters of `secret` (nothing more for short values)."""
    return "***" + secret[-4:] if len(secret) > 8 else "***"


def _known_secrets():
    return [v for v in (os.environ.get(name, "") for name in SECRET_ENV_VARS) if len(v) >= 4]


def mask_secrets(text):
    """Replaces every known secret value and every secret-shaped substring by its mask."""
    for secret in _known_secrets():
        text = text.replace(secret, mask(secret))
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + mask(m.group(2)), text)
    return text


def _escape_control(match):
    char = match.group(0)
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    return f"\\u{ord(char):04x}"


def clean(value, cap=DEFAULT_CAP):
    """Returns `value` as a safe display string: bytes decoded as UTF-8 (invalid sequences
    become U+FFFD), control characters (C0, C1, DEL, line/paragraph separators, tab and
    newline) escaped as `\\uXXXX`/`\\n`/`\\t`, secrets masked, and at most `cap` characters
    followed by `…[+N chars]` when cut. None stays None."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    elif not isinstance(value, str):
        value = str(value)
    # Lone surrogates (from JSON \ud800 escapes) are not valid UTF-8.
    value = value.encode("utf-8", errors="replace").decode("utf-8")
    value = mask_secrets(value)
    value = _CONTROL.sub(_escape_control, value.replace("\r\n", "\n"))
    if len(value) > cap:
        value = f"{value[:cap]}…[+{len(value) - cap} chars]"
    return value


def markdown_text(text):
    """`text` as one line of Markdown that shows as written: whitespace runs (newlines too)
    become one space, and Markdown's table, emphasis, code and link characters are escaped
    (remote text and variant names reach a CI job's summary)."""
    text = " ".join(str(text).split())
    for char in "\\|*_`<[]":
        text = text.replace(char, "\\" + char)
    return text


def clean_tree(value, cap=DEFAULT_CAP):
    """`clean()` applied to every string (keys too) of a JSON-like tree; numbers, booleans and
    None unchanged."""
    if isinstance(value, dict):
        return {clean(str(k), 80): clean_tree(v, cap) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_tree(v, cap) for v in value]
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    return clean(value, cap)
