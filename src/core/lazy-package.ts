/**
 * A package loaded the first time it is used, through its CommonJS build so that synchronous
 * code can load it. A reader thread (collect/read-files.ts) that reads plain UTF-8 text never
 * needs the feed parsers, the schema library, the charset tables or Readability: loading them was
 * two thirds of its modules' start-up (0.10 of 0.15 s), time the thread storing what it reads
 * spent waiting for its first files.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/** `make()`'s value, made on the first call and kept. */
export function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/** `name`'s exports, loaded on the first call. */
export function lazyPackage<T>(name: string): () => T {
  return lazy(() => load(name) as T);
}
