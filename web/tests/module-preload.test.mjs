import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The relative specifiers of a module's static imports and re-exports (`import()` is left to load when used). */
function staticImports(source) {
  const specifiers = [];
  const statement = /^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]/gms;
  for (const match of source.matchAll(statement)) {
    const specifier = match[1] ?? match[2];
    if (specifier.startsWith('.')) specifiers.push(specifier);
  }
  return specifiers;
}

/** Every module app.js loads before it runs, as paths relative to web/. */
function moduleGraph(entry) {
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const specifier of staticImports(readFileSync(join(web, path), 'utf8'))) visit(normalize(join(dirname(path), specifier)));
  };
  visit(entry);
  seen.delete(entry);
  return seen;
}

test('index.html preloads exactly the modules app.js imports, so the browser fetches them at once instead of level by level', () => {
  const html = readFileSync(join(web, 'index.html'), 'utf8');
  const preloaded = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
  assert.equal(new Set(preloaded).size, preloaded.length, 'each module once');
  const graph = moduleGraph('app.js');
  const missing = [...graph].filter((path) => !preloaded.includes(path));
  const extra = preloaded.filter((path) => !graph.has(path));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] },
    'add a <link rel="modulepreload"> to web/index.html for each module app.js imports (and remove those it no longer does)');
  assert.ok(graph.size > 50, `the import graph was read (${graph.size} modules)`);
});
