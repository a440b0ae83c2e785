import { HeartOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

/** On the worker's own page: one tap to their volunteering (teams, hours to log, the ledger). */
export function MyVolunteeringEntry() {
  const { t } = useTranslation();
  return (
    <Card data-testid="my-volunteering-entry">
      <Flex vertical gap={8}>
        <Typography.Text type="secondary">{t('volunteers.entry.body')}</Typography.Text>
        <Link to="/me/volunteering" data-testid="my-volunteering-link">
          <Button block icon={<HeartOutlined />} style={{ height: 48, fontSize: 16 }}>
            {t('volunteers.entry.open')}
          </Button>
        </Link>
      </Flex>
    </Card>
  );
}
