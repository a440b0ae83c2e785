import { App, Button, Card, Flex, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { type AppealHandle, useWorkerReply } from '../worker-api';

/** The worker adds to their appeal; when the unit asked for something, this is where it goes. */
export function AddInfoCard({ handle, asked }: { handle: AppealHandle; asked: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const reply = useWorkerReply(handle);
  const [body, setBody] = useState('');

  const send = () =>
    reply.mutate(body.trim(), {
      onSuccess: () => {
        setBody('');
        void message.success(t('appeals.addInfo.sent'));
      },
      onError: (error) => reportError(error),
    });

  return (
    <Card title={t(asked ? 'appeals.addInfo.askedTitle' : 'appeals.addInfo.title')} style={asked ? { borderColor: '#faad14' } : undefined} data-testid="add-info-card">
      <Flex vertical gap={12}>
        <Input.TextArea rows={3} maxLength={4000} value={body} onChange={(event) => setBody(event.target.value)} placeholder={t('appeals.addInfo.placeholder')} data-testid="add-info-body" />
        <Button type={asked ? 'primary' : 'default'} block style={{ height: 48, fontSize: 16 }} disabled={!body.trim()} loading={reply.isPending} onClick={send} data-testid="add-info-submit">
          {t('appeals.addInfo.send')}
        </Button>
      </Flex>
    </Card>
  );
}
