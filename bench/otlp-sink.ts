/**
 * A stand-in trace collector, run as its own process (as a real collector would be): accepts OTLP/HTTP
 * exports, throws them away, and prints how many bytes it received when it is stopped with SIGTERM.
 */
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

let bytes = 0;
const server = createServer((req, res) => {
  req.on('data', (chunk: Buffer) => (bytes += chunk.length));
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
process.on('SIGTERM', () => {
  process.stdout.write(`${bytes}\n`);
  process.exit(0);
});
