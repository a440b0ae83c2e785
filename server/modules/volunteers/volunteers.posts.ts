// Vanguard posts (先锋岗): a unit's named duties and the members who held them, one at a time, with the
// history kept. Who holds a post is a member's name, so the board names holders only to those who
// read people in the unit (audited); everyone else reading the unit sees whether a post is held.
import { recordAudit } from '../../core/audit.js';
import type { AppDeps } from '../../core/deps.js';
import { invalid, notFound } from '../../core/errors.js';
import { decodeCursor, pageOf, toPage } from '../../core/paging.js';
import { type Actor, authorize } from '../../core/scope.js';
import { isUniqueViolation } from '../../db/engine.js';
import { type Meta, type VolunteersApp, decide, listScope, memberFor, metaOf, notAfterToday, ruleViolation, tags, unitFor } from './volunteers.http.js';
import { type Db, type PostRow, type TermRow, findPost, listPosts, lockedForUpdate, termsOf } from './volunteers.queries.js';
import { holderOn, planHandover, refusals } from './volunteers.rules.js';
import { assignHolderBodySchema, createPostBodySchema, endPostBodySchema, idParamsSchema, listPostsQuerySchema, postDetailSchema, type PostTermView, vanguardPostSchema } from './volunteers.schema.js';

const postNotFound = () => notFound('vanguard_post');

const termViewOf = (t: TermRow): PostTermView => ({ id: t.id, memberId: t.memberId, name: t.name, fromDate: t.fromDate, toDate: t.toDate, endReason: t.endReason });

function postViewOf(post: PostRow, terms: readonly TermRow[], mayReadNames: boolean, today: string) {
  const holder = post.closedOn === null ? holderOn(terms, today) : null;
  return {
    id: post.id,
    unitId: post.unitId,
    unitName: post.unitName,
    title: post.title,
    kind: post.kind,
    duties: post.duties,
    closedOn: post.closedOn,
    held: holder !== null,
    holder: holder && mayReadNames ? termViewOf(holder) : null,
  };
}

async function postFor(db: Db, actor: Actor, id: number, action: 'org.read' | 'org.write'): Promise<PostRow> {
  const post = await findPost(db, id);
  if (!post) throw postNotFound();
  decide(authorize(actor, action, post.unitPath), postNotFound, action);
  return post;
}

/** The post with its whole history; names (and the audit row for reading them) only for those who read people. */
async function postDetail(db: Db, post: PostRow, meta: Meta, audit: boolean) {
  const terms = await termsOf(db, [post.id]);
  const mayReadNames = authorize(meta.actor, 'person.read', post.unitPath) === 'allowed';
  if (mayReadNames && audit && terms.length > 0) {
    await recordAudit(db, { actor: meta.actor, action: 'vanguard_post.read', entityType: 'vanguard_post', entityId: post.id, ip: meta.ip, detail: { terms: terms.length }, at: meta.now });
  }
  return { ...postViewOf(post, terms, mayReadNames, meta.today), terms: mayReadNames ? terms.map(termViewOf) : null };
}

export function registerPostRoutes(app: VolunteersApp, deps: AppDeps): void {
  const { db } = deps;

  app.post(
    '/vanguard-posts',
    { schema: { tags, summary: 'Create a vanguard post in a unit, optionally with its first holder (staff who manage the unit)', body: createPostBodySchema, response: { 201: postDetailSchema } } },
    async (request, reply) => {
      const meta = metaOf(request, deps);
      const body = request.body;
      const unit = await unitFor(db, meta.actor, body.unitId, 'org.write', { open: true });
      const holder = body.holderMemberId !== undefined ? await memberFor(db, meta.actor, body.holderMemberId) : null;
      const fromDate = body.fromDate ?? meta.today;
      if (body.toDate !== undefined && body.toDate < fromDate) throw invalid('body.toDate', refusals.endBeforeStart);
      const id = await db
        .transaction()
        .execute(async (trx) => {
          const at = meta.now.toISOString();
          const row = await trx
            .insertInto('vanguardPosts')
            .values({ unitId: unit.id, unitPath: unit.path, title: body.title, kind: body.kind, duties: body.duties, closedOn: null, createdBy: meta.actor.userId, createdAt: at, updatedAt: at })
            .returning('id')
            .executeTakeFirstOrThrow();
          if (holder) {
            await trx.insertInto('vanguardPostTerms').values({ postId: row.id, memberId: holder.id, fromDate, toDate: body.toDate ?? null, endReason: null, createdBy: meta.actor.userId, createdAt: at }).execute();
          }
          await recordAudit(trx, { actor: meta.actor, action: 'vanguard_post.create', entityType: 'vanguard_post', entityId: row.id, ip: meta.ip, detail: { unitId: unit.id, title: body.title, kind: body.kind, holderMemberId: holder?.id ?? null }, at: meta.now });
          return row.id;
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? ruleViolation(refusals.duplicateName) : error;
        });
      return reply.code(201).send(await postDetail(db, (await findPost(db, id)) as PostRow, meta, false));
    },
  );

  app.post(
    '/vanguard-posts/:id/holders',
    {
      schema: {
        tags,
        summary: 'Give a post to a member for a period; an open-ended holder hands over the day before, any other overlap is refused',
        params: idParamsSchema,
        body: assignHolderBodySchema,
        response: { 200: postDetailSchema },
      },
    },
    async (request) => {
      const meta = metaOf(request, deps);
      const post = await postFor(db, meta.actor, request.params.id, 'org.write');
      if (post.closedOn) throw ruleViolation(refusals.postClosed);
      const member = await memberFor(db, meta.actor, request.body.memberId);
      const next = { from: request.body.fromDate ?? meta.today, to: request.body.toDate ?? null };
      await db
        .transaction()
        .execute(async (trx) => {
          // Two handovers of one post at once: the second waits here and then sees the first one's term.
          await lockedForUpdate(trx, trx.selectFrom('vanguardPosts').select('id').where('id', '=', post.id)).execute();
          const terms = await trx.selectFrom('vanguardPostTerms').select(['id', 'fromDate as from', 'toDate as to']).where('postId', '=', post.id).execute();
          const plan = planHandover(terms, next);
          if ('refusal' in plan) throw ruleViolation(plan.refusal);
          if (plan.end) await trx.updateTable('vanguardPostTerms').set({ toDate: plan.end.on, endReason: '换岗 / handed over' }).where('id', '=', plan.end.id).execute();
          await trx.insertInto('vanguardPostTerms').values({ postId: post.id, memberId: member.id, fromDate: next.from, toDate: next.to, endReason: null, createdBy: meta.actor.userId, createdAt: meta.now.toISOString() }).execute();
          await trx.updateTable('vanguardPosts').set({ updatedAt: meta.now.toISOString() }).where('id', '=', post.id).execute();
          await recordAudit(trx, { actor: meta.actor, action: 'vanguard_post.assign', entityType: 'vanguard_post', entityId: post.id, ip: meta.ip, detail: { memberId: member.id, ...next, endedTermId: plan.end?.id ?? null }, at: meta.now });
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? ruleViolation(refusals.termOverlap) : error;
        });
      return postDetail(db, post, meta, false);
    },
  );

  app.post(
    '/vanguard-posts/:id/end',
    { schema: { tags, summary: 'End the current holder’s term, and optionally retire the post', params: idParamsSchema, body: endPostBodySchema, response: { 200: postDetailSchema } } },
    async (request) => {
      const meta = metaOf(request, deps);
      const post = await postFor(db, meta.actor, request.params.id, 'org.write');
      if (post.closedOn) throw ruleViolation(refusals.postClosed);
      const body = request.body;
      const toDate = body.toDate ?? meta.today;
      notAfterToday('body.toDate', toDate, meta.today);
      const terms = await termsOf(db, [post.id]);
      // The current term, or one that is open-ended but starts later (ended before it began: a cancellation).
      const current = holderOn(terms, toDate) ?? terms.find((t) => t.toDate === null) ?? null;
      if (!current && !body.closePost) throw ruleViolation(refusals.noHolder);
      if (current && toDate < current.fromDate) throw invalid('body.toDate', refusals.endBeforeStart);
      // Terms are history and are never deleted: one planned to begin after the post's last day must be changed first.
      if (body.closePost && terms.some((t) => t.fromDate > toDate)) throw ruleViolation(refusals.futureTerm);
      await db.transaction().execute(async (trx) => {
        if (current) await trx.updateTable('vanguardPostTerms').set({ toDate, endReason: body.reason ?? null }).where('id', '=', current.id).execute();
        // Retiring a post ends every term that would run past its last day.
        if (body.closePost) {
          await trx.updateTable('vanguardPostTerms').set({ toDate, endReason: body.reason ?? null }).where('postId', '=', post.id).where((eb) => eb.or([eb('toDate', 'is', null), eb('toDate', '>', toDate)])).where('fromDate', '<=', toDate).execute();
          await trx.updateTable('vanguardPosts').set({ closedOn: toDate, updatedAt: meta.now.toISOString() }).where('id', '=', post.id).execute();
        }
        await recordAudit(trx, { actor: meta.actor, action: body.closePost ? 'vanguard_post.close' : 'vanguard_post.end', entityType: 'vanguard_post', entityId: post.id, ip: meta.ip, detail: { termId: current?.id ?? null, toDate, reason: body.reason ?? null }, at: meta.now });
      });
      return postDetail(db, (await findPost(db, post.id)) as PostRow, meta, false);
    },
  );

  app.get(
    '/vanguard-posts',
    { schema: { tags, summary: 'The board of a unit’s subtree: posts and whether they are held; holders’ names for those who read people (audited)', querystring: listPostsQuerySchema, response: { 200: pageOf(vanguardPostSchema) } } },
    async (request) => {
      const meta = metaOf(request, deps);
      const q = request.query;
      const scope = await listScope(db, meta.actor, 'org.read', q.unitId);
      const cursor = decodeCursor(q.cursor, ['id']);
      const rows = await listPosts(db, { scope, status: q.status, afterId: cursor ? Number(cursor[0]) : null, limit: q.limit });
      const page = toPage(rows, q.limit, (r) => [r.id]);
      const terms = await termsOf(db, page.items.map((p) => p.id));
      const items = page.items.map((post) => {
        const mayReadNames = authorize(meta.actor, 'person.read', post.unitPath) === 'allowed';
        return postViewOf(post, terms.filter((t) => t.postId === post.id), mayReadNames, meta.today);
      });
      const named = items.filter((i) => i.holder !== null).length;
      if (named > 0) {
        await recordAudit(db, { actor: meta.actor, action: 'vanguard_post.board_read', entityType: 'org_unit', entityId: q.unitId ?? null, ip: meta.ip, detail: { holdersShown: named }, at: meta.now });
      }
      return { items, nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/vanguard-posts/:id',
    { schema: { tags, summary: 'A post with every term; names for those who read people (audited)', params: idParamsSchema, response: { 200: postDetailSchema } } },
    async (request) => {
      const meta = metaOf(request, deps);
      return postDetail(db, await postFor(db, meta.actor, request.params.id, 'org.read'), meta, true);
    },
  );
}
