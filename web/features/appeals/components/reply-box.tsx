import { LockOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Input, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { useHandlerReply } from '../api';

type Visibility = 'public' | 'internal';

/** A reply the worker reads, or a note only handlers read; the box turns grey for a note so nobody mixes them up. */
export function ReplyBox({ appealId }: { appealId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const reply = useHandlerReply(appealId);
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [body, setBody] = useState('');
  const internal = visibility === 'internal';

  const send = () =>
    reply.mutate(
      { body: body.trim(), visibility },
      {
        onSuccess: () => {
          setBody('');
          void message.success(t(internal ? 'appeals.reply.noted' : 'appeals.reply.sent'));
        },
        onError: (error) => reportError(error),
      },
    );

  return (
    <Card size="small" title={t('appeals.reply.title')} data-testid="reply-box">
      <Flex vertical gap={8}>
        <Segmented<Visibility>
          block
          value={visibility}
          onChange={setVisibility}
          options={[
            { value: 'public', label: <span data-testid="reply-public">{t('appeals.reply.public')}</span> },
            { value: 'internal', label: <span data-testid="reply-internal">{t('appeals.reply.internal')}</span> },
          ]}
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {internal && <LockOutlined />} {t(internal ? 'appeals.reply.internalHint' : 'appeals.reply.publicHint')}
        </Typography.Text>
        <Input.TextArea
          rows={4}
          maxLength={4000}
          value={body}
          onChange={(event) => setBody(event.target.value)}
          style={internal ? { background: '#f5f5f5', borderStyle: 'dashed' } : undefined}
          data-testid="reply-body"
        />
        <Button type={internal ? 'default' : 'primary'} disabled={!body.trim()} loading={reply.isPending} onClick={send} data-testid="reply-submit">
          {t(internal ? 'appeals.reply.submitInternal' : 'appeals.reply.submitPublic')}
        </Button>
      </Flex>
    </Card>
  );
}
