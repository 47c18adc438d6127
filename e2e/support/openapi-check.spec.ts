import { openApiDocument } from '../../src/api/openapi.document.ts';
import { OpenApiRecorder } from './openapi-check.ts';

const answer = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8' } });
const document = JSON.parse(JSON.stringify(openApiDocument('1.0.0')));

describe('the OpenAPI check of recorded answers', () => {
  it('passes answers the document declares, and names an undeclared status and a body that does not match', async () => {
    const recorder = new OpenApiRecorder();
    recorder.record('GET', '/leaderboard?limit=2', answer(200, { leaderboard: [{ player: 'Ada', score: 3, createdAt: '2026-12-03T08:00:00.000Z' }] }));
    recorder.record('POST', '/score', answer(503, { error: 'injected fault', request_id: 'r1', chaos: true }));
    recorder.record('POST', '/score', answer(500, { error: 'injected fault', request_id: 'r2', chaos: true }));
    recorder.record('GET', '/nowhere', answer(404, { error: 'no route', request_id: 'r3' }));
    expect(await recorder.problems(document)).toEqual({ checked: 3, problems: [] });

    const bad = new OpenApiRecorder();
    bad.record('GET', '/leaderboard', answer(418, { error: 'teapot', request_id: 'r4' }));
    bad.record('GET', '/leaderboard', answer(200, { leaderboard: [{ player: 'Ada', score: -1, createdAt: 'x' }] }));
    bad.record('POST', '/score', answer(403, { error: 'no', request_id: 'r5', reason: 'not_a_reason' }));
    const { problems } = await bad.problems(document);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe('GET /leaderboard → 418: status not declared');
    expect(problems[1]).toMatch(/^GET \/leaderboard → 200: .*score.*must be >= 0/);
    expect(problems[2]).toMatch(/^POST \/score → 403: .*reason.*allowed values/);
  });
});
