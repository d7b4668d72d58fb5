// ESLint flat config: the house rules a linter can keep (docs/adr/0004-layout-and-layers.md).
// - Stages in layers: a folder of src/ imports only the folders below it (LAYERS), never sideways.
// - No import cycles; no source file over 400 lines.
// - SDKs and drivers only inside the folder that wraps them (SDK_HOMES); process.env only in config.
import js from '@eslint/js';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, bottom to top. A folder may import the folders of lower layers; within a
 * layer the folders are independent, except as SIDEWAYS allows.
 */
const LAYERS = [
  ['core', 'text'],
  ['config', 'store', 'llm', 'render', 'verify'],
  ['collect', 'brief', 'answer'],
  ['app'],
  ['chat'],
  ['schedule'],
  ['cli'],
];

/** Imports within a layer that are allowed: folder → the siblings (or parts of them) it may import. */
const SIDEWAYS = {
  text: ['core'],
  // The LLM reply cache keeps replies in the store's cache port (llm/cache.ts).
  llm: ['store/port.ts'],
};

/**
 * Folders only some may import, whatever the layers allow: the one composition root (cli/) wires
 * the concrete service and store, and the chat adapters are shells nothing else knows.
 * Each entry: the folder, and the places (globs under src/) that must not import it.
 */
const ALL_BUT = (...keep) =>
  LAYERS.flat()
    .filter((f) => !keep.includes(f))
    .map((f) => `./src/${f}`);
const ONLY_FROM = [
  { from: './src/app', target: ALL_BUT('cli', 'app'), who: 'cli/' },
  { from: './src/store/sqlite', target: [...ALL_BUT('cli', 'store'), './src/store/*.ts', './src/store/postgres'], who: 'cli/' },
  { from: './src/store/postgres', target: [...ALL_BUT('cli', 'store'), './src/store/*.ts', './src/store/sqlite'], who: 'cli/' },
  { from: './src/chat/slack', target: [...ALL_BUT('cli', 'chat'), './src/chat/*.ts', './src/chat/discord'], who: 'cli/' },
  { from: './src/chat/discord', target: [...ALL_BUT('cli', 'chat'), './src/chat/*.ts', './src/chat/slack'], who: 'cli/' },
];

/** Packages that only one folder may import: package pattern → the folder that wraps it, and why. */
const SDK_HOMES = [
  { group: ['@slack/*'], home: 'src/chat/slack', message: 'Slack SDK only in src/chat/slack/.' },
  { group: ['discord.js', '@discordjs/*'], home: 'src/chat/discord', message: 'discord.js only in src/chat/discord/.' },
  { group: ['openai', 'openai/*'], home: 'src/llm/openai.ts', message: 'The openai SDK only in src/llm/openai.ts.' },
  { group: ['better-sqlite3'], home: 'src/store/sqlite', message: 'SQLite only behind the store port, in src/store/sqlite/.' },
  {
    group: ['pg', 'pg/*', 'pg-*'],
    home: 'src/store/postgres',
    message: 'The PostgreSQL client only behind the store port, in src/store/postgres/.',
  },
  { group: ['undici'], home: 'src/collect/http', message: 'HTTP only through the guarded client in src/collect/http/.' },
];

/** Folders of src/ a folder may not import (LAYERS), each with the parts SIDEWAYS lets it import. */
function forbiddenFor(folder) {
  const level = LAYERS.findIndex((layer) => layer.includes(folder));
  const allowed = SIDEWAYS[folder] ?? [];
  return LAYERS.flatMap((layer, i) => (i < level ? [] : layer))
    .filter((f) => f !== folder && !allowed.includes(f))
    .map((f) => ({ folder: f, except: allowed.filter((a) => a.startsWith(`${f}/`)).map((a) => `./${a.slice(f.length + 1)}`) }));
}

const layerZones = LAYERS.flat().flatMap((folder) =>
  forbiddenFor(folder).map(({ folder: from, except }) => ({
    target: `./src/${folder}`,
    from: `./src/${from}`,
    ...(except.length > 0 && { except }),
    message: `${folder}/ may import only the layers below it (docs/adr/0004-layout-and-layers.md).`,
  })),
);

const onlyFromZones = ONLY_FROM.map(({ from, target, who }) => ({
  target,
  from,
  message: `only ${who} (and the folder itself) may import ${from.slice('./src/'.length)}/ (docs/adr/0004-layout-and-layers.md).`,
}));

/** no-restricted-imports for a file: every SDK but the ones whose home it is in. */
function sdkRule(homes = []) {
  return ['error', { patterns: SDK_HOMES.filter((s) => !homes.includes(s.home)).map(({ group, message }) => ({ group, message })) }];
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test/fixtures/', 'demo/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain JavaScript run by Node (the bin, this file, the benches' compiled-code runners).
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
      },
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // `x!` after a check the compiler cannot follow (noUncheckedIndexedAccess) is the house idiom.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400 }],
      'import-x/no-restricted-paths': ['error', { zones: [...layerZones, ...onlyFromZones] }],
      'no-restricted-imports': sdkRule(),
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Environment is read in one place: src/config/load.ts.' },
      ],
    },
  },
  ...SDK_HOMES.map((sdk) => ({
    files: [sdk.home.endsWith('.ts') ? sdk.home : `${sdk.home}/**/*.ts`],
    rules: { 'no-restricted-imports': sdkRule([sdk.home]) },
  })),
  {
    // The one reader of the environment, and the entry point that hands it over.
    files: ['src/config/load.ts', 'src/cli/main.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['bench/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 400 }] },
  },
  {
    // Tests hold long tables of cases; fakes speak whole wire protocols.
    files: ['test/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 500 }] },
  },
);
