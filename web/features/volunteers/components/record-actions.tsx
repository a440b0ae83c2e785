import { App, Button, Flex } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { type ServiceRecordView, useRejectRecord, useRevokeRecord, useVerifyRecord } from '../api';
import { ReasonModal } from './reason-modal';

type Props = {
  record: Pick<ServiceRecordView, 'id' | 'status'>;
  /** The team's leader or staff: pending records may be verified or rejected. */
  canDecide: boolean;
  /** Staff who manage the unit: a verified record may be revoked. */
  canRevoke: boolean;
  /** The viewer's own record: nobody verifies their own (the server refuses it too). */
  own: boolean;
};

/** Verify, reject with a reason, or revoke with a reason — whichever the record's status and the viewer allow. */
export function RecordActions({ record, canDecide, canRevoke, own }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const verify = useVerifyRecord();
  const reject = useRejectRecord();
  const revoke = useRevokeRecord();
  const [asking, setAsking] = useState<'reject' | 'revoke' | null>(null);

  if (own && record.status === 'pending') return <span>{t('volunteers.records.own')}</span>;
  const pending = record.status === 'pending' && canDecide;
  const revocable = record.status === 'verified' && canRevoke;
  if (!pending && !revocable) return null;
  return (
    <Flex gap={8} wrap>
      {pending && (
        <>
          <Button
            type="primary"
            size="small"
            loading={verify.isPending}
            data-testid={`verify-${record.id}`}
            onClick={() =>
              verify.mutate(record.id, {
                onSuccess: () => void message.success(t('volunteers.records.verifiedDone')),
                onError: (error) => reportError(error),
              })
            }
          >
            {t('volunteers.records.verify')}
          </Button>
          <Button size="small" danger onClick={() => setAsking('reject')} data-testid={`reject-${record.id}`}>
            {t('volunteers.records.reject')}
          </Button>
        </>
      )}
      {revocable && (
        <Button size="small" danger onClick={() => setAsking('revoke')} data-testid={`revoke-${record.id}`}>
          {t('volunteers.records.revoke')}
        </Button>
      )}
      <ReasonModal
        open={asking === 'reject'}
        title={t('volunteers.records.rejectTitle')}
        submitting={reject.isPending}
        onClose={() => setAsking(null)}
        onSubmit={(reason) => reject.mutateAsync({ id: record.id, reason })}
      />
      <ReasonModal
        open={asking === 'revoke'}
        title={t('volunteers.records.revokeTitle')}
        submitting={revoke.isPending}
        onClose={() => setAsking(null)}
        onSubmit={(reason) => revoke.mutateAsync({ id: record.id, reason })}
      />
    </Flex>
  );
}
