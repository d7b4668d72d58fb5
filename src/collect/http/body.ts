/**
 * Reads a response body into a Buffer, decompressing gzip/deflate/br on the way, and stops as
 * soon as the DECOMPRESSED size passes the cap — so a small compressed "bomb" cannot fill
 * memory before it is noticed.
 */
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';

/** Raised by {@link readCappedBody} when the body passes `maxBytes` (after decompression). */
export class BodyTooLargeError extends Error {
  readonly bytes: number;
  constructor(bytes: number, maxBytes: number) {
    super(`body exceeds ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
    this.bytes = bytes;
  }
}

/** Raised when the Content-Encoding is one we cannot decode. */
export class UnsupportedEncodingError extends Error {
  constructor(encoding: string) {
    super(`unsupported content-encoding "${encoding}"`);
    this.name = 'UnsupportedEncodingError';
  }
}

/**
 * "deflate" in the wild is either zlib-wrapped (as the spec says) or raw deflate (as some
 * servers send it). Peek at the first byte and pick the right decoder, as browsers do.
 */
class DeflateAuto extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | undefined;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (!this.inner) {
      // A zlib header's first byte has compression method 8 in its low nibble (0x78 in practice).
      const inner = (chunk[0]! & 0x0f) === 0x08 ? zlib.createInflate() : zlib.createInflateRaw();
      inner.on('data', (data: Buffer) => this.push(data));
      inner.on('error', (error) => this.destroy(error));
      this.inner = inner;
    }
    if (this.inner.write(chunk)) done();
    else this.inner.once('drain', done);
  }
  override _flush(done: TransformCallback): void {
    if (!this.inner) {
      done();
      return;
    }
    this.inner.once('end', () => done());
    this.inner.end();
  }
  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    this.inner?.destroy();
    done(error);
  }
}

function decoderFor(encoding: string): Transform | undefined {
  switch (encoding) {
    case '':
    case 'identity':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      // Servers often truncate the gzip trailer; accept what decompressed fine.
      return zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'deflate':
      return new DeflateAuto();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      throw new UnsupportedEncodingError(encoding);
  }
}

/**
 * Streams `body` (decoding `contentEncoding`, which may list several codings, applied in order)
 * into one Buffer of at most `maxBytes`. Throws {@link BodyTooLargeError} the moment the
 * decoded size passes the cap, destroying the source so the socket stops reading.
 */
export async function readCappedBody(body: Readable, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  let decoders: Transform[];
  try {
    // Codings are listed in the order they were applied, so decode from the last one.
    decoders = codings.reverse().map((c) => decoderFor(c)!);
  } catch (error) {
    body.destroy();
    throw error;
  }
  const stream: Readable = decoders.length === 0 ? body : (pipeline([body, ...decoders], () => undefined) as unknown as Readable);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > maxBytes) throw new BodyTooLargeError(size, maxBytes);
      chunks.push(buf);
    }
  } catch (error) {
    body.destroy();
    for (const d of decoders) d.destroy();
    throw error;
  }
  return Buffer.concat(chunks, size);
}
