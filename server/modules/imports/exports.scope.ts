import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { requireActor } from '../../core/actor.js';
import { recordAudit } from '../../core/audit.js';
import type { Clock } from '../../core/clock.js';
import { forbidden } from '../../core/errors.js';
import { type Actor, authorize, scopePaths } from '../../core/scope.js';
import type { Database } from '../../db/tables.js';
import { requestedSubtree } from '../org/org.operations.js';

export type ExportScope = { actor: Actor; scope: readonly string[] | 'all'; subtree: string | undefined; unmask: boolean };

/**
 * What every export checks before its first row: the subtree asked for is in scope, unmasking is allowed
 * everywhere the export reads (else 403, nothing written), and the export itself is audited.
 */
export async function authorizeExport(
  db: Kysely<Database>,
  clock: Clock,
  request: FastifyRequest,
  query: { unitId?: number; unmask?: 'true' | 'false' } & Record<string, unknown>,
  audit: { action: string; entityType: string; format: 'csv' | 'xlsx' },
): Promise<ExportScope> {
  const actor = requireActor(request);
  const subtree = await requestedSubtree(db, actor, 'person.read', query.unitId);
  const scope = scopePaths(actor, 'person.read');
  const unmask = query.unmask === 'true';
  if (unmask) {
    const paths = subtree ? [subtree] : scope === 'all' ? null : scope;
    const mayUnmask = paths === null ? authorize(actor, 'person.unmask', null) === 'allowed' : paths.every((p) => authorize(actor, 'person.unmask', p) === 'allowed');
    if (!mayUnmask) throw forbidden('person.unmask');
  }
  const { unmask: _unmask, ...filters } = query;
  await recordAudit(db, { actor, action: audit.action, entityType: audit.entityType, ip: request.ip, at: clock.now(), detail: { format: audit.format, unmasked: unmask, filters } });
  return { actor, scope, subtree, unmask };
}
