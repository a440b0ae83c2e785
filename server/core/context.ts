import type { FastifyRequest } from 'fastify';
import { requireActor } from './actor.js';
import type { Clock } from './clock.js';
import type { Actor } from './scope.js';

/** Who acts, when and from where: what every change records. */
export type Context = { actor: Actor; now: Date; ip: string };

export function contextOf(request: FastifyRequest, clock: Clock): Context {
  return { actor: requireActor(request), now: clock.now(), ip: request.ip };
}
