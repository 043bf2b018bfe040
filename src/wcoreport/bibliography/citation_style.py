"""The citation style (CSL) of the report: `csl:` in `report.yml`, given to pandoc's citeproc.

`csl:` is either the name of a style shipped in `styles/` (see its README) or the path, relative
to the repository, of a `.csl` file. Without it, the report uses the shipped Chicago
author-date style, pandoc's own default, so the look of the references does not change with
pandoc's version and the build never fetches a style. pandoc has the CSL locales (en-GB, fr-FR)
built in: none is shipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ..sources.diagnostics import Problems


STYLES_DIR = Path(__file__).parent / "styles"
DEFAULT_STYLE = "chicago-author-date"
# Older names of the shipped styles, as editors may know them.
_ALIASES = {"chicago-note-bibliography": "chicago-notes-bibliography",
            "chicago-fullnote-bibliography": "chicago-notes-bibliography"}
_CSL = "{http://purl.org/net/xbiblio/csl}"


def bundled_styles() -> list[str]:
    return sorted(p.stem for p in STYLES_DIR.glob("*.csl"))


def _is_path(value: str) -> bool:
    return value.endswith(".csl") or "/" in value or "\\" in value


def style_path(value: str | None, root: Path) -> Path:
    """The `.csl` file `csl:` names (it may not exist: see `check_style`)."""
    value = (value or DEFAULT_STYLE).strip()
    if _is_path(value):
        return Path(root) / value
    return STYLES_DIR / f"{_ALIASES.get(value, value)}.csl"


def _csl_problem(path: Path) -> str | None:
    """Why the file is no usable CSL style, or None."""
    try:
        tree = ET.parse(path)
    except ET.ParseError as exc:
        return f"is not XML (line {exc.position[0]} of that file: {str(exc).split(':')[0]})"
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    style = tree.getroot()
    if style.tag != f"{_CSL}style":
        return "is not a CSL style (its root element must be <style> in the CSL namespace)"
    if not style.get("version", "").startswith("1."):
        return "is not a CSL 1.0 style (the <style> element has no version=\"1.0\")"
    if style.find(f"{_CSL}citation") is None:
        parent = style.find(f"{_CSL}info/{_CSL}link[@rel='independent-parent']")
        if parent is not None:
            return (f"is a dependent style, which only points to another one ({parent.get('href')}): "
                    "give that style's file instead")
        return "is not a complete CSL style (it has no <citation> element)"
    return None


def check_style(value: str | None, root: Path, where: Path, line: int, problems: Problems) -> None:
    """Report a bad `csl:` value at `where:line` (report.yml)."""
    if value is None:
        return
    value = value.strip()
    if not value:
        problems.error(where, line, "csl: empty value (give a style name or the path of a .csl file, or remove the key)")
        return
    path = style_path(value, root)
    if not _is_path(value):
        if not path.is_file():
            problems.error(where, line, f"csl: '{value}' is no style shipped with the toolchain "
                                        f"(shipped: {', '.join(bundled_styles())}); a style of your own "
                                        "is given by its path, e.g. styles/my-style.csl")
        return
    if Path(value).is_absolute() or not problems.inside(path):
        problems.error(where, line, f"csl: '{value}' is outside the repository: give a path relative to it")
        return
    if not path.is_file():
        problems.error(where, line, f"csl: the file '{value}' does not exist (paths are relative to the repository)")
        return
    reason = _csl_problem(path)
    if reason:
        problems.error(where, line, f"csl: '{value}' {reason}")


def style_args(csl: str | None, root: Path) -> list[str]:
    """pandoc's arguments for the report's citation style (`csl:` of report.yml, or None for
    the default), e.g. ['--csl=/abs/ieee.csl']."""
    return [f"--csl={style_path(csl, root).resolve()}"]
