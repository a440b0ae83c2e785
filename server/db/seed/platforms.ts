// The demo's platforms. All are invented: a demo that named real companies would put words in
// their mouths (membership counts, appeals, early warnings), so each brand here is a made-up
// name chosen not to echo a real platform's name.
import type { Kysely } from 'kysely';
import type { Database, WorkType } from '../tables.js';

export type SeedPlatform = {
  /** Stable key the rest of the seed refers to; also the platforms.code column. */
  code: string;
  name: string;
  nameEn: string;
  workType: WorkType;
  /** Short form used inside unit names, e.g. 载途货运成都平台企业党委. */
  shortName: string;
};

export const seedPlatforms: readonly SeedPlatform[] = [
  // Ride-hailing: a national app and a regional one, as Sichuan counts 170 ride-hailing platforms.
  { code: 'qinghe', name: '青禾出行', nameEn: 'Qinghe Mobility', workType: 'ride_hailing', shortName: '青禾出行' },
  { code: 'nuantu', name: '暖途约车', nameEn: 'Nuantu Rides', workType: 'ride_hailing', shortName: '暖途约车' },
  // Same-city freight (vans on demand): the kind whose Shenzhen branches grew from 20 to 27.
  { code: 'zaitu', name: '载途货运', nameEn: 'Zaitu Freight', workType: 'freight', shortName: '载途货运' },
  // Long-haul trucking: drivers away for weeks, the hardest members to keep in touch with.
  { code: 'qianyi', name: '千驿卡运', nameEn: 'Qianyi Trucking', workType: 'freight', shortName: '千驿卡运' },
  { code: 'fandian', name: '饭点外卖', nameEn: 'Fandian Food Delivery', workType: 'delivery', shortName: '饭点外卖' },
  { code: 'xiaoman', name: '小满跑腿', nameEn: 'Xiaoman Errands', workType: 'delivery', shortName: '小满跑腿' },
  { code: 'yunjian', name: '云笺快递', nameEn: 'Yunjian Express', workType: 'courier', shortName: '云笺快递' },
  // Designated drivers (代驾) are new employment too, and fit none of the other work types.
  { code: 'angui', name: '安归代驾', nameEn: 'Angui Designated Drivers', workType: 'other', shortName: '安归代驾' },
];

export function seedPlatformByCode(code: string): SeedPlatform {
  const platform = seedPlatforms.find((p) => p.code === code);
  if (!platform) throw new Error(`No seed platform with code ${code}`);
  return platform;
}

/** Inserts the platforms (in list order, so ids are deterministic) and returns their ids by code. */
export async function insertPlatforms(db: Kysely<Database>, now: Date): Promise<Map<string, number>> {
  const createdAt = now.toISOString();
  const rows = await db
    .insertInto('platforms')
    .values(seedPlatforms.map(({ code, name, nameEn, workType }) => ({ code, name, nameEn, workType, createdAt })))
    .returning(['id', 'code'])
    .execute();
  return new Map(rows.map((r) => [r.code, r.id]));
}
