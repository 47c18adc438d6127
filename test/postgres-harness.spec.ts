import { describeWithTool } from './support/required-tool.ts';
import { postgresServer, type PrivateServer, startPrivatePostgres } from './support/postgres.ts';

/**
 * The real PostgreSQL the scale-out tests run against (issue: PostgreSQL mode): a private server per
 * suite, started and stopped by the tests. This proves the harness itself: a server that answers,
 * keeps committed rows across a clean restart, and refuses connections while stopped.
 */
describeWithTool('a private PostgreSQL server for the tests', postgresServer(), () => {
  let server: PrivateServer;
  beforeAll(async () => {
    server = await startPrivatePostgres();
  }, 120_000);
  afterAll(() => server?.destroy());

  const query = (sql: string) => server.query(sql);

  it('answers on its own port, as its own database, in UTF-8', async () => {
    const [row] = await query("SELECT current_database() AS db, current_setting('server_encoding') AS encoding, current_setting('fsync') AS fsync");
    expect(row).toEqual({ db: 'drafty', encoding: 'UTF8', fsync: 'on' });
  });

  it('keeps committed rows across a restart, and refuses connections while it is down', async () => {
    await query('CREATE TABLE harness (id int PRIMARY KEY)');
    await query('INSERT INTO harness VALUES (1), (2)');
    server.stop();
    await expect(query('SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
    server.start();
    expect(await query('SELECT count(*)::int AS n FROM harness')).toEqual([{ n: 2 }]);
  }, 60_000);
});
