#!/usr/bin/env python3
"""Measure the two chart libraries considered for `wcoreport.data.charts` on one bar chart.

    python bench/chart_libraries.py [--repeat N]

For each of vl-convert and matplotlib: the time of the first chart in a fresh process (import,
start-up, first drawing), the median time of a further SVG and of a PNG at 300 dpi, whether the
SVG keeps its labels as `<text>` in Liberation Serif, whether two drawings give the same bytes,
and whether Typst keeps the SVG's text in the PDF. Each library runs in its own process, so
neither pays for the other's start-up. matplotlib is not a dependency of the project: install it
to compare (`pip install matplotlib`). The result for the choice is in the module docstring of
`src/wcoreport/data/charts.py`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

FONTS = Path(__file__).resolve().parent.parent / "src" / "wcoreport" / "report" / "fonts"
LABELS = ["MENA", "A/P", "EUR", "AMS"]
VALUES = [38.8, 37.1, 30.1, 33.3]

VL_CONVERT = r"""
import time, statistics, sys
t0 = time.perf_counter()
import vl_convert as vlc
vlc.register_font_directory(FONTS)
spec = {"width": 440, "height": 260, "config": {"font": "Liberation Serif"},
        "data": {"values": [{"x": x, "y": y} for x, y in zip(LABELS, VALUES)]},
        "mark": "bar", "encoding": {"x": {"field": "x", "type": "nominal", "sort": None, "title": "Région"},
        "y": {"field": "y", "type": "quantitative", "title": "Taux (%)"}}}
loc = {"decimal": ",", "thousands": "\u202f", "grouping": [3], "currency": ["", ""]}
def svg(): return vlc.vegalite_to_svg(spec, format_locale=loc, allowed_base_urls=[]).encode()
def png(): return vlc.vegalite_to_png(spec, ppi=300, format_locale=loc, allowed_base_urls=[])
first = svg(); first_time = time.perf_counter() - t0
"""

MATPLOTLIB = r"""
import time, statistics, sys, io, glob
t0 = time.perf_counter()
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import font_manager, ticker
for f in glob.glob(FONTS + "/*.ttf"):
    font_manager.fontManager.addfont(f)
matplotlib.rcParams.update({"font.family": "Liberation Serif", "svg.fonttype": "none", "svg.hashsalt": "wco"})
def draw(kind, **kw):
    fig, ax = plt.subplots(figsize=(6.1, 3.6))
    ax.bar(LABELS, VALUES)
    ax.set_xlabel("Région"); ax.set_ylabel("Taux (%)")
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, p: f"{v:g}".replace(".", ",")))
    out = io.BytesIO(); fig.savefig(out, format=kind, metadata={"Date": None} if kind == "svg" else {"Software": None}, **kw)
    plt.close(fig); return out.getvalue()
def svg(): return draw("svg")
def png(): return draw("png", dpi=300)
first = svg(); first_time = time.perf_counter() - t0
"""

COMMON = r"""
def median(f, n):
    times = []
    for _ in range(n):
        a = time.perf_counter(); f(); times.append(time.perf_counter() - a)
    return statistics.median(times)
import json, re, io
text = first.decode()
tags = re.findall(r"<text[^>]*>", text)
result = {"first_chart_s": round(first_time, 3), "svg_s": round(median(svg, REPEAT), 4),
          "png_300dpi_s": round(median(png, REPEAT), 4),
          "svg_text_elements": len(tags), "liberation_serif": all("Liberation Serif" in t for t in tags) and bool(tags),
          "same_bytes": svg() == svg() and png() == png()}
try:
    import typst, pypdf, tempfile, os
    with tempfile.TemporaryDirectory() as d:
        open(os.path.join(d, "c.svg"), "wb").write(first)
        open(os.path.join(d, "m.typ"), "w").write('#image("c.svg", alt: "chart")')
        pdf = typst.compile(os.path.join(d, "m.typ"), font_paths=[FONTS], ignore_system_fonts=True)
        pdf_text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
        result["typst_keeps_text"] = all(label in pdf_text for label in LABELS + ["Région"])
except ImportError:
    result["typst_keeps_text"] = "typst or pypdf missing"
print(json.dumps(result))
"""


def measure(name: str, code: str, repeat: int) -> dict:
    prelude = f"FONTS = {str(FONTS)!r}\nLABELS = {LABELS!r}\nVALUES = {VALUES!r}\nREPEAT = {repeat}\n"
    done = subprocess.run([sys.executable, "-c", prelude + code + COMMON], capture_output=True, text=True)
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    for name, code in (("vl-convert", VL_CONVERT), ("matplotlib", MATPLOTLIB)):
        print(f"{name:12} {json.dumps(measure(name, code, args.repeat))}")


if __name__ == "__main__":
    main()
