/**
 * The prompt registry. Prompts live in `prompts/<task>.v<N>.md`, one file per task and
 * version, with the variables they use declared at the top:
 *
 * ```
 * ---
 * task: story-summary
 * version: 1
 * variables: [story_id, article_ids, evidence]
 * ---
 * # system
 * …
 * # user
 * … {{evidence}} …
 * ```
 *
 * Loading checks every file (declared variables = variables used, both sections present),
 * so a broken prompt fails at start-up rather than in the middle of a brief. The newest
 * version of a task is used unless a version is asked for; each rendering carries its
 * `version` ("story-summary.v1") so a stored summary records which prompt wrote it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/errors.ts';

/** One prompt file, parsed. */
export interface PromptTemplate {
  readonly task: string;
  readonly version: number;
  readonly variables: readonly string[];
  readonly system: string;
  readonly user: string;
}

/** A prompt with its variables filled in. */
export interface RenderedPrompt {
  /** "<task>.v<N>", recorded with whatever the prompt produced. */
  readonly version: string;
  readonly system: string;
  readonly user: string;
}

export interface PromptRegistry {
  /** The template of a task: the newest version unless one is named. */
  get(task: string, version?: number): PromptTemplate;
  /** Fills in the variables; every declared variable must be given, and only those. */
  render(task: string, values: Readonly<Record<string, string>>, version?: number): RenderedPrompt;
}

/** `prompts/` at the package root, from `src/summarize/` as from `dist/summarize/`. */
export const DEFAULT_PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

const FILE_NAME = /^([a-z0-9-]+)\.v(\d+)\.md$/;
const VARIABLE = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

/** Parses one prompt file; `name` is the file name, for messages and the task/version check. */
export function parsePrompt(name: string, source: string): PromptTemplate {
  const fail = (why: string): never => {
    throw new ConfigError(`prompt ${name}: ${why}`, `prompts/${name}`);
  };
  const fileMatch = FILE_NAME.exec(name) ?? fail('file name must be <task>.v<N>.md');
  const header = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(source) ?? fail('missing the --- header ---');
  const fields = new Map<string, string>();
  for (const line of header[1]!.split(/\r?\n/)) {
    const m = /^([a-z]+):\s*(.*)$/.exec(line.trim());
    if (m) fields.set(m[1]!, m[2]!.trim());
  }
  const task = fields.get('task') ?? fail('header lacks "task"');
  const version = Number(fields.get('version') ?? fail('header lacks "version"'));
  if (task !== fileMatch[1] || version !== Number(fileMatch[2])) fail('task and version must match the file name');
  const declared = (fields.get('variables') ?? fail('header lacks "variables"'))
    .replace(/^\[|\]$/g, '')
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);

  const body = source.slice(header[0].length);
  const sections = /^# system\s*\n([\s\S]*?)^# user\s*\n([\s\S]*)$/m.exec(body) ?? fail('needs "# system" then "# user"');
  const system = sections[1]!.trim();
  const user = sections[2]!.trim();
  const used = new Set([...`${system}\n${user}`.matchAll(VARIABLE)].map((m) => m[1]!));
  for (const v of used) if (!declared.includes(v)) fail(`uses {{${v}}} without declaring it`);
  for (const v of declared) if (!used.has(v)) fail(`declares "${v}" but never uses it`);
  return { task, version, variables: declared, system, user };
}

function fill(template: string, values: Readonly<Record<string, string>>): string {
  // One pass, so a value that itself contains "{{x}}" (article text) is never expanded.
  return template.replace(VARIABLE, (_, name: string) => values[name] ?? '');
}

/** Builds a registry over parsed templates (tests use this with their own). */
export function createPromptRegistry(templates: readonly PromptTemplate[]): PromptRegistry {
  const byTask = new Map<string, PromptTemplate[]>();
  for (const t of templates) {
    const list = byTask.get(t.task) ?? [];
    if (list.some((x) => x.version === t.version)) throw new ConfigError(`prompt ${t.task}.v${t.version} is defined twice`);
    list.push(t);
    list.sort((a, b) => b.version - a.version);
    byTask.set(t.task, list);
  }
  const get = (task: string, version?: number): PromptTemplate => {
    const list = byTask.get(task) ?? [];
    const found = version === undefined ? list[0] : list.find((t) => t.version === version);
    if (!found) throw new ConfigError(`no prompt ${task}${version === undefined ? '' : `.v${version}`} in prompts/`);
    return found;
  };
  return {
    get,
    render(task, values, version) {
      const t = get(task, version);
      const given = Object.keys(values);
      const missing = t.variables.filter((v) => !given.includes(v));
      const extra = given.filter((v) => !t.variables.includes(v));
      if (missing.length > 0 || extra.length > 0) {
        throw new ConfigError(
          `prompt ${t.task}.v${t.version}: ${missing.length > 0 ? `missing ${missing.join(', ')}` : ''}${extra.length > 0 ? ` unknown ${extra.join(', ')}` : ''}`.trim(),
        );
      }
      return { version: `${t.task}.v${t.version}`, system: fill(t.system, values), user: fill(t.user, values) };
    },
  };
}

/** Reads and checks every prompt file of a directory. Throws ConfigError on the first bad one. */
export function loadPrompts(dir: string = DEFAULT_PROMPTS_DIR): PromptRegistry {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.md'))
    .sort();
  return createPromptRegistry(names.map((n) => parsePrompt(n, readFileSync(`${dir.replace(/\/?$/, '/')}${n}`, 'utf8'))));
}

let defaultRegistry: PromptRegistry | undefined;

/** The registry over the package's own `prompts/`, loaded (and checked) once. */
export function defaultPrompts(): PromptRegistry {
  defaultRegistry ??= loadPrompts();
  return defaultRegistry;
}
