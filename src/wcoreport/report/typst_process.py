"""Typst's compilation of one report, in a process of its own.

A report's compilation takes as much memory as the rest of a language's build (some 400 MB for
250 pages): made in the build's process, it would come on top of the documents' trees held
there. A process of its own gives it back to the system when the PDF is made.

This file is run as a script (`python -P typst_process.py`), not imported: the process loads
Typst and nothing else of this package. It reads one pickled request on its standard input and
writes one pickled answer on its standard output:

    request  {"source": bytes, "root": str, "font_paths": [str], "inputs": {str: str},
              "timestamp": int | None, "standards": [str]}
    answer   ("pdf", bytes, [(message, diagnostic), ...])   # the PDF and Typst's warnings
             ("error", message, diagnostic)                 # Typst refused the document
             ("missing", message)                           # the typst package is not installed
"""

from __future__ import annotations

import pickle
import sys


def compile_request(request: dict) -> tuple:
    try:
        import typst
    except ImportError as exc:
        return ("missing", str(exc))
    try:
        compiler = typst.Compiler(root=request["root"], ignore_system_fonts=True, font_paths=request["font_paths"],
                                  sys_inputs=request["inputs"])
        pdf, warnings = compiler.compile_with_warnings(
            input=request["source"], format="pdf", timestamp=request["timestamp"], pdf_tags=True,
            pdf_standards=request["standards"])
    except typst.TypstError as exc:
        return ("error", exc.message, exc.diagnostic or "")
    return ("pdf", pdf, [(w.message, getattr(w, "diagnostic", "") or "") for w in warnings])


def main() -> None:
    answer = compile_request(pickle.load(sys.stdin.buffer))
    pickle.dump(answer, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
