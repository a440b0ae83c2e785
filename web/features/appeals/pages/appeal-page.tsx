import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Flex, Result, Row, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../../lib/api-client';
import { useAppeal } from '../api';
import { AppealTimeline } from '../components/appeal-timeline';
import { HandlerHeader } from '../components/handler-header';
import { MoveActions } from '../components/move-actions';
import { ReplyBox } from '../components/reply-box';
import { TransitionActions } from '../components/transition-actions';

/** One appeal for a handler: everything about it on the left, what can be done on the right (below on a tablet). */
export function AppealPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const appeal = useAppeal(id);

  const back = (
    <Link to="/appeals">
      <Button type="text" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
        {t('appeals.inbox.title')}
      </Button>
    </Link>
  );
  if (appeal.isPending) return <Skeleton active />;
  if (appeal.isError) {
    const missing = appeal.error instanceof ApiError && appeal.error.status === 404;
    return <Result status={missing ? '404' : 'error'} title={t(missing ? 'appeals.notFound' : 'errors.loadFailed')} extra={back} />;
  }
  const a = appeal.data;
  // The server offers moves only to the holder's side; a unit that merely sees it (where it started) only reads.
  const handles = a.allowedTransitions.length > 0 || a.canEscalate;

  return (
    <Flex vertical gap={12} data-testid="appeal-page">
      {back}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16}>
          <Flex vertical gap={16}>
            <HandlerHeader appeal={a} />
            <Card title={t('appeals.field.timeline')}>
              <AppealTimeline events={a.timeline} audience="handler" />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} lg={8}>
          <Flex vertical gap={16}>
            {!handles && <Alert type="info" showIcon title={t('appeals.readOnly')} />}
            <TransitionActions appeal={a} />
            {handles && <ReplyBox appealId={a.id} />}
            <MoveActions appeal={a} />
          </Flex>
        </Col>
      </Row>
    </Flex>
  );
}
