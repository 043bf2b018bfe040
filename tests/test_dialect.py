"""markdown/dialect.py: the project's Markdown dialect turned into pandoc's Markdown, each output
line mapped back to the file and line it came from, every refusal a `path:line` problem.

One scratch copy of the repository is loaded once (with a data table and a case-study text of
our own, so that expected values do not follow the report's content); each test writes its
pages into a folder of its own under docs/en/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import copy_repo
from wcoreport.sources.diagnostics import Problems
from wcoreport.markdown.dialect import (MAX_INCLUDE_DEPTH, MAX_INCLUDES, MAX_LINE, MAX_NESTING, Expanded,
                                        expand_casestudy, expand_page)
from wcoreport.sources.project import Project, load_project

DIV = ":" * 12  # the fence of the Divs the dialect writes

VALUES_TABLE = """\
title: {en: Test values, fr: Valeurs de test}
columns:
  - id: key
    type: id
    label: {en: Key, fr: Clé}
  - id: count
    type: integer
    label: {en: Count, fr: Nombre}
  - id: share
    type: percent
    label: {en: Share, fr: Part}
  - id: note
    type: text
    optional: true
    label: {en: Note, fr: Note}
rows:
  - key: all
    count: 12345
    share: 38.8
    note: "a *star* and [a link](x) <b>"
  - key: none
    count: 1
    share: 2
"""

CASE_STUDY_TEXT = """\
First paragraph of the Member.

## A heading too high
<span>Kept text</span>
{% include x.md %}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    root = copy_repo(tmp_path_factory.mktemp("dialect") / "repo")
    (root / "data" / "dialect-values.yml").write_text(VALUES_TABLE, "utf-8")
    (root / "casestudies" / "hk-validap" / "en.md").write_text(CASE_STUDY_TEXT, "utf-8")
    loaded = load_project(root)
    assert loaded.problems.errors == []
    return loaded


@pytest.fixture
def docs(project: Project, request) -> Path:
    """A folder of this test's own under docs/en/."""
    folder = project.docs_dir / "en" / re.sub(r"\W", "-", request.node.name)
    folder.mkdir()
    return folder


def write(folder: Path, **files: str) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


def expand(project: Project, page: Path, body: str | None = None, first_line: int = 1,
           lang: str = "en") -> tuple[Expanded, list[str]]:
    """Expand `page` (its text, or `body` given as the text after its front matter)."""
    problems = Problems(project.root)
    text = page.read_text("utf-8") if body is None else body
    out = expand_page(project, lang, text, page, first_line, problems)
    assert len(out.lines) == len(out.origin)
    return out, [str(p) for p in problems.items]


def mapped(project: Project, out: Expanded) -> list[tuple[str, int, str]]:
    """Each output line as (file relative to the root, line, text)."""
    return [(path.relative_to(project.root).as_posix() if path.is_absolute() else str(path), line, text)
            for text, (path, line) in zip(out.lines, out.origin)]


def assert_true_origins(out: Expanded) -> None:
    """Every output line that is text of a source (not a line the dialect wrote) is, once its
    indentation is removed, the very line its map points to; a title is in its head line."""
    for n, (text, (path, line)) in enumerate(zip(out.lines, out.origin)):
        if not text.strip() or text.lstrip().startswith(DIV):
            continue
        source = path.read_text("utf-8").split("\n")
        assert 1 <= line <= len(source), f"{path}:{line} does not exist"
        if out.lines[n - 1].endswith("{.admonition-title}"):
            assert f'"{text.strip()}"' in source[line - 1], f"title {text!r} mapped to {path.name}:{line}"
        else:
            assert source[line - 1].strip() == text.strip(), f"{text!r} mapped to {path.name}:{line} {source[line - 1]!r}"


# --- admonitions and tabs ------------------------------------------------------------------------

def test_admonition_becomes_a_titled_div_mapped_to_its_lines(project, docs):
    page = docs / "page.md"
    # Front matter of 3 lines: the body starts on line 4 of the file.
    write(docs, **{"page.md": '---\ntitle: T\n---\nIntro\n\n!!! note "A *title*"\n    Inside\n\n    more\n\nAfter\n'})
    body = page.read_text("utf-8").split("---\n", 2)[2]
    out, problems = expand(project, page, body, first_line=4)
    assert problems == []
    where = docs.relative_to(project.root).as_posix() + "/page.md"
    assert mapped(project, out) == [
        (where, 4, "Intro"),
        (where, 5, ""),
        (where, 6, ""),
        (where, 6, f"{DIV} {{.admonition .note}}"),
        (where, 6, f"{DIV} {{.admonition-title}}"),
        (where, 6, "A *title*"),
        (where, 6, DIV),
        (where, 6, ""),
        (where, 7, "Inside"),
        (where, 8, ""),
        (where, 9, "more"),
        (where, 9, ""),
        (where, 9, DIV),
        (where, 9, ""),
        (where, 10, ""),
        (where, 11, "After"),
        (where, 12, ""),
    ]
    assert_true_origins(out)


def test_collapsible_and_untitled_admonitions(project, docs):
    write(docs, **{"page.md": '??? warning "Closed"\n    a\n\n???+ tip\n    b\n'})
    out, problems = expand(project, docs / "page.md")
    assert problems == []
    heads = [line for line in out.lines if line.startswith(DIV + " {")]
    assert heads == [f"{DIV} {{.admonition .warning .collapsible}}", f"{DIV} {{.admonition-title}}",
                     f"{DIV} {{.admonition .tip .collapsible}}"]
    assert "Closed" in out.lines and "b" in out.lines


def test_nested_admonitions_keep_their_lines(project, docs):
    write(docs, **{"page.md": '!!! note "Outer"\n    outer text\n\n    !!! danger "Inner"\n        inner text\n'})
    out, problems = expand(project, docs / "page.md")
    assert problems == []
    assert (out.lines[out.lines.index("inner text")], out.origin[out.lines.index("inner text")][1]) == ("inner text", 5)
    assert out.lines.count(DIV) == 4  # two titles, two boxes closed
    assert f"{DIV} {{.admonition .danger}}" in out.lines
    assert_true_origins(out)


def test_admonition_mistakes_are_named_at_their_line(project, docs):
    write(docs, **{"page.md": 'Text\n\n!!! notice "X"\n    a\n\n!!! note "Empty"\n\nNext\n\n!!! note Title without quotes\n'})
    out, problems = expand(project, docs / "page.md")
    where = docs.relative_to(project.root).as_posix() + "/page.md"
    kinds = "abstract, bug, danger, example, failure, info, note, question, quote, success, tip, warning"
    assert problems == [
        f"{where}:3: error: unknown admonition type 'notice' (use one of: {kinds})",
        f"{where}:6: error: the admonition has no text: indent its text by 4 spaces",
        f"{where}:10: error: an admonition starts with a line like: !!! note \"Title\" (kinds: {kinds})",
    ]
    assert not any("!!!" in line for line in out.lines)  # never handed on as text


def test_tabs_become_one_titled_div_each(project, docs):
    write(docs, **{"page.md": 'Before\n\n=== "One"\n    first\n\n=== "Two"\n    second\nafter\n'})
    out, problems = expand(project, docs / "page.md")
    assert problems == []
    assert [(line, n) for line, (_, n) in zip(out.lines, out.origin) if line.strip()] == [
        ("Before", 1),
        (f"{DIV} {{.admonition .tab}}", 3), (f"{DIV} {{.admonition-title}}", 3), ("One", 3), (DIV, 3),
        ("first", 4), (DIV, 4),
        (f"{DIV} {{.admonition .tab}}", 6), (f"{DIV} {{.admonition-title}}", 6), ("Two", 6), (DIV, 6),
        ("second", 7), (DIV, 7),
        ("after", 8),
    ]
    assert_true_origins(out)


# --- abbreviations -------------------------------------------------------------------------------

def test_abbreviations_are_collected_with_their_line_and_removed_from_the_text(project, docs):
    write(docs, **{"page.md": "*[WCO]: World Customs Organization\n\nThe WCO.\n*[WCO]: World Customs Organization\n"
                              "*[WCO]: Something else\n*[AI]:\n"})
    out, problems = expand(project, docs / "page.md")
    where = docs.relative_to(project.root).as_posix() + "/page.md"
    assert problems == [f"{where}:5: error: abbreviation 'WCO' is already defined differently at {where}:1",
                        f"{where}:6: error: abbreviation 'AI' has no definition: *[AI]: Full name"]
    assert out.abbreviations == {"WCO": ("World Customs Organization", docs / "page.md", 1)}
    assert out.lines == ["", "", "The WCO.", "", "", "", ""]  # each definition line left blank


def test_abbreviation_defined_differently_in_an_include_names_both_files(project, docs):
    write(docs, **{"page.md": "*[NCP]: National Contact Point\n{% include _more.md %}\n",
                   "_more.md": "text\n*[NCP]: National Customs Portal\n"})
    _, problems = expand(project, docs / "page.md")
    folder = docs.relative_to(project.root).as_posix()
    assert problems == [f"{folder}/_more.md:2: error: abbreviation 'NCP' is already defined differently at "
                        f"{folder}/page.md:1"]


# --- includes ------------------------------------------------------------------------------------

def test_include_lines_map_to_the_included_file(project, docs):
    write(docs, **{"page.md": "A\n{% include parts/_inc.md %}\nB\n",
                   "parts/_inc.md": "inc one\n{% include _deeper.md %}\ninc three\n",
                   "parts/_deeper.md": "deep\n"})
    out, problems = expand(project, docs / "page.md")
    assert problems == []
    folder = docs.relative_to(project.root).as_posix()
    assert [(f, n, t) for f, n, t in mapped(project, out) if t] == [
        (f"{folder}/page.md", 1, "A"),
        (f"{folder}/parts/_inc.md", 1, "inc one"),
        (f"{folder}/parts/_deeper.md", 1, "deep"),  # relative to the file that includes it
        (f"{folder}/parts/_inc.md", 3, "inc three"),
        (f"{folder}/page.md", 3, "B"),
    ]
    assert out.includes == [(docs / "parts" / "_inc.md").resolve(), (docs / "parts" / "_deeper.md").resolve()]
    assert_true_origins(out)


def test_include_inside_an_admonition_is_indented_with_it(project, docs):
    write(docs, **{"page.md": '- item\n\n    !!! note "N"\n        {% include _inc.md %}\n', "_inc.md": "included\n"})
    out, problems = expand(project, docs / "page.md")
    assert problems == []
    i = out.lines.index("    included")
    assert out.origin[i] == ((docs / "_inc.md").resolve(), 1)


def test_include_cycle_is_named_with_its_chain(project, docs):
    write(docs, **{"page.md": "{% include _a.md %}\n", "_a.md": "a\n{% include _b.md %}\n", "_b.md": "b\n{% include _a.md %}\n"})
    out, problems = expand(project, docs / "page.md")
    folder = docs.relative_to(project.root).as_posix()
    assert problems == [f"{folder}/_b.md:2: error: include cycle: {folder}/page.md -> {folder}/_a.md -> "
                        f"{folder}/_b.md -> {folder}/_a.md"]
    assert [t for t in out.lines if t] == ["a", "b"]


def test_a_page_including_itself(project, docs):
    write(docs, **{"page.md": "x\n{% include page.md %}\n"})
    _, problems = expand(project, docs / "page.md")
    folder = docs.relative_to(project.root).as_posix()
    assert problems == [f"{folder}/page.md:2: error: include cycle: {folder}/page.md -> {folder}/page.md"]


def test_includes_nested_too_deep(project, docs):
    files = {f"_{i}.md": f"level {i}\n{{% include _{i + 1}.md %}}\n" for i in range(MAX_INCLUDE_DEPTH + 2)}
    write(docs, **{"page.md": "{% include _0.md %}\n"}, **files)
    out, problems = expand(project, docs / "page.md")
    folder = docs.relative_to(project.root).as_posix()
    # The page and MAX_INCLUDE_DEPTH included files: the next include is refused where it is written.
    assert problems == [f"{folder}/_{MAX_INCLUDE_DEPTH - 1}.md:2: error: includes nested more than "
                        f"{MAX_INCLUDE_DEPTH} levels deep"]
    assert [t for t in out.lines if t] == [f"level {i}" for i in range(MAX_INCLUDE_DEPTH)]


def test_too_many_includes_in_one_page_is_said_once(project, docs):
    write(docs, **{"page.md": "{% include _x.md %}\n" * (MAX_INCLUDES + 5), "_x.md": "x\n"})
    out, problems = expand(project, docs / "page.md")
    folder = docs.relative_to(project.root).as_posix()
    assert problems == [f"{folder}/page.md:{MAX_INCLUDES + 1}: error: more than {MAX_INCLUDES} includes in one page"]
    assert out.lines.count("x") == MAX_INCLUDES


@pytest.mark.parametrize("target, message", [
    ("../../fr/index.md", "include '../../fr/index.md' points outside docs/en/: refused"),
    ("../../../report.yml", "include '../../../report.yml' points outside docs/en/: refused"),
    ("/etc/passwd", "include '/etc/passwd' points outside docs/en/: refused"),
    ("_missing.md", "include '_missing.md': file not found"),
    ('"two words.md" extra', "directive 'include' takes one argument, e.g. {% include ID %}"),
    ('"unbalanced.md', "directive 'include': unbalanced quotes"),
])
def test_include_refusals(project, docs, target, message):
    write(docs, **{"page.md": f"text\n\n{{% include {target} %}}\n"})
    out, problems = expand(project, docs / "page.md")
    folder = docs.relative_to(project.root).as_posix()
    assert problems == [f"{folder}/page.md:3: error: {message}"]
    assert out.includes == []


def test_include_through_a_link_to_outside_is_refused(project, docs, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("secret text\n", "utf-8")
    (docs / "_link.md").symlink_to(secret)
    write(docs, **{"page.md": "{% include _link.md %}\n"})
    out, problems = expand(project, docs / "page.md")
    folder = docs.relative_to(project.root).as_posix()
    assert problems == [f"{folder}/page.md:1: error: include '_link.md' points outside docs/en/: refused"]
    assert "secret text" not in out.lines


def test_included_file_with_front_matter_or_bad_bytes(project, docs):
    write(docs, **{"page.md": "{% include _fm.md %}\n{% include _latin.md %}\n", "_fm.md": "---\ntitle: x\n---\ntext\n"})
    (docs / "_latin.md").write_bytes(b"ok\ncaf\xe9\n")
    out, problems = expand(project, docs / "page.md")
    folder = docs.relative_to(project.root).as_posix()
    assert problems == [f"{folder}/_fm.md:1: error: an included file has no front matter",
                        f"{folder}/_latin.md:2: error: not UTF-8 text (byte 0xe9); save the file as UTF-8"]
    assert [t for t in out.lines if t] == []


# --- directives ----------------------------------------------------------------------------------

def test_block_directives_become_empty_divs_for_the_writers(project, docs):
    write(docs, **{"page.md": "{% bibliography %}\n{% abbreviations %}\n{% casestudies %}\n"
                              "{% table dialect-values %}\n{% chart survey-participation %}\n"})
    out, problems = expand(project, docs / "page.md")
    assert problems == []
    heads = [(line, n) for line, (_, n) in zip(out.lines, out.origin) if line.startswith(DIV + " {")]
    assert heads == [(f"{DIV} {{.wco-bibliography}}", 1), (f"{DIV} {{.wco-abbreviations}}", 2),
                     (f"{DIV} {{.wco-casestudies}}", 3),
                     (f'{DIV} {{.wco-datatable data-table="dialect-values"}}', 4),
                     (f'{DIV} {{.wco-chart data-chart="survey-participation"}}', 5)]
    assert out.lines.count(DIV) == 5


def test_directive_mistakes(project, docs):
    write(docs, **{"page.md": "{% toc %}\n{% bibliography refs %}\n{% casestudy %}\n{% table nope %}\n"
                              "{% chart nope %}\nText {% include x.md %}\n{% casestudy no-such-study %}\n"})
    _, problems = expand(project, docs / "page.md")
    at = docs.relative_to(project.root).as_posix() + "/page.md"
    tables = ", ".join(sorted(project.tables))
    charts = ", ".join(sorted(project.charts))
    assert problems == [
        f"{at}:1: error: unknown directive 'toc' (known: abbreviations, bibliography, casestudies, casestudy, "
        "chart, include, table)",
        f"{at}:2: error: directive 'bibliography' takes no argument",
        f"{at}:3: error: directive 'casestudy' takes one argument, e.g. {{% casestudy ID %}}",
        f"{at}:4: error: unknown data table 'nope' (tables of data/: {tables})",
        f"{at}:5: error: unknown chart 'nope' (charts of data/charts/: {charts})",
        f"{at}:6: error: a directive '{{% ... %}}' must stand alone on its line and end with '%}}'",
        f"{at}:7: error: unknown case study 'no-such-study' (no folder casestudies/no-such-study/)",
    ]


def test_casestudy_box_maps_the_members_text_to_its_own_file(project, docs):
    write(docs, **{"page.md": "Before\n\n{% casestudy hk-validap %}\n"})
    out, problems = expand(project, docs / "page.md")
    text_file = "casestudies/hk-validap/en.md"
    # The Member's text is untrusted: no directive, no heading above level 3, no HTML (dropped).
    assert problems == [f"{text_file}:3: error: headings in a case study start at level 3 ('### ')",
                        f"{text_file}:4: warning: HTML in a case study is not shown: its tags are dropped, its text kept",
                        f"{text_file}:5: error: directives are not allowed in case-study text"]
    page = docs.relative_to(project.root).as_posix() + "/page.md"
    assert [(f, n, t) for f, n, t in mapped(project, out) if t] == [
        (page, 1, "Before"),
        (page, 3, f'{DIV} {{#casestudy-hk-validap .casestudy data-casestudy="hk-validap"}}'),
        (page, 3, f"{DIV} {{.casestudy-title}}"), (page, 3, DIV),
        (page, 3, f"{DIV} {{.casestudy-member}}"), (page, 3, DIV),
        (text_file, 1, "First paragraph of the Member."),
        (text_file, 3, "## A heading too high"),
        (text_file, 4, "Kept text"),
        (page, 3, DIV),
    ]
    assert out.includes == []


def test_expand_casestudy_alone(project):
    problems = Problems(project.root)
    out = expand_casestudy(project, "en", "hk-validap", problems)
    assert out.origin[0] == (project.root / "casestudies/hk-validap/en.md", 0)  # the box: no line of its own
    assert ("First paragraph of the Member.", (project.root / "casestudies/hk-validap/en.md", 1)) in zip(out.lines, out.origin)
    assert [p.line for p in problems.errors] == [3, 5]


# --- values from data/ ---------------------------------------------------------------------------

def test_values_from_data_formatted_for_the_language(project, docs):
    write(docs, **{"page.md": "In all: {{ dialect-values.all.count }} ({{dialect-values.all.share}}).\n"})
    out_en, problems_en = expand(project, docs / "page.md")
    out_fr, problems_fr = expand(project, docs / "page.md", lang="fr")
    assert problems_en == problems_fr == []
    assert out_en.lines[0] == "In all: 12,345 (38.8%)."
    assert out_fr.lines[0] == "In all: 12\u202f345 (38,8\u00a0%)."


def test_a_value_is_text_never_markup(project, docs):
    write(docs, **{"page.md": "Note: {{ dialect-values.all.note }}\n"})
    out, problems = expand(project, docs / "page.md")
    assert problems == []
    assert out.lines[0] == r"Note: a \*star\* and \[a link\](x) \<b\>"


def test_references_in_code_are_left_alone(project, docs):
    write(docs, **{"page.md": "Write `{{ dialect-values.all.count }}` to get {{ dialect-values.none.count }}.\n"})
    out, problems = expand(project, docs / "page.md")
    assert problems == []
    assert out.lines[0] == "Write `{{ dialect-values.all.count }}` to get 1."


def test_value_mistakes_are_named_at_their_line(project, docs):
    write(docs, **{"page.md": "ok\n{{ dialect-values.all.cuont }}\n{{ dialect-values.none.note }}\n"
                              "{{ two.parts }}\nopen {{ dialect-values.all.count\n"})
    out, problems = expand(project, docs / "page.md")
    at = docs.relative_to(project.root).as_posix() + "/page.md"
    assert problems == [
        f"{at}:2: error: data reference 'dialect-values.all.cuont': table 'dialect-values' has no column 'cuont' "
        "(did you mean 'count'?)",
        f"{at}:3: error: data reference 'dialect-values.none.note': the cell is empty in table 'dialect-values' "
        "(no value to show)",
        f"{at}:4: error: data reference 'two.parts' must name a table, a row and a column separated by dots, "
        "e.g. {{ survey-2025.mena.participation }}",
        f"{at}:5: error: '{{{{' opens a value from data/ and needs its '}}}}': {{{{ table.row.column }}}}",
    ]
    assert out.lines[1] == r"dialect-values.all.cuont"  # the reference as text, never a half value


# --- code, refused constructs, limits ------------------------------------------------------------

def test_code_fences_keep_their_language_and_lose_material_options(project, docs):
    write(docs, **{"page.md": '``` yaml linenums="1" hl_lines="2"\n!!! note "not an admonition"\n{% include x %}\n```\n'
                              '\n~~~ python title="x.py"\ncode\n~~~\n'})
    out, problems = expand(project, docs / "page.md")
    at = docs.relative_to(project.root).as_posix() + "/page.md"
    assert problems == [f"{at}:6: error: a code block title is not offered: put the file name in the sentence "
                        "before the block"]
    assert out.lines[:4] == ["``` yaml", '!!! note "not an admonition"', "{% include x %}", "```"]
    assert out.lines[5] == "~~~ python"


def test_unclosed_code_fence_is_named_where_it_opens(project, docs):
    write(docs, **{"page.md": "text\n\n```python\ncode\n"})
    out, problems = expand(project, docs / "page.md")
    at = docs.relative_to(project.root).as_posix() + "/page.md"
    assert problems == [f"{at}:3: error: code block opened with ``` is not closed"]
    assert out.lines[-1] == "```"


@pytest.mark.parametrize("line, message", [
    ("--8<-- \"snippet.md\"", "snippets (--8<--) are not offered: use {% include _file.md %}"),
    ("{: .class }", "the attribute line '{: .class }' is not offered: the report cannot show it (an id goes at the "
                    "end of a heading: ## Title {#id})"),
    ("::: warning", "':::' blocks are not offered: use an admonition (!!! note \"Title\")"),
    ("Press ++ctrl+alt++ now", "keyboard keys (++ctrl+alt++) are not offered: write the key names as text"),
    ("A ==highlight== here", "highlighting (==text==) is not offered: use *emphasis*"),
    ("An :material-check: icon", "icons and emoji shortcodes (:material-...:) are not offered: the report cannot "
                                 "show them"),
])
def test_refused_constructs(project, docs, line, message):
    write(docs, **{"page.md": f"fine\n{line}\n"})
    _, problems = expand(project, docs / "page.md")
    at = docs.relative_to(project.root).as_posix() + "/page.md"
    assert problems == [f"{at}:2: error: {message}"]


def test_limits_of_a_line_and_of_nesting(project, docs):
    nested = "> " * (MAX_NESTING + 1) + "deep"
    write(docs, **{"page.md": "ok\n" + "x" * (MAX_LINE + 1) + "\n" + nested + "\n" + "> " * MAX_NESTING + "fine\n"})
    out, problems = expand(project, docs / "page.md")
    at = docs.relative_to(project.root).as_posix() + "/page.md"
    assert problems == [f"{at}:2: error: line longer than {MAX_LINE} characters: break it into paragraphs",
                        f"{at}:3: error: lists or quotes nested more than {MAX_NESTING} levels deep"]
    assert out.lines[:4] == ["ok", "", "", "> " * MAX_NESTING + "fine"]


def test_indented_code_is_verbatim(project, docs):
    write(docs, **{"page.md": 'Para\n\n    !!! note "code"\n    {% nonsense %}\n'})
    out, problems = expand(project, docs / "page.md")
    assert problems == []
    assert out.lines[2:4] == ['    !!! note "code"', "    {% nonsense %}"]


def test_values_and_refusals_apply_to_titles_too(project, docs):
    """A title is a line of Markdown like any other: its values are filled in and Material's
    inline extensions refused (they used to reach readers as typed: '{{ ... }}', '==...==')."""
    write(docs, **{"page.md": '!!! note "In all: {{ dialect-values.all.count }}"\n    text\n\n'
                              '=== "Tab {{ dialect-values.all.share }}"\n    a\n\n'
                              '!!! tip "A ==mark== and {{ dialect-values.all.nope }}"\n    b\n'})
    out, problems = expand(project, docs / "page.md")
    at = docs.relative_to(project.root).as_posix() + "/page.md"
    assert problems == [
        f"{at}:7: error: data reference 'dialect-values.all.nope': table 'dialect-values' has no column 'nope' "
        "(did you mean 'note'?)",
        f"{at}:7: error: highlighting (==text==) is not offered: use *emphasis*",
    ]
    titles = [out.lines[i + 1] for i, line in enumerate(out.lines) if line.endswith("{.admonition-title}")]
    assert titles == ["In all: 12,345", "Tab 38.8%", "A ==mark== and dialect-values.all.nope"]


def test_a_page_too_long_once_expanded_stops_at_the_limit(project, docs, monkeypatch):
    from wcoreport.markdown import dialect

    monkeypatch.setattr(dialect, "MAX_LINES", 50)  # (200 000 real lines would be slow to test)
    write(docs, **{"page.md": "{% include _x.md %}\n" * 10, "_x.md": "line\n" * 20})
    out, problems = expand(project, docs / "page.md")
    folder = docs.relative_to(project.root).as_posix()
    # Stopped inside the third include (51 lines written), then at the next line of the page.
    assert problems == [f"{folder}/_x.md:10: error: the page is longer than 50 lines once its includes are expanded",
                        f"{folder}/page.md:4: error: the page is longer than 50 lines once its includes are expanded"]
    assert len(out.lines) == 51
