"""The sources and their model: everything a report repository holds, loaded and checked, each
problem with its file and line.

    project.py: load_project(root) -> Project, the whole repository loaded
    chapters.py: the chapters of docs/<lang>/ and the site's layout (mkdocs.yml, nav)
    casestudies.py: Members' case studies (casestudy.yml and their texts)
    metadata.py: report.yml, the document's metadata
    vocabulary.py: Members, regions and statuses
    yamlfile.py: YAML read with the line of every value; declared schemas
    diagnostics.py: Problem, Problems, ContentError, UsageError: path:line messages
    source_names.py: names that differ only by case, refused
    bidi_controls.py: Unicode bidirectional controls, refused where they can hide text
"""
