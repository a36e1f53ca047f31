import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as sdk from '../sdk/index.js';

/** parley.d.ts and every declaration file it re-exports with `export * from './x'`. */
async function declarationFiles(name = 'parley', seen = new Set()) {
  if (seen.has(name)) return [];
  seen.add(name);
  const text = await readFile(new URL(`../sdk/${name}.d.ts`, import.meta.url), 'utf8');
  const nested = await Promise.all([...text.matchAll(/^export \* from '\.\/(\w+)';/gm)].map((m) => declarationFiles(m[1], seen)));
  return [text, ...nested.flat()];
}

test('every runtime export of the SDK is declared in parley.d.ts (and what it re-exports), and nothing more', async () => {
  const declared = new Set((await declarationFiles()).flatMap(
    (dts) => [...dts.matchAll(/^export (?:declare )?(?:class|function|const) (\w+)/gm)].map((m) => m[1])));
  assert.deepEqual([...declared].sort(), Object.keys(sdk).sort());
});
