# cargo_lock.py - oracle for the rust cataloger's Cargo.lock reader: Python's
# own TOML parser (tomllib, Python 3.11+, Debian's python3).
#
# For each file named on the command line it prints "== NAME", then "E"
# when tomllib refuses the file (it must be UTF-8 TOML), else one line
# "P NAME@VERSION" per [[package]] table whose name and version are
# non-empty strings without control characters, in file order, and
# "B COUNT" for the other package tables when there are any.
import re
import sys
import tomllib

ctl = re.compile(r"[\x00-\x1f\x7f]")
for name in sys.argv[1:]:
    print("== " + name)
    try:
        with open(name, "rb") as f:
            doc = tomllib.loads(f.read().decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        print("E")
        continue
    bad = 0
    pkgs = doc.get("package", [])
    for p in pkgs if isinstance(pkgs, list) else []:
        n, v = (p.get("name"), p.get("version")) if isinstance(p, dict) else (None, None)
        if isinstance(n, str) and isinstance(v, str) and n and v and not ctl.search(n + v):
            sys.stdout.buffer.write(("P %s@%s\n" % (n, v)).encode("utf-8", "surrogateescape"))
        else:
            bad += 1
    if bad:
        print("B %d" % bad)
    sys.stdout.flush()
