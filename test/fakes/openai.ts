/**
 * A fake OpenAI-compatible server on 127.0.0.1 (ephemeral port) for the real `openai` SDK:
 * POST /v1/chat/completions, plain and streaming (SSE `data:` chunks, `[DONE]`, a usage chunk
 * when `stream_options.include_usage` is set), with usage fields. Failure modes can be set as
 * a default or queued per request. Every request body is recorded for assertions.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeMode =
  | 'ok'
  /** 429 with Retry-After (see `retryAfter`). */
  | '429'
  | '500'
  /** Accept the request and never answer (client timeout). */
  | 'hang'
  /** 200 with prose instead of JSON. */
  | 'garbage'
  /** 200 with the JSON cut in half, finish_reason "length". */
  | 'truncated'
  | 'refusal'
  | 'empty'
  /** 400 "response_format json_schema not supported" when json_schema is asked for, else ok. */
  | 'reject-json-schema'
  /** 400 for any response_format (a server with no structured output), else ok. */
  | 'reject-response-format';

export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: unknown } };
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  [key: string]: unknown;
}

/** What the scripted model answers: an object (sent as JSON text) or raw content. */
export type Responder = (request: ChatRequestBody) => unknown;

export interface FakeOpenAi {
  /** Base URL for the SDK: `http://127.0.0.1:PORT/v1`. */
  readonly baseURL: string;
  /** Every request body received, in order (failed ones included). */
  readonly requests: ChatRequestBody[];
  /** Default mode for requests with nothing queued. */
  mode: FakeMode;
  /** Modes for the next requests, consumed one per request before `mode` applies. */
  readonly queue: FakeMode[];
  /** The model's answer in `ok` mode. */
  respond: Responder;
  /** Retry-After header value sent with 429 (seconds). */
  retryAfter: string;
  /** Responses sent with status 200 and usable content. */
  readonly served: () => number;
  close(): Promise<void>;
}

/** The user message of a recorded request. */
export function userPrompt(request: ChatRequestBody | undefined): string {
  return request?.messages.find((m) => m.role === 'user')?.content ?? '';
}

/** The system message of a recorded request. */
export function systemPrompt(request: ChatRequestBody | undefined): string {
  return request?.messages.find((m) => m.role === 'system')?.content ?? '';
}

/** Article ids fenced in a prompt (`<article id="a3" …>`), in order. */
export function fencedArticleIds(prompt: string): string[] {
  return [...prompt.matchAll(/<article id="([^"]+)"/g)].map((m) => m[1]!);
}

/** Tokens as the fake counts them (chars / 4), for usage fields. */
export function countTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

const defaultResponder: Responder = () => ({
  headline: 'A story',
  summary: 'Something happened.',
  claims: [],
  figures: [],
  disagreements: [],
});

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeOpenAi(options: { respond?: Responder; mode?: FakeMode } = {}): Promise<FakeOpenAi> {
  let served = 0;
  let nextId = 0;
  const state = {
    mode: options.mode ?? ('ok' as FakeMode),
    queue: [] as FakeMode[],
    respond: options.respond ?? defaultResponder,
    retryAfter: '0',
  };
  const requests: ChatRequestBody[] = [];

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        sendJson(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } });
        return;
      }
      let body: ChatRequestBody;
      try {
        body = JSON.parse(raw) as ChatRequestBody;
      } catch {
        sendJson(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
        return;
      }
      requests.push(body);
      const mode = state.queue.shift() ?? state.mode;
      const badFormat = (message: string): void =>
        sendJson(res, 400, { error: { message, type: 'invalid_request_error', param: 'response_format', code: null } });

      switch (mode) {
        case '429':
          sendJson(res, 429, { error: { message: 'Rate limit reached', type: 'rate_limit_error' } }, { 'retry-after': state.retryAfter });
          return;
        case '500':
          sendJson(res, 500, { error: { message: 'The server had an error', type: 'server_error' } });
          return;
        case 'hang':
          return; // the socket stays open until the client gives up or close()
        case 'reject-json-schema':
          if (body.response_format?.type === 'json_schema') {
            badFormat("Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.");
            return;
          }
          break;
        case 'reject-response-format':
          if (body.response_format !== undefined) {
            badFormat('Unrecognized request argument supplied: response_format');
            return;
          }
          break;
        default:
          break;
      }

      const prompt = body.messages.map((m) => m.content).join('\n');
      let content: string | null;
      let refusal: string | null = null;
      let finishReason = 'stop';
      if (mode === 'garbage') content = 'Sure! Here is a lovely summary of the articles you sent, in prose.';
      else if (mode === 'empty') content = '';
      else if (mode === 'refusal') {
        content = null;
        refusal = "I'm sorry, but I can't help with that request.";
      } else {
        const answer = state.respond(body);
        content = typeof answer === 'string' ? answer : JSON.stringify(answer);
        if (mode === 'truncated') {
          content = content.slice(0, Math.floor(content.length / 2));
          finishReason = 'length';
        } else served++;
      }
      const usage = {
        prompt_tokens: countTokens(prompt),
        completion_tokens: countTokens(content ?? refusal ?? ''),
        total_tokens: countTokens(prompt) + countTokens(content ?? refusal ?? ''),
      };
      const id = `chatcmpl-fake-${++nextId}`;
      const created = Math.floor(Date.now() / 1000);

      if (!body.stream) {
        sendJson(res, 200, {
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content, refusal }, finish_reason: finishReason, logprobs: null }],
          usage,
        });
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}): void => {
        res.write(
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], ...extra })}\n\n`,
        );
      };
      chunk({ role: 'assistant', content: '' }, null);
      const text = content ?? '';
      const step = Math.max(1, Math.ceil(text.length / 3));
      for (let i = 0; i < text.length; i += step) chunk({ content: text.slice(i, i + step) }, null);
      if (refusal) chunk({ refusal }, null);
      chunk({}, finishReason);
      if (body.stream_options?.include_usage) {
        res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage })}\n\n`);
      }
      res.end('data: [DONE]\n\n');
    })();
  });

  // Client and server share one event loop in tests and benches: a long synchronous step
  // (evidence selection over hundreds of articles) must not let the server drop a pooled socket
  // just as the client reuses it.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get mode() {
      return state.mode;
    },
    set mode(m: FakeMode) {
      state.mode = m;
    },
    queue: state.queue,
    get respond() {
      return state.respond;
    },
    set respond(r: Responder) {
      state.respond = r;
    },
    get retryAfter() {
      return state.retryAfter;
    },
    set retryAfter(v: string) {
      state.retryAfter = v;
    },
    served: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
