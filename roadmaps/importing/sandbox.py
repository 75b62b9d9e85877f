"""Parse an uploaded file in a child process bounded in CPU time and memory.

Uploaded files are hostile input. Whatever the readers' own limits miss, the parse runs in
``python -m roadmaps.importing.sandbox``: the child sets its own RLIMIT_CPU and RLIMIT_AS
before it reads a byte, takes the file on stdin and prints the parsed plan as JSON on
stdout. A child that runs out of time or memory dies alone; the web process, the Celery
worker and ``manage.py import_roadmap`` only wait for it (with a wall-clock timeout too).

A subprocess rather than ``multiprocessing``: Celery's prefork children are daemonic and
may not fork children of their own through multiprocessing, and limits set in a child
never touch its parent. Pure Python, no Django.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from .errors import ImportFileError
from .model import ParsedPlan
from .readers import MAX_BYTES, _too_big

CPU_SECONDS = 60
MEMORY_BYTES = 1024 * 1024 * 1024
WALL_SECONDS = 90
ROOT = Path(__file__).resolve().parents[2]


def _limits_message(cpu_seconds: int, memory_bytes: int) -> str:
    return (
        f"Разбор файла превысил пределы: {cpu_seconds} с процессорного времени или "
        f"{memory_bytes // (1024 * 1024)} МБ памяти. Разделите план на несколько файлов "
        "или уберите из него лишнее."
    )


def parse_bounded(
    data: bytes,
    filename: str,
    *,
    mapping: dict[int, str] | None = None,
    cpu_seconds: int = CPU_SECONDS,
    memory_bytes: int = MEMORY_BYTES,
    wall_seconds: int = WALL_SECONDS,
) -> ParsedPlan:
    """``parse_plan`` in a bounded child process; raises ``ImportFileError`` with a
    Russian message for every refusal, the limits included."""
    if len(data) > MAX_BYTES:
        raise _too_big(MAX_BYTES)
    command = [
        sys.executable,
        "-m",
        "roadmaps.importing.sandbox",
        "--name",
        filename,
        "--cpu",
        str(cpu_seconds),
        "--memory",
        str(memory_bytes),
    ]
    if mapping is not None:
        command += ["--mapping", json.dumps(sorted(mapping.items()))]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
    }
    try:
        done = subprocess.run(  # noqa: S603 — our own interpreter and module, no shell
            command,
            input=data,
            capture_output=True,
            timeout=wall_seconds,
            cwd=ROOT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ImportFileError(_limits_message(cpu_seconds, memory_bytes)) from None
    if done.returncode != 0:
        killed = (-signal.SIGXCPU, -signal.SIGKILL, -signal.SIGSEGV, -signal.SIGABRT)
        if done.returncode in killed or b"MemoryError" in done.stderr:
            raise ImportFileError(_limits_message(cpu_seconds, memory_bytes))
        raise RuntimeError(
            f"import sandbox exited with {done.returncode}: {done.stderr[-2000:].decode(errors='replace')}"
        )
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        raise RuntimeError("import sandbox printed no JSON") from None
    if "error" in answer:
        raise ImportFileError(answer["error"])
    return ParsedPlan.from_stored(answer["plan"])


def _set_limits(cpu_seconds: int, memory_bytes: int) -> None:
    import resource

    # Soft CPU limit → SIGXCPU (the parent names the limit), hard one second later → SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # the parse writes no files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True)
    parser.add_argument("--cpu", type=int, default=CPU_SECONDS)
    parser.add_argument("--memory", type=int, default=MEMORY_BYTES)
    parser.add_argument("--mapping")
    args = parser.parse_args(argv)
    _set_limits(args.cpu, args.memory)

    from . import parse_plan

    mapping = {int(index): key for index, key in json.loads(args.mapping)} if args.mapping else None
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    try:
        answer = {"plan": parse_plan(data, args.name, mapping=mapping).to_stored()}
    except ImportFileError as error:
        answer = {"error": str(error)}
    except MemoryError:
        answer = {"error": _limits_message(args.cpu, args.memory)}
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
