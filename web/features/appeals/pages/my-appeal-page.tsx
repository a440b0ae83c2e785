import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Flex, Result, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../../../lib/api-client';
import { WorkerAppealView } from '../components/worker-appeal-view';
import { useMyAppeal } from '../worker-api';

/** One of the worker's own appeals (filed under their name). */
export function MyAppealPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const appeal = useMyAppeal(id);

  let body;
  if (appeal.isPending) body = <Skeleton active />;
  else if (appeal.isError)
    body = <Result status={appeal.error instanceof ApiError && appeal.error.status === 404 ? '404' : 'error'} title={t('errors.loadFailed')} />;
  else body = <WorkerAppealView appeal={appeal.data} handle={{ kind: 'own', id }} />;

  return (
    <Flex vertical gap={12} style={{ maxWidth: 480, margin: '0 auto' }}>
      <Link to="/me/appeals">
        <Button type="text" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
          {t('appeals.mine.title')}
        </Button>
      </Link>
      {body}
    </Flex>
  );
}
