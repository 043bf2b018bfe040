"""`intake template --lang en|fr`: the form Members fill offline, one row per case study.

Sheets: the instructions, the answers (one column per field of fields.py, headers in the
form's language, drop-down lists for Member, region, technology, year and language), and the
lists the drop-downs read (hidden). Made with openpyxl: no hand-written spreadsheet XML.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import babel

from ..pipeline.outputs import atomic_write
from ..sources.vocabulary import REGIONS
from .fields import FIELDS, FIRST_YEAR, LANGUAGES
from .sheets import INSTRUCTIONS, LISTS, SHEET, text_cell

ROWS = 200  # rows offered with drop-down lists

INTRO = {
    "en": ["WCO Smart Customs project — Members' experiences with disruptive technologies",
           "Describe one initiative per row of the sheet 'Case studies', in English or French.",
           "Choose the Member, region, technology, year and language from the lists; type the rest.",
           "Formatting (bold, colours, links) is not kept: write plain text; paragraphs are kept.",
           "Return the file to the WCO Secretariat. The columns:"],
    "fr": ["Projet Douanes intelligentes de l'OMD — expériences des Membres en matière de technologies de rupture",
           "Décrivez une initiative par ligne de la feuille « Études de cas », en français ou en anglais.",
           "Choisissez le Membre, la région, la technologie, l'année et la langue dans les listes ; "
           "saisissez le reste.",
           "La mise en forme (gras, couleurs, liens) n'est pas conservée : écrivez du texte simple ; "
           "les paragraphes sont conservés.",
           "Renvoyez le fichier au Secrétariat de l'OMD. Les colonnes :"],
}
REQUIRED_MARK = {"en": "(required)", "fr": "(obligatoire)"}


def write_template(project, lang: str, target: Path, today: datetime.date | None = None) -> Path:
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    today = today or datetime.date.today()
    book = openpyxl.Workbook()
    intro = book.active
    intro.title = INSTRUCTIONS[lang]
    for r, line in enumerate(INTRO[lang], start=1):
        text_cell(intro.cell(r, 1), line).font = Font(bold=r == 1)
    for r, f in enumerate(FIELDS, start=len(INTRO[lang]) + 1):
        text_cell(intro.cell(r, 1), f.label[lang]).font = Font(bold=True)
        text_cell(intro.cell(r, 2), f.help[lang] + (" " + REQUIRED_MARK[lang] if f.required else ""))
    intro.column_dimensions["A"].width = 28
    intro.column_dimensions["B"].width = 100

    answers = book.create_sheet(SHEET[lang])
    lists = book.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    members = sorted((name for code, name in babel.Locale.parse(lang).territories.items()
                      if len(code) == 2 and code.isalpha() and code.isupper()), key=str.casefold)
    choices = {
        "member": members,
        "region": [names[lang] for names in REGIONS.values()],
        "technologies": sorted((t.names.get(lang, t.id) for t in project.technologies.values()), key=str.casefold),
        "year": [str(y) for y in range(today.year, FIRST_YEAR - 1, -1)],
        "language": [names[lang] for names in LANGUAGES.values()],
    }
    fill = PatternFill("solid", fgColor="DDE6F0")
    for column, f in enumerate(FIELDS, start=1):
        head = text_cell(answers.cell(1, column), f.label[lang])
        head.font, head.fill = Font(bold=True), fill
        head.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(column)
        answers.column_dimensions[letter].width = 60 if f.key == "text" else 24
        if f.key in choices:
            values = choices[f.key]
            for r, value in enumerate(values, start=1):
                text_cell(lists.cell(r, column), value)
            source = f"{quote_sheetname(LISTS)}!${letter}$1:${letter}${len(values)}"
            check = DataValidation(type="list", formula1=source, allow_blank=True)
            if f.key == "technologies":  # several, separated by ';': a note, not a refusal
                check.errorStyle, check.error = "information", f.help[lang]
            check.add(f"{letter}2:{letter}{ROWS + 1}")
            answers.add_data_validation(check)
        if f.key == "text":
            for r in range(2, ROWS + 2):
                answers.cell(r, column).alignment = Alignment(wrap_text=True, vertical="top")
    answers.freeze_panes = "A2"
    book.active = 1
    with atomic_write(target) as tmp:
        book.save(tmp)
    return target
