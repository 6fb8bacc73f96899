#!/usr/bin/env python3
"""Regenerates the README's demo section from a real run of the demo.

usage: python3 src/site/update-readme.py      (after mvn -B -q package -DskipTests)

Runs `java -jar target/lossgrid.jar demo`, puts its output between the README's
<!-- demo:begin --> and <!-- demo:end --> markers and copies its picture to
src/site/images/. Nothing in that section is edited by hand.
"""
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

root = pathlib.Path(__file__).resolve().parents[2]
readme = root / "README.md"
images = root / "src" / "site" / "images"

with tempfile.TemporaryDirectory() as out:
    run = subprocess.run(["java", "-jar", str(root / "target" / "lossgrid.jar"), "demo", "--out", out],
                         capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit("demo failed:\n" + run.stderr)
    printed = run.stdout.replace(out, "lossgrid-demo")
    images.mkdir(parents=True, exist_ok=True)
    for picture in pathlib.Path(out).glob("*.png"):
        shutil.copy(picture, images / ("demo-" + picture.name))

pictures = "\n".join(f"![{p.stem}](src/site/images/{p.name})" for p in sorted(images.glob("demo-*.png")))
block = f"<!-- demo:begin -->\n```text\n$ java -jar target/lossgrid.jar demo\n{printed}```\n\n{pictures}\n<!-- demo:end -->"
text = readme.read_text()
text, count = re.subn(r"<!-- demo:begin -->.*?<!-- demo:end -->", lambda m: block, text, flags=re.S)
if count != 1:
    sys.exit("README.md has no demo markers")
readme.write_text(text)
print("updated", readme)
