import { Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatChinaDateTime } from '../../../lib/format';
import type { TransferItem } from '../api';

// Acceptance and completion happen at the same instant; both are shown only when they differ.
const STEPS = ['requestedAt', 'approvedAt', 'acceptedAt', 'doneAt', 'rejectedAt'] as const;

/** Each step the transfer has taken, with its China time, and the reason when it was rejected. */
export function TransferSteps({ transfer }: { transfer: TransferItem }) {
  const { t } = useTranslation();
  const taken = STEPS.filter((step) => transfer[step] !== null && !(step === 'doneAt' && transfer.doneAt === transfer.acceptedAt));
  return (
    <Flex vertical gap={2} data-testid={`transfer-steps-${transfer.id}`}>
      {taken.map((step) => (
        <Typography.Text key={step} type={step === 'rejectedAt' ? 'danger' : undefined} style={{ fontSize: 13 }} className="convoy-nowrap">
          {t(`members.transfers.step.${step}`)} {formatChinaDateTime(transfer[step] as string)}
        </Typography.Text>
      ))}
      {transfer.rejectReason && (
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {t('members.transfers.rejectedBecause', { reason: transfer.rejectReason })}
        </Typography.Text>
      )}
    </Flex>
  );
}
