"""Every text the toolchain itself shows to readers, in each language: one table.

A string missing in a language is a build error (`text` raises), never a silent fallback to
English: `check_strings` reports it for every language of the site before anything is built.
"""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    # Case studies (box, catalogue, own page)
    "casestudy": {"en": "Case study", "fr": "Étude de cas"},
    "member": {"en": "Member", "fr": "Membre"},
    "region": {"en": "Region", "fr": "Région"},
    "technologies": {"en": "Technologies", "fr": "Technologies"},
    "year": {"en": "Year", "fr": "Année"},
    "source": {"en": "Source", "fr": "Source"},
    "used_in": {"en": "Used in", "fr": "Cité dans"},
    # Figures and tables
    "fig": {"en": "Figure", "fr": "Figure"},
    "tbl": {"en": "Table", "fr": "Tableau"},
    # The report's front matter
    "toc_title": {"en": "Contents", "fr": "Table des matières"},
    "draft_notice": {"en": "DRAFT — not for citation", "fr": "PROJET — ne pas citer"},
    # Abbreviations (the report's generated list)
    "abbreviations": {"en": "Abbreviations", "fr": "Abréviations"},
    # Charts on the site: the disclosure that holds the chart's data as a table
    "chart_data": {"en": "Data of the chart", "fr": "Données du graphique"},
    # Footnotes on the site
    "footnotes": {"en": "Notes", "fr": "Notes"},
    "back_to_text": {"en": "Back to the text", "fr": "Retour au texte"},
    # Translations: paragraph drift and the side-by-side view (site/sidebyside.py)
    "drift_count": {"en": "Source blocks changed since the translation: {n}.",
                    "fr": "Blocs du texte source modifiés depuis la traduction : {n}."},
    "drift_changed": {"en": "changed", "fr": "modifié"},
    "drift_added": {"en": "added", "fr": "ajouté"},
    "drift_removed": {"en": "removed", "fr": "supprimé"},
    "sbs_title": {"en": "Side by side", "fr": "Texte et traduction en regard"},
    "sbs_intro": {"en": "The {source} text and its {target} translation, block by block, with the paragraph "
                        "numbers of the report. Highlighted: what changed in the source since the translation "
                        "was recorded as current, and the blocks without a matching counterpart.",
                  "fr": "Le texte en {source} et sa traduction en {target}, bloc par bloc, avec les numéros de "
                        "paragraphe du rapport. En évidence : ce qui a changé dans le texte source depuis que la "
                        "traduction a été déclarée à jour, et les blocs sans équivalent correspondant."},
    "sbs_status": {"en": "Source and translation side by side", "fr": "Texte source et traduction en regard"},
    "sbs_status_intro": {"en": "Each chapter's source and translation, aligned block by block.",
                         "fr": "Le texte source et la traduction de chaque chapitre, alignés bloc par bloc."},
    "sbs_no_counterpart": {"en": "no counterpart", "fr": "sans équivalent"},
    "sbs_differs": {"en": "structure differs", "fr": "structure différente"},
    "sbs_changed": {"en": "changed since the translation", "fr": "modifié depuis la traduction"},
    "sbs_counts": {"en": "{changed} changed in the source, {differs} not matching",
                   "fr": "{changed} modifié(s) dans le texte source, {differs} sans correspondance"},
    "sbs_not_recorded": {"en": "which blocks changed was not recorded", "fr": "les blocs modifiés n'ont pas été enregistrés"},
    "paragraph_short": {"en": "para.", "fr": "par."},
    "block_paragraph": {"en": "paragraph {n} of ‘{section}’", "fr": "paragraphe {n} de « {section} »"},
    "block_heading": {"en": "heading ‘{section}’", "fr": "titre « {section} »"},
    "block_other": {"en": "block under ‘{section}’", "fr": "bloc sous « {section} »"},
    # Redlines: what changed since a review round (report/redline.py, site/changes.py)
    "redline_author": {"en": "Changes since {rev}", "fr": "Modifications depuis {rev}"},
    "changes_title": {"en": "Changes since {rev}", "fr": "Modifications depuis {rev}"},
    "changes_summary": {"en": "Since {rev}: paragraphs changed {changed}, added {inserted}, deleted {deleted}; "
                              "words added {words_in}, deleted {words_out}.",
                        "fr": "Depuis {rev} : paragraphes modifiés {changed}, ajoutés {inserted}, supprimés {deleted} ; "
                              "mots ajoutés {words_in}, supprimés {words_out}."},
    "changes_none": {"en": "No change since {rev}.", "fr": "Aucune modification depuis {rev}."},
    # A comment on a numbered paragraph (site/comments.py)
    "comment_link": {"en": "Comment on paragraph {n}", "fr": "Commenter le paragraphe {n}"},
    "comment_title": {"en": "{page}, paragraph {n}", "fr": "{page}, paragraphe {n}"},
    "comment_body": {"en": "Comment on paragraph {n} of “{page}” ({address}):\n\n",
                     "fr": "Commentaire sur le paragraphe {n} de « {page} » ({address}) :\n\n"},
    "changes_new_page": {"en": "New since {rev}.", "fr": "Nouveau depuis {rev}."},
    "changes_page": {"en": "Page", "fr": "Page"},
    "changes_added": {"en": "Paragraphs added", "fr": "Paragraphes ajoutés"},
    "changes_changed": {"en": "Paragraphs changed", "fr": "Paragraphes modifiés"},
    "changes_deleted": {"en": "Paragraphs deleted", "fr": "Paragraphes supprimés"},
    "changes_words_added": {"en": "Words added", "fr": "Mots ajoutés"},
    "changes_words_deleted": {"en": "Words deleted", "fr": "Mots supprimés"},
    "changes_status": {"en": "Changes since the review rounds", "fr": "Modifications depuis les séries d'observations"},
    "changes_status_intro": {"en": "The pages changed since each review round, with the number of paragraphs "
                                   "changed, added and deleted. Choose a round on any page to see its changes marked.",
                             "fr": "Les pages modifiées depuis chaque série d'observations, avec le nombre de "
                                   "paragraphes modifiés, ajoutés et supprimés. Choisissez une série sur une page pour "
                                   "y voir ses modifications."},
    "lang_en": {"en": "English", "fr": "anglais"},
    "lang_fr": {"en": "French", "fr": "français"},
    # --- Sections, read as one table per language by the modules that show them
    # (strings.section): the site's status and banners, the catalogue, the data layer's labels.
    "status.draft": {"en": "Draft", "fr": "Projet"},
    "status.review": {"en": "Under review", "fr": "En cours d'examen"},
    "status.approved": {"en": "Approved", "fr": "Approuvé"},
    "state.source": {"en": "Source text", "fr": "Texte source"},
    "state.current": {"en": "Up to date", "fr": "À jour"},
    "state.stale": {"en": "Out of date", "fr": "Pas à jour"},
    "state.untracked": {"en": "Not recorded", "fr": "Non renseignée"},
    "state.missing": {"en": "Missing", "fr": "Manquante"},
    "language.en": {"en": "English", "fr": "anglais"},
    "language.fr": {"en": "French", "fr": "français"},
    "site.status_title": {"en": "Review status", "fr": "État d'avancement"},
    "site.intro": {"en": "Every chapter of the report in English: its review status, its length, when it last changed, and whether its translation is up to date.", "fr": "Chaque chapitre du rapport en français : son état d'examen, sa longueur, sa dernière modification et l'état de sa traduction."},
    "site.chapter": {"en": "Chapter", "fr": "Chapitre"},
    "site.status": {"en": "Status", "fr": "État"},
    "site.words": {"en": "Words", "fr": "Mots"},
    "site.changed": {"en": "Last change", "fr": "Dernière modification"},
    "site.translation": {"en": "Translation", "fr": "Traduction"},
    "site.summary": {"en": "{language} translations: {current} up to date, {stale} out of date, {missing} missing, {untracked} not recorded.", "fr": "Traductions en {language} : {current} à jour, {stale} pas à jour, {missing} manquante(s), {untracked} non renseignée(s)."},
    "site.missing_list": {"en": "Missing translations", "fr": "Traductions manquantes"},
    "site.draft": {"en": "Draft — not the final text.", "fr": "Projet — ce n'est pas le texte définitif."},
    "site.built": {"en": "Built on {date} from version {version}.", "fr": "Version générée le {date} à partir de la révision {version}."},
    "site.no_version": {"en": "no version information", "fr": "sans information de version"},
    "site.modified": {"en": "with local changes", "fr": "avec des modifications locales"},
    "site.download": {"en": "Download the report:", "fr": "Télécharger le rapport :"},
    "site.not_built": {"en": "(built with the report only)", "fr": "(générés avec le rapport seulement)"},
    "site.status_link": {"en": "Review status", "fr": "État d'avancement"},
    "site.stale": {"en": "This translation is out of date: the {source} page has changed since it was translated.", "fr": "Cette traduction n'est pas à jour : la page en {source} a changé depuis sa traduction."},
    "site.read_source": {"en": "Read the {source} page", "fr": "Lire la page en {source}"},
    "catalogue.all": {"en": "All", "fr": "Toutes"},
    "catalogue.filter": {"en": "Filter the case studies", "fr": "Filtrer les études de cas"},
    "catalogue.shown": {"en": "{shown} of {total} case studies shown", "fr": "{shown} études de cas affichées sur {total}"},
    "catalogue.by_technology": {"en": "Case studies by technology", "fr": "Études de cas par technologie"},
    "catalogue.by_region": {"en": "Case studies by region", "fr": "Études de cas par région"},
    "catalogue.count": {"en": "Case studies", "fr": "Études de cas"},
    "catalogue.sort": {"en": "Sort by this column", "fr": "Trier selon cette colonne"},
    "chart.bar": {"en": "Bar chart", "fr": "Diagramme en barres"},
    "chart.stacked-bar": {"en": "Stacked bar chart", "fr": "Diagramme en barres empilées"},
    "chart.line": {"en": "Line chart", "fr": "Graphique linéaire"},
    "chart.casestudies-by-technology": {"en": "Case studies by technology", "fr": "Études de cas par technologie"},
    "chart.casestudies-by-region": {"en": "Case studies by WCO region", "fr": "Études de cas par région de l'OMD"},
    "chart.technology": {"en": "Technology", "fr": "Technologie"},
    "chart.region": {"en": "Region", "fr": "Région"},
    "chart.casestudies": {"en": "Case studies", "fr": "Études de cas"},
}


def section(prefix: str) -> dict[str, dict[str, str]]:
    """The strings whose key starts with `prefix.`, as {language: {key: text}} (for modules that
    look their texts up by language first)."""
    out: dict[str, dict[str, str]] = {}
    for key, texts in STRINGS.items():
        if key.startswith(prefix + "."):
            for lang, value in texts.items():
                out.setdefault(lang, {})[key[len(prefix) + 1:]] = value
    return out


class MissingString(KeyError):
    """A reader-facing string has no text in a language."""


def text(key: str, lang: str) -> str:
    try:
        return STRINGS[key][lang]
    except KeyError:
        raise MissingString(f"no text for '{key}' in language '{lang}' (add it to strings.py)") from None


def missing(languages: tuple[str, ...]) -> list[str]:
    """The (key, language) pairs without a text, as messages."""
    return [f"'{key}' has no text in '{lang}'" for key, texts in STRINGS.items()
            for lang in languages if not texts.get(lang)]
