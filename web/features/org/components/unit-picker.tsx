import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { type OrgUnitKindCode, type OrgUnitSummary, useUnitSearch } from '../api';

type Props = {
  value?: number;
  onChange?: (value: number | undefined, unit: OrgUnitSummary | undefined) => void;
  /** Only units of this kind (a merge joins units of the same kind). */
  kind?: OrgUnitKindCode;
  /** Units that make no sense as a choice, such as the unit itself. */
  excludeIds?: number[];
  id?: string;
};

/** Chooses a unit in the user's scope by typing part of its name. */
export function UnitPicker({ value, onChange, kind, excludeIds = [], id }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const term = useDebouncedValue(search, 250);
  const found = useUnitSearch(term, { kind, limit: 30 });
  const units = (found.data?.items ?? []).filter((unit) => !excludeIds.includes(unit.id) && !unit.closedOn);

  return (
    <Select<number>
      id={id}
      value={value}
      onChange={(next) => onChange?.(next, units.find((unit) => unit.id === next))}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={found.isFetching}
      placeholder={t('org.form.unitPlaceholder')}
      notFoundContent={term ? t('org.noResults') : null}
      options={units.map((unit) => ({ value: unit.id, label: `${unit.name} · ${t(`org.kind.${unit.kind}`)}` }))}
      data-testid="unit-picker"
    />
  );
}
