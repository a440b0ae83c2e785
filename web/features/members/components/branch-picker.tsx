import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { useUnitSearch } from '../../org/api';
import { useBranchDirectory } from '../api';

type Props = {
  value?: number;
  onChange?: (value: number | undefined) => void;
  /** The branch that makes no sense here, such as the member's current one. */
  excludeId?: number;
  /** The branch already chosen, so its name shows before any search. */
  current?: { id: number; name: string };
  id?: string;
  testId?: string;
  /** 'anywhere' for the receiving side of a transfer; otherwise only branches within the user's scope. */
  reach?: 'scope' | 'anywhere';
};

/** Chooses an open mobile branch (the only kind that hosts members), anywhere, by typing part of its name. */
export function BranchPicker({ value, onChange, excludeId, current, id, testId = 'branch-picker', reach = 'scope' }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const term = useDebouncedValue(search, 250);
  const inScope = useUnitSearch(reach === 'scope' ? term : '', { kind: 'mobile_branch', limit: 30 });
  const directory = useBranchDirectory(reach === 'anywhere' ? term : '');
  const found = reach === 'anywhere' ? directory : inScope;
  const units = (found.data?.items ?? []).filter((unit) => unit.id !== excludeId && !('closedOn' in unit && unit.closedOn));
  const options = units.map((unit) => ({ value: unit.id, label: unit.name }));
  if (current && !options.some((o) => o.value === current.id)) options.unshift({ value: current.id, label: current.name });
  return (
    <Select<number>
      id={id}
      value={value}
      onChange={(next) => onChange?.(next)}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={found.isFetching}
      placeholder={t('members.form.branchPlaceholder')}
      notFoundContent={term ? t('org.noResults') : null}
      options={options}
      data-testid={testId}
    />
  );
}
