"""The Python examples in docs/python.md run as written."""
import os
import re
import tempfile

from conftest import SOURCE


def test_python_doc_examples_run(monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(SOURCE)
    # The examples make their engines with tempfile.mkdtemp(): under tmp_path
    # pytest removes them, where /tmp would keep one more each run.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with open(os.path.join(SOURCE, "docs", "python.md"), encoding="utf-8") as f:
        blocks = re.findall(r"```python\n(.*?)```", f.read(), flags=re.S)
    assert len(blocks) >= 2
    for block in blocks:
        exec(compile(block, "docs/python.md", "exec"), {})
    out = capsys.readouterr().out
    assert "애월 흑돼지 맛집?" in out and "50 75" in out
