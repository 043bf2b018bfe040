#!/usr/bin/env python3
"""Generate a large synthetic report repository in the project's own format, for the benchmark.

    python bench/generate_corpus.py --out bench/corpus [--chapters N] [--casestudies N]
                                    [--references N] [--paragraphs N] [--seed S]

The repository has what a real one has: `mkdocs.yml` (the plugins and Markdown extensions of the
project's own, with a generated nav), `report.yml` and `technologies.yml` (copied), chapters in
`docs/en` and `docs/fr` (headings, numbered paragraphs with citations and locators, footnotes,
admonitions, pipe tables, `{% casestudy %}` directives), case studies, `references.bib`, and the
two annexes (`{% casestudies %}`, `{% bibliography %}`). Every case study and every reference is
used, so the project builds it without a warning. The text is random words, the same structure
in both languages: the French chapters "translate" the English ones sentence for sentence.

The defaults give a report of about 260 A4 pages per language.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent

MARKER = ".generated-corpus"
DEFAULTS = {"chapters": 24, "casestudies": 72, "references": 400, "paragraphs": 42}

# Real ISO 3166-1 codes and the WCO region each Member belongs to.
MEMBERS = {
    "KE": "esa", "UG": "esa", "ZA": "esa", "ZM": "esa", "RW": "esa", "MU": "esa",
    "CI": "wca", "CM": "wca", "GH": "wca", "NG": "wca", "SN": "wca", "BJ": "wca",
    "AE": "mena", "EG": "mena", "MA": "mena", "SA": "mena", "JO": "mena", "TN": "mena",
    "BE": "eur", "CH": "eur", "DE": "eur", "ES": "eur", "FR": "eur", "NL": "eur", "TR": "eur",
    "AU": "ap", "CN": "ap", "HK": "ap", "IN": "ap", "JP": "ap", "KR": "ap", "SG": "ap", "TH": "ap",
    "AR": "ams", "BR": "ams", "CA": "ams", "MX": "ams", "PE": "ams", "US": "ams", "UY": "ams",
}
SOURCES = ["survey", "portal", "study-mission", "project-report", "meeting"]
ADMONITIONS = ["note", "tip", "info", "warning"]

# Word pools: the same length in both languages, so one random draw picks "the same" word.
NOUNS = {
    "en": ["administration", "border", "declaration", "risk", "data", "platform", "officer", "trade",
           "inspection", "clearance", "cargo", "container", "procedure", "standard", "system", "model",
           "network", "ledger", "sensor", "image", "algorithm", "partner", "operator", "authority",
           "framework", "pilot", "survey", "strategy", "capacity", "revenue", "control", "process"],
    "fr": ["administration", "frontière", "déclaration", "risque", "donnée", "plateforme", "agent",
           "commerce", "inspection", "dédouanement", "cargaison", "conteneur", "procédure", "norme",
           "système", "modèle", "réseau", "registre", "capteur", "image", "algorithme", "partenaire",
           "opérateur", "autorité", "cadre", "projet pilote", "enquête", "stratégie", "capacité",
           "recette", "contrôle", "processus"],
}
ADJECTIVES = {
    "en": ["digital", "automated", "secure", "national", "regional", "shared", "new", "existing",
           "electronic", "integrated", "real-time", "predictive", "open", "mobile", "cross-border",
           "main"],
    "fr": ["numérique", "automatisé", "sécurisé", "national", "régional", "partagé", "nouveau",
           "existant", "électronique", "intégré", "en temps réel", "prédictif", "ouvert", "mobile",
           "transfrontalier", "principal"],
}
VERBS = {
    "en": ["supports", "improves", "reduces", "requires", "extends", "replaces", "connects", "measures",
           "records", "detects", "simplifies", "protects", "combines", "assesses", "delivers", "tracks"],
    "fr": ["soutient", "améliore", "réduit", "exige", "étend", "remplace", "relie", "mesure",
           "enregistre", "détecte", "simplifie", "protège", "combine", "évalue", "fournit", "suit"],
}
LINKS = {
    "en": ["and", "while", "because", "so that", "although", "when", "as", "since"],
    "fr": ["et", "tandis que", "parce que", "afin que", "bien que", "lorsque", "comme", "puisque"],
}
OPENERS = {
    "en": ["In practice", "According to the survey", "For most Members", "In the pilot phase",
           "Over the period", "At the border", "In this context", "As a result"],
    "fr": ["En pratique", "Selon l'enquête", "Pour la plupart des Membres", "Pendant la phase pilote",
           "Sur la période", "À la frontière", "Dans ce contexte", "En conséquence"],
}
THE = {"en": "the", "fr": "le"}
SURNAMES = ["Martin", "Okafor", "Tanaka", "Dubois", "Silva", "Nguyen", "Müller", "Haddad", "Kowalski",
            "Mensah", "García", "Chen", "Rossi", "Kim", "Diallo", "Smith", "Lefèvre", "Patel", "Ivanova",
            "Costa", "Jensen", "Bakr", "Sato", "Moreau"]
GIVEN = ["A.", "B.", "C.", "D.", "E.", "F.", "H.", "J.", "K.", "L.", "M.", "N.", "P.", "R.", "S.", "T."]
JOURNALS = ["World Customs Journal", "Journal of Border Management", "Global Trade Review",
            "Revue de la douane", "Information Systems Frontiers", "Journal of Supply Chain Security"]
PUBLISHERS = ["Springer", "Routledge", "Elsevier", "Presses universitaires de France", "OECD Publishing"]


def pick(rng: random.Random, pool: list) -> object:
    """A draw that consumes the same randomness whatever the pool (see NOUNS)."""
    return pool[int(rng.random() * len(pool))]


class Writer:
    """Random text in one language; `en` and `fr` writers seeded alike make parallel texts."""

    def __init__(self, lang: str, seed: int, refs: "RefCycle"):
        self.lang = lang
        self.rng = random.Random(seed)
        self.refs = refs

    def phrase(self) -> str:
        rng, lang = self.rng, self.lang
        noun, adj = pick(rng, NOUNS[lang]), pick(rng, ADJECTIVES[lang])
        if lang == "fr":
            return f"{THE[lang]} {noun} {adj}"
        return f"{THE[lang]} {adj} {noun}"

    def sentence(self) -> str:
        rng, lang = self.rng, self.lang
        words = [pick(rng, OPENERS[lang]) + ",", self.phrase(),
                 pick(rng, VERBS[lang]), self.phrase()]
        for _ in range(int(rng.random() * 3)):
            words += [pick(rng, LINKS[lang]), self.phrase(), pick(rng, VERBS[lang]), self.phrase()]
        r = rng.random()
        if r < 0.12:
            pct = int(rng.random() * 99) + 1
            words.append(f"({pct} %)" if lang == "fr" else f"({pct}%)")  # French spacing is the build's job
        elif r < 0.18:
            q = self.phrase()
            words.append(f"« {q} »" if lang == "fr" else f"“{q}”")
        elif r < 0.22:
            words[-1] = f"**{words[-1]}**"
        elif r < 0.26:
            words[-1] = f"*{words[-1]}*"
        text = " ".join(words)
        return text[0].upper() + text[1:]

    def citation(self) -> str:
        rng = self.rng
        key = self.refs.next()
        r = rng.random()
        if r < 0.35:
            page = int(rng.random() * 200) + 1
            return f"[@{key}, p. {page}]"
        if r < 0.5:
            para = int(rng.random() * 40) + 1
            return f"[@{key}, para. {para}]"
        if r < 0.65:
            return f"[@{key}; @{self.refs.next()}]"
        return f"[@{key}]"

    def paragraph(self, sentences: tuple[int, int] = (4, 7), citations: int = 2,
                  footnote: str | None = None) -> str:
        rng = self.rng
        n = sentences[0] + int(rng.random() * (sentences[1] - sentences[0] + 1))
        out = []
        cite_at = {int(rng.random() * n) for _ in range(citations)}
        for i in range(n):
            s = self.sentence()
            if i in cite_at:
                s += " " + self.citation()
            if footnote and i == n - 1:
                s += f"[^{footnote}]"
            out.append(s + ".")
        return " ".join(out)

    def title(self, words: int = 3) -> str:
        text = " ".join(self.phrase().split(" ", 1)[1] for _ in range(max(1, words // 2)))
        return text[0].upper() + text[1:]

    def table(self) -> str:
        rng, lang = self.rng, self.lang
        head = ["Member", "Technology", "Year", "Share"] if lang == "en" else ["Membre", "Technologie", "Année", "Part"]
        rows = ["| " + " | ".join(head) + " |", "|---|---|---:|---:|"]
        for _ in range(4 + int(rng.random() * 4)):
            member = pick(rng, list(MEMBERS))
            tech = pick(rng, NOUNS[lang])
            year = 2015 + int(rng.random() * 11)
            share = int(rng.random() * 100)
            rows.append(f"| {member} | {tech} | {year} | {share}{' ' if lang == 'fr' else ''}% |")
        return "\n".join(rows)


class RefCycle:
    """Hands out reference keys in turn, so every reference is cited at least once."""

    def __init__(self, count: int, start: int = 0):
        self.count = count
        self.i = start

    def next(self) -> str:
        key = f"ref{self.i % self.count + 1}"
        self.i += 1
        return key


def chapter_text(lang: str, number: int, args, seed: int, casestudies: list[str],
                 refs: RefCycle) -> tuple[str, str]:
    """One chapter in one language; returns (title, Markdown)."""
    w = Writer(lang, seed * 100_003 + number, refs)
    title = w.title(4)
    lines = ["---", "status: draft", "---", f"# {title} {{#ch{number}}}", ""]
    footnotes: list[str] = []
    sections = max(1, args.paragraphs // 8)
    per_section = [args.paragraphs // sections + (1 if i < args.paragraphs % sections else 0)
                   for i in range(sections)]
    # The chapter's case studies go into its sections in turn.
    cs_slots = {i: [] for i in range(sections)}
    for i, cid in enumerate(casestudies):
        cs_slots[i % sections].append(cid)
    for s, count in enumerate(per_section, start=1):
        lines += [f"## {w.title(4)} {{#ch{number}-s{s}}}", ""]
        for p in range(count):
            if p == count // 2 and count >= 4:
                lines += [f"### {w.title(2)} {{#ch{number}-s{s}-sub}}", ""]
            note = None
            if w.rng.random() < 0.15:
                note = str(len(footnotes) + 1)
                footnotes.append(f"[^{note}]: {w.sentence()} {w.citation()}.")
            lines += [w.paragraph(citations=1 + int(w.rng.random() * 3), footnote=note), ""]
            if p == 1:
                kind = pick(w.rng, ADMONITIONS)
                lines += [f'!!! {kind} "{w.title(2)}"', "", "    " + w.paragraph((2, 3), 1), ""]
            if p == 2 and s % 2 == 1:
                lines += [w.table(), ""]
        for cid in cs_slots[s - 1]:
            lines += [f"{{% casestudy {cid} %}}", ""]
    lines += footnotes
    return title, "\n".join(lines).rstrip() + "\n"


def bib_entry(rng: random.Random, n: int) -> str:
    key = f"ref{n}"
    authors = " and ".join(f"{pick(rng, SURNAMES)}, {pick(rng, GIVEN)}" for _ in range(1 + int(rng.random() * 3)))
    french = rng.random() < 0.3
    lang = "fr" if french else "en"
    title = " ".join(pick(rng, NOUNS[lang]) for _ in range(4)).capitalize()
    year = 2005 + int(rng.random() * 21)
    langid = "french" if french else "english"
    kind = int(rng.random() * 4)
    if kind == 0:
        return (f"@article{{{key},\n  author = {{{authors}}},\n  title = {{{title}}},\n"
                f"  journaltitle = {{{pick(rng, JOURNALS)}}},\n  volume = {{{1 + int(rng.random() * 20)}}},\n"
                f"  number = {{{1 + int(rng.random() * 4)}}},\n  pages = {{{n % 90 + 1}--{n % 90 + 20}}},\n"
                f"  year = {{{year}}},\n  langid = {{{langid}}}\n}}\n")
    if kind == 1:
        return (f"@book{{{key},\n  author = {{{authors}}},\n  title = {{{title}}},\n"
                f"  publisher = {{{pick(rng, PUBLISHERS)}}},\n  location = {{Paris}},\n"
                f"  year = {{{year}}},\n  langid = {{{langid}}}\n}}\n")
    if kind == 2:
        return (f"@report{{{key},\n  author = {{{{World Customs Organization}}}},\n  title = {{{title}}},\n"
                f"  type = {{Document}},\n  number = {{PC{700 + n:04d}E}},\n"
                f"  institution = {{World Customs Organization}},\n  location = {{Brussels}},\n"
                f"  year = {{{year}}},\n  langid = {{{langid}}}\n}}\n")
    return (f"@online{{{key},\n  author = {{{authors}}},\n  title = {{{title}}},\n"
            f"  url = {{https://example.org/{key}}},\n  urldate = {{2025-10-01}},\n"
            f"  year = {{{year}}},\n  langid = {{{langid}}}\n}}\n")


def casestudy_files(rng: random.Random, n: int, technologies: list[str], args, seed: int) -> dict[str, str]:
    member = pick(rng, list(MEMBERS))
    techs = sorted({pick(rng, technologies) for _ in range(1 + int(rng.random() * 2))})
    texts, titles = {}, {}
    for lang in ("en", "fr"):
        w = Writer(lang, seed * 7_919 + n, RefCycle(args.references, start=n * 13))
        titles[lang] = w.title(4)
        paras = [w.paragraph((3, 5), 1) for _ in range(2 + n % 3)]
        texts[lang] = "\n\n".join(paras) + "\n"
    meta = {
        "member": member,
        "region": MEMBERS[member],
        "technologies": techs,
        "year": 2015 + int(rng.random() * 11),
        "source": pick(rng, SOURCES),
        "title": titles,
    }
    return {"casestudy.yml": yaml.safe_dump(meta, allow_unicode=True, sort_keys=False), **{
        f"{lang}.md": texts[lang] for lang in texts}}


# --- mkdocs.yml: keep the project's own, tags included, and replace the nav --------------------

class Tagged:
    def __init__(self, tag: str, value):
        self.tag, self.value = tag, value


class _Loader(yaml.SafeLoader):
    pass


def _tagged(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return Tagged(node.tag, loader.construct_scalar(node))
    if isinstance(node, yaml.SequenceNode):
        return Tagged(node.tag, loader.construct_sequence(node))
    return Tagged(node.tag, loader.construct_mapping(node))


_Loader.add_multi_constructor("!", _tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _tagged)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_tagged(dumper, data: Tagged):
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_Dumper.add_representer(Tagged, _represent_tagged)


def load_mkdocs_config(path: Path) -> dict:
    return yaml.load(path.read_text("utf-8"), Loader=_Loader)


def dump_mkdocs_config(config: dict) -> str:
    return yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=200)


def mkdocs_config(nav: list, translations: dict[str, str]) -> str:
    config = load_mkdocs_config(REPO / "mkdocs.yml")
    config["site_name"] = "Synthetic benchmark report"
    config["nav"] = nav
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            for language in plugin["i18n"].get("languages") or []:
                if not language.get("default"):
                    language["site_name"] = "Rapport de test synthétique"
                    language["nav_translations"] = translations
    return dump_mkdocs_config(config)


# --- the repository ---------------------------------------------------------------------------

def generate(out: Path, chapters: int, casestudies: int, references: int, paragraphs: int, seed: int) -> Path:
    args = argparse.Namespace(chapters=chapters, casestudies=casestudies, references=references,
                              paragraphs=paragraphs, seed=seed)
    if out.exists():
        # Replace only a folder this script wrote (never, say, the repository itself).
        if any(out.iterdir()) and not (out / MARKER).is_file():
            raise SystemExit(f"generate_corpus: {out} exists and is not a generated corpus: refusing to replace it")
        shutil.rmtree(out)
    (out / "docs" / "en").mkdir(parents=True)
    (out / "docs" / "fr").mkdir(parents=True)
    (out / MARKER).write_text("Written by bench/generate_corpus.py; replaced by its next run.\n", "utf-8")
    for name in ("report.yml", "technologies.yml"):
        shutil.copy2(REPO / name, out / name)
    technologies = list(yaml.safe_load((REPO / "technologies.yml").read_text("utf-8")))
    rng = random.Random(seed)

    bib = [bib_entry(rng, n) for n in range(1, references + 1)]
    (out / "references.bib").write_text("\n".join(bib), "utf-8")

    cids = [f"cs{n}" for n in range(1, casestudies + 1)]
    for n, cid in enumerate(cids, start=1):
        folder = out / "casestudies" / cid
        folder.mkdir(parents=True)
        for name, text in casestudy_files(rng, n, technologies, args, seed).items():
            (folder / name).write_text(text, "utf-8")

    home = {"en": ("Home", "Synthetic benchmark report", "This site is generated for the benchmark"),
            "fr": ("Accueil", "Rapport de test synthétique", "Ce site est généré pour le banc d'essai")}
    for lang, (_, title, text) in home.items():
        (out / "docs" / lang / "index.md").write_text(
            f"---\nstatus: draft\nreport: false\n---\n# {title} {{#home}}\n\n{text} [@ref1].\n", "utf-8")

    nav: list = [{"Home": "index.md"}]
    translations = {"Home": "Accueil"}
    part: list = []
    # One cycle of keys per language, through all chapters: every reference gets cited.
    refs = {"en": RefCycle(references), "fr": RefCycle(references)}
    for number in range(1, chapters + 1):
        mine = cids[number - 1::chapters]
        name = f"chapter-{number:02d}.md"
        titles = {}
        for lang in ("en", "fr"):
            titles[lang], text = chapter_text(lang, number, args, seed, mine, refs[lang])
            (out / "docs" / lang / name).write_text(text, "utf-8")
        nav_title = f"{number}. {titles['en']}"
        translations[nav_title] = f"{number}. {titles['fr']}"
        part.append({nav_title: name})
        if len(part) == 4 or number == chapters:
            label = f"Part {(number - 1) // 4 + 1}"
            translations[label] = f"Partie {(number - 1) // 4 + 1}"
            nav.append({label: part})
            part = []

    # A small corpus may not cite every reference in its chapters: cite the rest in the annex.
    rest = "; ".join(f"@ref{n}" for n in range(refs["en"].i + 1, references + 1))
    further = {"en": f"Further reading [{rest}]." if rest else "",
               "fr": f"Autres lectures [{rest}]." if rest else ""}
    annexes = {
        "annex-case-studies.md": {
            "en": ("Annex I — Members' case studies", "This annex lists the case studies [@ref1].",
                   "{% casestudies %}"),
            "fr": ("Annexe I — Études de cas des Membres", "La présente annexe énumère les études de cas [@ref1].",
                   "{% casestudies %}")},
        "annex-references.md": {
            "en": ("Annex II — References", further["en"], "{% bibliography %}"),
            "fr": ("Annexe II — Références", further["fr"], "{% bibliography %}")},
    }
    for name, by_lang in annexes.items():
        for lang, (title, intro, directive) in by_lang.items():
            anchor = name[:-3]
            body = f"---\nstatus: draft\nannex: true\n---\n# {title} {{#{anchor}}}\n\n"
            body += (intro + "\n\n" if intro else "") + directive + "\n"
            (out / "docs" / lang / name).write_text(body, "utf-8")
    nav.append({"Annexes": [{"Members' case studies": "annex-case-studies.md"},
                            {"References": "annex-references.md"}]})
    translations.update({"Annexes": "Annexes", "Members' case studies": "Études de cas des Membres",
                         "References": "Références"})
    (out / "mkdocs.yml").write_text(mkdocs_config(nav, translations), "utf-8")
    return out


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, required=True, help="folder to write (replaced if an earlier run wrote it)")
    p.add_argument("--chapters", type=int, default=DEFAULTS["chapters"])
    p.add_argument("--casestudies", type=int, default=DEFAULTS["casestudies"])
    p.add_argument("--references", type=int, default=DEFAULTS["references"])
    p.add_argument("--paragraphs", type=int, default=DEFAULTS["paragraphs"], help="paragraphs per chapter")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--check", action="store_true",
                   help="then load it with the project's checks; fail on any problem, warnings included")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    for name in ("chapters", "casestudies", "references", "paragraphs"):
        if getattr(args, name) < 1:
            print(f"generate_corpus: --{name} must be at least 1", file=sys.stderr)
            return 2
    out = generate(args.out.resolve(), args.chapters, args.casestudies, args.references, args.paragraphs, args.seed)
    print(f"generate_corpus: wrote {out} ({args.chapters} chapters, {args.casestudies} case studies, "
          f"{args.references} references, {args.paragraphs} paragraphs per chapter)")
    if args.check:
        from wcoreport.sources.project import load_project

        problems = load_project(out).problems.items
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"generate_corpus: {len(problems)} problem(s) in the generated sources")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
