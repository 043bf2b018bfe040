"""The bibliography: references.bib read as BibTeX reads it, checked, given to citeproc as CSL JSON
in a citation style.

    bibtex.py: load_bibliography(root, problems) -> Bibliography
    bibtex_comments.py: @comment blocks as BibTeX treats them
    latex_text.py: LaTeX of the fields as Unicode text
    csl_json.py: an entry as CSL JSON for citeproc
    organization_names.py: an organization's name in each language
    citation_style.py: the csl: of report.yml, a shipped style (styles/) or a file
"""
