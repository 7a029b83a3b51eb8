#!/usr/bin/env python3
"""array_sizes.py DIR... -- every array declared with a bare number as its size ("char
buf[256]", "int w[16]", "char a[CF_ID_LEN + 1], b[64]", a parameter "char mark[32]"), one
"file:line: name[N]" a line.  Used by tests/t_one_home.sh: in export/ and tui/ a fixed size is
a named constant that says why (store/store.h, export/git/repo.h, tui/tui.h, or the file's
own), or a size derived from one (sizeof, an initialiser's count)."""
import os
import re
import sys

TYPE = (r'(?:(?:static|const|unsigned|signed|volatile)\s+)*(?:char|int|long|short|double|'
        r'float|size_t|ssize_t|wchar_t|cchar_t|wint_t|bool|u?int(?:8|16|32|64)_t|'
        r'struct\s+\w+|enum\s+\w+|[a-z_]+_t)\b[\s*]*(?:const\s+)?')
STARTS = re.compile(r'^\s*' + TYPE + r'\**\s*\w')
ARRAY = re.compile(r'\b(\w+)\s*\[\s*(\d+)\s*\]')


def code_of(line):
    line = re.sub(r'/\*.*?\*/', '', line).split('//')[0]
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    return re.sub(r"'(\\.|[^'\\])*'", "''", line)


def declared(code, m):
    before = code[:m.start()]
    if re.search(r'(?:^|[\s(,;{])' + TYPE + r'$', before):
        return True  # "char buf[", "(char mark[", ", int w["
    # a later declarator of a declaration: "char *a = NULL, b[" (not "f(x, a[")
    return bool(STARTS.search(code) and re.search(r',\s*\**$', before)
                and not re.search(r'\w\s*\(', before.split(',')[0]))


def main(dirs):
    for root in dirs:
        for dp, _, names in sorted(os.walk(root)):
            for name in sorted(names):
                if not name.endswith(('.c', '.h')):
                    continue
                path = os.path.join(dp, name)
                with open(path, encoding='utf-8', errors='replace') as f:
                    in_comment = False
                    for no, line in enumerate(f, 1):
                        if in_comment or line.lstrip().startswith(('/*', '*')):
                            in_comment = '*/' not in line and (in_comment or '/*' in line)
                            continue
                        code = code_of(line)
                        for m in ARRAY.finditer(code):
                            if declared(code, m):
                                print(f'{path}:{no}: {m.group(1)}[{m.group(2)}]')


if __name__ == '__main__':
    main(sys.argv[1:])
