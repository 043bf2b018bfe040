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
    "sbs_markdown": {"en": "Markdown", "fr": "Markdown"},
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
    # Members' submissions (intake/): the note on an untranslated draft, the status page's list
    "intake.untranslated": {"en": "Not translated yet: the Member's text, in {language}, follows.",
                            "fr": "Pas encore traduit : le texte du Membre, en {language}, suit."},
    "intake.waiting": {"en": "Submissions waiting for an editor", "fr": "Contributions en attente d'un rédacteur"},
    "intake.waiting_intro": {"en": "Case studies imported from Members' answers (status: submitted), not yet edited.",
                             "fr": "Études de cas importées des réponses des Membres (état : soumis), pas encore révisées."},
    "intake.none": {"en": "None.", "fr": "Aucune."},
    "lang_en": {"en": "English", "fr": "anglais"},
    "lang_fr": {"en": "French", "fr": "français"},
    # --- Sections, read as one table per language by the modules that show them
    # (strings.section): the site's status and banners, the catalogue, the data layer's labels.
    "status.submitted": {"en": "Submitted", "fr": "Soumis"},
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
    "catalogue.status": {"en": "Status", "fr": "État"},
    "catalogue.search": {"en": "Find in titles, Members and summaries", "fr": "Rechercher dans les titres, Membres et résumés"},
    "catalogue.sort": {"en": "Sort by this column", "fr": "Trier selon cette colonne"},
    # The self-assessment tools (site/assessment_pages.py, assessments/paper.py)
    "assessment.draft": {"en": "Draft wording: the questions and advice of this tool were written for the review of the report and will be replaced by the WCO's official text.", "fr": "Texte provisoire : les questions et les conseils de cet outil ont été rédigés pour l'examen du rapport et seront remplacés par le texte officiel de l'OMD."},
    "assessment.benchmark": {"en": "Not a benchmark: this self-assessment is a starting point for your administration's internal discussion and priorities. Its scores do not compare Members with each other.", "fr": "Ce n'est pas un classement : cette auto-évaluation sert de point de départ à la réflexion interne de votre administration et au choix de ses priorités. Ses résultats ne comparent pas les Membres entre eux."},
    "assessment.private": {"en": "Your answers stay in this browser: nothing is sent anywhere. They are kept on this computer only if you tick the box below.", "fr": "Vos réponses restent dans ce navigateur : rien n'est envoyé nulle part. Elles ne sont conservées sur cet ordinateur que si vous cochez la case ci-dessous."},
    "assessment.paper": {"en": "The questionnaire on paper, for workshops:", "fr": "Le questionnaire sur papier, pour les ateliers :"},
    "assessment.progress": {"en": "{n} of {total} questions answered", "fr": "{n} question(s) sur {total} ayant reçu une réponse"},
    "assessment.progress_label": {"en": "Progress", "fr": "Progression"},
    "assessment.guidance": {"en": "Guidance", "fr": "Conseil"},
    "assessment.keep": {"en": "Keep my answers in this browser", "fr": "Conserver mes réponses dans ce navigateur"},
    "assessment.export": {"en": "Export my answers (file)", "fr": "Exporter mes réponses (fichier)"},
    "assessment.import": {"en": "Import answers from a file", "fr": "Importer des réponses depuis un fichier"},
    "assessment.clear": {"en": "Clear all answers", "fr": "Effacer toutes les réponses"},
    "assessment.print": {"en": "Print or save as PDF", "fr": "Imprimer ou enregistrer en PDF"},
    "assessment.imported": {"en": "{n} answers imported.", "fr": "{n} réponse(s) importée(s)."},
    "assessment.import_error": {"en": "This file is not an export of this tool: nothing was imported.", "fr": "Ce fichier n'est pas une exportation de cet outil : rien n'a été importé."},
    "assessment.cleared": {"en": "All answers cleared.", "fr": "Toutes les réponses ont été effacées."},
    "assessment.result": {"en": "Result", "fr": "Résultat"},
    "assessment.result_intro": {"en": "The score of each area, from 0 to 100: the mean of the levels of the questions answered. The weakest areas come first, with what to consider next.", "fr": "Le résultat de chaque domaine, de 0 à 100 : la moyenne des niveaux des questions ayant reçu une réponse. Les domaines les plus faibles viennent en premier, avec les pistes à examiner."},
    "assessment.no_answer": {"en": "Answer at least one question to see a result.", "fr": "Répondez à au moins une question pour voir un résultat."},
    "assessment.chart": {"en": "Score of each area, from 0 to 100", "fr": "Résultat de chaque domaine, de 0 à 100"},
    "assessment.score": {"en": "Score: {score} of 100 ({band}); {n} of {total} questions answered.", "fr": "Résultat : {score} sur 100 ({band}) ; {n} question(s) sur {total} ayant reçu une réponse."},
    "assessment.not_answered": {"en": "Not answered yet.", "fr": "Aucune réponse pour l'instant."},
    "assessment.next": {"en": "What to consider next", "fr": "Pistes à examiner"},
    "assessment.read": {"en": "Read in the report:", "fr": "À lire dans le rapport :"},
    "assessment.casestudy": {"en": "Case study", "fr": "Étude de cas"},
    "assessment.chapter": {"en": "Chapter", "fr": "Chapitre"},
    "assessment.questionnaire": {"en": "Self-assessment questionnaire", "fr": "Questionnaire d'auto-évaluation"},
    "assessment.answer_sheet": {"en": "Tick one box for each question.", "fr": "Cochez une case pour chaque question."},
    "assessment.key": {"en": "Scoring key", "fr": "Grille de notation"},
    "assessment.key_levels": {"en": "Each answer scores the points below. For each area, add up the points of the questions answered, divide by the number of questions answered and by {max}, and multiply by 100: the area's score, from 0 to 100 (rounded to one decimal).", "fr": "Chaque réponse rapporte les points ci-dessous. Pour chaque domaine, additionnez les points des questions ayant reçu une réponse, divisez par le nombre de ces questions et par {max}, puis multipliez par 100 : c'est le résultat du domaine, de 0 à 100 (arrondi à une décimale)."},
    "assessment.key_level": {"en": "Answer", "fr": "Réponse"},
    "assessment.key_points": {"en": "Points", "fr": "Points"},
    "assessment.key_bands": {"en": "Result bands", "fr": "Tranches de résultat"},
    "assessment.key_band": {"en": "Band", "fr": "Tranche"},
    "assessment.key_from": {"en": "From a score of", "fr": "À partir d'un résultat de"},
    "assessment.key_sheet": {"en": "Result sheet", "fr": "Feuille de résultats"},
    "assessment.key_area": {"en": "Area", "fr": "Domaine"},
    "assessment.key_sum": {"en": "Points", "fr": "Points"},
    "assessment.key_answered": {"en": "Questions answered", "fr": "Questions ayant reçu une réponse"},
    "assessment.key_result": {"en": "Score (0–100)", "fr": "Résultat (0–100)"},
    "assessment.key_next": {"en": "Then read, for each area, what to consider next in its band (below), starting with the weakest area.", "fr": "Lisez ensuite, pour chaque domaine, les pistes à examiner dans sa tranche (ci-dessous), en commençant par le domaine le plus faible."},
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
