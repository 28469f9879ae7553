"""Reading an upload in a child process, with a memory and a time limit (issue 13).

A hostile file (a sheet that declares a billion cells, a zip bomb, a pathological CSV) then
costs one child process at most `MEMORY_BUDGET_MB` and `TIME_LIMIT_S`, never the server that
every user shares; while the child works, the server thread that waits for it holds no lock,
so other sessions carry on. Children are forked from a `multiprocessing` fork server that
imported pandas, pyarrow and openpyxl once, so starting one takes milliseconds.
"""

from __future__ import annotations

import mmap
import multiprocessing
import multiprocessing.forkserver
import multiprocessing.reduction
import multiprocessing.spawn
import os
import pickle
import resource
from collections.abc import Callable
from typing import Any

from analysis.problems import Problem, UploadError

#: Memory a child may use on top of what it starts with (address space, RLIMIT_AS).
MEMORY_BUDGET_MB = 1536
#: Longest a child may read one upload.
TIME_LIMIT_S = 120
#: Modules the fork server imports once, for every child it forks.
PRELOAD = (
    "data.uploads.child_start",  # first: it picks pyarrow's allocator
    "numpy",
    "pandas",
    "pyarrow",
    "pyarrow.compute",
    "openpyxl",
    "pyreadstat",  # SPSS files are read in these children too (data.sav_child)
    "data.survey",
    "data.aggregates",
    "data.postcodes",
)

_context: Any = None
#: Name of every reading child (see `_preparation_data`).
CHILD_NAME = "sociale-basis-upload"

_original_preparation_data = multiprocessing.spawn.get_preparation_data


def _preparation_data(name: str) -> dict[str, Any]:
    """Return what a new child prepares with, without re-running the parent's main script.

    multiprocessing makes a forkserver child import the parent's ``__main__`` again. Under
    ``streamlit run`` that module is the app script itself: every reading child would run
    app.py (and call the reader from there, which fails). Our children need nothing from the
    main module (their function lives in `data`), so for them it is left out; every other
    process keeps multiprocessing's own behaviour.
    """
    data = _original_preparation_data(name)
    if name == CHILD_NAME:
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
    return data


multiprocessing.spawn.get_preparation_data = _preparation_data


def _get_context() -> Any:
    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(PRELOAD))
        _context = context
    return _context


def start() -> None:
    """Start the fork server now, so that the first upload does not wait for it.

    The fork server imports `PRELOAD` once (about 0,6 s); without this the first upload after
    a server start pays for it. A warm-up may call this; calling it again does nothing.
    """
    _get_context()
    multiprocessing.forkserver.ensure_running()


#: Arguments of at least this many bytes reach the child through shared memory, not the pipe.
SHARED_BYTES = 1024 * 1024


class _Shared:
    """Bytes handed to a child as a memory file (``memfd``), not pickled through the pipe.

    An upload of 38 MB sent as a pickle is copied into the pickle, through a 64 KB pipe and
    out of it again (about 50 ms, more under load); in a memory file it is written once, the
    child receives the file itself (its descriptor travels beside the pickle, as the pipe's
    does) and reads it in one call. The memory file is anonymous memory, never on a disk,
    and gone when both processes have closed it.
    """

    def __init__(self, data: bytes) -> None:
        self.size = len(data)
        self.fd = os.memfd_create("upload", os.MFD_CLOEXEC)
        view, written = memoryview(data), 0
        while written < self.size:
            written += os.write(self.fd, view[written:])

    def __reduce__(self) -> tuple[Any, tuple[Any, int]]:
        """Pickle as the descriptor (only while a child is started: `reduction.DupFd`)."""
        return _from_memory_file, (multiprocessing.reduction.DupFd(self.fd), self.size)

    def close(self) -> None:
        """Close this process's descriptor (the child holds its own)."""
        os.close(self.fd)


def _from_memory_file(handle: Any, size: int) -> bytes:
    """Return the bytes of a memory file sent by `_Shared` (in the child), and close it."""
    fd = handle.detach()
    try:
        parts, at = [], 0
        while at < size:
            parts.append(os.pread(fd, size - at, at))
            if not parts[-1]:
                raise EOFError("the memory file ended early")
            at += len(parts[-1])
        return parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(fd)


def _shared(args: tuple) -> tuple:
    """Return ``args`` with every large ``bytes`` wrapped in `_Shared` (where Linux has memfd)."""
    if not hasattr(os, "memfd_create"):
        return args
    return tuple(_Shared(a) if isinstance(a, bytes) and len(a) >= SHARED_BYTES else a for a in args)


def _virtual_size() -> int:
    """Return this process's address space in bytes (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _child(
    conn: Any,
    budget: int,
    seconds: int,
    func: Callable[..., Any],
    args: tuple,
    out: int | None = None,
) -> None:
    """Run ``func(*args)`` under the limits and send back ``(status, payload)``.

    ``out``: a memory file to write the answer into (see `_send`); None sends it by the pipe.
    """
    limit = _virtual_size() + budget
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))
    try:
        result: tuple[str, Any] = ("ok", func(*args))
    except UploadError as err:
        result = ("error", err)
    except MemoryError:
        result = ("memory", None)
    except Exception as err:  # a bug or a file no reader foresaw: its type, never its text
        result = ("crash", type(err).__name__)
    try:
        _send(conn, result, out)
    except MemoryError:
        _send(conn, ("memory", None), out)
    finally:
        conn.close()


#: Where each buffer of an answer starts in the memory file: a multiple of this (Arrow's
#: alignment), so that no array comes back unaligned.
_ALIGN = 64


def _send(conn: Any, result: tuple[str, Any], out: int | None = None) -> None:
    """Send a result with its large buffers beside the pickle, not copied into it.

    Pickle protocol 5 hands over every buffer that supports it (pyarrow's, numpy's) as it
    is: a 500 000-row frame of text is not first copied into one 130 MB pickle (which also
    took the child's memory up by that much). With a memory file ``out`` the pickle and the
    buffers are written into it once, and only where each lies goes through the pipe; the
    server maps the file and the arrays it unpickles lie in that memory as written (no copy
    through a 64 KB pipe and out of it again: 80 of the 90 ms a 500 000-row frame took).
    """
    buffers: list[pickle.PickleBuffer] = []
    head = pickle.dumps(result, protocol=5, buffer_callback=buffers.append)
    if out is None:
        conn.send_bytes(len(buffers).to_bytes(8, "little"))
        conn.send_bytes(head)
        for buffer in buffers:
            conn.send_bytes(buffer.raw())
        return
    places, at = [], 0
    for part in [memoryview(head), *(buffer.raw() for buffer in buffers)]:
        places.append((at, part.nbytes))
        _write_at(out, part, at)
        at = -(-(at + part.nbytes) // _ALIGN) * _ALIGN
    conn.send_bytes(pickle.dumps(places))


def _write_at(fd: int, data: memoryview, offset: int) -> None:
    """Write all of ``data`` into file ``fd`` at ``offset``."""
    done = 0
    while done < data.nbytes:
        done += os.pwrite(fd, data[done:], offset + done)


def _receive(conn: Any, out: int | None = None) -> tuple[str, Any]:
    """Receive what `_send` sent (from our own child: the pickle is ours)."""
    if out is None:
        count = int.from_bytes(conn.recv_bytes(), "little")
        head = conn.recv_bytes()
        buffers = [conn.recv_bytes() for _ in range(count)]
        return pickle.loads(head, buffers=buffers)
    places = pickle.loads(conn.recv_bytes())
    size = max(at + length for at, length in places)
    # A private mapping: the arrays are writable, and a write never reaches the file.
    memory = memoryview(mmap.mmap(out, size, access=mmap.ACCESS_COPY))
    parts = [memory[at : at + length] for at, length in places]
    return pickle.loads(parts[0], buffers=parts[1:])


class _Descriptor:
    """A file descriptor of this process that a starting child receives as its own."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __reduce__(self) -> tuple[Any, tuple[Any]]:
        """Pickle as the descriptor (only while a child is started: `reduction.DupFd`)."""
        return _detached, (multiprocessing.reduction.DupFd(self.fd),)


def _detached(handle: Any) -> int:
    """Return the child's own descriptor of a `_Descriptor`."""
    return handle.detach()


def run_isolated(
    func: Callable[..., Any],
    *args: Any,
    where: str,
    error: type[UploadError] = UploadError,
    budget_mb: int = MEMORY_BUDGET_MB,
    seconds: int = TIME_LIMIT_S,
    crashed: tuple[str, str] | None = None,
) -> Any:
    """Return ``func(*args)`` computed in a child process within memory and time limits.

    ``func`` must be a module-level function (it is sent to the child by name). An
    `UploadError` it raises comes back as it is; running out of memory or time, or a crash
    of the child, becomes ``error`` with a Dutch message naming ``where`` and the limit.
    ``crashed`` (problem, expected) replaces the message of a crash where the caller knows
    better what it means (SPSS: a file the C reader cannot read).
    """
    context = _get_context()
    receiver, sender = context.Pipe(duplex=False)
    sent = _shared(args)
    out = os.memfd_create("answer", os.MFD_CLOEXEC) if hasattr(os, "memfd_create") else None
    child = context.Process(
        target=_child,
        args=(sender, budget_mb * 1024 * 1024, seconds, func, sent)
        + (() if out is None else (_Descriptor(out),)),
        name=CHILD_NAME,
        daemon=True,
    )
    try:
        child.start()
    finally:
        sender.close()
        for arg in sent:
            if isinstance(arg, _Shared):
                arg.close()
    try:
        if not receiver.poll(seconds):
            raise _limit(
                error, where, f"het inlezen duurde langer dan {seconds} seconden en is gestopt"
            )
        status, payload = _receive(receiver, out)
    except EOFError:  # killed (CPU limit) or crashed without a word
        if crashed is not None:
            raise error.from_issues([Problem(where, *crashed)]) from None
        raise _limit(
            error, where, "het inlezen is afgebroken (te veel rekenwerk of een fout in het bestand)"
        ) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
        if out is not None:
            os.close(out)  # (a mapping of it lives on as long as the arrays in it)
    if status == "ok":
        return payload
    if status == "error":
        if isinstance(payload, error):
            raise payload
        raise error(str(payload), payload.issues)
    if status == "memory":
        raise _limit(
            error, where, f"het inlezen had meer dan {budget_mb} MB geheugen nodig en is gestopt"
        )
    if crashed is not None:
        raise error.from_issues([Problem(where, *crashed)])
    raise _limit(error, where, f"het bestand kon niet worden gelezen (interne fout: {payload})")


def _limit(error: type[UploadError], where: str, problem: str) -> UploadError:
    expected = "een kleiner bestand, of de gegevens als CSV-bestand"
    return error.from_issues([Problem(where, problem, expected)])
