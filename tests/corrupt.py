#!/usr/bin/env python3
"""corrupt.py — damaged copies of a case database, for tests/t_corrupt.sh.

usage: corrupt.py BASE.db OUT.db SEED INDEX
       corrupt.py BASE.db OUT.db --sql STATEMENTS   (NOT NULL dropped first)

Writes one damaged copy of BASE.db to OUT.db and prints what was done on one line.  The damage
is decided by (SEED, INDEX) alone, so a failing copy is made again by its two numbers:
  0 bit flips (1-16 random bits)        1 truncation (at a random byte or page boundary)
  2 page damage (zeroed, random bytes, another page's copy)
  3 NULL in one column of every row, or of one row (NOT NULL dropped from the schema first),
    every column of every table in turn
  4 a wrong type or out-of-range value in one column (text for numbers, numbers and blobs for
    text, the int64 extremes, an empty or a 100,000-byte text)
"""
import random
import shutil
import sqlite3
import sys

WRONG = [None, "x", "", -1, 0, 2**63 - 1, -2**63, 3.5, b"\x00\xff\xfe", "\x00", "9" * 40,
         "y" * 100000, "é\udcff".encode("utf-8", "surrogateescape")]


def columns(path):
    """Every (table, column) of the ordinary tables, the FTS shadow tables included."""
    db = sqlite3.connect(path)
    out = []
    for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'"
                           " AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"):
        for row in db.execute("SELECT name FROM pragma_table_info(?)", (t,)):
            out.append((t, row[0]))
    db.close()
    return out


def loosen(path):
    """Drops NOT NULL and CHECK-free typing from the schema so any value can be written."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA writable_schema=1")
    db.execute("UPDATE sqlite_master SET sql = replace(sql, 'NOT NULL', '') WHERE type='table'")
    db.commit()
    db.close()


def set_value(path, rng, table, col, value):
    loosen(path)
    db = sqlite3.connect(path)
    db.text_factory = bytes
    q = '"%s"' % table.replace('"', '""')
    c = '"%s"' % col.replace('"', '""')
    rows = [r[0] for r in db.execute("SELECT rowid FROM %s" % q)] if not table.endswith(
        "_idx") and not table.endswith("_config") else []
    try:
        if rows and rng.random() < 0.5:
            db.execute("UPDATE %s SET %s = ? WHERE rowid = ?" % (q, c),
                       (value, rng.choice(rows)))
        else:
            db.execute("UPDATE %s SET %s = ?" % (q, c), (value,))
    except sqlite3.DatabaseError:
        pass  # an INTEGER PRIMARY KEY or a WITHOUT ROWID key that cannot hold it: leave it
    db.commit()
    db.close()


def main():
    if sys.argv[3] == "--sql":
        shutil.copyfile(sys.argv[1], sys.argv[2])
        loosen(sys.argv[2])
        db = sqlite3.connect(sys.argv[2])
        db.executescript(sys.argv[4])
        db.close()
        print(sys.argv[4])
        return
    base, out, seed, index = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    rng = random.Random(seed * 1000003 + index)
    shutil.copyfile(base, out)
    data = bytearray(open(base, "rb").read())
    page = int.from_bytes(data[16:18], "big") or 65536
    npages = len(data) // page
    mode = index % 5
    if mode == 0:
        n = rng.randint(1, 16)
        for _ in range(n):
            bit = rng.randrange(len(data) * 8)
            data[bit // 8] ^= 1 << (bit % 8)
        what = "%d bit flips" % n
    elif mode == 1:
        at = rng.randrange(len(data)) if rng.random() < 0.5 else rng.randrange(npages) * page
        del data[at:]
        what = "truncated at %d" % at
    elif mode == 2:
        p = rng.randrange(npages)
        how = rng.choice(["zeroed", "random", "copied"])
        if how == "zeroed":
            data[p * page:(p + 1) * page] = bytes(page)
        elif how == "random":
            data[p * page:(p + 1) * page] = bytes(rng.randrange(256) for _ in range(page))
        else:
            q = rng.randrange(npages)
            data[p * page:(p + 1) * page] = data[q * page:(q + 1) * page]
        what = "page %d %s" % (p + 1, how)
    if mode <= 2:
        open(out, "wb").write(bytes(data))
    else:
        cols = columns(base)
        if mode == 3:
            table, col = cols[(index // 5) % len(cols)]
            value = None
        else:
            table, col = rng.choice(cols)
            value = rng.choice(WRONG)
        set_value(out, rng, table, col, value)
        what = "%s.%s = %r" % (table, col, value if not isinstance(value, (str, bytes)) or
                                len(value) < 20 else "%d bytes" % len(value))
    print("seed %d copy %d: %s" % (seed, index, what))


if __name__ == "__main__":
    main()
