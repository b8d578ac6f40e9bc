"""The example script runs and prints nearby and search results."""
import os
import subprocess
import sys

from conftest import SOURCE


def test_nearby_and_search_example_runs():
    script = os.path.join(SOURCE, "examples", "python", "nearby_and_search.py")
    result = subprocess.run([sys.executable, script], capture_output=True, text=True, timeout=300,
                            env=os.environ.copy())
    assert result.returncode == 0, result.stderr
    assert "imported 50 questions" in result.stdout
    assert "nearest to 제주시청" in result.stdout and " m  " in result.stdout
    assert "흑돼지" in result.stdout.split("search '제주도에서 흑돼지 맛집':")[1]
