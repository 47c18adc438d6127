/**
 * The ceiling: a bare Fastify server answering the same leaderboard JSON from memory, nothing else.
 * Every figure of the real service is reported as a ratio of this one, measured in the same run.
 */
import Fastify from 'fastify';

const payload = process.env.CEILING_PAYLOAD ?? '{"leaderboard":[]}';
const app = Fastify({ logger: false });
app.get('/leaderboard', (_request, reply) => {
  reply.type('application/json; charset=utf-8').send(payload);
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('ready\n');
