"""PDF inspection on more than one machine (issue 19): the optional Dask engine.

The heavy part of a build, the PDF gate and text extraction (``pdfs._work``), is a pure function of a
PDF's content hash. With ``--engine dask --scheduler tcp://host:8786`` (or ``extra.woo.rekenen`` in
mkdocs.yml) the PDFs that are not yet in the cache are inspected on the workers of a Dask cluster
instead of local processes; everything else (validation, pages, search index) stays on the build
machine. Requirements, checked before any work is sent:

- ``pip install "woo-publicatie[cluster]"`` on the build machine and on every worker, the same version
  (the cache is keyed by the code: a worker with other code is refused, not used);
- the decisions folder is a shared directory (NFS, SMB, a cluster file system), mounted at the same path
  on the build machine and every worker; the cache is too, or it is the organisation's S3-compatible
  storage (``--cache s3://bucket/prefix``, publish/cachestore.py). Workers read the PDF and write the
  result and the published copy into the shared cache; the build machine reads them back and checks
  every entry's SHA-256 and MAC as it does for a local cache;
- every worker has the build's cache key on its own disk (the build's key path, or $WOO_CACHE_KEY_FILE
  in the worker's environment): the key never goes over the scheduler, only an HMAC that identifies it is
  compared (``connect``).

The time limit of issue 12 holds on the cluster too: each Dask worker thread hands the PDF to a
helper process of its own and kills it past ``limieten.pdf_seconden``; the PDF is refused with the
same message as in a local build. A PDF that takes down whole workers (Dask retries it elsewhere, then
gives up) is refused as "vastgelopen". Nothing is fetched from the internet: the scheduler address is
the organisation's own.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading

ENGINES = ("lokaal", "dask")
SCHEDULER = re.compile(r"(tcp|tls)://[A-Za-z0-9.\-]+(:\d{1,5})?|(tcp|tls)://\[[0-9A-Fa-f:.]+\](:\d{1,5})?")
CONNECT_SECONDS = 10


class ClusterError(Exception):
    """The cluster cannot be used; the message is Dutch and says what to do."""


def dask_missing() -> str:
    """Empty when dask.distributed can be imported, else the Dutch explanation."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        return (
            "de rekenmotor 'dask' is gekozen, maar Dask is niet geïnstalleerd. Installeer het met "
            "'pip install \"woo-publicatie[cluster]\"', of bouw met '--engine lokaal'."
        )
    return ""


# --- the helper process on a worker: one per Dask worker thread ---------------------------------------------------
class _Helper:
    """A child process that runs ``pdfs._serve`` over a socket pair; killed past the time limit.
    (Dask's worker processes are daemonic, so multiprocessing may not start children there.)"""

    def __init__(self, limits):
        from multiprocessing.connection import Connection

        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "publish.cluster", str(theirs.fileno())], pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL
        )
        theirs.close()
        self.conn = Connection(ours.detach())
        self.limits = limits
        self.conn.send(limits)

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        try:
            self.process.kill()
        except OSError:
            pass
        self.process.wait()
        self.conn.close()


_helpers: dict[int, _Helper] = {}
_lock = threading.Lock()


def inspect_remote(job: tuple, limits) -> dict:
    """The Dask task: inspect one PDF in this thread's helper process, within the time limit."""
    from .pdfs import PDF_CODE_VERSION

    key = threading.get_ident()
    with _lock:
        helper = _helpers.get(key)
    if helper is None or not helper.alive() or helper.limits != limits:
        if helper is not None:
            helper.kill()
        helper = _Helper(limits)
        with _lock:
            _helpers[key] = helper
    try:
        helper.conn.send(job)
        if helper.conn.poll(limits.pdf_seconds):
            result = helper.conn.recv()
            result["code_version"] = PDF_CODE_VERSION
            return result
        timed_out = True
    except (EOFError, OSError):
        timed_out = False
    helper.kill()
    with _lock:
        _helpers.pop(key, None)
    if timed_out:
        return timeout_result(limits, job[1])
    return crashed_result(job[1])


def timeout_result(limits, sha: str) -> dict:
    from .limits import dutch_number

    return {
        "ok": False,
        "error": "het lezen van de pdf duurde te lang; het is afgebroken na "
        f"{dutch_number(limits.pdf_seconds)} seconden ({limits.setting('pdf_seconds')}).",
        "error_code": "limiet.pdf_seconden",
        "sha256": sha,
    }


def crashed_result(sha: str) -> dict:
    return {
        "ok": False,
        "error": "het lezen van de pdf is vastgelopen (het proces stopte onverwacht, bijvoorbeeld door te weinig geheugen).",
        "error_code": "pdf.vastgelopen",
        "sha256": sha,
    }


def _code_version() -> str:
    from .pdfs import PDF_CODE_VERSION

    return PDF_CODE_VERSION


# --- the build machine's side --------------------------------------------------------------------------------------
def connect(scheduler: str, cache=None):
    """A Dask client for the scheduler, with every worker on the same code and, given the build's ``cache``, the
    same cache key (compared by ``key_identity``: the key itself never goes over the network); ClusterError otherwise."""
    missing = dask_missing()
    if missing:
        raise ClusterError(missing)
    from distributed import Client

    from .safetext import safe

    try:
        client = Client(scheduler, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ClusterError(
            f"de Dask-scheduler {safe(scheduler)} is niet bereikbaar ({type(exc).__name__}). Controleer het adres "
            "(--scheduler of extra.woo.rekenen.scheduler) en of de scheduler draait, of bouw met "
            "'--engine lokaal'."
        ) from None
    try:
        _check_workers(client, scheduler, cache)
    except BaseException:
        client.close()  # once, whatever check failed
        raise
    return client


def _ask_workers(client, function, *args) -> dict:
    """``function(*args)`` on every worker, by worker address; ClusterError when the workers cannot be asked."""
    try:
        return client.run(function, *args)
    except Exception as exc:  # noqa: BLE001 - any failure here means the cluster is not usable
        raise ClusterError(
            f"de Dask-workers konden niet bevraagd worden ({type(exc).__name__}); bouw met '--engine lokaal' "
            "of herstart de workers."
        ) from None


def _check_workers(client, scheduler: str, cache) -> None:
    """ClusterError unless the cluster has workers, all on this code version and (given ``cache``) this cache key."""
    from .pdfs import PDF_CODE_VERSION
    from .safetext import safe

    versions = _ask_workers(client, _code_version)
    if not versions:
        raise ClusterError(
            f"de Dask-scheduler {safe(scheduler)} heeft geen workers. Start workers ('dask worker "
            f"{safe(scheduler)}'), of bouw met '--engine lokaal'."
        )
    other = sorted(w for w, v in versions.items() if v != PDF_CODE_VERSION)
    if other:
        raise ClusterError(
            f"{len(other)} Dask-worker(s) draaien een andere versie van woo-publicatie of de pdf-bibliotheken "
            f"(bijvoorbeeld {safe(other[0])}). Installeer overal dezelfde versie, of bouw met '--engine lokaal'."
        )
    if cache is not None:
        from .cachestore import key_identity, worker_key_identity

        spec = cache.spec()
        keys = _ask_workers(client, worker_key_identity, spec)
        mine = key_identity(cache.secret)
        wrong = sorted(w for w, v in keys.items() if v != mine)
        if wrong:
            raise ClusterError(
                f"{len(wrong)} Dask-worker(s) hebben niet dezelfde cachesleutel als deze build (bijvoorbeeld {safe(wrong[0])}). "
                f"Zet op elke worker het sleutelbestand ({safe(spec.key_file)}) met rechten 600 op dezelfde plaats, of "
                "wijs het aan met WOO_CACHE_KEY_FILE in de omgeving van de worker; de sleutel gaat nooit over het netwerk."
            )


def run_jobs_dask(jobs: list[tuple], scheduler: str, limits, done) -> None:
    """Like ``pdfs.run_jobs``, on the cluster: ``done(job, result)`` as each PDF finishes."""
    from distributed import as_completed

    from .pdfs import PDF_CODE_VERSION

    client = connect(scheduler)
    try:
        futures = {client.submit(inspect_remote, job, limits, pure=False, retries=0): job for job in jobs}
        with client.as_current():  # as_completed finds the client through it (set_as_default=False above)
            finished = as_completed(list(futures))
        for future in finished:
            job = futures[future]
            try:
                result = future.result()
            except Exception:  # noqa: BLE001 - KilledWorker and the like: this PDF only
                result = crashed_result(job[1])
            if result.pop("code_version", PDF_CODE_VERSION) != PDF_CODE_VERSION:
                result = {
                    "ok": False,
                    "error": "een Dask-worker draait een andere versie van woo-publicatie.",
                    "error_code": "pdf.vastgelopen",
                    "sha256": job[1],
                }
            done(job, result)
    finally:
        client.close()


def _child(fd: int) -> None:
    """The helper process: first message the limits, then jobs (``pdfs._serve``)."""
    from multiprocessing.connection import Connection

    from .pdfs import _serve

    conn = Connection(fd)
    try:
        limits = conn.recv()
    except (EOFError, OSError):
        return
    _serve(conn, limits)


if __name__ == "__main__":
    _child(int(sys.argv[1]))
    os._exit(0)
