"""Run the `escalation` command in a forked child with bounded memory and time.

Why fork: importing the package and its libraries costs a second or more, and a table of
sixty hostile inputs must not pay that sixty times. A helper process (this file run as a
script) imports the CLI once; each case is a fork of it with its address space allowed to
grow by at most MEMORY_BYTES (RLIMIT_AS) and a deadline after which it is killed. The
child runs `sim.cli.main()` exactly as the `escalation` entry point does, with its stdout
and stderr sent to files the test reads.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

MEMORY_BYTES = 768 * 1024 * 1024
TIMEOUT = 120.0  # a bound against runaway cases, far above what any case needs


@dataclass
class Outcome:
    code: int | None
    stdout: str
    stderr: str
    killed: str = ""  # why the child was stopped: "timeout" or a signal name


class Sandbox:
    """The test side: send a case to the helper, get its outcome back."""

    def __init__(self) -> None:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore::DeprecationWarning",
               "COLUMNS": "200"}
        self.proc = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, env=env)
        assert json.loads(self.proc.stdout.readline()) == {"ready": True}
        self.scratch = tempfile.mkdtemp(prefix="sandbox-")

    def run(self, args: list[str], cwd: Path, env: dict[str, str] | None = None,
            timeout: float = TIMEOUT) -> Outcome:
        out, err = Path(self.scratch) / "stdout", Path(self.scratch) / "stderr"
        request = {"args": [str(a) for a in args], "cwd": str(cwd), "env": env or {}, "timeout": timeout,
                   "stdout": str(out), "stderr": str(err)}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        return Outcome(reply["code"], out.read_text(errors="replace"), err.read_text(errors="replace"),
                       reply["killed"])

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        shutil.rmtree(self.scratch, ignore_errors=True)


def _serve() -> None:
    """The helper: import once, then fork one child per request line."""
    import importlib
    import resource
    import signal
    import time

    import sim.cli
    for name in ("sim.run.batch", "sim.run.sweep", "sim.run.experiment", "sim.run.single",
                 "sim.analysis.figures", "sim.model"):
        importlib.import_module(name)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        req = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(req, sim.cli.main, resource)
        deadline, killed = time.monotonic() + req["timeout"], ""
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                _, status = os.waitpid(pid, 0)
                killed = "timeout"
                break
            time.sleep(0.01)
        code = os.waitstatus_to_exitcode(status)
        if code < 0 and not killed:
            killed = signal.Signals(-code).name
        print(json.dumps({"code": code, "killed": killed}), flush=True)


def _child(req: dict, main, resource) -> None:
    code = 70
    try:
        for stream, fd in ((req["stdout"], 1), (req["stderr"], 2)):
            target = os.open(stream, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(target, fd)
            os.close(target)
        os.chdir(req["cwd"])
        os.environ.update(req["env"])
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (_vm_size() + MEMORY_BYTES, hard))
        sys.argv = ["escalation", *req["args"]]
        try:
            main()
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BaseException:
        import traceback
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _vm_size() -> int:
    """This process's address space now, in bytes (from /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


if __name__ == "__main__":
    _serve()
