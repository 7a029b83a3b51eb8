#!/usr/bin/env python3
"""html_check.py FILE... — parses each exported HTML page with python's html.parser and
checks it strictly: one doctype, every element closed in order (void elements excepted),
no script, no event-handler attributes, no javascript: URLs, no raw-HTML leftovers.
Exit 0 when every file passes; the first problem of each file is printed."""
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}
# The elements cmark-gfm and our page wrapper produce; anything else came from case text.
ALLOWED = {"html", "head", "meta", "title", "style", "body", "main", "p", "h1", "h2", "h3",
           "h4", "ul", "ol", "li", "strong", "em", "code", "pre", "table", "thead", "tbody",
           "tr", "th", "td", "hr", "br", "blockquote", "a"}


class Strict(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.doctypes = [], [], 0

    def problem(self, msg):
        line, col = self.getpos()
        self.problems.append(f"{line}:{col}: {msg}")

    def handle_decl(self, decl):
        if decl.lower() != "doctype html":
            self.problem(f"unexpected declaration {decl!r}")
        self.doctypes += 1

    def unknown_decl(self, data):
        self.problem(f"unknown declaration {data!r}")

    def handle_pi(self, data):
        self.problem(f"processing instruction {data!r}")

    def handle_comment(self, data):
        self.problem(f"comment {data!r} (raw HTML left in?)")

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED:
            self.problem(f"element <{tag}> not produced by the exporter")
        for name, value in attrs:
            if name.startswith("on"):
                self.problem(f"event handler attribute {name}")
            if value and value.strip().lower().startswith(("javascript:", "data:")):
                self.problem(f"active URL in {name}")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        # HTML5 allows "<hr />" for void elements (cmark writes them so); nothing else.
        if tag not in VOID:
            self.problem(f"self-closing <{tag}/>")
        else:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            self.problem(f"end tag for void element {tag}")
        elif not self.stack or self.stack[-1] != tag:
            self.problem(f"</{tag}> does not close {self.stack[-1] if self.stack else 'anything'}")
        else:
            self.stack.pop()


def check(path):
    with open(path, encoding="utf-8", errors="strict") as f:
        text = f.read()
    p = Strict()
    p.feed(text)
    p.close()
    if p.doctypes != 1:
        p.problems.append(f"{p.doctypes} doctypes")
    if p.stack:
        p.problems.append(f"unclosed: {p.stack}")
    for ch in text:
        if ord(ch) < 32 and ch not in "\n\t" or 0x7f <= ord(ch) < 0xa0:
            p.problems.append(f"control character U+{ord(ch):04X}")
            break
    return p.problems


def main():
    bad = 0
    for path in sys.argv[1:]:
        problems = check(path)
        if problems:
            bad += 1
            print(f"{path}: {problems[0]} ({len(problems)} problems)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
