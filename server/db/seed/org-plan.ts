// What the organization tree should contain, before any ids or dates: which provinces, cities,
// platforms, secondary committees and how many branches. The demo plan is written out by hand so
// it tells the story from the public reports; larger worlds are derived from a few numbers.
import { type SeedPlatform, seedPlatforms } from './platforms.js';
import { Random } from './random.js';
import { seedProvinces } from './regions.js';

export type PlatformPlan = {
  platform: string;
  /** Mobile branches of this platform committee, numbered 第一… in founding order. */
  branches: number;
  /** How many of those branches were founded recently (a platform's branches growing). */
  lateBranches?: number;
  /** District names of secondary committees between the platform committee and its branches. */
  secondaries?: string[];
};

export type CityPlan = { city: string; platforms: PlatformPlan[] };
export type ProvincePlan = { province: string; cities: CityPlan[] };

export type WorldPlan = {
  provinces: ProvincePlan[];
  /** Groups per branch, drawn uniformly from this range (both ends included). */
  groupsPerBranch: readonly [number, number];
};

/** A world derived from numbers: the benchmark preset, or anything a test needs. */
export type WorldShape = {
  provinces: number;
  /** The most cities taken from each province (a province has 1 to 21 in GB/T 2260). */
  citiesPerProvince: number;
  /** At most the number of seed platforms; each city takes a different rotation of them. */
  platformsPerCity: number;
  /** Secondary committees (one per district) under each platform committee; 0 for none. */
  secondariesPerPlatform: number;
  /** Branches under each secondary committee, or under the platform committee when there are none. */
  branchesPerParent: readonly [number, number];
  groupsPerBranch: readonly [number, number];
};

// Sichuan's pilot cities and the four Guangdong cities where the freight platform's branches grew
// (Shenzhen from 20 to 27, then more in Guangzhou, Dongguan and Foshan). Chengdu and Shenzhen have
// the most branches, as the largest markets.
export const demoPlan: WorldPlan = {
  groupsPerBranch: [1, 4],
  provinces: [
    {
      province: '510000',
      cities: [
        {
          city: '510100',
          platforms: [
            { platform: 'qinghe', branches: 4 },
            { platform: 'zaitu', branches: 3 },
            { platform: 'fandian', branches: 3 },
            { platform: 'yunjian', branches: 2 },
            { platform: 'qianyi', branches: 2 },
            // The local ride-hailing platform whose first branch was hosted by the city committee
            // before the platform had a committee of its own (see org-history.ts).
            { platform: 'nuantu', branches: 3 },
          ],
        },
        { city: '510500', platforms: [{ platform: 'qinghe', branches: 3 }, { platform: 'fandian', branches: 1 }] },
        { city: '511500', platforms: [{ platform: 'qinghe', branches: 2 }, { platform: 'qianyi', branches: 1 }] },
        { city: '511700', platforms: [{ platform: 'qinghe', branches: 1 }, { platform: 'zaitu', branches: 2 }] },
      ],
    },
    {
      province: '440000',
      cities: [
        {
          city: '440300',
          platforms: [
            { platform: 'zaitu', branches: 27, lateBranches: 7, secondaries: ['南山区', '宝安区', '龙岗区'] },
            { platform: 'qinghe', branches: 3 },
            { platform: 'fandian', branches: 2 },
            { platform: 'xiaoman', branches: 2 },
            { platform: 'angui', branches: 1 },
          ],
        },
        {
          city: '440100',
          platforms: [
            { platform: 'zaitu', branches: 3, lateBranches: 3 },
            { platform: 'qinghe', branches: 2 },
            { platform: 'fandian', branches: 2 },
            { platform: 'yunjian', branches: 1 },
          ],
        },
        { city: '441900', platforms: [{ platform: 'zaitu', branches: 2, lateBranches: 2 }, { platform: 'yunjian', branches: 1 }] },
        { city: '440600', platforms: [{ platform: 'zaitu', branches: 1, lateBranches: 1 }, { platform: 'qianyi', branches: 1 }] },
      ],
    },
  ],
};

/**
 * About 110,000 units six levels deep: every province and city in GB/T 2260, all eight platforms
 * in each city, three district committees per platform committee, 2–4 branches each, 1–5 groups.
 */
export const benchShape: WorldShape = {
  provinces: 31,
  citiesPerProvince: 30,
  platformsPerCity: 8,
  secondariesPerPlatform: 3,
  branchesPerParent: [2, 4],
  groupsPerBranch: [1, 5],
};

/** Expands a shape into a plan; the branch counts come from their own random stream. */
export function planFromShape(shape: WorldShape, seed: number): WorldPlan {
  const rng = Random.stream(seed, 'org-plan');
  const platformCount = Math.min(Math.max(shape.platformsPerCity, 0), seedPlatforms.length);
  const [minBranches, maxBranches] = shape.branchesPerParent;
  let cityIndex = 0;
  const provinces = seedProvinces()
    .slice(0, shape.provinces)
    .map((province) => ({
      province: province.code,
      cities: province.cities.slice(0, shape.citiesPerProvince).map((city) => {
        // Rotate the platform list per city, so a small platformsPerCity still spreads every platform.
        const offset = cityIndex++ % seedPlatforms.length;
        const platforms: PlatformPlan[] = [];
        for (let i = 0; i < platformCount; i++) {
          const platform = (seedPlatforms[(offset + i) % seedPlatforms.length] as SeedPlatform).code;
          const secondaries = Array.from({ length: shape.secondariesPerPlatform }, (_, k) =>
            // Cities with fewer districts than committees fall back to numbered areas.
            city.districts[k]?.name ?? `第${chineseNumeral(k + 1)}片区`,
          );
          const parents = Math.max(secondaries.length, 1);
          let branches = 0;
          for (let k = 0; k < parents; k++) branches += rng.int(minBranches, maxBranches);
          platforms.push({ platform, branches, ...(secondaries.length ? { secondaries } : {}) });
        }
        return { city: city.code, platforms };
      }),
    }));
  return { provinces, groupsPerBranch: shape.groupsPerBranch };
}

const digits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const units = ['', '十', '百', '千'];

/** 1 → 一, 10 → 十, 27 → 二十七, 105 → 一百零五: the ordinals in 第一流动党员党支部. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999) throw new Error(`No Chinese numeral for ${n}`);
  const parts = String(n).split('').map(Number);
  let out = '';
  let pendingZero = false;
  parts.forEach((d, i) => {
    const place = parts.length - 1 - i;
    if (d === 0) {
      pendingZero = out !== '';
      return;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    // 十 and 十五, not 一十 and 一十五, when ten leads the number.
    out += (d === 1 && place === 1 && i === 0 ? '' : (digits[d] ?? '')) + (units[place] ?? '');
  });
  return out;
}
