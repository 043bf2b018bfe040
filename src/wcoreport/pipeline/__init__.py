"""The build's machinery: the language processes, the results kept between builds, the outputs
written atomically, the tools it runs.

    language_build.py: a language checked and built in a process of its own
    processes.py: how processes start, stop and lock, on every system
    cache.py: the store of results kept between builds, by the hash of their inputs
    uptodate.py: a build with nothing changed does nothing
    outputs.py: outputs replaced atomically; the build's scratch folder
    pandoc.py: pandoc run, its errors and warnings
    revisions.py: the sources at a git revision (review rounds)
"""
