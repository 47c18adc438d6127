import { connect } from 'node:net';

export interface RawExchange {
  /** Everything the server sent (latin1), up to the first status line or until it closed. */
  text: string;
  /** The status code of the first response line, or 0 when the server closed without answering. */
  status: number;
  /** How long the connection lasted. */
  elapsedMs: number;
}

/**
 * Sends bytes exactly as given (malformed requests fetch would refuse to send), `gapMs` apart. Settles
 * at the first status line, or with `untilClose` once the server has closed the connection.
 */
export function rawExchange(
  baseUrl: string,
  chunks: Array<string | Buffer>,
  { gapMs = 0, timeoutMs = 10_000, untilClose = false }: { gapMs?: number; timeoutMs?: number; untilClose?: boolean } = {},
): Promise<RawExchange> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const began = Date.now();
    let text = '';
    const settle = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), elapsedMs: Date.now() - began });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${timeoutMs} ms; got: ${text.slice(0, 200)}`));
    }, timeoutMs);
    socket.on('data', (data) => {
      text += data.toString('latin1');
      if (!untilClose && /^HTTP\/1\.[01] \d{3}/.test(text)) settle();
    });
    socket.on('error', () => undefined);
    socket.on('close', settle);
    socket.on('connect', async () => {
      for (const chunk of chunks) {
        if (socket.destroyed) return;
        socket.write(chunk);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
    });
  });
}

/** The status code a raw request gets (0 when the server closed without answering). */
export async function rawRequest(baseUrl: string, chunks: Array<string | Buffer>, gapMs = 0, timeoutMs = 10_000): Promise<number> {
  return (await rawExchange(baseUrl, chunks, { gapMs, timeoutMs })).status;
}

/**
 * A response lost in transit: sends one complete request and closes the connection as soon as the
 * answer starts to arrive, so the service has done its work but the client never reads the body.
 * Returns the bytes that arrived before the close (the status line, at least).
 */
export async function sendAndDropAnswer(baseUrl: string, method: string, path: string, json: string): Promise<string> {
  const head = `${method} ${path} HTTP/1.1\r\nHost: ${new URL(baseUrl).host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n\r\n`;
  return (await rawExchange(baseUrl, [head + json])).text;
}
