#!/usr/bin/env python3
"""mask.py CASE_DIR < screens > masked — replaces the case's random ids (records and ops,
full or as the 8-character short form), hash prefixes, commits and the temporary directory
with fixed marks, so expected screens do not depend on randomness.  Ids are read from the case itself (casefile log)."""
import json, os, re, subprocess, sys

out = subprocess.run([os.environ["CASEFILE_BIN"], "-C", sys.argv[1], "log", "--json"],
                     check=True, capture_output=True, text=True).stdout
ids = set()
for op in json.loads(out):
    for k in ("op", "record", "replica"):
        if op.get(k):
            ids.add(op[k])
text = sys.stdin.read()
# An id the screen wrapped across two lines (a JSON value in History's detail pane).
for i in ids:
    for k in range(1, len(i)):
        text = re.sub(re.escape(i[:k]) + r"(\n *)" + re.escape(i[k:]),
                      lambda m: "<wrapped id>" + m.group(1), text)
for i in sorted(ids, key=len, reverse=True):
    text = text.replace(i, "<" + "=" * 18 + ">")
for i in ids:
    text = text.replace(i[:8], "<id....>")
text = re.sub(r"\b[0-9a-f]{16}\.\.\.", "<hash..........>...", text)
# The object id in the name of a set-aside ops/ file (export/sync/sync_merge.c).
text = re.sub(r"\.set-aside-[0-9a-f]{1,40}", ".set-aside-<blob>", text)
# Commits of the case's repository (their ops/ files hold random ids) and the temporary
# directory the case is in (evidence file paths, a remote beside the case).
git_dir = os.path.join(sys.argv[1], "casefile.git")
if os.path.isdir(git_dir):
    revs = subprocess.run(["git", "--git-dir", git_dir, "rev-list", "--all"],
                          capture_output=True, text=True).stdout.split()
    for c in revs:
        text = text.replace(c, "<commit" + "." * 32 + ">").replace(c[:12], "<commit....>")
text = text.replace(os.path.dirname(os.path.abspath(sys.argv[1])), "<tmp>")
sys.stdout.write(text)
