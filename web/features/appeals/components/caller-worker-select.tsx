import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDebouncedValue } from '../../../lib/use-debounced-value';
import { type WorkerListItem, useWorkerList } from '../../workers/api';

type Props = { value?: number; onChange?: (id: number | undefined, worker: WorkerListItem | undefined) => void };

/** The caller, when they are a worker on record: found by part of the name or the phone's last four digits. */
export function CallerWorkerSelect({ value, onChange }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search, 250).trim();
  const list = useWorkerList(q ? { q } : {});
  const workers = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Select<number>
      value={value}
      allowClear
      showSearch={{ filterOption: false, onSearch: setSearch }}
      loading={list.isFetching}
      placeholder={t('appeals.call.workerPlaceholder')}
      notFoundContent={t('common.empty')}
      onChange={(id) => onChange?.(id, workers.find((w) => w.id === id))}
      options={workers.map((w) => ({ value: w.id, label: `${w.name} · ${w.phone}` }))}
      data-testid="call-worker"
    />
  );
}
