import { Alert, Card, Flex, List, Steps, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatChinaDateTime } from '../../../lib/format';
import type { ReceiptStatus } from '../api';

const statusColor: Record<ReceiptStatus['status'], string> = { requested: 'processing', carried_out: 'success', rejected: 'error', withdrawn: 'default' };

/** "audit_log: append-only record…" → "audit_log": the server names each kept kind before its English reason. */
const keptKindOf = (line: string) => line.split(':', 1)[0]!.trim();

/**
 * Where a deletion request stands, for the person holding its receipt: received, in progress (with the
 * due date, and the escalation if staff let it pass), then deleted — what went and what stayed, and why —
 * refused with the reason, or withdrawn.
 */
export function ReceiptStatusView({ receipt }: { receipt: ReceiptStatus }) {
  const { t, i18n } = useTranslation();
  const label = (key: string, fallback: string) => (i18n.exists(key) ? t(key) : fallback);
  const decided = receipt.status !== 'requested';
  const finalTitle = decided ? t(`privacy.deletion.status.${receipt.status}`) : t('privacy.receipt.stepDone');

  return (
    <Card data-testid="receipt-result">
      <Flex vertical gap={16}>
        <Flex justify="space-between" align="center" gap={8} wrap>
          <Typography.Text strong>{t('privacy.receipt.resultTitle')}</Typography.Text>
          <Tag color={statusColor[receipt.status]} data-testid="receipt-status">
            {t(`privacy.deletion.status.${receipt.status}`)}
          </Tag>
        </Flex>
        <Steps
          orientation="vertical"
          size="small"
          current={decided ? 2 : 1}
          status={receipt.status === 'rejected' ? 'error' : decided ? 'finish' : 'process'}
          items={[
            { title: t('privacy.receipt.stepReceived'), description: formatChinaDateTime(receipt.requestedAt) },
            {
              title: t('privacy.receipt.stepInProgress'),
              description: (
                <Flex vertical>
                  <span>{t('privacy.deletion.dueBy', { at: formatChinaDateTime(receipt.dueAt) })}</span>
                  {receipt.escalatedAt && <span data-testid="receipt-escalated">{t('privacy.receipt.escalated', { at: formatChinaDateTime(receipt.escalatedAt) })}</span>}
                </Flex>
              ),
            },
            { title: finalTitle, description: receipt.decidedAt ? formatChinaDateTime(receipt.decidedAt) : undefined },
          ]}
        />
        {receipt.status === 'rejected' && receipt.decisionNote && (
          <Alert type="warning" showIcon title={t('privacy.deletion.rejectedBecause')} description={<span data-testid="receipt-reason">{receipt.decisionNote}</span>} />
        )}
        {receipt.status === 'carried_out' && receipt.outcome && (
          <>
            <List
              size="small"
              header={<Typography.Text strong>{t('privacy.receipt.anonymizedTitle')}</Typography.Text>}
              dataSource={Object.entries(receipt.outcome.anonymized).filter(([, count]) => count > 0)}
              renderItem={([kind, count]) => (
                <List.Item data-testid="receipt-anonymized">
                  <span>{label(`privacy.receipt.anonymized.${kind}`, kind)}</span>
                  <Typography.Text type="secondary">{t('privacy.receipt.rows', { count })}</Typography.Text>
                </List.Item>
              )}
            />
            <List
              size="small"
              header={<Typography.Text strong>{t('privacy.receipt.keptTitle')}</Typography.Text>}
              dataSource={receipt.outcome.kept}
              renderItem={(line) => <List.Item data-testid="receipt-kept">{label(`privacy.receipt.kept.${keptKindOf(line)}`, line)}</List.Item>}
            />
            {receipt.decisionNote && <Typography.Text type="secondary">{t('privacy.receipt.note', { note: receipt.decisionNote })}</Typography.Text>}
          </>
        )}
      </Flex>
    </Card>
  );
}
