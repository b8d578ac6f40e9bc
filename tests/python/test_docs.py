"""The Python examples in docs/python.md run as written."""
import os
import re

from conftest import SOURCE


def test_python_doc_examples_run(monkeypatch, capsys):
    monkeypatch.chdir(SOURCE)
    with open(os.path.join(SOURCE, "docs", "python.md"), encoding="utf-8") as f:
        blocks = re.findall(r"```python\n(.*?)```", f.read(), flags=re.S)
    assert len(blocks) >= 2
    for block in blocks:
        exec(compile(block, "docs/python.md", "exec"), {})
    out = capsys.readouterr().out
    assert "애월 흑돼지 맛집?" in out and "50 75" in out
