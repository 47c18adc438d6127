/**
 * The SQLite writer thread: its own connection (WAL, synchronous = FULL), which commits each batch of
 * scores and its fsync off the event loop that serves requests. Answers every request message with
 * the outcomes once the commit returned (durable), or with the error that stopped it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { batchInserter, makeDurable } from './sqlite-batch.ts';
import type { WriterReply, WriterRequest, WriterStart } from './sqlite-writer.ts';

const { path, busyTimeoutMs } = workerData as WriterStart;
const port = parentPort!;

function errorReply(id: number, error: unknown): WriterReply {
  const { message, code } = error as { message?: unknown; code?: unknown };
  return { id, error: { message: String(message ?? error), ...(typeof code === 'string' ? { code } : {}) } };
}

try {
  const db = makeDurable(new BetterSqlite3(path, { timeout: busyTimeoutMs, fileMustExist: true }));
  const insertBatch = batchInserter(db);
  port.on('message', (request: WriterRequest) => {
    if (request.close) {
      db.close();
      port.close();
      return;
    }
    try {
      port.postMessage({ id: request.id, outcomes: insertBatch(request.rows) } satisfies WriterReply);
    } catch (error) {
      port.postMessage(errorReply(request.id, error));
    }
  });
  port.postMessage({ id: 0, outcomes: [] } satisfies WriterReply);
} catch (error) {
  port.postMessage(errorReply(0, error));
}
