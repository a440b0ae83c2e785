import { LockOutlined, PlusOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Empty, Flex, Result, Skeleton, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { type AppealCategory, type AppealStatus, useCategoryName } from '../api';
import { rememberedAppeals, trackPath } from '../anonymous-store';
import { StatusTag } from '../components/appeal-tags';
import { formatChinaMinute } from '../time';
import { useMyAppeals, useRememberedAppeals } from '../worker-api';

type Row = {
  key: string;
  to: string;
  category: AppealCategory;
  summary: string;
  status: AppealStatus;
  holder: string;
  expectedBy: string | null;
  awaitingFeedback: boolean;
  anonymous: boolean;
  createdAt: string;
};

function AppealCard({ row }: { row: Row }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const categoryName = useCategoryName();
  return (
    <Card size="small" hoverable onClick={() => void navigate(row.to)} data-testid="my-appeal-card" style={{ width: '100%' }}>
      <Flex vertical gap={4}>
        <Flex justify="space-between" align="center" gap={8}>
          <Typography.Text strong style={{ fontSize: 16 }}>
            {row.anonymous && <LockOutlined aria-label={t('appeals.mine.anonymousTag')} />} {categoryName(row.category)}
          </Typography.Text>
          <StatusTag status={row.status} audience="worker" />
        </Flex>
        <Typography.Text ellipsis>{row.summary}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {row.holder}
          {row.status === 'waiting_on_worker'
            ? ` · ${t('appeals.mine.expectedPaused')}`
            : row.expectedBy
              ? ` · ${t('appeals.mine.expected', { at: formatChinaMinute(row.expectedBy) })}`
              : ''}
        </Typography.Text>
        {row.awaitingFeedback && (
          // The dot draws the eye to the appeals that wait for the worker's verdict.
          <div>
            <Badge dot offset={[-2, 2]}>
              <Tag color="green" style={{ marginInlineEnd: 0 }} data-testid="awaiting-feedback">
                {t('appeals.mine.awaitingFeedback')}
              </Tag>
            </Badge>
          </div>
        )}
      </Flex>
    </Card>
  );
}

/** The worker's appeals: those under their name, and the anonymous ones this phone remembers. */
export function MyAppealsPage() {
  const { t } = useTranslation();
  const mine = useMyAppeals();
  // Read once: the list changes only when this page files one, and that is another page.
  const [remembered] = useState(rememberedAppeals);
  const tracked = useRememberedAppeals(remembered);

  const rows: Row[] = [
    ...remembered.flatMap((r, i) => {
      const appeal = tracked[i]?.data;
      if (!appeal) return [];
      return [
        {
          key: `a-${r.code}`,
          to: trackPath(r.code, r.secret),
          category: appeal.category,
          summary: appeal.description,
          status: appeal.status,
          holder: appeal.holder,
          expectedBy: appeal.expectedBy,
          awaitingFeedback: appeal.canGiveFeedback,
          anonymous: true,
          createdAt: appeal.createdAt,
        },
      ];
    }),
    ...(mine.data ?? []).map((a) => ({
      key: `m-${a.id}`,
      to: `/me/appeals/${a.id}`,
      category: a.category,
      summary: a.summary,
      status: a.status,
      holder: a.holder,
      expectedBy: a.expectedBy,
      awaitingFeedback: a.canGiveFeedback,
      anonymous: false,
      createdAt: a.createdAt,
    })),
  ].sort((a, b) => Number(b.awaitingFeedback) - Number(a.awaitingFeedback) || b.createdAt.localeCompare(a.createdAt));

  let body;
  if (mine.isPending) body = <Skeleton active />;
  else if (mine.isError) body = <Result status="error" title={t('errors.loadFailed')} />;
  else if (rows.length === 0) body = <Empty description={t('appeals.mine.empty')} />;
  else body = rows.map((row) => <AppealCard key={row.key} row={row} />);

  return (
    <Flex vertical gap={12} style={{ maxWidth: 480, margin: '0 auto' }} data-testid="my-appeals-page">
      <Flex justify="space-between" align="center">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('appeals.mine.title')}
        </Typography.Title>
        <Link to="/track">{t('appeals.track.link')}</Link>
      </Flex>
      <Link to="/me/appeals/new">
        <Button type="primary" block icon={<PlusOutlined />} style={{ height: 52, fontSize: 17 }} data-testid="my-appeals-new">
          {t('appeals.file.title')}
        </Button>
      </Link>
      {body}
    </Flex>
  );
}
