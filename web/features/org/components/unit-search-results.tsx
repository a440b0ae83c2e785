import { Empty, List, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useUnitSearch } from '../api';
import { UnitName } from './unit-name';

/** Units whose name contains the term, as a list; picking one opens it. */
export function UnitSearchResults({ term, onSelect }: { term: string; onSelect: (id: number) => void }) {
  const { t } = useTranslation();
  const search = useUnitSearch(term, { limit: 50 });

  if (search.isPending) return <Spin />;
  if (search.isError) return <Empty description={t('errors.loadFailed')} />;
  return (
    <List
      size="small"
      data-testid="org-search-results"
      header={<Typography.Text type="secondary">{t('org.searchResults')}</Typography.Text>}
      locale={{ emptyText: t('org.noResults') }}
      dataSource={search.data.items}
      renderItem={(unit) => (
        <List.Item
          key={unit.id}
          style={{ cursor: 'pointer' }}
          onClick={() => onSelect(unit.id)}
          data-testid={`org-search-result-${unit.id}`}
        >
          <UnitName unit={unit} showKind />
        </List.Item>
      )}
    />
  );
}
