#!/usr/bin/env python3
"""Regenerates the demo sections of README.md and README.zh-CN.md from real runs of the demo.

usage: python3 src/site/update-readme.py      (after mvn -B -q package -DskipTests)

Runs `java -jar target/lossgrid.jar demo --lang en` and `--lang zh`, puts each run's output and its
figures (in the book's order, with the captions of its index.html) between the README's
<!-- demo:begin --> and <!-- demo:end --> markers, and copies the figures to src/site/images/ (English)
and src/site/images/zh/ (Chinese). Nothing in those sections is edited by hand.
"""
import html
import json
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

root = pathlib.Path(__file__).resolve().parents[2]
READMES = {"en": (root / "README.md", root / "src" / "site" / "images"),
           "zh": (root / "README.zh-CN.md", root / "src" / "site" / "images" / "zh")}


def demo(lang, images):
    """Runs the demo in one language; returns what it printed and [(image path, caption)] in the book's order."""
    with tempfile.TemporaryDirectory() as out:
        run = subprocess.run(["java", "-jar", str(root / "target" / "lossgrid.jar"), "demo", "--out", out,
                              "--lang", lang, "--backend", "cpu"], capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit("demo --lang " + lang + " failed:\n" + run.stderr)
        printed = run.stdout.replace(out, "lossgrid-demo")
        figures = json.loads((pathlib.Path(out) / "summary.json").read_text())["figures"]
        page = (pathlib.Path(out) / "index.html").read_text()
        images.mkdir(parents=True, exist_ok=True)
        shown = []
        for name in figures:
            caption = re.search(r'<img src="' + re.escape(name) + r'" alt="([^"]*)"', page).group(1)
            shutil.copy(pathlib.Path(out) / name, images / ("demo-" + name))
            shown.append((images / ("demo-" + name), html.unescape(caption)))
        return printed, shown


for lang, (readme, images) in READMES.items():
    printed, shown = demo(lang, images)
    pictures = "\n\n".join(f"{caption}\n\n![{path.stem}]({path.relative_to(root)})" for path, caption in shown)
    command = "java -jar target/lossgrid.jar demo" + (" --lang zh" if lang == "zh" else "")
    block = f"<!-- demo:begin -->\n```text\n$ {command}\n{printed}```\n\n{pictures}\n<!-- demo:end -->"
    text = readme.read_text()
    text, count = re.subn(r"<!-- demo:begin -->.*?<!-- demo:end -->", lambda m: block, text, flags=re.S)
    if count != 1:
        sys.exit(f"{readme.name} has no demo markers")
    readme.write_text(text)
    print("updated", readme)
