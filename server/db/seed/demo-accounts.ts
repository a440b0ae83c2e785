// The demo's logins, one per kind of person who uses Convoy, all with the same published password.
// They exist only in demo mode: the server prints this list at start so a visitor can sign in.
import type { Kysely } from 'kysely';
import { createUser } from '../../modules/auth/auth.queries.js';
import type { Bilingual } from '../../core/i18n.js';
import type { Database, Role } from '../tables.js';
import type { OrgWorld } from './org-world.js';

export const DEMO_PASSWORD = 'convoy-demo';

type Anchor = keyof OrgWorld['anchors'];

export type DemoLogin = {
  username: string;
  password: string;
  role: Role;
  displayName: string;
  /** Which seeded unit the role is granted on; null for the system-wide admin. */
  anchor: Anchor | null;
  /** One line for the start-up banner and the docs. */
  description: Bilingual;
};

export const demoLogins: readonly DemoLogin[] = [
  {
    username: 'admin',
    password: DEMO_PASSWORD,
    role: 'system_admin',
    displayName: '系统管理员',
    anchor: null,
    description: {
      zh: '系统管理员：可见全部组织、用户与审计日志',
      en: 'System administrator: every unit, user and the audit log',
    },
  },
  {
    username: 'sichuan',
    password: DEMO_PASSWORD,
    role: 'org_admin',
    displayName: '四川省行业党委管理员',
    anchor: 'sichuanCommittee',
    description: {
      zh: '四川省新就业群体行业党委的组织管理员：管理全省的组织树',
      en: 'Organization admin of the Sichuan industry committee: the whole provincial tree',
    },
  },
  {
    username: 'branch',
    password: DEMO_PASSWORD,
    role: 'branch_secretary',
    displayName: '刘晓燕',
    anchor: 'firstChengduBranch',
    description: {
      zh: '成都一个网约车流动党员党支部的书记：处理本支部的诉求与联系群众',
      en: 'Secretary of a Chengdu ride-hailing mobile branch: its appeals and liaison',
    },
  },
  {
    username: 'driver',
    password: DEMO_PASSWORD,
    role: 'worker',
    displayName: '王海涛',
    anchor: 'firstChengduBranch',
    description: {
      zh: '同一支部的网约车司机：提交诉求、查找驿站',
      en: 'A ride-hailing driver of that branch: files appeals, finds stations',
    },
  },
];

export type DemoAccount = DemoLogin & { userId: number; unitId: number | null };

/**
 * Creates the demo users one after another (not in parallel, so user ids are the same on every
 * run) with their grants on the seeded units.
 */
export async function createDemoAccounts(db: Kysely<Database>, anchors: OrgWorld['anchors'], now: Date): Promise<DemoAccount[]> {
  const accounts: DemoAccount[] = [];
  for (const login of demoLogins) {
    const unitId = login.anchor === null ? null : anchors[login.anchor];
    if (login.anchor !== null && unitId === null) {
      throw new Error(`The demo login "${login.username}" needs a ${login.anchor} unit, and this world shape has none`);
    }
    const userId = await createUser(
      db,
      { username: login.username, password: login.password, displayName: login.displayName, grants: [{ role: login.role, unitId }] },
      now,
    );
    accounts.push({ ...login, userId, unitId });
  }
  return accounts;
}
