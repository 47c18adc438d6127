import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.ts';
import type { RequiredTool } from './required-tool.ts';

/** Debian's server binaries (initdb, pg_ctl): not on PATH, under /usr/lib/postgresql/<major>/bin. */
function serverBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a));
  return majors[0] === undefined ? undefined : join(root, majors[0], 'bin');
}

export const postgresServer = (): RequiredTool => ({ available: serverBinDir() !== undefined, what: 'initdb and pg_ctl', debianPackage: 'postgresql' });

export interface PrivateServer {
  /** A database of its own, reached over TCP on 127.0.0.1 as the superuser (for the tests' own queries). */
  url: string;
  /** The same database as its owner `app`, who must give a password (SCRAM), as a managed database's user does. */
  appUrl: string;
  appPassword: string;
  port: number;
  dataDir: string;
  /** `pg_ctl stop -m fast`: the server shuts down cleanly, as when a managed database restarts. */
  stop(): void;
  start(): void;
  /** SIGSTOP to the server and every backend: it keeps its sockets open and answers nothing (a hung host). */
  pause(): void;
  resume(): void;
  /**
   * Turns TLS on (reload, no restart) with a certificate for `localhost` only, signed by a fresh CA.
   * Returns that CA's file and another CA's, for verify-full that must pass and fail.
   */
  enableTls(): Promise<{ caFile: string; otherCaFile: string }>;
  /** One statement as the superuser, on a connection of its own (`database`: another database on this server). */
  query(text: string, values?: unknown[], database?: string): Promise<Array<Record<string, unknown>>>;
  /** A new database owned by `app`; its DATABASE_URL (as `app`, with the password). */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and removes its files. */
  destroy(): void;
}

/**
 * A throwaway PostgreSQL server: `initdb` into a temp folder and `pg_ctl` on a free port, run as the
 * `postgres` user when the tests are root (PostgreSQL refuses to run as root), trust authentication on
 * loopback only, fsync on (durability tests rely on it). Nothing is shared with a system cluster.
 */
export async function startPrivatePostgres(database = 'drafty'): Promise<PrivateServer> {
  const bin = serverBinDir();
  if (!bin) throw new Error('PostgreSQL server binaries are missing: apt-get install postgresql');
  const asRoot = process.getuid?.() === 0;
  const dataDir = mkdtempSync(join(tmpdir(), 'drafty-bird-pg-'));
  const owner = asRoot ? Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()) : undefined;
  if (owner !== undefined) chownSync(dataDir, owner, owner);
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] as const : [join(bin, tool), args] as const;
    const result = spawnSync(command[0], command[1], { encoding: 'utf8', cwd: dataDir, timeout: 60_000 });
    if (result.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
    return result.stdout;
  };
  const cluster = join(dataDir, 'cluster');
  run('initdb', ['-D', cluster, '-A', 'trust', '-U', 'postgres', '--encoding', 'UTF8', '--locale', 'C.UTF-8']);
  const port = await freePort();
  writeFileSync(
    join(cluster, 'postgresql.auto.conf'),
    [`port = ${port}`, "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dataDir}'`, 'max_connections = 100'].join('\n') + '\n',
  );
  // The app's role authenticates with a password; the superuser (the tests' own queries) is trusted.
  writeFileSync(
    join(cluster, 'pg_hba.conf'),
    ['local all all trust', 'host all app 127.0.0.1/32 scram-sha-256', 'host all all 127.0.0.1/32 trust'].join('\n') + '\n',
  );
  for (const file of ['postgresql.auto.conf', 'pg_hba.conf']) if (owner !== undefined) chownSync(join(cluster, file), owner, owner);
  const logFile = join(dataDir, 'server.log');
  const start = () => void run('pg_ctl', ['-D', cluster, '-l', logFile, '-w', '-t', '60', 'start']);
  const stop = () => void run('pg_ctl', ['-D', cluster, '-m', 'fast', '-w', 'stop']);
  const signalAll = (signal: NodeJS.Signals) => {
    const postmaster = Number(readFileSync(join(cluster, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const children = spawnSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
    for (const pid of [postmaster, ...children]) process.kill(pid, signal);
  };
  start();
  const appPassword = randomBytes(12).toString('hex');
  run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE ROLE app LOGIN PASSWORD '${appPassword}'`]);
  run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-O', 'app', database]);
  const superuserUrl = (name: string) => `postgres://postgres@127.0.0.1:${port}/${name}`;
  const appUrlOf = (name: string) => `postgres://app:${appPassword}@127.0.0.1:${port}/${name}`;
  const query = async (text: string, values?: unknown[], name = database) => {
    const client = new pg.Client({ connectionString: superuserUrl(name), connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as Array<Record<string, unknown>>;
    } finally {
      await client.end();
    }
  };
  return {
    url: superuserUrl(database),
    appUrl: appUrlOf(database),
    appPassword,
    port,
    dataDir,
    start,
    stop,
    async enableTls() {
      const tls = join(dataDir, 'tls');
      mkdirSync(tls);
      const openssl = (...args: string[]) => {
        const result = spawnSync('openssl', args, { cwd: tls, encoding: 'utf8' });
        if (result.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${result.stderr}`);
      };
      for (const ca of ['ca', 'other-ca']) {
        openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}.key`, '-out', `${ca}.pem`, '-days', '1', '-subj', `/CN=drafty-bird test ${ca}`);
      }
      openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
      writeFileSync(join(tls, 'san.ext'), 'subjectAltName=DNS:localhost\n');
      openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.ext');
      chmodSync(join(tls, 'server.key'), 0o600);
      if (owner !== undefined) for (const file of ['server.key', 'server.pem']) chownSync(join(tls, file), owner, owner);
      writeFileSync(
        join(cluster, 'postgresql.auto.conf'),
        ['ssl = on', `ssl_cert_file = '${join(tls, 'server.pem')}'`, `ssl_key_file = '${join(tls, 'server.key')}'`].join('\n') + '\n',
        { flag: 'a' },
      );
      run('pg_ctl', ['-D', cluster, 'reload']);
      // A reload is a signal the server acts on in its own time: wait until it serves TLS, or the first
      // connection may race it (seen on a loaded CI machine).
      const deadline = Date.now() + 10_000;
      while ((await query('SHOW ssl'))[0]?.ssl !== 'on') {
        if (Date.now() > deadline) throw new Error('PostgreSQL did not turn TLS on within 10 s of the reload');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { caFile: join(tls, 'ca.pem'), otherCaFile: join(tls, 'other-ca.pem') };
    },
    query,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      await query(`CREATE DATABASE ${name} OWNER app`);
      return appUrlOf(name);
    },
    pause: () => signalAll('SIGSTOP'),
    resume: () => signalAll('SIGCONT'),
    destroy() {
      try {
        signalAll('SIGCONT');
      } catch {
        // not running
      }
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
