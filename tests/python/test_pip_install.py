"""`pip install . --no-build-isolation` works offline with Debian's setuptools and
pybind11, and the installed module works outside the source tree."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import SOURCE


def test_pip_install_offline(tmp_path):
    if subprocess.run([sys.executable, "-m", "pip", "--version"], capture_output=True).returncode:
        pytest.skip("pip is not installed (Debian package python3-pip)")
    source = tmp_path / "src"
    shutil.copytree(SOURCE, source, ignore=shutil.ignore_patterns(
        ".git", "build*", "node_modules", "__pycache__", "*.egg-info"))
    target = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-index",
         "--target", str(target), str(source)],
        capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    check = subprocess.run(
        [sys.executable, "-c",
         "import dongne, tempfile\n"
         "with dongne.Engine(tempfile.mkdtemp()) as e:\n"
         "    print(e.create_user('귤러버').balance)"],
        capture_output=True, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target), "TMPDIR": str(tmp_path)})
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == "100"
