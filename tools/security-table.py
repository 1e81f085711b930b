#!/usr/bin/env python3
"""Regenerates the step -> code -> test table of docs/security.md from the sources.

Each WebAuthn L3 step id (REG-nn, AUTH-nn, ATT-*) from shared/spec/webauthn-l3-steps.md is looked
up in src/ (the comment that labels its block) and in tests/ (tests named after it, with '-' and
'.' written as '_'). Run from the repository root: python3 tools/security-table.py > docs/security-steps.md
"""
import os, re, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = os.path.join(root, '..', 'shared', 'spec', 'webauthn-l3-steps.md')
if not os.path.exists(spec):
    spec = '/work/shared/spec/webauthn-l3-steps.md'

steps = []
for line in open(spec, encoding='utf-8'):
    m = re.match(r'^\|\s*(?:[0-9.a-z]+\s*\|\s*)?\(?((?:REG|AUTH|ATT)-[A-Za-z0-9.\-]+)\)?\s*\|\s*(.*?)\s*\|\s*([A-Z/!+ ()X]*)\s*\|\s*$', line)
    if m:
        steps.append((m.group(1), m.group(2), m.group(3).strip()))

def files(top, ext):
    for d, _, fs in os.walk(os.path.join(root, top)):
        if '/bin' in d or '/obj' in d:
            continue
        for f in fs:
            if f.endswith(ext):
                yield os.path.join(d, f)

code = {}
for path in files('src', '.cs'):
    for i, line in enumerate(open(path, encoding='utf-8'), 1):
        for sid, _, _ in steps:
            if re.search(r'//.*\b' + re.escape(sid) + r'\b', line) and sid not in code:
                code[sid] = f'{os.path.relpath(path, root)}:{i}'

tests = {}
for path in files('tests', '.cs'):
    text = open(path, encoding='utf-8').read()
    for name in re.findall(r'(?:void|Task)\s+((?:REG|AUTH|ATT)_[A-Za-z0-9_]+)\s*\(', text):
        tests.setdefault(os.path.relpath(path, root), []).append(name)

def tests_for(sid):
    prefix = sid.replace('-', '_').replace('.', '_')
    return [f'`{n}`' for names in tests.values() for n in names if n.startswith(prefix)]

print('| step | kind | summary | code | failing test(s) |')
print('|---|---|---|---|---|')
for sid, summary, kind in steps:
    t = tests_for(sid)
    print(f'| {sid} | {kind} | {summary} | {code.get(sid, "—")} | {", ".join(sorted(set(t))) if t else "—"} |')
