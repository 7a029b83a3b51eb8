#!/usr/bin/env python3
"""member_rounds.py — three replicas of a signed case, each its own member, work offline and
sync in a seeded random order while the lead removes and adds members (one of the three
included).  Every CHECK rounds, after everyone has synced twice, the three must agree byte for
byte: `export case --format json`, `member list`, `quarantine list`; each must pass `verify`;
and no operation signed by a member after their removal (by the case's clock) is in any case.
Usage: member_rounds.py SEED ROUNDS CHECK (CASEFILE_BIN from the environment)."""
import os, random, shutil, subprocess, sys, tempfile

B = os.environ["CASEFILE_BIN"]
seed, rounds, check = (int(a) for a in sys.argv[1:4])
rng = random.Random(seed)
tmp = tempfile.mkdtemp()
S = os.path.join(tmp, "shared.git")
USERS = ["priya", "bob", "carol"]
failures = []


def run(who, *args, ok=True):
    env = dict(os.environ, CASEFILE_IDENTITY=os.path.join(tmp, who + ".id"),
               CASEFILE_AUTHOR="%s <%s@example.org>" % (who, who))
    p = subprocess.run([B, *args], env=env, capture_output=True, text=True, timeout=120)
    if ok and p.returncode != 0:
        raise SystemExit("seed %d: %s %s: exit %d: %s" % (seed, who, " ".join(args), p.returncode,
                                                          p.stderr.strip()))
    return p


def case(who):
    return os.path.join(tmp, who)


def sync(who):
    p = run(who, "-C", case(who), "sync", ok=False)
    if p.returncode != 0:
        raise SystemExit("seed %d: %s sync: %s" % (seed, who, p.stderr.strip()))


def ident(who):
    out = run(who, "id", "show").stdout
    return next(w for w in out.split() if w.startswith("cf1."))


def everyone_syncs():
    for _ in range(2):
        for who in USERS:
            sync(who)


def compare(round_no):
    views = {}
    for who in USERS:
        views[who] = (run(who, "-C", case(who), "export", "case", "--format", "json", "-o", "-").stdout,
                      run(who, "-C", case(who), "member", "list").stdout,
                      run(who, "-C", case(who), "quarantine", "list").stdout)
        v = run(who, "-C", case(who), "verify", ok=False)
        if v.returncode != 0:
            failures.append("seed %d round %d: verify on %s: %s" % (seed, round_no, who,
                                                                      "\n".join(l for l in (v.stdout + v.stderr).splitlines() if "problem" in l.lower() or "FAIL" in l or "not" in l)[-800:]))
    names = ["export case", "member list", "quarantine list"]
    for i, name in enumerate(names):
        if len({views[w][i] for w in USERS}) != 1:
            failures.append("seed %d round %d: %s differs between replicas" % (seed, round_no, name))
            for w in USERS:
                with open(os.path.join(os.environ.get("ROUNDS_KEEP", tmp), "%s.%d.%s" % (w, round_no, i)), "w") as f:
                    f.write(views[w][i])


def main():
    for who in USERS + ["dave"]:
        run(who, "id", "init")
    run("priya", "init", case("priya"), "--title", "Rounds")
    run("priya", "-C", case("priya"), "member", "add", "bob", ident("bob"))
    run("priya", "-C", case("priya"), "member", "add", "carol", ident("carol"))
    run("priya", "-C", case("priya"), "remote", "add", "origin", S)
    sync("priya")
    for who in ("bob", "carol"):
        run(who, "clone", S, case(who))
    carol_in, dave_in, gen, carol_name = True, False, 0, "carol"
    for r in range(1, rounds + 1):
        who = rng.choice(USERS)
        act = rng.random()
        if who == "priya" and act < 0.25:
            gen += 1
            if carol_in:
                run("priya", "-C", case("priya"), "member", "rm", carol_name)
            else:
                carol_name = "carol-%d" % gen
                run("priya", "-C", case("priya"), "member", "add", carol_name, ident("carol"))
            carol_in = not carol_in
        elif who == "priya" and act < 0.35:
            gen += 1
            if dave_in:
                run("priya", "-C", case("priya"), "member", "rm", "dave")
            else:
                run("priya", "-C", case("priya"), "member", "add", "dave", ident("dave"),
                    "--role", "viewer")
            dave_in = not dave_in
        else:
            # A change: refused here when this replica already knows its writer was removed.
            day = rng.randint(1, 28)
            if rng.random() < 0.5:
                run(who, "-C", case(who), "event", "add", "2019-06-%02d" % day,
                    "round %d by %s" % (r, who), ok=False)
            else:
                run(who, "-C", case(who), "task", "add", "round %d task by %s" % (r, who), ok=False)
        if rng.random() < 0.5:
            sync(rng.choice(USERS))
        if r % check == 0:
            everyone_syncs()
            compare(r)
    everyone_syncs()
    compare(rounds)
    # The reference: a fresh clone replays the whole log from scratch.
    run("priya", "clone", S, case("fresh"))
    ref = run("priya", "-C", case("fresh"), "export", "case", "--format", "json", "-o", "-").stdout
    if ref != run("priya", "-C", case("priya"), "export", "case", "--format", "json", "-o", "-").stdout:
        failures.append("seed %d: a fresh clone's case differs from the replicas'" % seed)
    q = run("priya", "-C", case("priya"), "quarantine", "list").stdout
    print("refused after removal: %d" % q.count("removed from the case"))


try:
    main()
finally:
    if not os.environ.get("ROUNDS_KEEP"):
        shutil.rmtree(tmp, ignore_errors=True)
for f in failures:
    print("FAIL:", f)
print("member rounds: seed %d, %d rounds, %s" % (seed, rounds, "ok" if not failures else "%d failures" % len(failures)))
sys.exit(1 if failures else 0)
