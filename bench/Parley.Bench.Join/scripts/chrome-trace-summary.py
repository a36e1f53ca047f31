#!/usr/bin/env python3
"""Lists what Bob's page's main thread did after his Join click, from a trace written by --chrome-trace.

Usage: chrome-trace-summary.py bob-round-N.json [--ms 400] [--min 2]
Each top-level task of the renderer main thread that runs Parley's page, from the click on, that took --min ms or
more: its start (ms after the click), its length, and what took the time inside it (script functions with their
file and line, event dispatches, style, layout, paint, garbage collection), longest first.
"""
import json
import sys
from collections import defaultdict

path = sys.argv[1]
window_ms = float(sys.argv[sys.argv.index('--ms') + 1]) if '--ms' in sys.argv else 400.0
min_ms = float(sys.argv[sys.argv.index('--min') + 1]) if '--min' in sys.argv else 2.0

with open(path, encoding='utf-8') as f:
    data = json.load(f)
events = data['traceEvents'] if isinstance(data, dict) else data

names = {}
for e in events:
    if e.get('ph') == 'M' and e.get('name') == 'thread_name':
        names[(e['pid'], e['tid'])] = e['args']['name']

# The page's renderer: the main thread that ran Parley's SDK.
scores = defaultdict(int)
for e in events:
    if e.get('name') == 'FunctionCall' and '/sdk/' in (e.get('args', {}).get('data', {}).get('url') or ''):
        scores[(e['pid'], e['tid'])] += 1
if not scores:
    sys.exit('no main thread ran /sdk/ scripts in this trace')
main = max(scores, key=scores.get)

def on_main(e):
    return (e.get('pid'), e.get('tid')) == main and e.get('ph') == 'X' and 'dur' in e

click = min((e['ts'] for e in events if on_main(e) and e.get('name') == 'EventDispatch'
             and e.get('args', {}).get('data', {}).get('type') == 'click'), default=None)
if click is None:
    sys.exit('no click dispatched on the page\'s main thread')

tasks = sorted((e for e in events if on_main(e) and e.get('name') in ('RunTask', 'ThreadControllerImpl::RunTask')
                and click - 1000 <= e['ts'] <= click + window_ms * 1000), key=lambda e: e['ts'])
inside = sorted((e for e in events if on_main(e) and e.get('name') not in ('RunTask', 'ThreadControllerImpl::RunTask')),
                key=lambda e: e['ts'])

def label(e):
    data = e.get('args', {}).get('data', {}) or {}
    name = e['name']
    if name == 'FunctionCall':
        url = (data.get('url') or '').split('/')[-1]
        return f"js {data.get('functionName') or '(anonymous)'} {url}:{data.get('lineNumber', '?')}"
    if name == 'EventDispatch':
        return f"event {data.get('type')}"
    if name == 'TimerFire':
        return 'timer'
    return name

print(f"{path}: main thread {names.get(main, main)}; ms after the click")
for task in tasks:
    end = task['ts'] + task['dur']
    if end < click or task['dur'] < min_ms * 1000:
        continue
    parts = defaultdict(float)
    for e in inside:
        if e['ts'] >= end:
            break
        if e['ts'] >= task['ts'] and e['dur'] >= 500 and e['name'] in (
                'FunctionCall', 'EventDispatch', 'TimerFire', 'FireAnimationFrame', 'UpdateLayoutTree', 'Layout',
                'Paint', 'PrePaint', 'Layerize', 'MinorGC', 'MajorGC', 'V8.GC_SCAVENGER', 'EvaluateScript',
                'v8.compile', 'ParseHTML', 'HitTest', 'RunMicrotasks', 'v8.run'):
            parts[label(e)] += e['dur'] / 1000
    top = ', '.join(f"{k} {v:.1f}" for k, v in sorted(parts.items(), key=lambda kv: -kv[1])[:5])
    print(f"{(task['ts'] - click) / 1000:8.1f} ms  {task['dur'] / 1000:6.1f} ms  {top}")
