// Requests the fuzzer once answered with a 500, replayed on both engines so the fix stays (each names
// the seed that found it).
import { beforeAll, expect, it } from 'vitest';
import { encodeCursor } from '../core/paging.js';
import { describeEachEngine } from '../test/harness.js';
import { buildFuzzWorld, type FuzzWorld } from './fuzz.world.js';

describeEachEngine('requests the fuzzer found answering 500', (ctx) => {
  let world: FuzzWorld;
  let address = 0;
  const get = (caller: 'admin' | 'worker', url: string) =>
    ctx.app.inject({ method: 'GET', url, headers: { ...world.headersOf[caller], 'accept-language': 'en' }, remoteAddress: `10.9.0.${(address++ % 250) + 1}` });

  beforeAll(async () => {
    world = await buildFuzzWorld(ctx);
  });

  // FUZZ_SEED=993274083: [1,"x"] is a well-formed cursor of the right length whose id is a word.
  it.each([
    ['admin', '/api/v1/deletion-requests'],
    ['admin', '/api/v1/org-units/branch-directory'],
    ['worker', '/api/v1/me/activities'],
    ['admin', '/api/v1/workers'],
    ['admin', '/api/v1/appeals'],
  ] as const)('%s GET %s with a cursor of the wrong kinds answers 400', async (caller, path) => {
    for (const cursor of [encodeCursor([1, 'x']), encodeCursor(['x', 1, 2]), encodeCursor([1, null, 'x'])]) {
      const answer = await get(caller, `${path}?cursor=${cursor}`);
      expect(answer.statusCode, answer.body).toBe(400);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.json().detail).toMatch(/cursor/);
    }
  });

  // FUZZ_SEED=993274083: radiusKm=2.77e-322 made a subnormal bounding box that PostgreSQL refuses.
  it('refuses a search radius no one asks for, and rounds subnormal coordinates to zero', async () => {
    const tiny = await get('worker', '/api/v1/me/activities/available?lat=30.6&lng=104.1&radiusKm=2.77e-322');
    expect(tiny.statusCode, tiny.body).toBe(400);
    expect(tiny.json().detail).toMatch(/radiusKm/);
    const subnormal = await get('worker', '/api/v1/me/activities/available?lat=5e-324&lng=-5e-324&radiusKm=1');
    expect(subnormal.statusCode, subnormal.body).toBe(200);
    const nearby = await get('worker', '/api/v1/stations/nearby?lat=5e-324&lng=5e-324&limit=5');
    expect(nearby.statusCode, nearby.body).toBe(200);
  });
});
