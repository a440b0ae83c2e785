import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useUnitDetail, useUnitSearch } from '../../org/api';

type Props = { value?: number | null; onChange?: (value: number | null) => void; id?: string };

/** The unit that runs a station: the one already chosen stays named while the user searches for another. */
export function StationUnitSelect({ value, onChange, id }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const term = useDebouncedValue(search, 250);
  const found = useUnitSearch(term, { limit: 30 });
  const current = useUnitDetail(value ?? null).data;
  const units = (found.data?.items ?? []).filter((unit) => !unit.closedOn);
  const options = [
    ...(current && !units.some((u) => u.id === current.id) ? [{ value: current.id, label: current.name }] : []),
    ...units.map((unit) => ({ value: unit.id, label: `${unit.name} · ${t(`org.kind.${unit.kind}`)}` })),
  ];
  return (
    <Select<number | null>
      id={id}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={found.isFetching}
      placeholder={t('org.form.unitPlaceholder')}
      notFoundContent={term ? t('org.noResults') : null}
      options={options}
      data-testid="station-unit"
    />
  );
}
