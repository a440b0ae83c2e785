import { Select } from 'antd';
import { type CSSProperties, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { type Division, useDivisions } from '../api';

type Props = {
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** The city already set, so its name shows before any search. */
  current?: Division | null;
  id?: string;
  placeholder?: string;
  style?: CSSProperties;
};

function cityLabel(city: Division, english: boolean): string {
  const name = english && city.nameEn ? city.nameEn : city.name;
  return city.province && city.province !== city.name ? `${name} · ${city.province}` : name;
}

/** Prefecture-level cities, searched on the server by Chinese name or code. */
export function CitySelect({ value, onChange, current, id, placeholder, style }: Props) {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const divisions = useDivisions(useDebouncedValue(search, 250));
  const english = i18n.language === 'en';

  const found = divisions.data?.items ?? [];
  const options = [...(current && !found.some((c) => c.code === current.code) ? [current] : []), ...found].map((city) => ({
    value: city.code,
    label: cityLabel(city, english),
  }));

  return (
    <Select<string | null>
      id={id}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={divisions.isFetching}
      placeholder={placeholder ?? t('org.form.cityPlaceholder')}
      style={style}
      options={options}
      notFoundContent={t('common.empty')}
      data-testid="city-select"
    />
  );
}
