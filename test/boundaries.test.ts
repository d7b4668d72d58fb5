/**
 * Architecture rules (STYLE.md): chat SDKs only inside their adapters, the openai SDK only in
 * the LLM client, HTTP fetching only through the guarded client, env read only by config.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
  });
}

const sources = files(root).map((path) => ({ path: relative(root, path), text: readFileSync(path, 'utf8') }));

function importsOf(text: string): string[] {
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

const rules: { pkg: RegExp; allowed: RegExp; why: string }[] = [
  { pkg: /^@slack\//, allowed: /^chat\/slack\//, why: 'Slack SDK only in chat/slack/' },
  { pkg: /^discord\.js$|^@discordjs\//, allowed: /^chat\/discord\//, why: 'discord.js only in chat/discord/' },
  { pkg: /^openai(\/|$)/, allowed: /^llm\/openai\.ts$/, why: 'openai SDK only in llm/openai.ts' },
  { pkg: /^better-sqlite3$/, allowed: /^store\/sqlite\//, why: 'SQLite only behind the store port' },
  { pkg: /^pg(\/|$)|^pg-/, allowed: /^store\/postgres\//, why: 'the PostgreSQL client only in store/postgres/' },
  { pkg: /^undici$/, allowed: /^collect\/http\//, why: 'HTTP only through the guarded client' },
];

test('SDKs and drivers are imported only where the architecture allows', () => {
  const violations: string[] = [];
  for (const file of sources) {
    for (const spec of importsOf(file.text)) {
      for (const rule of rules) {
        if (rule.pkg.test(spec) && !rule.allowed.test(file.path)) violations.push(`${file.path} imports ${spec} (${rule.why})`);
      }
    }
  }
  assert.deepEqual(violations, []);
});

test('the core and pipeline never import a chat adapter', () => {
  const violations = sources
    .filter((f) => !f.path.startsWith('chat/') && !f.path.startsWith('cli/'))
    .flatMap((f) => importsOf(f.text).filter((s) => /chat\/(slack|discord)\//.test(s)).map((s) => `${f.path} imports ${s}`));
  assert.deepEqual(violations, []);
});

test('only config/load.ts reads process.env', () => {
  const readers = sources.filter((f) => /process\.env\b/.test(f.text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''))).map((f) => f.path);
  assert.deepEqual(
    readers.filter((p) => p !== 'config/load.ts' && p !== 'cli/main.ts'),
    [],
  );
});
