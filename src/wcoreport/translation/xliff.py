"""Translation through a CAT tool: a chapter exported as XLIFF, translated, imported back.

    build_report.py xliff export --lang fr      # build/xliff/fr/<chapter>.xlf, one per chapter
    build_report.py xliff import FILES...       # the translations back into docs/fr/

**XLIFF 1.2**, not 2.x: it is the version that Trados Studio, memoQ and OmegaT (through its
Okapi filter) all open and save back without conversion; XLIFF 2 support differs between them
(OmegaT has none of its own). Files are made and read with lxml, never by hand, and validate
against the OASIS XLIFF 1.2 *strict* schema (tests/xliff/).

Units: one per paragraph, heading title, list item, table cell, caption, footnote text,
abbreviation and admonition title (xliff_markup.py), in the order of the source page. Inside a
unit, what must not change is a protected inline code: `<ph>` for citations, cross-references,
footnote references, directives, attributes and code spans; `<bpt>`/`<ept>` around the text of
a link or image (its address in the closing code) and of emphasis. A code holds the Markdown it
stands for, so the tool shows a tag and the import writes back exactly that Markdown.

The target is filled with the current translation, and its state comes from the paragraph
drift (drift.py): `translated` for a block whose source did not change since the translation
was marked current, `needs-review-translation` for one that changed (its former text in a
note) or when nothing was recorded, `new` (no target) for a block the translation lacks.

The file carries its skeleton (`<skl><internal-file>`, JSON): the translation page's body with
a placeholder per unit — the page itself when its blocks match the source's one to one, else
the source page's layout, so that the imported page has the source's structure. It also keeps
the hashes of the two pages at export: the import refuses a page that was edited meanwhile
(its edits would be lost), a unit that is missing, and a target whose codes were lost or
altered — naming the file and the unit, and writing nothing at all. A page is marked current
(drift.mark_translated) only when every unit is `translated` (or `final`, `signed-off`) and
its source did not change since the export.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from .drift import changes, mark_translated, read_record, source_blocks
from ..markdown.blocks import PageBlocks, describe, page_blocks
from ..pipeline.outputs import atomic_write
from . import translatable
from ..sources.diagnostics import Problems
from ..markdown.parity import ChapterParity, compare
from .translations import MarkError, State, source_hash
from .xliff_check import check_imports
from .xliff_markup import Code, inline_codes, joined, unit_spans

if TYPE_CHECKING:
    from ..markdown.gate import ProjectAnalysis
    from ..sources.project import Project

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
SKELETON_FORMAT = 1
DONE = {"translated", "final", "signed-off"}
_X = "{%s}" % NS


class ExchangeError(Exception):
    """An XLIFF file cannot be exported or imported; the message names the file and unit."""


@dataclass
class Unit:
    id: str
    kind: str
    label: str
    source: str
    target: str | None
    state: str  # translated, needs-review-translation, new
    note: str = ""


@dataclass
class Export:
    chapter: str
    lang: str
    units: list[Unit] = field(default_factory=list)
    skeleton: list = field(default_factory=list)  # strings and {"unit": id}
    warnings: list[str] = field(default_factory=list)


# --- export -------------------------------------------------------------------------------
def _items(blocks: PageBlocks) -> list[tuple[int, int, str, str]]:
    """The page's pieces of text in file order: (first line, last line, text, label)."""
    items = [(b.line, b.end, b.text, describe(b)) for b in blocks.blocks if b.text]
    items += [(line, end, text, "footnote") for line, end, text in blocks.definitions]
    return sorted(items)


def _body(path: Path, body_line: int) -> tuple[list[str], str]:
    """The page's lines (a Windows editor's BOM aside), and the line end it uses."""
    raw = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    newline = "\r\n" if "\r\n" in raw else "\n"
    lines = raw.replace("\r\n", "\n").split("\n")
    return lines, newline


def _skeleton(lines: list[str], first: int, items, spans_of, unit_ids) -> list:
    """The body from line `first` on, each unit's text replaced by a placeholder."""
    parts: list = []
    text = "\n".join(lines[first - 1:])
    offsets = [0]
    for line in lines[first - 1:]:
        offsets.append(offsets[-1] + len(line) + 1)
    pos = 0
    for (line, _end, _text, _label), spans, ids in zip(items, spans_of, unit_ids):
        base = offsets[line - first]
        for span, uid in zip(spans, ids):
            parts.append(text[pos:base + span.start])
            parts.append({"unit": uid})
            pos = base + span.end
    parts.append(text[pos:])
    return [p for p in parts if p != ""]


def build_export(project: "Project", analysis: "ProjectAnalysis", name: str, lang: str) -> Export:
    chapter = translatable.find(project, name)  # (a chapter or a case study: translatable.py)
    states = chapter.states
    state = states[lang]
    source_lang = state.source_lang
    src_pb = page_blocks(translatable.analysed(project, analysis, chapter, source_lang))
    tr_pb = page_blocks(translatable.analysed(project, analysis, chapter, lang))
    src_items, tr_items = _items(src_pb), _items(tr_pb)
    src_spans = [unit_spans(t) for _l, _e, t, _lb in src_items]
    tr_spans = [unit_spans(t) for _l, _e, t, _lb in tr_items]
    parity = analysis.parity.get((name, lang))
    if parity is None and (chapter.casestudy is not None or chapter.included):  # (compared here)
        parity = ChapterParity(name, source_lang, lang, src_pb, tr_pb)
        compare(parity, Problems(project.root))
    # Which translation item answers each source item: by the parity alignment of blocks, the
    # footnote texts in order.
    counterpart: dict[int, int] = {}
    line_of_src = {it[0]: k for k, it in enumerate(src_items)}
    line_of_tr = {it[0]: k for k, it in enumerate(tr_items)}
    if parity is not None:
        for pair in parity.pairs:
            if pair.source is not None and pair.translation is not None and pair.source.text and pair.translation.text:
                a, b = line_of_src.get(pair.source.line), line_of_tr.get(pair.translation.line)
                if a is not None and b is not None:
                    counterpart[a] = b
    notes_s = [k for k, it in enumerate(src_items) if it[3] == "footnote"]
    notes_t = [k for k, it in enumerate(tr_items) if it[3] == "footnote"]
    for a, b in zip(notes_s, notes_t):
        counterpart[a] = b
    matching = {a: b for a, b in counterpart.items() if len(src_spans[a]) == len(tr_spans[b])}
    one_to_one = (len(src_items) == len(tr_items) and len(matching) == len(src_items)
                  and sorted(matching.values()) == list(range(len(tr_items))))

    drift = _drift_state(project, chapter, lang, state, src_pb)
    export = Export(name, lang)
    unit_ids: list[list[str]] = []
    for k, (line, _end, text, label) in enumerate(src_items):
        ids = []
        b = matching.get(k)
        status, old = drift.get(line, ("translated", "")) if state.state is not State.UNTRACKED else \
            ("needs-review-translation", "")
        for n, span in enumerate(src_spans[k], start=1):
            uid = f"b{k + 1}" + (f"-{n}" if len(src_spans[k]) > 1 else "")
            ids.append(uid)
            target = None
            if b is not None:
                t_span = tr_spans[b][n - 1]
                target = tr_items[b][2][t_span.start:t_span.end]
            unit_state = "new" if target is None else status
            note = f"The source changed since the translation; it said: {old}" if old and target is not None else ""
            export.units.append(Unit(uid, span.kind, label, text[span.start:span.end], target, unit_state, note))
        unit_ids.append(ids)
    if one_to_one:
        order = [matching[k] for k in range(len(src_items))]
        page = chapter.texts[lang]
        lines, _nl = _body(page.path, page.body_line)
        items = [tr_items[b] for b in order]
        spans = [tr_spans[b] for b in order]
        pairs = sorted(zip(items, spans, unit_ids), key=lambda x: x[0][0])
        export.skeleton = _skeleton(lines, page.body_line, [p[0] for p in pairs], [p[1] for p in pairs],
                                    [p[2] for p in pairs])
    else:
        page = chapter.texts[source_lang]
        lines, _nl = _body(page.path, page.body_line)
        export.skeleton = _skeleton(lines, page.body_line, src_items, src_spans, unit_ids)
        kept = set(matching.values())
        for b, item in enumerate(tr_items):
            if b not in kept:
                export.warnings.append(f"{project.problems.relative(chapter.texts[lang].path)}:{item[0]}: {item[3]} "
                                       f"has no counterpart in docs/{source_lang}/{name}: the import will leave "
                                       "it out (the page takes the source's structure)")
    return export


def _drift_state(project, chapter, lang, state, src_pb: PageBlocks) -> dict[int, tuple[str, str]]:
    """Source line -> (unit state, former text) for the blocks that changed since the record."""
    if state.state is State.CURRENT:
        return {}
    recorded = read_record(project, lang, chapter.name, state.recorded)
    current = source_blocks(src_pb)
    if recorded is None:  # stale, and nothing says which blocks changed: review them all
        return {b.line: ("needs-review-translation", "") for b in current}
    out = {}
    for change in changes(recorded, current):
        if change.kind == "changed":
            out[change.line] = ("needs-review-translation", change.old)
        elif change.kind == "added":
            out[change.line] = ("needs-review-translation", "")
    return out


def _body_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fill(parent: etree._Element, parts: list[str | Code]) -> None:
    """Text and inline codes into a <source> or <target>."""
    last = None
    for part in parts:
        if isinstance(part, str):
            if last is None:
                parent.text = (parent.text or "") + part
            else:
                last.tail = (last.tail or "") + part
            continue
        attrs = {"id": str(part.pair)}
        if part.kind in ("ph", "bpt"):
            attrs["ctype"] = part.ctype
        last = etree.SubElement(parent, _X + part.kind, attrs)
        last.text = part.native


def _target_parts(source_parts: list[str | Code], target: str) -> list[str | Code]:
    """The target cut into text and codes, the codes numbered as in the source."""
    parts = inline_codes(target)
    by_native: dict[tuple[str, str], list[Code]] = {}
    for code in source_parts:
        if isinstance(code, Code):
            by_native.setdefault((code.kind, code.native), []).append(code)
    pairs: dict[int, int] = {}
    out: list[str | Code] = []
    for part in parts:
        if isinstance(part, Code):
            if part.kind == "ept" and part.pair in pairs:
                out.append(Code("ept", part.native, pairs[part.pair], part.ctype))
                continue
            queue = by_native.get((part.kind, part.native))
            if queue:
                match = queue.pop(0)
                pairs[part.pair] = match.pair
                out.append(Code(part.kind, part.native, match.pair, match.ctype))
                continue
            # markup of the translation that the source has not: it stays text for the translator
            out.append(part.native)
            continue
        out.append(part)
    return out


def write_export(project: "Project", export: Export, path: Path) -> None:
    chapter = translatable.find(project, export.chapter)
    state = chapter.states[export.lang]
    source = chapter.texts[state.source_lang]
    page = chapter.texts[export.lang]
    lines, _nl = _body(page.path, page.body_line)
    skeleton = {
        "format": SKELETON_FORMAT,
        "page": export.chapter,
        "lang": export.lang,
        "source_lang": state.source_lang,
        "source_hash": source_hash(source.body),
        "page_body_hash": _body_hash("\n".join(lines[page.body_line - 1:])),
        "parts": export.skeleton,
    }
    root = etree.Element(_X + "xliff", nsmap={None: NS}, version="1.2")
    file_ = etree.SubElement(root, _X + "file", {
        "original": project.problems.relative(source.path), "source-language": state.source_lang,
        "target-language": export.lang, "datatype": "x-markdown", "tool-id": "wcoreport"})
    header = etree.SubElement(file_, _X + "header")
    skl = etree.SubElement(header, _X + "skl")
    internal = etree.SubElement(skl, _X + "internal-file", form="application/json")
    internal.text = json.dumps(skeleton, ensure_ascii=False)
    etree.SubElement(header, _X + "tool", {"tool-id": "wcoreport", "tool-name": "wcoreport"})
    body = etree.SubElement(file_, _X + "body")
    for unit in export.units:
        tu = etree.SubElement(body, _X + "trans-unit", {"id": unit.id, "resname": unit.label[:200],
                                                        "restype": f"x-{unit.kind}"})
        tu.set(f"{{{XML_NS}}}space", "preserve")
        if unit.state == "translated":
            tu.set("approved", "yes")
        src_parts = inline_codes(unit.source)
        src = etree.SubElement(tu, _X + "source")
        src.set(f"{{{XML_NS}}}lang", state.source_lang)
        _fill(src, src_parts)
        if unit.target is not None:
            tgt = etree.SubElement(tu, _X + "target", state=unit.state)
            tgt.set(f"{{{XML_NS}}}lang", export.lang)
            _fill(tgt, _target_parts(src_parts, unit.target))
        if unit.note:
            note = etree.SubElement(tu, _X + "note", {"from": "wcoreport"})
            note.text = unit.note
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=False)
    with atomic_write(path) as tmp:
        tmp.write_bytes(data)


def export_language(project: "Project", analysis: "ProjectAnalysis", lang: str, out: Path) -> tuple[list[Path], list[str]]:
    """One XLIFF file per translated chapter and case study of `lang` (a case study's in
    OUT/<lang>/casestudies/); the files and the warnings."""
    written, warnings = [], []
    for chapter in translatable.every(project) + translatable.included(project, analysis):
        if lang not in chapter.texts:
            continue
        state = chapter.states[lang]
        if state.state is State.SOURCE or (chapter.casestudy is None and not chapter.included and (
                analysis.page(lang, chapter.name) is None or analysis.page(state.source_lang, chapter.name) is None)):
            continue
        export = build_export(project, analysis, chapter.name, lang)
        path = out / lang / (chapter.name[:-3] + ".xlf")
        try:
            write_export(project, export, path)
        except ValueError as exc:  # a character XML cannot hold
            raise ExchangeError(f"{project.problems.relative(chapter.texts[lang].path)}: cannot be written as "
                                f"XLIFF: {exc}") from None
        written.append(path)
        warnings += export.warnings
    return written, warnings


# --- import -------------------------------------------------------------------------------
@dataclass
class Imported:
    path: Path  # the page written
    text: str  # its new content
    complete: bool  # every unit translated and the source unchanged since the export
    untranslated: int
    source_changed: bool
    xliff: Path = Path()  # the file it comes from
    chapter: str = ""
    lang: str = ""
    body: str = ""  # the new text after the front matter (which the import keeps), with "\n"
    body_line: int = 1
    units: list[tuple[int, int, str]] = field(default_factory=list)  # (first line, last line, unit id)
    state: State = State.CURRENT  # the page's translation state before the import

    def unit_at(self, line: int) -> str | None:
        """The id of the unit written at a line of the new page (None: the layout around them)."""
        return next((uid for first, last, uid in self.units if first <= line <= last), None)


def _parse(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        return etree.parse(str(path), parser)
    except (OSError, etree.XMLSyntaxError) as exc:
        raise ExchangeError(f"{path}: not a readable XML file: {exc}") from None


def _content(element: etree._Element, where: str,
             plain: list[str] | None = None) -> tuple[str, list[tuple[str, str, str]]]:
    """The Markdown of a <source>/<target>, and its codes as (kind, id, native); the pieces
    of text between the codes (what the translator typed) are added to `plain`."""
    plain = [] if plain is None else plain
    text = [element.text or ""]
    plain.append(element.text or "")
    codes: list[tuple[str, str, str]] = []
    for child in element:
        tag = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if tag in ("ph", "bpt", "ept", "it"):
            native = "".join(child.itertext())
            codes.append((tag, child.get("id", ""), native))
            text.append(native)
        elif tag in ("mrk", "g"):  # a tool's own marks around text: their text counts
            inner, inner_codes = _content(child, where, plain)
            text.append(inner)
            codes += inner_codes
        elif tag == "x":
            raise ExchangeError(f"{where}: an empty code <x id=\"{child.get('id')}\"/> stands where the source has "
                                "markup it does not hold: the code was altered")
        elif isinstance(child.tag, str):
            raise ExchangeError(f"{where}: unexpected <{tag}> in the text")
        text.append(child.tail or "")
        plain.append(child.tail or "")
    return "".join(text), codes


def read_import(project: "Project", path: Path) -> Imported:
    """Check one XLIFF file against its page; the page's new text (nothing is written here)."""
    tree = _parse(path)
    name = project.problems.relative(path)
    root = tree.getroot()
    if etree.QName(root).namespace != NS or root.get("version") != "1.2":
        raise ExchangeError(f"{name}: not an XLIFF 1.2 file (made by 'build_report.py xliff export')")
    files = root.findall(_X + "file")
    if len(files) != 1:
        raise ExchangeError(f"{name}: expected one <file>, found {len(files)}")
    internal = files[0].find(f"{_X}header/{_X}skl/{_X}internal-file")
    try:
        skeleton = json.loads(internal.text if internal is not None else "")
        page_name, lang, parts = skeleton["page"], skeleton["lang"], skeleton["parts"]
        assert skeleton["format"] == SKELETON_FORMAT and isinstance(parts, list)
    except (ValueError, KeyError, TypeError, AssertionError):
        raise ExchangeError(f"{name}: its skeleton (<skl>) is missing or damaged: export the chapter again") from None
    chapter = translatable.find(project, page_name) if isinstance(page_name, str) else None
    if chapter is None or lang not in chapter.texts:
        raise ExchangeError(f"{name}: {page_name} in '{lang}' is not a chapter of the nav nor a case study")
    page = chapter.texts[lang]
    lines, newline = _body(page.path, page.body_line)
    if _body_hash("\n".join(lines[page.body_line - 1:])) != skeleton.get("page_body_hash"):
        raise ExchangeError(f"{name}: {project.problems.relative(page.path)} was edited after the export: its "
                            "edits would be lost; export the chapter again and carry them over")
    units: dict[str, tuple[str, str | None]] = {}
    untranslated = 0
    refused: list[str] = []  # one line a damaged unit: all are said, then nothing is written
    for tu in files[0].iter(_X + "trans-unit"):
        try:
            untranslated += _read_unit(tu, name, units)
        except ExchangeError as exc:
            refused.append(str(exc))
    if refused:
        raise ExchangeError("\n".join(refused))
    out = []
    placed: list[tuple[int, int, str]] = []  # each unit's lines in the new page (first, last, id)
    line = page.body_line
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            line += part.count("\n")
            continue
        uid = part.get("unit") if isinstance(part, dict) else None
        if uid not in units:
            raise ExchangeError(f"{name}: unit '{uid}' is missing (the file has lost a unit): nothing was written")
        src_text, tgt_text = units[uid]
        written = tgt_text if tgt_text is not None else src_text
        out.append(written)
        placed.append((line, line + written.count("\n"), uid))
        line += written.count("\n")
    front = "\n".join(lines[:page.body_line - 1])
    text = (front + "\n" if front or page.body_line > 1 else "") + "".join(out)
    source = chapter.texts[source_lang_of(skeleton, chapter, project)]
    changed = source_hash(source.body) != skeleton.get("source_hash")
    state = chapter.states[lang].state
    bom = "\ufeff" if page.path.read_bytes().startswith(b"\xef\xbb\xbf") else ""  # (kept as it was)
    return Imported(page.path, bom + text.replace("\n", newline), untranslated == 0 and not changed, untranslated, changed,
                    path, page_name, lang, "".join(out), page.body_line, placed, state)


def _read_unit(tu: etree._Element, name: str, units: dict[str, tuple[str, str | None]]) -> int:
    """One <trans-unit> checked, into `units`; 1 if it is not translated yet, else 0."""
    uid = tu.get("id", "")
    where = f"{name}: unit '{uid}'"
    source = tu.find(_X + "source")
    target = tu.find(_X + "target")
    if source is None:
        raise ExchangeError(f"{where}: no <source>")
    src_text, src_codes = _content(source, where)
    if target is None or (not len(target) and not (target.text or "").strip()):
        units[uid] = (src_text, None)
        return 1
    typed: list[str] = []
    tgt_text, tgt_codes = _content(target, where, typed)
    _same_codes(where, src_codes, tgt_codes)
    _no_typed_markup(where, typed)
    units[uid] = (src_text, tgt_text)
    return int(target.get("state", "translated" if tu.get("approved") == "yes" else "") not in DONE)


def source_lang_of(skeleton: dict, chapter, project) -> str:
    lang = skeleton.get("source_lang")
    return lang if lang in chapter.texts else project.languages[0]


def _no_typed_markup(where: str, typed: list[str]) -> None:
    """What the translator typed between the codes is text: Markdown typed there (a citation,
    a link, an id, a directive, raw HTML) would reach the page unprotected and unchecked
    against the source — the round trip of a tool that re-types a code as text (TOOLCHAIN.md)."""
    text = OBJECT.join(typed)  # (a code's place: a link cannot be made across it)
    html = RAW_HTML.search(text)
    if html:
        raise ExchangeError(f"{where}: raw HTML typed in the translation ({html.group(0)!r}): a CAT tool must "
                            "carry the codes of the source, not re-type markup")
    parts = inline_codes(text)
    for k, part in enumerate(parts):
        if isinstance(part, Code) and (part.kind == "ph" or part.ctype in ("link", "image")):
            what = {"x-citation": "a citation", "x-footnote-reference": "a footnote reference",
                    "x-directive": "a directive", "x-attributes": "an id or attribute", "x-code": "code",
                    "x-reference": "a cross-reference", "link": "a link", "image": "an image"}.get(part.ctype, "markup")
            typed = part.native
            if part.kind == "bpt":  # the whole link, to its closing half
                end = next(j for j in range(k + 1, len(parts))
                           if isinstance(parts[j], Code) and parts[j].kind == "ept" and parts[j].pair == part.pair)
                typed = joined(parts[k:end + 1])
            raise ExchangeError(f"{where}: {what} typed as text in the translation "
                                f"({typed.replace(OBJECT, '<tag>')!r}): a CAT tool must carry the codes of the "
                                "source, not re-type them; keep the tag and remove the typed text")


OBJECT = "\ufffc"
RAW_HTML = re.compile(r"<(?:[A-Za-z][\w:-]*|/[A-Za-z][\w:-]*|!--)[^<>]*>?")


def _same_codes(where: str, source: list[tuple[str, str, str]], target: list[tuple[str, str, str]]) -> None:
    """The target holds the source's codes, each unchanged (in any order), and nothing else."""
    want, have = Counter(source), Counter(target)
    if want == have:
        opened: set[str] = set()
        for kind, ident, _native in target:
            if kind == "bpt":
                opened.add(ident)
            elif kind == "ept" and ident not in opened:
                raise ExchangeError(f"{where}: the closing code {ident} comes before its opening code")
        return
    lost = want - have
    extra = have - want
    if lost:
        kind, ident, native = next(iter(lost))
        by_id = next((c for c in extra if c[1] == ident and c[0] == kind), None)
        if by_id is not None:
            raise ExchangeError(f"{where}: the protected code {ident} was altered ({native!r} became {by_id[2]!r})")
        raise ExchangeError(f"{where}: the protected code {ident} ({native!r}) was lost")
    kind, ident, native = next(iter(extra))
    raise ExchangeError(f"{where}: a code {ident} ({native!r}) that the source has not")


def import_files(project: "Project", paths: list[Path]) -> list[tuple[Imported, str]]:
    """Check every file first; then write every page, and mark current the complete ones.
    Returns each page with what was done."""
    imports = [read_import(project, path) for path in paths]  # raises before anything is written
    seen: dict[Path, int] = Counter(i.path for i in imports)
    twice = [p for p, n in seen.items() if n > 1]
    if twice:
        raise ExchangeError(f"{project.problems.relative(twice[0])}: given twice: import one file per page")
    refused = check_imports(project, imports)  # what `check` would refuse in the pages, before any is written
    if refused:
        raise ExchangeError("\n".join(refused))
    done = []
    for imported in imports:
        current = imported.path.read_bytes()
        new = imported.text.encode("utf-8")
        if new != current:
            with atomic_write(imported.path) as tmp:
                tmp.write_bytes(new)
        if imported.complete:
            try:
                mark_translated(project, imported.path, structure_checked=True)
                what = "written, marked current"
            except MarkError as exc:
                what = f"written; not marked current: {exc}"
        elif imported.source_changed:
            what = "written; not marked current: its source changed since the export"
        else:
            what = f"written; not marked current: {imported.untranslated} unit(s) not translated yet"
        done.append((imported, what))
    return done
