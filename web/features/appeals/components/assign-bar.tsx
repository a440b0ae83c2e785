import { App, Button, Flex, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { useMe } from '../../auth/api';
import { useAppealHandlers, useAssign } from '../api';

type Props = {
  ids: number[];
  /** Whose handlers to offer: the filtered unit, else the unit holding the first chosen appeal. */
  unitId: number | null;
  onDone: () => void;
};

/** Bulk assignment of the chosen appeals: to a handler of the unit, to me, or back to nobody. */
export function AssignBar({ ids, unitId, onDone }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const me = useMe().data;
  const handlers = useAppealHandlers(ids.length > 0 ? unitId : null);
  const assign = useAssign();
  const [assignee, setAssignee] = useState<number | undefined>(undefined);

  const run = (assigneeUserId: number | null) =>
    assign.mutate(
      { ids, assigneeUserId },
      {
        onSuccess: (result) => {
          void message.success(t('appeals.assign.done', { count: result.assigned }));
          setAssignee(undefined);
          onDone();
        },
        onError: (error) => reportError(error),
      },
    );

  if (ids.length === 0) return null;
  return (
    <Flex wrap gap={8} align="center" style={{ marginBottom: 12, padding: '8px 12px', background: '#fafafa', borderRadius: 6 }} data-testid="assign-bar">
      <Typography.Text strong>{t('appeals.assign.selected', { count: ids.length })}</Typography.Text>
      <Select<number>
        value={assignee}
        onChange={setAssignee}
        loading={handlers.isFetching}
        placeholder={t('appeals.assign.choose')}
        // Someone who only reads the appeal (it moved up from their unit) has no one to give it to there.
        notFoundContent={handlers.isError ? t('appeals.assign.cannot') : undefined}
        options={(handlers.data ?? []).map((h) => ({ value: h.userId, label: `${h.displayName} · ${h.unitName}` }))}
        style={{ width: 260 }}
        data-testid="assign-select"
      />
      <Button type="primary" disabled={assignee === undefined} loading={assign.isPending} onClick={() => assignee !== undefined && run(assignee)} data-testid="assign-submit">
        {t('appeals.assign.submit')}
      </Button>
      {me && (
        <Button loading={assign.isPending} onClick={() => run(me.id)} data-testid="assign-me">
          {t('appeals.assign.toMe')}
        </Button>
      )}
      <Button type="text" loading={assign.isPending} onClick={() => run(null)} data-testid="assign-none">
        {t('appeals.assign.none')}
      </Button>
    </Flex>
  );
}
