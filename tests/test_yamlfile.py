"""yamlfile.py: our YAML files and Markdown front matter read with the line of every value, and
every mistake reported as `path:line: error: message` (never a traceback, never a hang)."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pydantic
import pytest

from wcoreport.sources.diagnostics import Problems
from wcoreport.sources.yamlfile import (MAX_DEPTH, MAX_EXPANDED, Schema, YamlData, load_yaml_file, parse_yaml, read_text,
                                split_front_matter, validate)


def parse(root: Path, text: str, name: str = "data.yml", line_offset: int = 0) -> tuple[YamlData | None, list[str]]:
    problems = Problems(root)
    found = parse_yaml(text, root / name, problems, line_offset)
    return found, [str(p) for p in problems.items]


# --- the line of every value ---------------------------------------------------------------------

NESTED = """\
title: Report
authors:
  - name: Ada
    roles: [editor, author]
  - name: Bea

    year: 2026
extra:
  deep:
    deeper: x
"""


def test_every_value_has_its_line(tmp_path):
    found, problems = parse(tmp_path, NESTED)
    assert problems == []
    assert found.data == {"title": "Report",
                          "authors": [{"name": "Ada", "roles": ["editor", "author"]}, {"name": "Bea", "year": 2026}],
                          "extra": {"deep": {"deeper": "x"}}}
    assert found.line(()) == 1
    assert found.line(("title",)) == 1
    assert found.line(("authors",)) == 2
    assert found.line(("authors", 0)) == 3
    assert found.line(("authors", 0, "roles")) == 4
    assert found.line(("authors", 0, "roles", 1)) == 4
    assert found.line(("authors", 1)) == 5
    assert found.line(("authors", 1, "year")) == 7
    assert found.line(("extra", "deep", "deeper")) == 10


def test_a_value_on_the_line_below_its_key_is_named_at_its_key(tmp_path):
    found, _ = parse(tmp_path, "summary:\n  A long text\n  on two lines\nnext: 1\n")
    assert found.data == {"summary": "A long text on two lines", "next": 1}
    assert found.line(("summary",)) == 1  # where editors look for it


def test_an_unknown_place_falls_back_to_its_nearest_parent(tmp_path):
    found, _ = parse(tmp_path, NESTED)
    assert found.line(("authors", 1, "no-such-key")) == 5
    assert found.line(("authors", 7)) == 2
    assert found.line(("nowhere", "at", "all")) == 1


def test_line_offset_counts_the_lines_before_the_yaml(tmp_path):
    found, problems = parse(tmp_path, "a: 1\nb:\n  - x\n", line_offset=10)
    assert problems == []
    assert (found.line(()), found.line(("a",)), found.line(("b", 0))) == (11, 11, 13)


def test_empty_or_comment_only_text_is_no_value_at_line_one(tmp_path):
    for text in ("", "# only a comment\n", "\n\n"):
        found, problems = parse(tmp_path, text)
        assert (found.data, found.line(()), problems) == (None, 1, [])


def test_parsed_values_are_copies(tmp_path):
    """A text parsed before is not parsed again, but a caller changing its data must not change
    what the next caller gets."""
    first, _ = parse(tmp_path, "a: [1, 2]\n")
    first.data["a"].append(3)
    first.lines[("a",)] = 99
    second, _ = parse(tmp_path, "a: [1, 2]\n")
    assert second.data == {"a": [1, 2]}
    assert second.line(("a",)) == 1


def test_problems_of_a_text_parsed_before_are_reported_again(tmp_path):
    for _ in range(2):
        _, problems = parse(tmp_path, "a: 1\na: 2\n", name="again.yml")
        assert problems == ["again.yml:2: error: duplicate key 'a'"]


# --- mistakes in the YAML ------------------------------------------------------------------------

def test_syntax_error_names_its_line_and_where_the_list_began(tmp_path):
    found, problems = parse(tmp_path, "a: 1\nb: [x, y\nc: 3\n")
    assert found is None
    assert problems == ["data.yml:3: error: YAML syntax: expected ',' or ']', but got ':' "
                        "(while parsing a flow sequence started at line 2)"]


def test_syntax_error_in_front_matter_counts_the_opening_line(tmp_path):
    _, problems = parse(tmp_path, "a: 1\nb: [x, y\nc: 3\n", line_offset=1)
    assert problems == ["data.yml:4: error: YAML syntax: expected ',' or ']', but got ':' "
                        "(while parsing a flow sequence started at line 3)"]


def test_tab_indentation_is_explained(tmp_path):
    found, problems = parse(tmp_path, "a:\n\tb: 1\n")
    assert found is None
    assert len(problems) == 1
    assert problems[0].startswith("data.yml:2: error: YAML syntax: ")
    assert problems[0].endswith("(a tab is used for indentation: YAML allows only spaces)")


def test_two_documents_in_one_file_are_refused(tmp_path):
    found, problems = parse(tmp_path, "a: 1\n---\nb: 2\n")
    assert found is None
    assert problems == ["data.yml:2: error: YAML syntax: but found another document "
                        "(expected a single document in the stream started at line 1)"]


def test_duplicate_key_is_named_at_its_second_line(tmp_path):
    found, problems = parse(tmp_path, "title: A\nyear: 1\ntitle: B\n")
    assert problems == ["data.yml:3: error: duplicate key 'title'"]
    assert found.data == {"title": "B", "year": 1}


def test_duplicate_key_in_a_nested_mapping(tmp_path):
    _, problems = parse(tmp_path, "a:\n  - x: 1\n    y: 2\n    x: 3\n")
    assert problems == ["data.yml:4: error: duplicate key 'x'"]


def test_a_list_or_mapping_as_a_key_is_refused(tmp_path):
    found, problems = parse(tmp_path, "ok: 1\n? [a, b]\n: 2\n")
    assert problems == ["data.yml:2: error: a key must be a plain value"]
    assert found.data == {"ok": 1}


def test_unknown_tags_give_their_text_not_an_object(tmp_path):
    found, problems = parse(tmp_path, "a: !custom 3\nb: !!python/name:os.system\n"
                                      "c: !seq [1]\nd: !map {x: 1}\ne: !!python/object/apply:os.system [ls]\n")
    assert problems == []
    assert found.data == {"a": "3", "b": "", "c": [1], "d": {"x": 1}, "e": ["ls"]}


def test_an_impossible_date_is_kept_as_text_for_the_schema_to_refuse(tmp_path):
    found, problems = parse(tmp_path, "good: 2026-01-05\nbad: 2026-13-45\n")
    assert problems == []
    assert found.data == {"good": datetime.date(2026, 1, 5), "bad": "2026-13-45"}


def test_half_a_character_in_an_escape_is_refused(tmp_path):
    found, problems = parse(tmp_path, 'ok: "\\u00e9"\nbad: "a\\uD800b"\n')
    assert problems == ["data.yml:2: error: an escaped character is not a whole character (\\uD800-\\uDFFF): "
                        "write the character itself"]
    assert found.data == {"ok": "é", "bad": "a\ufffdb"}


def test_a_value_containing_itself_is_refused(tmp_path):
    found, problems = parse(tmp_path, "a: 1\nloop: &x\n  - 1\n  - *x\n")
    # PyYAML gives an alias the node of its anchor: the problem is named where the value is.
    assert problems == ["data.yml:2: error: this value refers to itself (a YAML alias inside its own anchor, "
                        "used at 'loop.1'): write it out"]
    assert found.data == {"a": 1, "loop": [1, None]}


def test_aliases_within_reason_are_expanded(tmp_path):
    found, problems = parse(tmp_path, "base: &b {x: 1}\none: *b\ntwo: *b\n")
    assert problems == []
    assert found.data == {"base": {"x": 1}, "one": {"x": 1}, "two": {"x": 1}}


BOMB = "".join(
    f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}" if n else '"lol"'] * 9) + "]\n" for n in range(10))


def test_alias_bomb_is_refused_at_its_line_and_quickly(tmp_path):
    """9 ** 10 values once expanded (a "billion laughs"): counted, not built."""
    start = time.perf_counter()
    found, problems = parse(tmp_path, BOMB, name="bomb.yml")
    elapsed = time.perf_counter() - start
    # Named at the anchor whose use goes over the limit: l5 (about 9 ** 5 values, line 6), used
    # in l6 on top of all the values counted before.
    assert 9 ** 5 < MAX_EXPANDED < 2 * 9 ** 5
    assert problems == [f"bomb.yml:6: error: YAML aliases here expand to more than {MAX_EXPANDED} values "
                        "(an alias bomb?): write the values out, or use fewer aliases"]
    assert elapsed < 2, f"the alias bomb took {elapsed:.1f} s"
    assert found.line(("l9",)) == 10


def test_alias_bomb_in_front_matter_names_the_line_of_the_file(tmp_path):
    problems = Problems(tmp_path)
    split_front_matter("---\n" + BOMB + "---\n# Page\n", tmp_path / "page.md", problems)
    assert [p.line for p in problems.items] == [7]


TOO_DEEP = f"lists and mappings nested more than {MAX_DEPTH} levels deep: write the data flatter"


def test_deep_nesting_is_refused_at_its_line_not_a_crash(tmp_path):
    """A Member's YAML nested hundreds of levels deep (`[[[[...]]]]`) is named at its line; it
    used to end in a RecursionError (a traceback from `check`)."""
    for depth in (MAX_DEPTH + 1, 300, 1000):
        text = "ok: 1\nbad: " + "[" * depth + "]" * depth + "\n"
        start = time.perf_counter()
        found, problems = parse(tmp_path, text, name=f"deep{depth}.yml")
        assert time.perf_counter() - start < 5
        assert found is None
        assert problems == [f"deep{depth}.yml:2: error: {TOO_DEEP}"]


def test_nesting_up_to_the_limit_is_read(tmp_path):
    # The root mapping is one level: MAX_DEPTH - 1 lists inside it.
    depth = MAX_DEPTH - 1
    found, problems = parse(tmp_path, "a: " + "[" * depth + "1" + "]" * depth + "\n")
    assert problems == []
    value = found.data["a"]
    for _ in range(depth):
        value = value[0]
    assert value == 1
    _, problems = parse(tmp_path, "a: " + "[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH + "\n")
    assert problems == [f"data.yml:1: error: {TOO_DEEP}"]


def test_deep_block_nesting_is_refused_at_the_line_that_goes_too_deep(tmp_path):
    text = "a: 1\nb:\n" + "".join("  " * i + "-\n" for i in range(1, 400))
    found, problems = parse(tmp_path, text, line_offset=1)
    assert found is None
    # Level 1 is the root mapping, level 2 the list of b on line 3, level n on line n + 1: the
    # first level too many is on line MAX_DEPTH + 2 of the YAML, one more in the file.
    assert problems == [f"data.yml:{MAX_DEPTH + 3}: error: {TOO_DEEP}"]


def test_aliases_cannot_nest_values_deeper_than_written(tmp_path):
    """Each value nested within the limit, but an alias of one placed deep inside another adds
    the two: a chain of them would build data of any depth, which the tools reading it (json,
    pydantic, MkDocs) then fail on with a RecursionError."""
    half = (MAX_DEPTH - 1) // 2
    fits = f"a: &a {'[' * half}x{']' * half}\nb: {'[' * half}*a{']' * half}\n"
    found, problems = parse(tmp_path, fits)
    assert problems == []
    chain = "a0: &a0 x\n" + "".join(f"a{i}: &a{i} " + "[" * 40 + f"*a{i - 1}" + "]" * 40 + "\n"
                                    for i in range(1, 30)) + "end: 1\n"
    start = time.perf_counter()
    found, problems = parse(tmp_path, chain, line_offset=1)
    assert time.perf_counter() - start < 5
    assert problems == [f"data.yml:4: error: {TOO_DEEP}"]  # a2 (line 3 + 1), where *a1 goes too deep
    assert found.data["end"] == 1


def test_a_deep_value_through_load_yaml_file(tmp_path):
    (tmp_path / "casestudy.yml").write_text("id: x\nextra: " + "[" * 500 + "]" * 500 + "\n", "utf-8")
    problems = Problems(tmp_path)
    assert load_yaml_file(tmp_path / "casestudy.yml", problems) is None
    assert [str(p) for p in problems.items] == [f"casestudy.yml:2: error: {TOO_DEEP}"]


# --- schemas -------------------------------------------------------------------------------------

class Author(Schema):
    name: str
    year: int


class Document(Schema):
    title: str
    date: datetime.date | None = None
    authors: list[Author] = []
    tags: dict[str, str] = {}

    @pydantic.field_validator("title")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        if value != value.strip():
            raise ValueError("no spaces around the title")
        return value


def check(root: Path, text: str, line_offset: int = 0) -> tuple[Document | None, list[str]]:
    problems = Problems(root)
    found = parse_yaml(text, root / "doc.yml", problems, line_offset)
    assert found is not None
    return validate(Document, found, root / "doc.yml", problems), [str(p) for p in problems.items]


def test_a_valid_document_gives_the_model(tmp_path):
    model, problems = check(tmp_path, "title: T\ndate: 2026-01-05\nauthors:\n  - {name: A, year: 1999}\n")
    assert problems == []
    assert model == Document(title="T", date=datetime.date(2026, 1, 5), authors=[Author(name="A", year=1999)])


def test_schema_error_is_on_the_offending_value_line(tmp_path):
    model, problems = check(tmp_path, "title: T\nauthors:\n  - name: A\n    year: 1999\n  - name: B\n    year: soon\n")
    assert model is None
    assert problems == ["doc.yml:6: error: authors.1.year: Input should be a valid integer, "
                        "unable to parse string as an integer"]


def test_schema_error_in_front_matter_is_on_the_line_of_the_file(tmp_path):
    _, problems = check(tmp_path, "title: T\nauthors:\n  - name: A\n    year: soon\n", line_offset=1)
    assert problems == ["doc.yml:5: error: authors.0.year: Input should be a valid integer, "
                        "unable to parse string as an integer"]


def test_unknown_key_is_named_on_its_line(tmp_path):
    _, problems = check(tmp_path, "title: T\ndate: 2026-01-05\ncolour: red\n")
    assert problems == ["doc.yml:3: error: unknown key 'colour'"]


def test_missing_key_is_named_on_the_line_of_the_mapping_that_lacks_it(tmp_path):
    _, problems = check(tmp_path, "title: T\nauthors:\n  - name: A\n    year: 1999\n  - name: B\n    yaer: 2000\n")
    assert problems == ["doc.yml:5: error: missing required key 'authors.1.year'", "doc.yml:6: error: unknown key 'yaer'"]


def test_an_empty_file_names_each_missing_key(tmp_path):
    _, problems = check(tmp_path, "")
    assert problems == ["doc.yml:1: error: missing required key 'title'"]


def test_a_validator_message_is_given_without_pydantic_prefix(tmp_path):
    _, problems = check(tmp_path, "date: 2026-01-05\ntitle: ' T'\n")
    assert problems == ["doc.yml:2: error: title: no spaces around the title"]


def test_an_impossible_date_is_refused_by_the_schema_at_its_line(tmp_path):
    _, problems = check(tmp_path, "title: T\ndate: 2026-13-45\n")
    assert problems == ["doc.yml:2: error: date: Input should be a valid date or datetime, "
                        "month value is outside expected range of 1-12"]


def test_every_schema_error_is_listed(tmp_path):
    _, problems = check(tmp_path, "title: T\ntags:\n  a: 1\n  b: [x]\n")
    assert problems == ["doc.yml:3: error: tags.a: Input should be a valid string",
                        "doc.yml:4: error: tags.b: Input should be a valid string"]


def test_a_list_where_a_mapping_is_expected(tmp_path):
    _, problems = check(tmp_path, "\n- 1\n")
    assert problems == ["doc.yml:2: error: Input should be a valid dictionary or instance of Document"]


def test_schemas_are_frozen():
    with pytest.raises(pydantic.ValidationError):
        Author(name="A", year=1).name = "B"  # type: ignore[misc]


# --- front matter --------------------------------------------------------------------------------

def split(root: Path, text: str):
    problems = Problems(root)
    return split_front_matter(text, root / "page.md", problems), [str(p) for p in problems.items]


def test_front_matter_closed(tmp_path):
    page, problems = split(tmp_path, "---\ntitle: T\nstatus: draft\n---\n# Heading\n")
    assert problems == []
    assert page.meta.data == {"title": "T", "status": "draft"}
    assert page.meta.line(("title",)) == 2
    assert page.meta.line(("status",)) == 3
    assert page.body == "# Heading\n"
    assert page.body_line == 5


def test_front_matter_closed_by_dots_or_at_the_end_of_the_file(tmp_path):
    page, _ = split(tmp_path, "---\ntitle: T\n...\nbody\n")
    assert (page.meta.data, page.body, page.body_line) == ({"title": "T"}, "body\n", 4)
    page, _ = split(tmp_path, "--- \ntitle: T\n---")
    assert (page.meta.data, page.body, page.body_line) == ({"title": "T"}, "", 3)


def test_empty_front_matter_is_an_empty_mapping(tmp_path):
    page, problems = split(tmp_path, "---\n---\nbody\n")
    assert problems == []
    assert (page.meta.data, page.body, page.body_line) == ({}, "body\n", 3)


def test_no_front_matter_leaves_the_whole_text_as_body(tmp_path):
    page, problems = split(tmp_path, "# Title\n\ntext\n")
    assert problems == []
    assert (page.meta.data, page.body, page.body_line) == ({}, "# Title\n\ntext\n", 1)


def test_unclosed_front_matter_is_refused_at_line_one(tmp_path):
    page, problems = split(tmp_path, "---\ntitle: T\n\n# Heading\n")
    assert page is None
    # (where the closing line goes: before the text, which starts at the heading)
    assert problems == ["page.md:1: error: front matter is not closed: add a line '---' before line 4, "
                        "where the text starts"]


def test_front_matter_that_is_not_a_mapping(tmp_path):
    page, problems = split(tmp_path, "---\n- a\n- b\n---\ntext\n")
    assert page is None
    assert problems == ["page.md:2: error: front matter must be a mapping of 'key: value' lines"]
    # A line no front matter has is text: the front matter was not closed before it, and the
    # '---' below is a rule of the text.
    page, problems = split(tmp_path, "---\n42\n---\ntext\n")
    assert page is None
    assert problems == ["page.md:1: error: front matter is not closed: add a line '---' before line 2, where the "
                        "text starts (the '---' at line 3 is a rule of the text, not the end of the front matter)"]


def test_front_matter_problems_are_on_the_lines_of_the_file(tmp_path):
    page, problems = split(tmp_path, "---\ntitle: A\ntitle: B\n---\n")
    assert problems == ["page.md:3: error: duplicate key 'title'"]
    assert page.meta.data == {"title": "B"}
    page, problems = split(tmp_path, "---\ntitle: [a\n---\ntext\n")
    assert page is None
    assert problems == ["page.md:3: error: YAML syntax: expected ',' or ']', but got '<stream end>' "
                        "(while parsing a flow sequence started at line 2)"]


# --- reading the file ----------------------------------------------------------------------------

def read(root: Path, name: str, data: bytes) -> tuple[str | None, list[str]]:
    (root / name).write_bytes(data)
    problems = Problems(root)
    return read_text(root / name, problems), [str(p) for p in problems.items]


def test_bom_and_crlf_and_cr_are_normalised(tmp_path):
    assert read(tmp_path, "a.md", b"\xef\xbb\xbfone\r\ntwo\rthree\n") == ("one\ntwo\nthree\n", [])


def test_not_utf8_names_the_line_and_byte(tmp_path):
    assert read(tmp_path, "latin1.md", b"ok\nline two\ncaf\xe9\n") == (
        None, ["latin1.md:3: error: not UTF-8 text (byte 0xe9); save the file as UTF-8"])


def test_utf16_file_is_not_utf8(tmp_path):
    text, problems = read(tmp_path, "utf16.yml", "title: T\n".encode("utf-16"))
    assert text is None
    assert problems == ["utf16.yml:1: error: not UTF-8 text (byte 0xff); save the file as UTF-8"]


def test_control_characters_are_named_with_line_and_column(tmp_path):
    text, problems = read(tmp_path, "ctrl.md", b"ok\nab\x07c\x0cd\ntab\tis fine\nx\xc2\x85y\n")
    assert text == "ok\nab\x07c\x0cd\ntab\tis fine\nx\x85y\n"  # given back: every problem is listed
    assert problems == [
        "ctrl.md:2: error: invisible control character U+0007 at column 3 (pasted from another program?): remove it",
        "ctrl.md:2: error: invisible control character U+000C at column 5 (pasted from another program?): remove it",
        "ctrl.md:4: error: invisible control character U+0085 at column 2 (pasted from another program?): remove it",
    ]


def test_missing_file_and_folder_are_whole_file_problems(tmp_path):
    problems = Problems(tmp_path)
    (tmp_path / "folder.yml").mkdir()
    assert read_text(tmp_path / "missing.yml", problems) is None
    assert read_text(tmp_path / "folder.yml", problems) is None
    assert [str(p) for p in problems.items] == ["folder.yml: error: cannot read the file: Is a directory",
                                                "missing.yml: error: cannot read the file: No such file or directory"]


def test_a_link_to_outside_the_project_is_not_read(tmp_path):
    root, outside = tmp_path / "repo", tmp_path / "secret.txt"
    root.mkdir()
    outside.write_text("password", "utf-8")
    (root / "page.md").symlink_to(outside)
    problems = Problems(root)
    assert read_text(root / "page.md", problems) is None
    assert [str(p) for p in problems.items] == [
        "page.md: error: the file is a link to a place outside the project: refused"]


def test_a_link_inside_the_project_is_read(tmp_path):
    (tmp_path / "real.md").write_text("text\n", "utf-8")
    (tmp_path / "alias.md").symlink_to(tmp_path / "real.md")
    problems = Problems(tmp_path)
    assert read_text(tmp_path / "alias.md", problems) == "text\n"
    assert problems.items == []


def test_load_yaml_file_reports_with_the_files_path(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.yml").write_bytes(b"\xef\xbb\xbfa: 1\r\nb:\r\n  - 2\r\na: 3\r\n")
    problems = Problems(tmp_path)
    found = load_yaml_file(tmp_path / "sub" / "x.yml", problems)
    assert found.data == {"a": 3, "b": [2]}
    assert found.line(("b", 0)) == 3
    assert [str(p) for p in problems.items] == ["sub/x.yml:4: error: duplicate key 'a'"]
    assert load_yaml_file(tmp_path / "sub" / "nothing.yml", problems) is None
