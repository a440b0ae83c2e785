import { describe, expect, it } from 'vitest';
import { personName, randomGender, surname, surnameWeights } from './chinese-names.js';
import { chineseNumeral } from './org-plan.js';
import { seedPlatforms } from './platforms.js';
import { Random, weightedPicker } from './random.js';
import { seedCity, seedProvinces } from './regions.js';

describe('Random', () => {
  it('repeats its sequence for the same seed and step, and differs between steps', () => {
    const draw = (rng: Random) => Array.from({ length: 5 }, () => rng.next());
    expect(draw(Random.stream(1, 'workers'))).toEqual(draw(Random.stream(1, 'workers')));
    expect(draw(Random.stream(1, 'workers'))).not.toEqual(draw(Random.stream(1, 'stations')));
    expect(draw(Random.stream(1, 'workers'))).not.toEqual(draw(Random.stream(2, 'workers')));
  });

  it('draws integers and dates within inclusive bounds, reaching both ends', () => {
    const rng = new Random(42);
    const ints = new Set(Array.from({ length: 2000 }, () => rng.int(3, 6)));
    expect([...ints].sort()).toEqual([3, 4, 5, 6]);
    const days = new Set(Array.from({ length: 2000 }, () => rng.dateBetween('2024-02-28', '2024-03-01')));
    expect([...days].sort()).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });

  it('picks by weight', () => {
    const rng = new Random(7);
    const pick = weightedPicker(['a', 'b'], [9, 1]);
    const a = Array.from({ length: 10_000 }, () => pick(rng)).filter((x) => x === 'a').length;
    expect(a).toBeGreaterThan(8_700);
    expect(a).toBeLessThan(9_300);
    expect(rng.weightedPick(['x', 'y'], [0, 1])).toBe('y');
  });
});

describe('Chinese names', () => {
  it('gives two- to four-character Han names, the same for the same seed', () => {
    const names = (seed: number) => {
      const rng = new Random(seed);
      return Array.from({ length: 1000 }, () => personName(rng, randomGender(rng, 0.9)));
    };
    expect(names(1)).toEqual(names(1));
    expect(names(1).every((n) => /^\p{Script=Han}{2,4}$/u.test(n))).toBe(true);
    expect(new Set(names(1)).size).toBeGreaterThan(900);
  });

  it('draws surnames by real frequency: 王, 李 and 张 far ahead, then 刘, 陈, 杨', () => {
    const rng = new Random(3);
    const counts = new Map<string, number>();
    for (let i = 0; i < 100_000; i++) {
      const s = surname(rng);
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    const share = (s: string) => (counts.get(s) ?? 0) / 100_000;
    // About 7% of people each; a little more among the drawn, as rare surnames are left out.
    for (const common of ['王', '李', '张']) {
      expect(share(common)).toBeGreaterThan(0.07);
      expect(share(common)).toBeLessThan(0.1);
    }
    expect(share('刘')).toBeGreaterThan(share('杨'));
    expect(share('杨')).toBeGreaterThan(share('罗'));
    expect(counts.size).toBeGreaterThan(200);
    expect(new Set(surnameWeights.map(([s]) => s)).size).toBe(surnameWeights.length);
  });
});

describe('demo world vocabulary', () => {
  it('writes ordinals the way unit names do', () => {
    expect([1, 10, 11, 20, 27, 100, 105, 110, 1010].map(chineseNumeral)).toEqual([
      '一', '十', '十一', '二十', '二十七', '一百', '一百零五', '一百一十', '一千零一十',
    ]);
  });

  it('has at least five invented platforms covering every kind of work', () => {
    expect(seedPlatforms.length).toBeGreaterThanOrEqual(5);
    expect(new Set(seedPlatforms.map((p) => p.workType))).toEqual(new Set(['ride_hailing', 'freight', 'delivery', 'courier', 'other']));
    expect(new Set(seedPlatforms.map((p) => p.code)).size).toBe(seedPlatforms.length);
  });

  it('takes cities and codes from GB/T 2260, the demo provinces and cities first', () => {
    const [sichuan, guangdong] = seedProvinces();
    expect(sichuan?.cities.slice(0, 4).map((c) => `${c.code}${c.shortName}`)).toEqual(['510100成都', '510500泸州', '511500宜宾', '511700达州']);
    expect(guangdong?.cities.slice(0, 4).map((c) => `${c.code}${c.shortName}`)).toEqual(['440300深圳', '440100广州', '441900东莞', '440600佛山']);
    expect(seedCity('110100').name).toBe('北京市');
    expect(seedProvinces().every((p) => p.cities.every((c) => /^\d{6}$/.test(c.code) && !/市辖区|直辖/.test(c.name)))).toBe(true);
  });
});
