import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Progress, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorReportUrl, type ImportJob, isRunning } from '../api';

const STATUS_COLORS: Record<ImportJob['status'], string> = { queued: 'default', running: 'processing', done: 'success', failed: 'error' };

export function JobStatusTag({ job }: { job: Pick<ImportJob, 'status'> }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[job.status]} data-testid="import-status">
      {t(`imports.status.${job.status}`)}
    </Tag>
  );
}

/** Where a job stands: a bar (rows of the total once known), rows per second, the four counts, the error report. */
export function JobProgress({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const running = isRunning(job);
  const known = job.rowsTotal !== null && job.rowsTotal > 0;
  const percent = job.status === 'done' ? 100 : known ? Math.floor((job.rowsDone / (job.rowsTotal ?? 1)) * 100) : 100;
  return (
    <Flex vertical gap={12} data-testid="import-progress">
      <Progress
        percent={percent}
        status={job.status === 'failed' ? 'exception' : running ? 'active' : 'success'}
        // Until the file has been read to the end the total is unknown: a moving bar and the rows so far.
        format={() => (known || job.status === 'done' ? `${percent}%` : t('imports.rowsSoFar', { count: job.rowsDone }))}
      />
      <Typography.Text type="secondary" data-testid="import-rows">
        {known ? t('imports.rowsOfTotal', { done: job.rowsDone, total: job.rowsTotal }) : t('imports.rowsSoFar', { count: job.rowsDone })}
        {job.rowsPerSecond !== null && ` · ${t('imports.rate', { rate: Math.round(job.rowsPerSecond).toLocaleString() })}`}
      </Typography.Text>
      <Flex wrap gap={32} data-testid="import-counts">
        <div data-testid="import-created">
          <Statistic title={t(job.dryRun ? 'imports.count.wouldCreate' : 'imports.count.created')} value={job.created} />
        </div>
        <div data-testid="import-updated">
          <Statistic title={t(job.dryRun ? 'imports.count.wouldUpdate' : 'imports.count.updated')} value={job.updated} />
        </div>
        <div data-testid="import-unchanged">
          <Statistic title={t('imports.count.unchanged')} value={job.unchanged} />
        </div>
        <div data-testid="import-rejected">
          <Statistic title={t('imports.count.rejected')} value={job.rejected} styles={{ content: job.rejected > 0 ? { color: '#cf1322' } : undefined }} />
        </div>
      </Flex>
      {job.error && <Alert type="error" showIcon title={t('imports.failed')} description={job.error} />}
      {job.rejected > 0 && (
        <div>
          <Button icon={<DownloadOutlined />} href={errorReportUrl(job.id)} download data-testid="import-errors-link">
            {t('imports.errorReport')}
          </Button>
        </div>
      )}
    </Flex>
  );
}
