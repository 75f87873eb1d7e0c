"""The README's and docs' examples run as written (conventions: docs/index.md, "The examples run").

Every ```python block runs in a fresh interpreter in an empty directory; ```bash blocks marked
``run`` run line by line with their documented exit status; ``needs X`` blocks skip only where X is
missing. The extractor and runner are tested on synthetic markdown, so the test can fail.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import doc_blocks

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def all_blocks() -> list[doc_blocks.Block]:
    return [
        b for page in PAGES for b in doc_blocks.extract(page.read_text(encoding="utf-8"), str(page.relative_to(ROOT)))
    ]


RUNNABLE = [b for b in all_blocks() if b.runnable]


@pytest.mark.parametrize("block", RUNNABLE, ids=[b.id for b in RUNNABLE])
def test_block(block: doc_blocks.Block, tmp_path: Path) -> None:
    lacking = doc_blocks.missing(block.needs)
    if lacking:
        pytest.skip(f"{block.id} needs {', '.join(lacking)}, missing here")
    ok, report = doc_blocks.run(block, tmp_path)
    assert ok, f"{block.id} ({block.lang}) failed as written:\n{report}"


def test_every_page_is_linked_and_has_examples_that_run() -> None:
    """Each docs page is reachable from the index, and the front page's example is among those run."""
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    for page in PAGES[1:]:
        if page.name != "index.md":
            assert f"]({page.name})" in index, f"docs/index.md does not link {page.name}"
    assert any(b.path == "README.md" and b.lang == "python" for b in RUNNABLE)
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, "the front page grew past 150 lines"


SYNTHETIC = """# page

```python
print("fine")
```

<!-- doc-test: skip (demonstrates a failure) -->
```python
raise SystemExit(3)
```

```python
import no_such_module_anywhere
```

<!-- doc-test: needs laptop, rl -->
<!-- doc-test: needs ray -->
```python
print("needs")
```

```bash
pip install something
```

<!-- doc-test: run; exit 2 -->
```bash
echo one && \\
  exit 2
# a comment is not a command
exit 2
```

<!-- doc-test: run -->
```bash
false
```

```text
not code
```
"""


def test_extractor_reads_blocks_lines_and_markers() -> None:
    blocks = doc_blocks.extract(SYNTHETIC, "x.md")
    assert [(b.line, b.lang) for b in blocks] == [
        (3, "python"),
        (8, "python"),
        (12, "python"),
        (18, "python"),
        (22, "bash"),
        (27, "bash"),
        (35, "bash"),
        (39, "text"),
    ]
    assert [b.id for b in blocks if b.runnable] == ["x.md:L3", "x.md:L12", "x.md:L18", "x.md:L27", "x.md:L35"]
    assert blocks[1].skip == "demonstrates a failure"
    assert blocks[3].needs == {"laptop", "rl", "ray"}
    assert blocks[5].run and blocks[5].exit == 2
    assert doc_blocks.shell_lines(blocks[5].code) == ["echo one && exit 2", "exit 2"]
    assert doc_blocks.missing({"ray"}) in ([], ["ray"])


def test_runner_fails_broken_blocks_and_passes_good_ones(tmp_path: Path) -> None:
    blocks = doc_blocks.extract(SYNTHETIC, "x.md")
    assert doc_blocks.run(blocks[0], tmp_path) == (True, doc_blocks.run(blocks[0], tmp_path)[1])
    ok, report = doc_blocks.run(blocks[2], tmp_path)  # an import that does not exist
    assert not ok and "ModuleNotFoundError" in report
    assert doc_blocks.run(blocks[5], tmp_path)[0]  # every line exits 2, as documented
    ok, report = doc_blocks.run(blocks[6], tmp_path)  # `false` exits 1, documented 0
    assert not ok and "exited 1, documented 0" in report


@pytest.mark.parametrize(
    "bad",
    [
        "<!-- doc-test: skipp (typo) -->",
        "<!-- doc-test: needs gpu -->",
        "<!-- doc-test: skip -->",
        "<!-- doc-test: run -->",
    ],
)
def test_a_bad_marker_is_an_error_not_a_silent_skip(bad: str) -> None:
    with pytest.raises(doc_blocks.MarkerError):
        doc_blocks.extract(f"{bad}\n```python\nprint(1)\n```\n", "x.md")
