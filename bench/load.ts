// The load driver: its own process (started by run.ts, spec on stdin, result as JSON on stdout), so
// the server under test and the client never share a CPU budget inside one event loop. autocannon
// keeps `connections` requests in flight for a warm-up (discarded) and then for the measured duration.
//
// A scenario ends at its duration, however slow the server: autocannon stops at the deadline and drops
// its connections (what is still in flight then is reported as `inFlightAtCut`), a request unanswered
// for 80 % of the duration counts as a timeout, and the wait for the server to work off the warm-up's
// queue is bounded by the duration too. So a run takes the same time whatever the figures.
import { createRequire } from 'node:module';
import type { NetConnectOpts, Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { text } from 'node:stream/consumers';
import autocannon from 'autocannon';

// autocannon 9 keeps every response body as a string (`body += chunk`, each chunk decoded as UTF-8) for
// callbacks that check bodies; no scenario has one. For the map layer (866 KB of gzip) that decoding was
// ~40 ms of this process's CPU per answer (48 % of its profile, 26 % more in garbage collection), so the
// geojson and ics figures measured the driver, not the server. The bytes are still read off the socket
// and parsed as HTTP; only the copy nobody reads is left out.
const requestsQueue = createRequire(import.meta.url)('autocannon/lib/pipelinedRequestsQueue.js') as { prototype: { addBody: (data: Buffer) => void } };
requestsQueue.prototype.addBody = () => {};

export type LoadSpec = {
  name: string;
  /** Base URL of the server, e.g. http://127.0.0.1:3001 */
  url: string;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
  method: 'GET' | 'POST';
  /** Cycled request after request. */
  paths: string[];
  headers?: Record<string, string>;
  /** JSON bodies, cycled. */
  bodies?: string[];
  /** Bearer tokens, cycled: per-account limits (appeal filing: 30 a minute) see many accounts. */
  bearerTokens?: string[];
  /** A fresh Idempotency-Key on every request (filing): no request is a replay. */
  idempotencyKey?: boolean;
  /**
   * Per-address rate limits (login 20, nearby and GeoJSON 120, feeds 60 a minute) would answer 429
   * to a single loopback address. Phones come from many addresses, so each connection binds its own
   * 127.x.y.z source and takes a new one after this many requests.
   */
  newAddressEvery?: number;
  /** Keeps the source addresses of different scenarios apart (rate-limit windows last a minute). */
  addressBlock?: number;
};

export type LoadResult = {
  name: string;
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Answers outside 2xx, by status. */
  non2xx: Record<string, number>;
  /** Errors of any kind, timeouts included (autocannon counts a timeout as an error too). */
  errors: number;
  /** Requests unanswered after `timeoutSeconds`: the connection was reset and a new request sent. */
  timeouts: number;
  /** The per-request limit of the measured run, seconds. */
  timeoutSeconds: number;
  /** Requests sent and neither answered nor failed when the duration ended (normally about one per connection). */
  inFlightAtCut: number;
  /** Seconds waited after the warm-up for the server to answer a plain GET again, and whether it did within the bound. */
  drainSeconds: number;
  drained: boolean;
  /** Waited before the warm-up for the server to answer again after the previous scenario. */
  settleSeconds?: number;
  /**
   * How long the server's event loop was held up during the measurement (its /metrics, prom-client's
   * monitor, 10 ms resolution): a p99 far above p50 with a long stall here is the server stopping for
   * something else (a scheduler tick, a checkpoint, a GC), not the scenario's own cost.
   */
  serverLoopDelay?: { maxMs: number; p99Ms: number };
};

// autocannon connects with net.connect(port, host) and has no option for the source address; the
// patch lives only in this process, which does nothing but drive load.
function spreadSourceAddresses(block: number): void {
  const net = createRequire(import.meta.url)('node:net') as { connect: (options: NetConnectOpts) => Socket };
  const original = net.connect.bind(net);
  let n = block * 1_000_000;
  const patched = (port: number | NetConnectOpts, host?: string) => {
    // fetch (undici) passes an options object: left as it is, only autocannon's (port, host) is spread.
    if (typeof port === 'object') return original(port);
    n += 1;
    // 127.0.0.0/8 is all loopback on Linux; skip .0 and .255 in the last octet.
    const a = 1 + (Math.floor(n / 254 / 256) % 254);
    const b = Math.floor(n / 254) % 256;
    const c = 1 + (n % 254);
    return original({ port, host: host ?? '127.0.0.1', localAddress: `127.${a}.${b}.${c}` });
  };
  (net as unknown as { connect: typeof patched }).connect = patched;
}

/** A request unanswered for this long is a timeout: it can never be answered within the measurement. */
export const requestTimeoutSeconds = (durationSeconds: number) => Math.max(1, Math.round(durationSeconds * 0.8 * 10) / 10);

async function once(spec: LoadSpec, seconds: number): Promise<autocannon.Result> {
  let i = 0;
  const headersBase = { ...(spec.bodies ? { 'content-type': 'application/json' } : {}), ...spec.headers };
  const request: autocannon.Request = {
    method: spec.method,
    path: spec.paths[0]!,
    setupRequest: (req) => {
      const k = i++;
      const headers: Record<string, string> = { ...headersBase };
      if (spec.bearerTokens) headers.authorization = `Bearer ${spec.bearerTokens[k % spec.bearerTokens.length]!}`;
      if (spec.idempotencyKey) headers['idempotency-key'] = randomUUID();
      return { ...req, method: spec.method, path: spec.paths[k % spec.paths.length]!, headers, ...(spec.bodies ? { body: spec.bodies[k % spec.bodies.length]! } : {}) };
    },
  };
  return autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: seconds,
    requests: [request],
    timeout: requestTimeoutSeconds(spec.durationSeconds),
    ...(spec.newAddressEvery ? { reconnectRate: spec.newAddressEvery } : {}),
  });
}

// autocannon stops at the deadline but the server still works off what the warm-up left queued; the
// measured run starts once a plain GET is answered again (any status will do), or after `seconds` at
// most: a server that cannot work off its queue in a scenario's duration is measured as it is.
async function drained(url: string, seconds: number): Promise<{ drainSeconds: number; drained: boolean }> {
  const started = Date.now();
  const deadline = started + seconds * 1000;
  const waited = () => Math.round((Date.now() - started) / 100) / 10;
  while (Date.now() < deadline) {
    try {
      await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
      return { drainSeconds: waited(), drained: true };
    } catch {
      // still busy
    }
  }
  return { drainSeconds: waited(), drained: false };
}

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * The server's event-loop delay since the last scrape: prom-client resets its histogram every time it
 * answers /metrics, so a scrape right before the measurement and one right after frame it. Null when the
 * server has no such metrics (the ceiling servers).
 */
export async function serverLoopDelay(url: string): Promise<{ maxMs: number; p99Ms: number } | null> {
  try {
    const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) return null;
    const text = await response.text();
    const seconds = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
    const max = seconds('nodejs_eventloop_lag_max_seconds');
    const p99 = seconds('nodejs_eventloop_lag_p99_seconds');
    return Number.isFinite(max) && Number.isFinite(p99) ? { maxMs: round(max * 1000), p99Ms: round(p99 * 1000) } : null;
  } catch {
    return null;
  }
}

/**
 * A scenario starts on a server that has worked off the previous one's cut requests: a slow scenario
 * (50 requests of a second each left queued at its cut) would otherwise be measured as the next one's
 * latency. Bounded, so a server that never recovers still ends the run.
 */
export const SETTLE_LIMIT_SECONDS = 180;

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  if (spec.newAddressEvery) spreadSourceAddresses(spec.addressBlock ?? 0);
  const settle = await drained(spec.url, SETTLE_LIMIT_SECONDS);
  let drain = { drainSeconds: 0, drained: true };
  if (spec.warmupSeconds > 0) {
    await once(spec, spec.warmupSeconds);
    drain = await drained(spec.url, Math.max(5, spec.durationSeconds));
  }
  await serverLoopDelay(spec.url);
  const result = await once(spec, spec.durationSeconds);
  const loopDelay = await serverLoopDelay(spec.url);
  const non2xx: Record<string, number> = {};
  for (const [status, stat] of Object.entries(result.statusCodeStats ?? {})) {
    if (!status.startsWith('2')) non2xx[status] = (stat as { count: number }).count;
  }
  return {
    name: spec.name,
    connections: spec.connections,
    seconds: result.duration,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    p50Ms: round(result.latency.p50),
    p99Ms: round(result.latency.p99),
    meanMs: round(result.latency.mean),
    non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    timeoutSeconds: requestTimeoutSeconds(spec.durationSeconds),
    // Sent, minus answered, minus ended by an error or a timeout: still waiting when the clock stopped.
    // When connections take new addresses, autocannon drops the answer it reconnects after from its
    // counts (one per newAddressEvery requests of a connection): those are subtracted, so this is ± the
    // number of connections there.
    inFlightAtCut: Math.max(0, result.requests.sent - result.requests.total - result.errors - (spec.newAddressEvery ? Math.floor(result.requests.sent / spec.newAddressEvery) : 0)),
    ...drain,
    settleSeconds: settle.drainSeconds,
    ...(loopDelay ? { serverLoopDelay: loopDelay } : {}),
  };
}

// Run as a script: spec on stdin, result on stdout.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const spec = JSON.parse(await text(process.stdin)) as LoadSpec;
  process.stdout.write(JSON.stringify(await runLoad(spec)) + '\n');
}
