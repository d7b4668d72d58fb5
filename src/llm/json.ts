/**
 * What goes into and comes out of the model as JSON: the fence escaping for untrusted text,
 * the output schemas (zod for validation, JSON Schema for `response_format`), and tolerant
 * parsing for servers that answer with prose or code fences around the object.
 */
import { z } from 'zod';

/**
 * Escapes untrusted text for a data fence (`<article …> … </article>`): with `<`, `>` and `&`
 * escaped, an article can neither close its fence nor open a new one.
 */
export function escapeForFence(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** {@link escapeForFence} for a value inside a fence's `attr="…"`. */
export function escapeAttribute(text: string): string {
  return escapeForFence(text)
    .replace(/"/g, '&quot;')
    .replace(/[\r\n]+/g, ' ');
}

/** Undoes {@link escapeForFence} on what the model wrote, in case it copied escaped text. */
export function unescapeFromFence(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

const ids = z.array(z.string());
const cited = z.object({ text: z.string(), articleIds: ids });

/** The story the model writes; ids and article list are added by the caller. */
export const storyOutputSchema = z.object({
  headline: z.string(),
  summary: z.string(),
  claims: z.array(cited),
  figures: z.array(z.object({ value: z.string(), text: z.string(), articleIds: ids })),
  disagreements: z.array(z.object({ about: z.string(), positions: z.array(cited) })),
});
export type StoryOutput = z.infer<typeof storyOutputSchema>;

/** A follow-up answer as the model writes it. */
export const answerOutputSchema = z.object({ answered: z.boolean(), text: z.string() });
export type AnswerOutput = z.infer<typeof answerOutputSchema>;

/**
 * JSON Schema for `response_format: json_schema` with `strict: true`: every object closed
 * (`additionalProperties: false`) and every property required, as strict mode demands.
 */
export function strictJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-7' }) as Record<string, unknown>;
  delete json['$schema'];
  return json;
}

/** A reply that is not one JSON object we can read. */
export class BadJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadJsonError';
  }
}

/** The first balanced `{…}` in a text, minding strings and escapes; undefined if none closes. */
export function firstBalancedObject(text: string): string | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

/**
 * Parses a model's reply leniently: as is, else without code fences, else the first balanced
 * object in it; then validates. Throws BadJsonError (truncated, prose, wrong shape).
 */
export function parseModelJson<T>(content: string, schema: z.ZodType<T>): T {
  const attempts = [content.trim(), content.replace(/```(?:json)?/gi, '').trim()];
  const balanced = firstBalancedObject(content);
  if (balanced !== undefined) attempts.push(balanced);
  let parsed: unknown;
  let ok = false;
  for (const attempt of attempts) {
    try {
      parsed = JSON.parse(attempt);
      ok = true;
      break;
    } catch {
      // try the next, more lenient reading
    }
  }
  if (!ok) throw new BadJsonError(balanced === undefined && content.includes('{') ? 'truncated JSON' : 'no JSON object in the reply');
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new BadJsonError(`JSON does not match the schema${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}`);
  }
  return result.data;
}
