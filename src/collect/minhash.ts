/**
 * The MinHash minima of dedupe.ts's signatures with WebAssembly SIMD (minhash.wat): four
 * permutations per instruction instead of one, about five times faster than the JavaScript
 * loop, with the same results. Each thread instantiates the module once, on first use; where
 * WebAssembly SIMD is missing, callers keep the JavaScript loop.
 */
import { lazy } from '../core/lazy-package.ts';
import { MINHASH_WASM } from './minhash-wasm.ts';

/** The WebAssembly calls used here (the project's type libraries do not declare WebAssembly). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

interface MinhashExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  readonly minhash: (shingles: number, count: number, seeds: number, out: number) => void;
}

/** Where the seeds and the minima sit in the module's memory; shingles follow. */
const SEEDS_AT = 0;
const OUT_AT = 512;
const SHINGLES_AT = 1024;
const PAGE = 65_536;

export interface SimdMinhash {
  /** The 128 minima of `shingles` under the seeds given at start, written into `into`. */
  minima(shingles: Uint32Array, into: Uint32Array): void;
}

/** A MinHash over `seeds` (128 of them), or undefined where WebAssembly SIMD is not available. */
export function simdMinhash(seeds: Uint32Array): SimdMinhash | undefined {
  const bytes = MODULE_BYTES();
  if (seeds.length !== 128 || wasm === undefined || !wasm.validate(bytes)) return undefined;
  const { memory, minhash } = new wasm.Instance(new wasm.Module(bytes), {}).exports as MinhashExports;
  new Uint32Array(memory.buffer, SEEDS_AT, seeds.length).set(seeds);
  return {
    minima(shingles, into) {
      const needed = SHINGLES_AT + shingles.length * 4;
      if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE));
      new Uint32Array(memory.buffer, SHINGLES_AT, shingles.length).set(shingles);
      minhash(SHINGLES_AT, shingles.length, SEEDS_AT, OUT_AT);
      into.set(new Uint32Array(memory.buffer, OUT_AT, into.length));
    },
  };
}

const MODULE_BYTES = lazy(() => Uint8Array.from(Buffer.from(MINHASH_WASM, 'base64')));
