// The demo's readable output: one line per step, the time since start, who acted.
export type Actor = 'CSMS' | 'CP' | 'API' | 'DEMO';

export class Timeline {
  readonly #t0 = Date.now();
  readonly #write: (line: string) => void;

  constructor(write: (line: string) => void) {
    this.#write = write;
  }

  step(actor: Actor, text: string): void {
    const seconds = ((Date.now() - this.#t0) / 1000).toFixed(1).padStart(5);
    this.#write(`[${seconds}s] ${actor.padEnd(4)} ${text}\n`);
  }

  line(text = ''): void {
    this.#write(`${text}\n`);
  }
}
