import { idCardCheckCharacter } from '../../core/sensitive.js';
import type { Kysely } from 'kysely';
import type { SensitiveCodec } from '../../core/sensitive.js';
import type { Database, Member, MemberStatus, MobilityType, OrgUnit } from '../../db/tables.js';
import { insertMember } from './members.operations.js';
import { findMember } from './members.queries.js';

/** Appends the GB 11643 check character to the first 17 digits of a resident ID number. */
export function withCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error(`17 digits expected, got ${first17}`);
  return `${first17}${idCardCheckCharacter(first17)}`;
}

/** A valid ID number for test person `n`: Chengdu Jinjiang, born in `birthYear`, sequence from n. */
export function testIdCard(n: number, birthYear = 1988): string {
  return withCheckCharacter(`510104${birthYear}0101${String(n % 1000).padStart(3, '0')}`);
}

let counter = 0;

export type MemberOverrides = {
  unit: OrgUnit;
  name?: string;
  gender?: 'male' | 'female';
  birthYear?: number;
  phone?: string;
  idCard?: string;
  joinDate?: string;
  status?: MemberStatus;
  workerId?: number | null;
  isMobile?: boolean;
  homeOrgText?: string | null;
  homeUnitId?: number | null;
  mobilityType?: MobilityType | null;
  mobilityReason?: string | null;
};

/**
 * A member for tests and the seed: encrypted, hashed and indexed for search exactly as the API stores
 * one, with unique phone and ID number by default. No scope or audit: the caller is not a person.
 */
export async function buildMember(db: Kysely<Database>, codec: SensitiveCodec, overrides: MemberOverrides, now = new Date('2026-01-01T00:00:00Z')): Promise<Member> {
  counter += 1;
  const birthYear = overrides.birthYear ?? 1980 + (counter % 20);
  const id = await insertMember(
    db,
    codec,
    {
      name: overrides.name ?? `测试党员${counter}`,
      gender: overrides.gender ?? (counter % 2 === 0 ? 'female' : 'male'),
      birthYear,
      phone: overrides.phone ?? `137${String(counter).padStart(8, '0')}`,
      idCard: overrides.idCard ?? testIdCard(counter, birthYear),
      joinDate: overrides.joinDate ?? '2015-07-01',
      status: overrides.status ?? 'full',
      unit: overrides.unit,
      workerId: overrides.workerId ?? null,
      isMobile: overrides.isMobile ?? false,
      homeOrgText: overrides.homeOrgText ?? null,
      homeUnitId: overrides.homeUnitId ?? null,
      mobilityType: overrides.mobilityType ?? null,
      mobilityReason: overrides.mobilityReason ?? null,
    },
    now,
  );
  return (await findMember(db, id))!;
}
