import type { Kysely } from 'kysely';
import { newToken, sessionIdOf } from '../../core/actor.js';
import { hashPassword } from '../../core/passwords.js';
import type { Database, Role, SessionKind } from '../../db/tables.js';

export async function findUserByUsername(db: Kysely<Database>, username: string) {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function createUser(
  db: Kysely<Database>,
  input: { username: string; password: string; displayName: string; locale?: string; grants: { role: Role; unitId: number | null }[] },
  now: Date,
): Promise<number> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('users')
      .values({
        username: input.username,
        passwordHash,
        displayName: input.displayName,
        locale: input.locale ?? 'zh-CN',
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const grant of input.grants) {
      await trx.insertInto('roleGrants').values({ userId: id, role: grant.role, unitId: grant.unitId, createdAt: now.toISOString() }).execute();
    }
    return id;
  });
}

export async function startSession(
  db: Kysely<Database>,
  input: { userId: number; kind: SessionKind; name?: string; ip?: string; userAgent?: string; ttlMs: number },
  now: Date,
): Promise<{ token: string; csrfToken: string; expiresAt: string }> {
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(now.getTime() + input.ttlMs).toISOString();
  await db
    .insertInto('sessions')
    .values({
      id: sessionIdOf(token),
      userId: input.userId,
      kind: input.kind,
      name: input.name ?? null,
      csrfToken,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt,
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export async function endSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionIdOf(token)).execute();
}

export async function endSessionById(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}
