// A probe is how the matrix exercises one route: given the role and the side (own subtree A or the
// other subtree B), it builds a valid request aimed at a record on that side, so that what answers is
// the authorization check and not validation.
import type { LightMyRequestResponse } from 'fastify';
import type { Caller } from '../modules/activities/activities.factory.js';
import type { Fresh } from './authz-fresh.js';
import type { Api, MatrixRole, Side, Subtree, World } from './authz-world.js';

export type ProbeInput = {
  w: World;
  api: Api;
  fresh: Fresh;
  role: MatrixRole;
  side: Side;
  /** The subtree the request aims at: A for own scope, B for other scope. */
  S: Subtree;
  /** The account making the request (null for anonymous). */
  caller: Caller | null;
};

export type ProbeRequest = {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
  /** Another identity for this one request (a throwaway session for logout, say); null sends none. */
  as?: Caller | null;
  /** Waits for what the request started in the background (an import job) before the next check. */
  settle?: (response: LightMyRequestResponse) => Promise<void>;
};

export type RouteProbe = {
  /** Whether the route aims at a record or unit of a subtree; unscoped routes have no "other scope" column. */
  scoped: boolean;
  /**
   * Whether the request depends only on the side, not on who sends it: then a write that was refused
   * (and so changed nothing) leaves its target fresh for the next role, and no new one is made.
   */
  sameForEveryRole: boolean;
  probe: (input: ProbeInput) => Promise<ProbeRequest> | ProbeRequest;
};

/** Probes by route key: "METHOD /path/:param" exactly as the route is registered. */
export type Probes = Record<string, RouteProbe>;

export const scoped = (probe: RouteProbe['probe']): RouteProbe => ({ scoped: true, sameForEveryRole: true, probe });
/** A scoped route about one's own things: "own" is made for the caller, so each role gets its own request. */
export const scopedPersonal = (probe: RouteProbe['probe']): RouteProbe => ({ scoped: true, sameForEveryRole: false, probe });
export const unscoped = (probe: RouteProbe['probe']): RouteProbe => ({ scoped: false, sameForEveryRole: false, probe });
export const get = (url: string): RouteProbe => unscoped(() => ({ url }));
