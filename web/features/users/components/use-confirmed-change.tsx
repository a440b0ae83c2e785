import { App, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import type { ManagedUser, UserChange } from '../api';

type Change<Answer extends UserChange> = {
  title: string;
  body: ReactNode;
  /** Whether the change ends the user's sessions; the confirmation then says so plainly. */
  logsOut: boolean;
  danger?: boolean;
  run: () => Promise<Answer>;
  done: string;
  onDone?: (answer: Answer) => void;
};

/**
 * Asks before a change to someone's account, saying when it logs them out, then reports what the
 * server did (how many sessions ended) or why it refused.
 */
export function useConfirmedChange(user: ManagedUser, onChanged: (user: ManagedUser) => void) {
  const { modal, message } = App.useApp();
  const { t } = useTranslation();
  const reportError = useApiErrorReporter();
  const name = user.displayName || user.username;

  return useCallback(
    <Answer extends UserChange>(change: Change<Answer>) => {
      modal.confirm({
        title: change.title,
        content: (
          <div data-testid="user-confirm">
            <Typography.Paragraph style={{ marginBottom: 8 }}>{change.body}</Typography.Paragraph>
            {change.logsOut && (
              <Typography.Paragraph strong type="warning" style={{ marginBottom: 0 }} data-testid="user-confirm-logout">
                {t('users.confirm.logoutNote', { name })}
              </Typography.Paragraph>
            )}
          </div>
        ),
        okText: t('users.confirm.ok'),
        okButtonProps: { danger: change.danger, ...({ 'data-testid': 'user-confirm-ok' } as object) },
        cancelText: t('common.cancel'),
        onOk: async () => {
          try {
            const answer = await change.run();
            onChanged(answer.user);
            const ended = answer.sessionsEnded > 0 ? ` · ${t('users.done.sessionsEnded', { name, count: answer.sessionsEnded })}` : '';
            void message.success(change.done + ended);
            change.onDone?.(answer);
          } catch (error) {
            reportError(error);
          }
        },
      });
    },
    [modal, message, t, reportError, name, onChanged],
  );
}
