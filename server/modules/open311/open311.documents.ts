// Convoy's records turned into GeoReport v2 documents, in the reader's language. What is left out on
// purpose is said where it is left out.

import type { Locale } from '../../core/i18n.js';
import type { AppealCategory } from '../../db/tables-appeals.js';
import { categoryNames } from '../appeals/appeals.schema.js';
import { divisionOf } from '../divisions/divisions.rules.js';
import type { PublicAppealRow } from './open311.queries.js';
import { coarseCoordinate, open311StatusOf, statusNotesOf } from './open311.rules.js';
import type { Open311Attribute, Open311Request, Open311Service, Open311ServiceDefinition } from './open311.schema.js';

const pick = (text: { zh: string; en: string }, locale: Locale) => (locale === 'en' ? text.en : text.zh);

/** "四川省成都市" / "Chengdu, Sichuan": the city the appeal concerns, the most Convoy publishes of a place. */
export function cityAddressOf(cityCode: string | null, locale: Locale): string | null {
  const city = cityCode ? divisionOf(cityCode) : undefined;
  if (!city) return null;
  const province = divisionOf(`${city.provinceCode}0000`);
  const sameAsProvince = !province || province.name === city.name;
  if (locale === 'en') return sameAsProvince ? city.nameEn : `${city.nameEn}, ${province.nameEn}`;
  return sameAsProvince ? city.name : `${province.name}${city.name}`;
}

export function requestDocument(row: PublicAppealRow, locale: Locale): Open311Request {
  return {
    service_request_id: String(row.id),
    status: open311StatusOf(row.status),
    status_notes: statusNotesOf(row, locale),
    service_name: pick(categoryNames[row.category], locale),
    service_code: row.category,
    // The description is the worker's own free text: it names people, plates, order numbers and places
    // often enough that no filter makes it safe to publish, so Open311 never carries it.
    description: null,
    agency_responsible: row.unitName,
    service_notice: null,
    requested_datetime: row.createdAt,
    updated_datetime: row.updatedAt,
    expected_datetime: row.resolveBy,
    // The exact address can be a home or a regular rest stop: only the city is published, and
    // coordinates are rounded (coarseCoordinate).
    address: cityAddressOf(row.cityCode, locale),
    address_id: null,
    zipcode: null,
    lat: coarseCoordinate(row.lat),
    long: coarseCoordinate(row.lng),
    // Photos are evidence shown to handlers only.
    media_url: null,
  };
}

export function serviceDocument(code: AppealCategory, locale: Locale): Open311Service {
  const name = categoryNames[code];
  return {
    service_code: code,
    service_name: pick(name, locale),
    description: locale === 'en' ? `A gig worker’s appeal about ${name.en.toLowerCase()}` : `新就业群体劳动者关于“${name.zh}”的诉求`,
    // Every service asks for the platform and the city (see serviceDefinitionDocument).
    metadata: true,
    // The id is returned at once on filing.
    type: 'realtime',
    keywords: `${name.zh},${name.en}`,
    group: locale === 'en' ? 'Gig worker appeals' : '劳动者诉求',
  };
}

export type PlatformChoice = { code: string; name: string; nameEn: string };

/** Platform and city are what route an appeal to the branch or committee that answers it. */
export function serviceDefinitionDocument(code: AppealCategory, platforms: readonly PlatformChoice[], locale: Locale): Open311ServiceDefinition {
  const en = locale === 'en';
  const attributes: Open311Attribute[] = [
    {
      variable: true,
      code: 'platform',
      datatype: 'singlevaluelist',
      required: true,
      datatype_description: en ? 'The platform the worker works through' : '劳动者所在的平台',
      order: 1,
      description: en ? 'Platform' : '平台',
      values: platforms.map((p) => ({ key: p.code, name: en ? p.nameEn : p.name })),
    },
    {
      variable: true,
      code: 'city',
      datatype: 'string',
      required: true,
      datatype_description: en ? 'Six-digit GB/T 2260 code of the city, e.g. 510100 for Chengdu' : '城市的六位 GB/T 2260 行政区划代码，如成都市为 510100',
      order: 2,
      description: en ? 'City' : '城市',
      values: [],
    },
  ];
  return { service_code: code, attributes };
}
