"""A running `dongne serve` on a free loopback port, and a small JSON client."""
import json
import subprocess
import tempfile
import urllib.error
import urllib.request


class Host:
    def __init__(self, cli_binary, engine_dir, *extra):
        # The access log goes to a file: a pipe nobody reads would fill and
        # stall the server under load.
        self.log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [cli_binary, "serve", str(engine_dir), "--port", "0", *map(str, extra)],
            stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline()
        assert line.startswith("listening on "), (line, self.read_log())
        self.port = int(line.split()[-1])
        self.base = f"http://127.0.0.1:{self.port}"

    def request(self, method, path, body=None, token=None, raw=None, headers=None):
        """Returns (status, headers, parsed JSON body or text)."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                status, hdrs, text = res.status, dict(res.headers), res.read().decode()
        except urllib.error.HTTPError as e:
            status, hdrs, text = e.code, dict(e.headers), e.read().decode()
        kind = hdrs.get("Content-Type", "")
        return status, hdrs, json.loads(text) if "json" in kind and text else text

    def stop(self):
        """SIGTERM, then wait: returns (exit code, stderr)."""
        self.process.terminate()
        self.process.communicate(timeout=30)
        return self.process.returncode, self.read_log()

    def read_log(self):
        self.log.seek(0)
        return self.log.read()
