"""Shared fixtures for the end-to-end tests of the hosts."""
import json
import os
import subprocess

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(REPO, "examples", "data", "jeju-busan.jsonl")


class Cli:
    """Runs the `dongne` executable named by $DONGNE_CLI."""

    def __init__(self, binary):
        self.binary = binary

    def run(self, *args, input=None):
        return subprocess.run([self.binary, *map(str, args)], capture_output=True,
                              text=True, input=input, timeout=120)

    def json(self, *args):
        """Runs with --json, expects success, returns the parsed stdout."""
        result = self.run(*args, "--json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.strip().splitlines()[-1])

    def error(self, *args, code):
        """Runs with --json, expects exit `code` and one JSON error line on stderr."""
        result = self.run(*args, "--json")
        assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
        lines = [l for l in result.stderr.splitlines() if l.startswith("{")]
        assert len(lines) == 1, result.stderr
        error = json.loads(lines[0])["error"]
        assert error["code"] and error["message"]
        return error


@pytest.fixture(scope="session")
def cli():
    binary = os.environ.get("DONGNE_CLI")
    if not binary or not os.path.exists(binary):
        pytest.skip("DONGNE_CLI does not name the built dongne executable")
    return Cli(binary)


@pytest.fixture
def engine_dir(tmp_path, cli):
    d = tmp_path / "engine"
    cli.json("init", d)
    return d
