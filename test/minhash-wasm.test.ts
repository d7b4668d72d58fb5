/**
 * The WebAssembly MinHash (collect/minhash.wat, embedded compiled in collect/minhash-wasm.ts)
 * gives the minima of the JavaScript definition (dedupe.ts minhashInJs), bit for bit, so band
 * keys stored by either match. And the embedded bytes are minhash.wat compiled: with
 * UPDATE_WASM=1 (`npm run wasm`) this test rewrites minhash-wasm.ts instead of failing.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import wabtInit from 'wabt';
import { minhashInJs, shingleSet, signature, signatureOf } from '../src/collect/dedupe.ts';
import { simdMinhash } from '../src/collect/minhash.ts';
import { MINHASH_WASM } from '../src/collect/minhash-wasm.ts';

const WAT = new URL('../src/collect/minhash.wat', import.meta.url);
const EMBEDDED = new URL('../src/collect/minhash-wasm.ts', import.meta.url);

test('the embedded module is minhash.wat compiled', async () => {
  const wabt = await wabtInit();
  const module = wabt.parseWat('minhash.wat', readFileSync(WAT, 'utf8'), { simd: true });
  const compiled = Buffer.from(module.toBinary({}).buffer).toString('base64');
  module.destroy();
  if (process.env['UPDATE_WASM'] === '1' && compiled !== MINHASH_WASM) {
    const source = readFileSync(EMBEDDED, 'utf8').replace(/'[A-Za-z0-9+/=]+'/, `'${compiled}'`);
    writeFileSync(EMBEDDED, source);
    return;
  }
  assert.equal(MINHASH_WASM, compiled, 'minhash-wasm.ts is stale: run `npm run wasm`');
});

test('the SIMD minima are the JavaScript minima, bit for bit', () => {
  const seeds = Uint32Array.from({ length: 128 }, (_, i) => (Math.imul(i + 1, 0x9e3779b9) ^ 0x5bd1e995) >>> 0);
  const simd = simdMinhash(seeds);
  assert.ok(simd, 'Node 20 has WebAssembly SIMD');
  let state = 3;
  const next = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
  // Empty, one shingle, extremes, typical, and more than the module's first memory page holds.
  const sets = [
    new Uint32Array(0),
    Uint32Array.of(0),
    Uint32Array.of(0xffffffff, 0x80000000, 0x7fffffff),
    ...Array.from({ length: 200 }, (_, k) => Uint32Array.from({ length: 1 + ((k * 37) % 900) }, next)),
    Uint32Array.from({ length: 50_000 }, next),
  ];
  for (const shingles of sets) {
    const expected = new Uint32Array(128);
    minhashInJs(shingles, expected, seeds);
    const got = new Uint32Array(128);
    simd.minima(shingles, got);
    assert.deepEqual(got, expected, `${shingles.length} shingles`);
  }
});

test('signatures take the JavaScript minima, with the seeds dedupe uses', () => {
  const texts = [
    '',
    'Pilots walked out.',
    'Harbour pilots in Vesterhavn walked out on Monday over rosters, the union said, and ferries stayed in port. '.repeat(40),
    '港口工人周一罢工，渡轮停航。工会说谈判将于周三恢复。'.repeat(20),
  ];
  for (const text of texts) {
    const shingles = shingleSet(text);
    const js = new Uint32Array(128);
    minhashInJs(shingles, js);
    assert.deepEqual(signatureOf(shingles).minhash, js, JSON.stringify(text.slice(0, 30)));
    assert.deepEqual(signature(text).minhash, js);
  }
});
