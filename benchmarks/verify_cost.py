"""CPU of one approval-signature check (attack round 6, row 2b: every signature is verified with ``ssh-keygen -Y verify``
on every build, never taken from the cache). Prints the CPU of the ssh-keygen processes and of this process per check.

Run: .venv/bin/python benchmarks/verify_cost.py 200
"""

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from publish import signing
from publish.approval import signed_text

from support import DEMO_KEY, DEMO_SIGNERS

data = signed_text({"besluit.md": "0" * 64}, "demo", "2024-06-01T00:00:00+00:00", {"kenmerk": "1", "type": "woo"})
principal = signing.principal_for(DEMO_KEY, DEMO_SIGNERS)
sig = signing.sign(data, DEMO_KEY)
N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
s0 = resource.getrusage(resource.RUSAGE_SELF)
w0 = time.perf_counter()
for _ in range(N):
    signing.verify(data, sig, principal, DEMO_SIGNERS)
c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
s1 = resource.getrusage(resource.RUSAGE_SELF)
w1 = time.perf_counter()
ch = (c1.ru_utime + c1.ru_stime - c0.ru_utime - c0.ru_stime) / N * 1000
se = (s1.ru_utime + s1.ru_stime - s0.ru_utime - s0.ru_stime) / N * 1000
print(f"{N} checks: ssh-keygen CPU {ch:.2f} ms each, this process CPU {se:.2f} ms each, wall {(w1 - w0) / N * 1000:.1f} ms each")
