import { Button, Empty, Flex, List, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSimilarAppeals } from '../api';
import { formatChinaMinute } from '../time';
import { StatusTag } from './appeal-tags';

type Props = { appealId: number; chosen: number | undefined; onChoose: (id: number) => void };

/** Open appeals that look like this one (same category, platform and city, recent): one click picks the one to merge into. */
export function SimilarAppeals({ appealId, chosen, onChoose }: Props) {
  const { t } = useTranslation();
  const similar = useSimilarAppeals(appealId);
  if (similar.isPending) return <Skeleton active paragraph={{ rows: 2 }} />;
  const items = similar.data ?? [];
  return (
    <Flex vertical gap={4} data-testid="similar-appeals">
      <Typography.Text type="secondary">{t('appeals.merge.similar')}</Typography.Text>
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('appeals.merge.none')} />
      ) : (
        <List
          size="small"
          bordered
          style={{ maxHeight: 260, overflowY: 'auto' }}
          dataSource={items}
          renderItem={(item) => (
            <List.Item
              data-testid={`similar-${item.id}`}
              actions={[
                <Button key="pick" size="small" type={chosen === item.id ? 'primary' : 'default'} onClick={() => onChoose(item.id)} data-testid={`merge-into-${item.id}`}>
                  {t(chosen === item.id ? 'appeals.merge.chosen' : 'appeals.merge.choose')}
                </Button>,
              ]}
            >
              <Flex vertical gap={2} style={{ minWidth: 0 }}>
                <Flex gap={6} align="center" wrap>
                  <Typography.Text strong>#{item.id}</Typography.Text>
                  <StatusTag status={item.status} audience="handler" />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {item.unitName} · {formatChinaMinute(item.createdAt)}
                  </Typography.Text>
                </Flex>
                <Typography.Text ellipsis>{item.summary}</Typography.Text>
              </Flex>
            </List.Item>
          )}
        />
      )}
    </Flex>
  );
}
