import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import { columnTypes } from '../engine.js';

// Volunteering: teams led by a member and open to every worker, their rosters over time, vanguard posts
// (先锋岗) and who held them, service hours verified by the team leader, and workers serving as community
// grid members. The one-at-a-time rules are partial unique indexes as well, so two requests racing past
// the check in code cannot both land.
export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const idColumn = (c: ColumnDefinitionBuilder) => (t.postgres ? c.primaryKey() : c.primaryKey().autoIncrement());
  // Byte order on PostgreSQL as on SQLite, so a subtree is one index range (see docs/architecture.md).
  const pathColumn = (c: ColumnDefinitionBuilder) => (t.postgres ? c.notNull().modifyFront(sql`collate "C"`) : c.notNull());
  const onePerson = sql`(worker_id is null) <> (member_id is null)`;

  await db.schema
    .createTable('volunteer_teams')
    .addColumn('id', t.id, idColumn)
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('unit_path', 'text', pathColumn)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    // Member-led: the leader is always a member; everyone else on the roster may be any worker.
    .addColumn('leader_member_id', 'integer', (c) => c.notNull().references('members.id'))
    .addColumn('founded_on', t.date, (c) => c.notNull())
    .addColumn('closed_on', t.date)
    .addColumn('close_reason', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('volunteer_teams_scope').on('volunteer_teams').columns(['unit_path', 'id']).execute();
  await db.schema.createIndex('volunteer_teams_leader').on('volunteer_teams').columns(['leader_member_id']).execute();
  await db.schema.createIndex('volunteer_teams_open_name').unique().on('volunteer_teams').columns(['unit_id', 'name']).where(sql<boolean>`closed_on is null`).execute();

  await db.schema
    .createTable('volunteer_team_members')
    .addColumn('id', t.id, idColumn)
    .addColumn('team_id', 'integer', (c) => c.notNull().references('volunteer_teams.id'))
    .addColumn('worker_id', 'integer', (c) => c.references('workers.id'))
    .addColumn('member_id', 'integer', (c) => c.references('members.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('joined_on', t.date, (c) => c.notNull())
    .addColumn('left_on', t.date)
    .addColumn('added_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addCheckConstraint('volunteer_team_members_one_person', onePerson)
    .execute();
  await db.schema.createIndex('volunteer_team_members_team').on('volunteer_team_members').columns(['team_id', 'left_on', 'id']).execute();
  await db.schema.createIndex('volunteer_team_members_worker').on('volunteer_team_members').columns(['worker_id']).execute();
  await db.schema.createIndex('volunteer_team_members_member').on('volunteer_team_members').columns(['member_id']).execute();
  await db.schema.createIndex('volunteer_team_members_one_worker').unique().on('volunteer_team_members').columns(['team_id', 'worker_id']).where(sql<boolean>`left_on is null and worker_id is not null`).execute();
  await db.schema.createIndex('volunteer_team_members_one_member').unique().on('volunteer_team_members').columns(['team_id', 'member_id']).where(sql<boolean>`left_on is null and member_id is not null`).execute();
  await db.schema.createIndex('volunteer_team_members_one_leader').unique().on('volunteer_team_members').column('team_id').where(sql<boolean>`role = 'leader' and left_on is null`).execute();

  await db.schema
    .createTable('vanguard_posts')
    .addColumn('id', t.id, idColumn)
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('unit_path', 'text', pathColumn)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('duties', 'text', (c) => c.notNull())
    .addColumn('closed_on', t.date)
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vanguard_posts_scope').on('vanguard_posts').columns(['unit_path', 'id']).execute();
  await db.schema.createIndex('vanguard_posts_open_title').unique().on('vanguard_posts').columns(['unit_id', 'title']).where(sql<boolean>`closed_on is null`).execute();

  await db.schema
    .createTable('vanguard_post_terms')
    .addColumn('id', t.id, idColumn)
    .addColumn('post_id', 'integer', (c) => c.notNull().references('vanguard_posts.id'))
    .addColumn('member_id', 'integer', (c) => c.notNull().references('members.id'))
    .addColumn('from_date', t.date, (c) => c.notNull())
    .addColumn('to_date', t.date)
    .addColumn('end_reason', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vanguard_post_terms_post').on('vanguard_post_terms').columns(['post_id', 'from_date']).execute();
  await db.schema.createIndex('vanguard_post_terms_member').on('vanguard_post_terms').columns(['member_id']).execute();
  // One open-ended holder per post; dated terms are kept apart by the overlap check in code.
  await db.schema.createIndex('vanguard_post_terms_one_open').unique().on('vanguard_post_terms').column('post_id').where(sql<boolean>`to_date is null`).execute();

  await db.schema
    .createTable('service_records')
    .addColumn('id', t.bigId, idColumn)
    .addColumn('team_id', 'integer', (c) => c.notNull().references('volunteer_teams.id'))
    .addColumn('worker_id', 'integer', (c) => c.references('workers.id'))
    .addColumn('member_id', 'integer', (c) => c.references('members.id'))
    .addColumn('service_date', t.date, (c) => c.notNull())
    .addColumn('half_hours', 'integer', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('description_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reject_reason', 'text')
    .addColumn('verified_by', 'integer', (c) => c.references('users.id'))
    .addColumn('verified_at', t.timestamp)
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addCheckConstraint('service_records_one_person', onePerson)
    // 0.5 to 12 hours in half-hour steps.
    .addCheckConstraint('service_records_hours', sql`half_hours between 1 and 24`)
    .execute();
  await db.schema.createIndex('service_records_team').on('service_records').columns(['team_id', 'status', 'id']).execute();
  await db.schema.createIndex('service_records_team_date').on('service_records').columns(['team_id', 'service_date']).execute();
  await db.schema.createIndex('service_records_worker').on('service_records').columns(['worker_id', 'service_date']).execute();
  await db.schema.createIndex('service_records_member').on('service_records').columns(['member_id', 'service_date']).execute();
  // The same entry sent twice (a double tap, a retry) is refused; a rejected one may be sent again.
  await db.schema.createIndex('service_records_once_worker').unique().on('service_records').columns(['team_id', 'worker_id', 'service_date', 'description_hash']).where(sql<boolean>`status <> 'rejected' and worker_id is not null`).execute();
  await db.schema.createIndex('service_records_once_member').unique().on('service_records').columns(['team_id', 'member_id', 'service_date', 'description_hash']).where(sql<boolean>`status <> 'rejected' and member_id is not null`).execute();

  await db.schema
    .createTable('grid_roles')
    .addColumn('id', t.id, idColumn)
    .addColumn('worker_id', 'integer', (c) => c.notNull().references('workers.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('unit_path', 'text', pathColumn)
    .addColumn('community_name', 'text', (c) => c.notNull())
    .addColumn('city_code', 'text', (c) => c.notNull())
    .addColumn('grid_name', 'text', (c) => c.notNull())
    .addColumn('grid_number', 'text')
    .addColumn('role_title', 'text', (c) => c.notNull())
    .addColumn('from_date', t.date, (c) => c.notNull())
    .addColumn('to_date', t.date)
    .addColumn('end_reason', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('grid_roles_scope').on('grid_roles').columns(['unit_path', 'id']).execute();
  await db.schema.createIndex('grid_roles_worker').on('grid_roles').columns(['worker_id', 'from_date']).execute();
  await db.schema.createIndex('grid_roles_one_open').unique().on('grid_roles').columns(['worker_id', 'city_code', 'community_name', 'grid_name']).where(sql<boolean>`to_date is null`).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['grid_roles', 'service_records', 'vanguard_post_terms', 'vanguard_posts', 'volunteer_team_members', 'volunteer_teams']) {
    await db.schema.dropTable(table).execute();
  }
}
