import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Col, Descriptions, Drawer, Empty, Flex, Row, Select, Skeleton, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../auth/api';
import { UnitPicker } from '../../org/components/unit-picker';
import { type PostFilters, type VanguardPost, isVolunteerStaff, usePost, usePosts } from '../api';
import { usePeriodText } from '../components/labels';
import { AssignHolderModal, CreatePostModal, EndPostModal } from '../components/post-forms';
import { VolunteersTabs } from '../components/volunteers-tabs';

/** Who holds the post: a name for those the server shows names to, otherwise only whether it is held. */
function HolderLine({ post }: { post: VanguardPost }) {
  const { t } = useTranslation();
  const period = usePeriodText();
  if (post.closedOn) return <Tag>{t('volunteers.post.closedOn', { date: post.closedOn })}</Tag>;
  if (!post.held) return <Tag color="orange">{t('volunteers.post.vacant')}</Tag>;
  if (!post.holder) return <Tag color="green">{t('volunteers.post.held')}</Tag>;
  return (
    <Typography.Text data-testid="post-holder">
      <Tag color="red">{t('volunteers.post.held')}</Tag>
      {post.holder.name ?? t('volunteers.unnamed')} · {period(post.holder.fromDate, post.holder.toDate)}
    </Typography.Text>
  );
}

function PostDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const post = usePost(id);
  const period = usePeriodText();
  const [dialog, setDialog] = useState<'assign' | 'end' | null>(null);
  const data = post.data;
  // Staff who manage the unit act on it; the server refuses anyone else with 403/404 anyway.
  const mayAct = isVolunteerStaff(me) && data !== undefined && data.closedOn === null;
  return (
    <Drawer open={id !== null} onClose={onClose} size={520} title={data?.title ?? ''} destroyOnHidden>
      {post.isPending || !data ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={16} data-testid="post-detail">
          <Descriptions
            column={1}
            size="small"
            items={[
              { key: 'unit', label: t('volunteers.field.unit'), children: data.unitName },
              { key: 'kind', label: t('volunteers.field.kind'), children: t(`volunteers.kind.${data.kind}`) },
              { key: 'duties', label: t('volunteers.field.duties'), children: data.duties },
              { key: 'holder', label: t('volunteers.field.holder'), children: <HolderLine post={data} /> },
            ]}
          />
          {mayAct && (
            <Flex gap={8} wrap>
              <Button type="primary" onClick={() => setDialog('assign')} data-testid="post-assign">
                {t('volunteers.post.assign')}
              </Button>
              <Button danger onClick={() => setDialog('end')} data-testid="post-end">
                {t('volunteers.post.end')}
              </Button>
            </Flex>
          )}
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('volunteers.post.history')}
          </Typography.Title>
          {data.terms === null ? (
            <Typography.Text type="secondary">{t('volunteers.post.historyHidden')}</Typography.Text>
          ) : data.terms.length === 0 ? (
            <Empty description={t('volunteers.post.noTerms')} />
          ) : (
            <Timeline
              data-testid="post-terms"
              items={[...data.terms].reverse().map((term) => ({
                key: term.id,
                color: term.toDate === null ? 'red' : 'gray',
                content: (
                  <Flex vertical data-testid="post-term">
                    <Typography.Text strong>{term.name ?? t('volunteers.unnamed')}</Typography.Text>
                    <Typography.Text type="secondary">{period(term.fromDate, term.toDate)}</Typography.Text>
                    {term.endReason && <Typography.Text type="secondary">{term.endReason}</Typography.Text>}
                  </Flex>
                ),
              }))}
            />
          )}
          <AssignHolderModal open={dialog === 'assign'} onClose={() => setDialog(null)} post={data} />
          <EndPostModal open={dialog === 'end'} onClose={() => setDialog(null)} post={data} />
        </Flex>
      )}
    </Drawer>
  );
}

/** The vanguard post board (先锋岗) of the user's scope or one unit: duties, holders, and each post's history. */
export function PostsPage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const [filters, setFilters] = useState<PostFilters>({ status: 'open' });
  const [openId, setOpenId] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const posts = usePosts(filters);
  const items = posts.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Flex vertical gap={12}>
      <VolunteersTabs />
      <Flex wrap gap={8} align="center" justify="space-between">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('volunteers.post.boardTitle')}
        </Typography.Title>
        {isVolunteerStaff(me) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="post-create">
            {t('volunteers.post.create')}
          </Button>
        )}
      </Flex>
      <Flex wrap gap={8}>
        <div style={{ width: 280 }}>
          <UnitPicker value={filters.unitId} onChange={(unitId) => setFilters((f) => ({ ...f, unitId }))} />
        </div>
        <Select
          value={filters.status}
          onChange={(status) => setFilters((f) => ({ ...f, status }))}
          style={{ width: 140 }}
          options={(['open', 'closed', 'all'] as const).map((s) => ({ value: s, label: t(`volunteers.filter.${s}`) }))}
        />
        {filters.unitId !== undefined && <Button onClick={() => setFilters((f) => ({ ...f, unitId: undefined }))}>{t('common.reset')}</Button>}
      </Flex>
      {posts.isPending ? (
        <Skeleton active />
      ) : items.length === 0 ? (
        <Empty description={t('volunteers.post.empty')} />
      ) : (
        <Row gutter={[12, 12]} data-testid="post-board">
          {items.map((post) => (
            <Col key={post.id} xs={24} md={12} xl={8}>
              <Card hoverable onClick={() => setOpenId(post.id)} title={post.title} extra={<Tag>{t(`volunteers.kind.${post.kind}`)}</Tag>} data-testid={`post-${post.id}`}>
                <Flex vertical gap={8}>
                  <Typography.Text type="secondary">{post.unitName}</Typography.Text>
                  <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>
                    {post.duties}
                  </Typography.Paragraph>
                  <HolderLine post={post} />
                </Flex>
              </Card>
            </Col>
          ))}
        </Row>
      )}
      {posts.hasNextPage && (
        <Button onClick={() => void posts.fetchNextPage()} loading={posts.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
      <PostDrawer id={openId} onClose={() => setOpenId(null)} />
      <CreatePostModal open={creating} onClose={() => setCreating(false)} />
    </Flex>
  );
}
