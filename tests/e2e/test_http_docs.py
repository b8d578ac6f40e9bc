"""The curl examples of docs/http.md run against the real host and succeed."""
import os
import re
import subprocess

from conftest import REPO
from http_client import Host


def test_http_doc_examples_run(cli, engine_dir):
    with open(os.path.join(REPO, "docs", "http.md"), encoding="utf-8") as f:
        blocks = re.findall(r"```sh\n(.*?)```", f.read(), flags=re.S)
    assert blocks
    host = Host(cli.binary, engine_dir)
    try:
        for block in blocks:
            result = subprocess.run(["bash", "-euo", "pipefail", "-c", block], capture_output=True,
                                    text=True, timeout=120, env={**os.environ, "BASE": host.base})
            assert result.returncode == 0, (block, result.stdout[-2000:], result.stderr[-2000:])
            assert '"error"' not in result.stdout
    finally:
        host.stop()
