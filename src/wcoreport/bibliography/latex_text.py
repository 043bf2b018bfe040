"""The LaTeX of a BibTeX field value, as the text citeproc is given.

BibTeX fields are LaTeX: accents (`{\\'e}`), commands (`\\textless{}`, `\\&`), math (`$\\Delta$`),
and braces that protect a word's case (`{WCO}`). citeproc reads CSL JSON, whose strings are
plain Unicode with a few HTML-like tags (`<i>`, `<b>`, `<span class="nocase">`). This module
decodes the LaTeX with pylatexenc, turns math into plain Unicode text (never TeX: pandoc would
make Math nodes of it, which have no alternative text in the tagged PDF), and tells which parts
were protected from case changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pylatexenc import latexwalker
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

# Commands that pylatexenc does not know, or renders in a way that does not suit a reference.
_MACROS = [
    MacroTextSpec("textless", "<"),
    MacroTextSpec("textgreater", ">"),
    MacroTextSpec("textbar", "|"),
    MacroTextSpec("textunderscore", "_"),
    MacroTextSpec("textquotedbl", '"'),
    MacroTextSpec("S", "§"),
    MacroTextSpec("P", "¶"),
    MacroTextSpec("euro", "€"),
    MacroTextSpec("EUR", "€"),
    MacroTextSpec("pounds", "£"),
    MacroTextSpec("copyright", "©"),
    MacroTextSpec("hyphen", "-"),
    MacroTextSpec("slash", "/"),
    MacroTextSpec("LaTeX", "LaTeX"),
    MacroTextSpec("TeX", "TeX"),
    MacroTextSpec("BibTeX", "BibTeX"),
    MacroTextSpec("og", "«\u202f"),
    MacroTextSpec("fg", "\u202f»"),
    MacroTextSpec("url", "%(1)s"),
    MacroTextSpec("href", "%(2)s"),
    MacroTextSpec("emph", "<i>%(1)s</i>"),
    MacroTextSpec("textit", "<i>%(1)s</i>"),
    MacroTextSpec("mkbibemph", "<i>%(1)s</i>"),
    MacroTextSpec("textsl", "<i>%(1)s</i>"),
    MacroTextSpec("textbf", "<b>%(1)s</b>"),
    MacroTextSpec("mkbibbold", "<b>%(1)s</b>"),
    MacroTextSpec("textsc", '<span style="font-variant:small-caps;">%(1)s</span>'),
    MacroTextSpec("textsuperscript", "<sup>%(1)s</sup>"),
    MacroTextSpec("mkbibsuperscript", "<sup>%(1)s</sup>"),
    MacroTextSpec("textsubscript", "<sub>%(1)s</sub>"),
    MacroTextSpec("mkbibquote", "“%(1)s”"),
    MacroTextSpec("enquote", "“%(1)s”"),
    MacroTextSpec("nocite", ""),
]
_ARGS = {"url": "{", "href": "{{", "emph": "{", "textit": "{", "mkbibemph": "{", "textsl": "{",
         "textbf": "{", "mkbibbold": "{", "textsc": "{", "textsuperscript": "{",
         "mkbibsuperscript": "{", "textsubscript": "{", "mkbibquote": "{", "enquote": "{", "nocite": "{"}


def _context_dbs():
    from pylatexenc.macrospec import MacroSpec

    text_db = get_default_latex_context_db()
    text_db.add_context_category("wcoreport-bibtex", prepend=True, macros=_MACROS)
    walker_db = latexwalker.get_default_latex_context_db()
    walker_db.add_context_category("wcoreport-bibtex", prepend=True,
                                   macros=[MacroSpec(name, args) for name, args in _ARGS.items()]
                                   + [MacroSpec(spec.macroname, "") for spec in _MACROS if spec.macroname not in _ARGS])
    return text_db, walker_db


_TEXT_DB, _WALKER_DB = _context_dbs()

_SUPERSCRIPT = str.maketrans("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPT = str.maketrans("0123456789+-=()aeoxhklmnpst", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓₕₖₗₘₙₚₛₜ")
_SCRIPT = re.compile(r"([_^])(\{[^{}]*\}|.)")


def _scripts(math: str) -> str:
    """`x^2` -> x², `H_2O` -> H₂O: where Unicode has the characters, else `x^(n+1)` stays readable."""

    def one(match: re.Match[str]) -> str:
        body = match.group(2).strip("{}")
        table = _SUPERSCRIPT if match.group(1) == "^" else _SUBSCRIPT
        converted = body.translate(table)
        if all(ord(ch) > 127 for ch in converted if not ch.isspace()):
            return converted
        return match.group(1) + (body if len(body) == 1 else f"({body})")

    return _SCRIPT.sub(one, math)


class _ToText(LatexNodes2Text):
    """pylatexenc's converter, with math as plain Unicode text (x², Δ, ≤), not TeX."""

    def math_node_to_text(self, node):
        source = node.latex_verbatim()
        inner = source.strip("$")
        if source.startswith(("\\(", "\\[")):
            inner = source[2:-2]
        return LatexNodes2Text(latex_context=_TEXT_DB, math_mode="text").latex_to_text(_scripts(inner)).strip()


_CONVERTER = _ToText(latex_context=_TEXT_DB, math_mode="text", strict_latex_spaces=True)


@dataclass
class Decoded:
    """A field's text in pieces; `protected` ones keep their case (they were in braces)."""

    pieces: list[tuple[str, bool]] = field(default_factory=list)
    unknown_commands: list[str] = field(default_factory=list)
    unmatched_dollar: bool = False  # a lone `$` starts math that never ends

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.pieces)


def _walk_unknown(nodes, out: list[str]) -> None:
    for node in nodes or []:
        if node is None:
            continue
        if isinstance(node, latexwalker.LatexMacroNode):
            if _TEXT_DB.get_macro_spec(node.macroname) is None and node.macroname not in out:
                out.append(node.macroname)
            _walk_unknown([a for a in (node.nodeargd.argnlist if node.nodeargd else []) if a], out)
        for child in (getattr(node, "nodelist", None) or []):
            _walk_unknown([child], out)


def decode(latex: str) -> Decoded:
    """Decode a field value (its braces and quotes already removed, macros resolved)."""
    result = Decoded()
    if not any(ch in latex for ch in "\\{}$~-`'<>"):
        result.pieces.append((latex, False))
        return result
    # T1-encoded LaTeX (and French editors) write guillemets as ligatures.
    latex = latex.replace("<<", "\\guillemotleft{}").replace(">>", "\\guillemotright{}")
    result.unmatched_dollar = len(re.findall(r"(?<!\\)\$", latex)) % 2 == 1
    walker = latexwalker.LatexWalker(latex, latex_context=_WALKER_DB, tolerant_parsing=True)
    nodes, _, _ = walker.get_latex_nodes()
    _walk_unknown(nodes, result.unknown_commands)
    for node in nodes:
        group = isinstance(node, latexwalker.LatexGroupNode) and node.delimiters == ("{", "}")
        # Math keeps its case too: $\Delta$ is Δ, never δ.
        protected = group or isinstance(node, latexwalker.LatexMathNode)
        text = _CONVERTER.nodelist_to_text(node.nodelist if group else [node])
        if result.pieces and result.pieces[-1][1] == protected:
            result.pieces[-1] = (result.pieces[-1][0] + text, protected)
        elif text:
            result.pieces.append((text, protected))
    result.pieces = [(_tidy(text), protected) for text, protected in result.pieces]
    return result


def _tidy(text: str) -> str:
    # A straight apostrophe is a typewriter one: the report prints ’ (pandoc's smart reader does
    # the same to the .bib), and so must the references.
    return text.replace("'", "’")


def plain_text(latex: str) -> str:
    """The text of a field, without case protection or markup: for names, places, numbers."""
    text = decode(latex).text
    return re.sub(r"</?(?:i|b|sup|sub|span)(?: [^>]*)?>", "", text)
