import { Button, Card, Flex, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { type AuditFilters, useAuditLog } from '../api';
import { AuditFiltersForm } from '../components/audit-filters';
import { AuditTable } from '../components/audit-table';

export function AuditPage() {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<AuditFilters>({});
  const log = useAuditLog(filters);
  const reportError = useApiErrorReporter();
  const entries = log.data?.pages.flatMap((page) => page.items) ?? [];

  useEffect(() => {
    if (log.error) reportError(log.error);
  }, [log.error, reportError]);

  return (
    <Card title={t('audit.title')}>
      <AuditFiltersForm onChange={setFilters} />
      <AuditTable entries={entries} loading={log.isPending || (log.isFetching && !log.isFetchingNextPage)} />
      <Flex justify="center" align="center" gap={12} style={{ marginTop: 16 }}>
        <Typography.Text type="secondary">{t('audit.loaded', { count: entries.length })}</Typography.Text>
        {log.hasNextPage ? (
          <Button onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage} data-testid="audit-load-more">
            {t('common.loadMore')}
          </Button>
        ) : (
          log.isSuccess && <Typography.Text type="secondary">{t('common.noMore')}</Typography.Text>
        )}
      </Flex>
    </Card>
  );
}
