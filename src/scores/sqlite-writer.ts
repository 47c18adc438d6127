import { once } from 'node:events';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { InsertOutcome, NewScore } from './score-store.ts';

/** What the writer thread is started with. */
export interface WriterStart {
  path: string;
  busyTimeoutMs: number;
}

export type WriterRequest = { id: number; rows: readonly NewScore[]; close?: undefined } | { id: 0; close: true };
/** id 0 answers the start: empty outcomes when the connection is open, or why it could not open. */
export type WriterReply = { id: number; outcomes: InsertOutcome[] } | { id: number; error: { message: string; code?: string } };

/** The writer thread's module beside this one: `.ts` when the sources run (tests), `.js` from dist/. */
const WORKER_FILE = new URL(`./sqlite-writer.worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/** An error from the writer thread, with SQLite's code (SQLITE_FULL, SQLITE_IOERR…) kept. */
export class SqliteWriterError extends Error {
  readonly code: string | undefined;

  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}

interface Waiting {
  resolve: (outcomes: InsertOutcome[]) => void;
  reject: (error: Error) => void;
}

/**
 * Commits batches of scores on a worker thread with a connection of its own, so a commit's fsync and
 * SQLite's WAL checkpoints never stall the event loop; reads stay on the main connection (WAL lets them
 * run beside the writer). A batch resolves only once its commit returned: nothing is acknowledged
 * before it is durable. If the thread dies, every batch in flight fails and so does every later one.
 */
export class SqliteWriter {
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private failure: Error | undefined;
  private readonly worker: Worker;

  private constructor(worker: Worker) {
    this.worker = worker;
    worker.on('message', (reply: WriterReply) => this.settle(reply));
    worker.on('error', (error) => this.die(error));
    worker.on('exit', (code) => this.die(new SqliteWriterError(`the SQLite writer thread exited (${code})`)));
    // An idle writer never keeps the process alive (an app that was not closed still lets it exit);
    // while a batch waits for its commit, it does, so the acknowledgement arrives.
    worker.unref();
  }

  /** Starts the thread and resolves once its connection is open, or rejects with why it is not. */
  static async open(start: WriterStart): Promise<SqliteWriter> {
    const worker = new Worker(WORKER_FILE, { workerData: start });
    // `once` rejects if the thread emits 'error' first (it could not even load), and leaves no listener behind.
    const [reply] = (await once(worker, 'message')) as [WriterReply];
    if ('error' in reply) {
      await worker.terminate();
      throw new SqliteWriterError(reply.error.message, reply.error.code);
    }
    return new SqliteWriter(worker);
  }

  insertBatch(rows: readonly NewScore[]): Promise<InsertOutcome[]> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<InsertOutcome[]>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      if (this.waiting.size === 1) this.worker.ref();
      this.worker.postMessage({ id, rows } satisfies WriterRequest);
    });
  }

  /** Closes the thread's connection and ends the thread; batches still waiting fail. */
  close(): void {
    if (this.failure) return;
    this.die(new SqliteWriterError('the SQLite writer was closed'));
    this.worker.postMessage({ id: 0, close: true } satisfies WriterRequest);
  }

  private settle(reply: WriterReply): void {
    const waiting = this.waiting.get(reply.id);
    if (!waiting) return;
    this.waiting.delete(reply.id);
    if (this.waiting.size === 0) this.worker.unref();
    if ('error' in reply) waiting.reject(new SqliteWriterError(reply.error.message, reply.error.code));
    else waiting.resolve(reply.outcomes);
  }

  private die(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(this.failure);
    this.waiting.clear();
    this.worker.unref();
  }
}
