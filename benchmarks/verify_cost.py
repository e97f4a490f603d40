"""CPU of one approval-signature check (attack round 6, row 2b: every signature is verified with ``ssh-keygen -Y verify``
on every build, never taken from the cache). Prints the CPU of the ssh-keygen processes and of this process per check,
and the wall time, for N different signatures checked three ways (issue 19): one after another with the signature in a
temporary file (as before), one after another through a pipe (Linux), and side by side as a build runs them
(``signing.concurrent``, WORKERS threads, default the number of cores). Those three with the in-process check
switched off (sig19: every check an ssh-keygen process, as before); then as a build runs them now, one after another
and side by side, where the in-process check accepts the demonstration key's good signatures without ssh-keygen.

Run: .venv/bin/python benchmarks/verify_cost.py 200 [WORKERS]
"""

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from publish import signing
from publish.approval import signed_text

from support import DEMO_KEY, DEMO_SIGNERS

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
WORKERS = int(sys.argv[2]) if len(sys.argv) > 2 else (os.cpu_count() or 1)
principal = signing.principal_for(DEMO_KEY, DEMO_SIGNERS)
texts = [
    signed_text({"besluit.md": f"{i:064x}"}, principal, "2024-06-01T00:00:00+00:00", {"kenmerk": str(i), "type": "woo"})
    for i in range(N)
]
requests = [(t, signing.sign(t, DEMO_KEY), principal) for t in texts]


def measure(name: str, run) -> None:
    c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    s0 = resource.getrusage(resource.RUSAGE_SELF)
    w0 = time.perf_counter()
    run()
    c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    s1 = resource.getrusage(resource.RUSAGE_SELF)
    w1 = time.perf_counter()
    ch = (c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime) / N * 1000
    se = (s1.ru_utime + s1.ru_stime - s0.ru_utime - s0.ru_stime) / N * 1000
    print(
        f"{name}: {N} checks: ssh-keygen CPU {ch:.2f} ms each, this process CPU {se:.2f} ms each, "
        f"wall {(w1 - w0) / N * 1000:.1f} ms each",
        flush=True,
    )


def one_by_one() -> None:
    for data, sig, who in requests:
        signing.verify(data, sig, who, DEMO_SIGNERS)


def side_by_side() -> None:
    with signing.concurrent(WORKERS) as checks:
        for data, sig, who in requests:
            checks.submit(data, sig, who, DEMO_SIGNERS)
        one_by_one()


pipes = signing._PIPES
signing._IN_PROCESS = False
signing._PIPES = False
measure("ssh-keygen, one by one, file", one_by_one)
signing._PIPES = pipes
measure("ssh-keygen, one by one" + (", pipe" if pipes else ", file"), one_by_one)
measure(f"ssh-keygen, side by side ({WORKERS} threads)", side_by_side)
signing._IN_PROCESS = True
before = signing.COUNTERS["ssh_keygen"]
measure("as built, one by one", one_by_one)
measure(f"as built, side by side ({WORKERS} threads)", side_by_side)
print(f"as built: {signing.COUNTERS['ssh_keygen'] - before} of {2 * N} checks went to ssh-keygen")
