import { App, Button, Card, Flex, Input, Rate, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { formatChinaMinute } from '../time';
import { type AppealHandle, useWorkerFeedback } from '../worker-api';

const BIG = { height: 48, fontSize: 16 } as const;

/** After an answer: the worker says it is solved (with stars) or that it is not, and why. */
export function FeedbackCard({ handle, until }: { handle: AppealHandle; until: string | null }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const feedback = useWorkerFeedback(handle);
  const [choice, setChoice] = useState<'confirm' | 'reopen'>('confirm');
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');

  const send = () => {
    const input = choice === 'confirm' ? { action: choice, rating, comment: comment.trim() || undefined } : { action: choice, comment: comment.trim() };
    feedback.mutate(input, {
      onSuccess: () => void message.success(t(choice === 'confirm' ? 'appeals.feedback.confirmed' : 'appeals.feedback.reopened')),
      onError: (error) => reportError(error),
    });
  };
  const ready = choice === 'confirm' ? rating > 0 : comment.trim().length > 0;

  return (
    <Card title={t('appeals.feedback.title')} data-testid="feedback-card" style={{ borderColor: '#52c41a' }}>
      <Flex vertical gap={12}>
        {until && <Typography.Text type="secondary">{t('appeals.feedback.until', { at: formatChinaMinute(until) })}</Typography.Text>}
        <Segmented<'confirm' | 'reopen'>
          block
          size="large"
          value={choice}
          onChange={setChoice}
          options={[
            { value: 'confirm', label: <span data-testid="feedback-choose-confirm">{t('appeals.feedback.solved')}</span> },
            { value: 'reopen', label: <span data-testid="feedback-choose-reopen">{t('appeals.feedback.notSolved')}</span> },
          ]}
        />
        {choice === 'confirm' && (
          <Flex vertical align="center" gap={4}>
            <Typography.Text>{t('appeals.feedback.rateLabel')}</Typography.Text>
            <Rate value={rating} onChange={setRating} style={{ fontSize: 36 }} aria-label={t('appeals.feedback.rateLabel')} data-testid="feedback-rate" />
          </Flex>
        )}
        <Input.TextArea
          rows={3}
          maxLength={2000}
          value={comment}
          onChange={(event) => setComment(event.target.value)}
          placeholder={t(choice === 'confirm' ? 'appeals.feedback.commentOptional' : 'appeals.feedback.commentRequired')}
          data-testid="feedback-comment"
        />
        <Button type="primary" danger={choice === 'reopen'} block style={BIG} disabled={!ready} loading={feedback.isPending} onClick={send} data-testid="feedback-submit">
          {t(choice === 'confirm' ? 'appeals.feedback.confirm' : 'appeals.feedback.reopen')}
        </Button>
      </Flex>
    </Card>
  );
}
