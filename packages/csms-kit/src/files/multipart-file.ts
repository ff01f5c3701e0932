// The first file part of a multipart/form-data body (RFC 7578), streamed: the bytes between its
// headers and the next boundary pass through, everything else is dropped. Holds at most one
// boundary's length of data back, never the body.
import { Transform, type TransformCallback } from 'node:stream';

class MultipartError extends Error {
  override readonly name = 'MultipartError';
}

const maxHeaderBytes = 16 * 1024;

export class MultipartFile extends Transform {
  readonly #delimiter: Buffer;
  #state: 'preamble' | 'headers' | 'body' | 'done' = 'preamble';
  #buffer: Buffer = Buffer.alloc(0);

  constructor(boundary: string) {
    super();
    this.#delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.#state === 'done') {
      done();
      return;
    }
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    try {
      this.#advance();
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(
      this.#state === 'done'
        ? null
        : new MultipartError('The multipart body ended before its file part did'),
    );
  }

  #advance(): void {
    for (;;) {
      if (this.#state === 'preamble') {
        // The first boundary may start the body without the leading CRLF.
        const first = this.#buffer.indexOf(this.#delimiter.subarray(2));
        if (first < 0) {
          this.#keepTail(this.#delimiter.length, false);
          return;
        }
        this.#buffer = this.#buffer.subarray(first + this.#delimiter.length - 2);
        this.#state = 'headers';
      } else if (this.#state === 'headers') {
        const end = this.#buffer.indexOf('\r\n\r\n');
        if (end < 0) {
          if (this.#buffer.length > maxHeaderBytes)
            throw new MultipartError('Multipart part headers are too long');
          return;
        }
        const headers = this.#buffer.subarray(0, end).toString('latin1');
        this.#buffer = this.#buffer.subarray(end + 4);
        // Skip form fields: the file is the part with a filename.
        this.#state = /filename=/i.test(headers) ? 'body' : 'preamble';
      } else if (this.#state === 'body') {
        const end = this.#buffer.indexOf(this.#delimiter);
        if (end < 0) {
          this.#keepTail(this.#delimiter.length, true);
          return;
        }
        this.push(this.#buffer.subarray(0, end));
        this.#buffer = Buffer.alloc(0);
        this.#state = 'done';
        return;
      } else return;
    }
  }

  /** Passes on (or drops) all but what could be the start of a delimiter. */
  #keepTail(length: number, emit: boolean): void {
    const cut = Math.max(0, this.#buffer.length - length);
    if (emit && cut > 0) this.push(this.#buffer.subarray(0, cut));
    this.#buffer = this.#buffer.subarray(cut);
  }
}
