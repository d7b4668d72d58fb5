/**
 * What reaches Bolt's HTTPReceiver. Bolt throws an uncaught TypeError (the process exits) on a
 * validly signed request whose JSON body is `null` or whose form field is `payload=null`,
 * and accepts timestamps any distance in the future. This listener reads the body first
 * (with a cap), refuses what Bolt cannot take, and hands Bolt the buffered body.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** Largest request body read (Slack's own payloads are far smaller). */
const MAX_BODY_BYTES = 1_000_000;
/** How far a request's timestamp may be from our clock, either way (Slack: 5 minutes). */
const MAX_SKEW_SECONDS = 5 * 60;

function refuse(res: ServerResponse, status: number, error: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error }));
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size);
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why Bolt could not take this body, or undefined when it can. */
function badBody(body: string, contentType: string | undefined): string | undefined {
  try {
    if ((contentType ?? '').startsWith('application/x-www-form-urlencoded')) {
      const payload = new URLSearchParams(body).get('payload');
      return payload === null || isObject(JSON.parse(payload)) ? undefined : 'payload is not a JSON object';
    }
    return isObject(JSON.parse(body)) ? undefined : 'body is not a JSON object';
  } catch {
    return 'body is not valid JSON';
  }
}

/** Wraps Bolt's request listener; `now` is injectable for tests of the clock rule. */
export function guardSlackRequests(bolt: RequestListener, now: () => number = Date.now): RequestListener {
  return (req, res) => {
    if (req.method !== 'POST') return void bolt(req, res);
    void (async () => {
      const timestamp = Number(req.headers['x-slack-request-timestamp']);
      if (Number.isFinite(timestamp) && timestamp - now() / 1000 > MAX_SKEW_SECONDS) {
        req.resume();
        return refuse(res, 401, 'request timestamp is in the future');
      }
      const body = await readBody(req);
      if (body === undefined) return refuse(res, 413, 'request body too large');
      // ssl_check pings carry no JSON; Bolt answers them itself.
      const text = body.toString('utf8');
      const problem = /^ssl_check=/.test(text) ? undefined : badBody(text, req.headers['content-type']);
      if (problem !== undefined) return refuse(res, 400, problem);
      // Bolt reads a request's body from `rawBody` when it is already buffered.
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
      bolt(req, res);
    })().catch(() => {
      if (!res.headersSent) refuse(res, 400, 'unreadable request');
      else res.destroy();
    });
  };
}
