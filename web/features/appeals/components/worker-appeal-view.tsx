import { Alert, Card, Descriptions, Flex, Rate, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCategoryName } from '../api';
import { formatChinaMinute } from '../time';
import type { AppealHandle, PublicAppeal } from '../worker-api';
import { AddInfoCard } from './add-info-card';
import { StatusTag } from './appeal-tags';
import { AppealPhotos } from './appeal-photos';
import { AppealTimeline } from './appeal-timeline';
import { FeedbackCard } from './feedback-card';

const CLOSED = new Set(['confirmed', 'rejected', 'merged']);

/** Plain words for why the appeal is where it is: waiting for the worker, with another body, or refused. */
function WhyNotes({ appeal }: { appeal: PublicAppeal }) {
  const { t } = useTranslation();
  return (
    <>
      {appeal.status === 'waiting_on_worker' && appeal.delayReason && (
        <Alert type="warning" showIcon title={t('appeals.why.waiting')} description={appeal.delayReason} data-testid="why-waiting" />
      )}
      {appeal.referredTo && <Alert type="info" showIcon title={t('appeals.why.referred', { to: appeal.referredTo })} data-testid="why-referred" />}
      {appeal.rejectReason && <Alert type="error" showIcon title={t('appeals.why.rejected')} description={appeal.rejectReason} data-testid="why-rejected" />}
      {appeal.mergedIntoId !== null && <Alert type="info" showIcon title={t('appeals.why.merged', { id: appeal.mergedIntoId })} />}
    </>
  );
}

type Props = {
  appeal: PublicAppeal;
  /** How the worker may act on it; null when following by code without the secret (read only). */
  handle: AppealHandle | null;
  secret?: string;
};

/** One appeal as its filer sees it: where it is, who holds it, when to expect an answer, what was said. */
export function WorkerAppealView({ appeal, handle, secret }: Props) {
  const { t } = useTranslation();
  const categoryName = useCategoryName();
  const waiting = appeal.status === 'waiting_on_worker';
  const items = [
    { key: 'holder', label: t('appeals.field.holder'), children: <span data-testid="appeal-holder">{appeal.holder}</span> },
    // While it waits on the worker the clock stands still, so the old date would only mislead.
    ...(waiting ? [{ key: 'expected', label: t('appeals.field.expected'), children: t('appeals.mine.expectedPaused') }] : []),
    ...(appeal.expectedBy && !waiting ? [{ key: 'expected', label: t('appeals.field.expected'), children: formatChinaMinute(appeal.expectedBy) }] : []),
    ...(appeal.trackingCode ? [{ key: 'code', label: t('appeals.field.trackingCode'), children: <Typography.Text copyable>{appeal.trackingCode}</Typography.Text> }] : []),
    { key: 'created', label: t('appeals.field.createdAt'), children: formatChinaMinute(appeal.createdAt) },
    ...(appeal.address ? [{ key: 'address', label: t('appeals.field.address'), children: appeal.address }] : []),
    ...(appeal.rating !== null ? [{ key: 'rating', label: t('appeals.field.rating'), children: <Rate disabled value={appeal.rating} /> }] : []),
  ];

  return (
    <Flex vertical gap={12} data-testid="worker-appeal">
      <Card>
        <Flex vertical gap={12}>
          <Flex justify="space-between" align="center" gap={8}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {categoryName(appeal.category)} · #{appeal.id}
            </Typography.Title>
            <StatusTag status={appeal.status} audience="worker" />
          </Flex>
          <WhyNotes appeal={appeal} />
          <Descriptions column={1} size="small" items={items} styles={{ label: { width: 96 } }} />
          <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap', fontSize: 15 }} data-testid="appeal-description">
            {appeal.description}
          </Typography.Paragraph>
          <AppealPhotos appealId={appeal.id} photos={appeal.photos} secret={secret} />
        </Flex>
      </Card>
      {handle && appeal.canGiveFeedback && <FeedbackCard handle={handle} until={appeal.feedbackUntil} />}
      {/* An answered appeal asks for a verdict first; reopening carries what is still wrong. */}
      {handle && !CLOSED.has(appeal.status) && !appeal.canGiveFeedback && <AddInfoCard handle={handle} asked={waiting} />}
      <Card title={t('appeals.field.timeline')}>
        <AppealTimeline events={appeal.timeline} audience="worker" />
      </Card>
    </Flex>
  );
}
