import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad, serverLoopDelay } from './load.js';

// A scenario ends at its duration whatever the server does: a server that never answers the scenario's
// requests (but answers /healthz) gives timeouts and requests cut in flight, not a run that waits for it.
describe('the load driver against a server that never answers', () => {
  let server: Server;
  let url: string;
  const held: ServerResponse[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/healthz') return void response.end('ok');
      if (request.url === '/metrics') return void response.writeHead(404).end();
      held.push(response); // never answered
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  // The scenario itself takes 4 s (warm-up and duration) plus the load driver's process start.
  it('cuts the scenario at its duration and counts what never came back', { timeout: 60_000 }, async () => {
    const result = await runLoad({ name: 'stuck', url, connections: 4, warmupSeconds: 1, durationSeconds: 3, method: 'GET', paths: ['/slow'] });
    expect(result.requests).toBe(0);
    // Unanswered for 80 % of the duration: each connection's first request times out, once (2 × 2.4 s > 3 s).
    expect(result.timeoutSeconds).toBe(2.4);
    expect(result.timeouts).toBe(4);
    expect(result.errors).toBe(4);
    // Each connection sent a new request after its timeout; those were in flight when the clock stopped.
    expect(result.inFlightAtCut).toBe(4);
    expect(result.drained).toBe(true);
    // The warm-up's 4, the first 4 measured and the 4 sent after the timeouts reached the server.
    expect(held).toHaveLength(12);
    // A server without metrics (as the ceilings) reports no loop delay.
    expect(result.serverLoopDelay).toBeUndefined();
  });
});

describe("the server's event-loop delay during a scenario", () => {
  it("is read from the server's prom-client metrics, in milliseconds", async () => {
    const server = createServer((_request, response) => {
      response.end(['# HELP nodejs_eventloop_lag_max_seconds The maximum recorded event loop delay.', '# TYPE nodejs_eventloop_lag_max_seconds gauge', 'nodejs_eventloop_lag_max_seconds 0.183762943', 'nodejs_eventloop_lag_p99_seconds 0.011403263', 'nodejs_eventloop_lag_p50_seconds 0.010100735', ''].join('\n'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      expect(await serverLoopDelay(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)).toEqual({ maxMs: 183.76, p99Ms: 11.4 });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
