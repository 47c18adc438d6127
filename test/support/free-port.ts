import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';

/**
 * A port that was free a moment ago (the kernel hands out ephemeral ports in sequence, not reused at
 * once). Shared by the tests, the e2e suite and the benchmark; it depends on no path, so Node's type
 * stripping (bench/) and jest load it alike.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
