"""The TextMate scopes of files under the grammars in editors/, as textmate-grammar-python
(a port of VS Code's tokenizer) gives them: one JSON array a token, [line, column, text,
scopes], lines and columns from 1, the grammar's root scope left out, blank tokens skipped.

Usage: scopes.py EDITORS_FOLDER FILE...  (.seed files with the seed grammar; .md and .seednb
files with the seed fence injection). Each file's tokens follow a line "== FILE".
"""
import json
import logging
import sys
from pathlib import Path

from textmate_grammar.parser import BeginWhileParser
from textmate_grammar.parsers.base import LanguageParser

# textmate-grammar-python 0.6.1 cannot set up a begin/while rule (Markdown's blocks, and the
# seed fence's body): it walks `parsers_end`, which only begin/end rules have. A begin/while
# rule has no end captures, so an empty one is what it means.
BeginWhileParser.parsers_end = {}
# Its warnings list each text it skipped on the way, which is how tokenizing goes.
logging.getLogger("textmate_grammar").setLevel(logging.ERROR)



def alternating(grammar):
    """The grammar with its repository twice, under "x" and "x~", a begin/end rule's inner
    includes naming the other copy. textmate-grammar-python skips a character after a rule
    that matched inside itself (the `))` of `f(g(1))` would be lost); with two copies no rule
    is ever inside itself, and the grammar means the same."""
    def rename(rule, copy, nested):
        if isinstance(rule, list):
            return [rename(item, copy, nested) for item in rule]
        if not isinstance(rule, dict):
            return rule
        inner = nested or "begin" in rule
        renamed = {}
        for key, value in rule.items():
            if key == "include" and value.startswith("#"):
                other = copy if not nested else ("" if copy == "~" else "~")
                renamed[key] = value + other
            else:
                renamed[key] = rename(value, copy, inner if key == "patterns" else nested)
        return renamed

    repository = {}
    for copy in ["", "~"]:
        for name, rule in grammar.get("repository", {}).items():
            repository[name + copy] = rename(rule, copy, False)
    return {**grammar, "patterns": rename(grammar["patterns"], "", False), "repository": repository}


editors = Path(sys.argv[1])
seed = LanguageParser(alternating(json.loads((editors / "seed.tmLanguage.json").read_text(encoding="utf-8"))))

# textmate-grammar-python 0.6.1 has no begin/while rules (they raise NotImplementedError), which
# VS Code's Markdown grammar is made of, so the injection is tried in a host of its own: the
# lines outside seed fences get no scope. Its one begin/while rule, the fence's body, becomes
# the begin/end rule it amounts to: its `while` only looks ahead, so the body ends at the start
# of the first line where `while` does not match.
def without_while(rule):
    if isinstance(rule, dict):
        rule = {key: without_while(value) for key, value in rule.items()}
        if "while" in rule:
            condition = rule.pop("while").removeprefix("(^|\\G)")
            rule["end"] = "^(?!" + condition + ")"
        return rule
    if isinstance(rule, list):
        return [without_while(item) for item in rule]
    return rule


# In this host no rule encloses a fence, so a fence's `\G` matches only where `^` does; the
# tool takes a rule with `\G` for one anchored to its parent's begin, and tries it only once.
injection = json.loads((editors / "seed-markdown-injection.tmLanguage.json").read_text(encoding="utf-8"))
for fence in injection["repository"].values():
    for key in ["begin", "end"]:
        fence[key] = fence[key].replace("(^|\\G)", "(^)")
markdown = LanguageParser(
    {"scopeName": "text.html.markdown", "patterns": injection["patterns"], "repository": without_while(injection["repository"])}
)

for name in sys.argv[2:]:
    path = Path(name)
    parser = seed if path.suffix == ".seed" else markdown
    print("== " + name)
    element = parser.parse_string(path.read_text(encoding="utf-8"))
    if element is None:
        continue
    for (line, column), text, scopes in element.flatten():
        if not text.strip():
            continue
        print(json.dumps([line + 1, column + 1, text, " ".join(scopes[1:])], ensure_ascii=False))
