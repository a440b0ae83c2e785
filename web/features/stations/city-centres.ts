// Where a city is, for a phone without a position fix and for the labels on the offline map. The
// divisions data set has names and codes but no coordinates; these are the centres of the cities the
// demo and the pilot programmes serve (WGS-84, rounded to about 100 m, as the seed uses them).
export type CityCentre = { code: string; zh: string; en: string; lat: number; lng: number };

export const CITY_CENTRES: readonly CityCentre[] = [
  { code: '510100', zh: '成都', en: 'Chengdu', lat: 30.6595, lng: 104.0657 },
  { code: '510500', zh: '泸州', en: 'Luzhou', lat: 28.8718, lng: 105.4423 },
  { code: '511500', zh: '宜宾', en: 'Yibin', lat: 28.7518, lng: 104.643 },
  { code: '511700', zh: '达州', en: 'Dazhou', lat: 31.2092, lng: 107.4679 },
  { code: '440300', zh: '深圳', en: 'Shenzhen', lat: 22.5431, lng: 114.0579 },
  { code: '440100', zh: '广州', en: 'Guangzhou', lat: 23.1291, lng: 113.2644 },
  { code: '441900', zh: '东莞', en: 'Dongguan', lat: 23.0207, lng: 113.7518 },
  { code: '440600', zh: '佛山', en: 'Foshan', lat: 23.0218, lng: 113.1219 },
];

export const cityCentreOf = (code: string | null | undefined) => CITY_CENTRES.find((c) => c.code === code) ?? null;
